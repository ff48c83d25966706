// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * tso.c - the emulated NIC's segmentation engine (TSO, USO, UFO, tunnel
 * TSO), whose behaviour comes from the profile's `tso:` section
 * (profile_tso.c, specs/profiles/tso-*.yaml).
 *
 * It works like a NIC's engine, not like the kernel's code: it parses the
 * frame itself (harness/packet's parser), keeps the header block (every
 * byte up to the payload: MAC, VLAN, outer and inner L3, extension
 * headers, tunnel headers, L4 with options), replicates it in front of
 * each MSS-sized slice of the payload and then fixes, in every copy, the
 * fields that depend on the segment: IP lengths and IDs, the TCP sequence
 * number and flags, UDP lengths, and the checksums, innermost first (an
 * outer checksum covers the inner one). The rules it follows are those of
 * Linux 6.18's software GSO (kernel-tx.md 5-7), so that the conformant
 * device puts exactly the kernel's bytes on the wire:
 *  - the L4 checksum starts from the stack's seed (the pseudo-header sum
 *    for the whole super-packet), the super-packet's length taken out and
 *    the segment's put in, then the segment's bytes summed; TCP sends a
 *    computed 0 as 0x0000, UDP as 0xffff (5.2, 6.1);
 *  - FIN and PSH on the last segment only, CWR on the first only unless
 *    AccECN; IPv4 ID +1 per segment unless FIXEDID (outer) or
 *    FIXEDID_INNER (inner);
 *  - UFO: one checksum over the whole datagram, then IP fragments of
 *    gso_size bytes with the same ID and DF cleared (6.2);
 *  - tunnels: outer lengths per segment, the outer UDP checksum only when
 *    the request says _CSUM, GRE's checksum without pseudo-header (7).
 * What the kernel drops at transmit before any driver runs (payload not
 * above gso_size, no GSO handler for an extension header, a GSO type that
 * does not fit the packet) the device drops too, with the kernel's reason;
 * what a device cannot do it refuses (OFD_REASON_DEVICE), as a driver's
 * ndo_start_xmit would drop it.
 *
 * Output frames are built in the result's arena, the hot path allocates
 * nothing, and only the header block is new bytes: a segment's payload is
 * referenced where it lies in the input (ofd_result_add_split) and summed
 * there once, that sum added to the header sums of every checksum that
 * covers it (L4, GRE, outer UDP). A UFO fragment that carries a byte of
 * the datagram's checksum is built whole.
 */
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_csum.h"
#include "ofd_parse.h"

#define TSO_TCP_CSUM_OFF 16
#define TSO_UDP_LEN_OFF 4
#define TSO_UDP_CSUM_OFF 6
#define TSO_UDP_HLEN 8
#define TSO_TCP_MIN_HLEN 20
#define TSO_GRE_CSUM_FLAG 0x80 /* C bit, in the first byte */

#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

enum tso_kind { TSO_TCP, TSO_USO, TSO_UFO };

/* One request as the device's descriptor holds it, and the frame's
 * geometry as the device parsed it. */
struct tso {
	const struct ofdint_emu_profile *p;
	const uint8_t *in;
	uint32_t len;
	struct ofd_parsed ps;
	enum tso_kind kind;
	bool partial;     /* the field holds the stack's seed */
	bool want_v6;     /* TCPV6 rather than TCPV4 */
	bool accecn, fixedid, fixedid_inner, outer_csum, gre_csum, tunnel;
	int l3, l4;       /* layer indices: the segmented L4, its IP */
	int outer_udp;    /* tunnel UDP layer, -1 */
	int gre;          /* GRE layer, -1 */
	uint32_t l4off, hlen, mss, paylen, nsegs;
	uint32_t seed, seed_len; /* L4 seed and the length it holds */
	uint16_t ufo_csum;
	/* Sums of the input's header bytes with the fields that change per
	 * segment (and the checksum field) read as zero: the L4 header's
	 * (TCP, USO), each IPv4 header's. A segment's sum adds its own
	 * values of those fields: additions only, so the same ones'
	 * complement sum, 0 included, as summing the finished bytes. */
	uint32_t l4hsum;
	uint32_t ipsum[OFD_PARSE_MAX_LAYERS];
};

