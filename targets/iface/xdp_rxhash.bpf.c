// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * xdp_rxhash.bpf.c - the iface target's rss read-back on the device
 * (iface_rss_read.c): an XDP program bound to the device port
 * (BPF_F_XDP_DEV_BOUND_ONLY, prog_ifindex) that asks the driver for the
 * receive hash and its type through the kfunc bpf_xdp_metadata_rx_hash,
 * and records them with the rx queue (ctx->rx_queue_index), the frame's
 * length and its first bytes (to tell the case's frame from other
 * traffic) in a ring buffer. Every frame passes on (XDP_PASS).
 *
 * This reads the descriptor's hash before the kernel sees it: an
 * L3-typed hash is the device's here, where tp_rxhash would already be
 * the kernel's siphash (kernel-rx.md 5.2). A driver without the kfunc
 * gets -EOPNOTSUPP from the kernel (no xmo_rx_hash op), recorded as err, and the reader
 * falls back to TPACKET_V3.
 *
 * Its own file, not targets/progs/: those are built twice (a BPF image
 * and a native parser image); this one is BPF only, built by the
 * Makefile's xdp_rxhash rule into $(O)/progs/.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "ofd_xdp_rxhash.h"

/* The kernel's enum (include/net/xdp.h); only its size matters to the
 * kfunc's signature, the bits are read in user space. */
enum xdp_rss_hash_type { OFD_XDP_RSS_TYPE_NONE = 0 };

extern int bpf_xdp_metadata_rx_hash(const struct xdp_md *ctx, __u32 *hash,
				    enum xdp_rss_hash_type *rss_type) __ksym;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 18);
} ofd_rxhash_ring SEC(".maps");

SEC("xdp")
int ofd_xdp_rxhash(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	enum xdp_rss_hash_type type = OFD_XDP_RSS_TYPE_NONE;
	struct ofd_xdp_rxhash_rec *r;
	__u32 hash = 0, i;
	int err;

	err = bpf_xdp_metadata_rx_hash(ctx, &hash, &type);
	r = bpf_ringbuf_reserve(&ofd_rxhash_ring, sizeof(*r), 0);
	if (!r)
		return XDP_PASS;
	r->hash = hash;
	r->rss_type = (__u32)type;
	r->err = err;
	r->queue = ctx->rx_queue_index;
	r->len = (__u32)(end - data);
	r->headlen = 0;
	for (i = 0; i < OFD_XDP_RXHASH_HEAD; i++) {
		__u8 *p = (__u8 *)data + i;

		if ((void *)(p + 1) > end)
			break;
		r->head[i] = *p;
		r->headlen = i + 1;
	}
	bpf_ringbuf_submit(r, 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
