// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * build_finish.c - finishing a built packet: link each header to the next
 * (EtherType, protocol numbers), fill every length, then every checksum
 * the way the kernel's transmit path leaves it on the wire (kernel-tx.md
 * 2.2, 2.4, 7.2, 8.1): sums to the end of the frame, a computed 0 sent as
 * 0xffff where skb_checksum_help serves the protocol, the pseudo-header
 * over the final destination.
 */
#include <errno.h>
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_pktbuild.h"
#include "build_internal.h"

/* ---- finishing --------------------------------------------------- */

static int ethertype_of(uint8_t proto)
{
	switch (proto) {
	case OFD_P_VLAN: return 0x8100;
	case OFD_P_QINQ: return 0x88a8;
	case OFD_P_IPV4: return 0x0800;
	case OFD_P_IPV6: return 0x86dd;
	case OFD_P_ETH: return 0x6558; /* transparent Ethernet bridging */
	default: return -1;
	}
}

static int ipproto_of(uint8_t proto)
{
	switch (proto) {
	case OFD_P_HBH: return 0;
	case OFD_P_ICMP: return 1;
	case OFD_P_IPV4: return 4;
	case OFD_P_TCP: return 6;
	case OFD_P_UDP: return 17;
	case OFD_P_IPV6: return 41;
	case OFD_P_SRH: /* fall through */
	case OFD_P_RTHDR: return 43;
	case OFD_P_FRAG: return 44;
	case OFD_P_GRE: return 47;
	case OFD_P_ICMPV6: return 58;
	case OFD_P_DSTOPTS: return 60;
	case OFD_P_SCTP: return 132;
	default: return -1;
	}
}

static void link_layer(struct ofd_pktb *b, const struct ofd_pktb_layer *l,
		       const struct ofd_pktb_layer *next)
{
	uint8_t *p = b->buf + l->off;
	int v;

	if (l->flags & OFD_PKTB_L_NOLINK)
		return;
	switch (l->proto) {
	case OFD_P_ETH:
		if ((v = ethertype_of(next->proto)) >= 0)
			ofd_put_be16(p + 12, (uint16_t)v);
		break;
	case OFD_P_VLAN:
	case OFD_P_QINQ:
	case OFD_P_GRE:
	case OFD_P_GENEVE:
		if ((v = ethertype_of(next->proto)) >= 0)
			ofd_put_be16(p + 2, (uint16_t)v);
		break;
	case OFD_P_IPV4:
		if ((v = ipproto_of(next->proto)) >= 0)
			p[9] = (uint8_t)v;
		break;
	case OFD_P_IPV6:
		if ((v = ipproto_of(next->proto)) >= 0)
			p[6] = (uint8_t)v;
		break;
	case OFD_P_HBH:
	case OFD_P_DSTOPTS:
	case OFD_P_SRH:
	case OFD_P_RTHDR:
	case OFD_P_FRAG:
		if ((v = ipproto_of(next->proto)) >= 0)
			p[0] = (uint8_t)v;
		break;
	default:
		break;
	}
}

static uint32_t dgram_end(const struct ofd_pktb *b)
{
	return b->has_trailer ? b->dgram_end : b->len;
}

static int fill_lengths(struct ofd_pktb *b)
{
	uint32_t end = dgram_end(b), i;

	for (i = 0; i < b->nlayers; i++) {
		const struct ofd_pktb_layer *l = &b->layer[i];
		uint8_t *p = b->buf + l->off;
		uint32_t n = end - l->off;

		switch (l->proto) {
		case OFD_P_IPV4:
		case OFD_P_UDP:
			if (n > 0xffff && !(l->flags & OFD_PKTB_L_BIGLEN))
				return -EMSGSIZE;
			ofd_put_be16(p + (l->proto == OFD_P_UDP ? 4 : 2),
				     n > 0xffff ? 0 : (uint16_t)n);
			break;
		case OFD_P_IPV6:
			if (i + 1 < b->nlayers &&
			    (b->layer[i + 1].flags & OFD_PKTB_L_JUMBO)) {
				/* RFC 2675 2: the length after the fixed
				 * header, hop-by-hop header included. */
				ofd_put_be16(p + 4, 0);
				ofd_put_be32(b->buf + b->layer[i + 1].off + 4,
					     n - 40);
				break;
			}
			if (n - 40 > 0xffff)
				return -EMSGSIZE; /* a jumbogram needs the option */
			ofd_put_be16(p + 4, (uint16_t)(n - 40));
			break;
		default:
			break;
		}
	}
	return 0;
}

