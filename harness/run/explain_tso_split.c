// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_tso_split.c - segment-count hypotheses of the tso judge: the
 * super-packet not segmented, split at another MSS (TCP options counted
 * against it), its last segments dropped, an empty segment added. Each
 * builds the segments that split gives by the kernel's rules and must
 * reproduce the target's bytes exactly (see explain_tso.c).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_csum.h"
#include "explain_tso_internal.h"

/* ------------------------------------------------------------------ */
/* Another split                                                       */
/* ------------------------------------------------------------------ */

/*
 * The super-packet split into k segments of the given payload sizes by
 * the kernel's rules, from the reference's first segment: its headers,
 * lengths for each size, sequence numbers by offset, IDs counting where
 * the reference's count, PSH/FIN on the last, CWR on the first.
 */
static int build_split(struct tctx *t, const uint32_t *sizes, uint32_t k)
{
	const struct seg *r0 = &t->ref[0];
	uint32_t *lens = calloc(k ? k : 1, sizeof(*lens)), j, off = 0, x;
	uint8_t last_flags = t->tcp ? flags_of(t, &t->ref[t->n - 1]) & (TCP_PSH | TCP_FIN) : 0;
	int ret;

	if (!lens)
		return -ENOMEM;
	for (j = 0; j < k; j++)
		lens[j] = t->hlen + sizes[j];
	ret = tso_alt_room(t, k, lens);
	free(lens);
	if (ret)
		return ret;
	for (j = 0; j < k; j++) {
		struct seg *a = &t->alt[j];
		struct recalc rc = { 0 };

		if (off + sizes[j] > t->len - t->hlen)
			return -ERANGE;
		memcpy(a->b, r0->b, t->hlen);
		memcpy(a->b + t->hlen, t->in + t->hlen + off, sizes[j]);
		for (x = 0; (int)x < t->l4; x++) {
			const struct ofd_layer *l = &t->ps.layer[x];

			if (l->proto == OFD_P_IPV4) {
				uint16_t id0 = rd16(r0->b, l->off + 4);
				bool inc = t->n > 1 && rd16(t->ref[1].b, l->off + 4) != id0;

				ofd_put_be16(a->b + l->off + 2, (uint16_t)(a->len - l->off));
				ofd_put_be16(a->b + l->off + 4, (uint16_t)(id0 + (inc ? j : 0)));
			} else if (l->proto == OFD_P_IPV6) {
				ofd_put_be16(a->b + l->off + 4, (uint16_t)(a->len - l->off - 40));
			} else if ((int)x == t->outer_udp) {
				ofd_put_be16(a->b + l->off + 4, (uint16_t)(a->len - l->off));
			}
		}
		if (t->tcp) {
			uint8_t *th = a->b + t->l4off;
			uint32_t seq = (uint32_t)th[4] << 24 | (uint32_t)th[5] << 16 |
				       (uint32_t)th[6] << 8 | th[7];

			ofd_put_be32(th + 4, seq + off);
			th[13] &= (uint8_t)~(TCP_PSH | TCP_FIN);
			if (j + 1 == k)
				th[13] |= last_flags;
			if (j > 0 && t->n > 1 && !(flags_of(t, &t->ref[1]) & TCP_CWR))
				th[13] &= (uint8_t)~TCP_CWR;
		} else {
			ofd_put_be16(a->b + t->l4off + 4, (uint16_t)(a->len - t->l4off));
		}
		tso_recalc(t, r0, a, &rc);
		off += sizes[j];
	}
	return 0;
}

/* Split the payload into pieces of m bytes. */
static int split_by(struct tctx *t, uint32_t m, uint32_t **sizes, uint32_t *k)
{
	uint32_t p = t->len - t->hlen, j;

	if (!m)
		return -EINVAL;
	*k = (p + m - 1) / m;
	if (*k > OFD_MAX_FRAMES)
		return -ERANGE;
	*sizes = malloc(*k * sizeof(**sizes));
	if (!*sizes)
		return -ENOMEM;
	for (j = 0; j < *k; j++)
		(*sizes)[j] = j + 1 < *k ? m : p - j * m;
	return 0;
}

