// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_gro.c - the gro judge: verdicts and explanations for a train
 * whose frames differ from the kernel's (architecture.md, "Verdict
 * semantics"; kernel-rx.md 1).
 *
 * A target may flush earlier than the kernel: that is benign. Every frame
 * it emits must still be one the kernel makes of the same packets under
 * some legal flush pattern, and re-segmenting a merged frame must give
 * back the packets it covers. The judge
 *  1. maps each target frame to the run of input packets it covers (a
 *     frame equal to an input packet, or a TCP frame whose sequence
 *     number and payload length cover consecutive packets of its flow);
 *  2. reruns the model with a flush point after every packet no run
 *     spans: the most flushes that keep every run whole. When that gives
 *     the target's frames, the target flushed earlier (benign);
 *  3. otherwise names the first target frame that pattern does not give
 *     and tests, on the model fed only that frame's packets, which one
 *     relaxed kernel rule rebuilds it exactly (ofd_gro_model.h); then
 *     whether the kernel's frame for the same packets differs only in
 *     gso_size or only in headers; then whether the tso model's
 *     re-segmentation of it gives back the packets byte for byte.
 * Every class is a rebuild that reproduces the target's bytes; a frame
 * none reproduces is coalescing-unexplained, with the frame named.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_parse.h"
#include "ofd_offload.h"
#include "ofd_run.h"
#include "ofd_gro_model.h"
#include "explain_gro_internal.h"

/* MACs, addresses and ports: the packets one TCP flow merges. */
static bool same_flow(const uint8_t *a, const struct tcpi *ta, const uint8_t *b,
		      const struct tcpi *tb)
{
	if (!ta->tcp || !tb->tcp || ta->v != tb->v || ta->th != tb->th || memcmp(a, b, 14))
		return false;
	if (ta->v == 4 ? memcmp(a + ta->nh + 12, b + tb->nh + 12, 8) :
			 memcmp(a + ta->nh + 8, b + tb->nh + 8, 32))
		return false;
	return !memcmp(a + ta->th, b + tb->th, 4);
}

/* Step 1: which packets each target frame covers. */
static void map_frames(struct gj *g, uint8_t *const *tb, const struct tcpi *ti)
{
	uint32_t f, i, j, k, nrun;

	for (i = 0; i < g->n; i++)
		g->owner[i] = -1;
	for (f = 0; f < g->tn; f++) {
		const struct ofd_frame *tf = &g->tgt->frame[f];
		uint32_t sum = 0;

		g->first[f] = g->last[f] = -1;
		g->cnt[f] = 0;
		for (i = 0; i < g->n; i++)
			if (g->owner[i] < 0 && g->c->pkts[i].len == tf->len &&
			    !memcmp(gro_pkt(g, i), tb[f], tf->len))
				break;
		if (i < g->n) {
			g->owner[i] = (int16_t)f;
			g->first[f] = g->last[f] = (int16_t)i;
			g->cnt[f] = 1;
			continue;
		}
		if (!ti[f].tcp)
			continue;
		for (j = 0; j < g->n; j++)
			if (g->owner[j] < 0 && g->in[j].seq == ti[f].seq &&
			    same_flow(gro_pkt(g, j), &g->in[j], tb[f], &ti[f]))
				break;
		if (j == g->n)
			continue;
		for (k = j, nrun = 0; k < g->n && sum < ti[f].plen; k++) {
			if (g->owner[k] >= 0 || !same_flow(gro_pkt(g, k), &g->in[k], tb[f], &ti[f]))
				continue;
			sum += g->in[k].plen;
			g->run[nrun++] = (uint16_t)k;
		}
		if (sum != ti[f].plen || !nrun)
			continue;
		for (k = 0; k < nrun; k++)
			g->owner[g->run[k]] = (int16_t)f;
		g->first[f] = (int16_t)j;
		g->last[f] = (int16_t)g->run[nrun - 1];
		g->cnt[f] = (uint16_t)nrun;
	}
}

