// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vnet.c - how Linux turns a virtio_net_hdr plus a frame into an skb.
 *
 * Models, Linux 6.18: net/packet/af_packet.c (__packet_snd_vnet_parse,
 * packet_snd) and include/linux/virtio_net.h (__virtio_net_hdr_to_skb),
 * as described in kernel-tx.md section 3. Every rejection here is an
 * -EINVAL (or -EMSGSIZE) from send(): the request never reaches a device.
 */
#include "model_internal.h"

#define ETH_HLEN 14
#define VLAN_HLEN 4
#define UDP_MAX_SEGMENTS 128
#define GSO_BY_FRAGS 0xffff

static int reject(struct ofd_result *res, enum ofd_reason why)
{
	ofd_result_reject(res, why, OFD_STAGE_SUBMIT);
	res->err = why == OFD_REASON_FRAME_TOO_LONG ? EMSGSIZE : EINVAL;
	return 1;
}

/* packet_extra_vlan_len_allowed grants the 4 bytes to 802.1Q only: a
 * 0x88a8 frame of MTU + 18 bytes gets EMSGSIZE (probed on 6.18.44). */
static bool is_vlan_frame(const uint8_t *p, uint32_t len)
{
	uint16_t type;

	return !ofd_get_be16(p, len, 12, &type) && type == 0x8100;
}

int model_kernel_path(const struct ofd_case *c, struct ofd_result *res)
{
	if (ofd_kpath(c, OFD_TAP_MAX_MTU) != OFD_KPATH_NONE)
		return 0;
	ofd_pr_debug("model: case %llu (%u bytes): unsupported: %s\n",
		     (unsigned long long)c->id, c->pkts[0].len, OFD_KPATH_WHY);
	ofd_result_unsupported(res, OFD_KPATH_WHY);
	return 2;
}

/*
 * packet_parse_headers: skb->protocol is the frame's ethertype (the kernel
 * engine binds its socket with protocol 0), and for a VLAN-tagged frame
 * the network header moves past up to 7 tags (vlan_get_protocol_and_depth
 * gives up at the 8th, and on a truncated tag, leaving it at 14).
 */
void model_skb_headers(struct model_skb *skb)
{
	uint16_t type = 0, t;
	uint32_t off = ETH_HLEN;
	int n = 0;

	skb->nh_off = ETH_HLEN;
	if (ofd_get_be16(skb->data, skb->len, 12, &type))
		type = 0;
	skb->protocol = type;
	if (type != 0x8100 && type != 0x88a8)
		return;
	t = type;
	while (t == 0x8100 || t == 0x88a8) {
		if (++n == 8 || ofd_get_be16(skb->data, skb->len, off + 2, &t))
			return;
		off += VLAN_HLEN;
	}
	skb->nh_off = (uint16_t)off;
}

int model_vnet_to_skb(const struct ofd_case *c, struct model_skb *skb,
		      struct ofd_result *res)
{
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	const struct ofd_pkt *pkt = &c->pkts[0];
	uint32_t len = pkt->len, hdr_len = h->hdr_len, thlen = 0, p_off;
	uint8_t base_type = h->gso_type & ~OFD_VNET_GSO_ECN;
	bool csum = h->flags & OFD_VNET_F_NEEDS_CSUM;

	skb->data = pkt->data;
	skb->len = len;
	skb->partial = false;
	skb->crc32c = c->req.csum_type == OFD_CSUM_CRC32C;
	skb->gso = false;
	skb->th_off = 0;
	model_skb_headers(skb);

	/* __packet_snd_vnet_parse: hdr_len covers at least the csum field. */
	if (csum && (uint32_t)h->csum_start + h->csum_offset + 2 > hdr_len)
		hdr_len = (uint32_t)h->csum_start + h->csum_offset + 2;
	if (hdr_len > len)
		return reject(res, OFD_REASON_HDR_LEN_PAST_FRAME);
	/* dev_validate_header: a frame must hold the Ethernet header. */
	if (len < ETH_HLEN)
		return reject(res, OFD_REASON_FRAME_TOO_SHORT);
	/* packet_snd: only non-GSO requests are held to the MTU. */
	if (h->gso_type == OFD_VNET_GSO_NONE &&
	    len > OFD_TAP_MAX_MTU + ETH_HLEN + (is_vlan_frame(pkt->data, len) ? VLAN_HLEN : 0))
		return reject(res, OFD_REASON_FRAME_TOO_LONG);

