/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The cvqsim authors
 */

#ifndef FRONTEND_H
#define FRONTEND_H

/**
 * @file
 * A vhost-user frontend: the virtio-net driver side of a device reached
 * through a vhost-user socket, passing the control queue to the device as a
 * real vring (no stock frontend does: DPDK virtio-user strips CTRL_VQ, QEMU
 * emulates the CVQ).
 *
 * Life cycle (each step returns 0 or -errno and keeps a message readable
 * with fe_dev_error()):
 *
 *   fe_config_init(&cfg); cfg.socket_path = "...";
 *   fe_dev_create(&cfg, &dev, err, sizeof(err));  guest memory, no I/O
 *   fe_dev_connect(dev);   socket, SET_OWNER, GET_FEATURES,
 *                          GET_PROTOCOL_FEATURES/SET_PROTOCOL_FEATURES,
 *                          GET_QUEUE_NUM, GET_CONFIG: what the device offers
 *   fe_dev_start(dev);     SET_FEATURES, status ACK|DRIVER|FEATURES_OK,
 *                          SET_MEM_TABLE, every vring (NUM, BASE, ADDR, KICK,
 *                          CALL, ENABLE), SET_STATUS(DRIVER_OK), RX buffers
 *   ... fe_ctrl(), fe_tx(), fe_rx_poll() ...
 *   fe_dev_stop(dev);      SET_VRING_ENABLE 0 + GET_VRING_BASE on every
 *                          vring; the returned indices are kept
 *   fe_dev_resume(dev);    new connection, same features, same memory and
 *                          rings, SET_VRING_BASE from the kept indices: what
 *                          was in flight survives
 *   fe_dev_destroy(dev);   closes everything (stops first if running)
 *
 * fe_dev_open() does create + connect + start.
 *
 * Virtqueue layout: rx k at 2k, tx k at 2k+1, the control queue at
 * 2 * max_pairs when MQ or RSS is negotiated, at 2 otherwise (max_pairs from
 * the config space's max_virtqueue_pairs, else GET_QUEUE_NUM). Exactly the
 * vrings used are created: cfg.nr_pairs data pairs (all enabled at start,
 * since a DPDK backend that called rte_vhost_driver_set_features only
 * configures the device once every created vring is ready) and the CVQ.
 *
 * Guest memory is a memfd mapped MAP_SHARED (no hugepages) with a GPA base
 * (default 0x40000000) different from its virtual address: descriptors carry
 * GPAs; ring addresses in SET_VRING_ADDR are our virtual addresses, as the
 * vhost-user protocol wants.
 *
 * Threading: one thread drives a fe_dev (no internal thread, no lock). Two
 * fe_devs may be driven by two threads. The backend may live in the same
 * process (it answers from its own thread, e.g. DPDK's vhost-events).
 *
 * Robustness: no exit(), no abort(); a backend that dies gives -EPIPE or
 * -ECONNRESET with "backend closed the connection"; a backend that writes
 * garbage in the used ring gives -EIO.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include <linux/virtio_net.h>

#include "drv_vq.h"
#include "frames.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Feature bits newer than the installed kernel uapi header. */
#ifndef VIRTIO_NET_F_DEVICE_STATS
#define VIRTIO_NET_F_DEVICE_STATS	50
#endif
#ifndef VIRTIO_NET_F_HASH_TUNNEL
#define VIRTIO_NET_F_HASH_TUNNEL	51
#endif
#ifndef VIRTIO_NET_F_VQ_NOTF_COAL
#define VIRTIO_NET_F_VQ_NOTF_COAL	52
#endif
#ifndef VIRTIO_NET_F_NOTF_COAL
#define VIRTIO_NET_F_NOTF_COAL		53
#endif
#define FE_F_PROTOCOL_FEATURES		30	/**< VHOST_USER_F_PROTOCOL_FEATURES */
#define FE_F_RING_PACKED		34	/**< VIRTIO_F_RING_PACKED */

