/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

/*
 * Devargs of a vdpa_cvqsim vdev: the keys, each key's parser, and the
 * defaults. Pure parsing: rte_kvargs and rte_log only, no EAL, no device,
 * so that it can be unit tested and fuzzed on its own.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_kvargs.h>

#include "cvqsim_devargs.h"
#include "cvqsim_log.h"
#include "rte_pmd_cvqsim.h"

#define CVQSIM_ARG_QUEUES	"queues"
#define CVQSIM_ARG_MAC		"mac"
#define CVQSIM_ARG_MTU		"mtu"
#define CVQSIM_ARG_MAC_TABLE	"mac_table"
#define CVQSIM_ARG_POLL		"poll"
#define CVQSIM_ARG_CPU		"cpu"
#define CVQSIM_ARG_PORT		"port"
#define CVQSIM_ARG_IN_ORDER	"in_order"

static const char * const cvqsim_valid_args[] = {
	CVQSIM_ARG_QUEUES,
	CVQSIM_ARG_MAC,
	CVQSIM_ARG_MTU,
	CVQSIM_ARG_MAC_TABLE,
	CVQSIM_ARG_POLL,
	CVQSIM_ARG_CPU,
	CVQSIM_ARG_PORT,
	CVQSIM_ARG_IN_ORDER,
	NULL,
};

/* Devargs parsing. Each parser prints what is wrong with its value. */

static int
parse_uint(const char *key, const char *value, unsigned long min,
		unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	if (value == NULL || !isdigit((unsigned char)value[0]))
		goto bad;
	/* Base 10: "mtu=01500" is 1500, not octal. */
	v = strtoul(value, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	CVQSIM_LOG(ERR, "devarg %s=%s: expected an integer in %lu..%lu",
		key, value ? value : "", min, max);
	return -EINVAL;
}

static int
parse_queues(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;
	unsigned long v;

	if (value != NULL && strtoul(value, NULL, 0) == RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS + 1) {
		CVQSIM_LOG(ERR, "devarg %s=%s: at most %u queue pairs: the vhost "
			"library holds 256 vrings and the control queue of a "
			"%s-pair device would be vring %u",
			key, value, RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS, value,
			2 * (RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS + 1));
		return -EINVAL;
	}
	if (parse_uint(key, value, 1, RTE_PMD_CVQSIM_MAX_QUEUE_PAIRS, &v) < 0)
		return -EINVAL;
	conf->max_pairs = (uint16_t)v;
	return 0;
}

static int
parse_mac(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;
	struct rte_ether_addr mac;

	/* rte_ether_unformat_addr also takes xxxx:xxxx:xxxx; require 6 bytes. */
	if (value == NULL || strlen(value) != 17 ||
			rte_ether_unformat_addr(value, &mac) != 0) {
		CVQSIM_LOG(ERR, "devarg %s=%s: expected xx:xx:xx:xx:xx:xx",
			key, value ? value : "");
		return -EINVAL;
	}
	if (!rte_is_unicast_ether_addr(&mac) || rte_is_zero_ether_addr(&mac)) {
		CVQSIM_LOG(ERR, "devarg %s=%s: not a unicast address", key, value);
		return -EINVAL;
	}
	conf->mac = mac;
	return 0;
}

static int
parse_mtu(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;
	unsigned long v;

	if (parse_uint(key, value, RTE_PMD_CVQSIM_MTU_MIN, RTE_PMD_CVQSIM_MTU_MAX, &v) < 0)
		return -EINVAL;
	conf->mtu = (uint16_t)v;
	return 0;
}

static int
parse_mac_table(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;
	unsigned long v;

	if (parse_uint(key, value, 1, RTE_PMD_CVQSIM_MAC_TABLE_MAX, &v) < 0)
		return -EINVAL;
	conf->mac_table = (uint32_t)v;
	return 0;
}

static int
parse_poll(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;

	if (value != NULL && strcmp(value, "thread") == 0)
		conf->poll = CVQSIM_POLL_THREAD;
	else if (value != NULL && strcmp(value, "service") == 0)
		conf->poll = CVQSIM_POLL_SERVICE;
	else if (value != NULL && strcmp(value, "adaptive") == 0)
		conf->poll = CVQSIM_POLL_ADAPTIVE;
	else {
		CVQSIM_LOG(ERR, "devarg %s=%s: expected thread, service or adaptive",
			key, value ? value : "");
		return -EINVAL;
	}
	return 0;
}

static int
parse_cpu(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;
	long ncpu = sysconf(_SC_NPROCESSORS_CONF);
	unsigned long v;

	if (ncpu < 1 || ncpu > CPU_SETSIZE)
		ncpu = CPU_SETSIZE;
	if (parse_uint(key, value, 0, (unsigned long)ncpu - 1, &v) < 0)
		return -EINVAL;
	conf->cpu = (int)v;
	return 0;
}

/*
 * An ethdev name: what rte_eth_dev_get_port_by_name() can find, checked
 * for length and characters only (the port itself is looked up at probe).
 */
static int
parse_port(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;
	size_t i, len = value != NULL ? strlen(value) : 0;

	if (len == 0 || len >= sizeof(conf->port)) {
		CVQSIM_LOG(ERR, "devarg %s=%s: expected an ethdev name of 1..%zu"
			" characters", key, value ? value : "",
			sizeof(conf->port) - 1);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isgraph((unsigned char)value[i])) {
			CVQSIM_LOG(ERR, "devarg %s: the ethdev name has a space or"
				" control character", key);
			return -EINVAL;
		}
	}
	memcpy(conf->port, value, len + 1);
	return 0;
}

