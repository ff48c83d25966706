// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * txcsum.c - the emulated NIC's TX checksum offload, whose behaviour comes
 * from a profile (targets/emu/profile.c, specs/profiles/).
 *
 * Conformant means bit-exact with what Linux 6.18 puts on the wire
 * (kernel-tx.md sections 1-2, 8):
 *  - a generic request (NETIF_F_HW_CSUM, virtio_net_hdr) is served like
 *    net/core/dev.c skb_checksum_help(): sum [csum_start, end of frame)
 *    including the seed already in the field, store csum_fold() at
 *    csum_start + csum_offset, 0 sent as 0xffff; or, for CRC32c, like
 *    skb_crc32c_csum_help(): CRC32c over [csum_start, end), complemented,
 *    little endian at csum_start + 8 (RFC 3309, RFC 4960 appendix B);
 *  - a protocol-specific request (NETIF_F_IP_CSUM / IPV6_CSUM / SCTP_CRC,
 *    the way e.g. ice_tx_csum() programs its descriptor) gives only the
 *    L3/L4 types: the device parses the frame, builds the pseudo-header
 *    itself (RFC 793, RFC 768, RFC 8200 8.1 final destination) and ignores
 *    the seed. For frames the stack prepared, both give the same bytes.
 *
 * The profile knobs then break that on purpose, one bug-catalogue.md class
 * each, so that offdiff can be shown to find and explain them.
 *
 * run() is the hot path of model-vs-emulator campaigns: no allocation, no
 * copy. An output frame is the input by reference plus one patch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_csum.h"
#include "ofd_parse.h"

#define EMU_IPV6_HLEN 40

/* Where the checksum lives inside each L4 header. */
#define EMU_TCP_CSUM_OFF 16
#define EMU_UDP_CSUM_OFF 6
#define EMU_UDP_LEN_OFF 4
#define EMU_SCTP_CSUM_OFF 8
#define EMU_SCTP_HLEN 12

/* IANA protocol numbers, for the pseudo-header of the ext-header bug. */
#define EMU_IPPROTO_TCP 6
#define EMU_IPPROTO_UDP 17

static void emu_write16(struct ofd_result *r, const struct ofd_pkt *pkt,
			uint32_t pos, uint16_t v)
{
	struct ofd_frame *f = ofd_result_add_ref(r, pkt->data, pkt->len);

	/* Cannot fail on a slot the caller reset; be safe anyway. */
	if (!f || ofd_frame_patch_be16(f, pos, v))
		ofd_result_unsupported(r, "emu: result slot full");
}

static void emu_write_crc(struct ofd_result *r, const struct ofd_pkt *pkt,
			  uint32_t pos, uint32_t crc)
{
	struct ofd_frame *f = ofd_result_add_ref(r, pkt->data, pkt->len);
	uint8_t le[4] = { (uint8_t)crc, (uint8_t)(crc >> 8),
			  (uint8_t)(crc >> 16), (uint8_t)(crc >> 24) };

	if (!f || ofd_frame_patch(f, pos, le, 4))
		ofd_result_unsupported(r, "emu: result slot full");
}

static void emu_unchanged(struct ofd_result *r, const struct ofd_pkt *pkt)
{
	if (!ofd_result_add_ref(r, pkt->data, pkt->len))
		ofd_result_unsupported(r, "emu: result slot full");
}

static void emu_reject(struct ofd_result *r, const char *why)
{
	ofd_result_reject(r, OFD_REASON_DEVICE, OFD_STAGE_XMIT);
	r->detail = why;
}

/* The 16-bit value the device sends for a sum: 0 becomes the profile's
 * zero value (0xffff like CSUM_MANGLED_0, or 0x0000 for bug #8). */
static inline uint16_t emu_fold(const struct ofdint_emu_profile *p,
				uint32_t sum)
{
	uint16_t c = ofd_csum_fold(sum);

	return c ? c : p->zero_value;
}

