// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_tso.c - root-cause hypotheses for segmentation discrepancies.
 *
 * The reference's segments are the kernel's answer (kernel-tx.md 5-7).
 * Each hypothesis is a computation a device could plausibly make instead:
 * it transforms the reference's segments (flags, IDs, lengths, checksum
 * arithmetic) or re-splits the super-packet another way, and it explains
 * the discrepancy only if the segments it gives equal the target's byte
 * for byte. The hypotheses are written from the kernel's rules, not from
 * the emulator's knobs, so a match is evidence, not a tautology.
 *
 * A device that changes a header field also puts the change into the
 * checksums that cover it; that is done incrementally (RFC 1624) from the
 * reference's own checksums, so no hypothesis depends on whether the
 * stack's seed was right: only the difference between the two
 * computations matters. IPv4 header checksums are recomputed whole, as
 * every engine does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_offload.h"
#include "explain_tso_internal.h"

/* Sum of b[from, to) with the 2-byte field at fld (even distance from
 * `from`, or outside the range) read as zero. */
static uint32_t sum_skip(const uint8_t *b, uint32_t from, uint32_t to, uint32_t fld)
{
	uint32_t s;

	if (fld < from || fld + 2 > to)
		return ofd_csum_partial(b + from, to - from, 0);
	s = ofd_csum_partial(b + from, fld - from, 0);
	return ofd_csum_block_add(s, ofd_csum_partial(b + fld + 2, to - fld - 2, 0),
				  fld + 2 - from);
}

/*
 * Checksums of alt segment a, from reference segment r: the L4 and outer
 * UDP ones moved by the difference of the bytes they cover and of their
 * pseudo-header length, GRE's and IPv4's recomputed.
 */
void tso_recalc(const struct tctx *t, const struct seg *r, struct seg *a,
		   const struct recalc *rc)
{
	uint32_t s, i;
	uint16_t c;

	s = (uint16_t)~rd16(r->b, t->fld);
	s = ofd_csum_sub(s, sum_skip(r->b, t->l4off, r->len, t->fld));
	s = ofd_csum_add(s, sum_skip(a->b, t->l4off, a->len, t->fld));
	s = ofd_csum_sub(s, r->len - t->l4off);
	s = ofd_csum_add(s, rc->l4_plen ? rc->l4_plen : a->len - t->l4off);
	s = ofd_csum_sub(ofd_csum_add(s, rc->add), rc->sub);
	c = ofd_csum_fold(s);
	ofd_put_be16(a->b + t->fld, c || t->tcp ? c : 0xffff);
	/* IPv4 header checksums before the tunnel's checksums: a GRE or
	 * outer UDP checksum covers the inner IPv4 header, and an outer
	 * IPv4 header is in no one's sum but its own. */
	for (i = 0; i < t->ps.nlayers && (int)i < t->l4; i++) {
		const struct ofd_layer *l = &t->ps.layer[i];

		if (l->proto != OFD_P_IPV4)
			continue;
		ofd_put_be16(a->b + l->off + 10, 0);
		ofd_put_be16(a->b + l->off + 10, ofd_inet_csum(a->b + l->off, l->len));
	}
	if (t->gre >= 0 && t->gre_csum) {
		uint32_t g = t->ps.layer[t->gre].off;

		ofd_put_be16(a->b + g + 6, 0);
		ofd_put_be16(a->b + g + 4, ofd_csum_fold(sum_skip(a->b, g, a->len, g + 4)));
	}
	if (t->outer_udp >= 0 && !rc->outer_stale && rd16(r->b, t->ps.layer[t->outer_udp].off + 6)) {
		uint32_t u = t->ps.layer[t->outer_udp].off, f = u + 6;

		s = (uint16_t)~rd16(r->b, f);
		s = ofd_csum_sub(s, sum_skip(r->b, u, r->len, f));
		s = ofd_csum_add(s, sum_skip(a->b, u, a->len, f));
		s = ofd_csum_sub(s, r->len - u);
		s = ofd_csum_add(s, rc->o_plen ? rc->o_plen : a->len - u);
		c = ofd_csum_fold(s);
		ofd_put_be16(a->b + f, c ? c : 0xffff);
	}
}