/*
 * in_order=0|1: offer VIRTIO_F_IN_ORDER (default 1, as DPDK's vhost library
 * does; QEMU's virtio devices have the same switch, the in_order property).
 */
static int
parse_in_order(const char *key, const char *value, void *opaque)
{
	struct cvqsim_devargs *conf = opaque;
	unsigned long v;

	if (parse_uint(key, value, 0, 1, &v) < 0)
		return -EINVAL;
	conf->in_order = v == 1;
	return 0;
}

static const struct {
	const char *key;
	arg_handler_t handler;
} cvqsim_arg_parsers[] = {
	{ CVQSIM_ARG_QUEUES, parse_queues },
	{ CVQSIM_ARG_MAC, parse_mac },
	{ CVQSIM_ARG_MTU, parse_mtu },
	{ CVQSIM_ARG_MAC_TABLE, parse_mac_table },
	{ CVQSIM_ARG_POLL, parse_poll },
	{ CVQSIM_ARG_CPU, parse_cpu },
	{ CVQSIM_ARG_PORT, parse_port },
	{ CVQSIM_ARG_IN_ORDER, parse_in_order },
};

static bool
is_valid_key(const char *key)
{
	unsigned int i;

	for (i = 0; cvqsim_valid_args[i] != NULL; i++)
		if (strcmp(key, cvqsim_valid_args[i]) == 0)
			return true;
	return false;
}

/*
 * A fixed locally administered unicast MAC per device index:
 * 02:63:76:71:hi:lo ("cvq").
 */
static void
default_mac(unsigned int index, struct rte_ether_addr *mac)
{
	static const uint8_t prefix[4] = { 0x02, 0x63, 0x76, 0x71 };

	memcpy(mac->addr_bytes, prefix, sizeof(prefix));
	mac->addr_bytes[4] = (uint8_t)(index >> 8);
	mac->addr_bytes[5] = (uint8_t)index;
}

/* Whether pair i is the first with its key (report duplicates once). */
static bool
first_of(const struct rte_kvargs *kv, unsigned int i)
{
	unsigned int j;

	for (j = 0; j < i; j++)
		if (strcmp(kv->pairs[j].key, kv->pairs[i].key) == 0)
			return false;
	return true;
}

int
cvqsim_devargs_parse(const char *name, const char *args,
		unsigned int index, struct cvqsim_devargs *conf)
{
	struct rte_kvargs *kv;
	unsigned int i;
	int ret = 0;

	conf->max_pairs = 1;
	default_mac(index, &conf->mac);
	conf->mtu = RTE_PMD_CVQSIM_MTU_DEFAULT;
	conf->mac_table = RTE_PMD_CVQSIM_MAC_TABLE_DEFAULT;
	conf->poll = CVQSIM_POLL_THREAD;
	conf->cpu = -1;
	conf->port[0] = '\0';
	conf->in_order = true;

	if (args == NULL || args[0] == '\0')
		return 0;
	/* Parse without a key list so that unknown keys can be named. */
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		CVQSIM_LOG(ERR, "%s: cannot parse devargs \"%s\"", name, args);
		return -EINVAL;
	}
	for (i = 0; i < kv->count; i++) {
		const char *key = kv->pairs[i].key;

		if (!is_valid_key(key)) {
			CVQSIM_LOG(ERR, "%s: unknown devarg \"%s\" (valid: queues, mac,"
				" mtu, mac_table, poll, cpu, port, in_order)", name, key);
			ret = -EINVAL;
		} else if (rte_kvargs_count(kv, key) > 1 && first_of(kv, i)) {
			CVQSIM_LOG(ERR, "%s: devarg \"%s\" given more than once",
				name, key);
			ret = -EINVAL;
		}
	}
	for (i = 0; ret == 0 && i < RTE_DIM(cvqsim_arg_parsers); i++) {
		if (rte_kvargs_count(kv, cvqsim_arg_parsers[i].key) == 0)
			continue;
		if (rte_kvargs_process(kv, cvqsim_arg_parsers[i].key,
				cvqsim_arg_parsers[i].handler, conf) < 0)
			ret = -EINVAL;
	}
	if (ret == 0 && conf->cpu >= 0 && conf->poll == CVQSIM_POLL_SERVICE) {
		CVQSIM_LOG(ERR, "%s: devarg cpu is for poll=thread or poll=adaptive;"
			" with poll=service the application maps the service to an"
			" lcore", name);
		ret = -EINVAL;
	}
	rte_kvargs_free(kv);
	return ret;
}

const char *
cvqsim_poll_mode_name(enum cvqsim_poll_mode mode)
{
	switch (mode) {
	case CVQSIM_POLL_THREAD:
		return "thread";
	case CVQSIM_POLL_SERVICE:
		return "service";
	case CVQSIM_POLL_ADAPTIVE:
		return "adaptive";
	}
	return "?";
}
