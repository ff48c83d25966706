// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_txcsum.c - root-cause hypotheses for TX checksum discrepancies.
 *
 * Each hypothesis is an alternative computation a device might do instead
 * of skb_checksum_help's. It builds the whole frame that computation would
 * emit from the case's input, and it explains the discrepancy only if that
 * frame equals the target's output byte for byte: a hypothesis never
 * "roughly" matches. The computations are written here independently of
 * the emulator's bug knobs, so a match is evidence, not a tautology.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_offload.h"

struct hctx {
	const struct ofd_case *c;
	const uint8_t *in;     /* input frame (seed in the field) */
	uint32_t len;
	const uint8_t *actual; /* target's frame, materialised */
	uint8_t *alt;          /* scratch */
	struct ofd_parsed p;
	int l4;                /* layer index at csum_start, -1 if none */
	uint32_t start, pos;
};

static uint16_t mapped(uint16_t v)
{
	return v ? v : 0xffff;
}

static bool alt_matches(struct hctx *h)
{
	return !memcmp(h->alt, h->actual, h->len);
}

/* Full checksum of an L4 layer computed by a parsing device: pseudo-header
 * plus the L4 bytes with the checksum field taken as zero. */
static int l4_full_csum(struct hctx *h, int l4, uint32_t field, int use_v6_dst,
			uint16_t *out)
{
	const struct ofd_layer *l = &h->p.layer[l4];
	uint32_t l4_len, sum, s;
	uint16_t udp_len;

	if (l->proto == OFD_P_UDP) {
		if (ofd_get_be16(h->in, h->len, l->off + 4, &udp_len))
			return -EBADMSG;
		l4_len = udp_len;
	} else {
		l4_len = h->len - l->off;
	}
	if (ofd_parse_pseudo(h->in, h->len, &h->p, l4, l4_len, use_v6_dst, &sum))
		return -EINVAL;
	if (field + 2 > h->len)
		return -EBADMSG;
	s = ofd_csum_partial(h->in + l->off, field - l->off, 0);
	s = ofd_csum_block_add(s, ofd_csum_partial(h->in + field + 2,
						   h->len - field - 2, 0),
			       field + 2 - l->off);
	*out = ofd_csum_fold(ofd_csum_add(s, sum));
	return 0;
}

static void put_alt(struct hctx *h, uint32_t off, uint16_t v)
{
	memcpy(h->alt, h->in, h->len);
	ofd_put_be16(h->alt + off, v);
}

static bool h_zero_not_mapped(struct hctx *h, struct ofd_explanation *e)
{
	uint16_t v = ofd_csum_fold(ofd_csum_partial(h->in + h->start, h->len - h->start, 0));

	if (v != 0)
		return false;
	put_alt(h, h->pos, 0x0000);
	if (!alt_matches(h))
		return false;
	e->id = "zero-not-mapped";
	snprintf(e->text, sizeof(e->text),
		 "0 -> 0xffff mapping not applied: 0x0000 emitted where the kernel writes 0xffff");
	return true;
}

/* Is there an SRH between the L3 header and the L4 whose final segment
 * differs from the IPv6 destination? */
/* Does a routing header with segments left name a final destination other
 * than the IPv6 Destination Address? Only then is the IPv6 header's
 * destination the wrong one (ofd_parse_pseudo: with segments left 0 it is
 * the final destination, as the live kernel's receive path confirms). */
static bool srh_changes_dst(struct hctx *h)
{
	const uint8_t *final = NULL, *f;
	int i;

	for (i = h->l4 - 1; i >= 0; i--) {
		const struct ofd_layer *l = &h->p.layer[i];

		if (l->proto == OFD_P_IPV6 || l->proto == OFD_P_IPV4)
			return final && l->proto == OFD_P_IPV6 &&
			       memcmp(final, h->in + l->off + 24, 16);
		if ((l->proto != OFD_P_SRH && l->proto != OFD_P_RTHDR) ||
		    l->off + l->len > h->len || final)
			continue;
		/* Walking inwards-out: the first hit is the last header. */
		f = ofd_rthdr_final(h->in + l->off, l->len);
		if (f)
			final = f;
	}
	return false;
}

