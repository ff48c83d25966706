// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gso_walk.c - which GSO handlers the kernel calls for an skb, and where
 * one of them gives up.
 *
 * Models, Linux 6.18: net/core/gso.c (skb_mac_gso_segment), net/ipv4/
 * af_inet.c (inet_gso_segment, ipip_gso_segment), net/ipv6/ip6_offload.c
 * (ipv6_gso_segment, the extension-header pull, sit/ip4ip6/ip6ip6),
 * net/ipv4/tcp_offload.c and net/ipv6/tcpv6_offload.c (tcp4/6_gso_segment,
 * tcp_gso_segment's checks), net/ipv4/udp_offload.c and net/ipv6/
 * udp_offload.c (udp4/6_ufo_fragment, __udp_gso_segment's checks,
 * __skb_udp_tunnel_segment), net/ipv4/gre_offload.c (gre_gso_segment);
 * kernel-tx.md sections 4, 5.1-5.4, 6 and 7. Every failure is an error
 * pointer that validate_xmit_skb turns into a drop of the whole skb.
 */
#include "gso_internal.h"
#include "ofd_csum.h"

/* Probed on 6.18.44: the fragments of one send share an identification,
 * and the same case sent again gets another (a keyed hash plus a per-bucket
 * counter), so not even the kernel agrees with itself. */
static const char ufo6_why[] =
	"IPv6 UFO: the Fragment header's identification comes from "
	"ipv6_proxy_select_ident (a keyed hash and a counter) and changes with "
	"every send";

struct walk {
	const struct gso_skb *skb;
	struct gso_plan *plan;
	struct gso_verdict *v;
	uint32_t pos;        /* the header the next handler looks at */
	uint16_t proto;      /* its ethertype */
	bool encapsulation;  /* skb->encapsulation, cleared by a tunnel */
	bool inner;          /* an IP header inside a tunnel or IP-in-IP */
	int ip;              /* index in plan->h of the innermost IP header */
};

static int drop(struct walk *w, enum ofd_reason r, const char *why)
{
	w->v->unsupported = 0;
	w->v->reason = r;
	w->v->why = why;
	return -1;
}

static int unsupported(struct walk *w, const char *why)
{
	w->v->unsupported = 1;
	w->v->why = why;
	return -1;
}

static struct gso_hdr *push(struct walk *w, enum gso_hdr_kind kind,
			    uint32_t off, uint32_t hlen)
{
	struct gso_hdr *h = &w->plan->h[w->plan->nh++];

	h->kind = (uint8_t)kind;
	h->fixedid = h->udpfrag = h->csum = false;
	h->off = off;
	h->hlen = hlen;
	return h;
}

/*
 * skb_network_protocol: the ethertype behind the VLAN tags of the MAC
 * header at mac, whose network header the skb puts at mac + mac_len
 * (__vlan_get_protocol: a tag is read just before the network header,
 * then onwards while tags follow, at most 7). 0 when a tag is cut.
 */
static uint16_t network_protocol(const uint8_t *p, uint32_t len, uint16_t type,
				 uint32_t mac, uint32_t mac_len, uint32_t *nh)
{
	uint32_t depth = mac_len ? mac + mac_len - 4 : mac + 14;
	int left = 8;

	if (type == 0x6558) { /* ETH_P_TEB: the type of the inner Ethernet */
		if (ofd_get_be16(p, len, mac + 12, &type))
			return 0;
	}
	if (type == 0x8100 || type == 0x88a8) {
		do {
			if (ofd_get_be16(p, len, depth + 2, &type) || !--left)
				return 0;
			depth += 4;
		} while (type == 0x8100 || type == 0x88a8);
		*nh = depth;
	} else {
		*nh = mac + mac_len;
	}
	return type;
}

/* An Ethernet header inside a tunnel: skb_mac_gso_segment once more. */
static int inner_mac(struct walk *w, uint32_t mac)
{
	const uint8_t *p = w->skb->data;
	uint32_t len = w->skb->len, nh, mac_len = 14;
	uint16_t type;

	/* the stack's inner network header is past the inner tags */
	if (ofd_get_be16(p, len, mac + 12, &type))
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "inner Ethernet header cut short");
	while (type == 0x8100 || type == 0x88a8) {
		if (ofd_get_be16(p, len, mac + mac_len + 2, &type))
			return drop(w, OFD_REASON_GSO_NO_HANDLER, "inner VLAN tag cut short");
		mac_len += 4;
	}
	w->proto = network_protocol(p, len, 0x6558, mac, mac_len, &nh);
	w->pos = nh;
	return 0;
}

