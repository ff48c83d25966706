// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * correlate.c - which awaited case a frame read off a wire belongs to
 * (ofd_correlate.h).
 *
 * A wire gives no case ids: the device reorders, drops, adds traffic of its
 * own, and what it emits is what we test, so it may differ from what the
 * kernel would emit. The only thing to go by is content. The model says
 * what the kernel emits for each case of the window; a captured frame is
 * scored against those expected frames by bytes equal at equal offsets,
 * aligned at the head and at the tail (the better of the two), so wrong
 * checksums, lengths, IDs and flags, or a header a few bytes longer, still
 * leave a frame closest to its own case.
 *
 * Scoring every expected frame of the window for every frame is O(window x
 * frames); instead each expected frame is indexed under two keys
 * (ofd_corr_keys: the Ethernet addresses with the last bytes of the frame,
 * and with its flow: the innermost L4's ports, TCP sequence number and
 * payload length) and a frame is scored only against the expected frames
 * sharing a key. A device changes headers, not the payload at the tail,
 * nor the ports, sequence numbers or payload, so every frame of a case
 * finds its expected frames this way unless it rewrote both; one that
 * shares no key and still has the addresses of the window's frames falls
 * back to a scan of the window (ofd_corr_match only). Among equal scores
 * an expected frame no frame was counted against wins, so two cases that
 * expect the same bytes get one frame each. Memory is per window: nothing
 * is allocated per frame.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_correlate.h"

/* Bytes of the frame's end in the tail key. Short enough to sit in the
 * payload of all but the smallest frames, long enough to tell payloads
 * apart. */
#define TAIL_KEY_BYTES 8
#define ETH_ADDRS 12
/* A frame longer or shorter than an expected one by at most this many
 * bytes is scored by the window scan (a header a few bytes longer). */
#define SCAN_LEN_SLACK 64

struct corr_exp {
	const uint8_t *data;
	uint32_t len;
	uint32_t kase;       /* window case index */
	uint64_t tail_key, flow_key;
	uint64_t ident;      /* L4 protocol and ports, NO_IDENT */
	uint32_t next_tail;  /* chains in the two tables, index + 1 */
	uint32_t next_flow;
	bool taken;          /* a frame was counted against it */
};

struct corr_case {
	uint32_t first, nexp; /* its expected frames in exp[] */
	uint32_t matched;
	bool skipped;
};

struct ofd_correlator {
	struct ofd_engine *model;
	uint32_t arena_cap;
	struct ofd_result **slot;  /* model results, one per window case */
	unsigned int nslots;
	const struct ofd_case *cases;
	unsigned int n;
	struct corr_case *kase;
	size_t cap_kase;
	struct corr_exp *exp;
	uint32_t nexp;
	size_t cap_exp;
	uint8_t *bytes;            /* the model's frames, materialized */
	size_t cap_bytes;
	uint32_t *tail_head, *flow_head; /* hash heads, index + 1 */
	uint32_t hmask;            /* table size - 1 */
	size_t cap_hash;
	unsigned int pending;      /* cases with fewer frames than expected */
	int last_exp;              /* the expected frame the last peek chose */
};