static bool h_ipv6_dst(struct hctx *h, struct ofd_explanation *e)
{
	uint16_t v;

	if (h->l4 < 0 || !srh_changes_dst(h))
		return false;
	if (l4_full_csum(h, h->l4, h->pos, 1, &v))
		return false;
	put_alt(h, h->pos, mapped(v));
	if (!alt_matches(h))
		return false;
	e->id = "pseudo-header-ipv6-dst";
	snprintf(e->text, sizeof(e->text),
		 "IPv6 destination used instead of the SRH final segment");
	return true;
}

static bool h_unfilled(struct hctx *h, struct ofd_explanation *e)
{
	if (memcmp(h->in, h->actual, h->len))
		return false;
	e->id = "not-filled";
	snprintf(e->text, sizeof(e->text),
		 "checksum not computed: the pseudo-header seed left in the field");
	return true;
}

static bool h_outer(struct hctx *h, struct ofd_explanation *e)
{
	int o = h->p.outer_l4;
	uint16_t v;

	if (h->l4 < 0 || o < 0 || o == h->l4 || h->p.layer[o].proto != OFD_P_UDP)
		return false;
	if (l4_full_csum(h, o, h->p.layer[o].off + 6, 0, &v))
		return false;
	put_alt(h, h->p.layer[o].off + 6, mapped(v));
	if (!alt_matches(h))
		return false;
	e->id = "outer-instead-of-inner";
	snprintf(e->text, sizeof(e->text),
		 "outer UDP header checksummed instead of the inner L4 header");
	snprintf(e->detail, sizeof(e->detail),
		 "outer udp.checksum at byte %u filled, inner %s checksum at byte %u left with the seed",
		 h->p.layer[o].off + 6, ofd_proto_name(h->p.layer[h->l4].proto), h->pos);
	return true;
}

/* A device that does not walk IPv6 extension headers takes the L4 header
 * to start right after the fixed 40-byte header. */
static bool h_exthdr(struct hctx *h, struct ofd_explanation *e)
{
	const struct ofd_layer *l3 = NULL;
	uint32_t x, field, l4_len, ps, s;
	uint8_t proto;
	int i, dst, zero;

	for (i = h->l4 - 1; i >= 0; i--)
		if (h->p.layer[i].proto == OFD_P_IPV6 || h->p.layer[i].proto == OFD_P_IPV4) {
			l3 = &h->p.layer[i];
			break;
		}
	if (h->l4 < 0 || !l3 || l3->proto != OFD_P_IPV6 || h->start == l3->off + 40)
		return false;
	x = l3->off + 40;
	if (h->c->req.csum_type == OFD_CSUM_CRC32C) {
		/* an SCTP engine writes the CRC at L4 + 8, little endian */
		field = x + 8;
		if (field + 4 > h->len)
			return false;
		for (zero = 0; zero < 2; zero++) {
			uint32_t crc;

			memcpy(h->alt, h->in, h->len);
			if (zero)
				memset(h->alt + field, 0, 4);
			crc = ~ofd_crc32c(0xffffffffu, h->alt + x, h->len - x);
			h->alt[field] = (uint8_t)crc;
			h->alt[field + 1] = (uint8_t)(crc >> 8);
			h->alt[field + 2] = (uint8_t)(crc >> 16);
			h->alt[field + 3] = (uint8_t)(crc >> 24);
			if (alt_matches(h))
				goto found;
		}
		return false;
	}
	field = x + h->c->req.vnet.csum_offset;
	if (field + 2 > h->len)
		return false;
	proto = h->p.layer[h->l4].proto == OFD_P_UDP ? 17 : 6;
	l4_len = h->len - x;
	for (dst = 0; dst < 2; dst++) {
		const uint8_t *daddr = h->in + l3->off + 24;
		uint8_t final[16];

		if (!dst) {
			/* final destination, as the stack's pseudo-header */
			for (i = h->l4 - 1; i >= 0 && h->p.layer[i].proto != OFD_P_SRH; i--)
				;
			if (i < 0 || h->p.layer[i].off + 24 > h->len)
				continue;
			memcpy(final, h->in + h->p.layer[i].off + 8, 16);
			daddr = final;
		}
		ps = ofd_pseudo_v6(h->in + l3->off + 8, daddr, l4_len, proto);
		for (zero = 0; zero < 2; zero++) {
			memcpy(h->alt, h->in, h->len);
			if (zero)
				memset(h->alt + field, 0, 2);
			s = ofd_csum_add(ps, ofd_csum_partial(h->alt + x, h->len - x, 0));
			ofd_put_be16(h->alt + field, mapped(ofd_csum_fold(s)));
			if (alt_matches(h))
				goto found;
		}
	}
	return false;
found:
	e->id = "ipv6-exthdr-not-parsed";
	snprintf(e->text, sizeof(e->text),
		 "IPv6 extension headers not parsed: L4 header assumed right after the fixed IPv6 header");
	snprintf(e->detail, sizeof(e->detail),
		 "checksum written at byte %u (fixed IPv6 header end %u + field offset) instead of %u",
		 field, x, h->pos);
	return true;
}