static uint32_t pseudo_of(const struct walk *w, uint32_t l4len, uint8_t proto)
{
	const struct gso_hdr *ip = &w->plan->h[w->ip];
	const uint8_t *p = w->skb->data + ip->off;

	/* the IP header the handler sees: for IPv6 its Destination Address,
	 * not a routing header's final destination (kernel-tx.md 8.1) */
	if (ip->kind == GH_IPV4)
		return ofd_pseudo_v4(p + 12, p + 16, l4len, proto);
	return ofd_pseudo_v6(p + 8, p + 24, l4len, proto);
}

/* tcp4/6_gso_segment and tcp_gso_segment's checks (5.1, 5.2). */
static int tcp(struct walk *w, bool v6)
{
	const struct gso_skb *skb = w->skb;
	struct gso_plan *plan = w->plan;
	uint32_t th = w->pos, csum_start = skb->csum_start, thlen;
	uint16_t check;

	if (!(skb->type & (v6 ? OFD_SKB_GSO_TCPV6 : OFD_SKB_GSO_TCPV4)))
		return drop(w, OFD_REASON_GSO_TYPE_MISMATCH, v6 ?
			    "TCP over IPv6 without SKB_GSO_TCPV6" :
			    "TCP over IPv4 without SKB_GSO_TCPV4");
	if (th + 20 > skb->len)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "TCP header cut short");
	check = (uint16_t)(skb->data[th + 16] << 8 | skb->data[th + 17]);
	if (!skb->partial) {
		/* Not PARTIAL (virtio without NEEDS_CSUM): the handler seeds
		 * the field from the IP header itself, with the byte count
		 * from the TCP header to the end. */
		check = ofd_fold16(pseudo_of(w, skb->len - th, 6));
		csum_start = th;
	}
	thlen = (skb->data[th + 12] >> 4) * 4u;
	if (thlen < 20)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "TCP data offset below 5");
	if (csum_start != th)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED,
			    "csum_start is not where the GSO handlers find the TCP header");
	if (th + thlen > skb->len)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "TCP options cut short");
	if (skb->len - th - thlen <= skb->mss)
		return drop(w, OFD_REASON_GSO_PAYLOAD_TOO_SMALL,
			    "TCP payload not larger than gso_size");
	push(w, GH_TCP, th, thlen);
	plan->doff = th + thlen;
	plan->l4_check = check;
	return 1;
}

/* The full UDP checksum UFO computes before slicing (6.2): seed ignored,
 * pseudo-header from the IP header, length = bytes to the frame end. */
static uint16_t ufo_csum(const struct walk *w, uint32_t uh)
{
	const uint8_t *p = w->skb->data;
	uint32_t n = w->skb->len - uh, sum;
	uint16_t c;

	sum = ofd_csum_partial(p + uh, 6, 0);
	sum = ofd_csum_block_add(sum, ofd_csum_partial(p + uh + 8, n - 8, 0), 8);
	sum = ofd_csum_add(sum, pseudo_of(w, n, 17));
	c = ofd_csum_fold(sum);
	return c ? c : 0xffff;
}

static int udp_tunnel(struct walk *w);

/* udp4/6_ufo_fragment and __udp_gso_segment's checks (6.1, 6.2). */
static int udp(struct walk *w, bool v6)
{
	const struct gso_skb *skb = w->skb;
	struct gso_plan *plan = w->plan;
	uint32_t uh = w->pos;
	if (w->encapsulation &&
	    (skb->type & (OFD_SKB_GSO_UDP_TUNNEL | OFD_SKB_GSO_UDP_TUNNEL_CSUM)))
		return udp_tunnel(w);
	if (!(skb->type & (OFD_SKB_GSO_UDP | OFD_SKB_GSO_UDP_L4)))
		return drop(w, OFD_REASON_GSO_TYPE_MISMATCH,
			    "UDP without SKB_GSO_UDP or SKB_GSO_UDP_L4");
	if (uh + 8 > skb->len)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "UDP header cut short");
	if (skb->type & OFD_SKB_GSO_UDP_L4) {
		if (skb->len - uh <= 8 + skb->mss)
			return drop(w, OFD_REASON_GSO_PAYLOAD_TOO_SMALL,
				    "UDP payload not larger than gso_size");
		if (skb->csum_start != uh)
			return drop(w, OFD_REASON_GSO_SEGMENT_FAILED,
				    "csum_start is not where the GSO handlers find the UDP header");
		push(w, GH_UDP_L4, uh, 8);
		plan->doff = uh + 8;
		plan->l4_check = (uint16_t)(skb->data[uh + 6] << 8 | skb->data[uh + 7]);
		return 1;
	}
	if (skb->len - uh <= skb->mss)
		return drop(w, OFD_REASON_GSO_PAYLOAD_TOO_SMALL,
			    "UDP datagram not larger than gso_size");
	if (v6)
		return unsupported(w, ufo6_why);
	/* UFO: the whole datagram, UDP header included, is sliced into IP
	 * fragments; the segments are CHECKSUM_UNNECESSARY (DATA_VALID). */
	push(w, GH_UFO4, uh, 8);
	plan->h[w->ip].udpfrag = true;
	plan->doff = uh;
	plan->l4_check = ufo_csum(w, uh);
	plan->meta_flags = OFD_VNET_F_DATA_VALID;
	return 1;
}