/*
 * End of the summed range. Bug #9 (smsc95xx with 1-2 byte IPv6 UDP
 * payloads): when the checksum field ends within the last tail_window
 * bytes, the engine reads whole 32-bit words from the checksum start and
 * the trailing (len - start) % 4 bytes never reach the adder.
 */
static inline uint32_t emu_sum_end(const struct ofdint_emu_profile *p,
				   uint32_t start, uint32_t pos, uint32_t len)
{
	if (p->tail_window && len - (pos + 2) < p->tail_window)
		return start + ((len - start) & ~3u);
	return len;
}

/* ------------------------------------------------------------------ */
/* Generic (csum_start / csum_offset) requests                         */
/* ------------------------------------------------------------------ */

static void emu_generic(const struct ofdint_emu_profile *p,
			const struct ofd_case *c, struct ofd_result *r)
{
	const struct ofd_pkt *pkt = &c->pkts[0];
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	uint32_t len = pkt->len, start = h->csum_start;
	uint32_t pos = start + h->csum_offset, end;

	if (!(h->flags & OFD_VNET_F_NEEDS_CSUM)) {
		emu_unchanged(r, pkt);
		return;
	}
	if (start >= len) {
		emu_reject(r, "emu: csum_start past the frame");
		return;
	}
	if (c->req.csum_type == OFD_CSUM_CRC32C) {
		/* Like skb_crc32c_csum_help: the field is at start + 8 and
		 * csum_offset is not consulted; the stack zeroed the field. */
		if (start + EMU_SCTP_HLEN > len) {
			emu_reject(r, "emu: CRC32c field past the frame");
			return;
		}
		emu_write_crc(r, pkt, start + EMU_SCTP_CSUM_OFF,
			      ~ofd_crc32c(0xffffffffu, pkt->data + start,
					  len - start));
		return;
	}
	if (c->req.csum_type != OFD_CSUM_INET) {
		ofd_result_unsupported(r, "emu: unknown checksum type");
		return;
	}
	if (pos + 2 > len) {
		emu_reject(r, "emu: checksum field past the frame");
		return;
	}
	end = emu_sum_end(p, start, pos, len);
	emu_write16(r, pkt, pos,
		    emu_fold(p, ofd_csum_partial(pkt->data + start, end - start,
						 0)));
}

/* ------------------------------------------------------------------ */
/* Protocol-specific (legacy) requests                                 */
/* ------------------------------------------------------------------ */

static inline bool emu_is_ip(uint8_t proto)
{
	return proto == OFD_P_IPV4 || proto == OFD_P_IPV6;
}

static inline bool emu_is_exthdr(uint8_t proto)
{
	return proto == OFD_P_HBH || proto == OFD_P_DSTOPTS ||
	       proto == OFD_P_SRH || proto == OFD_P_RTHDR ||
	       proto == OFD_P_FRAG;
}

static inline bool emu_is_l4(uint8_t proto)
{
	return proto == OFD_P_TCP || proto == OFD_P_UDP || proto == OFD_P_SCTP;
}

/* The one L4 type the descriptor asks for, or OFD_P_NONE. */
static uint8_t emu_req_l4(uint8_t legacy)
{
	switch (legacy & (OFD_LEGACY_TCP | OFD_LEGACY_UDP | OFD_LEGACY_SCTP)) {
	case OFD_LEGACY_TCP:
		return OFD_P_TCP;
	case OFD_LEGACY_UDP:
		return OFD_P_UDP;
	case OFD_LEGACY_SCTP:
		return OFD_P_SCTP;
	default:
		return OFD_P_NONE;
	}
}

static inline uint32_t emu_field_off(uint8_t proto)
{
	return proto == OFD_P_TCP ? EMU_TCP_CSUM_OFF :
	       proto == OFD_P_UDP ? EMU_UDP_CSUM_OFF : EMU_SCTP_CSUM_OFF;
}

/*
 * An Internet checksum computed from scratch: the pseudo-header sum plus
 * [l4, end) with the field read as zero (the device never trusts the
 * seed), written at l4 + the protocol's field offset.
 */
