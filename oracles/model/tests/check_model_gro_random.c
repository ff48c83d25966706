// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_gro_random.c - the GRO model against the running kernel on
 * random trains: 2,000 seeded trains of 1-8 segments of 1-3 flows, TCP
 * over IPv4 or IPv6, plain, VLAN-tagged in part, or in IP-in-IP or GRE,
 * now and then UDP, with small mutations of the rule fields of
 * kernel-rx.md 1 and random batch boundaries. Every train must give the
 * same frames and metadata in both engines (ofd_diff_quick and hdr_len);
 * the test prints trains, frames, aggregates and both engines' trains/s.
 * Without root it says why and passes.
 */
#include <stdio.h>
#include <time.h>

#include "ofd.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "gro_test_util.h"

/* ------------------------------------------------------------------ */
/* Random trains, model against kernel                                 */
/* ------------------------------------------------------------------ */

#define NTRAINS 2000
#define MODEL_REPEAT 20

static uint64_t rnd_state;

static uint32_t rnd(uint32_t n)
{
	uint64_t z = (rnd_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return n ? (uint32_t)(z % n) : 0;
}

/* One small change of a rule field (kernel-rx.md 1.3-1.6, 3). */
static void mutate(struct gseg *g, const struct grow *r)
{
	static const uint8_t fl[] = { 0x18, 0x11, 0x12, 0x14, 0x30, 0x90, 0x50, 0x19 };

	if (r->tun && rnd(3) == 0) {
		switch (rnd(4)) {
		case 0: g->ottl = 31; break;
		case 1: g->oid = 0x10000 + rnd(3); break; /* IDs 0-2 */
		case 2: g->gre_key = 1; g->bad_csum = rnd(4) ? 0 : 2; break;
		case 3: g->vlan = 1; break;
		}
		return;
	}
	switch (rnd(r->v6 ? 15 : 18)) {
	case 0: g->flags = fl[rnd(sizeof(fl))]; break;
	case 1: g->seq_adj = (int32_t)rnd(3) - 1; break;
	case 2: g->ack_adj = 1; break;
	case 3: g->window = 1000; break;
	case 4: g->ttl = 63; break;
	case 5: g->tos = (uint8_t)(1 + rnd(4)); break;
	case 6: g->opt = (uint8_t)(1 + rnd(4)); g->tsval = (uint8_t)rnd(2); break;
	case 7: g->bad_csum = r->udp && rnd(2) ? 3 : 1; break;
	case 8: g->payload = rnd(3) ? 50 : 0; break;
	case 9: g->mac = 1; break;
	case 10: g->frag = 1; break;
	case 11: g->payload = 4; g->pad = 1; break;
	case 12: g->flow = (uint8_t)((g->flow + 1) % 3); break;
	case 13: g->payload = 1448; break;
	case 14: g->vlan = 1; break;
	/* IPv4 only from here; IPv6: the flow label and extension
	 * headers come with the train */
	case 15: g->ipopt = 1; break;
	case 16: g->evil = rnd(2); g->bad_ipcsum = !g->evil; break;
	case 17: g->no_df = 1; break;
	}
}

static void random_row(struct grow *r)
{
	unsigned int i, nflows = 1 + rnd(3);
	uint8_t ext = 0, fixed = rnd(4) == 0, opt = rnd(4) == 0 ? 1 : 0;

	memset(r, 0, sizeof(*r));
	r->name = "random";
	r->v6 = rnd(3) == 0;
	r->n = (uint8_t)(1 + rnd(8));
	/* half plain, the rest IP-in-IP, GRE (key, checksum, both,
	 * gretap) or VXLAN */
	if (rnd(2))
		r->tun = (uint8_t)(1 + rnd(8));
	r->udp = rnd(12) == 0;
	if (r->v6 && rnd(4) == 0)
		ext = (uint8_t)(1 + rnd(3) / 2 * 2); /* 1 or 3 */
	for (i = 0; i < r->n; i++) {
		struct gseg *g = &r->g[i];

		g->payload = rnd(8) ? 100 : 1 + rnd(1448);
		g->flow = (uint8_t)rnd(nflows);
		g->ext = ext;
		g->opt = opt;
		if (fixed)
			g->id = 8;
		if (rnd(4) == 0)
			mutate(g, r);
		if (r->v6 && rnd(16) == 0)
			g->ext = ext ? 2 : 1;
		if (r->v6 && rnd(16) == 0)
			g->flowlabel = 7;
		if (rnd(10) == 0)
			r->flush_after |= 1ull << i;
	}
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(random_trains)
{
	struct gbench *b = gb_new();
	unsigned int done = 0, i, j, frames = 0, agreed = 0, bad = 0, merged = 0;
	double tm = 0, tk = 0, t0;
	struct grow r;

	if (!gb_kernel_open(b, "model_gro random")) {
		gb_free(b);
		return;
	}
	rnd_state = 0x67726f31; /* fixed: a disagreement is rebuilt by number */
	while (done < NTRAINS) {
		gb_reset(b);
		for (i = 0; i < 250 && done + i < NTRAINS; i++) {
			random_row(&r);
			gb_add(b, &r);
		}
		t0 = now();
		for (j = 0; j < MODEL_REPEAT; j++)
			gb_model(b);
		tm += now() - t0;
		t0 = now();
		gb_kernel(b);
		tk += now() - t0;
		for (i = 0; i < b->n; i++) {
			frames += b->k[i]->nframes;
			for (j = 0; j < b->k[i]->nframes; j++)
				merged += b->k[i]->frame[j].meta.vnet.gso_type != 0;
			if (agree(b->m[i], b->k[i])) {
				agreed++;
				continue;
			}
			if (bad++ < 10) {
				fprintf(stderr, "model_gro random: train %u disagrees\n", done + i);
				dump("kernel", b->k[i]);
				dump("model", b->m[i]);
			}
		}
		done += b->n;
	}
	fprintf(stderr, "model_gro random: %u trains, %u frames out (%u aggregates), "
		"%u agree; model %.0f trains/s, kernel %.0f trains/s (x%.1f)\n",
		done, frames, merged, agreed, done * MODEL_REPEAT / tm, done / tk,
		(done * MODEL_REPEAT / tm) / (done / tk));
	ck_assert_msg(!bad, "%u of %u random trains disagree with the kernel", bad, done);
	gb_free(b);
}
END_TEST

static Suite *model_gro_random_suite(void)
{
	Suite *s = suite_create("model_gro_random");
	TCase *tc = tcase_create("random");

	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, random_trains);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_gro_random_suite)