/** Feature bit helper. */
#define FE_BIT(b)	(1ULL << (b))

/** Every feature this frontend implements (see the brief's list). */
#define FE_FEATURES_ALL (FE_BIT(32) /* VERSION_1 */ | \
	FE_BIT(27) /* ANY_LAYOUT */ | FE_BIT(28) /* INDIRECT_DESC */ | \
	FE_BIT(29) /* EVENT_IDX */ | FE_BIT(VIRTIO_NET_F_MRG_RXBUF) | \
	FE_BIT(VIRTIO_NET_F_MAC) | FE_BIT(VIRTIO_NET_F_MTU) | \
	FE_BIT(VIRTIO_NET_F_STATUS) | FE_BIT(VIRTIO_NET_F_CTRL_VQ) | \
	FE_BIT(VIRTIO_NET_F_CTRL_RX) | FE_BIT(VIRTIO_NET_F_CTRL_VLAN) | \
	FE_BIT(VIRTIO_NET_F_CTRL_RX_EXTRA) | \
	FE_BIT(VIRTIO_NET_F_GUEST_ANNOUNCE) | FE_BIT(VIRTIO_NET_F_MQ) | \
	FE_BIT(VIRTIO_NET_F_CTRL_MAC_ADDR) | \
	FE_BIT(VIRTIO_NET_F_CTRL_GUEST_OFFLOADS) | \
	FE_BIT(VIRTIO_NET_F_NOTF_COAL) | FE_BIT(VIRTIO_NET_F_VQ_NOTF_COAL) | \
	FE_BIT(VIRTIO_NET_F_DEVICE_STATS) | FE_BIT(VIRTIO_NET_F_HASH_TUNNEL) | \
	FE_BIT(VIRTIO_NET_F_RSS) | FE_BIT(VIRTIO_NET_F_HASH_REPORT) | \
	FE_BIT(FE_F_RING_PACKED) | FE_BIT(FE_F_PROTOCOL_FEATURES))

/* vhost-user protocol feature bits this frontend knows. */
#define FE_PROTO_MQ		0
#define FE_PROTO_LOG_SHMFD	1
#define FE_PROTO_REPLY_ACK	3
#define FE_PROTO_CONFIG		9
#define FE_PROTO_STATUS		16
#define FE_PROTOCOL_ALL (FE_BIT(FE_PROTO_MQ) | FE_BIT(FE_PROTO_LOG_SHMFD) | \
	FE_BIT(FE_PROTO_REPLY_ACK) | FE_BIT(FE_PROTO_CONFIG) | \
	FE_BIT(FE_PROTO_STATUS))

/**
 * Most data queue pairs one fe_dev creates: the most a vhost-user device
 * can have with a control queue (256 vrings, the CVQ of 127 pairs is 254).
 */
#define FE_MAX_PAIRS		127
/** Largest command data (after the 2-byte header) and result. */
#define FE_CTRL_MAX_DATA	8192
#define FE_CTRL_MAX_RESULT	1024

struct fe_dev;