/* Room for alt segments of these lengths; a->b point into altbuf. */
int tso_alt_room(struct tctx *t, uint32_t k, const uint32_t *lens)
{
	uint32_t i, total = 0;

	for (i = 0; i < k; i++)
		total += lens[i];
	if (total > t->altcap || !t->alt) {
		uint8_t *nb = realloc(t->altbuf, total ? total : 1);
		struct seg *ns = realloc(t->alt, (k ? k : 1) * sizeof(*ns));

		if (nb)
			t->altbuf = nb;
		if (ns)
			t->alt = ns;
		if (!nb || !ns)
			return -ENOMEM;
		t->altcap = total;
	} else {
		struct seg *ns = realloc(t->alt, (k ? k : 1) * sizeof(*ns));

		if (!ns)
			return -ENOMEM;
		t->alt = ns;
	}
	for (i = 0, total = 0; i < k; i++) {
		t->alt[i].b = t->altbuf + total;
		t->alt[i].len = lens[i];
		total += lens[i];
	}
	return 0;
}

bool tso_alt_matches(const struct tctx *t, uint32_t k)
{
	uint32_t i;

	if (k != t->tn)
		return false;
	for (i = 0; i < k; i++)
		if (t->alt[i].len != t->tgt[i].len ||
		    memcmp(t->alt[i].b, t->tgt[i].b, t->alt[i].len))
			return false;
	return true;
}

/* ------------------------------------------------------------------ */
/* Same segments, another computation                                  */
/* ------------------------------------------------------------------ */

/* A hypothesis edits segment i's header bytes (a copy of the
 * reference's) and says how its checksums are computed; false when it
 * does not apply to this case. */
typedef bool (*edit_fn)(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc);

static void name_flags(struct tctx *t, uint8_t f)
{
	snprintf(t->what, sizeof(t->what), "%s", (f & (TCP_PSH | TCP_FIN)) ==
		 (TCP_PSH | TCP_FIN) ? "PSH and FIN" : f & TCP_PSH ? "PSH" : "FIN");
}

static bool e_pshfin_every(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	uint8_t last = flags_of(t, &t->ref[t->n - 1]) & (TCP_PSH | TCP_FIN);

	(void)rc;
	if (!t->tcp || t->n < 2 || !last)
		return false;
	name_flags(t, last);
	a->b[t->l4off + 13] |= last;
	(void)i;
	return true;
}

static bool e_pshfin_none(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	uint8_t last = flags_of(t, &t->ref[t->n - 1]) & (TCP_PSH | TCP_FIN);

	(void)rc;
	if (!t->tcp || !last)
		return false;
	name_flags(t, last);
	if (i + 1 == t->n)
		a->b[t->l4off + 13] &= (uint8_t)~last;
	return true;
}

static bool e_cwr_every(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)rc;
	(void)i;
	if (!t->tcp || t->n < 2 || !(flags_of(t, &t->ref[0]) & TCP_CWR))
		return false;
	a->b[t->l4off + 13] |= TCP_CWR;
	return true;
}

static bool e_cwr_none(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)rc;
	if (!t->tcp || !(flags_of(t, &t->ref[0]) & TCP_CWR))
		return false;
	if (i == 0)
		a->b[t->l4off + 13] &= (uint8_t)~TCP_CWR;
	return true;
}

/* IPv4 IDs: which headers count up per segment; `which` picks them. */
enum id_rule { ID_FIXED, ID_ALL, ID_INNER_ONLY, ID_OUTER_ONLY, ID_SATURATE };

static bool edit_ids(struct tctx *t, uint32_t i, struct seg *a, enum id_rule rule)
{
	int first = -1, last = -1;
	uint32_t k, nv4 = 0;

	if (t->c->req.skb_gso & OFD_SKB_GSO_UDP ||
	    t->c->req.vnet.gso_type == OFD_VNET_GSO_UDP)
		return false; /* UFO fragments share one ID by rule */
	for (k = 0; (int)k < t->l4; k++)
		if (t->ps.layer[k].proto == OFD_P_IPV4) {
			if (first < 0)
				first = (int)k;
			last = (int)k;
			nv4++;
		}
	if (!nv4 || t->n < 2 || ((rule == ID_INNER_ONLY || rule == ID_OUTER_ONLY) && nv4 < 2))
		return false;
	for (k = 0; (int)k < t->l4; k++) {
		uint32_t off = t->ps.layer[k].off + 4, v;
		uint16_t id0 = rd16(t->ref[0].b, off);
		bool inc;

		if (t->ps.layer[k].proto != OFD_P_IPV4)
			continue;
		switch (rule) {
		case ID_FIXED:
			inc = false;
			break;
		case ID_INNER_ONLY:
			inc = (int)k == last;
			break;
		case ID_OUTER_ONLY:
			inc = (int)k == first;
			break;
		case ID_SATURATE:
			/* only where the kernel counts, and wraps */
			if (rd16(t->ref[1].b, off) != (uint16_t)(id0 + 1))
				continue;
			if (id0 + t->n - 1 <= 0xffff)
				continue;
			v = id0 + i;
			ofd_put_be16(a->b + off, (uint16_t)(v > 0xffff ? 0xffff : v));
			continue;
		default:
			inc = true;
			break;
		}
		ofd_put_be16(a->b + off, (uint16_t)(id0 + (inc ? i : 0)));
	}
	return true;
}

