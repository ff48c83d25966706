// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * capture.c - the `capture` target: a device judged from a pcap of what it
 * put on the wire, taken at a peer while the campaign's corpus was sent
 * through it (by any means: offdiff's iface target, a traffic generator, a
 * test rig that cannot run offdiff).
 *
 * A capture has no case ids and no reliable order: the peer sees foreign
 * traffic, queues reorder, a device drops or splits frames. So each case's
 * frames are found by content, anywhere in the capture, with the wire
 * correlator (targets/wire/correlate.c): the model says what the kernel
 * would emit for each case of a batch, and the captured frames that
 * resemble those frames most are the case's output. Each captured frame
 * serves one case at most over the whole run; a case's frames are given
 * in capture order, by reference into the loaded capture (no copy).
 *
 * To keep a run linear in the capture, the captured frames are indexed at
 * open under the correlator's two keys (ofd_corr_keys): a batch scores
 * only the frames that share a key with one of its expected frames, never
 * the whole capture.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_pcap.h"
#include "ofd_safe_open.h"
#include "ofd_correlate.h"
#include "ofd_marker.h"

/* A capture is loaded whole: refuse what cannot sensibly be. */
#define CAPTURE_MAX_BYTES (4ull << 30)
/* Unclaimed frames named in the closing tally. */
#define TALLY_FIRST 8

/* Frames by key: buckets of frame indexes in capture order. */
struct cindex {
	uint64_t *key;     /* per table slot, for slot_bucket */
	uint32_t *slot;    /* table slot -> bucket + 1 */
	uint32_t mask;
	uint32_t *start, *count; /* per bucket, in items[] */
	uint32_t *items;
};

struct cand {
	uint32_t frame, score;
	int kase;
	int exp;     /* the expected frame of the case it stands for */
	bool exact;  /* byte for byte that expected frame */
};

struct mark {
	uint64_t id;
	uint32_t start, end; /* frames [start, end) */
};

struct capture {
	char path[4096];
	char name[256];    /* as the user gave it, for reports */
	struct ofd_corpus cap;
	struct ofd_correlator *corr;
	struct cindex tail, flow;
	uint8_t *used;     /* per frame: claimed by a case */
	uint8_t *twin;     /* per frame: another frame has its very bytes */
	uint32_t *stamp;   /* per frame: batch that collected it */
	uint32_t batch;
	struct cand *cand; /* per batch, at most every frame */
	uint32_t ncand;
	struct cand *got;  /* the batch's claims: frame and case */
	uint32_t ngot;
	uint64_t matched, cases, silent;
	/* The iface target's markers (ofd_marker.h), by case id: the frames
	 * between a case's marker and the one before are its candidates. */
	struct mark *mark;
	uint32_t nmark;
	struct ofd_correlator *one; /* a window of the one marked case */
};

static const char unsent_why[] =
	"not sent by the iface run this capture was taken from (no marker names it)";
static const char no_frame_why[] =
	"no frame in the capture (not sent, or dropped by the device)";

static void cindex_free(struct cindex *x)
{
	free(x->key);
	free(x->slot);
	free(x->start);
	free(x->count);
	free(x->items);
	memset(x, 0, sizeof(*x));
}

/* Bucket + 1 of key k, or the free table slot's negated index - 1. */
static int64_t cindex_find(const struct cindex *x, uint64_t k)
{
	uint32_t i = (uint32_t)k & x->mask;

	while (x->slot[i]) {
		if (x->key[i] == k)
			return x->slot[i];
		i = (i + 1) & x->mask;
	}
	return -(int64_t)i - 1;
}

/* Index n frames whose keys are keys[]: count per bucket, then place
 * frames in capture order. */
static int cindex_build(struct cindex *x, const uint64_t *keys, uint32_t n)
{
	uint32_t size = 16, nb = 0, i, *which;

	while (size < 2 * (uint64_t)n + 2)
		size *= 2;
	x->mask = size - 1;
	x->key = calloc(size, sizeof(*x->key));
	x->slot = calloc(size, sizeof(*x->slot));
	x->start = calloc((size_t)n + 1, sizeof(*x->start));
	x->count = calloc((size_t)n + 1, sizeof(*x->count));
	x->items = calloc((size_t)n + 1, sizeof(*x->items));
	which = calloc((size_t)n + 1, sizeof(*which));
	if (!x->key || !x->slot || !x->start || !x->count || !x->items || !which) {
		free(which);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		int64_t b = cindex_find(x, keys[i]);

		if (b < 0) {
			uint32_t s = (uint32_t)(-b - 1);

			x->key[s] = keys[i];
			x->slot[s] = ++nb;
			b = nb;
		}
		which[i] = (uint32_t)b - 1;
		x->count[b - 1]++;
	}
	for (i = 1; i < nb; i++)
		x->start[i] = x->start[i - 1] + x->count[i - 1];
	memset(x->count, 0, (size_t)nb * sizeof(*x->count));
	for (i = 0; i < n; i++)
		x->items[x->start[which[i]] + x->count[which[i]]++] = i;
	free(which);
	return 0;
}