int ofd_pktb_csum_offset(const struct ofd_pktb *b, int l4)
{
	if (l4 < 0 || (uint32_t)l4 >= b->nlayers)
		return -EINVAL;
	switch (b->layer[l4].proto) {
	case OFD_P_TCP: return 16;
	case OFD_P_UDP: return 6;
	case OFD_P_ICMP:
	case OFD_P_ICMPV6: return 2;
	case OFD_P_SCTP: return 8;
	case OFD_P_GRE:
		return b->buf[b->layer[l4].off] & 0x80 ? 4 : -EINVAL;
	default: return -EINVAL;
	}
}

int ofd_pktb_pseudo(const struct ofd_pktb *b, int l4, uint32_t *sum)
{
	const struct ofd_pktb_layer *l, *ip;
	const uint8_t *daddr;
	uint32_t len;
	uint8_t proto;
	int i, ipi;

	if (l4 < 0 || (uint32_t)l4 >= b->nlayers)
		return -EINVAL;
	l = &b->layer[l4];
	switch (l->proto) {
	case OFD_P_TCP: proto = 6; break;
	case OFD_P_UDP: proto = 17; break;
	case OFD_P_ICMPV6: proto = 58; break;
	default: return -EINVAL;
	}
	for (i = l4 - 1; i >= 0 && !ofd_pktb__is_ip(b->layer[i].proto); i--)
		;
	if (i < 0)
		return -EINVAL;
	ipi = i;
	ip = &b->layer[i];
	len = dgram_end(b) - l->off;
	if (ip->proto == OFD_P_IPV4) {
		*sum = ofd_pseudo_v4(b->buf + ip->off + 12, b->buf + ip->off + 16,
				     len, proto);
		return 0;
	}
	/* RFC 8200 8.1, as ofd_parse_pseudo: the last routing header with
	 * segments left names the final destination, else the IPv6
	 * Destination Address is it. */
	daddr = b->buf + ip->off + 24;
	for (i = ipi + 1; i < l4; i++) {
		const uint8_t *final;

		if (b->layer[i].proto != OFD_P_SRH &&
		    b->layer[i].proto != OFD_P_RTHDR)
			continue;
		final = ofd_rthdr_final(b->buf + b->layer[i].off, b->layer[i].len);
		if (final)
			daddr = final;
	}
	*sum = ofd_pseudo_v6(b->buf + ip->off + 8, daddr, len, proto);
	return 0;
}