static bool e_id_fixed(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)rc;
	return edit_ids(t, i, a, ID_FIXED);
}

static bool e_id_all(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)rc;
	return edit_ids(t, i, a, ID_ALL);
}

static bool e_id_inner(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)rc;
	return edit_ids(t, i, a, ID_INNER_ONLY);
}

static bool e_id_outer(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)rc;
	return edit_ids(t, i, a, ID_OUTER_ONLY);
}

static bool e_id_saturate(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)rc;
	return edit_ids(t, i, a, ID_SATURATE);
}

static bool e_len_kept(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	(void)a;
	rc->add = t->seed_len;
	return l4_csum_case(t);
}

static bool e_len_twice(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	(void)a;
	rc->sub = t->seed_len;
	return l4_csum_case(t);
}

static bool e_len_zero(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	rc->sub = a->len - t->l4off;
	return l4_csum_case(t);
}

static bool e_len_unadjusted(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	rc->add = t->seed_len;
	rc->sub = a->len - t->l4off;
	return l4_csum_case(t);
}

static bool e_no_payload(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	if (!l4_csum_case(t) || a->len <= t->hlen)
		return false;
	rc->sub = ofd_csum_partial(a->b + t->hlen, a->len - t->hlen, 0);
	return true;
}

/* Every length field of the last segment as if it carried mss bytes. */
static void grow_lengths(struct tctx *t, struct seg *a, uint32_t d, bool with_udp)
{
	uint32_t k;

	for (k = 0; (int)k < t->l4; k++) {
		const struct ofd_layer *l = &t->ps.layer[k];

		if (l->proto == OFD_P_IPV4)
			ofd_put_be16(a->b + l->off + 2, (uint16_t)(rd16(a->b, l->off + 2) + d));
		else if (l->proto == OFD_P_IPV6)
			ofd_put_be16(a->b + l->off + 4, (uint16_t)(rd16(a->b, l->off + 4) + d));
		else if (l->proto == OFD_P_UDP && (int)k == t->outer_udp)
			ofd_put_be16(a->b + l->off + 4, (uint16_t)(rd16(a->b, l->off + 4) + d));
	}
	if (with_udp)
		ofd_put_be16(a->b + t->l4off + 4, (uint16_t)(rd16(a->b, t->l4off + 4) + d));
}

static bool last_len(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc,
		     bool pseudo_too)
{
	uint32_t full = t->hlen + t->mss, d;

	if (!l4_csum_case(t) || t->ref[t->n - 1].len >= full)
		return false;
	if (i + 1 < t->n)
		return true;
	d = full - a->len;
	grow_lengths(t, a, d, !t->tcp);
	if (pseudo_too) {
		rc->l4_plen = a->len - t->l4off + d;
		if (t->outer_udp >= 0)
			rc->o_plen = a->len - t->ps.layer[t->outer_udp].off + d;
	}
	return true;
}

static bool e_last_len(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	return last_len(t, i, a, rc, true);
}

static bool e_last_len_fields(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	return last_len(t, i, a, rc, false);
}

static bool outer_len(struct tctx *t, struct seg *a, struct recalc *rc, bool pseudo_too)
{
	uint32_t u;
	uint16_t v;

	if (t->outer_udp < 0)
		return false;
	u = t->ps.layer[t->outer_udp].off;
	if (ofd_get_be16(t->in, t->len, u + 4, &v))
		return false;
	ofd_put_be16(a->b + u + 4, v);
	if (pseudo_too)
		rc->o_plen = v;
	return true;
}

static bool e_outer_len(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	return outer_len(t, a, rc, false);
}

