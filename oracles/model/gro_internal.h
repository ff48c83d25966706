/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * gro_internal.h - the GRO model's pieces (gro.c: engine, held flows,
 * batches; gro_ip.c: the IPv4/IPv6 rules; gro_tcp.c: the TCP rules and
 * the merged packet; gro_udp.c: UDP and VXLAN), kernel-rx.md 1-3.
 *
 * The device is the kernel engine's: an IFF_NAPI tap whose frames arrive
 * without a virtio_net_hdr request (CHECKSUM_NONE, no skb->hash),
 * gro_max_size and gro_ipv4_max_size 65536, on a kernel without
 * CONFIG_VLAN_8021Q (kernel-rx.md 3, 7.1); rx-udp-gro-forwarding,
 * rx-gro-list and a VXLAN socket on port 4789 as the rules say
 * (ofd_gro_rules.h: off, as the tap's defaults, unless the engines'
 * gro_udp and vxlan settings turn them on), no other UDP socket.
 */
#ifndef OFD_GRO_INTERNAL_H
#define OFD_GRO_INTERNAL_H

#include "model_internal.h"
#include "ofd_gro_rules.h"

#define GRO_ETH_HLEN 14
#define GRO_MAX_HELD 8          /* MAX_GRO_SKBS, one bucket (kernel-rx.md 7.1) */
#define GRO_BUDGET 64           /* tun's NAPI weight (kernel-rx.md 7.1) */
#define GRO_MAX_SIZE 65536u     /* gro_max_size default (kernel-rx.md 1.7) */
#define GRO_TUN_LINEAR_MAX 4032 /* PAGE_SIZE - NET_SKB_PAD: all linear below */
#define GRO_TUN_GOOD_LINEAR 3712 /* SKB_MAX_HEAD(NET_SKB_PAD) on 4 KB pages */
#define GRO_MAX_TRAIN 4096      /* frames per case the model keeps state for */

/* TCP flag word bits (the 32-bit word at TCP offset 12, kernel-rx.md 1.6). */
#define GRO_TCP_FIN 0x00010000u
#define GRO_TCP_SYN 0x00020000u
#define GRO_TCP_RST 0x00040000u
#define GRO_TCP_PSH 0x00080000u
#define GRO_TCP_URG 0x00200000u
#define GRO_TCP_CWR 0x00800000u

/* What the L3 or L4 handler made of S. */
enum gro_verdict {
	GRO_GO = 0,       /* on to the next handler */
	GRO_BYPASS,       /* PASS(S), held packets untouched (kernel-rx.md 1.2) */
};

/* One input frame as GRO sees it. */
struct gro_seg {
	const uint8_t *d;
	uint32_t len;
	uint16_t nh[2];   /* network header offsets: outer, inner (3) */
	bool encap;       /* NAPI_GRO_CB(skb)->encap_mark: nh[1] is set */
	uint16_t th;      /* transport header offset */
	uint16_t poff;    /* payload offset (after the TCP header) */
	uint32_t plen;    /* skb_gro_len at TCP: payload bytes */
	uint8_t proto;    /* the L4 protocol GRO dispatched to */
	uint16_t uh;      /* VXLAN, GENEVE: the outer UDP header's offset,
			   * else 0 */
	bool flush;       /* NAPI_GRO_CB(skb)->flush */
	uint8_t valid;    /* checksums GRO validated: CHECKSUM_UNNECESSARY
			   * with csum_level valid - 1 (each validation
			   * raises it, 1.8), 0: NONE */
	bool flist;       /* NAPI_GRO_CB(skb)->is_flist: fraglist GRO
			   * (rx-gro-list, kernel-rx.md 1.11, 2.1) */
	int32_t next;     /* the next member of its aggregate, -1 */
};