static bool h_no_pseudo(struct hctx *h, struct ofd_explanation *e)
{
	uint32_t s;

	memcpy(h->alt, h->in, h->len);
	memset(h->alt + h->pos, 0, 2);
	s = ofd_csum_partial(h->alt + h->start, h->len - h->start, 0);
	ofd_put_be16(h->alt + h->pos, mapped(ofd_csum_fold(s)));
	if (!alt_matches(h))
		return false;
	e->id = "no-pseudo-header";
	snprintf(e->text, sizeof(e->text), "pseudo-header left out of the sum");
	return true;
}

/* The end of the IP datagram by its length field, if inside the frame. */
static uint32_t ip_end(struct hctx *h)
{
	int i;
	uint16_t v;

	for (i = h->l4 - 1; i >= 0; i--) {
		const struct ofd_layer *l = &h->p.layer[i];

		if (l->proto == OFD_P_IPV4 && !ofd_get_be16(h->in, h->len, l->off + 2, &v))
			return l->off + v;
		if (l->proto == OFD_P_IPV6 && !ofd_get_be16(h->in, h->len, l->off + 4, &v))
			return l->off + 40 + v;
	}
	return 0;
}

static bool try_range(struct hctx *h, uint32_t s, uint32_t end)
{
	uint16_t v = ofd_csum_fold(ofd_csum_partial(h->in + s, end - s, 0));
	int m;

	/* with and without the 0 -> 0xffff mapping */
	for (m = 0; m < 2; m++) {
		put_alt(h, h->pos, m ? v : mapped(v));
		if (alt_matches(h))
			return true;
	}
	return false;
}