static bool e_outer_len_pseudo(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	return outer_len(t, a, rc, true);
}

static bool outer_csum(struct tctx *t, struct seg *a, struct recalc *rc, bool zero)
{
	uint32_t u;
	uint16_t v;

	if (t->outer_udp < 0 || !rd16(t->ref[0].b, t->ps.layer[t->outer_udp].off + 6))
		return false;
	u = t->ps.layer[t->outer_udp].off;
	if (ofd_get_be16(t->in, t->len, u + 6, &v))
		return false;
	ofd_put_be16(a->b + u + 6, zero ? 0 : v);
	rc->outer_stale = true;
	return true;
}

static bool e_outer_csum(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	return outer_csum(t, a, rc, false);
}

static bool e_outer_csum_zero(struct tctx *t, uint32_t i, struct seg *a, struct recalc *rc)
{
	(void)i;
	return outer_csum(t, a, rc, true);
}

struct hyp {
	const char *id;
	const char *text; /* after t->what, which the edit may fill */
	edit_fn edit;
};

/* Most specific first: a broad hypothesis may also match by accident. */
static const struct hyp same_count[] = {
	{ "psh-fin-every-segment", " copied to every segment", e_pshfin_every },
	{ "psh-fin-none", " cleared on the last segment too", e_pshfin_none },
	{ "cwr-every-segment", "CWR copied to every segment", e_cwr_every },
	{ "cwr-none", "CWR cleared on the first segment too", e_cwr_none },
	{ "ipv4-id-not-wrapped", "IPv4 ID not wrapped past 0xffff: it stays 0xffff", e_id_saturate },
	{ "ipv4-id-inner-instead-of-outer",
	  "the inner IPv4 ID incremented instead of the outer one", e_id_inner },
	{ "ipv4-id-outer-instead-of-inner",
	  "the outer IPv4 ID incremented instead of the inner one", e_id_outer },
	{ "ipv4-id-fixed", "IPv4 ID not incremented: every segment carries the first one's",
	  e_id_fixed },
	{ "ipv4-id-incremented", "IPv4 ID incremented where the kernel keeps it fixed (FIXEDID)",
	  e_id_all },
	{ "last-segment-length-full",
	  "last segment's length fields written as if it were full-size", e_last_len },
	{ "last-segment-length-full",
	  "last segment's length fields written as if it were full-size", e_last_len_fields },
	{ "outer-udp-length-stale",
	  "outer UDP length not updated: every segment carries the super-packet's", e_outer_len },
	{ "outer-udp-length-stale",
	  "outer UDP length not updated: every segment carries the super-packet's",
	  e_outer_len_pseudo },
	{ "outer-udp-checksum-stale",
	  "outer UDP checksum not updated: every segment carries the super-packet's field",
	  e_outer_csum },
	{ "outer-udp-checksum-missing", "outer UDP checksum not computed: 0 in every segment",
	  e_outer_csum_zero },
	{ "pseudo-header-length-kept",
	  "pseudo-header length not removed from the seed: each segment's L4 checksum also counts the super-packet's length",
	  e_len_kept },
	{ "pseudo-header-length-removed-twice",
	  "pseudo-header length removed twice from the seed: each segment's L4 checksum lacks the super-packet's length",
	  e_len_twice },
	{ "seed-not-adjusted",
	  "seed used unchanged: each segment's L4 checksum counts the super-packet's length instead of its own",
	  e_len_unadjusted },
	{ "pseudo-header-length-zero", "L4 checksum with pseudo-header length 0", e_len_zero },
	{ "checksum-without-payload", "L4 checksum over the headers only: the payload left out",
	  e_no_payload },
};

/* Segments (1-based) that differ from the reference's, as "1-2 of 3". */
static void which_segments(const struct tctx *t, char *buf, size_t len)
{
	uint32_t i, first = 0, last = 0, cnt = 0;

	for (i = 0; i < t->n; i++)
		if (t->ref[i].len != t->tgt[i].len ||
		    memcmp(t->ref[i].b, t->tgt[i].b, t->ref[i].len)) {
			if (!cnt++)
				first = i + 1;
			last = i + 1;
		}
	if (cnt == 1)
		snprintf(buf, len, "segment %u of %u", first, t->n);
	else
		snprintf(buf, len, "%u segments in %u-%u of %u", cnt, first, last, t->n);
}