struct fe_config {
	const char *socket_path;	/**< vhost-user server socket (required) */
	/** Features the frontend may accept (default FE_FEATURES_ALL). */
	uint64_t feature_mask;
	/**
	 * When non-zero: SET_FEATURES with exactly these bits, unchecked
	 * against the offer and dependencies (hardening tests).
	 */
	uint64_t force_features;
	/** Protocol features the frontend may accept (default FE_PROTOCOL_ALL). */
	uint64_t protocol_mask;
	/** Data queue pairs to create; 0 = the device maximum (capped). */
	uint16_t nr_pairs;
	uint16_t ring_size;		/**< data rings (default 256) */
	uint16_t ctrl_ring_size;	/**< control ring (default 64) */
	/** RX buffer bytes incl. the net header (default 2048; with
	 * MRG_RXBUF smaller values exercise merging). */
	uint32_t rx_buf_len;
	uint64_t mem_size;		/**< guest memory; 0 = computed */
	uint64_t gpa_base;		/**< default 0x40000000 */
	uint32_t ctrl_timeout_ms;	/**< fe_ctrl wait (default 1000) */
	uint32_t reply_timeout_ms;	/**< vhost-user replies (default 10000) */
	uint32_t connect_timeout_ms;	/**< socket appears (default 5000) */
	/** Busy-poll this long before sleeping on the call eventfd (ns;
	 * default 20000). */
	uint32_t ctrl_spin_ns;
	/**
	 * Drive packed virtqueues (VIRTIO_F_RING_PACKED): the device must
	 * offer it. Default false: split rings, RING_PACKED refused.
	 */
	bool packed;
	bool no_reply_ack;		/**< do not set need_reply (testing) */
	/**
	 * QEMU's restore order on a migration destination: only the control
	 * queue is enabled before DRIVER_OK; the caller enables the data
	 * vrings later (fe_vring_enable), after replaying the state.
	 */
	bool cvq_first;
	bool verbose;			/**< log every vhost-user message */
};

/** Fill @p cfg with the defaults above (socket_path NULL). */
void fe_config_init(struct fe_config *cfg);

/**
 * Allocate a device and its guest memory. Nothing is sent. Returns 0 and
 * the device in @p out, or -errno with a message in @p err.
 */
int fe_dev_create(const struct fe_config *cfg, struct fe_dev **out,
		char *err, size_t errlen);
/** Connect and learn what the device offers (see the file comment). */
int fe_dev_connect(struct fe_dev *dev);
/**
 * Connected device: negotiate, build fresh rings, bring the device to
 * DRIVER_OK. Stopped device: restart on the same connection with the same
 * rings from the bases fe_dev_stop kept (frames queued meanwhile go out).
 */
int fe_dev_start(struct fe_dev *dev);
/** Disable every vring and collect its base (GET_VRING_BASE). */
int fe_dev_stop(struct fe_dev *dev);
/**
 * After fe_dev_stop (or a dead backend): reconnect (same socket path),
 * renegotiate the same features, re-send the same memory table and rings,
 * restart each vring at the index the device reported (or our own avail
 * index if it could not report one) and bring the device to DRIVER_OK.
 */
int fe_dev_resume(struct fe_dev *dev);
/**
 * The socket the next fe_dev_resume() connects to: another backend, where
 * the device continues with the same memory, rings and features (live
 * migration between backends). Not while connected (-EBUSY).
 */
int fe_dev_set_socket(struct fe_dev *dev, const char *path);
/**
 * Reset: like stop, then forget every ring (fresh, zeroed rings on the next
 * fe_dev_start). Use it after a fault injection tainted a ring.
 */
int fe_dev_reset(struct fe_dev *dev);
/** Close the connection without any message (simulates a crash). */
void fe_dev_disconnect(struct fe_dev *dev);
/** Stop if running, close, free. NULL is ignored. */
void fe_dev_destroy(struct fe_dev *dev);
/** create + connect + start; on failure nothing is left allocated. */
int fe_dev_open(const struct fe_config *cfg, struct fe_dev **out,
		char *err, size_t errlen);

/** Last error message of the device ("" if none). */
const char *fe_dev_error(const struct fe_dev *dev);

enum fe_state {
	FE_STATE_CREATED,	/**< no connection */
	FE_STATE_CONNECTED,	/**< offers known, not negotiated */
	FE_STATE_RUNNING,	/**< DRIVER_OK sent */
	FE_STATE_STOPPED,	/**< rings disabled, bases kept */
	FE_STATE_BROKEN,	/**< backend gone or protocol error */
};
const char *fe_state_name(enum fe_state s);