	/* __virtio_net_hdr_to_skb, in the kernel's order. */
	if (h->gso_type != OFD_VNET_GSO_NONE) {
		switch (base_type) {
		case OFD_VNET_GSO_TCPV4:
		case OFD_VNET_GSO_TCPV6:
			thlen = 20; /* fixed: TCP options count as payload */
			break;
		case OFD_VNET_GSO_UDP:
		case OFD_VNET_GSO_UDP_L4:
			thlen = 8;
			break;
		default:
			return reject(res, OFD_REASON_GSO_TYPE_INVALID);
		}
		if (h->gso_size == 0)
			return reject(res, OFD_REASON_GSO_SIZE_ZERO);
		/* virtio_net_hdr_set_proto: a frame whose ethertype reads 0
		 * gets its protocol from the GSO type (probed on 6.18.44:
		 * ethertype 0 with TCPV4 segments as IPv4, with or without
		 * NEEDS_CSUM). */
		if (!skb->protocol)
			skb->protocol = base_type == OFD_VNET_GSO_TCPV6 ? 0x86dd : 0x0800;
	}

	if (csum) {
		uint32_t start = h->csum_start, off = h->csum_offset;
		uint32_t need = start + (thlen > off + 2 ? thlen : off + 2);
		uint32_t nh_min = base_type == OFD_VNET_GSO_TCPV6 ? 40 : 20;

		if (need > len)
			return reject(res, OFD_REASON_CSUM_PAST_FRAME);
		/* skb_partial_csum_set cannot store a start this far out;
		 * frames that long never pass the MTU rule, but keep it. */
		if (start >= 65535)
			return reject(res, OFD_REASON_CSUM_START_TOO_LARGE);
		if (start < nh_min)
			return reject(res, OFD_REASON_CSUM_START_TOO_SMALL);
		p_off = start + thlen;
		skb->th_off = (uint16_t)start;
		skb->partial = true;
		skb->csum_start = (uint16_t)start;
		skb->csum_offset = (uint16_t)off;
	} else if (h->gso_type != OFD_VNET_GSO_NONE) {
		/*
		 * Without NEEDS_CSUM the kernel runs the flow dissector from
		 * skb->protocol (set from the frame by packet_parse_headers,
		 * so no ethertype-vs-type check happens on this path) and
		 * takes the transport header from it (kernel-tx.md 3.3 item
		 * 4). UFO does not say IPv4 or IPv6: a failed dissection as
		 * IPv4 is retried as IPv6, and skb->protocol stays IPv6.
		 */
		uint8_t want = base_type == OFD_VNET_GSO_TCPV4 ||
			       base_type == OFD_VNET_GSO_TCPV6 ? 6 : 17;
		uint32_t thoff;
		uint8_t ipp;

		while (model_flow_dissect(pkt->data, len, skb->protocol,
					  skb->nh_off, &thoff, &ipp)) {
			if (base_type != OFD_VNET_GSO_UDP || skb->protocol != 0x0800)
				return reject(res, OFD_REASON_GSO_UNPARSABLE);
			skb->protocol = 0x86dd;
		}
		p_off = thoff + thlen;
		if (p_off > len || ipp != want)
			return reject(res, OFD_REASON_GSO_PROTO_MISMATCH);
		skb->th_off = (uint16_t)thoff;
	} else {
		p_off = 0;
	}

	if (h->gso_type != OFD_VNET_GSO_NONE) {
		uint32_t nh_off = p_off;

		switch (base_type) {
		case OFD_VNET_GSO_UDP:
			nh_off -= thlen; /* UFO counts the UDP header as payload */
			break;
		case OFD_VNET_GSO_UDP_L4:
			if (!csum)
				return reject(res, OFD_REASON_UDP_L4_NO_CSUM);
			if (h->csum_offset != 6)
				return reject(res, OFD_REASON_GSO_CSUM_OFFSET);
			if (len - p_off > (uint32_t)h->gso_size * UDP_MAX_SEGMENTS)
				return reject(res, OFD_REASON_UDP_L4_TOO_MANY_SEGS);
			if (h->gso_type != OFD_VNET_GSO_UDP_L4)
				return reject(res, OFD_REASON_UDP_L4_ECN);
			break;
		case OFD_VNET_GSO_TCPV4:
		case OFD_VNET_GSO_TCPV6:
			if (csum && h->csum_offset != 16)
				return reject(res, OFD_REASON_GSO_CSUM_OFFSET);
			break;
		}
		if (h->gso_size == GSO_BY_FRAGS)
			return reject(res, OFD_REASON_GSO_SIZE_BY_FRAGS);
		/* "Too small packets are not really GSO ones." */
		if (len - nh_off > h->gso_size) {
			skb->gso = true;
			skb->gso_size = h->gso_size;
			skb->gso_type = h->gso_type;
		}
	}

	/* packet_alloc_skb: a frame that fits a page with the 16 bytes of
	 * link-layer headroom (LL_RESERVED_SPACE of a tap) is all linear;
	 * a bigger one puts hdr_len bytes, at least the link header, in the
	 * linear part. The hdr_len raise above keeps the csum field inside. */
	if (len + 16 < 4096 || hdr_len == 0)
		skb->linear = len;
	else
		skb->linear = hdr_len > ETH_HLEN ? hdr_len : ETH_HLEN;
	return 0;
}