static uint64_t mix(uint64_t x)
{
	/* splitmix64's finalizer: every input bit reaches every output bit. */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static uint64_t load_bytes(const uint8_t *p, uint32_t n)
{
	uint64_t v = 0;
	uint32_t i;

	for (i = 0; i < n && i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* The length without trailing zero bytes, but never below the addresses:
 * a wire pads short frames with zeros, which the model does not emit. */
static uint32_t stripped_len(const uint8_t *f, uint32_t len)
{
	while (len > ETH_ADDRS && !f[len - 1])
		len--;
	return len;
}

/* The innermost L4 header's bytes that a device leaves alone (the ports,
 * a TCP sequence number) and the count of bytes after that header, or
 * false when the frame has no L4 the parser can reach. */
static bool flow_of(const uint8_t *f, uint32_t len, uint32_t s, uint64_t *flow,
		    uint64_t *ident)
{
	struct ofd_parsed p;
	const struct ofd_layer *l;
	uint32_t hdr, n;

	ofd_parse(f, len, 0, &p);
	if (p.l4 < 0)
		return false;
	l = &p.layer[p.l4];
	hdr = l->proto == OFD_P_TCP ? 8 : 4;
	if (l->off + hdr > len || l->off + l->len > s)
		return false;
	n = s - l->off - l->len;
	*flow = mix(load_bytes(f + l->off, hdr) ^ mix((uint64_t)n << 8 | l->proto));
	*ident = load_bytes(f + l->off, 4) << 8 | l->proto;
	return true;
}

/* The keys, and what no device rewrites: the innermost L4 protocol and
 * ports (NO_IDENT without an L4). */
#define NO_IDENT UINT64_MAX
static void keys(const uint8_t *f, uint32_t len, uint64_t *tail_key,
		 uint64_t *flow_key, uint64_t *ident)
{
	uint64_t a, fl;
	uint32_t s, n;

	*ident = NO_IDENT;
	if (len < ETH_ADDRS) {
		*tail_key = *flow_key = mix(len);
		return;
	}
	a = mix(load_bytes(f, 6) << 16 ^ mix(load_bytes(f + 6, 6)));
	s = stripped_len(f, len);
	n = s - ETH_ADDRS < TAIL_KEY_BYTES ? s - ETH_ADDRS : TAIL_KEY_BYTES;
	*tail_key = mix(a ^ mix(load_bytes(f + s - n, n) + n));
	if (flow_of(f, len, s, &fl, ident))
		*flow_key = mix(a + fl);
	else
		*flow_key = mix(a + 0x9e3779b97f4a7c15ull * (s + 1));
}

void ofd_corr_keys(const uint8_t *f, uint32_t len, uint64_t *tail_key,
		   uint64_t *flow_key)
{
	uint64_t ident;

	keys(f, len, tail_key, flow_key, &ident);
}

int ofd_corr_new(unsigned int caps, struct ofd_correlator **out, char *err,
		 size_t err_len)
{
	struct ofd_engine_opts o = { .caps = caps };
	struct ofd_correlator *c = calloc(1, sizeof(*c));
	int ret;

	if (!c) {
		snprintf(err, err_len, "correlator: out of memory");
		return -ENOMEM;
	}
	ret = ofd_engine__open("model", &o, &c->model, err, err_len);
	if (ret) {
		free(c);
		return ret;
	}
	c->arena_cap = ofd_cases_max_output(caps ? caps : ~0u);
	c->last_exp = -1;
	*out = c;
	return 0;
}

void ofd_corr_free(struct ofd_correlator *c)
{
	unsigned int i;

	if (!c)
		return;
	for (i = 0; i < c->nslots; i++)
		ofd_result__free(c->slot[i]);
	free(c->slot);
	free(c->kase);
	free(c->exp);
	free(c->bytes);
	free(c->tail_head);
	free(c->flow_head);
	ofd_engine__close(c->model);
	free(c);
}

/* Room for n of elem bytes in *p (capacity *cap, counted in elements). */
static int reserve(void **p, size_t elem, size_t n, size_t *cap)
{
	void *np;
	size_t nc;

	if (n <= *cap)
		return 0;
	nc = *cap ? *cap : 64;
	while (nc < n)
		nc *= 2;
	np = realloc(*p, nc * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = nc;
	return 0;
}

/* The model's answer for case i gives its expected frames; a case it
 * rejects or cannot run expects its input: that is what a device that
 * does nothing sends, and it still resembles any device's output. */
static bool model_gives_frames(const struct ofd_result *r)
{
	return r->status == OFD_RES_OK;
}

static int grow_slots(struct ofd_correlator *c, unsigned int n)
{
	struct ofd_result **ns;
	unsigned int i;
	int ret;

	if (n <= c->nslots)
		return 0;
	ns = realloc(c->slot, n * sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	c->slot = ns;
	for (i = c->nslots; i < n; i++) {
		ret = ofd_result__new(c->arena_cap, &c->slot[i]);
		if (ret)
			return ret;
		c->nslots = i + 1;
	}
	return 0;
}

static void index_exp(struct ofd_correlator *c, uint32_t k)
{
	struct corr_exp *e = &c->exp[k];
	uint32_t t = (uint32_t)e->tail_key & c->hmask, l = (uint32_t)e->flow_key & c->hmask;

	e->next_tail = c->tail_head[t];
	c->tail_head[t] = k + 1;
	e->next_flow = c->flow_head[l];
	c->flow_head[l] = k + 1;
}

int ofd_corr_expect(struct ofd_correlator *c, const struct ofd_case *cases,
		    unsigned int n)
{
	size_t nbytes = 0, used = 0, nexp = 0, hs = 16;
	unsigned int i, j;
	uint32_t k;
	int ret;

	c->cases = cases;
	c->n = 0;
	c->nexp = 0;
	c->last_exp = -1;
	c->pending = 0;
	if (!n)
		return 0;
	if ((ret = grow_slots(c, n)) ||
	    (ret = reserve((void **)&c->kase, sizeof(*c->kase), n, &c->cap_kase)))
		return ret;
	for (i = 0; i < n; i++)
		ofd_result_reset(c->slot[i]);
	ret = c->model->ops->run(c->model->priv, cases, c->slot, n);
	if (ret)
		return ret;

	/* Sizes first: the bytes buffer must not move once pointed into. */
	for (i = 0; i < n; i++) {
		const struct ofd_result *r = c->slot[i];

		if (model_gives_frames(r)) {
			nexp += r->nframes;
			for (j = 0; j < r->nframes; j++)
				nbytes += r->frame[j].len;
		} else {
			nexp += cases[i].npkts;
		}
	}
	if (nexp > UINT32_MAX / 2)
		return -E2BIG;
	while (hs < nexp * 2)
		hs *= 2;
	if ((ret = reserve((void **)&c->exp, sizeof(*c->exp), nexp, &c->cap_exp)) ||
	    (ret = reserve((void **)&c->bytes, 1, nbytes ? nbytes : 1, &c->cap_bytes)))
		return ret;
	if (hs > c->cap_hash) {
		uint32_t *t = realloc(c->tail_head, hs * sizeof(*t)), *l;

		if (!t)
			return -ENOMEM;
		c->tail_head = t;
		l = realloc(c->flow_head, hs * sizeof(*l));
		if (!l)
			return -ENOMEM;
		c->flow_head = l;
		c->cap_hash = hs;
	}
	c->hmask = (uint32_t)hs - 1;
	memset(c->tail_head, 0, hs * sizeof(*c->tail_head));
	memset(c->flow_head, 0, hs * sizeof(*c->flow_head));

	k = 0;
	for (i = 0; i < n; i++) {
		const struct ofd_result *r = c->slot[i];
		struct corr_case *cc = &c->kase[i];
		unsigned int m = model_gives_frames(r) ? r->nframes : cases[i].npkts;

		*cc = (struct corr_case){ .first = k, .nexp = m };
		for (j = 0; j < m; j++, k++) {
			struct corr_exp *e = &c->exp[k];

			if (model_gives_frames(r)) {
				ofd_frame_materialize(&r->frame[j], c->bytes + used);
				e->data = c->bytes + used;
				e->len = r->frame[j].len;
				used += e->len;
			} else {
				/* The caller's bytes: the window's cases outlive it. */
				e->data = cases[i].pkts[j].data;
				e->len = cases[i].pkts[j].len;
			}
			e->kase = i;
			e->taken = false;
			keys(e->data, e->len, &e->tail_key, &e->flow_key, &e->ident);
		}
		if (m)
			c->pending++;
	}
	/* Backwards, so that each chain runs in window order: the first
	 * exact, unmatched frame of a case awaiting frames found is the one
	 * every tie rule picks (ofd_corr_peek stops there). */
	while (k--)
		index_exp(c, k);
	c->nexp = (uint32_t)nexp;
	c->n = n;
	return 0;
}

/* Bytes equal at equal offsets of a[0, n) and b[0, n). */
static uint32_t count_equal(const uint8_t *a, const uint8_t *b, uint32_t n)
{
	uint32_t i, eq = 0;

	/* Word at a time over the equal stretches, which are most of it. */
	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t x, y;

		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x == y) {
			eq += 8;
			continue;
		}
		for (uint32_t k = i; k < i + 8; k++)
			eq += a[k] == b[k];
	}
	for (; i < n; i++)
		eq += a[i] == b[i];
	return eq;
}

/* The better of the head- and the tail-aligned count of equal bytes. */
static uint32_t score(const uint8_t *f, uint32_t len, const uint8_t *e,
		      uint32_t elen)
{
	uint32_t n = len < elen ? len : elen, head, tail;

	if (len == elen && !memcmp(f, e, len))
		return len;
	head = count_equal(f, e, n);
	if (len == elen)
		return head;
	tail = count_equal(f + len - n, e + elen - n, n);
	return head > tail ? head : tail;
}

/* Devices never rewrite Ethernet addresses, nor the L4 protocol and
 * ports (compared when both frames have an L4 the parser reaches: a
 * payload of the same bytes in another flow is not the case's), and a
 * frame of the case must be more alike than not: over half the longer
 * frame's bytes equal. */
static bool passes(const uint8_t *f, uint32_t len, uint64_t ident,
		   const struct corr_exp *e, uint32_t s)
{
	uint32_t longer = len > e->len ? len : e->len;

	if (ident != NO_IDENT && e->ident != NO_IDENT && ident != e->ident)
		return false;
	return len >= ETH_ADDRS && e->len >= ETH_ADDRS &&
	       !memcmp(f, e->data, ETH_ADDRS) && (uint64_t)s * 2 > longer;
}

struct corr_best {
	int exp;
	uint32_t score;
};

/*
 * Whether expected frame k scoring s beats the best so far: a higher
 * score; at an equal score one no frame was counted against yet (two
 * cases expecting the same bytes each get one), then one whose case still
 * awaits frames, then the earliest case and frame.
 */
static bool better(const struct ofd_correlator *c, const struct corr_best *b,
		   uint32_t k, uint32_t s)
{
	const struct corr_exp *x = &c->exp[k], *y;
	bool xw, yw;

	if (b->exp < 0 || s != b->score)
		return b->exp < 0 || s > b->score;
	y = &c->exp[b->exp];
	if (x->taken != y->taken)
		return !x->taken;
	xw = c->kase[x->kase].matched < c->kase[x->kase].nexp;
	yw = c->kase[y->kase].matched < c->kase[y->kase].nexp;
	if (xw != yw)
		return xw;
	return k < (uint32_t)b->exp;
}

static void try_exp(const struct ofd_correlator *c, struct corr_best *b,
		    const uint8_t *f, uint32_t len, uint64_t ident, uint32_t k)
{
	const struct corr_exp *e = &c->exp[k];
	uint32_t s;

	if (c->kase[e->kase].skipped)
		return;
	s = score(f, len, e->data, e->len);
	if (passes(f, len, ident, e, s) && better(c, b, k, s)) {
		b->exp = (int)k;
		b->score = s;
	}
}

int ofd_corr_peek(struct ofd_correlator *c, const uint8_t *f, uint32_t len,
		  bool index_only, uint32_t *score_out)
{
	struct corr_best b = { .exp = -1 };
	uint64_t tk, fk, ident;
	uint32_t k;

	*score_out = 0;
	c->last_exp = -1;
	if (!c->n || len < ETH_ADDRS)
		return -1;
	keys(f, len, &tk, &fk, &ident);
	for (k = c->tail_head[tk & c->hmask]; k; k = c->exp[k - 1].next_tail) {
		const struct corr_exp *e = &c->exp[k - 1];

		if (e->tail_key != tk)
			continue;
		try_exp(c, &b, f, len, ident, k - 1);
		if (b.exp == (int)k - 1 && b.score == len && e->len == len && !e->taken &&
		    c->kase[e->kase].matched < c->kase[e->kase].nexp)
			break;
	}
	/* Every exact copy shares the tail key: with one found, the flow
	 * chain can only hold worse or equal, never untaken-and-equal
	 * frames that the tail chain lacked. */
	if (b.exp < 0 || b.score != len || c->exp[b.exp].len != len)
		for (k = c->flow_head[fk & c->hmask]; k; k = c->exp[k - 1].next_flow)
			/* Those sharing the tail key too were scored above. */
			if (c->exp[k - 1].flow_key == fk && c->exp[k - 1].tail_key != tk)
				try_exp(c, &b, f, len, ident, k - 1);
	if (b.exp < 0 && !index_only) {
		/* Tail and flow both changed, or foreign: the window's
		 * frames of the same addresses and about the same length. */
		for (k = 0; k < c->nexp; k++) {
			const struct corr_exp *e = &c->exp[k];
			uint32_t d = e->len > len ? e->len - len : len - e->len;

			if (d <= SCAN_LEN_SLACK && e->tail_key != tk && e->flow_key != fk &&
			    e->len >= ETH_ADDRS && !memcmp(f, e->data, ETH_ADDRS))
				try_exp(c, &b, f, len, ident, k);
		}
	}
	if (b.exp < 0)
		return -1;
	c->last_exp = b.exp;
	*score_out = b.score;
	return (int)c->exp[b.exp].kase;
}

bool ofd_corr_expected_taken(const struct ofd_correlator *c, unsigned int i,
			     unsigned int j)
{
	return i < c->n && j < c->kase[i].nexp && c->exp[c->kase[i].first + j].taken;
}

int ofd_corr_peeked(const struct ofd_correlator *c)
{
	if (c->last_exp < 0)
		return -1;
	return (int)((uint32_t)c->last_exp - c->kase[c->exp[c->last_exp].kase].first);
}

void ofd_corr_take(struct ofd_correlator *c, unsigned int i)
{
	struct corr_case *k;
	uint32_t j;

	if (i >= c->n)
		return;
	k = &c->kase[i];
	/* The frame the last peek chose, else the case's first untaken. */
	if (c->last_exp >= 0 && c->exp[c->last_exp].kase == i) {
		c->exp[c->last_exp].taken = true;
	} else {
		for (j = k->first; j < k->first + k->nexp; j++)
			if (!c->exp[j].taken) {
				c->exp[j].taken = true;
				break;
			}
	}
	c->last_exp = -1;
	if (++k->matched == k->nexp && !k->skipped)
		c->pending--;
}

void ofd_corr_skip(struct ofd_correlator *c, unsigned int i)
{
	struct corr_case *k;

	if (i >= c->n || c->kase[i].skipped)
		return;
	k = &c->kase[i];
	if (k->matched < k->nexp)
		c->pending--;
	k->skipped = true;
}

int ofd_corr_match(struct ofd_correlator *c, const uint8_t *f, uint32_t len)
{
	uint32_t s;
	int k = ofd_corr_peek(c, f, len, false, &s);

	if (k >= 0)
		ofd_corr_take(c, (unsigned int)k);
	return k;
}

unsigned int ofd_corr_expected(const struct ofd_correlator *c, unsigned int i)
{
	return i < c->n ? c->kase[i].nexp : 0;
}

unsigned int ofd_corr_matched(const struct ofd_correlator *c, unsigned int i)
{
	return i < c->n ? c->kase[i].matched : 0;
}

bool ofd_corr_all_done(const struct ofd_correlator *c)
{
	return !c->pending;
}

const uint8_t *ofd_corr_expected_frame(const struct ofd_correlator *c,
				       unsigned int i, unsigned int j,
				       uint32_t *len)
{
	const struct corr_exp *e;

	if (i >= c->n || j >= c->kase[i].nexp) {
		*len = 0;
		return NULL;
	}
	e = &c->exp[c->kase[i].first + j];
	*len = e->len;
	return e->data;
}

const struct ofd_result *ofd_corr_model(const struct ofd_correlator *c,
					unsigned int i)
{
	return i < c->n ? c->slot[i] : NULL;
}