static int index_capture(struct capture *cp)
{
	uint32_t n = cp->cap.npkts, i;
	uint64_t *tk = calloc((size_t)n + 1, sizeof(*tk));
	uint64_t *lk = calloc((size_t)n + 1, sizeof(*lk));
	int ret = -ENOMEM;

	if (!tk || !lk)
		goto out;
	for (i = 0; i < n; i++)
		ofd_corr_keys(cp->cap.pkts[i].data, cp->cap.pkts[i].len, &tk[i], &lk[i]);
	ret = cindex_build(&cp->tail, tk, n);
	if (!ret)
		ret = cindex_build(&cp->flow, lk, n);
out:
	free(tk);
	free(lk);
	return ret;
}

static const struct ofd_corpus *twin_sort_cap;

static int by_bytes(const void *a, const void *b)
{
	const struct ofd_corpus_pkt *x = &twin_sort_cap->pkts[*(const uint32_t *)a];
	const struct ofd_corpus_pkt *y = &twin_sort_cap->pkts[*(const uint32_t *)b];

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->data, y->data, x->len);
}

/* Frames whose bytes another frame of the capture has too: which copy a
 * case gets is arbitrary (order_case). At open, sorting by content. */
static int find_twins(struct capture *cp)
{
	uint32_t n = cp->cap.npkts, i, *ix = calloc((size_t)n + 1, sizeof(*ix));

	if (!ix)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		ix[i] = i;
	twin_sort_cap = &cp->cap;
	qsort(ix, n, sizeof(*ix), by_bytes);
	for (i = 1; i < n; i++)
		if (!by_bytes(&ix[i - 1], &ix[i]))
			cp->twin[ix[i - 1]] = cp->twin[ix[i]] = 1;
	free(ix);
	return 0;
}

static void capture_free(struct capture *cp)
{
	if (!cp)
		return;
	ofd_corr_free(cp->corr);
	ofd_corr_free(cp->one);
	free(cp->mark);
	cindex_free(&cp->tail);
	cindex_free(&cp->flow);
	ofd_corpus_free(&cp->cap);
	free(cp->used);
	free(cp->twin);
	free(cp->stamp);
	free(cp->cand);
	free(cp->got);
	free(cp);
}