struct fe_dev_info {
	enum fe_state state;
	const char *socket_path;
	uint64_t device_features;	/**< GET_FEATURES */
	uint64_t features;		/**< negotiated (SET_FEATURES) */
	uint64_t protocol_offered;	/**< GET_PROTOCOL_FEATURES */
	uint64_t protocol_features;	/**< negotiated */
	uint16_t queue_num;		/**< GET_QUEUE_NUM (0 if not asked) */
	uint16_t max_pairs;		/**< device max_virtqueue_pairs */
	uint16_t nr_pairs;		/**< data pairs created */
	uint16_t nr_vrings;		/**< vrings created (data + cvq) */
	int32_t ctrl_vq;		/**< CVQ vring index, -1 if none */
	uint16_t hdr_len;		/**< net header bytes: 12 or 20 */
	uint16_t ring_size, ctrl_ring_size;
	uint32_t rx_buf_len;
	bool mergeable;
	uint8_t status;			/**< last status we set */
	uint8_t mac[6];			/**< config mac (if MAC negotiated) */
	uint16_t mtu;			/**< config mtu (if MTU) */
	uint16_t link_status;		/**< config status (if STATUS) */
	bool have_config;		/**< GET_CONFIG answered */
	uint32_t config_len;
	uint8_t config[256];		/**< raw config space */
	uint64_t gpa_base, mem_size;
	uint64_t reconnects;		/**< successful fe_dev_resume calls */
};
int fe_dev_info_get(const struct fe_dev *dev, struct fe_dev_info *info);

/** Fresh GET_CONFIG of @p len bytes at @p off into @p buf. */
int fe_dev_read_config(struct fe_dev *dev, uint32_t off, void *buf,
		uint32_t len);
/** GET_STATUS (needs the STATUS protocol feature). */
int fe_dev_get_status(struct fe_dev *dev, uint8_t *status);
/** SET_VRING_ENABLE on one vring (as QEMU does on queue changes). */
int fe_vring_enable(struct fe_dev *dev, uint16_t vring, bool on);
/** The driver-side queue of vring @p vring (fault injection), or NULL. */
struct drv_vq *fe_dev_vq(struct fe_dev *dev, uint16_t vring);
/** Vring index of the CVQ, or -ENOTSUP if CTRL_VQ is not negotiated. */
int fe_ctrl_vq_index(const struct fe_dev *dev);
/** Base kept by the last fe_dev_stop for vring @p vring. */
int fe_dev_vring_base(const struct fe_dev *dev, uint16_t vring,
		uint16_t *base);

/**
 * Send one raw vhost-user message (hardening): request code, payload,
 * optional fds. With @p reply set, waits for a reply and copies up to
 * @p reply_len bytes of its payload into @p reply.
 */
int fe_vu_raw(struct fe_dev *dev, uint32_t request, uint32_t flags,
		const void *payload, uint32_t size, const int *fds, int nfds,
		void *reply, uint32_t reply_len);

/** Feature bit name ("CTRL_VQ", "VERSION_1", ...) or NULL. */
const char *fe_feature_name(unsigned int bit);
/** Bit of a feature name (case-insensitive, with or without the
 * VIRTIO_NET_F_ prefix), or -1. */
int fe_feature_bit(const char *name);
/** "VERSION_1 CTRL_VQ ..." into buf; returns snprintf's result. */
int fe_features_format(uint64_t features, char *buf, size_t len);

/* ---- control queue ---- */

/** How a command is laid out in descriptors. */
enum fe_ctrl_layout {
	FE_LAYOUT_SPLIT,	/**< header | each data segment | ack [| result] */
	FE_LAYOUT_ONE,		/**< header+data in one readable | ack+result */
	FE_LAYOUT_BYTES,	/**< one byte per descriptor, both directions */
	FE_LAYOUT_INDIRECT,	/**< the SPLIT chain through an indirect table */
	FE_LAYOUT_MAX
};
const char *fe_ctrl_layout_name(enum fe_ctrl_layout l);
/** Layout from its name ("split", "one", "bytes", "indirect"), or MAX. */
enum fe_ctrl_layout fe_ctrl_layout_from_name(const char *name);
/** Default layout of fe_ctrl() (initially FE_LAYOUT_SPLIT). */
int fe_ctrl_set_layout(struct fe_dev *dev, enum fe_ctrl_layout layout);
enum fe_ctrl_layout fe_ctrl_get_layout(const struct fe_dev *dev);