/* A held packet P: the first segment's headers and its members' payloads. */
struct gro_flow {
	uint32_t first, last;  /* segment indices */
	uint32_t count;        /* NAPI_GRO_CB(p)->count */
	uint32_t iplen;        /* p->len from the network header */
	uint32_t payload;      /* payload bytes held */
	uint16_t gso_size;     /* the first segment's payload */
	uint8_t fixedid;       /* ip_fixedid: a bit per header level (1.5) */
	uint8_t fin_psh;       /* FIN/PSH ORed in by merged segments (byte 13) */
	bool same_flow;        /* scratch: still a candidate for S */
};

struct gro_state {
	const struct ofd_gro_rules *r; /* the kernel's, or a device's */
	const struct ofd_case *c;
	struct ofd_result *res;
	struct gro_seg *seg;
	struct gro_flow held[GRO_MAX_HELD]; /* oldest first */
	unsigned int nheld;
	bool overflow;
};

/* The first segment of a held packet. */
static inline const struct gro_seg *gro_head(const struct gro_state *st,
					     const struct gro_flow *p)
{
	return &st->seg[p->first];
}

/* gro_ip.c: the IPv4/IPv6 receive handlers for S (kernel-rx.md 1.3, 1.4)
 * and the IP-in-IP and GRE ones (3): sets s->nh, s->th, s->proto,
 * s->flush and narrows the held flows' same_flow. */
enum gro_verdict gro_ip_receive(struct gro_state *st, struct gro_seg *s,
				uint16_t ethertype);
/* The IPv4/IPv6 handler of ethertype for an inner header at off (a
 * GENEVE packet that carries no Ethernet); GRO_BYPASS for any other. */
enum gro_verdict gro_l3_receive(struct gro_state *st, struct gro_seg *s,
				uint32_t off, uint16_t ethertype);
/* eth_gro_receive on an inner Ethernet header at off (gretap, VXLAN):
 * held packets with another inner MAC header leave S's flow, then the
 * inner ethertype's handler (3). */
enum gro_verdict gro_eth_receive(struct gro_state *st, struct gro_seg *s,
				 uint32_t off);
/* The network flush of S against P (kernel-rx.md 1.5): true on a
 * mismatch; may mark P fixed-ID. */
bool gro_ip_network_flush(const struct gro_state *st, const struct gro_seg *s,
			  struct gro_flow *p);
/* The pseudo-header sum of S for an L4 length (IPv4 or IPv6 header). */
uint32_t gro_ip_pseudo(const struct gro_seg *s, uint8_t proto, uint32_t l4len);
/* The same for the IP header of one level (0 outer, 1 inner). */
uint32_t gro_ip_pseudo_level(const struct gro_seg *s, unsigned int level,
			     uint8_t proto, uint32_t l4len);
/* inet_gro_complete / ipv6_gro_complete on the merged frame m, for every
 * IP header of head segment h. */
void gro_ip_complete(uint8_t *m, uint32_t len, const struct gro_seg *h);

/* gro_tcp.c: tcp4/6_gro_receive for S; *pp receives the index of the held
 * packet to flush (or -1) and *merged whether S joined it. */
enum gro_verdict gro_tcp_receive(struct gro_state *st, uint32_t si, int *pp,
				 bool *merged);
/* The L4 checksum of S in software (CHECKSUM_NONE, 1.8): good or not. */
bool gro_l4_csum_ok(const struct gro_seg *s, uint8_t proto);
/* The youngest held candidate of S's protocol and port pair, or -1. */
int gro_lookup(const struct gro_state *st, const struct gro_seg *s);

/* gro_udp.c: udp4/6_gro_receive for S (kernel-rx.md 2): the checksum,
 * then udp_gro_receive_segment when the device's rules aggregate UDP
 * (*pp, *merged as for TCP), or VXLAN's tunnel GRO into the inner
 * packet's handlers (3). */
enum gro_verdict gro_udp_receive(struct gro_state *st, uint32_t si, int *pp,
				 bool *merged);
/* gro_complete of a TCP (or coalesced UDP) packet held with count > 1
 * into res. */
int gro_tcp_complete(struct gro_state *st, const struct gro_flow *p);

#endif
