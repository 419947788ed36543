/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * The backend's socket paths: checks before registering (be_sock_check)
 * and the client watch, an EAL alarm ticking every second while a client
 * socket is not connected.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_alarm.h>
#include <rte_common.h>
#include <rte_log.h>

#include "backend.h"
#include "be_sock.h"

#define SOCK_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, RTE_LOGTYPE_USER1, "BACKEND: " fmt "\n", \
		##__VA_ARGS__)

#define WATCH_TICK_US	(1000 * 1000)

/* 0 nothing listens (ECONNREFUSED), 1 a live listener, or -errno. */
static int
sock_has_listener(const char *path)
{
	struct sockaddr_un sa;
	int fd, ret;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	if (ret == 0 || errno == EAGAIN || errno == EINPROGRESS)
		ret = 1;	/* accepted, or a full backlog: alive */
	else if (errno == ECONNREFUSED)
		ret = 0;
	else
		ret = -errno;
	close(fd);
	return ret;
}

static int
check_directory(const char *path)
{
	char copy[PATH_MAX], *dir;
	struct stat st;

	snprintf(copy, sizeof(copy), "%s", path);
	dir = dirname(copy);
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (errno == ENOENT || errno == ENOTDIR || S_ISDIR(st.st_mode) == 0) {
		SOCK_LOG(ERR, "%s: directory %s does not exist: create it or give"
			" --iface a path in an existing directory", path, dir);
		return -ENOENT;
	}
	SOCK_LOG(ERR, "%s: cannot reach directory %s: %s", path, dir,
		strerror(errno));
	return -errno;
}

static int
check_server_path(const char *path)
{
	struct stat st;
	int ret;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return 0;
		SOCK_LOG(ERR, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (!S_ISSOCK(st.st_mode)) {
		SOCK_LOG(ERR, "%s exists and is not a socket: remove it or choose"
			" another --iface path", path);
		return -EEXIST;
	}
	ret = sock_has_listener(path);
	if (ret > 0) {
		SOCK_LOG(ERR, "%s is in use: a live process listens on it (another"
			" backend?): stop it or choose another --iface path", path);
		return -EADDRINUSE;
	}
	if (ret < 0) {
		SOCK_LOG(ERR, "%s: cannot tell whether the socket is in use: %s",
			path, strerror(-ret));
		return ret;
	}
	if (unlink(path) != 0) {
		SOCK_LOG(ERR, "%s: stale socket (nothing listens on it), cannot"
			" remove it: %s", path, strerror(errno));
		return -errno;
	}
	SOCK_LOG(NOTICE, "%s: removed a stale socket (nothing listened on it)",
		path);
	return 0;
}

int
be_sock_check(const char *path, bool client)
{
	int ret = check_directory(path);

	if (ret != 0 || client)
		return ret;
	return check_server_path(path);
}

/* ---- client watch ---- */

struct sock_watch {
	const char *path;	/* NULL: free slot */
	bool connected;
	unsigned int waited_s;	/* since the watch (re)started */
	unsigned int next_log_s;
};

static struct sock_watch watches[BACKEND_MAX_IFACES];
static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static bool watch_armed;	/* under watch_lock */

static const char *
watch_reason(const char *path, char *buf, size_t len)
{
	struct stat st;

	if (stat(path, &st) != 0)
		snprintf(buf, len, "%s: start the vhost-user server (e.g."
			" virtio-user with server=1) on this path",
			errno == ENOENT ? "no socket there yet" : strerror(errno));
	else if (!S_ISSOCK(st.st_mode))
		snprintf(buf, len, "the path is not a socket: give --iface the"
			" server's socket");
	else
		snprintf(buf, len, "nothing accepts on the socket (stale? restart"
			" its server)");
	return buf;
}

static void watch_tick(void *arg);

/* With watch_lock held. */
static void
watch_arm(void)
{
	if (watch_armed)
		return;
	if (rte_eal_alarm_set(WATCH_TICK_US, watch_tick, NULL) == 0)
		watch_armed = true;
}

static void
watch_tick(void *arg)
{
	char reason[160];
	bool again = false;
	unsigned int i;

	RTE_SET_USED(arg);
	pthread_mutex_lock(&watch_lock);
	watch_armed = false;
	for (i = 0; i < RTE_DIM(watches); i++) {
		struct sock_watch *w = &watches[i];

		if (w->path == NULL || w->connected)
			continue;
		again = true;
		if (++w->waited_s < w->next_log_s)
			continue;
		SOCK_LOG(WARNING, "%s: not connected after %u s, still trying: %s",
			w->path, w->waited_s,
			watch_reason(w->path, reason, sizeof(reason)));
		w->next_log_s = RTE_MIN(w->next_log_s * 2,
			w->waited_s + BE_SOCK_WATCH_MAX_S);
	}
	if (again)
		watch_arm();
	pthread_mutex_unlock(&watch_lock);
}

static struct sock_watch *
watch_find(const char *path)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(watches); i++)
		if (watches[i].path == path)
			return &watches[i];
	return NULL;
}

