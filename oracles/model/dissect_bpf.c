// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect_bpf.c - the flow dissector model bent to a BPF flow dissector's
 * scope (ofd_dissect_bpf_rule), as kernel-rx.md 5.4 describes the
 * kernel's reference program, bpf_flow.c: the network and transport steps
 * whose rules differ from the C dissector's. dissect.c and dissect_l4.c
 * ask here first when a rule is bent, and keep their own step otherwise
 * (DIS_C_RULE); the few rules that only change a line there (the flow
 * label, the IPv4 header's options, the ports of a first fragment, the
 * record's n_proto) are bent in place.
 *
 * A drop (BPF_DROP) is DIS_BAD with the offsets where the program stood;
 * the program records ports only at a TCP or UDP header it accepts, so a
 * drop leaves them 0.
 */
#include "dissect_internal.h"

bool dis_bpf_step(struct dis *d)
{
	return !dis_bpf(d, OFD_DIS_BPF_STEPS) || ++d->bpf_steps <= DIS_BPF_MAX_STEPS;
}

static int dis_bpf_drop(struct dis *d)
{
	d->k->sport = 0;
	d->k->dport = 0;
	return DIS_BAD;
}

/*
 * One 802.1Q tag, or 802.1AD followed by 802.1Q: whether an AD tag comes
 * first is read from n_proto, the program's, not from the tag's TPID (so
 * an AD tag inside a GRE TEB tunnel is taken as a Q tag). A tag behind
 * the accepted ones drops. The tags' offsets count before each check.
 */
static int dis_bpf_vlan(struct dis *d)
{
	const uint8_t *h;
	uint16_t inner;

	if (d->bpf_nproto == 0x88a8) {
		h = dis_hdr(d, d->nhoff, 4);
		if (!h || dis_be16(h + 2) != 0x8100)
			return dis_bpf_drop(d);
		d->nhoff += 4;
	}
	h = dis_hdr(d, d->nhoff, 4);
	if (!h)
		return dis_bpf_drop(d);
	d->nhoff += 4;
	inner = dis_be16(h + 2);
	if (inner == 0x8100 || inner == 0x88a8)
		return dis_bpf_drop(d);
	d->proto = inner;
	d->bpf_nproto = inner;
	return DIS_PROTO_AGAIN;
}

int dis_bpf_proto(struct dis *d)
{
	switch (d->proto) {
	case 0x0800:
	case 0x86dd:
		return DIS_C_RULE;
	case 0x8100:
	case 0x88a8:
		return dis_bpf(d, OFD_DIS_BPF_VLAN) ? dis_bpf_vlan(d) : DIS_C_RULE;
	case 0x8847:
	case 0x8848:
		if (!dis_bpf(d, OFD_DIS_BPF_MPLS))
			return DIS_C_RULE;
		return dis_hdr(d, d->nhoff, 4) ? DIS_GOOD : dis_bpf_drop(d);
	}
	return dis_bpf(d, OFD_DIS_BPF_ETHERTYPE) ? dis_bpf_drop(d) : DIS_C_RULE;
}

#define GRE_CSUM 0x8000
#define GRE_KEY 0x2000
#define GRE_SEQ 0x1000
#define GRE_VERSION 0x0007

/* GRE version 0: csum, key and sequence stepped over unread, then
 * is_encap and STOP_AT_ENCAP, then TEB's inner Ethernet header. */
static int dis_bpf_gre(struct dis *d)
{
	const uint8_t *h = dis_hdr(d, d->nhoff, 4), *x;
	uint16_t fl;

	if (!h)
		return dis_bpf_drop(d);
	fl = dis_be16(h);
	if (fl & GRE_VERSION)
		return DIS_GOOD;
	d->nhoff += 4;
	d->nhoff += fl & GRE_CSUM ? 4 : 0;
	d->nhoff += fl & GRE_KEY ? 4 : 0;
	d->nhoff += fl & GRE_SEQ ? 4 : 0;
	d->proto = dis_be16(h + 2);
	d->k->flags |= OFD_FK_ENCAPSULATION;
	if (d->flags & OFD_FK_F_STOP_AT_ENCAP)
		return DIS_GOOD;
	if (d->proto == 0x6558) {
		x = dis_hdr(d, d->nhoff, 14);
		if (!x)
			return dis_bpf_drop(d);
		d->nhoff += 14;
		d->proto = dis_be16(x + 12);
	}
	return DIS_PROTO_AGAIN;
}

/* The transport header d->ip_proto names at d->nhoff must be whole. */
static bool dis_bpf_l4_whole(const struct dis *d)
{
	const uint8_t *h;

	switch (d->ip_proto) {
	case 6: /* TCP: a data offset of at least 5, options included */
		h = dis_hdr(d, d->nhoff, 20);
		return h && h[12] >> 4 >= 5 && dis_hdr(d, d->nhoff, (uint32_t)(h[12] >> 4) * 4);
	case 1:   /* ICMP */
	case 17:  /* UDP */
	case 136: /* UDP-Lite */
		return dis_hdr(d, d->nhoff, 8) != NULL;
	}
	return true;
}

int dis_bpf_ip_proto(struct dis *d)
{
	bool ipv6 = d->proto == 0x86dd;

	switch (d->ip_proto) {
	case 0:  /* Hop-by-Hop */
	case 60: /* Destination Options */
	case 44: /* Fragment */
		if (!ipv6)
			break;
		/* each is a step of its own (IPV6OP, IPV6FR) */
		return dis_bpf_step(d) ? DIS_C_RULE : dis_bpf_drop(d);
	case 43: /* Routing */
		if (!ipv6)
			break;
		return dis_bpf(d, OFD_DIS_BPF_ROUTING) ? dis_bpf_drop(d) : DIS_C_RULE;
	case 47:
		return dis_bpf(d, OFD_DIS_BPF_GRE) ? dis_bpf_gre(d) : DIS_C_RULE;
	case 4:  /* IP-in-IP */
	case 41: /* IPv6 in IP */
		return DIS_C_RULE;
	case 1:
	case 6:
	case 17:
	case 136:
		if (dis_bpf(d, OFD_DIS_BPF_WHOLE_HDRS) && !dis_bpf_l4_whole(d))
			return dis_bpf_drop(d);
		return DIS_C_RULE;
	}
	return dis_bpf(d, OFD_DIS_BPF_L4) ? dis_bpf_drop(d) : DIS_C_RULE;
}