/*
 * __skb_udp_tunnel_segment (7.1). The inner MAC header is the stack's
 * skb field, which a frame does not carry: the model finds it where VXLAN
 * (UDP port 4789) and GENEVE (6081) put it.
 */
static int udp_tunnel(struct walk *w)
{
	const uint8_t *p = w->skb->data;
	uint32_t len = w->skb->len, uh = w->pos, tnl;
	uint16_t dport, type = 0x6558;
	struct gso_hdr *h;

	if (ofd_get_be16(p, len, uh + 2, &dport))
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "tunnel header cut short");
	if (dport == 4789) {
		tnl = 16;
	} else if (dport == 6081) {
		uint8_t optlen;

		if (ofd_get_u8(p, len, uh + 8, &optlen) ||
		    ofd_get_be16(p, len, uh + 10, &type))
			return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "tunnel header cut short");
		tnl = 16 + (optlen & 0x3f) * 4u;
	} else {
		return unsupported(w, "UDP tunnel GSO on a port other than VXLAN's "
				      "(4789) or GENEVE's (6081): the inner header "
				      "offset is the stack's to know");
	}
	if (uh + tnl > len)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "tunnel header cut short");
	h = push(w, GH_UDP_TNL, uh, 8);
	h->csum = w->skb->type & OFD_SKB_GSO_UDP_TUNNEL_CSUM;
	w->encapsulation = false;
	w->inner = true;
	if (type == 0x6558)
		return inner_mac(w, uh + tnl);
	w->proto = type;
	w->pos = uh + tnl;
	return 0;
}

/* gre_gso_segment (7.2): the GRE header is copied as it is. */
static int gre(struct walk *w)
{
	const uint8_t *p = w->skb->data;
	uint32_t len = w->skb->len, off = w->pos, hlen = 4;
	uint16_t flags, type;
	struct gso_hdr *h;

	if (!(w->skb->type & (OFD_SKB_GSO_GRE | OFD_SKB_GSO_GRE_CSUM)))
		return drop(w, OFD_REASON_GSO_TYPE_MISMATCH,
			    "GRE without SKB_GSO_GRE or SKB_GSO_GRE_CSUM");
	if (!w->encapsulation)
		return drop(w, OFD_REASON_GSO_TYPE_MISMATCH,
			    "GRE GSO on an skb that is not encapsulated");
	if (ofd_get_be16(p, len, off, &flags) || ofd_get_be16(p, len, off + 2, &type))
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "GRE header cut short");
	hlen += (flags & 0x8000 ? 4 : 0) + (flags & 0x2000 ? 4 : 0) +
		(flags & 0x1000 ? 4 : 0);
	if (off + hlen > len || ((w->skb->type & OFD_SKB_GSO_GRE_CSUM) && hlen < 8))
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "GRE header cut short");
	h = push(w, GH_GRE, off, hlen);
	h->csum = w->skb->type & OFD_SKB_GSO_GRE_CSUM;
	w->encapsulation = false;
	w->inner = true;
	if (type == 0x6558)
		return inner_mac(w, off + hlen);
	w->proto = type;
	w->pos = off + hlen;
	return 0;
}