static int fill_l4(struct ofd_pktb *b, int i)
{
	const struct ofd_pktb_layer *l = &b->layer[i];
	uint8_t *p = b->buf + l->off;
	uint32_t n = b->len - l->off; /* to the frame end */
	uint32_t sum = 0, crc;
	uint16_t v;
	int fo, err;

	if (l->csum == OFD_PKTB_CSUM_KEEP)
		return 0;
	fo = ofd_pktb_csum_offset(b, i);
	if (fo < 0)
		return 0; /* GRE without the C bit */
	if (l->len < (uint32_t)fo + 2)
		return -EINVAL;

	if (l->proto == OFD_P_SCTP) {
		memset(p + 8, 0, 4);
		if (l->csum != OFD_PKTB_CSUM_FULL)
			return 0;
		crc = ~ofd_crc32c(0xffffffffu, p, n);
		p[8] = (uint8_t)crc;
		p[9] = (uint8_t)(crc >> 8);
		p[10] = (uint8_t)(crc >> 16);
		p[11] = (uint8_t)(crc >> 24);
		return 0;
	}

	if (l->proto != OFD_P_ICMP && l->proto != OFD_P_GRE) {
		err = ofd_pktb_pseudo(b, i, &sum);
		if (err)
			return err;
	}
	switch (l->csum) {
	case OFD_PKTB_CSUM_ZERO:
		v = 0;
		break;
	case OFD_PKTB_CSUM_SEED:
		v = l->proto == OFD_P_GRE ? 0 : ofd_fold16(sum);
		break;
	default:
		ofd_put_be16(p + fo, 0);
		v = ofd_csum_fold(ofd_csum_partial(p, n, sum));
		/* skb_checksum_help stores 0 as 0xffff (CSUM_MANGLED_0);
		 * gre_build_header stores what it computed. */
		if (v == 0 && l->proto != OFD_P_GRE)
			v = 0xffff;
		break;
	}
	ofd_put_be16(p + fo, v);
	return 0;
}

int ofd_pktb_finish(struct ofd_pktb *b)
{
	static const struct ofd_pktb_layer none = { .proto = OFD_P_NONE };
	uint32_t i;
	int err;

	if (b->err)
		return b->err;
	for (i = 0; i < b->nlayers; i++)
		link_layer(b, &b->layer[i],
			   i + 1 < b->nlayers ? &b->layer[i + 1] : &none);
	err = fill_lengths(b);
	if (err)
		return ofd_pktb__fail(b, err);
	for (i = 0; i < b->nlayers; i++) {
		const struct ofd_pktb_layer *l = &b->layer[i];

		if (l->proto != OFD_P_IPV4)
			continue;
		ofd_put_be16(b->buf + l->off + 10, 0);
		ofd_put_be16(b->buf + l->off + 10,
			     ofd_inet_csum(b->buf + l->off, l->len));
	}
	/* Innermost first: an outer checksum covers the inner packet. */
	for (i = b->nlayers; i-- > 0;) {
		err = fill_l4(b, (int)i);
		if (err)
			return ofd_pktb__fail(b, err);
	}
	return 0;
}

int ofd_pktb_zero_sum(struct ofd_pktb *b, int l4, uint32_t adj_off)
{
	const struct ofd_pktb_layer *l;
	uint32_t sum = 0, rel;
	uint8_t *p;
	int fo, err;

	if (l4 < 0 || (uint32_t)l4 >= b->nlayers)
		return -EINVAL;
	l = &b->layer[l4];
	if (l->proto != OFD_P_TCP && l->proto != OFD_P_UDP &&
	    l->proto != OFD_P_ICMP && l->proto != OFD_P_ICMPV6)
		return -EINVAL;
	fo = ofd_pktb_csum_offset(b, l4);
	if (adj_off < l->off || adj_off > b->len - 2 || b->len < 2)
		return -EINVAL;
	rel = adj_off - l->off;
	if (rel % 2 || rel == (uint32_t)fo)
		return -EINVAL;
	err = ofd_pktb_finish(b);
	if (err)
		return err;
	if (l->proto != OFD_P_ICMP) {
		err = ofd_pktb_pseudo(b, l4, &sum);
		if (err)
			return err;
	}
	p = b->buf + l->off;
	ofd_put_be16(p + fo, 0);
	ofd_put_be16(b->buf + adj_off, 0);
	sum = ofd_fold16(ofd_csum_partial(p, b->len - l->off, sum));
	/* Adding 0xffff - sum to the folded sum gives 0xffff without a
	 * carry, for any sum in [0, 0xffff]: the true checksum is 0. */
	ofd_put_be16(b->buf + adj_off, (uint16_t)(0xffff - sum));
	return ofd_pktb_finish(b);
}