static int by_mark_id(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* The iface target's markers: each names the case whose frames came
 * since the marker before it. Markers are nobody's frames. */
static int find_marks(struct capture *cp)
{
	uint32_t i, prev = 0;
	uint64_t seq, id;

	for (i = 0; i < cp->cap.npkts; i++) {
		const struct ofd_corpus_pkt *p = &cp->cap.pkts[i];

		if (!ofd_marker_parse(p->data, p->len, &seq, &id))
			continue;
		if (!cp->mark) {
			cp->mark = calloc(cp->cap.npkts, sizeof(*cp->mark));
			if (!cp->mark)
				return -ENOMEM;
		}
		cp->mark[cp->nmark++] = (struct mark){ id, prev, i };
		cp->used[i] = 1;
		prev = i + 1;
	}
	qsort(cp->mark, cp->nmark, sizeof(*cp->mark), by_mark_id);
	return 0;
}

static const struct mark *find_mark(const struct capture *cp, uint64_t id)
{
	struct mark key = { .id = id };

	return cp->nmark ? bsearch(&key, cp->mark, cp->nmark, sizeof(key), by_mark_id) : NULL;
}

/*
 * A case with a marker: its frames are those of its stretch that match it
 * (a one-case window), in capture order; the batch's matching leaves it
 * out. 1 when the case had a marker.
 */
static int claim_marked(struct capture *cp, const struct ofd_case *c, unsigned int i,
			struct ofd_result *res)
{
	const struct mark *m = find_mark(cp, c->id);
	uint32_t f;
	int e;

	if (!m)
		return 0;
	e = ofd_corr_expect(cp->one, c, 1);
	if (e)
		return e;
	ofd_corr_skip(cp->corr, i);
	for (f = m->start; f < m->end; f++) {
		const struct ofd_corpus_pkt *p = &cp->cap.pkts[f];

		if (cp->used[f] || ofd_corr_match(cp->one, p->data, p->len) != 0)
			continue;
		cp->used[f] = 1;
		cp->matched++;
		if (!ofd_result_add_ref(res, p->data, p->len))
			return -E2BIG;
	}
	return 1;
}

static int target_capture_open(const struct ofd_engine_opts *opts, void **priv)
{
	const char *file = ofd_engine_param(opts, "file");
	struct capture *cp;
	char err[512];
	uint32_t n;
	int fd, ret;

	if (!file || !*file) {
		ofd_pr_warn("needs file=PCAP, the device's output captured at a peer (-t capture:file=out.pcap)\n");
		return -EINVAL;
	}
	cp = calloc(1, sizeof(*cp));
	if (!cp)
		return -ENOMEM;
	snprintf(cp->name, sizeof(cp->name), "%s", file);
	if (file[0] != '/' && opts->base_dir && *opts->base_dir)
		ret = snprintf(cp->path, sizeof(cp->path), "%s/%s", opts->base_dir, file);
	else
		ret = snprintf(cp->path, sizeof(cp->path), "%s", file);
	if (ret < 0 || (size_t)ret >= sizeof(cp->path)) {
		ofd_pr_warn("path of '%s' too long\n", file);
		ret = -ENAMETOOLONG;
		goto fail;
	}
	/* The size check on the file that is then read: a regular file of at
	 * most CAPTURE_MAX_BYTES (libpcap does the format checks). */
	ret = ofd_open_regular(cp->path, CAPTURE_MAX_BYTES, &fd, err, sizeof(err));
	if (ret) {
		ofd_pr_warn("%s%s\n", err,
			    ret == -EFBIG ? " (a capture is loaded whole; the limit is 4 GiB)" : "");
		goto fail;
	}
	close(fd);
	ret = ofd_corpus_load(&cp->cap, cp->path, err, sizeof(err));
	if (ret) {
		ofd_pr_warn("%s\n", err);
		goto fail;
	}
	n = cp->cap.npkts;
	cp->used = calloc((size_t)n + 1, 1);
	cp->twin = calloc((size_t)n + 1, 1);
	cp->stamp = calloc((size_t)n + 1, sizeof(*cp->stamp));
	cp->cand = calloc((size_t)n + 1, sizeof(*cp->cand));
	cp->got = calloc((size_t)n + 1, sizeof(*cp->got));
	if (!cp->used || !cp->twin || !cp->stamp || !cp->cand || !cp->got) {
		ret = -ENOMEM;
		goto fail;
	}
	ret = find_marks(cp);
	if (!ret)
		ret = index_capture(cp);
	if (!ret)
		ret = find_twins(cp);
	if (ret)
		goto fail;
	ret = ofd_corr_new(opts->caps, &cp->corr, err, sizeof(err));
	if (!ret && cp->nmark)
		ret = ofd_corr_new(opts->caps, &cp->one, err, sizeof(err));
	if (ret) {
		ofd_pr_warn("%s\n", err);
		goto fail;
	}
	*priv = cp;
	return 0;
fail:
	capture_free(cp);
	return ret < 0 ? ret : -EINVAL;
}

/* Collect the unclaimed frames of bucket b not yet collected this batch,
 * dropping claimed ones from the bucket for good (it keeps its order). */
static void collect(struct capture *cp, struct cindex *x, uint64_t key)
{
	int64_t b = cindex_find(x, key);
	uint32_t *it, i, kept = 0;

	if (b <= 0)
		return;
	it = x->items + x->start[b - 1];
	for (i = 0; i < x->count[b - 1]; i++) {
		uint32_t f = it[i];

		if (cp->used[f])
			continue;
		it[kept++] = f;
		if (cp->stamp[f] != cp->batch) {
			cp->stamp[f] = cp->batch;
			cp->cand[cp->ncand++] = (struct cand){ .frame = f };
		}
	}
	x->count[b - 1] = kept;
}

/* Fewest differing bytes first (the score's shortfall from the longer of
 * frame and expected frame: exact copies before near ones, whatever
 * their length), then capture order. */
static int by_score(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->score != y->score)
		return x->score < y->score ? -1 : 1;
	return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static int by_case(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	if (x->kase != y->kase)
		return x->kase < y->kase ? -1 : 1;
	return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static uint32_t expected_len(const struct capture *cp, unsigned int i, int j)
{
	uint32_t len = 0;

	if (j >= 0)
		ofd_corr_expected_frame(cp->corr, i, (unsigned int)j, &len);
	return len;
}

static int by_exp(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->exp < y->exp ? -1 : x->exp > y->exp;
}

/*
 * A case's frames in capture order, except when every one is an exact
 * copy of a distinct expected frame and some have twins in the capture:
 * identical frames of two cases (one flow's first segments in two
 * super-packets) are interchangeable, a case may hold copies from another
 * case's stream, and their capture order says nothing about its own; then
 * the kernel's order.
 */
static void order_case(const struct capture *cp, struct cand *g, uint32_t n)
{
	bool twins = false;
	uint32_t i;

	for (i = 0; i < n; i++) {
		if (!g[i].exact)
			return;
		twins |= cp->twin[g[i].frame];
	}
	if (twins)
		qsort(g, n, sizeof(*g), by_exp);
}

/*
 * Give the collected frames to the cases: closest frames first (an exact
 * copy of a case's expected frame before a near one, so a case never
 * fills up with another case's near frames before its own exact ones
 * come), ties in capture order, each to the case the correlator picks at that moment
 * (the earliest of equally good cases still awaiting frames), and only
 * while that case awaits frames and the frame's closest expected frame has
 * none yet: a frame whose best case is complete, or a copy of an expected
 * frame already matched, is left for a later batch, where its own case
 * (one expecting the same bytes) may be.
 */
static void claim(struct capture *cp)
{
	uint32_t i, m = 0, s;

	for (i = 0; i < cp->ncand; i++) {
		struct cand *c = &cp->cand[i];

		uint32_t len = cp->cap.pkts[c->frame].len, elen;

		c->kase = ofd_corr_peek(cp->corr, cp->cap.pkts[c->frame].data, len, true,
					&s);
		if (c->kase < 0)
			continue;
		elen = expected_len(cp, (unsigned int)c->kase, ofd_corr_peeked(cp->corr));
		/* From here on .score is the shortfall. */
		c->score = (len > elen ? len : elen) - s;
		cp->cand[m++] = *c;
	}
	qsort(cp->cand, m, sizeof(*cp->cand), by_score);
	for (i = 0; i < m; i++) {
		uint32_t f = cp->cand[i].frame;
		int k = ofd_corr_peek(cp->corr, cp->cap.pkts[f].data, cp->cap.pkts[f].len,
				      true, &s);

		if (k < 0 || ofd_corr_matched(cp->corr, (unsigned int)k) >=
			     ofd_corr_expected(cp->corr, (unsigned int)k) ||
		    ofd_corr_expected_taken(cp->corr, (unsigned int)k,
					    (unsigned int)ofd_corr_peeked(cp->corr)))
			continue;
		cp->got[cp->ngot++] = (struct cand){
			.frame = f, .kase = k, .exp = ofd_corr_peeked(cp->corr),
			.exact = s == cp->cap.pkts[f].len &&
				 s == expected_len(cp, (unsigned int)k, ofd_corr_peeked(cp->corr)),
		};
		ofd_corr_take(cp->corr, (unsigned int)k);
		cp->used[f] = 1;
	}
	cp->ncand = 0;
}

/* Collect by one kind of key for every case still awaiting frames. */
static void collect_awaited(struct capture *cp, unsigned int n, bool by_tail)
{
	unsigned int i, j;

	cp->batch++;
	for (i = 0; i < n; i++) {
		if (ofd_corr_matched(cp->corr, i) >= ofd_corr_expected(cp->corr, i))
			continue;
		for (j = 0; j < ofd_corr_expected(cp->corr, i); j++) {
			uint64_t tk, lk;
			uint32_t len;
			const uint8_t *e = ofd_corr_expected_frame(cp->corr, i, j, &len);

			ofd_corr_keys(e, len, &tk, &lk);
			collect(cp, by_tail ? &cp->tail : &cp->flow, by_tail ? tk : lk);
		}
	}
}

static int target_capture_run(void *priv, const struct ofd_case *cases,
			      struct ofd_result *const *results, unsigned int n)
{
	struct capture *cp = priv;
	unsigned int i, caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO);
	uint32_t g, e;
	int ret;

	ret = ofd_corr_expect(cp->corr, cases, n);
	if (ret)
		return ret;
	for (i = 0; i < n; i++) {
		const struct ofd_result *m = ofd_corr_model(cp->corr, i);

		if (cases[i].offload >= OFD_OFFLOAD__MAX || !(caps & OFD_CAP(cases[i].offload))) {
			ofd_corr_skip(cp->corr, i);
			ofd_result_unsupported(results[i], "capture: no such offload in a capture target");
		} else if (cp->nmark && !find_mark(cp, cases[i].id)) {
			/* A capture of an iface run: its markers name every
			 * case it sent, and this one it did not (skipped by
			 * name there). */
			ofd_corr_skip(cp->corr, i);
			ofd_result_unsupported(results[i], unsent_why);
		} else if (m->status == OFD_RES_REJECTED) {
			/* send() fails, or the kernel drops it before a driver
			 * sees it: nothing of it can be on any wire, and its
			 * input must not claim another case's frame. */
			ofd_corr_skip(cp->corr, i);
			ofd_result_reject(results[i], (enum ofd_reason)m->reason,
					  (enum ofd_reject_stage)m->stage);
			results[i]->detail = "the kernel refuses or drops it before the device: never on the wire";
		}
	}
	for (i = 0; i < n; i++) {
		if (results[i]->status != OFD_RES_OK)
			continue;
		ret = claim_marked(cp, &cases[i], i, results[i]);
		if (ret < 0)
			return ret;
	}
	cp->ngot = 0;
	/* The tail key first: it survives every header change. The flow
	 * key then finds frames whose last bytes are headers a device
	 * rewrote (a payload shorter than the key), for cases still short. */
	collect_awaited(cp, n, true);
	claim(cp);
	collect_awaited(cp, n, false);
	claim(cp);

	qsort(cp->got, cp->ngot, sizeof(*cp->got), by_case);
	for (g = 0; g < cp->ngot; g = e) {
		for (e = g; e < cp->ngot && cp->got[e].kase == cp->got[g].kase; e++)
			;
		order_case(cp, cp->got + g, e - g);
	}
	for (g = 0; g < cp->ngot; g++) {
		const struct ofd_corpus_pkt *p = &cp->cap.pkts[cp->got[g].frame];

		if (!ofd_result_add_ref(results[cp->got[g].kase], p->data, p->len))
			return -E2BIG;
	}
	cp->matched += cp->ngot;
	for (i = 0; i < n; i++) {
		if (results[i]->status != OFD_RES_OK)
			continue;
		cp->cases++;
		if (!results[i]->nframes) {
			cp->silent++;
			/* A capture cannot tell a case never sent from one
			 * the device dropped: said as such, not judged. */
			ofd_result_unsupported(results[i], no_frame_why);
		}
	}
	return 0;
}

static void target_capture_info(void *priv, struct ofd_engine_info *info)
{
	const struct capture *cp = priv;

	snprintf(info->version, sizeof(info->version), "capture of %s (%u frames)",
		 cp->name, cp->cap.npkts);
	snprintf(info->device.peer, sizeof(info->device.peer), "%s", cp->name);
}

/* Frames no case claimed (markers are nobody's), the first few named by
 * their packet index; cases that found no frame. */
static void target_capture_tally(void *priv, char *buf, size_t len)
{
	const struct capture *cp = priv;
	char first[128] = "";
	size_t off = 0;
	uint32_t i, shown = 0, unclaimed = 0;

	for (i = 0; i < cp->cap.npkts; i++) {
		if (cp->used[i])
			continue;
		unclaimed++;
		if (shown == TALLY_FIRST || off >= sizeof(first))
			continue;
		off += (size_t)snprintf(first + off, sizeof(first) - off, "%s%u",
					shown ? "," : " (packets ", cp->cap.pkts[i].index);
		shown++;
	}
	if (shown && off < sizeof(first))
		snprintf(first + off, sizeof(first) - off, "%s)", unclaimed > shown ? ",..." : "");
	snprintf(buf, len,
		 "%s: %llu of %u frames matched a case, %u claimed by none%s, %u markers; "
		 "%llu of %llu cases without a frame",
		 cp->name, (unsigned long long)cp->matched, cp->cap.npkts - cp->nmark, unclaimed,
		 first, cp->nmark, (unsigned long long)cp->silent, (unsigned long long)cp->cases);
}

static void target_capture_close(void *priv)
{
	struct capture *cp = priv;
	char tally[512];

	if (!cp)
		return;
	target_capture_tally(cp, tally, sizeof(tally));
	ofd_pr_info("capture: %s\n", tally);
	capture_free(cp);
}

static const struct ofd_engine_param_doc capture_params[] = {
	{ "file", "pcap of the device's output for the campaign's corpus, captured at a peer (relative to the spec's folder)" },
	{ NULL, NULL },
};

const struct ofd_engine_ops ofd_engine_capture = {
	.name = "capture",
	.desc = "a device's output read from a pcap taken at a peer; frames found per case by content",
	.flags = OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO),
	.open = target_capture_open,
	.run = target_capture_run,
	.info = target_capture_info,
	.close = target_capture_close,
	.tally = target_capture_tally,
	.params = capture_params,
};