static bool frame_eq(const struct ofd_frame *a, const struct ofd_frame *b)
{
	return a->len == b->len && ofd_frame_equal(a, b) && ofd_meta_equal(&a->meta, &b->meta);
}

/*
 * Which of g->r's frames each target frame equals, each used once, in
 * order within a flow (frames of different flows may come in another
 * order: a legal pattern with fewer flushes completes them otherwise).
 * The first target frame without a match, tn when all match.
 */
static uint32_t match_frames(struct gj *g, uint8_t *const *tb, const struct tcpi *ti,
			     int16_t *match)
{
	bool used[GJ_MAX_FRAMES] = { false };
	uint32_t f, a, e;

	if (g->r->status != OFD_RES_OK || g->r->nframes > GJ_MAX_FRAMES)
		return 0;
	for (f = 0; f < g->tn; f++) {
		match[f] = -1;
		for (a = 0; a < g->r->nframes; a++)
			if (!used[a] && frame_eq(&g->r->frame[a], &g->tgt->frame[f]))
				break;
		if (a == g->r->nframes)
			return f;
		for (e = 0; e < f; e++)
			if (match[e] > (int16_t)a && ti[e].tcp &&
			    same_flow(tb[e], &ti[e], tb[f], &ti[f]))
				return f;
		used[a] = true;
		match[f] = (int16_t)a;
	}
	return f;
}

/* The model on the packets of target frame f alone, one batch, relaxed. */
static void run_sub(struct gj *g, uint32_t f, unsigned int relax, uint32_t *np)
{
	struct ofd_case sc = *g->c;
	uint32_t i, n = 0;

	for (i = 0; i < g->n; i++)
		if (g->owner[i] == (int16_t)f) {
			g->alt[n] = g->c->pkts[i];
			g->alt[n++].flags = 0;
		}
	g->alt[n - 1].flags = OFD_PKT_F_FLUSH_AFTER;
	sc.pkts = g->alt;
	sc.npkts = n;
	ofd_result_reset(g->r);
	ofd_model_gro_relaxed(&sc, relax, g->r);
	*np = n;
}

/* How many of packets alt[0..n) the first frame of g->r covers. */
static uint32_t split_at(struct gj *g, uint32_t n)
{
	const struct ofd_frame *f0 = &g->r->frame[0];
	uint32_t i, have = 0, want;
	struct tcpi t0;
	uint8_t *b = malloc(f0->len ? f0->len : 1);

	if (!b)
		return 1;
	ofd_frame_materialize(f0, b);
	gro_tcp_info(b, f0->len, &t0);
	free(b);
	want = t0.tcp ? t0.plen : 0;
	for (i = 0; i < n; i++) {
		struct tcpi t;

		gro_tcp_info(g->alt[i].data, g->alt[i].len, &t);
		have += t.plen;
		if (have >= want)
			return i + 1;
	}
	return 1;
}

struct rule {
	unsigned int relax;
	const char *id, *text;
};

static const struct rule rules[] = {
	{ OFD_GRO_RELAX_PSH, "merged-across-psh", "merged past a segment with PSH, which ends a flow" },
	{ OFD_GRO_RELAX_TTL, "merged-ttl-differs", "merged packets whose TTL (hop limit) differs" },
	{ OFD_GRO_RELAX_TOS, "merged-tos-differs", "merged packets whose DSCP differs" },
	{ OFD_GRO_RELAX_ECN, "merged-ecn-ce", "merged packets whose ECN bits differ (CE marks lost)" },
	{ OFD_GRO_RELAX_ID, "merged-ip-id", "merged packets whose IPv4 IDs neither increment nor stay fixed" },
	{ OFD_GRO_RELAX_OPTIONS, "merged-options-differ", "merged packets whose TCP options differ" },
	{ OFD_GRO_RELAX_ACK, "merged-ack-differs", "merged packets with different ack numbers" },
	{ OFD_GRO_RELAX_SEQ, "merged-seq-gap", "merged packets whose sequence numbers do not follow" },
};