static bool try_split(struct tctx *t, uint32_t m)
{
	uint32_t *sizes = NULL, k;
	bool ok;

	if (split_by(t, m, &sizes, &k))
		return false;
	ok = k == t->tn && !build_split(t, sizes, k) && tso_alt_matches(t, k);
	free(sizes);
	return ok;
}

static bool prefix_of_ref(const struct tctx *t)
{
	uint32_t i;

	for (i = 0; i < t->tn && i < t->n; i++)
		if (t->ref[i].len != t->tgt[i].len ||
		    memcmp(t->ref[i].b, t->tgt[i].b, t->ref[i].len))
			return false;
	return true;
}

int tso_try_count(struct tctx *t, struct ofd_explanation *e)
{
	uint32_t p = t->len - t->hlen, optlen = 0, m, *sizes, j;
	uint8_t doff;

	if (!l4_csum_case(t))
		return -ENOENT;
	if (t->tn == 1 && t->tgt[0].len == t->len && !memcmp(t->tgt[0].b, t->in, t->len)) {
		e->id = "not-segmented";
		snprintf(e->text, sizeof(e->text), "not segmented: the super-packet sent whole");
		snprintf(e->detail, sizeof(e->detail),
			 "one frame of %u bytes, as handed to the device (checksum field left with the seed), where the kernel sends %u segments",
			 t->len, t->n);
		return 0;
	}
	if (t->tn == 1 && try_split(t, p)) {
		e->id = "not-segmented";
		snprintf(e->text, sizeof(e->text), "not segmented: the super-packet sent whole");
		snprintf(e->detail, sizeof(e->detail),
			 "one frame of %u bytes with its lengths and checksums filled in, where the kernel sends %u segments",
			 t->len, t->n);
		return 0;
	}
	if (t->tn < t->n && prefix_of_ref(t)) {
		e->id = t->tn + 1 == t->n ? "last-segment-dropped" : "segments-dropped";
		snprintf(e->text, sizeof(e->text), "%s",
			 t->tn + 1 == t->n ? "last segment dropped" : "trailing segments dropped");
		snprintf(e->detail, sizeof(e->detail),
			 "segments 1-%u equal the kernel's; %u-%u (%u payload bytes) missing",
			 t->tn, t->tn + 1, t->n, p - (t->tn ? (t->tn) * t->mss : 0));
		return 0;
	}
	if (t->tn == t->n + 1) {
		sizes = malloc(t->tn * sizeof(*sizes));
		if (!sizes)
			return -ENOMEM;
		for (j = 0; j < t->n; j++)
			sizes[j] = t->ref[j].len - t->hlen;
		sizes[t->n] = 0;
		if (!build_split(t, sizes, t->tn) && tso_alt_matches(t, t->tn)) {
			free(sizes);
			e->id = "extra-empty-segment";
			snprintf(e->text, sizeof(e->text),
				 "an extra segment without payload after the last");
			snprintf(e->detail, sizeof(e->detail),
				 "segment %u carries headers only (the FIN/PSH of the last with it)",
				 t->tn);
			return 0;
		}
		free(sizes);
	}
	if (t->tcp && !ofd_get_u8(t->in, t->len, t->l4off + 12, &doff))
		optlen = (doff >> 4) * 4u - 20;
	if (t->tgt[0].len > t->hlen) {
		m = t->tgt[0].len - t->hlen;
		if (m != t->mss && try_split(t, m)) {
			bool opts = optlen && m + optlen == t->mss;

			e->id = opts ? "mss-options-counted" : "mss-different";
			snprintf(e->text, sizeof(e->text), "%s", opts ?
				 "split at gso_size minus the TCP options: options counted against the MSS" :
				 "split at another MSS than gso_size");
			snprintf(e->detail, sizeof(e->detail),
				 "%u segments of %u payload bytes instead of %u of %u", t->tn, m,
				 t->n, t->mss);
			return 0;
		}
	}
	return -ENOENT;
}

