// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dpdk_parse.c - a frame's headers as a DPDK application finds them.
 *
 * The application's parser is the library's: rte_net_get_ptype() with
 * rte_net_hdr_lens (lib/net/rte_net.c), which walks Ethernet, one VLAN or
 * a QinQ pair, IPv4 (options by IHL), IPv6 with up to five HBH, Routing,
 * Destination or Fragment headers (rte_net_skip_ip6_ext), and through GRE
 * and IP-in-IP into the inner packet. It does not look into UDP tunnels:
 * testpmd's csum engine recognises them by destination port (parse_vxlan:
 * 4789, parse_geneve: 6081) and so do we, then run the same
 * rte_net_get_ptype over the inner Ethernet frame.
 */
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>
#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_geneve.h>
#include <rte_ip.h>
#include <rte_mbuf_ptype.h>
#include <rte_net.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "dpdk.h"

#define PARSE_FAIL(...) (snprintf(why, why_len, __VA_ARGS__), -1)

static uint8_t l4_of(uint32_t l4_ptype)
{
	switch (l4_ptype) {
	case RTE_PTYPE_L4_TCP:
		return IPPROTO_TCP;
	case RTE_PTYPE_L4_UDP:
		return IPPROTO_UDP;
	case RTE_PTYPE_L4_SCTP:
		return IPPROTO_SCTP;
	default:
		return 0;
	}
}

static uint8_t inner_l4_of(uint32_t l4_ptype)
{
	switch (l4_ptype) {
	case RTE_PTYPE_INNER_L4_TCP:
		return IPPROTO_TCP;
	case RTE_PTYPE_INNER_L4_UDP:
		return IPPROTO_UDP;
	case RTE_PTYPE_INNER_L4_SCTP:
		return IPPROTO_SCTP;
	default:
		return 0;
	}
}

/* Whether the IPv4 header at off is a fragment (RTE_PTYPE_L4_FRAG in the
 * ptype says so too, but only for the layer that reached L4). */
static bool v4_fragment(const struct rte_mbuf *m, uint32_t off)
{
	struct rte_ipv4_hdr ip;

	if (dpdk_mbuf_read(m, off, &ip, sizeof(ip)))
		return false;
	return ip.fragment_offset &
	       rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK | RTE_IPV4_HDR_MF_FLAG);
}

/* The inner Ethernet frame of a UDP tunnel at off: rte_net_get_ptype over
 * it, the mbuf's start moved there and back (rte_pktmbuf_adj and
 * rte_pktmbuf_prepend touch no byte). */
static int parse_inner_eth(struct rte_mbuf *m, uint32_t off, struct dpdk_hdrs *h,
			   char *why, size_t why_len)
{
	struct rte_net_hdr_lens hl;
	uint32_t ptype;

	if (off >= rte_pktmbuf_data_len(m) || !rte_pktmbuf_adj(m, (uint16_t)off))
		return PARSE_FAIL("the inner frame starts past the first mbuf");
	memset(&hl, 0, sizeof(hl));
	ptype = rte_net_get_ptype(m, &hl, RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK |
				  RTE_PTYPE_L4_MASK);
	rte_pktmbuf_prepend(m, (uint16_t)off);
	switch (ptype & RTE_PTYPE_L3_MASK) {
	case RTE_PTYPE_L3_IPV4:
	case RTE_PTYPE_L3_IPV4_EXT:
		h->v6 = false;
		break;
	case RTE_PTYPE_L3_IPV6_EXT:
		h->v6_ext = true;
		/* fall through */
	case RTE_PTYPE_L3_IPV6:
		h->v6 = true;
		break;
	default:
		return PARSE_FAIL("rte_net_get_ptype finds no inner IP header");
	}
	h->l3_off = (uint16_t)(off + hl.l2_len);
	h->l3_len = (uint16_t)hl.l3_len;
	h->l4_off = h->l3_off + h->l3_len;
	h->l4_len = (uint16_t)hl.l4_len;
	h->l4_proto = l4_of(ptype & RTE_PTYPE_L4_MASK);
	return 0;
}

/* VXLAN or GENEVE on the outer UDP header, by destination port as
 * testpmd's parse_vxlan and parse_geneve do. */
static int parse_udp_tunnel(struct rte_mbuf *m, struct dpdk_hdrs *h,
			    char *why, size_t why_len)
{
	struct rte_udp_hdr uh;
	struct rte_geneve_hdr gh;
	uint16_t port;

	if (dpdk_mbuf_read(m, h->outer_l4_off, &uh, sizeof(uh)))
		return PARSE_FAIL("the outer UDP header is cut");
	port = rte_be_to_cpu_16(uh.dst_port);
	if (port == RTE_VXLAN_DEFAULT_PORT) {
		h->tunnel = DPDK_TUN_VXLAN;
		return parse_inner_eth(m, h->outer_l4_off + sizeof(uh) +
				       sizeof(struct rte_vxlan_hdr), h, why, why_len);
	}
	if (port == RTE_GENEVE_DEFAULT_PORT) {
		if (dpdk_mbuf_read(m, h->outer_l4_off + sizeof(uh), &gh, sizeof(gh)))
			return PARSE_FAIL("the GENEVE header is cut");
		/* testpmd's parse_geneve also takes IP straight after the
		 * header; rte_net_get_ptype needs an Ethernet header. */
		if (gh.proto != rte_cpu_to_be_16(RTE_GENEVE_TYPE_ETH))
			return PARSE_FAIL("GENEVE without Ethernet inside: rte_net_get_ptype "
					  "starts at an Ethernet header");
		h->tunnel = DPDK_TUN_GENEVE;
		return parse_inner_eth(m, h->outer_l4_off + sizeof(uh) + sizeof(gh) +
				       gh.opt_len * 4u, h, why, why_len);
	}
	return PARSE_FAIL("a UDP port no tunnel testpmd knows has (VXLAN 4789, GENEVE 6081)");
}