/* "ipv4.ttl 64 != 63": the field rule r found different between the
 * first packet a and the one the kernel starts a new frame with, b. */
static void rule_field(const struct rule *r, const uint8_t *a, const uint8_t *b,
		       const struct tcpi *ta, const struct tcpi *tb, char *out, size_t len)
{
	const uint8_t *ia = a + ta->nh, *ib = b + tb->nh;
	bool v4 = ta->v == 4;

	switch (r->relax) {
	case OFD_GRO_RELAX_TTL:
		snprintf(out, len, v4 ? "ipv4.ttl %u != %u" : "ipv6.hop_limit %u != %u",
			 v4 ? ia[8] : ia[7], v4 ? ib[8] : ib[7]);
		break;
	case OFD_GRO_RELAX_TOS:
	case OFD_GRO_RELAX_ECN: {
		unsigned int x = v4 ? ia[1] : (unsigned int)((ia[0] & 15) << 4 | ia[1] >> 4);
		unsigned int y = v4 ? ib[1] : (unsigned int)((ib[0] & 15) << 4 | ib[1] >> 4);

		if (r->relax == OFD_GRO_RELAX_ECN)
			snprintf(out, len, "%s.ecn %u != %u", v4 ? "ipv4" : "ipv6", x & 3, y & 3);
		else
			snprintf(out, len, "%s.dscp %u != %u", v4 ? "ipv4" : "ipv6", x >> 2, y >> 2);
		break;
	}
	case OFD_GRO_RELAX_ID:
		snprintf(out, len, "ipv4.id %u then %u", ia[4] << 8 | ia[5], ib[4] << 8 | ib[5]);
		break;
	case OFD_GRO_RELAX_PSH:
		snprintf(out, len, "tcp.flags.psh 1 before packet seq %u", tb->seq);
		break;
	case OFD_GRO_RELAX_ACK:
		snprintf(out, len, "tcp.ack %u != %u", gro_be32(a + ta->th + 8), gro_be32(b + tb->th + 8));
		break;
	case OFD_GRO_RELAX_SEQ:
		snprintf(out, len, "tcp.seq %u after %u", tb->seq, ta->seq);
		break;
	default:
		snprintf(out, len, "tcp.options differ");
	}
}

static int say(struct ofd_explanation *e, const char *id, const char *text, bool benign)
{
	e->id = id;
	snprintf(e->text, sizeof(e->text), "%s", text);
	e->benign = benign;
	return 0;
}