/** The ack byte the frontend pre-fills: the device must overwrite it. */
#define FE_CTRL_ACK_UNSET	0xff

struct fe_ctrl_req {
	uint8_t class_;
	uint8_t cmd;
	/** Command data as segments (SPLIT puts each in its descriptor). */
	const struct iovec *data;
	unsigned int n_data;
	size_t result_len;		/**< writable bytes after the ack */
	enum fe_ctrl_layout layout;
	uint64_t tag;			/**< caller's, returned in the result */
};

struct fe_ctrl_res {
	uint8_t ack;			/**< 0 OK, 1 ERR, 0xff untouched */
	uint32_t used_len;		/**< as written in the used ring */
	uint64_t rtt_ns;		/**< submit -> used seen */
	uint64_t tag;
	uint32_t result_len;		/**< bytes copied into result */
	uint8_t result[FE_CTRL_MAX_RESULT];
};

/**
 * Send one command through the control queue and wait for it (kick, spin
 * up to ctrl_spin_ns, then sleep on the call eventfd; ctrl_timeout_ms).
 * @p data/@p len is the command data (may be NULL/0); up to @p result_len
 * bytes written by the device after the ack are copied into @p result.
 * Returns 0 with @p ack (0 OK, 1 ERR, or whatever the device wrote) and
 * @p used_len filled (either may be NULL); -ENOTSUP if no CVQ, -ETIMEDOUT if
 * the device did not complete (the command stays in flight and is reaped
 * by a later call), -EIO on a bad used entry, -EPIPE if the backend died.
 */
int fe_ctrl(struct fe_dev *dev, uint8_t class_, uint8_t cmd,
		const void *data, size_t len, void *result, size_t result_len,
		uint8_t *ack, uint32_t *used_len);
/** fe_ctrl with a full request (segments, layout) and full result. */
int fe_ctrl_ex(struct fe_dev *dev, const struct fe_ctrl_req *req,
		struct fe_ctrl_res *res);
/**
 * Asynchronous: add one command to the ring (no kick). Returns 0,
 * -ENOSPC when the ring or the command slots are full.
 */
int fe_ctrl_submit(struct fe_dev *dev, const struct fe_ctrl_req *req);
/** Publish and notify submitted commands. 0 or -errno. */
int fe_ctrl_kick(struct fe_dev *dev);
/** Reap one completed command: 1 and @p res filled, 0 none, -errno. */
int fe_ctrl_poll(struct fe_dev *dev, struct fe_ctrl_res *res);
/** Commands submitted and not yet reaped. */
unsigned int fe_ctrl_in_flight(const struct fe_dev *dev);

struct fe_ctrl_bench {
	uint64_t completed, ok, err, timeouts;
	uint64_t total_ns;		/**< wall time of the whole batch */
	uint64_t rtt_min_ns, rtt_max_ns, rtt_sum_ns;
};
/**
 * Run @p count copies of @p req keeping up to @p depth in flight (throughput
 * benchmark). Fills @p st. 0, or -errno (a timeout of ctrl_timeout_ms with
 * nothing completing gives -ETIMEDOUT; st is filled up to there).
 */
int fe_ctrl_batch(struct fe_dev *dev, const struct fe_ctrl_req *req,
		uint64_t count, unsigned int depth, struct fe_ctrl_bench *st);

/* ---- traffic ---- */