static void emu_l4_inet(const struct ofdint_emu_profile *p,
			const struct ofd_pkt *pkt, uint32_t l4, uint8_t proto,
			uint32_t pseudo, struct ofd_result *r)
{
	const uint8_t *d = pkt->data;
	uint32_t len = pkt->len, pos = l4 + emu_field_off(proto), end, sum;

	if (pos + 2 > len) {
		emu_reject(r, "emu: checksum field past the frame");
		return;
	}
	end = emu_sum_end(p, l4, pos, len);
	/* The field sits at an even offset from l4, so the bytes after it
	 * stay in their word positions and simply add on. */
	sum = ofd_csum_partial(d + l4, (pos < end ? pos : end) - l4, pseudo);
	if (pos + 2 < end)
		sum = ofd_csum_partial(d + pos + 2, end - pos - 2, sum);
	emu_write16(r, pkt, pos, emu_fold(p, sum));
}

/* SCTP (RFC 4960 appendix B): CRC32c over the packet with the checksum
 * field taken as zero, stored little endian. */
static void emu_l4_crc(const struct ofd_pkt *pkt, uint32_t l4,
		       struct ofd_result *r)
{
	static const uint8_t zero[4];
	const uint8_t *d = pkt->data;
	uint32_t len = pkt->len, crc;

	if (l4 + EMU_SCTP_HLEN > len) {
		emu_reject(r, "emu: SCTP header past the frame");
		return;
	}
	crc = ofd_crc32c(0xffffffffu, d + l4, EMU_SCTP_CSUM_OFF);
	crc = ofd_crc32c(crc, zero, sizeof(zero));
	crc = ofd_crc32c(crc, d + l4 + EMU_SCTP_HLEN, len - l4 - EMU_SCTP_HLEN);
	emu_write_crc(r, pkt, l4 + EMU_SCTP_CSUM_OFF, ~crc);
}

/*
 * Bug #1 (r8169, fsl_dpa class): the device trusts the descriptor's L4
 * type and puts the L4 header right after the fixed IPv6 header, so with
 * extension headers present it sums from the first extension header and
 * writes into it. Its pseudo-header can only use what it sees: the IPv6
 * header's addresses and the byte count to the frame end.
 */
static void emu_exthdr_ignored(const struct ofdint_emu_profile *p,
			       const struct ofd_pkt *pkt, uint32_t ip6,
			       uint8_t proto, struct ofd_result *r)
{
	const uint8_t *d = pkt->data;
	uint32_t l4 = ip6 + EMU_IPV6_HLEN, pseudo;

	if (l4 >= pkt->len) {
		emu_reject(r, "emu: no room for L4 after the IPv6 header");
		return;
	}
	if (proto == OFD_P_SCTP) {
		emu_l4_crc(pkt, l4, r);
		return;
	}
	/* The parser accepted a full IPv6 header at ip6 (l4 < len above),
	 * so the addresses at +8 and +24 are inside the frame. */
	pseudo = ofd_pseudo_v6(d + ip6 + 8, d + ip6 + 24, pkt->len - l4,
			       proto == OFD_P_TCP ? EMU_IPPROTO_TCP :
			       EMU_IPPROTO_UDP);
	emu_l4_inet(p, pkt, l4, proto, pseudo, r);
}