/* Step 3 for target frame f: which rebuild gives it. */
static int classify(struct gj *g, uint32_t f, uint8_t *const *tb, struct ofd_explanation *e)
{
	const struct ofd_frame *tf = &g->tgt->frame[f];
	uint32_t n, i, m;
	char fld[96] = "";

	if (g->first[f] < 0) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: %u bytes that cover no run of the train's packets",
			 g->where, f + 1, tf->len);
		return say(e, "coalescing-unexplained", "a frame no legal flush pattern and no tested rule gives", false);
	}
	run_sub(g, f, 0, &n);
	if (g->r->status == OFD_RES_OK && g->r->nframes > 1 && n > 1) {
		m = split_at(g, n);
		for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
			struct tcpi ta, tb2;

			run_sub(g, f, rules[i].relax, &n);
			if (g->r->status != OFD_RES_OK || g->r->nframes != 1 ||
			    !frame_eq(&g->r->frame[0], tf))
				continue;
			gro_tcp_info(g->alt[0].data, g->alt[0].len, &ta);
			gro_tcp_info(g->alt[m].data, g->alt[m].len, &tb2);
			rule_field(&rules[i], rules[i].relax == OFD_GRO_RELAX_ID ?
				   g->alt[m - 1].data : g->alt[0].data, g->alt[m].data,
				   &ta, &tb2, fld, sizeof(fld));
			snprintf(e->headline, sizeof(e->headline),
				 "%s, frame %u: merged %u packets the kernel keeps apart: %s",
				 g->where, f + 1, n, fld);
			return say(e, rules[i].id, rules[i].text, false);
		}
		if (gro_reseg(g, f, tb[f], fld, sizeof(fld))) {
			snprintf(e->headline, sizeof(e->headline),
				 "%s, frame %u: merged %u packets the kernel keeps apart, not re-segmentable: %s",
				 g->where, f + 1, n, fld);
			return say(e, "not-resegmentable", "re-segmenting the merged frame does not give back the packets it covers", false);
		}
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u packets the kernel keeps apart (after %u)",
			 g->where, f + 1, n, m);
		return say(e, "coalescing-unexplained", "a merge no tested rule relaxation gives", false);
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes == 1 && n > 1 &&
	    frame_eq(&g->r->frame[0], tf)) {
		/* the kernel makes exactly this of the packets in one batch:
		 * the target merged across a flush the train has (a batch
		 * boundary, a full bucket, a poll's budget) */
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u packets across a flush point of the train",
			 g->where, f + 1, n);
		return say(e, "merged-across-flush", "merged packets the kernel flushes apart at a NAPI batch boundary (or a full bucket)", false);
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes == 1) {
		const struct ofd_frame *kf = &g->r->frame[0];
		struct ofd_meta km = kf->meta;

		km.vnet.gso_size = tf->meta.vnet.gso_size;
		if (kf->len == tf->len && ofd_frame_equal(kf, tf) &&
		    kf->meta.vnet.gso_size != tf->meta.vnet.gso_size &&
		    ofd_meta_equal(&km, &tf->meta)) {
			snprintf(e->headline, sizeof(e->headline),
				 "%s, frame %u: merged %u packets with gso_size %u != %u",
				 g->where, f + 1, n, kf->meta.vnet.gso_size,
				 tf->meta.vnet.gso_size);
			return say(e, "wrong-gso-size", "the kernel's merge with another gso_size", false);
		}
	}
	if (g->cnt[f] > 1 && gro_reseg(g, f, tb[f], fld, sizeof(fld))) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u packets, not re-segmentable: %s",
			 g->where, f + 1, g->cnt[f], fld);
		return say(e, "not-resegmentable", "re-segmenting the merged frame does not give back the packets it covers", false);
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes == 1 && g->r->frame[0].len == tf->len) {
		const struct ofd_frame *kf = &g->r->frame[0];
		uint8_t *kb = malloc(kf->len ? kf->len : 1);
		struct ofd_parsed p;
		struct ofd_field fd;

		if (!kb)
			return -ENOMEM;
		ofd_frame_materialize(kf, kb);
		for (i = 0; i < kf->len && kb[i] == tb[f][i]; i++)
			;
		ofd_parse(kb, kf->len, 0, &p);
		if (i < kf->len && !ofd_parse_field_at(kb, kf->len, &p, i, &fd)) {
			snprintf(e->headline, sizeof(e->headline),
				 "%s, frame %u: the kernel's merge of the same %u packets differs: %s",
				 g->where, f + 1, n, fd.name);
			free(kb);
			if (fd.layer >= 0)
				return say(e, "merged-headers-differ", "the same packets merged, other headers than the kernel's", false);
			return say(e, "coalescing-unexplained", "the same packets merged, other payload bytes than the kernel's", false);
		}
		free(kb);
	}
	snprintf(e->headline, sizeof(e->headline), "%s, frame %u: no legal flush pattern gives it",
		 g->where, f + 1);
	return say(e, "coalescing-unexplained", "a frame no legal flush pattern and no tested rule gives", false);
}