static void tso_reject(struct ofd_result *r, enum ofd_reason why,
		       const char *detail)
{
	ofd_result_reject(r, why, OFD_STAGE_XMIT);
	r->detail = detail;
}

static bool is_ip(uint8_t proto)
{
	return proto == OFD_P_IPV4 || proto == OFD_P_IPV6;
}

/* The extension headers the kernel's IPv6 GSO walks (kernel-tx.md 5.4). */
static bool is_walked_exthdr(uint8_t proto)
{
	return proto == OFD_P_HBH || proto == OFD_P_DSTOPTS ||
	       proto == OFD_P_SRH || proto == OFD_P_RTHDR;
}

/* ------------------------------------------------------------------ */
/* The request                                                         */
/* ------------------------------------------------------------------ */

/*
 * Decode the request into t. 1 when the skb is not GSO at all (the
 * checksum-only path), 0 for a GSO request, -1 with r filled when the
 * device refuses.
 */
static int tso_request(struct tso *t, const struct ofd_case *c,
		       struct ofd_result *r)
{
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	uint32_t g = c->req.skb_gso;

	t->mss = h->gso_size;
	if (c->req.kind == OFD_REQ_VNET) {
		switch (h->gso_type & ~OFD_VNET_GSO_ECN) {
		case OFD_VNET_GSO_NONE:
			return 1;
		case OFD_VNET_GSO_TCPV4:
			g = OFD_SKB_GSO_TCPV4;
			break;
		case OFD_VNET_GSO_TCPV6:
			g = OFD_SKB_GSO_TCPV6;
			break;
		case OFD_VNET_GSO_UDP:
			g = OFD_SKB_GSO_UDP;
			break;
		case OFD_VNET_GSO_UDP_L4:
			g = OFD_SKB_GSO_UDP_L4;
			break;
		default:
			tso_reject(r, OFD_REASON_DEVICE, "emu: unknown GSO type");
			return -1;
		}
		t->partial = h->flags & OFD_VNET_F_NEEDS_CSUM;
	} else if (c->req.kind == OFD_REQ_LEGACY) {
		if (!g || !t->mss)
			return 1;
		/* the stack builds GSO skbs CHECKSUM_PARTIAL */
		t->partial = true;
	} else {
		ofd_result_unsupported(r, "emu: unknown request kind");
		return -1;
	}
	if (!t->mss || t->mss == 0xffff) {
		tso_reject(r, OFD_REASON_DEVICE, "emu: no usable gso_size");
		return -1;
	}
	if (g & (OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6))
		t->kind = TSO_TCP;
	else if (g & OFD_SKB_GSO_UDP_L4)
		t->kind = TSO_USO;
	else if (g & OFD_SKB_GSO_UDP)
		t->kind = TSO_UFO;
	else {
		tso_reject(r, OFD_REASON_DEVICE, "emu: GSO type without an L4 the device segments");
		return -1;
	}
	t->accecn = g & OFD_SKB_GSO_TCP_ACCECN;
	t->fixedid = g & OFD_SKB_GSO_TCP_FIXEDID;
	t->fixedid_inner = g & OFD_SKB_GSO_TCP_FIXEDID_INNER;
	t->outer_csum = g & OFD_SKB_GSO_UDP_TUNNEL_CSUM;
	t->gre_csum = g & OFD_SKB_GSO_GRE_CSUM;
	t->tunnel = g & (OFD_SKB_GSO_UDP_TUNNEL | OFD_SKB_GSO_UDP_TUNNEL_CSUM |
			 OFD_SKB_GSO_GRE | OFD_SKB_GSO_GRE_CSUM |
			 OFD_SKB_GSO_IPXIP4 | OFD_SKB_GSO_IPXIP6);
	if (t->tunnel && t->kind == TSO_UFO) {
		tso_reject(r, OFD_REASON_DEVICE, "emu: UFO inside a tunnel");
		return -1;
	}
	/* checked against the packet once it is parsed */
	t->want_v6 = g & OFD_SKB_GSO_TCPV6;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The frame                                                           */
/* ------------------------------------------------------------------ */

/* Find the layers the engine works on; -1 with r filled when it cannot. */
static int tso_parse(struct tso *t, const struct ofd_case *c,
		     struct ofd_result *r)
{
	const struct ofd_parsed *ps = &t->ps;
	int i, first_ip = -1;
	uint8_t b;

