// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect_l4.c - the flow dissector model's transport protocol switch
 * (kernel-rx.md 5.1, "L4 switch"): IPv6 extension headers and the
 * Fragment header (only after an IPv6 header), GRE (versions 0 and 1),
 * IP-in-IP and IPv6-in-IP, MPLS in IP, and after every pass the ports of
 * the protocol it leaves in ip_proto, unless the packet is a fragment.
 *
 * UDP tunnels (VXLAN, GENEVE) are plain UDP here: the C dissector does
 * not enter them, so they give the outer ports and stop.
 */
#include "dissect_internal.h"

/* proto_ports_offset: where the 4 bytes of "ports" lie in a transport
 * header, -1 for protocols without them. ESP's are its SPI, AH's its SPI
 * 4 bytes in. */
static int ports_offset(uint8_t ip_proto)
{
	switch (ip_proto) {
	case 6:   /* TCP */
	case 17:  /* UDP */
	case 33:  /* DCCP */
	case 50:  /* ESP */
	case 132: /* SCTP */
	case 136: /* UDP-Lite */
		return 0;
	case 51:  /* AH */
		return 4;
	}
	return -1;
}

void dis_ports(struct dis *d)
{
	int poff = ports_offset(d->ip_proto);
	const uint8_t *h = poff < 0 ? NULL : dis_hdr(d, d->nhoff + (uint32_t)poff, 4);

	/* the key is written on every pass: 0 when there are none or they
	 * do not fit in hlen */
	d->k->sport = h ? dis_be16(h) : 0;
	d->k->dport = h ? dis_be16(h + 2) : 0;
}

#define GRE_CSUM 0x8000
#define GRE_ROUTING 0x4000
#define GRE_KEY 0x2000
#define GRE_SEQ 0x1000
#define GRE_ACK 0x0080
#define GRE_VERSION 0x0007
#define GRE_PROTO_PPP 0x880b

static enum dis_ret encap_end(struct dis *d)
{
	d->k->flags |= OFD_FK_ENCAPSULATION;
	return d->flags & OFD_FK_F_STOP_AT_ENCAP ? DIS_GOOD : DIS_PROTO_AGAIN;
}

/*
 * GRE: no routing, version 0 or 1 (1 must be PPTP: PPP with the key
 * bit), or the dissection ends good where it is. The protocol field is
 * taken before the PPTP check, so a version 1 header that is not PPTP
 * ends with it as n_proto. Checksum, key and sequence are skipped, the
 * key recorded (PPTP: its call ID, the low 16 bits); TEB continues after
 * the inner Ethernet header, PPTP after the 4-byte PPP header (with IPv4
 * or IPv6 in it; other PPP protocols continue as GRE_PROTO_PPP, which no
 * network protocol step knows).
 */
static enum dis_ret dis_gre(struct dis *d)
{
	const uint8_t *h = dis_hdr(d, d->nhoff, 4), *x;
	uint32_t off = 4, key;
	uint16_t fl, ver;

	if (!h)
		return DIS_BAD;
	fl = dis_be16(h);
	if (fl & GRE_ROUTING)
		return DIS_GOOD;
	ver = fl & GRE_VERSION;
	if (ver > 1)
		return DIS_GOOD;
	d->proto = dis_be16(h + 2);
	if (ver && !(d->proto == GRE_PROTO_PPP && (fl & GRE_KEY)))
		return DIS_GOOD;
	if (fl & GRE_CSUM)
		off += 4;
	if (fl & GRE_KEY) {
		x = dis_hdr(d, d->nhoff + off, 4);
		if (!x)
			return DIS_BAD;
		key = dis_be32(x);
		d->k->gre_keyid = ver ? key & 0xffff : key;
		off += 4;
	}
	if (fl & GRE_SEQ)
		off += 4;
	if (!ver) {
		/* on x86 (NET_IP_ALIGN 0) hlen stays the frame length after
		 * the inner Ethernet header */
		if (d->proto == 0x6558) {
			x = dis_hdr(d, d->nhoff + off, 14);
			if (!x)
				return DIS_BAD;
			d->proto = dis_be16(x + 12);
			off += 14;
		}
	} else {
		if (fl & GRE_ACK)
			off += 4;
		x = dis_hdr(d, d->nhoff + off, 4);
		if (!x)
			return DIS_BAD;
		if (dis_be16(x + 2) == 0x0021)
			d->proto = 0x0800;
		else if (dis_be16(x + 2) == 0x0057)
			d->proto = 0x86dd;
		off += 4;
	}
	d->nhoff += off;
	return encap_end(d);
}

/* Ports are taken unless the packet is a fragment; bent rules aside. */
static bool ports_wanted(const struct dis *d)
{
	uint8_t f = d->k->flags;

	if (!(f & OFD_FK_IS_FRAGMENT) || d->r->frag_ports == OFD_DIS_FRAG_PORTS_ALL)
		return true;
	return (d->r->frag_ports == OFD_DIS_FRAG_PORTS_FIRST ||
		dis_bpf(d, OFD_DIS_BPF_FRAG_PORTS)) &&
	       (f & OFD_FK_FIRST_FRAG) && (d->flags & OFD_FK_F_PARSE_1ST_FRAG);
}

enum dis_ret dis_ip_proto(struct dis *d)
{
	enum dis_ret ret = DIS_CONTINUE;
	const uint8_t *h;
	int bpf = d->r->bpf_scope ? dis_bpf_ip_proto(d) : DIS_C_RULE;

	if (bpf != DIS_C_RULE)
		return (enum dis_ret)bpf;

	switch (d->ip_proto) {
	case 47:
		ret = dis_gre(d);
		break;
	case 0:  /* Hop-by-Hop */
	case 43: /* Routing */
	case 60: /* Destination Options */
		if (d->proto != 0x86dd || d->r->no_ext_skip)
			break;
		h = dis_hdr(d, d->nhoff, 2);
		if (!h) {
			ret = DIS_BAD;
			break;
		}
		d->ip_proto = h[0];
		d->nhoff += ((uint32_t)h[1] + 1) * 8;
		ret = DIS_IPPROTO_AGAIN;
		break;
	case 44: /* Fragment */
		if (d->proto != 0x86dd)
			break;
		h = dis_hdr(d, d->nhoff, 8);
		if (!h) {
			ret = DIS_BAD;
			break;
		}
		d->k->flags |= OFD_FK_IS_FRAGMENT;
		d->nhoff += 8;
		d->ip_proto = h[0];
		ret = DIS_GOOD;
		if (!(dis_be16(h + 2) & 0xfff8)) { /* offset 0: the first */
			d->k->flags |= OFD_FK_FIRST_FRAG;
			if (d->flags & OFD_FK_F_PARSE_1ST_FRAG)
				ret = DIS_IPPROTO_AGAIN;
		}
		break;
	case 4: /* IP-in-IP */
		d->proto = 0x0800;
		ret = encap_end(d);
		break;
	case 41: /* IPv6 in IP */
		d->proto = 0x86dd;
		ret = encap_end(d);
		break;
	case 137: /* MPLS in IP */
		d->proto = 0x8847;
		ret = DIS_PROTO_AGAIN;
		break;
	default:
		/* TCP flags, ICMP, L2TPv3, ESP and AH have keys the default
		 * dissector does not use: nothing but the ports below */
		break;
	}
	if (ports_wanted(d))
		dis_ports(d);
	return ret;
}
