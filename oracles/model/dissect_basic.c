// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect_basic.c - the flow dissector as virtio_net_hdr_to_skb uses it
 * for a GSO request without NEEDS_CSUM (kernel-tx.md 3.3 item 4): the
 * basic keys only (transport offset and IP protocol), no flags.
 *
 * Models, Linux 6.18: net/core/flow_dissector.c __skb_flow_dissect with
 * the basic-keys dissector, as far as those two keys go:
 *  - it starts at skb->protocol and the network header, which for a
 *    VLAN-tagged frame packet_parse_headers already moved past the tags
 *    while skb->protocol stays the TPID: the dissector then reads the
 *    bytes at the network header as one more tag, as the kernel does;
 *  - IPv4: a header shorter than 20 bytes or ihl < 5 fails; fragments
 *    stop with the IPv4 protocol (no PARSE_1ST_FRAG flag);
 *  - IPv6: HBH, Routing and DstOpts are skipped by their length byte
 *    (two bytes must be readable); a Fragment header stops with the
 *    fragment's next header;
 *  - IP-in-IP, IPv6-in-IP and GRE (version 0, no routing; TEB reads the
 *    inner Ethernet header) are followed into the inner packet, since
 *    STOP_AT_ENCAP is not set;
 *  - at most 15 headers are followed, then it stops where it is;
 *  - the transport offset is where it stopped, capped at the frame length.
 * GRE version 1 (PPTP) is not followed: the model stops at GRE there, a
 * known simplification (the kernel reads the PPP header of PPTP).
 */
#include "model_internal.h"

#define MAX_HDRS 15

enum { RET_CONTINUE, RET_GOOD, RET_BAD, RET_PROTO_AGAIN, RET_IPPROTO_AGAIN };

static int dissect_gre(const uint8_t *p, uint32_t len, uint16_t *proto,
		       uint32_t *nhoff)
{
	uint16_t flags, type;
	uint32_t off = 4;

	if (ofd_get_be16(p, len, *nhoff, &flags) ||
	    ofd_get_be16(p, len, *nhoff + 2, &type))
		return RET_BAD;
	if (flags & 0x4000) /* routing present */
		return RET_GOOD;
	if ((flags & 7) != 0)
		return RET_GOOD;
	if (flags & 0x8000)
		off += 4;
	if (flags & 0x2000) {
		uint32_t key;

		if (ofd_get_be32(p, len, *nhoff + off, &key))
			return RET_BAD;
		off += 4;
	}
	if (flags & 0x1000)
		off += 4;
	if (type == 0x6558) {
		/* the whole inner Ethernet header must be there */
		if (*nhoff + off + 14 > len)
			return RET_BAD;
		type = (uint16_t)(p[*nhoff + off + 12] << 8 | p[*nhoff + off + 13]);
		off += 14;
	}
	*proto = type;
	*nhoff += off;
	return RET_PROTO_AGAIN;
}

int model_flow_dissect(const uint8_t *p, uint32_t len, uint16_t proto,
		       uint32_t nhoff, uint32_t *thoff, uint8_t *ip_proto)
{
	unsigned int nhdrs = 0;
	uint8_t ipp = 0, b;
	int ret;

proto_again:
	ret = RET_CONTINUE;
	switch (proto) {
	case 0x0800:
		if (ofd_get_u8(p, len, nhoff, &b) || nhoff + 20 > len || (b & 0xf) < 5) {
			ret = RET_BAD;
			break;
		}
		ipp = p[nhoff + 9];
		/* a fragment (MF or an offset) stops here */
		if ((p[nhoff + 6] & 0x3f) || p[nhoff + 7])
			ret = RET_GOOD;
		nhoff += (b & 0xf) * 4u;
		break;
	case 0x86dd:
		if (nhoff + 40 > len) {
			ret = RET_BAD;
			break;
		}
		ipp = p[nhoff + 6];
		nhoff += 40;
		break;
	case 0x8100:
	case 0x88a8: {
		uint16_t tpid;

		if (ofd_get_be16(p, len, nhoff + 2, &tpid)) {
			ret = RET_BAD;
			break;
		}
		proto = tpid;
		nhoff += 4;
		ret = RET_PROTO_AGAIN;
		break;
	}
	default:
		ret = RET_BAD;
		break;
	}
	switch (ret) {
	case RET_GOOD:
		goto out_good;
	case RET_PROTO_AGAIN:
		if (++nhdrs <= MAX_HDRS)
			goto proto_again;
		goto out_good;
	case RET_CONTINUE:
		break;
	default:
		return -EINVAL;
	}

ip_proto_again:
	ret = RET_CONTINUE;
	switch (ipp) {
	case 0:  /* hop-by-hop */
	case 43: /* routing */
	case 60: /* destination options */
		if (proto != 0x86dd)
			break;
		if (nhoff + 2 > len) {
			ret = RET_BAD;
			break;
		}
		ipp = p[nhoff];
		nhoff += ((uint32_t)p[nhoff + 1] + 1) * 8;
		ret = RET_IPPROTO_AGAIN;
		break;
	case 44: /* fragment */
		if (proto != 0x86dd)
			break;
		if (nhoff + 8 > len) {
			ret = RET_BAD;
			break;
		}
		ipp = p[nhoff];
		nhoff += 8;
		ret = RET_GOOD;
		break;
	case 4:
		proto = 0x0800;
		ret = RET_PROTO_AGAIN;
		break;
	case 41:
		proto = 0x86dd;
		ret = RET_PROTO_AGAIN;
		break;
	case 47:
		ret = dissect_gre(p, len, &proto, &nhoff);
		break;
	default:
		break;
	}
	switch (ret) {
	case RET_PROTO_AGAIN:
		if (++nhdrs <= MAX_HDRS)
			goto proto_again;
		goto out_good;
	case RET_IPPROTO_AGAIN:
		if (++nhdrs <= MAX_HDRS)
			goto ip_proto_again;
		goto out_good;
	case RET_GOOD:
	case RET_CONTINUE:
		goto out_good;
	default:
		return -EINVAL;
	}
out_good:
	*thoff = nhoff < len ? nhoff : len;
	*ip_proto = ipp;
	return 0;
}