	ofd_parse(t->in, t->len, 0, &t->ps);
	t->outer_udp = t->gre = -1;
	t->l3 = t->l4 = -1;
	for (i = 0; i < (int)ps->nlayers; i++) {
		uint8_t proto = ps->layer[i].proto;

		if (is_ip(proto)) {
			if (first_ip < 0)
				first_ip = i;
			t->l3 = i;
			continue;
		}
		if (proto == OFD_P_TCP || proto == OFD_P_UDP) {
			/* a non-tunnel request segments the first L4 */
			if (!t->tunnel || i + 1 >= (int)ps->nlayers ||
			    (ps->layer[i + 1].proto != OFD_P_VXLAN &&
			     ps->layer[i + 1].proto != OFD_P_GENEVE)) {
				t->l4 = i;
				break;
			}
			t->outer_udp = i;
		} else if (proto == OFD_P_GRE) {
			t->gre = i;
		} else if (proto == OFD_P_FRAG || proto == OFD_P_SCTP ||
			   proto == OFD_P_ICMP || proto == OFD_P_ICMPV6 ||
			   proto == OFD_P_PAYLOAD) {
			break;
		}
		if (is_walked_exthdr(proto) || proto == OFD_P_FRAG) {
			if (t->p->tso.exthdr == EMU_EXTHDR_REFUSE) {
				/* bug-catalogue #1: an IPV6_CSUM-only engine
				 * finds no TCP/UDP in nexthdr (ice fails a TSO
				 * packet whose L4 it cannot find) */
				tso_reject(r, OFD_REASON_DEVICE,
					   "emu: IPv6 extension headers in a TSO packet");
				return -1;
			}
		}
	}
	if (t->l4 < 0 || t->l3 < 0) {
		/* e.g. IPv6 Fragment or AH before the L4: no GSO handler */
		if (i < (int)ps->nlayers && ps->layer[i].proto == OFD_P_FRAG)
			tso_reject(r, OFD_REASON_GSO_NO_HANDLER,
				   "emu: no segmentation through an IPv6 Fragment header");
		else
			tso_reject(r, OFD_REASON_GSO_TYPE_MISMATCH,
				   "emu: no TCP/UDP header to segment");
		return -1;
	}
	if (t->tunnel && (first_ip == t->l3 || (t->gre_csum && t->gre < 0))) {
		tso_reject(r, OFD_REASON_GSO_TYPE_MISMATCH,
			   "emu: tunnel request without a tunnel in the frame");
		return -1;
	}
	if (!t->tunnel && first_ip != t->l3) {
		tso_reject(r, OFD_REASON_GSO_TYPE_MISMATCH,
			   "emu: tunnelled frame in a non-tunnel request");
		return -1;
	}
	if (t->gre_csum && (ofd_get_u8(t->in, t->len, ps->layer[t->gre].off, &b) ||
			    !(b & TSO_GRE_CSUM_FLAG))) {
		tso_reject(r, OFD_REASON_DEVICE, "emu: GRE_CSUM without a GRE checksum field");
		return -1;
	}
	t->l4off = ps->layer[t->l4].off;
	if (c->req.kind == OFD_REQ_VNET && (c->req.vnet.flags & OFD_VNET_F_NEEDS_CSUM) &&
	    c->req.vnet.csum_start != t->l4off) {
		tso_reject(r, OFD_REASON_DEVICE,
			   "emu: csum_start is not the L4 header the device finds");
		return -1;
	}
	return 0;
}

/* Which GSO type fits the packet, the header block and the payload. */
static int tso_geometry(struct tso *t, struct ofd_result *r)
{
	const struct ofd_layer *l3 = &t->ps.layer[t->l3];
	uint8_t proto = t->ps.layer[t->l4].proto, doff;
	uint32_t thlen;

	if (t->kind == TSO_TCP) {
		if (proto != OFD_P_TCP || t->want_v6 != (l3->proto == OFD_P_IPV6)) {
			tso_reject(r, OFD_REASON_GSO_TYPE_MISMATCH,
				   "emu: TCP GSO type does not fit the packet");
			return -1;
		}
		if (ofd_get_u8(t->in, t->len, t->l4off + 12, &doff) ||
		    (doff >> 4) * 4u < TSO_TCP_MIN_HLEN ||
		    t->l4off + (doff >> 4) * 4u > t->len) {
			tso_reject(r, OFD_REASON_GSO_SEGMENT_FAILED,
				   "emu: TCP header cut or too short");
			return -1;
		}
		thlen = (doff >> 4) * 4u;
	} else {
		if (proto != OFD_P_UDP || t->l4off + TSO_UDP_HLEN > t->len) {
			tso_reject(r, OFD_REASON_GSO_TYPE_MISMATCH,
				   "emu: UDP GSO type does not fit the packet");
			return -1;
		}
		thlen = TSO_UDP_HLEN;
	}
	if (t->kind == TSO_UFO) {
		if (l3->proto == OFD_P_IPV6) {
			/* Its Fragment header's identification is a keyed
			 * hash of the kernel's (ipv6_proxy_select_ident). */
			ofd_result_unsupported(r, "emu: IPv6 UFO: fragment ID is the kernel's secret hash");
			return -1;
		}
		/* the whole datagram, UDP header included, is sliced */
		t->hlen = t->l4off;
	} else {
		t->hlen = t->l4off + thlen;
	}
	t->paylen = t->len - t->hlen;
	if (t->paylen <= t->mss) {
		tso_reject(r, OFD_REASON_GSO_PAYLOAD_TOO_SMALL,
			   "emu: payload not above gso_size");
		return -1;
	}
	t->nsegs = (t->paylen + t->mss - 1) / t->mss;
	if (t->nsegs > OFD_MAX_FRAMES) {
		ofd_result_unsupported(r, "emu: more segments than a result holds");
		return -1;
	}
	return 0;
}

/* The seed and the length inside it (kernel-tx.md 5.1, 5.2, 6.1). */
static int tso_seed(struct tso *t, struct ofd_result *r)
{
	uint32_t field = t->l4off + (t->kind == TSO_TCP ? TSO_TCP_CSUM_OFF :
				     TSO_UDP_CSUM_OFF);
	uint16_t v;

	if (t->kind == TSO_UFO) {
		uint32_t sum;

		/* a full checksum, the field read as zero, length the bytes */
		if (ofd_parse_pseudo(t->in, t->len, &t->ps, t->l4, t->len - t->l4off,
				     1, &sum) || field + 2 > t->len)
			goto bad;
		sum = ofd_csum_partial(t->in + t->l4off, field - t->l4off, sum);
		sum = ofd_csum_partial(t->in + field + 2, t->len - field - 2, sum);
		t->ufo_csum = ofd_csum_fold(sum) ? ofd_csum_fold(sum) : 0xffff;
		return 0;
	}
	if (t->kind == TSO_USO) {
		/* the seed holds the UDP length field, not the byte count */
		if (ofd_get_be16(t->in, t->len, t->l4off + TSO_UDP_LEN_OFF, &v))
			goto bad;
		t->seed_len = v;
	} else {
		t->seed_len = t->len - t->l4off;
	}
	if (t->partial) {
		if (ofd_get_be16(t->in, t->len, field, &v))
			goto bad;
		t->seed = v;
		return 0;
	}
	/* Not PARTIAL: the kernel re-seeds from the IP header it sees, the
	 * IPv6 Destination Address even under an SRH (kernel-tx.md 8.1). */
	if (ofd_parse_pseudo(t->in, t->len, &t->ps, t->l4, t->seed_len, 1, &t->seed))
		goto bad;
	return 0;
bad:
	tso_reject(r, OFD_REASON_DEVICE, "emu: no pseudo-header for the L4");
	return -1;
}

/* The sums of the header fields that stay (struct tso, l4hsum, ipsum). */
static void tso_header_sums(struct tso *t)
{
	uint8_t b[60];
	uint32_t j, n;

	for (j = 0; j < t->ps.nlayers && (int)j < t->l4; j++) {
		const struct ofd_layer *l = &t->ps.layer[j];

		if (l->proto != OFD_P_IPV4)
			continue;
		/* ihl * 4 bytes, inside the header block (fix_ipv4) */
		n = (t->in[l->off] & 0x0fu) * 4;
		memcpy(b, t->in + l->off, n);
		memset(b + 2, 0, 6);  /* total length, ID, fragment word */
		memset(b + 10, 0, 2); /* checksum */
		t->ipsum[j] = ofd_csum_partial(b, n, 0);
	}
	if (t->kind == TSO_UFO)
		return;
	n = t->hlen - t->l4off; /* 20-60 for TCP, 8 for UDP */
	memcpy(b, t->in + t->l4off, n);
	if (t->kind == TSO_TCP) {
		memset(b + 4, 0, 4);   /* sequence number */
		memset(b + 12, 0, 2);  /* data offset, flags */
		memset(b + TSO_TCP_CSUM_OFF, 0, 2);
	} else {
		memset(b + TSO_UDP_LEN_OFF, 0, 4); /* length, checksum */
	}
	t->l4hsum = ofd_csum_partial(b, n, 0);
}

/* ------------------------------------------------------------------ */
/* One segment                                                         */
/* ------------------------------------------------------------------ */

/* Sum of seg[from, to) with the 2-byte field at fld (even distance from
 * `from`) read as zero. */
static uint32_t sum_skip(const uint8_t *seg, uint32_t from, uint32_t to,
			 uint32_t fld, uint32_t sum)
{
	sum = ofd_csum_partial(seg + from, fld - from, sum);
	return ofd_csum_partial(seg + fld + 2, to - fld - 2, sum);
}

/* Sum of a segment's bytes from `from` to its end, the field at fld read
 * as zero: the header block's bytes [from, hlen) of head, then the
 * payload, whose sum psum the caller took once (ones' complement sums
 * add, the payload's byte-swapped when it starts at an odd distance from
 * `from`). */
static uint32_t seg_sum(const struct tso *t, const uint8_t *head, uint32_t from,
			uint32_t fld, uint32_t psum, uint32_t sum)
{
	sum = sum_skip(head, from, t->hlen, fld, sum);
	return ofd_csum_block_add(sum, psum, t->hlen - from);
}

/* The L4 checksum of a segment whose own length (pseudo-header) is
 * seglen4, from the seed: fsum is the sum of the L4 header fields that
 * change per segment (as written), psum the sum of its payload. */
static uint16_t l4_csum(const struct tso *t, uint32_t fsum, uint32_t psum,
			uint32_t seglen4)
{
	uint32_t s = t->seed;
	uint16_t c;

	switch (t->p->tso.pseudo_len) {
	case EMU_PSEUDO_REPLACED:
		s = ofd_csum_sub(s, t->seed_len);
		break;
	case EMU_PSEUDO_KEPT:
		break;
	case EMU_PSEUDO_TWICE:
		s = ofd_csum_sub(ofd_csum_sub(s, t->seed_len), t->seed_len);
		break;
	}
	s = ofd_csum_add(s, seglen4);
	s = ofd_csum_add(ofd_csum_add(s, t->l4hsum), fsum);
	c = ofd_csum_fold(ofd_csum_block_add(s, psum, t->hlen - t->l4off));
	/* TCP leaves a computed 0 alone (kernel-tx.md 5.2, probe T6b),
	 * UDP sends it as 0xffff (6.1) */
	return c || t->kind == TSO_TCP ? c : 0xffff;
}

/* The IPv4 header at off of segment i: innermost says whether it is the
 * L3 of the segmented L4 (the inner one of a tunnel). The parser accepted
 * its ihl * 4 bytes inside the header block every segment carries. */
static void fix_ipv4(const struct tso *t, uint8_t *seg, uint32_t layer,
		     uint32_t dlen, uint32_t i, bool innermost)
{
	uint32_t off = t->ps.layer[layer].off;
	uint16_t id = (uint16_t)(seg[off + 4] << 8 | seg[off + 5]);
	uint16_t frag = (uint16_t)(seg[off + 6] << 8 | seg[off + 7]);
	/* 6.18: FIXEDID is the outer (or only) header's, FIXEDID_INNER a
	 * tunnel's inner one's (kernel-tx.md 5.3) */
	bool fixed = innermost && t->tunnel ? t->fixedid_inner : t->fixedid;

	ofd_put_be16(seg + off + 2, (uint16_t)dlen);
	if (t->kind == TSO_UFO) {
		/* fragments: one ID, offset and MF, DF overwritten */
		frag = (uint16_t)((i * t->mss) >> 3 | (i + 1 < t->nsegs ? 0x2000 : 0));
		ofd_put_be16(seg + off + 6, frag);
	} else {
		switch (t->p->tso.ipv4_id) {
		case EMU_ID_INCREMENT:
			break;
		case EMU_ID_FIXED:
			fixed = true;
			break;
		case EMU_ID_INNER_ONLY:
			/* one ID counter, and it is wired to the inner header */
			fixed = !innermost;
			break;
		}
		if (!fixed) {
			id = (uint16_t)(id + i);
			ofd_put_be16(seg + off + 4, id);
		}
	}
	/* the header's sum: the fields that stay, then these three */
	ofd_put_be16(seg + off + 10, ofd_csum_fold(ofd_csum_add(ofd_csum_add(
		ofd_csum_add(t->ipsum[layer], (uint16_t)dlen), id), frag)));
}

/* Whether UFO fragment i carries a byte of the UDP checksum (datagram
 * bytes 6 and 7): with gso_size below 8 that is not the first one, nor
 * one fragment. */
static bool ufo_holds_csum(const struct tso *t, uint32_t i)
{
	return t->kind == TSO_UFO &&
	       (TSO_UDP_CSUM_OFF / t->mss == i ||
		(TSO_UDP_CSUM_OFF + 1) / t->mss == i);
}

/*
 * Build segment i (payload plen bytes). The header block is new bytes in
 * the arena; the payload is referenced where it lies in the input, which
 * outlives the result (ofd_result_add_split), and summed from there once
 * for every checksum that covers it. A UFO fragment that carries the UDP
 * checksum has payload bytes of its own, so it is built whole.
 */
static int tso_segment(const struct tso *t, uint32_t i, struct ofd_result *r)
{
	const struct emu_tso_knobs *k = &t->p->tso;
	uint32_t plen = i + 1 < t->nsegs ? t->mss : t->paylen - i * t->mss;
	uint32_t len = t->hlen + plen, j, psum = 0;
	/* bug: the length fields of a short last segment as if full-size */
	uint32_t wlen = k->last_len == EMU_LAST_FULL ? t->hlen + t->mss : len;
	const uint8_t *pay = t->in + t->hlen + i * t->mss;
	struct ofd_frame *f;
	uint8_t *seg;

	if (ufo_holds_csum(t, i)) {
		f = ofd_result_add_new(r, len, &seg);
		if (f)
			memcpy(seg + t->hlen, pay, plen);
	} else {
		f = ofd_result_add_split(r, t->hlen, pay, plen, &seg);
	}
	if (!f)
		return -1;
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.has = OFD_META_VNET;
	memcpy(seg, t->in, t->hlen);
	/* UFO's one checksum is the datagram's, taken before slicing; every
	 * other one covers this segment's payload */
	if (t->kind != TSO_UFO)
		psum = ofd_csum_partial(pay, plen, 0);

	/* L4 header fields, then its checksum over the final L4 bytes */
	if (t->kind == TSO_TCP) {
		uint8_t *th = seg + t->l4off;
		uint32_t seq = (uint32_t)th[4] << 24 | (uint32_t)th[5] << 16 |
			       (uint32_t)th[6] << 8 | th[7];
		uint8_t fl = th[13];

		seq += i * t->mss;
		ofd_put_be32(th + 4, seq);
		if (i + 1 < t->nsegs && k->psh_fin == EMU_PSH_LAST)
			fl &= (uint8_t)~(TCP_PSH | TCP_FIN);
		if (i > 0 && !t->accecn && k->cwr == EMU_CWR_FIRST)
			fl &= (uint8_t)~TCP_CWR;
		th[13] = fl;
		ofd_put_be16(th + TSO_TCP_CSUM_OFF,
			     l4_csum(t, (seq >> 16) + (seq & 0xffff) +
				     ((uint32_t)th[12] << 8 | fl), psum,
				     wlen - t->l4off));
	} else if (t->kind == TSO_USO) {
		ofd_put_be16(seg + t->l4off + TSO_UDP_LEN_OFF,
			     (uint16_t)(wlen - t->l4off));
		ofd_put_be16(seg + t->l4off + TSO_UDP_CSUM_OFF,
			     l4_csum(t, (uint16_t)(wlen - t->l4off), psum,
				     wlen - t->l4off));
	} else {
		uint32_t b;

		f->meta.vnet.flags = OFD_VNET_F_DATA_VALID;
		/* only in a fragment built whole (ufo_holds_csum) */
		for (b = TSO_UDP_CSUM_OFF; b < TSO_UDP_CSUM_OFF + 2; b++)
			if (b / t->mss == i)
				seg[t->hlen + b % t->mss] = (uint8_t)(b == TSO_UDP_CSUM_OFF ?
						t->ufo_csum >> 8 : t->ufo_csum);
	}

	/* every IP header on the way: lengths, IDs, header checksums */
	for (j = 0; j < t->ps.nlayers && (int)j < t->l4; j++) {
		const struct ofd_layer *l = &t->ps.layer[j];

		if (l->proto == OFD_P_IPV4)
			fix_ipv4(t, seg, j, wlen - l->off, i, (int)j == t->l3);
		else if (l->proto == OFD_P_IPV6)
			ofd_put_be16(seg + l->off + 4, (uint16_t)(wlen - l->off - 40));
	}

	/* the tunnel's own checksums cover the finished inner packet */
	if (t->gre >= 0 && t->gre_csum) {
		uint32_t g = t->ps.layer[t->gre].off;

		ofd_put_be16(seg + g + 6, 0);
		/* RFC 2784: no pseudo-header, 0 stays 0 (7.2) */
		ofd_put_be16(seg + g + 4, ofd_csum_fold(ofd_csum_block_add(
			ofd_csum_partial(seg + g, t->hlen - g, 0), psum, t->hlen - g)));
	}
	if (t->outer_udp >= 0) {
		uint32_t u = t->ps.layer[t->outer_udp].off;
		uint16_t seed;

		if (k->outer_len == EMU_OUTER_UPDATE)
			ofd_put_be16(seg + u + TSO_UDP_LEN_OFF, (uint16_t)(wlen - u));
		if (t->outer_csum && k->outer_csum == EMU_OUTER_UPDATE) {
			uint32_t s;
			uint16_t c;

			if (ofd_get_be16(t->in, t->len, u + TSO_UDP_CSUM_OFF, &seed))
				return -1;
			s = ofd_csum_add(ofd_csum_sub(seed, t->len - u), wlen - u);
			c = ofd_csum_fold(seg_sum(t, seg, u, u + TSO_UDP_CSUM_OFF, psum, s));
			ofd_put_be16(seg + u + TSO_UDP_CSUM_OFF, c ? c : 0xffff);
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Not GSO: what the kernel does with a small packet                   */
/* ------------------------------------------------------------------ */

/* skb_checksum_help on the frame when the request asks for a checksum,
 * else the frame as it is (kernel-tx.md 2.2, 3.3 "too small packets"). */
static void tso_not_gso(const struct ofd_case *c, struct ofd_result *r)
{
	const struct ofd_pkt *pkt = &c->pkts[0];
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	uint32_t start = h->csum_start, pos = start + h->csum_offset;
	struct ofd_frame *f;
	uint16_t v;

	f = ofd_result_add_ref(r, pkt->data, pkt->len);
	if (!f) {
		ofd_result_unsupported(r, "emu: result slot full");
		return;
	}
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.has = OFD_META_VNET;
	if (c->req.kind == OFD_REQ_VNET && !(h->flags & OFD_VNET_F_NEEDS_CSUM))
		return;
	if (start >= pkt->len || pos + 2 > pkt->len) {
		tso_reject(r, OFD_REASON_DEVICE, "emu: checksum field past the frame");
		return;
	}
	v = ofd_csum_fold(ofd_csum_partial(pkt->data + start, pkt->len - start, 0));
	if (ofd_frame_patch_be16(f, pos, v ? v : 0xffff))
		ofd_result_unsupported(r, "emu: result slot full");
}

/* The small-packet rule of virtio_net_hdr_to_skb: a VNET request is GSO
 * only with more than gso_size bytes after the L4 header's first thlen
 * bytes (TCP options count as payload; UFO counts the UDP header). */
static bool vnet_too_small(const struct tso *t, const struct ofd_case *c)
{
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	uint32_t p_off = t->partial ? h->csum_start : t->l4off;

	if (c->req.kind != OFD_REQ_VNET)
		return false;
	if (t->kind == TSO_TCP)
		p_off += TSO_TCP_MIN_HLEN;
	else if (t->kind == TSO_USO)
		p_off += TSO_UDP_HLEN;
	return t->len <= p_off || t->len - p_off <= t->mss;
}

void ofdint_emu_tso(const struct ofdint_emu_profile *p,
		    const struct ofd_case *c, struct ofd_result *r)
{
	struct tso t;
	uint32_t i;
	int ret;

	if (c->npkts != 1 || !c->pkts || !c->pkts[0].data) {
		ofd_result_unsupported(r, "emu: tso takes one frame");
		return;
	}
	memset(&t, 0, sizeof(t));
	t.p = p;
	t.in = c->pkts[0].data;
	t.len = c->pkts[0].len;
	ret = tso_request(&t, c, r);
	if (ret > 0) {
		tso_not_gso(c, r);
		return;
	}
	if (ret < 0)
		return;
	/* A VNET request with NEEDS_CSUM is measured from csum_start before
	 * anything looks at the headers: one that is too small is a plain
	 * checksum request, whatever headers the device could not segment
	 * past (an IPv6 Fragment header, a tunnel it was not told about). */
	if (t.partial && vnet_too_small(&t, c)) {
		tso_not_gso(c, r);
		return;
	}
	if (tso_parse(&t, c, r))
		return;
	if (vnet_too_small(&t, c)) {
		tso_not_gso(c, r);
		return;
	}
	if (tso_geometry(&t, r) || tso_seed(&t, r))
		return;
	tso_header_sums(&t);
	for (i = 0; i < t.nsegs; i++) {
		if (tso_segment(&t, i, r)) {
			ofd_result_unsupported(r, "emu: result slot full");
			return;
		}
	}
}

const struct emu_offload ofd_emu_tso = {
	.run = ofdint_emu_tso,
};
