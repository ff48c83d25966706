/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * kernel_priv.h - the kernel engine's state, shared by its transmit path
 * and ops (kernel.c) and its receive path (kernel_rx.c).
 */
#ifndef OFD_KERNEL_PRIV_H
#define OFD_KERNEL_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "kernel_internal.h"
#include "ofd.h"
#include "ofd_gro_rules.h"

#define VNET_LEN 10          /* struct virtio_net_hdr, legacy layout */
#define KERNEL_BATCH 64      /* cases per sendmmsg() */
#define KERNEL_BUF (VNET_LEN + 256 * 1024)
#define KERNEL_MARKER_LEN 60  /* the GSO batch's case separator */
#define KERNEL_PRIO 1        /* SCHED_FIFO priority of writer and kthread */
/* The offloads whose kernel path this engine drives and observes. */
#define KERNEL_CAPS (OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO) | \
		     OFD_CAP(OFD_OFFLOAD_GRO) | OFD_CAP(OFD_OFFLOAD_RX_CSUM))

enum worker_state { W_INIT, W_IDLE, W_JOB, W_QUIT };

struct kernel_priv {
	struct ofdint_kns *ns;
	uint64_t tx_dropped;  /* last value read from the counter */
	bool batch;
	uint8_t *tbuf;        /* TX read buffer (caller's thread) */
	/* Slots 0..KERNEL_BATCH-1 for sendmmsg(), the last for tx_single. */
	struct mmsghdr msg[KERNEL_BATCH + 1];
	struct iovec iov[KERNEL_BATCH + 1][2];
	uint8_t hdr[KERNEL_BATCH + 1][VNET_LEN];
	unsigned int idx[KERNEL_BATCH];

	/* GSO requests (kernel_tso.c): sendmmsg batches of case, marker,
	 * case, marker, ...; the marker is a frame no case can make (a
	 * random tag of this engine), so the frames between two markers are
	 * one case's segments. */
	unsigned int gidx[KERNEL_BATCH];
	unsigned int ng;
	uint32_t gbound;      /* segments the batch can make at most */
	uint32_t gbytes;      /* bytes of the batch's frames */
	struct mmsghdr gmsg[2 * KERNEL_BATCH];
	struct iovec giov[KERNEL_BATCH][2];
	uint8_t ghdr[KERNEL_BATCH][VNET_LEN];
	struct iovec miov[2];
	uint8_t marker[KERNEL_MARKER_LEN];

	/* UDP tunnel GSO (kernel_tunnel.c), set up on first use. */
	struct kernel_tnl *tnl;
	int tnl_err;
	const char *tnl_why;

	/* GRO / rx-csum worker */
	struct ofd_gro_rules gro; /* the tap's gro settings (udp, vxlan) */
	bool rx_ok;
	const char *rx_why;
	bool worker_started;
	pthread_t worker;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	enum worker_state state;
	const struct ofd_case *job_cases;
	struct ofd_result *const *job_results;
	unsigned int job_n;
	int job_err;
	uint8_t *rbuf;        /* RX read buffer (worker's thread) */

	/* Receive-side judge (rxjudge.c), set up on first use. */
	struct ofdint_rxj *rxj;
	int rxj_err;
	const char *rxj_why;

	/* The rx hash reader (kernel_flowdis.c), set up on first use. */
	struct kernel_flowdis *flowdis;

	char version[128];
};

/* "the kernel produced more output than a result slot holds" */
extern const char kernel_overflow_why[];

/* virtio_net_hdr in host order: AF_PACKET uses the legacy native layout and
 * so does a tap without TUNSETVNETLE/BE. */
void kernel_vnet_put(uint8_t *b, const struct ofd_vnet_hdr *h);
void kernel_vnet_get(struct ofd_vnet_hdr *h, const uint8_t *b);
/* Append one frame read from the kernel (vnet header + frame); rx: record
 * the checksum state the receive path concluded. */
int kernel_add_frame(struct ofd_result *res, const uint8_t *buf, size_t n,
		     bool rx);

/* The transmit path (kernel.c), shared with kernel_tso.c and
 * kernel_tunnel.c. */
enum kernel_tx_way {
	KTX_DONE = -1,   /* the slot is filled (unsupported) */
	KTX_PLAIN = 0,   /* one frame out: sendmmsg batches */
	KTX_GSO = 1,     /* AF_PACKET with a GSO type: marker batches */
	KTX_TUNNEL = 2,  /* UDP tunnel GSO through tun's tunnel header */
};
int kernel_tx_drain(struct kernel_priv *kp, struct ofd_result *res,
		    unsigned int max, unsigned int *count, bool *overflow);
uint64_t kernel_tx_new_drops(struct kernel_priv *kp);
int kernel_tx_single(struct kernel_priv *kp, const struct ofd_case *c,
		     struct ofd_result *res, bool gso);
/* The virtio_net_hdr case c goes in with (AF_PACKET). */
void kernel_tx_hdr(const struct kernel_priv *kp, const struct ofd_case *c,
		   struct ofd_vnet_hdr *h);

/* Segmentation (kernel_tso.c). */
/* A stack-built (LEGACY) request's SKB_GSO bits as what the kernel can be
 * handed: NULL with *h the virtio_net_hdr (AF_PACKET) and *tunnel false,
 * NULL with *tunnel true for UDP tunnel GSO (h: the inner type, flags,
 * sizes), or a static reason naming what cannot be handed in. */
const char *kernel_tso_map(const struct ofd_case *c, struct ofd_vnet_hdr *h,
			   bool *tunnel);
/* send() refused a stack-built GSO request: why that is not the kernel's
 * answer for the skb (only virtio's). */
extern const char kernel_tso_einval_why[];
/* Most segments case c can make with header h. */
uint32_t kernel_tso_bound(const struct ofd_case *c, const struct ofd_vnet_hdr *h);
void kernel_tso_init(struct kernel_priv *kp);
/* Queue GSO case i (AF_PACKET), flushing the batch when it is full. */
int kernel_gso_add(struct kernel_priv *kp, const struct ofd_case *cases,
		   struct ofd_result *const *results, unsigned int i);
int kernel_gso_flush(struct kernel_priv *kp, const struct ofd_case *cases,
		     struct ofd_result *const *results);

/* UDP tunnel GSO (kernel_tunnel.c). */
struct kernel_tnl;
int kernel_tnl_run(struct kernel_priv *kp, const struct ofd_case *c,
		   struct ofd_result *res);
void kernel_tnl_free(struct kernel_tnl *t);

/* The receive path (kernel_rx.c): the worker thread that writes trains
 * into the IFF_NAPI tap, and handing it the receive cases of a run. */
void *kernel_rx_worker(void *arg);
int kernel_rx_submit(struct kernel_priv *kp, const struct ofd_case *cases,
		     struct ofd_result *const *results, unsigned int n);
/* kernel_rx_dev.c: the receive tap's gro settings (kp->gro) applied in
 * the namespace: 0, or -errno with a line in why. */
int kernel_rx_dev_setup(struct kernel_priv *kp, char *why, size_t why_len);

/* kernel_flowdis.c: the rx hash tap and ring. */
struct kernel_flowdis;
void kernel_flowdis_free(struct kernel_flowdis *k);

#endif
