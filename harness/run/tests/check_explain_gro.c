// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_explain_gro.c - the gro judge (explain_gro.c): trains built with
 * the packet builders (gro_test_util.h), the kernel's frames from the
 * model, a target's frames built by hand or by the model with one rule
 * relaxed or more flush points, and the verdict, severity, class and
 * headline ofd_diff_full gives.
 */
#include "gro_test_util.h"
#include "ofd_gro_model.h"
#include "ofd_offload.h"

static struct ofd_result *ref, *tgt;
static uint8_t *pool, *pool_end, *pool_base;
static struct gtrain T;
static struct ofd_diff D;

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(GT_ARENA, &ref), 0);
	ck_assert_int_eq(ofd_result__new(GT_ARENA, &tgt), 0);
	pool = pool_base = malloc(GT_POOL);
	ck_assert_ptr_nonnull(pool);
	pool_end = pool + GT_POOL;
	memset(&D, 0, sizeof(D));
}

static void teardown(void)
{
	ofd_diff_free(&D);
	ofd_result__free(ref);
	ofd_result__free(tgt);
	free(pool_base);
}

/* Train r, the kernel's frames in ref. */
static void make(const struct grow *r)
{
	pool = pool_base;
	gt_train(r, &T, &pool, pool_end, 7);
	ofd_result_reset(ref);
	ofd_model_gro_relaxed(&T.c, 0, ref);
	ck_assert_uint_eq(ref->status, OFD_RES_OK);
}

/* The target: the model with rule(s) relaxed and flush points after the
 * packets in flush (on top of the train's own). */
static void target(unsigned int relax, uint64_t flush)
{
	struct ofd_pkt p[GT_MAXSEG];
	struct ofd_case c = T.c;
	uint32_t i;

	for (i = 0; i < c.npkts; i++) {
		p[i] = T.pkt[i];
		if ((flush >> i) & 1)
			p[i].flags |= OFD_PKT_F_FLUSH_AFTER;
	}
	c.pkts = p;
	ofd_result_reset(tgt);
	ofd_model_gro_relaxed(&c, relax, tgt);
	ck_assert_uint_eq(tgt->status, OFD_RES_OK);
}

/* A copy of ref's frames, frame f's byte `at` xor x, its gso_size gso
 * when not 0. */
static void copy_ref(uint32_t f, uint32_t at, uint8_t x, uint16_t gso)
{
	uint32_t i;

	ofd_result_reset(tgt);
	for (i = 0; i < ref->nframes; i++) {
		uint8_t *d;
		struct ofd_frame *o = ofd_result_add_new(tgt, ref->frame[i].len, &d);

		ck_assert_ptr_nonnull(o);
		ofd_frame_materialize(&ref->frame[i], d);
		o->meta = ref->frame[i].meta;
		if (i == f) {
			d[at] ^= x;
			if (gso)
				o->meta.vnet.gso_size = gso;
		}
	}
}

static void judge(enum ofd_verdict v, enum ofd_severity sev, const char *cls,
		  const char *headline_has)
{
	ofd_diff_free(&D);
	ck_assert_int_eq(ofd_diff_full(&T.c, ref, tgt, OFD_F_DEVICE, NULL, &D), 0);
	ck_assert_msg(D.verdict == v && D.severity == sev && !strcmp(D.cls, cls) &&
		      (!headline_has || strstr(D.headline, headline_has)),
		      "verdict %d severity %d class %s headline \"%s\", wanted %d %d %s \"%s\"",
		      D.verdict, D.severity, D.cls, D.headline, v, sev, cls,
		      headline_has ? headline_has : "");
}

/* Four 1000-byte segments of one flow, one batch; seg 2 changed by the
 * caller. */
static struct grow four(void)
{
	struct grow r = { .name = "four", .n = 4 };
	uint32_t i;

	for (i = 0; i < 4; i++)
		r.g[i].payload = 1000;
	return r;
}

START_TEST(equal_copy)
{
	struct grow r = four();

	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	copy_ref(9, 0, 0, 0);
	judge(OFD_V_EQUAL, OFD_SEV_NONE, "equal", NULL);
}
END_TEST

START_TEST(earlier_flush)
{
	struct grow r = four();

	make(&r);
	target(0, 1u << 1); /* a flush after the second packet */
	ck_assert_uint_eq(tgt->nframes, 2);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "1 merges missed");
	ck_assert_str_eq(D.expl.detail, "1 merges missed");
	ck_assert(strstr(D.headline, "train 7"));
	/* every packet alone: 3 merges missed */
	target(0, 0xf);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "3 merges missed");
}
END_TEST

/* One rule broken by segment 2 of four: the kernel splits there, the
 * target built without the rule merges all four. */
static const struct {
	const char *name;
	unsigned int relax;
	struct gseg g2;
	uint8_t v6;
	const char *cls, *field;
} rules[] = {
	{ "ttl", OFD_GRO_RELAX_TTL, { .payload = 1000, .ttl = 63 }, 0, "merged-ttl-differs", "ipv4.ttl 64 != 63" },
	{ "hop limit", OFD_GRO_RELAX_TTL, { .payload = 1000, .ttl = 63 }, 1, "merged-ttl-differs", "ipv6.hop_limit 64 != 63" },
	{ "tos", OFD_GRO_RELAX_TOS, { .payload = 1000, .tos = 0x20 }, 0, "merged-tos-differs", "ipv4.dscp 0 != 8" },
	{ "ecn", OFD_GRO_RELAX_ECN, { .payload = 1000, .tos = 3 }, 0, "merged-ecn-ce", "ipv4.ecn 0 != 3" },
	{ "id", OFD_GRO_RELAX_ID, { .payload = 1000, .id = 500 }, 0, "merged-ip-id", "ipv4.id 9 then 500" },
	{ "psh", OFD_GRO_RELAX_PSH, { .payload = 1000, .flags = 0x18 }, 0, "merged-across-psh", "tcp.flags.psh" },
	{ "options", OFD_GRO_RELAX_OPTIONS, { .payload = 1000, .opt = 1, .tsval = 5 }, 0, "merged-options-differ", "tcp.options" },
	{ "ack", OFD_GRO_RELAX_ACK, { .payload = 1000, .ack_adj = 9 }, 0, "merged-ack-differs", "tcp.ack" },
};

