/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * dissect_internal.h - what the flow dissector model's two halves share:
 * dissect.c (the walk and the link/network protocols) and dissect_l4.c
 * (the transport protocol switch: IPv6 extension headers, GRE, tunnels,
 * ports).
 */
#ifndef OFD_DISSECT_INTERNAL_H
#define OFD_DISSECT_INTERNAL_H

#include "ofd_dissect.h"

/* What a protocol step tells the walk (enum flow_dissect_ret). */
enum dis_ret {
	DIS_CONTINUE = 0, /* go on to the transport protocol */
	DIS_GOOD,         /* stop, the dissection succeeded */
	DIS_BAD,          /* stop, it failed */
	DIS_PROTO_AGAIN,  /* another network protocol follows */
	DIS_IPPROTO_AGAIN,/* another transport protocol follows */
};

/* MAX_FLOW_DISSECT_HDRS: protocol steps after the first (kernel-rx.md 5.1) */
#define DIS_MAX_HDRS 15

/* The walk's state: the kernel's local variables, and the keys. */
struct dis {
	const uint8_t *p;
	uint32_t hlen;      /* bytes the dissector may read: the frame */
	uint32_t flags;     /* OFD_FK_F_* */
	const struct ofd_dissect_rules *r;
	struct ofd_flow_keys *k;
	uint32_t nhoff;     /* the next header's offset (may pass hlen) */
	uint32_t l3off;     /* where the last network protocol step began */
	uint16_t proto;     /* ethertype of the header at nhoff */
	uint8_t ip_proto;
	uint8_t vlan_depth; /* tags met: the first fills the VLAN key */
	bool nested;        /* inside an IP-in-IP / GRE encapsulation */
	/* bpf_flow.c's scope (ofd_dissect_bpf_rule): its n_proto, which
	 * only a VLAN step changes, and the steps (tail calls) taken */
	uint16_t bpf_nproto;
	uint8_t bpf_steps;
};

/* A step of dissect_bpf.c that leaves the frame to the C rule. */
#define DIS_C_RULE (-1)

/* MAX_TAIL_CALL_CNT: the steps a BPF program of tail calls may take */
#define DIS_BPF_MAX_STEPS 33

static inline bool dis_bpf(const struct dis *d, unsigned int rule)
{
	return (d->r->bpf_scope & rule) != 0;
}

/* __skb_header_pointer over the skb-less data: the n bytes at off when
 * they lie within hlen, else NULL. */
static inline const uint8_t *dis_hdr(const struct dis *d, uint32_t off, uint32_t n)
{
	if (off > d->hlen || d->hlen - off < n)
		return NULL;
	return d->p + off;
}

static inline uint16_t dis_be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline uint32_t dis_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* dissect_l4.c: one pass of the transport protocol switch, then the
 * ports of what it leaves in ip_proto (unless a fragment). */
enum dis_ret dis_ip_proto(struct dis *d);
/* dissect_l4.c: 4 bytes of ports at the current transport offset, 0
 * when ip_proto has none or they do not fit (skb_flow_get_ports). */
void dis_ports(struct dis *d);

/* dissect_bpf.c: bpf_flow.c's steps where its scope differs from the C
 * dissector's, or DIS_C_RULE. dis_bpf_step: one more step, false when a
 * BPF program would be out of tail calls (then it drops). */
int dis_bpf_proto(struct dis *d);
int dis_bpf_ip_proto(struct dis *d);
bool dis_bpf_step(struct dis *d);

#endif