int dpdk_parse(struct rte_mbuf *m, bool want_tunnel, struct dpdk_hdrs *h,
	       char *why, size_t why_len)
{
	struct rte_net_hdr_lens hl;
	uint32_t ptype, l3, tun;

	memset(h, 0, sizeof(*h));
	memset(&hl, 0, sizeof(hl));
	ptype = rte_net_get_ptype(m, &hl, RTE_PTYPE_ALL_MASK);
	h->ptype = ptype;
	l3 = ptype & RTE_PTYPE_L3_MASK;
	switch (l3) {
	case RTE_PTYPE_L3_IPV4:
	case RTE_PTYPE_L3_IPV4_EXT:
		break;
	case RTE_PTYPE_L3_IPV6_EXT:
		h->v6_ext = true;
		/* fall through */
	case RTE_PTYPE_L3_IPV6:
		h->v6 = true;
		break;
	default:
		return PARSE_FAIL("rte_net_get_ptype finds no IP header");
	}
	h->l3_off = (uint16_t)hl.l2_len;
	h->l3_len = (uint16_t)hl.l3_len;
	h->l4_off = h->l3_off + h->l3_len;
	h->l4_len = (uint16_t)hl.l4_len;
	h->l4_proto = l4_of(ptype & RTE_PTYPE_L4_MASK);
	h->v4_frag = !h->v6 && v4_fragment(m, h->l3_off);
	if (!want_tunnel)
		return 0;

	/* The outer layers become outer_*, the inner ones are found. */
	h->outer_l3_off = h->l3_off;
	h->outer_l3_len = h->l3_len;
	h->outer_l4_off = h->l4_off;
	h->outer_v6 = h->v6;
	h->v6 = h->v6_ext = false;
	tun = ptype & RTE_PTYPE_TUNNEL_MASK;
	if (h->l4_proto == IPPROTO_UDP)
		return parse_udp_tunnel(m, h, why, why_len);
	if (tun != RTE_PTYPE_TUNNEL_GRE && tun != RTE_PTYPE_TUNNEL_NVGRE &&
	    tun != RTE_PTYPE_TUNNEL_IP)
		return PARSE_FAIL("rte_net_get_ptype finds no tunnel");
	h->tunnel = tun == RTE_PTYPE_TUNNEL_IP ? DPDK_TUN_IP : DPDK_TUN_GRE;
	switch (ptype & RTE_PTYPE_INNER_L3_MASK) {
	case RTE_PTYPE_INNER_L3_IPV4:
	case RTE_PTYPE_INNER_L3_IPV4_EXT:
		break;
	case RTE_PTYPE_INNER_L3_IPV6_EXT:
		h->v6_ext = true;
		/* fall through */
	case RTE_PTYPE_INNER_L3_IPV6:
		h->v6 = true;
		break;
	default:
		return PARSE_FAIL("rte_net_get_ptype finds no inner IP header");
	}
	h->l3_off = (uint16_t)(h->outer_l4_off + hl.tunnel_len + hl.inner_l2_len);
	h->l3_len = (uint16_t)hl.inner_l3_len;
	h->l4_off = h->l3_off + h->l3_len;
	h->l4_len = (uint16_t)hl.inner_l4_len;
	h->l4_proto = inner_l4_of(ptype & RTE_PTYPE_INNER_L4_MASK);
	h->v4_frag = !h->v6 && v4_fragment(m, h->l3_off);
	return 0;
}

/*
 * rte_mbuf_core.h's TX offload fields: l2_len..l4_len of the (inner)
 * packet, and for a tunnel outer_l2_len/outer_l3_len with l2_len spanning
 * the outer L4, the tunnel header and the inner L2 ("for a tunnel packet,
 * l2_len is the length of the tunnel header plus the inner L2", as
 * testpmd's parse_vxlan adds RTE_ETHER_VXLAN_HLEN to it).
 */
void dpdk_set_tx_lens(struct rte_mbuf *m, const struct dpdk_hdrs *h)
{
	if (h->tunnel) {
		m->outer_l2_len = h->outer_l3_off;
		m->outer_l3_len = h->outer_l3_len;
		m->l2_len = h->l3_off - h->outer_l3_off - h->outer_l3_len;
	} else {
		m->outer_l2_len = 0;
		m->outer_l3_len = 0;
		m->l2_len = h->l3_off;
	}
	m->l3_len = h->l3_len;
	m->l4_len = h->l4_len;
}