START_TEST(merged_rule)
{
	struct grow r = four();
	char want[128];

	r.v6 = rules[_i].v6;
	r.g[2] = rules[_i].g2;
	if (rules[_i].relax == OFD_GRO_RELAX_OPTIONS) {
		uint32_t i;

		for (i = 0; i < 4; i++)
			r.g[i].opt = 1;
	}
	if (rules[_i].relax == OFD_GRO_RELAX_PSH)
		r.g[1].flags = 0x18; /* PSH on the second: the kernel flushes there */
	make(&r);
	ck_assert_uint_gt(ref->nframes, 1);
	T.c.src_file = "tcp4.pcap";
	T.c.src_index = 12;
	target(rules[_i].relax, 0);
	ck_assert_uint_eq(tgt->nframes, 1);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, rules[_i].cls, rules[_i].field);
	snprintf(want, sizeof(want), "train 7 (tcp4.pcap 12), frame 1: merged 4 packets the kernel keeps apart: ");
	ck_assert_msg(!strncmp(D.headline, want, strlen(want)), "%s: %s", rules[_i].name, D.headline);
}
END_TEST

START_TEST(gso_size)
{
	struct grow r = four();

	make(&r);
	copy_ref(0, 0, 0, 1448);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "wrong-gso-size", "gso_size 1000 != 1448");
}
END_TEST

START_TEST(not_resegmentable)
{
	struct grow r = four();

	make(&r);
	/* a payload byte of the third packet changed inside the merge: the
	 * run still maps, the kernel merges it too, but the segments do not
	 * give back the packets */
	copy_ref(0, ref->frame[0].len - 1500, 0x5a, 0);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable", "segment 3");
}
END_TEST

/* Fixed IDs (the tso model's re-segmentation increments them: FIXEDID
 * keeps them, so they are not compared) and IPv6: only the changed
 * payload byte of the third packet is found. */
START_TEST(reseg_fixedid_v6)
{
	struct grow r = four();
	uint32_t i;

	r.v6 = (uint8_t)_i;
	for (i = 0; i < 4; i++)
		r.g[i].id = 77;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	copy_ref(0, ref->frame[0].len - 1500, 0x5a, 0);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable",
	      "segment 3: tcp.checksum differs");
}
END_TEST

START_TEST(headers_differ)
{
	struct grow r = four();

	make(&r);
	copy_ref(0, 14 + 8, 1, 0); /* the merged frame's TTL */
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable", "ipv4.ttl");
}
END_TEST

START_TEST(garbage)
{
	struct grow r = four();
	uint8_t *d;
	struct ofd_frame *f;
	uint32_t i;

	make(&r);
	ofd_result_reset(tgt);
	f = ofd_result_add_new(tgt, 200, &d);
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 200; i++)
		d[i] = (uint8_t)(i * 37 + 11);
	f->meta = ref->frame[0].meta;
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "coalescing-unexplained",
	      "cover no run of the train's packets");
}
END_TEST

START_TEST(across_flush)
{
	struct grow r = four();

	r.flush_after = 1u << 1;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 2);
	/* the target ignores the batch boundary */
	r.flush_after = 0;
	pool = pool_base;
	gt_train(&r, &T, &pool, pool_end, 7);
	target(0, 0);
	T.pkt[1].flags = OFD_PKT_F_FLUSH_AFTER;
	ck_assert_uint_eq(tgt->nframes, 1);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-across-flush",
	      "train 7, frame 1: merged 4 packets across a flush point");
}
END_TEST

/* A legal merge of the model's own is re-segmentable: the check on an
 * exact copy through a second flow interleaved (the judge maps by flow). */
START_TEST(interleaved_earlier)
{
	struct grow r = { .name = "two flows", .n = 6 };
	uint32_t i;

	for (i = 0; i < 6; i++) {
		r.g[i].payload = 800;
		r.g[i].flow = (uint8_t)(i & 1);
	}
	make(&r);
	ck_assert_uint_eq(ref->nframes, 2);
	target(0, 1u << 3);
	ck_assert_uint_gt(tgt->nframes, 2);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "merges missed");
}
END_TEST

static Suite *explain_gro_suite(void)
{
	Suite *s = suite_create("explain_gro");
	TCase *tc = tcase_create("judge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, equal_copy);
	tcase_add_test(tc, earlier_flush);
	tcase_add_loop_test(tc, merged_rule, 0, sizeof(rules) / sizeof(rules[0]));
	tcase_add_test(tc, gso_size);
	tcase_add_test(tc, not_resegmentable);
	tcase_add_test(tc, headers_differ);
	tcase_add_loop_test(tc, reseg_fixedid_v6, 0, 2);
	tcase_add_test(tc, garbage);
	tcase_add_test(tc, across_flush);
	tcase_add_test(tc, interleaved_earlier);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(explain_gro_suite)