static void
watch_restart(struct sock_watch *w, bool connected)
{
	w->connected = connected;
	w->waited_s = 0;
	w->next_log_s = 1;
	if (!connected)
		watch_arm();
}

int
be_sock_watch_start(const char *path)
{
	struct sock_watch *w;

	pthread_mutex_lock(&watch_lock);
	w = watch_find(path);
	if (w == NULL)
		w = watch_find(NULL);
	if (w != NULL) {
		w->path = path;
		watch_restart(w, false);
	}
	pthread_mutex_unlock(&watch_lock);
	return w != NULL ? 0 : -ENOSPC;
}

static void
watch_set(const char *path, bool connected)
{
	struct sock_watch *w;

	pthread_mutex_lock(&watch_lock);
	w = watch_find(path);
	if (w != NULL)
		watch_restart(w, connected);
	pthread_mutex_unlock(&watch_lock);
}

void
be_sock_watch_connected(const char *path)
{
	watch_set(path, true);
}

void
be_sock_watch_disconnected(const char *path)
{
	watch_set(path, false);
}

void
be_sock_watch_stop(const char *path)
{
	struct sock_watch *w;
	bool idle = true;
	unsigned int i;

	pthread_mutex_lock(&watch_lock);
	w = watch_find(path);
	if (w != NULL)
		w->path = NULL;
	for (i = 0; i < RTE_DIM(watches); i++)
		if (watches[i].path != NULL)
			idle = false;
	pthread_mutex_unlock(&watch_lock);
	/* Outside the lock: cancel waits for a tick that takes it. */
	if (idle && rte_eal_alarm_cancel(watch_tick, NULL) > 0) {
		pthread_mutex_lock(&watch_lock);
		watch_armed = false;
		pthread_mutex_unlock(&watch_lock);
	}
}

/*
 * The vhost library reads a message's payload with a blocking read() on
 * its one event thread: a frontend that sends a header announcing a
 * payload and then nothing stalls every socket of the process until it
 * disconnects. A receive (and send) timeout on the connection turns that
 * into a failed read after BE_SOCK_IO_TIMEOUT_MS, and the library closes
 * that connection ("vhost read message ... failed"). The library does not
 * hand the fd out: find the connections of this socket path among our
 * fds (accepted sockets carry the listening socket's name; client sockets
 * the peer's).
 */
static bool
be_is_connection_of(int fd, const char *path)
{
	struct sockaddr_un sa;
	socklen_t len = sizeof(sa);
	int listening = 0;
	socklen_t ilen = sizeof(listening);

	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ilen) != 0 ||
			listening)
		return false;
	memset(&sa, 0, sizeof(sa));
	if (getsockname(fd, (struct sockaddr *)&sa, &len) == 0 &&
			sa.sun_family == AF_UNIX &&
			strncmp(sa.sun_path, path, sizeof(sa.sun_path)) == 0)
		return true;
	len = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	return getpeername(fd, (struct sockaddr *)&sa, &len) == 0 &&
		sa.sun_family == AF_UNIX &&
		strncmp(sa.sun_path, path, sizeof(sa.sun_path)) == 0;
}

/*
 * Whether /proc/self/fd/NAME is a socket, from the link alone: the other
 * fds of the process belong to other threads (DPDK's among them), which
 * may close them meanwhile; their type is read without touching them.
 */
static bool
be_fd_is_socket(const char *name)
{
	char link[sizeof("/proc/self/fd/") + 256], target[32];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%s", name);
	n = readlink(link, target, sizeof(target) - 1);
	if (n <= 0)
		return false;
	target[n] = '\0';
	return strncmp(target, "socket:", 7) == 0;
}

unsigned int
be_sock_bound_io(const char *path)
{
	const struct timeval tv = {
		.tv_sec = BE_SOCK_IO_TIMEOUT_MS / 1000,
		.tv_usec = (BE_SOCK_IO_TIMEOUT_MS % 1000) * 1000,
	};
	struct dirent *e;
	unsigned int n = 0;
	DIR *d = opendir("/proc/self/fd");

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		int fd = atoi(e->d_name);

		if (e->d_name[0] == '.' || fd == dirfd(d) ||
				!be_fd_is_socket(e->d_name) ||
				!be_is_connection_of(fd, path))
			continue;
		if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0 &&
				setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv,
					sizeof(tv)) == 0)
			n++;
	}
	closedir(d);
	return n;
}
