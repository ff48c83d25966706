// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dpdk_gso.c - tso through rte_gso_segment (lib/gso, DPDK 22.11).
 *
 * What rte_gso 22.11 segments (rte_gso.c, and the programmer's guide's
 * "Supported GSO Packet Types"): TCP/IPv4, UDP/IPv4, VXLAN with an outer
 * IPv4 and an inner TCP/IPv4 or UDP/IPv4 packet, GRE with an outer IPv4
 * and an inner TCP/IPv4, each with optional VLAN tags. Its UDP "GSO" is IP
 * fragmentation ("UDP GSO is the same as IP fragmentation", gso_udp4.c),
 * which is the kernel's UFO (virtio GSO_UDP, kernel-tx.md 6.2), not UDP
 * segmentation (GSO_UDP_L4, kernel-tx.md 6.1). Everything else is a
 * request the library cannot do, and the case is UNSUPPORTED with the
 * limit named.
 *
 * The application's steps (the guide's "How to Segment a Packet"):
 *  1. the mbuf's ol_flags (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG, or
 *     _UDP_SEG; for a tunnel also RTE_MBUF_F_TX_OUTER_IPV4 and
 *     RTE_MBUF_F_TX_TUNNEL_VXLAN/_GRE) and lengths (dpdk_set_tx_lens);
 *  2. a context: direct and indirect pools, gso_types
 *     (RTE_ETH_TX_OFFLOAD_TCP_TSO, _UDP_TSO, _VXLAN_TNL_TSO,
 *     _GRE_TNL_TSO), gso_size and flag;
 *  3. rte_gso_segment(); 0 means "not segmented, send it as it is";
 *  4. rte_gso does not compute checksums (rte_gso.h: it "doesn't update
 *     checksums for output GSO segments"), so an application that falls
 *     back to software entirely writes each segment's IPv4 header and L4
 *     checksums itself (dpdk_segment_csums);
 *  5. free the input and every segment.
 *
 * gso_size: rte_gso_ctx.gso_size is "maximum size of an output GSO
 * segment, including packet header and payload" (rte_gso.h), and the
 * payload per segment is gso_size minus the headers (gso_tcp4_segment:
 * pyld_unit_size = gso_size - hdr_offset). The kernel's gso_size is the
 * payload (the MSS), so the context gets headers + MSS: for TCP all
 * headers up to the (inner) TCP payload, for UDP fragmentation the L2 and
 * L3 headers (gso_udp4_segment fragments from the end of the IP header:
 * the UDP header is payload, as in the kernel's UFO).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>
#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_mbuf.h>

#include "dpdk.h"

enum seg_kind { SEG_TCP, SEG_UFO };

struct gso_job {
	struct dpdk_hdrs h;
	enum seg_kind kind;
	uint16_t mss;         /* the request's gso_size */
	bool fixed_id;        /* RTE_GSO_FLAG_IPID_FIXED */
	bool outer_udp_csum;  /* the tunnel's outer UDP carries a checksum */
	/* A virtio request: an unsegmented packet keeps its virtio checksum
	 * request (NEEDS_CSUM at csum_start + csum_offset). */
	bool vnet, needs_csum;
	uint16_t csum_start, csum_offset;
};

/* A packet rte_gso does not segment leaves whole: a virtio packet with
 * the checksum virtio asks for (dpdk_vhost_csum, as the GENERIC tx-csum
 * path), any other with the checksums the application writes. */
static int send_whole(struct rte_mbuf *m, const struct gso_job *j,
		      struct ofd_plugin_result *r)
{
	if (!j->vnet)
		dpdk_segment_csums(m, &j->h, j->outer_udp_csum, false);
	else if (j->needs_csum)
		dpdk_vhost_csum(m, j->csum_start, j->csum_offset);
	return dpdk_emit(r, &m, 1);
}

/* Steps 1-5 above for a job whose type rte_gso can do. */
static int gso_run(struct dpdk_priv *p, struct rte_mbuf *m, const struct gso_job *j,
		   struct ofd_plugin_result *r)
{
	const struct dpdk_hdrs *h = &j->h;
	bool ufo = j->kind == SEG_UFO;
	struct rte_gso_ctx ctx;
	uint32_t hdr, seg_size, min, out, i;
	int n, ret;

	dpdk_set_tx_lens(m, h);
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | (ufo ? RTE_MBUF_F_TX_UDP_SEG : RTE_MBUF_F_TX_TCP_SEG);
	if (h->tunnel)
		m->ol_flags |= RTE_MBUF_F_TX_OUTER_IPV4 |
			       (h->tunnel == DPDK_TUN_VXLAN ? RTE_MBUF_F_TX_TUNNEL_VXLAN :
							      RTE_MBUF_F_TX_TUNNEL_GRE);
	m->tso_segsz = j->mss;

	memset(&ctx, 0, sizeof(ctx));
	ctx.direct_pool = p->hdr_pool;
	ctx.indirect_pool = p->ind_pool;
	ctx.gso_types = ufo ? RTE_ETH_TX_OFFLOAD_UDP_TSO : RTE_ETH_TX_OFFLOAD_TCP_TSO;
	if (h->tunnel == DPDK_TUN_VXLAN)
		ctx.gso_types |= RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO;
	else if (h->tunnel == DPDK_TUN_GRE)
		ctx.gso_types |= RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO;
	ctx.flag = j->fixed_id ? RTE_GSO_FLAG_IPID_FIXED : 0;

	hdr = ufo ? h->l4_off : (uint32_t)h->l4_off + h->l4_len;
	seg_size = hdr + j->mss;
	min = ufo ? RTE_GSO_UDP_SEG_SIZE_MIN : RTE_GSO_SEG_SIZE_MIN;
	/* rte_gso_segment refuses such a context with -EINVAL
	 * (ILLEGAL_TCP_GSO_CTX / ILLEGAL_UDP_GSO_CTX): an application cannot
	 * ask for it. */
	if (seg_size < min)
		return dpdk_unsupported(r, "headers + gso_size below rte_gso's smallest segment "
					"(RTE_GSO%s_SEG_SIZE_MIN, %u bytes)", ufo ? "_UDP" : "", min);
	/* rte_gso_segment's own first test ("gso_size >= pkt_len": not
	 * segmented), made here because its gso_size is 16-bit; and for UFO
	 * its "Don't process the fragmented packet" (gso_udp4_segment),
	 * made here because the datagram's checksum is written before. */
	if (seg_size >= rte_pktmbuf_pkt_len(m) || (ufo && h->v4_frag))
		return send_whole(m, j, r);
	if (seg_size > UINT16_MAX)
		return dpdk_unsupported(r, "headers + gso_size exceed rte_gso_ctx's 16-bit gso_size");
	/* UFO: the UDP checksum spans the whole datagram, which only the
	 * first fragment's header holds, so the application writes it
	 * before fragmenting (as the kernel's udp4_ufo_fragment does,
	 * kernel-tx.md 6.2). */
	if (ufo)
		dpdk_l4_csum(m, h);
	ctx.gso_size = (uint16_t)seg_size;
	out = RTE_MIN(r->max_frames, DPDK_MAX_SEGS);
	n = rte_gso_segment(m, &ctx, p->segs, (uint16_t)out);
	if (n == -ENOMEM)
		return -ENOMEM;
	/* gso_udp4_segment rounds the payload unit down to a multiple of 8:
	 * under 8 bytes it is 0, and gso_do_segment makes empty segments
	 * until pkts_out is full, then fails. The context passed the size
	 * check, which assumes 34 header bytes (RTE_GSO_UDP_SEG_SIZE_MIN). */
	if (n == -EINVAL && ufo && !(j->mss & ~7u))
		return dpdk_unsupported(r, "UDP fragments under 8 bytes: rte_gso_segment rounds them "
					"to 0 bytes and fails (-EINVAL)");
	if (n < 0)
		return dpdk_unsupported(r, "rte_gso_segment: %s", strerror(-n));
	if (n == 0) /* an IP fragment (gso_tcp4_segment) */
		return send_whole(m, j, r);
	for (i = 0; i < (uint32_t)n; i++)
		dpdk_segment_csums(p->segs[i], h, j->outer_udp_csum, ufo);
	ret = dpdk_emit(r, p->segs, (unsigned int)n);
	for (i = 0; i < (uint32_t)n; i++)
		rte_pktmbuf_free(p->segs[i]);
	return ret;
}

/*
 * A virtio request (GENERIC): the virtio header as DPDK's vhost reads it
 * (vhost_dequeue_offload, the compliant path the vhost PMD asks for with
 * RTE_VHOST_USER_NET_COMPLIANT_OL_FLAGS), then the application:
 *  - NEEDS_CSUM: vhost writes the checksum in software itself when
 *    csum_start lies past the headers rte_net_get_ptype found or the L4
 *    is none it knows (dpdk_vhost_csum); otherwise it leaves it to the
 *    application;
 *  - gso_type TCPV4/TCPV6 on a packet whose (outer) L4 is TCP, or UDP on
 *    UDP, with gso_size != 0: an RTE_MBUF_F_RX_LRO packet of tso_segsz
 *    gso_size; any other type or L4 (a tunnel: the outer L4 is UDP or
 *    none) is not GSO for vhost, which ignores the bit (and ECN);
 *  - a GSO packet goes through rte_gso; one that is not (for vhost, or
 *    for rte_gso: gso_size not below the payload) goes out whole, its
 *    checksum the software one virtio asks for (dpdk_vhost_csum, the
 *    GENERIC tx-csum path: an application has no other code for a
 *    csum_start request, and vhost's is DPDK's).
 */
static int tso_vnet(struct dpdk_priv *p, struct rte_mbuf *m,
		    const struct ofd_plugin_request *req, struct ofd_plugin_result *r)
{
	const struct ofd_plugin_vnet_hdr *v = &req->vnet;
	uint8_t type = v->gso_type & (uint8_t)~OFD_PLUGIN_VNET_GSO_ECN;
	bool csum = v->flags & OFD_PLUGIN_VNET_F_NEEDS_CSUM, parsed, vhost_sums, gso = false;
	struct gso_job j;
	char why[96];

	memset(&j, 0, sizeof(j));
	if (type == OFD_PLUGIN_VNET_GSO_UDP_L4 && v->gso_size)
		return dpdk_unsupported(r, "virtio GSO_UDP_L4 (USO): rte_gso 22.11 has no UDP "
					"segmentation and vhost does not map it");
	parsed = dpdk_parse(m, false, &j.h, why, sizeof(why)) == 0;
	/* vhost's own software branch: an L4 it does not know, or
	 * csum_start past the headers it found. */
	vhost_sums = csum && (!parsed || !j.h.l4_proto ||
			      v->csum_start > (uint32_t)j.h.l4_off + j.h.l4_len);
	if (vhost_sums)
		dpdk_vhost_csum(m, v->csum_start, v->csum_offset);
	if (v->gso_type != OFD_PLUGIN_VNET_GSO_NONE && v->gso_size && parsed)
		gso = ((type == OFD_PLUGIN_VNET_GSO_TCPV4 || type == OFD_PLUGIN_VNET_GSO_TCPV6) &&
		       j.h.l4_proto == IPPROTO_TCP) ||
		      (type == OFD_PLUGIN_VNET_GSO_UDP && j.h.l4_proto == IPPROTO_UDP);
	j.vnet = true;
	j.needs_csum = csum && !vhost_sums;
	j.csum_start = v->csum_start;
	j.csum_offset = v->csum_offset;
	if (!gso)
		return send_whole(m, &j, r);
	j.mss = v->gso_size;
	if (type == OFD_PLUGIN_VNET_GSO_UDP) {
		if (j.h.v6)
			return dpdk_unsupported(r, "UDP/IPv6 fragmentation: rte_gso 22.11 fragments "
						"IPv4 only");
		j.kind = SEG_UFO;
		return gso_run(p, m, &j, r);
	}
	if (j.h.v6)
		return dpdk_unsupported(r, "TCP/IPv6: rte_gso 22.11 segments IPv4 only");
	j.kind = SEG_TCP;
	return gso_run(p, m, &j, r);
}

#define SKB_TUNNEL_BITS (OFD_PLUGIN_SKB_GSO_UDP_TUNNEL | OFD_PLUGIN_SKB_GSO_UDP_TUNNEL_CSUM | \
			 OFD_PLUGIN_SKB_GSO_GRE | OFD_PLUGIN_SKB_GSO_GRE_CSUM | OFD_PLUGIN_SKB_GSO_IPXIP4 | \
			 OFD_PLUGIN_SKB_GSO_IPXIP6)

static const char *tunnel_name(enum dpdk_tunnel t)
{
	static const char *const names[] = { "none", "VXLAN", "GENEVE", "GRE", "IP-in-IP" };

	return names[t];
}

/*
 * A request the stack built (PROTOCOL): skb_gso names the GSO type, which
 * the application knows as the one it built. The FIXEDID bits: rte_gso
 * has one flag, and its tunnel path applies it to the inner IPv4 ID only
 * (update_tunnel_ipv4_tcp_headers: outer_id++ always, inner_id +=
 * ipid_delta), so it stands for SKB_GSO_TCP_FIXEDID on a plain packet
 * and SKB_GSO_TCP_FIXEDID_INNER in a tunnel.
 */
static int tso_protocol(struct dpdk_priv *p, struct rte_mbuf *m,
			const struct ofd_plugin_request *req, struct ofd_plugin_result *r)
{
	uint32_t skb = req->skb_gso;
	bool tunnel = (skb & SKB_TUNNEL_BITS) || (req->proto & OFD_PLUGIN_PROTO_TUNNEL);
	struct gso_job j;
	char why[96];

	memset(&j, 0, sizeof(j));
	if (skb & OFD_PLUGIN_SKB_GSO_UDP_L4)
		return dpdk_unsupported(r, "UDP segmentation (GSO_UDP_L4): rte_gso 22.11's UDP GSO "
					"is IP fragmentation (gso_udp4.c)");
	if (skb & OFD_PLUGIN_SKB_GSO_TCPV6)
		return dpdk_unsupported(r, "TCP/IPv6: rte_gso 22.11 segments IPv4 only");
	if (!(skb & OFD_PLUGIN_SKB_GSO_TCPV4))
		return dpdk_unsupported(r, "a GSO type other than TCPv4: rte_gso 22.11 segments "
					"TCP/IPv4 and UDP/IPv4 only");
	if (skb & OFD_PLUGIN_SKB_GSO_PARTIAL)
		return dpdk_unsupported(r, "GSO_PARTIAL: rte_gso has no partial segmentation");
	if (dpdk_parse(m, tunnel, &j.h, why, sizeof(why)))
		return dpdk_unsupported(r, "%s", why);
	if (j.h.l4_proto != IPPROTO_TCP || j.h.v6)
		return dpdk_unsupported(r, "rte_net_get_ptype finds no TCP/IPv4 where the request "
					"names one");
	if (tunnel) {
		if (j.h.tunnel != DPDK_TUN_VXLAN && j.h.tunnel != DPDK_TUN_GRE)
			return dpdk_unsupported(r, "%s: rte_gso 22.11 segments VXLAN and GRE tunnels "
						"only", tunnel_name(j.h.tunnel));
		if (j.h.outer_v6)
			return dpdk_unsupported(r, "%s over IPv6: rte_gso 22.11 tunnels need an outer "
						"IPv4 header", tunnel_name(j.h.tunnel));
	}
	j.kind = SEG_TCP;
	j.mss = req->vnet.gso_size;
	j.fixed_id = skb & (tunnel ? OFD_PLUGIN_SKB_GSO_TCP_FIXEDID_INNER : OFD_PLUGIN_SKB_GSO_TCP_FIXEDID);
	j.outer_udp_csum = skb & OFD_PLUGIN_SKB_GSO_UDP_TUNNEL_CSUM;
	return gso_run(p, m, &j, r);
}

int dpdk_tso(struct dpdk_priv *p, struct rte_mbuf *m,
	     const struct ofd_plugin_request *req, struct ofd_plugin_result *r)
{
	if (req->kind == OFD_PLUGIN_REQ_GENERIC)
		return tso_vnet(p, m, req, r);
	if (req->kind == OFD_PLUGIN_REQ_PROTOCOL)
		return tso_protocol(p, m, req, r);
	return dpdk_unsupported(r, "request kind %u", req->kind);
}
