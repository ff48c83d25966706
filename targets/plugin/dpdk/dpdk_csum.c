// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dpdk_csum.c - checksums in software, the DPDK way.
 *
 * A DPDK application whose port cannot checksum computes the checksums
 * itself with lib/net's helpers (rte_ip.h). There are two ways a checksum
 * request reaches one, and the plugin follows each with the code DPDK
 * itself has for it:
 *
 *  PROTOCOL ("IPv4|IPv6, TCP|UDP, maybe the inner headers"): the
 *    application knows the protocol and finds the headers, then does what
 *    testpmd's csum engine does in software mode (app/test-pmd/csumonly.c,
 *    process_inner_cksums): zero the L4 checksum field and store
 *    rte_ipv4_udptcp_cksum_mbuf() / rte_ipv6_udptcp_cksum_mbuf().
 *
 *  GENERIC (virtio's NEEDS_CSUM: csum_start, csum_offset): DPDK's own
 *    software implementation of that contract is lib/vhost's fallback in
 *    vhost_dequeue_offload() (lib/vhost/virtio_net.c): rte_raw_cksum_mbuf()
 *    from csum_start to the end of the packet, complemented unless it is
 *    0xffff, stored at csum_start + csum_offset. vhost takes that branch
 *    when it cannot hand the L4 to the application as
 *    RTE_MBUF_F_RX_L4_CKSUM_NONE (an unknown protocol, a tunnel); the
 *    application's own branch is the PROTOCOL path above, which the
 *    PROTOCOL requests exercise, so every GENERIC request takes vhost's.
 *
 * The library is called, never re-implemented: its sums are its own.
 */
#include <stdio.h>
#include <string.h>

#include <netinet/in.h>
#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_mbuf_ptype.h>

#include "dpdk.h"

/* ------------------------------------------------------------------ */
/* GENERIC: lib/vhost                                                  */
/* ------------------------------------------------------------------ */

/*
 * vhost_dequeue_offload()'s software branch (22.11), step by step:
 *  - csum_start at or past the packet's end: nothing is done;
 *  - rte_raw_cksum_mbuf() from csum_start to pkt_len (the seed the guest
 *    put in the field is summed with the rest); a failure: nothing done;
 *  - the sum is complemented unless it is 0xffff, which is stored as is:
 *    a checksum that would be 0x0000 goes out as 0xffff, the kernel's
 *    CSUM_MANGLED_0 (kernel-tx.md 2.2 step 7);
 *  - off = csum_offset + csum_start in a uint16_t; the 16-bit store at
 *    off happens only when the first mbuf's data_len >= off + 1. When
 *    off + 2 > data_len vhost still stores both bytes, the second one
 *    past the data (into the tailroom, or one byte past the buffer when
 *    the packet fills it); only the first lands in the packet, and that
 *    is all we write.
 */
void dpdk_vhost_csum(struct rte_mbuf *m, uint16_t csum_start, uint16_t csum_offset)
{
	uint16_t csum = 0, off;
	uint8_t *p;

	if (csum_start >= rte_pktmbuf_pkt_len(m))
		return;
	if (rte_raw_cksum_mbuf(m, csum_start, rte_pktmbuf_pkt_len(m) - csum_start,
			       &csum) < 0)
		return;
	if (csum != 0xffff)
		csum = (uint16_t)~csum;
	off = (uint16_t)(csum_offset + csum_start);
	if (rte_pktmbuf_data_len(m) < off + 1)
		return;
	p = rte_pktmbuf_mtod_offset(m, uint8_t *, off);
	memcpy(p, &csum, rte_pktmbuf_data_len(m) >= off + 2 ? 2 : 1);
}

/* ------------------------------------------------------------------ */
/* PROTOCOL: rte_ip.h's helpers                                        */
/* ------------------------------------------------------------------ */

/* Zero the 16-bit field at off, compute, store: how testpmd writes
 * tcp_hdr->cksum = 0; tcp_hdr->cksum = get_udptcp_checksum(...). The IP
 * header is handed over as a copy: the helpers only read its fields. */
static void udptcp_csum(struct rte_mbuf *m, uint32_t l3_off, bool v6,
			uint32_t l4_off, uint32_t field)
{
	static const uint16_t zero;
	uint16_t ck;

	dpdk_mbuf_write(m, field, &zero, 2);
	if (v6) {
		struct rte_ipv6_hdr ip6;

		if (dpdk_mbuf_read(m, l3_off, &ip6, sizeof(ip6)))
			return;
		ck = rte_ipv6_udptcp_cksum_mbuf(m, &ip6, (uint16_t)l4_off);
	} else {
		struct rte_ipv4_hdr ip4;

		if (dpdk_mbuf_read(m, l3_off, &ip4, sizeof(ip4)))
			return;
		ck = rte_ipv4_udptcp_cksum_mbuf(m, &ip4, (uint16_t)l4_off);
	}
	dpdk_mbuf_write(m, field, &ck, 2);
}

void dpdk_l4_csum(struct rte_mbuf *m, const struct dpdk_hdrs *h)
{
	uint32_t field = h->l4_off + (h->l4_proto == IPPROTO_TCP ? 16 : 6);

	udptcp_csum(m, h->l3_off, h->v6, h->l4_off, field);
}

/* hdr_checksum = 0; hdr_checksum = rte_ipv4_cksum(hdr) (testpmd's
 * process_inner_cksums and process_outer_cksums in software mode). */
static void ipv4_hdr_csum(struct rte_mbuf *m, uint32_t off)
{
	uint8_t hdr[60];
	uint16_t ck;
	uint32_t ihl;

	if (dpdk_mbuf_read(m, off, hdr, 20))
		return;
	ihl = (hdr[0] & 0x0f) * 4u;
	if (ihl < 20 || dpdk_mbuf_read(m, off, hdr, ihl))
		return;
	memset(hdr + 10, 0, 2);
	ck = rte_ipv4_cksum((const struct rte_ipv4_hdr *)hdr);
	dpdk_mbuf_write(m, off + 10, &ck, 2);
}

/*
 * GRE's checksum (RFC 2784: the ones' complement of the sum of the GRE
 * header and payload, the field counted as 0, the reserved word after it
 * 0). rte_gso leaves it as it was and DPDK has no GRE helper, so an
 * application that sends GRE with the C bit writes it with the one sum
 * it has, rte_raw_cksum_mbuf().
 */
static void gre_csum(struct rte_mbuf *m, uint32_t gre_off)
{
	static const uint8_t zero[4];
	uint8_t flags;
	uint16_t raw;

	if (dpdk_mbuf_read(m, gre_off, &flags, 1) || !(flags & 0x80))
		return;
	if (dpdk_mbuf_write(m, gre_off + 4, zero, 4) ||
	    rte_raw_cksum_mbuf(m, gre_off, rte_pktmbuf_pkt_len(m) - gre_off, &raw))
		return;
	raw = (uint16_t)~raw;
	dpdk_mbuf_write(m, gre_off + 4, &raw, 2);
}

/*
 * After rte_gso_segment (lib/gso/rte_gso.h: "doesn't update checksums
 * for output GSO segments"; the programmer's guide: "If required, update
 * the L3 and L4 checksums of the newly-created segments. For tunneled
 * packets, the outer IPv4 headers' checksums should also be updated"),
 * an application without checksum offload writes them all in software,
 * innermost first since the outer sums cover the inner headers:
 *  - the (inner) IPv4 header checksum: rte_gso changed total_length and
 *    packet_id;
 *  - the (inner) TCP checksum over the segment (rte_ipv4_udptcp_cksum_mbuf
 *    sums a chain: a segment is a header mbuf and indirect payload mbufs);
 *  - the outer IPv4 header checksum;
 *  - the outer UDP checksum of a tunnel that carries one (testpmd's
 *    process_outer_cksums recomputes it when it is not 0), and GRE's.
 */
void dpdk_segment_csums(struct rte_mbuf *seg, const struct dpdk_hdrs *h,
			bool outer_udp_csum, bool skip_l4)
{
	if (!h->v6)
		ipv4_hdr_csum(seg, h->l3_off);
	if (!skip_l4 && (h->l4_proto == IPPROTO_TCP || h->l4_proto == IPPROTO_UDP))
		dpdk_l4_csum(seg, h);
	if (!h->tunnel)
		return;
	if (!h->outer_v6)
		ipv4_hdr_csum(seg, h->outer_l3_off);
	if ((h->tunnel == DPDK_TUN_VXLAN || h->tunnel == DPDK_TUN_GENEVE) && outer_udp_csum)
		udptcp_csum(seg, h->outer_l3_off, h->outer_v6, h->outer_l4_off,
			    h->outer_l4_off + 6u);
	if (h->tunnel == DPDK_TUN_GRE)
		gre_csum(seg, h->outer_l4_off);
}

/* ------------------------------------------------------------------ */
/* tx-csum                                                             */
/* ------------------------------------------------------------------ */

int dpdk_txcsum(struct dpdk_priv *p, struct rte_mbuf *m,
		const struct ofd_plugin_request *req, struct ofd_plugin_result *r)
{
	bool tunnel = req->proto & OFD_PLUGIN_PROTO_TUNNEL;
	uint8_t want_l4;
	struct dpdk_hdrs h;
	char why[96];

	(void)p;
	if (req->kind == OFD_PLUGIN_REQ_GENERIC) {
		if (req->vnet.flags & OFD_PLUGIN_VNET_F_NEEDS_CSUM)
			dpdk_vhost_csum(m, req->vnet.csum_start, req->vnet.csum_offset);
		return 0;
	}
	if (req->kind != OFD_PLUGIN_REQ_PROTOCOL)
		return dpdk_unsupported(r, "request kind %u", req->kind);

	want_l4 = req->proto & OFD_PLUGIN_PROTO_TCP ? IPPROTO_TCP :
		  req->proto & OFD_PLUGIN_PROTO_UDP ? IPPROTO_UDP : 0;
	if (!want_l4)
		return dpdk_unsupported(r, "descriptor bits that name no TCP or UDP");
	if (dpdk_parse(m, tunnel, &h, why, sizeof(why)))
		return dpdk_unsupported(r, "%s", why);
	/* rte_ip.h: "The IPv6 header must not be followed by extension
	 * headers" (rte_ipv6_udptcp_cksum_mbuf: its pseudo-header takes
	 * the IPv6 header's proto and payload_len), and DPDK 22.11 has no
	 * helper that skips them. */
	if (h.v6_ext)
		return dpdk_unsupported(r, "IPv6 extension headers: rte_ipv6_udptcp_cksum_mbuf "
					"requires none (rte_ip.h)");
	if ((h.ptype & RTE_PTYPE_L4_MASK) == RTE_PTYPE_L4_FRAG ||
	    (h.ptype & RTE_PTYPE_INNER_L4_MASK) == RTE_PTYPE_INNER_L4_FRAG)
		return dpdk_unsupported(r, "an IP fragment: rte_net_get_ptype gives it no L4 "
					"(RTE_PTYPE_L4_FRAG)");
	if (h.l4_proto != want_l4 || h.v6 != !!(req->proto & OFD_PLUGIN_PROTO_IPV6))
		return dpdk_unsupported(r, "rte_net_get_ptype finds another L3/L4 than the "
					"request names");
	if ((uint32_t)h.l4_off + (want_l4 == IPPROTO_TCP ? 18 : 8) > rte_pktmbuf_pkt_len(m))
		return dpdk_unsupported(r, "the L4 checksum field is past the frame");
	/* The application checksums in software, so no RTE_MBUF_F_TX_*_CKSUM
	 * flag is set: nothing below the application reads one. */
	dpdk_l4_csum(m, &h);
	return 0;
}
