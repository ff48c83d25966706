/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * model_internal.h - pieces of the model engine shared by its files.
 */
#ifndef OFD_MODEL_INTERNAL_H
#define OFD_MODEL_INTERNAL_H

#include "ofd.h"

/*
 * The skb the kernel builds from a request, as far as the TX paths care.
 * Offsets are from the start of the frame (the Ethernet header), which is
 * where tap and AF_PACKET SOCK_RAW measure csum_start.
 */
struct model_skb {
	const uint8_t *data;
	uint32_t len;
	uint32_t linear;       /* skb_headlen: bytes in the linear part */
	bool partial;          /* ip_summed == CHECKSUM_PARTIAL */
	bool crc32c;           /* csum_not_inet */
	uint16_t csum_start;
	uint16_t csum_offset;
	bool gso;              /* gso fields set (not a "too small" packet) */
	uint16_t gso_size;
	uint8_t gso_type;      /* vnet value, ECN bit included */
	/* What the GSO path starts from (kernel-tx.md 4): skb->protocol (the
	 * frame's ethertype, packet_parse_headers; UFO's dissector retry
	 * makes it IPv6), the network header (past any VLAN tags), and the
	 * transport header (csum_start, or the flow dissector's). */
	uint16_t protocol;
	uint16_t nh_off;
	uint16_t th_off;
};

/*
 * The device the model sends on is the kernel engine's: a tap with the
 * largest MTU a tap accepts, OFD_TAP_MAX_MTU (ofd.h). A legacy request the
 * kernel engine has no way to send (ofd_kpath: BIG TCP past 64 KB) is
 * marked unsupported with the kernel engine's reason; returns 2 then, else
 * 0. Not a kernel rule: the harness cannot reach the kernel with it.
 */
int model_kernel_path(const struct ofd_case *c, struct ofd_result *res);

/* skb->protocol and the network header as packet_parse_headers sets them
 * (vnet.c); data and len must be set. */
void model_skb_headers(struct model_skb *skb);

/*
 * Turn a request into an skb the way AF_PACKET (PACKET_VNET_HDR) and
 * virtio_net_hdr_to_skb do, or reject it. Returns 0 with *skb filled, or
 * fills a rejection into res and returns 1, or marks res unsupported and
 * returns 2.
 */
int model_vnet_to_skb(const struct ofd_case *c, struct model_skb *skb,
		      struct ofd_result *res);

/*
 * The flow dissector's basic keys (dissect_basic.c): starting at ethertype
 * proto and offset nhoff, the transport offset and IP protocol it stops
 * at, or -EINVAL where it fails.
 */
int model_flow_dissect(const uint8_t *p, uint32_t len, uint16_t proto,
		       uint32_t nhoff, uint32_t *thoff, uint8_t *ip_proto);

/*
 * skb_checksum_help / skb_crc32c_csum_help for a CHECKSUM_PARTIAL skb:
 * the output frame (input + patch) or a transmit-time rejection.
 */
void model_checksum_help(const struct model_skb *skb, struct ofd_result *res);

/* One offload's model (oracles/model/<id>.c exports ofd_model_<id>, see
 * offloads.def): execute case c into res, which the caller reset. An
 * offload whose model takes engine settings (the model's ops->params)
 * has open() read them into a state of its own, which run_with() gets
 * instead of run(). */
struct model_offload {
	void (*run)(const struct ofd_case *c, struct ofd_result *res);
	int (*open)(const struct ofd_engine_opts *o, void **state);
	void (*run_with)(const void *state, const struct ofd_case *c,
			 struct ofd_result *res);
	void (*close)(void *state);
};

#endif
