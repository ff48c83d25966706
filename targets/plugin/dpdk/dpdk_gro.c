// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dpdk_gro.c - gro through rte_gro (lib/gro, DPDK 22.11; the library is
 * unchanged from v22.11 to v22.11.11).
 *
 * What rte_gro 22.11 coalesces (rte_gro.h, RTE_GRO_TYPE_SUPPORT_NUM):
 * TCP/IPv4 (gro_tcp4.c), VXLAN with an outer IPv4 and an inner TCP/IPv4
 * (gro_vxlan_tcp4.c), "UDP/IPv4" (gro_udp4.c, which is IPv4 fragment
 * reassembly: it takes fragments only, "Don't process non-fragment
 * packet") and VXLAN with an inner UDP/IPv4 fragment (gro_vxlan_udp4.c).
 * TCP/IPv6 arrived in 23.07 (gro_tcp6.c): 22.11 hands IPv6 back untouched.
 * All four types are asked for.
 *
 * Lightweight mode, one rte_gro_reassemble_burst per NAPI batch: a train's
 * flush points (OFD_PLUGIN_PKT_F_FLUSH_AFTER) are where a NAPI poll ends,
 * and one rte_eth_rx_burst's packets are what a DPDK application hands the
 * burst call (testpmd's csum engine with `set gro flush 1`, the default
 * GRO_DEFAULT_FLUSH_CYCLES). Every packet comes back at the end of the call,
 * as the kernel's poll end flushes everything it holds (kernel-rx.md 1.10).
 * The heavyweight mode (rte_gro_ctx + rte_gro_timeout_flush) flushes by
 * rte_rdtsc() age, which would make the output depend on the host's clock;
 * flushing it with timeout 0 at every batch end is the burst call again.
 * The parameters are testpmd's (GRO_DEFAULT_FLOW_NUM 4 x
 * GRO_DEFAULT_ITEM_NUM_PER_FLOW 32 = RTE_GRO_MAX_BURST_ITEM_NUM, 128 items):
 * the burst call never holds more than 128 packets, and a batch longer
 * than that is handed over in bursts of 128, as an rx burst would be.
 *
 * rte_gro reads mbuf fields an application sets: packet_type (which table
 * a packet goes to: IS_IPV4_TCP_PKT and friends in rte_gro.c) and
 * l2_len..l4_len (outer_l2_len, outer_l3_len for VXLAN). A NIC fills
 * packet_type; in software it is rte_net_get_ptype's, plus the VXLAN tunnel
 * bits for UDP port 4789 (rte_net_get_ptype does not look into UDP
 * tunnels; testpmd's parse_vxlan recognises VXLAN by that port too).
 * rte_gro then reads the headers through plain pointers from the first
 * mbuf (gro_tcp4_reassemble: rte_pktmbuf_mtod + l2_len ...) without a
 * bound, so a packet whose headers are not all in its first mbuf gets no
 * packet_type: rte_gro hands it back as it came.
 *
 * The output, as the application hands it to the kernel through
 * virtio-user (drivers/net/virtio: rte_eth_tx_prepare, then
 * virtqueue_xmit_offload writing the virtio_net_hdr):
 *  - a packet rte_gro did not merge goes out without offload flags: the
 *    virtio_net_hdr is all zero and the bytes are what rte_gro left (it
 *    may have trimmed Ethernet padding: gro_tcp4_reassemble "trim the tail
 *    padding bytes" runs before any test that hands a packet back). No
 *    metadata is reported: the kernel would run its own checks on it.
 *  - a merged TCP/IPv4 packet goes out as a virtio TSO packet: ol_flags
 *    RTE_MBUF_F_TX_IPV4 | _IP_CKSUM | _TCP_SEG, so rte_net_intel_cksum_prepare
 *    writes the TCP pseudo-header sum without the length and
 *    virtio_tso_fix_cksum recomputes the IPv4 header checksum and adds the
 *    length (fix_tso below). rte_gro itself "doesn't re-calculate
 *    checksums for merged packets" (rte_gro.h). virtqueue_xmit_offload
 *    gives gso_type TCPV4, NEEDS_CSUM at l2_len + l3_len, offset 16, and
 *    gso_size = tso_segsz, which rte_gro leaves as it was (0 on a packet
 *    received in software, and virtio refuses a GSO packet of gso_size 0):
 *    the application sets it to the first packet's payload, the size the
 *    kernel's GRO records (kernel-rx.md 1.1), the only one it can know.
 *    The frame's metadata says so (META_GSO: gso_size, gso_segs,
 *    SKB_GSO_TCPV4).
 *  - a merged VXLAN packet: virtio 22.11 has no tunnel GSO (no
 *    VIRTIO_NET_F_HOST_UDP_TUNNEL_GSO; virtqueue_xmit_offload writes an
 *    inner TCPV4 type with an outer-relative csum_start only for tunnel
 *    TSO it never advertises), so it goes out as a plain frame: both IPv4
 *    header checksums recomputed (rte_ipv4_cksum, as testpmd's
 *    pkts_ip_csum_recalc does after GRO), the L4 checksums as rte_gro
 *    leaves them (the first packet's).
 *  - reassembled IPv4 fragments (the "UDP" types): the IPv4 header
 *    checksum recomputed, nothing else touched.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <netinet/in.h>
#include <rte_byteorder.h>
#include <rte_gro.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_ptype.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>
#include <rte_vxlan.h>

#include "dpdk.h"

/* testpmd.h: GRO_DEFAULT_FLOW_NUM x GRO_DEFAULT_ITEM_NUM_PER_FLOW. */
#define GRO_FLOWS 4u
#define GRO_ITEMS_PER_FLOW 32u
#define GRO_BURST RTE_GRO_MAX_BURST_ITEM_NUM

/* One input packet of the train: its head mbuf and what the application
 * knew of it before rte_gro. */
struct gro_in {
	struct rte_mbuf *m;
	uint16_t nb_segs; /* before rte_gro: more afterwards means merged */
	uint16_t payload; /* TCP payload by the IP length: the first's is gso_size */
	uint16_t ipoff[2]; /* IPv4 headers to re-checksum, 0: none */
	bool tcp4;         /* plain TCP/IPv4: the virtio TSO hand-off */
};

/* The headers rte_gro will read through plain pointers lie in m's first
 * mbuf. */
static bool hdrs_in_first(const struct rte_mbuf *m, uint32_t end)
{
	return end <= rte_pktmbuf_data_len(m);
}

/*
 * packet_type and the lengths rte_gro reads, as an application sets them
 * (see the top); records what the output step needs.
 */
static void classify(struct rte_mbuf *m, struct gro_in *in)
{
	struct dpdk_hdrs h, t;
	struct rte_udp_hdr uh;
	struct rte_ipv4_hdr ip;
	uint32_t ptype, end;
	char why[96];

	m->packet_type = 0;
	if (dpdk_parse(m, false, &h, why, sizeof(why)) || h.v6)
		return; /* no IPv4: no rte_gro type takes it */
	ptype = h.ptype;
	if (h.l4_proto == IPPROTO_UDP && !h.v4_frag &&
	    !dpdk_mbuf_read(m, h.l4_off, &uh, sizeof(uh)) &&
	    uh.dst_port == rte_cpu_to_be_16(RTE_VXLAN_DEFAULT_PORT) &&
	    !dpdk_parse(m, true, &t, why, sizeof(why)) && t.tunnel == DPDK_TUN_VXLAN &&
	    !t.v6 && (t.l4_proto == IPPROTO_TCP || t.v4_frag)) {
		/* What a NIC that classifies VXLAN reports (RTE_PTYPE_TUNNEL_VXLAN
		 * and the inner layers: IS_IPV4_VXLAN_TCP4_PKT/_UDP4_PKT). */
		ptype = (ptype & (RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)) |
			RTE_PTYPE_TUNNEL_VXLAN | RTE_PTYPE_INNER_L2_ETHER | RTE_PTYPE_INNER_L3_IPV4 |
			(t.v4_frag ? RTE_PTYPE_INNER_L4_FRAG : RTE_PTYPE_INNER_L4_TCP);
		h = t;
		in->ipoff[0] = h.outer_l3_off;
		in->ipoff[1] = h.l3_off;
	} else {
		in->ipoff[0] = h.l3_off;
		in->tcp4 = h.l4_proto == IPPROTO_TCP && !h.v4_frag;
	}
	dpdk_set_tx_lens(m, &h);
	/* The TCP tables read up to the (inner) TCP header; the "UDP" ones
	 * (fragments) up to the end of the (inner) IPv4 header and decide
	 * themselves that a whole datagram is none of theirs. */
	end = (uint32_t)h.l4_off + (h.l4_proto == IPPROTO_TCP && !h.v4_frag ? h.l4_len : 0);
	if (!hdrs_in_first(m, end))
		return;
	m->packet_type = ptype;
	if (!h.v4_frag && !dpdk_mbuf_read(m, h.l3_off, &ip, sizeof(ip))) {
		uint32_t hl = (uint32_t)h.l3_len + h.l4_len, tot = rte_be_to_cpu_16(ip.total_length);

		in->payload = (uint16_t)(tot > hl ? tot - hl : 0);
	}
}

/* virtio's TSO hand-off of a merged TCP/IPv4 packet (the top):
 * rte_net_intel_cksum_prepare, then virtio_tso_fix_cksum
 * (drivers/net/virtio/virtio_rxtx.c). */
static void fix_tso(struct rte_mbuf *m)
{
	struct rte_ipv4_hdr *iph;
	struct rte_tcp_hdr *th;
	uint32_t paylen, sum;

	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG;
	if (rte_net_intel_cksum_prepare(m))
		return;
	iph = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, m->l2_len);
	th = RTE_PTR_ADD(iph, m->l3_len);
	iph->hdr_checksum = 0;
	iph->hdr_checksum = rte_ipv4_cksum(iph);
	/* virtio_tso_fix_cksum: the L4 length taken from pkt_len, added to
	 * the pseudo-header sum without it */
	paylen = rte_cpu_to_be_32(rte_pktmbuf_pkt_len(m) - m->l2_len - m->l3_len);
	sum = th->cksum;
	sum += (paylen & 0xffff) + (paylen >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	th->cksum = (uint16_t)sum;
}

/* How many inputs o holds: the inputs whose head mbuf is in its chain
 * (rte_gro chains whole packets, a merged one's header trimmed by
 * rte_pktmbuf_adj, which keeps the mbuf). */
static uint16_t count_inputs(const struct gro_in *in, uint32_t n, const struct rte_mbuf *o)
{
	const struct rte_mbuf *s;
	uint16_t cnt = 0;
	uint32_t i;

	for (s = o; s; s = s->next)
		for (i = 0; i < n; i++)
			if (in[i].m == s)
				cnt++;
	return cnt;
}

/* The frame r's last frame describes is a merged packet: its metadata. */
static void merged_meta(struct ofd_plugin_result *r, const struct rte_mbuf *m,
			const struct gro_in *head, uint16_t segs)
{
	struct ofd_plugin_meta *meta = &r->frames[r->nframes - 1].meta;

	/* virtqueue_xmit_offload: gso_type TCPV4 (no RTE_MBUF_F_TX_IPV6),
	 * gso_size = tso_segsz, NEEDS_CSUM at l2_len + l3_len, csum_offset
	 * offsetof(struct rte_tcp_hdr, cksum); tun makes that a
	 * CHECKSUM_PARTIAL skb (kernel-rx.md 4) */
	meta->has = OFD_PLUGIN_META_GSO | OFD_PLUGIN_META_CSUM;
	meta->gso_size = head->payload;
	meta->gso_segs = segs;
	meta->gso_type = OFD_PLUGIN_SKB_GSO_TCPV4;
	meta->csum_state = OFD_PLUGIN_CSUM_PARTIAL;
	meta->csum_value = (uint32_t)(m->l2_len + m->l3_len) |
			   (uint32_t)offsetof(struct rte_tcp_hdr, cksum) << 16;
}

/* Output packet o: which input heads it, how many inputs it holds. */
static struct gro_in *find_head(struct gro_in *in, uint32_t n, const struct rte_mbuf *o)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (in[i].m == o)
			return &in[i];
	return NULL;
}

/* One burst: rte_gro_reassemble_burst, then each packet out as the top
 * says, in the order the library returns them. */
static int gro_burst(struct gro_in *in, uint32_t n, struct rte_mbuf **pkts,
		     struct ofd_plugin_result *r)
{
	struct rte_gro_param param = {
		.gro_types = RTE_GRO_TCP_IPV4 | RTE_GRO_IPV4_VXLAN_TCP_IPV4 | RTE_GRO_UDP_IPV4 |
			     RTE_GRO_IPV4_VXLAN_UDP_IPV4,
		.max_flow_num = GRO_FLOWS,
		.max_item_per_flow = GRO_ITEMS_PER_FLOW,
	};
	uint16_t out, i;
	int ret = 0;

	for (i = 0; i < n; i++)
		pkts[i] = in[i].m;
	out = rte_gro_reassemble_burst(pkts, (uint16_t)n, &param);
	for (i = 0; i < out; i++) {
		struct rte_mbuf *o = pkts[i];
		struct gro_in *h = find_head(in, n, o);
		bool merged = h && o->nb_segs > h->nb_segs;
		unsigned int k;

		if (merged && h->tcp4) {
			fix_tso(o);
		} else if (merged) {
			for (k = 0; k < 2 && h->ipoff[k]; k++) {
				struct rte_ipv4_hdr *iph =
					rte_pktmbuf_mtod_offset(o, struct rte_ipv4_hdr *, h->ipoff[k]);

				iph->hdr_checksum = 0;
				iph->hdr_checksum = rte_ipv4_cksum(iph);
			}
		}
		if (!ret)
			ret = dpdk_emit(r, &o, 1);
		if (!ret && merged && h->tcp4)
			merged_meta(r, o, h, count_inputs(in, n, o));
	}
	/* Every input is an output or chained into one. */
	for (i = 0; i < out; i++)
		rte_pktmbuf_free(pkts[i]);
	return ret;
}

int dpdk_gro(struct dpdk_priv *p, const struct ofd_plugin_case *c,
	     struct ofd_plugin_result *r)
{
	struct gro_in in[GRO_BURST];
	struct rte_mbuf *pkts[GRO_BURST];
	uint32_t i = 0, n = 0, k;
	int ret = 0;

	if (c->req.kind != OFD_PLUGIN_REQ_GENERIC && c->req.kind != OFD_PLUGIN_REQ_PROTOCOL)
		return dpdk_unsupported(r, "request kind %u", c->req.kind);
	while (i < c->npkts && !ret) {
		const struct ofd_plugin_pkt *pk = &c->pkts[i];
		bool end;

		if (pk->len == 0) {
			ret = dpdk_unsupported(r, "an empty frame: an mbuf holds at least one byte");
			break;
		}
		memset(&in[n], 0, sizeof(in[n]));
		in[n].m = dpdk_mbuf_from_frame(p, pk->data, pk->len);
		if (!in[n].m) {
			ret = -ENOMEM;
			break;
		}
		in[n].nb_segs = in[n].m->nb_segs;
		classify(in[n].m, &in[n]);
		n++;
		i++;
		end = (pk->flags & OFD_PLUGIN_PKT_F_FLUSH_AFTER) || i == c->npkts || n == GRO_BURST;
		if (end) {
			ret = gro_burst(in, n, pkts, r);
			n = 0;
		}
	}
	for (k = 0; k < n; k++) /* a burst cut short by an error */
		rte_pktmbuf_free(in[k].m);
	return ret;
}