static int try_same_count(struct tctx *t, struct ofd_explanation *e)
{
	uint32_t i;
	size_t h;
	int ret;

	for (h = 0; h < OFD_ARRAY_SIZE(same_count); h++) {
		bool ok = true, changed = false;

		for (i = 0; i < t->n && ok; i++) {
			struct recalc rc = { 0 };

			if (!i) {
				uint32_t *all = malloc(t->n * sizeof(*all)), k;

				if (!all)
					return -ENOMEM;
				for (k = 0; k < t->n; k++)
					all[k] = t->ref[k].len;
				ret = tso_alt_room(t, t->n, all);
				free(all);
				if (ret)
					return ret;
			}
			memcpy(t->alt[i].b, t->ref[i].b, t->ref[i].len);
			t->what[0] = '\0';
			ok = same_count[h].edit(t, i, &t->alt[i], &rc);
			if (ok)
				tso_recalc(t, &t->ref[i], &t->alt[i], &rc);
			changed |= memcmp(t->alt[i].b, t->ref[i].b, t->ref[i].len) != 0;
		}
		if (!ok || !changed || !tso_alt_matches(t, t->n))
			continue;
		e->id = same_count[h].id;
		snprintf(e->text, sizeof(e->text), "%s%s", t->what, same_count[h].text);
		which_segments(t, e->detail, sizeof(e->detail));
		return 0;
	}
	return -ENOENT;
}

/* ------------------------------------------------------------------ */
/* Setup                                                               */
/* ------------------------------------------------------------------ */

static int materialize(const struct ofd_result *r, struct seg **out)
{
	struct seg *s = calloc(r->nframes ? r->nframes : 1, sizeof(*s));
	uint32_t i;

	if (!s)
		return -ENOMEM;
	*out = s;
	for (i = 0; i < r->nframes; i++) {
		s[i].len = r->frame[i].len;
		s[i].b = malloc(s[i].len ? s[i].len : 1);
		if (!s[i].b)
			return -ENOMEM;
		ofd_frame_materialize(&r->frame[i], s[i].b);
	}
	return 0;
}

static void free_segs(struct seg *s, uint32_t n)
{
	uint32_t i;

	for (i = 0; s && i < n; i++)
		free(s[i].b);
	free(s);
}

/* Find the segmented L4 and the tunnel layers in the first reference
 * segment; false when the reference is nothing this judge knows. */
static bool geometry(struct tctx *t)
{
	bool tunnel = t->c->req.skb_gso & (OFD_SKB_GSO_UDP_TUNNEL |
					   OFD_SKB_GSO_UDP_TUNNEL_CSUM | OFD_SKB_GSO_GRE |
					   OFD_SKB_GSO_GRE_CSUM | OFD_SKB_GSO_IPXIP4 |
					   OFD_SKB_GSO_IPXIP6);
	const struct ofd_parsed *ps = &t->ps;
	uint32_t i;
	uint8_t doff;

	ofd_parse(t->ref[0].b, t->ref[0].len, 0, &t->ps);
	t->l4 = t->outer_udp = t->gre = -1;
	for (i = 0; i < ps->nlayers; i++) {
		uint8_t p = ps->layer[i].proto;

		if (p == OFD_P_GRE)
			t->gre = (int)i;
		if (p != OFD_P_TCP && p != OFD_P_UDP)
			continue;
		if (tunnel && i + 1 < ps->nlayers && (ps->layer[i + 1].proto == OFD_P_VXLAN ||
						      ps->layer[i + 1].proto == OFD_P_GENEVE)) {
			t->outer_udp = (int)i;
			continue;
		}
		t->l4 = (int)i;
		break;
	}
	if (t->l4 < 0)
		return false;
	t->tcp = ps->layer[t->l4].proto == OFD_P_TCP;
	t->l4off = ps->layer[t->l4].off;
	t->fld = t->l4off + (t->tcp ? 16 : 6);
	t->gre_csum = t->c->req.skb_gso & OFD_SKB_GSO_GRE_CSUM;
	if (t->tcp) {
		if (ofd_get_u8(t->in, t->len, t->l4off + 12, &doff))
			return false;
		t->hlen = t->l4off + (doff >> 4) * 4u;
		t->seed_len = t->len - t->l4off;
	} else {
		uint16_t v;

		if (ofd_get_be16(t->in, t->len, t->l4off + 4, &v))
			return false;
		t->hlen = l4_csum_case(t) ? t->l4off + 8 : t->l4off;
		t->seed_len = v;
	}
	/* every segment must hold the header block */
	for (i = 0; i < t->n; i++)
		if (t->ref[i].len < t->hlen || t->ref[i].len < t->fld + 2)
			return false;
	for (i = 0; i < t->tn; i++)
		if (t->tgt[i].len < t->hlen)
			return false;
	return t->hlen <= t->len;
}