/* IP-in-IP handlers: ipip/sit need IPXIP4, ip4ip6/ip6ip6 need IPXIP6. */
static int ipxip(struct walk *w, bool outer_v6, uint16_t inner_proto)
{
	uint32_t need = outer_v6 ? OFD_SKB_GSO_IPXIP6 : OFD_SKB_GSO_IPXIP4;

	if (!(w->skb->type & need))
		return drop(w, OFD_REASON_GSO_TYPE_MISMATCH, outer_v6 ?
			    "IP in IPv6 without SKB_GSO_IPXIP6" :
			    "IP in IPv4 without SKB_GSO_IPXIP4");
	w->proto = inner_proto;
	w->inner = true;
	return 0;
}

/* The handler for IP protocol next, at w->pos. 1: reached the L4 and done,
 * 0: go on with w->proto, -1: dropped. */
static int l4(struct walk *w, uint8_t next, bool v6)
{
	switch (next) {
	case 6:
		return tcp(w, v6);
	case 17:
		return udp(w, v6);
	case 4:
		return ipxip(w, v6, 0x0800);
	case 41:
		return ipxip(w, v6, 0x86dd);
	case 47:
		return gre(w);
	default:
		return drop(w, OFD_REASON_GSO_NO_HANDLER, v6 ?
			    "no GSO handler for the IPv6 next header" :
			    "no GSO handler for the IPv4 protocol");
	}
}

static int ipv4(struct walk *w)
{
	const struct gso_skb *skb = w->skb;
	uint32_t off = w->pos, ihl;
	struct gso_hdr *h;

	if (off + 20 > skb->len)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "IPv4 header cut short");
	ihl = (skb->data[off] & 0xf) * 4u;
	if (ihl < 20)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "IPv4 ihl below 5");
	if (off + ihl > skb->len)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "IPv4 options cut short");
	w->ip = (int)w->plan->nh;
	h = push(w, GH_IPV4, off, ihl);
	/* 6.18: FIXEDID for the outer (or only) header, FIXEDID_INNER for
	 * the inner one; no DF check any more (5.3, 11). */
	h->fixedid = skb->type & (w->inner ? OFD_SKB_GSO_TCP_FIXEDID_INNER :
					     OFD_SKB_GSO_TCP_FIXEDID);
	w->pos = off + ihl;
	return l4(w, skb->data[off + 9], false);
}

static int ipv6(struct walk *w)
{
	const struct gso_skb *skb = w->skb;
	uint32_t off = w->pos, q = off + 40;
	uint8_t next;

	if (off + 40 > skb->len)
		return drop(w, OFD_REASON_GSO_SEGMENT_FAILED, "IPv6 header cut short");
	w->ip = (int)w->plan->nh;
	push(w, GH_IPV6, off, 40);
	next = skb->data[off + 6];
	/* ipv6_gso_pull_exthdrs: only HBH, Routing and DstOpts are pulled
	 * (5.4); one that cannot be pulled stays the next header, which has
	 * no segmentation handler. */
	while (next == 0 || next == 43 || next == 60) {
		uint32_t l;

		if (q + 8 > skb->len)
			break;
		l = ((uint32_t)skb->data[q + 1] + 1) * 8;
		if (q + l > skb->len)
			break;
		next = skb->data[q];
		q += l;
	}
	if (next == 0 || next == 43 || next == 60)
		return drop(w, OFD_REASON_GSO_NO_HANDLER,
			    "IPv6 extension header cut short");
	w->pos = q;
	return l4(w, next, true);
}

int gso_walk(const struct gso_skb *skb, struct gso_plan *plan,
	     struct gso_verdict *v)
{
	struct walk w = {
		.skb = skb, .plan = plan, .v = v,
		.encapsulation = skb->encapsulation, .ip = -1,
	};
	int r;

	plan->in = skb->data;
	plan->len = skb->len;
	plan->type = skb->type;
	plan->mss = skb->mss;
	plan->nh = 0;
	plan->meta_flags = 0;
	v->unsupported = 0;
	v->why = NULL;
	v->reason = OFD_REASON_NONE;
	/* skb_mac_gso_segment from the MAC header (the frame start). */
	w.proto = network_protocol(skb->data, skb->len, skb->protocol, 0,
				   skb->nh_off, &w.pos);
	for (;;) {
		if (plan->nh + 3 > GSO_MAX_HDRS)
			return unsupported(&w, "more nested headers than the GSO model follows");
		switch (w.proto) {
		case 0x0800:
			r = ipv4(&w);
			break;
		case 0x86dd:
			r = ipv6(&w);
			break;
		default:
			return drop(&w, OFD_REASON_GSO_NO_HANDLER,
				    "no GSO handler for the ethertype");
		}
		if (r < 0)
			return r;
		if (r > 0)
			return 0;
	}
}