static void emu_legacy(const struct ofdint_emu_profile *p,
		       const struct ofd_case *c, struct ofd_result *r)
{
	const struct ofd_pkt *pkt = &c->pkts[0];
	uint8_t legacy = c->req.legacy, want = emu_req_l4(legacy), l3p;
	bool tunnel = legacy & OFD_LEGACY_TUNNEL;
	/* Bugs #3-#5: the device only parses the outer headers and so
	 * checksums the outer UDP of a tunnel request. */
	bool outer = tunnel && p->tunnel_outer;
	struct ofd_parsed ps;
	uint32_t l4off, l4len, pseudo;
	int i, l3 = -1, l4;

	if (want == OFD_P_NONE) {
		emu_reject(r, "emu: descriptor asks for no single L4 type");
		return;
	}
	ofd_parse(pkt->data, pkt->len, outer ? OFD_PARSE_NO_TUNNEL : 0, &ps);

	/* The L3 whose L4 is meant: the innermost for a tunnel request,
	 * the outermost otherwise. */
	for (i = 0; i < (int)ps.nlayers; i++) {
		if (!emu_is_ip(ps.layer[i].proto))
			continue;
		l3 = i;
		if (!tunnel || outer)
			break;
	}
	if (l3 < 0) {
		if (outer)
			emu_unchanged(r, pkt);
		else
			emu_reject(r, "emu: no IP header");
		return;
	}
	l3p = ps.layer[l3].proto;
	/* The descriptor's L3 bits describe the header checksummed; an
	 * outer-only device does not look at them. */
	if (!outer && (((legacy & OFD_LEGACY_IPV4) && l3p != OFD_P_IPV4) ||
		       ((legacy & OFD_LEGACY_IPV6) && l3p != OFD_P_IPV6))) {
		emu_reject(r, "emu: L3 type does not match the descriptor");
		return;
	}

	if (p->ignore_exthdr && l3p == OFD_P_IPV6 &&
	    l3 + 1 < (int)ps.nlayers && emu_is_exthdr(ps.layer[l3 + 1].proto)) {
		emu_exthdr_ignored(p, pkt, ps.layer[l3].off,
				   outer ? OFD_P_UDP : want, r);
		return;
	}

	for (l4 = l3 + 1; l4 < (int)ps.nlayers &&
			  emu_is_exthdr(ps.layer[l4].proto); l4++)
		;
	if (l4 >= (int)ps.nlayers || !emu_is_l4(ps.layer[l4].proto)) {
		/* GRE, IPIP: there is no outer L4 to (mis)checksum. */
		if (outer)
			emu_unchanged(r, pkt);
		else
			emu_reject(r, "emu: requested L4 not found");
		return;
	}
	if (outer && ps.layer[l4].proto == OFD_P_UDP)
		want = OFD_P_UDP;
	if (ps.layer[l4].proto != want) {
		emu_reject(r, "emu: L4 type does not match the descriptor");
		return;
	}
	l4off = ps.layer[l4].off;

	if (want == OFD_P_SCTP) {
		emu_l4_crc(pkt, l4off, r);
		return;
	}
	if (want == OFD_P_TCP) {
		l4len = pkt->len - l4off;
	} else {
		uint16_t ulen;

		/* As the stack seeds it: the UDP length field. */
		if (ofd_get_be16(pkt->data, pkt->len, l4off + EMU_UDP_LEN_OFF,
				 &ulen)) {
			emu_reject(r, "emu: UDP header past the frame");
			return;
		}
		l4len = ulen;
	}
	/* Bug #2: ipv6-destination puts the IPv6 header's daddr where RFC
	 * 8200 8.1 wants the SRH's final segment. */
	if (ofd_parse_pseudo(pkt->data, pkt->len, &ps, l4, l4len,
			     p->use_ipv6_dst, &pseudo)) {
		emu_reject(r, "emu: no pseudo-header for the L4");
		return;
	}
	emu_l4_inet(p, pkt, l4off, want, pseudo, r);
}

void ofdint_emu_tx_csum(const struct ofdint_emu_profile *p,
			const struct ofd_case *c, struct ofd_result *r)
{
	if (c->npkts != 1 || !c->pkts || !c->pkts[0].data) {
		ofd_result_unsupported(r, "emu: tx-csum takes one frame");
		return;
	}
	switch (c->req.kind) {
	case OFD_REQ_VNET:
		emu_generic(p, c, r);
		break;
	case OFD_REQ_LEGACY:
		emu_legacy(p, c, r);
		break;
	default:
		ofd_result_unsupported(r, "emu: unknown request kind");
		break;
	}
}

const struct emu_offload ofd_emu_tx_csum = {
	.run = ofdint_emu_tx_csum,
};