/*
 * UFO (kernel-tx.md 6.2): the last IP fragment's total length written as
 * if it carried gso_size bytes, everything else (and its header checksum
 * recomputed) the kernel's.
 */
static int ufo_last_len(struct tctx *t, struct ofd_explanation *e)
{
	const struct seg *r, *a;
	struct ofd_parsed ps;
	uint32_t i, d;
	uint8_t *b;
	int ip = -1, k;

	if (t->n != t->tn || t->n < 2)
		return -ENOENT;
	for (i = 0; i + 1 < t->n; i++)
		if (t->ref[i].len != t->tgt[i].len ||
		    memcmp(t->ref[i].b, t->tgt[i].b, t->ref[i].len))
			return -ENOENT;
	r = &t->ref[t->n - 1];
	a = &t->tgt[t->n - 1];
	if (r->len != a->len || r->len >= t->ref[0].len)
		return -ENOENT;
	d = t->ref[0].len - r->len;
	ofd_parse(r->b, r->len, 0, &ps);
	for (k = 0; k < (int)ps.nlayers; k++)
		if (ps.layer[k].proto == OFD_P_IPV4)
			ip = k;
	if (ip < 0 || ps.layer[ip].len > r->len - ps.layer[ip].off)
		return -ENOENT;
	b = malloc(r->len);
	if (!b)
		return -ENOMEM;
	memcpy(b, r->b, r->len);
	ofd_put_be16(b + ps.layer[ip].off + 2, (uint16_t)(rd16(b, ps.layer[ip].off + 2) + d));
	ofd_put_be16(b + ps.layer[ip].off + 10, 0);
	ofd_put_be16(b + ps.layer[ip].off + 10,
		     ofd_inet_csum(b + ps.layer[ip].off, ps.layer[ip].len));
	k = memcmp(b, a->b, r->len);
	free(b);
	if (k)
		return -ENOENT;
	e->id = "last-segment-length-full";
	snprintf(e->text, sizeof(e->text),
		 "last segment's length fields written as if it were full-size");
	snprintf(e->detail, sizeof(e->detail),
		 "last IPv4 fragment of %u: total length %u bytes too large", t->n, d);
	return 0;
}

static int tso_explain(const struct ofd_case *c, const struct ofd_result *ref,
		       const struct ofd_result *tgt, struct ofd_explanation *e)
{
	struct tctx t;
	int ret = -ENOENT;

	memset(e, 0, sizeof(*e));
	memset(&t, 0, sizeof(t));
	if (c->npkts != 1 || ref->status != OFD_RES_OK || tgt->status != OFD_RES_OK ||
	    !ref->nframes || !tgt->nframes)
		return -ENOENT;
	t.c = c;
	t.in = c->pkts[0].data;
	t.len = c->pkts[0].len;
	t.n = ref->nframes;
	t.tn = tgt->nframes;
	t.mss = c->req.vnet.gso_size;
	if (materialize(ref, &t.ref) || materialize(tgt, &t.tgt)) {
		ret = -ENOMEM;
		goto out;
	}
	/* UFO fragments have one checksum, over the datagram, in the first:
	 * of these computations only the last fragment's length applies */
	if (!l4_csum_case(&t)) {
		ret = ufo_last_len(&t, e);
		goto out;
	}
	if (!geometry(&t))
		goto out;
	/* another split can also give as many segments, of other sizes */
	if (t.n == t.tn)
		ret = try_same_count(&t, e);
	if (ret == -ENOENT)
		ret = tso_try_count(&t, e);
	if (ret == -ENOMEM || ret == -ERANGE)
		ret = -ENOENT;
out:
	free_segs(t.ref, t.ref ? t.n : 0);
	free_segs(t.tgt, t.tgt ? t.tn : 0);
	free(t.alt);
	free(t.altbuf);
	if (ret)
		memset(e, 0, sizeof(*e));
	return ret;
}

const struct ofd_offload_judge ofd_judge_tso = {
	.explain = tso_explain,
	.frame_noun = "segment",
	.unexplained = "segmentation-unexplained",
};