static bool h_range(struct hctx *h, struct ofd_explanation *e)
{
	uint32_t end, lo, ipe = ip_end(h), i;

	if (ipe > h->pos + 2 && ipe < h->len && try_range(h, h->start, ipe)) {
		e->id = "wrong-length";
		snprintf(e->text, sizeof(e->text),
			 "sum stops before the frame end (trailing bytes left out)");
		snprintf(e->detail, sizeof(e->detail),
			 "sum ends at the IP length (byte %u) instead of the frame end (%u): %u trailing bytes left out",
			 ipe, h->len, h->len - ipe);
		return true;
	}
	/* Ends short of the frame: search the last 64 bytes. */
	lo = h->len > 64 ? h->len - 64 : 0;
	if (lo < h->pos + 2)
		lo = h->pos + 2;
	for (end = h->len - 1; end >= lo && end > h->start; end--) {
		if (try_range(h, h->start, end)) {
			e->id = "wrong-length";
			snprintf(e->text, sizeof(e->text),
				 "sum stops before the frame end (trailing bytes left out)");
			snprintf(e->detail, sizeof(e->detail),
				 "sum over [%u, %u) instead of [%u, %u): the last %u byte%s left out",
				 h->start, end, h->start, h->len, h->len - end,
				 h->len - end == 1 ? "" : "s");
			return true;
		}
	}
	/* Starts at another header boundary. */
	for (i = 0; i < h->p.nlayers; i++) {
		uint32_t s = h->p.layer[i].off;

		if (s == h->start || s >= h->pos || h->p.layer[i].proto == OFD_P_PAYLOAD)
			continue;
		if (try_range(h, s, h->len)) {
			e->id = "wrong-start";
			snprintf(e->text, sizeof(e->text),
				 "sum starts at another header instead of csum_start");
			snprintf(e->detail, sizeof(e->detail),
				 "sum starts at byte %u (%s header) instead of csum_start %u",
				 s, ofd_proto_name(h->p.layer[i].proto), h->start);
			return true;
		}
	}
	return false;
}

typedef bool (*hypothesis_fn)(struct hctx *h, struct ofd_explanation *e);

/* Most specific first: a broad hypothesis may also match by accident. */
static const hypothesis_fn hypotheses[] = {
	h_zero_not_mapped, h_ipv6_dst, h_unfilled, h_outer, h_exthdr,
	h_no_pseudo, h_range,
};

/* Try every hypothesis for why the target's frame differs from what the
 * kernel produced; 0 with *e filled when one reproduces it exactly. */
static int txcsum_explain(const struct ofd_case *c, const struct ofd_result *ref,
			  const struct ofd_result *tgt, struct ofd_explanation *e)
{
	const struct ofd_frame *actual = &tgt->frame[0];
	struct hctx h;
	uint8_t *act;
	size_t i;
	int ret = -ENOENT;
	uint32_t k;

	memset(e, 0, sizeof(*e));
	if (c->npkts != 1 || tgt->nframes != 1 || actual->len != c->pkts[0].len)
		return -ENOENT;
	h.c = c;
	h.in = c->pkts[0].data;
	h.len = c->pkts[0].len;
	h.start = c->req.vnet.csum_start;
	h.pos = h.start + c->req.vnet.csum_offset;
	if (h.start >= h.len || h.pos + 2 > h.len)
		return -ENOENT;
	act = malloc(h.len);
	h.alt = malloc(h.len);
	if (!act || !h.alt)
		goto out;
	ofd_frame_materialize(actual, act);
	h.actual = act;
	ofd_parse(h.in, h.len, 0, &h.p);
	h.l4 = -1;
	for (k = 0; k < h.p.nlayers; k++)
		if (h.p.layer[k].off == h.start && h.p.layer[k].proto != OFD_P_PAYLOAD)
			h.l4 = (int)k;
	for (i = 0; i < OFD_ARRAY_SIZE(hypotheses); i++) {
		/* Only some computations have a CRC32c counterpart. */
		if (c->req.csum_type == OFD_CSUM_CRC32C &&
		    hypotheses[i] != h_unfilled && hypotheses[i] != h_exthdr)
			continue;
		if (hypotheses[i](&h, e)) {
			ret = 0;
			break;
		}
	}
	/* kernel-tx.md 2.3 and bug-catalogue #1: what a deployment sees */
	if (!ret && !strcmp(e->id, "ipv6-exthdr-not-parsed") &&
	    c->req.kind == OFD_REQ_LEGACY)
		snprintf(e->note, sizeof(e->note), "%s",
			 "Linux 6.18 does not hand IPv6 packets with extension headers to a NETIF_F_IPV6_CSUM device (skb_csum_hwoffload_help checksums them in software); kernels before 04c20a9356f2 did");
out:
	free(act);
	free(h.alt);
	return ret;
}

const struct ofd_offload_judge ofd_judge_tx_csum = {
	.explain = txcsum_explain,
};