/** Per data queue pair counters (driver view). */
struct fe_q_stats {
	uint64_t tx_pkts, tx_bytes;	/**< frames handed to the device */
	uint64_t tx_done;		/**< TX completions reaped */
	uint64_t tx_full;		/**< ring full, frame not sent */
	uint64_t rx_pkts, rx_bytes;	/**< frames received (bytes: L2) */
	uint64_t rx_bufs;		/**< used RX buffers consumed */
	uint64_t rx_merged;		/**< frames with num_buffers > 1 */
	uint64_t rx_bad_hdr;		/**< bad num_buffers / length */
	uint64_t rx_check_ok, rx_check_bad; /**< fe_rx_set_check results */
	uint64_t rx_out_of_order;	/**< seq below the previous one */
	uint64_t rx_hash_reported;	/**< hash_report != NONE */
};

/** One received frame as the callback sees it (valid during the call). */
struct fe_rx_pkt {
	uint16_t queue;			/**< pair index */
	const uint8_t *data;		/**< L2 frame (contiguous copy) */
	uint32_t len;
	struct virtio_net_hdr_v1_hash hdr; /**< hash fields 0 unless HASH_REPORT */
	uint16_t num_buffers;
	struct frame_info info;		/**< frame_parse() of data */
	int check;			/**< 0 ok, -EINVAL bad, 1 not checked */
};
typedef void (*fe_rx_cb)(const struct fe_rx_pkt *pkt, void *arg);

/**
 * Send @p n frames of stream @p spec (spec->count when @p n is 0) on the TX
 * queue of pair @p q. Sequence numbers come from one counter shared by all
 * queues. Reclaims completed TX buffers as needed and waits up to
 * ctrl_timeout_ms for room. Also works on a stopped (or broken) device:
 * the frames wait in the ring and the device sends them after
 * fe_dev_resume (in-flight state survives). Returns the number of frames
 * queued (>= 0) or -errno.
 */
int fe_tx(struct fe_dev *dev, uint16_t q, const struct frame_spec *spec,
		uint32_t n);
/** Send one prebuilt frame with a given net header (NULL: zeroed). */
int fe_tx_frame(struct fe_dev *dev, uint16_t q, const void *frame,
		uint32_t len, const struct virtio_net_hdr_v1 *hdr);
/**
 * Consume received frames of pair @p q (up to @p max, 0 = all pending),
 * refill RX buffers, call @p cb (may be NULL) per frame. Returns the number
 * of frames or -errno.
 */
int fe_rx_poll(struct fe_dev *dev, uint16_t q, unsigned int max,
		fe_rx_cb cb, void *arg);
/**
 * Poll every created RX queue until nothing arrived for @p quiet_ms or
 * @p timeout_ms elapsed. Returns frames received or -errno.
 */
int fe_rx_drain(struct fe_dev *dev, uint32_t quiet_ms, uint32_t timeout_ms,
		fe_rx_cb cb, void *arg);
/**
 * Check every received frame against @p spec (frame_check) and count in
 * rx_check_ok / rx_check_bad; NULL disables. The spec is copied.
 */
void fe_rx_set_check(struct fe_dev *dev, const struct frame_spec *spec);
/** Last frame received on pair @p q: header and info copied, data points
 * to a per-queue copy valid until the next poll of that queue (-ENOENT if
 * nothing was received yet). */
int fe_rx_last(const struct fe_dev *dev, uint16_t q, struct fe_rx_pkt *pkt);
int fe_stats_get(const struct fe_dev *dev, uint16_t q, struct fe_q_stats *st);
/** Sum over every created pair. */
int fe_stats_total(const struct fe_dev *dev, struct fe_q_stats *st);
void fe_stats_reset(struct fe_dev *dev);

/** CLOCK_MONOTONIC in ns (timing hooks). */
uint64_t fe_now_ns(void);

#ifdef __cplusplus
}
#endif

#endif /* FRONTEND_H */