/* Step 2, then 3. */
static int judge(struct gj *g, uint8_t *const *tb, const struct tcpi *ti,
		 const struct ofd_result *ref, struct ofd_explanation *e)
{
	struct ofd_case ac = *g->c;
	int16_t match[GJ_MAX_FRAMES];
	uint32_t i, f, bad;

	map_frames(g, tb, ti);
	for (i = 0; i < g->n; i++) {
		bool spanned = false;

		for (f = 0; f < g->tn && !spanned; f++)
			spanned = g->cnt[f] > 1 && g->first[f] <= (int)i && (int)i < g->last[f];
		g->alt[i] = g->c->pkts[i];
		if (!spanned)
			g->alt[i].flags |= OFD_PKT_F_FLUSH_AFTER;
	}
	ac.pkts = g->alt;
	ofd_result_reset(g->r);
	ofd_model_gro_relaxed(&ac, 0, g->r);
	bad = match_frames(g, tb, ti, match);
	if (bad == g->tn && g->r->nframes == g->tn) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s: flushed earlier than the kernel: %u frames for the kernel's %u, %d merges missed",
			 g->where, g->tn, ref->nframes, (int)g->tn - (int)ref->nframes);
		snprintf(e->detail, sizeof(e->detail), "%d merges missed",
			 (int)g->tn - (int)ref->nframes);
		return say(e, "earlier-flush", "the kernel's frames for a legal flush pattern with more flushes (fewer merges)",
			   true);
	}
	if (bad == g->tn) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s: %u frames where the kernel, flushing where the target did, emits %u",
			 g->where, g->tn, g->r->nframes);
		return say(e, "coalescing-unexplained", "frames missing against every legal flush pattern", false);
	}
	return classify(g, bad, tb, e);
}

static int gro_explain(const struct ofd_case *c, const struct ofd_result *ref,
		       const struct ofd_result *tgt, struct ofd_explanation *e)
{
	struct gj *g = NULL;
	uint8_t **tb = NULL;
	struct tcpi *ti = NULL;
	uint32_t i;
	int ret = -ENOENT;

	memset(e, 0, sizeof(*e));
	if (!c->npkts || c->npkts > GJ_MAX_PKTS || ref->status != OFD_RES_OK ||
	    tgt->status != OFD_RES_OK || tgt->nframes > GJ_MAX_FRAMES)
		return -ENOENT;
	g = calloc(1, sizeof(*g));
	tb = calloc(tgt->nframes + 1, sizeof(*tb));
	ti = calloc(tgt->nframes + 1, sizeof(*ti));
	if (!g || !tb || !ti || ofd_result__new(GJ_ARENA, &g->r) ||
	    ofd_result__new(GJ_ARENA, &g->seg)) {
		ret = -ENOMEM;
		goto out;
	}
	g->c = c;
	g->tgt = tgt;
	g->n = c->npkts;
	g->tn = tgt->nframes;
	if (c->src_file)
		snprintf(g->where, sizeof(g->where), "train %llu (%s %u)",
			 (unsigned long long)c->id, c->src_file, c->src_index);
	else
		snprintf(g->where, sizeof(g->where), "train %llu", (unsigned long long)c->id);
	for (i = 0; i < g->n; i++)
		gro_tcp_info(c->pkts[i].data, c->pkts[i].len, &g->in[i]);
	for (i = 0; i < g->tn; i++) {
		tb[i] = malloc(tgt->frame[i].len ? tgt->frame[i].len : 1);
		if (!tb[i]) {
			ret = -ENOMEM;
			goto out;
		}
		ofd_frame_materialize(&tgt->frame[i], tb[i]);
		gro_tcp_info(tb[i], tgt->frame[i].len, &ti[i]);
	}
	ret = judge(g, tb, ti, ref, e);
out:
	if (g) {
		if (g->r)
			ofd_result__free(g->r);
		if (g->seg)
			ofd_result__free(g->seg);
		for (i = 0; tb && i < g->tn; i++)
			free(tb[i]);
	}
	free(tb);
	free(ti);
	free(g);
	if (ret)
		memset(e, 0, sizeof(*e));
	return ret;
}

const struct ofd_offload_judge ofd_judge_gro = {
	.explain = gro_explain,
	.frame_noun = "frame",
	.unexplained = "coalescing-unexplained",
	.explains_meta = true,
};
