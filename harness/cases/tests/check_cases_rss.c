// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_cases_rss.c - the rss offload's cases (harness/cases/rss.c) and
 * its corpus (rss_corpus.c): one case per frame, frames shorter than an
 * Ethernet header skipped, random cases rebuilt alike from (seed, index),
 * the committed corpus/rss/flows.pcap byte for byte the generator's, and
 * every verification flow present both ways (A->B, B->A with addresses and
 * ports swapped), as the symmetric transforms need.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "ofd_rss_cases.h"
#include "ofd_run.h"
#include "ofd_test.h"

START_TEST(derive_one_case_per_frame)
{
	char path[] = "/tmp/ofd-rss-XXXXXX", err[256];
	struct ofd_pcap_writer *w;
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set = { 0 };
	uint8_t frame[60] = { [12] = 0x08, [13] = 0x00, [14] = 0x45 };
	uint32_t i;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	ck_assert_int_eq(ofd_pcap_writer__write(w, frame, 13, 0), 0);
	ck_assert_int_eq(ofd_pcap_writer__write(w, frame, 14, 1000000), 0);
	ck_assert_int_eq(ofd_pcap_writer__write(w, frame, 60, 2000000), 0);
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	ck_assert_msg(ofd_corpus_load(&corpus, path, err, sizeof(err)) == 0, "%s", err);
	unlink(path);
	ck_assert_msg(ofd_cases_derive(&corpus, OFD_CAP(OFD_OFFLOAD_RSS), 1u << OFD_REQ_VNET,
				       NULL, &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(set.ncases, 2);
	ck_assert_uint_eq(set.skipped, 1);
	for (i = 0; i < set.ncases; i++) {
		ck_assert_uint_eq(set.cases[i].offload, OFD_OFFLOAD_RSS);
		ck_assert_uint_eq(set.cases[i].npkts, 1);
		ck_assert_uint_eq(set.cases[i].pkts[0].len, i ? 60 : 14);
		ck_assert_uint_eq(set.cases[i].src_index, i + 1);
	}
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
}
END_TEST

START_TEST(random_rebuilds_alike)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_RSS)->cases;
	static uint8_t a[4096], b[4096];
	struct ofd_pkt pa, pb;
	struct ofd_case ca, cb;
	uint64_t i;

	ck_assert_ptr_nonnull(oc->random);
	for (i = 0; i < 500; i++) {
		ck_assert_int_eq(oc->random(7, i, a, sizeof(a), &pa, 1, &ca), 0);
		ck_assert_int_eq(oc->random(7, i, b, sizeof(b), &pb, 1, &cb), 0);
		ck_assert_uint_eq(ca.offload, OFD_OFFLOAD_RSS);
		ck_assert_uint_eq(ca.npkts, 1);
		ck_assert_uint_eq(pa.len, pb.len);
		ck_assert_mem_eq(a, b, pa.len);
	}
}
END_TEST

struct cmp {
	const struct ofd_corpus *corpus;
	unsigned int n, bad;
};

static int cmp_frame(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct cmp *c = ctx;
	const struct ofd_corpus_pkt *p;

	if (c->n >= c->corpus->npkts) {
		c->bad++;
		return 0;
	}
	p = &c->corpus->pkts[c->n++];
	if (p->len != f->len || memcmp(p->data, f->data, f->len))
		c->bad++;
	return 0;
}

START_TEST(committed_corpus_is_generated)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_RSS)->cases;
	struct ofd_corpus corpus = { 0 };
	struct cmp c = { &corpus, 0, 0 };
	char err[256] = "";

	ck_assert_uint_eq(oc->nscenarios, OFD_RSS_GEN__NFILES);
	ck_assert_str_eq(oc->scenarios[0].file, "rss/flows.pcap");
	ck_assert_msg(ofd_corpus_load(&corpus, OFD_TEST_ROOT "/corpus/rss/flows.pcap", err,
				      sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(oc->scenarios[0].foreach(oc->scenarios[0].which, cmp_frame, &c), 0);
	ck_assert_uint_eq(c.bad, 0);
	ck_assert_uint_eq(c.n, corpus.npkts);
	ofd_corpus_free(&corpus);
}
END_TEST

/* Each "X" frame is followed by "X reverse": the same addresses and ports
 * swapped (IPv4 at 26/30, IPv6 at 22/38, ports after the L3 header). */
struct pairs {
	uint8_t prev[128];
	uint32_t prev_len;
	unsigned int pairs, bad;
};

static int check_pair(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct pairs *s = ctx;
	bool v6 = f->data[12] == 0x86;
	uint32_t a = v6 ? 22 : 26, al = v6 ? 16 : 4, l4 = v6 ? 54 : 34;

	if (!strstr(f->desc, " reverse")) {
		s->prev_len = f->len < sizeof(s->prev) ? f->len : 0;
		memcpy(s->prev, f->data, s->prev_len);
		return 0;
	}
	s->pairs++;
	if (s->prev_len != f->len || memcmp(s->prev + a, f->data + a + al, al) ||
	    memcmp(s->prev + a + al, f->data + a, al) ||
	    memcmp(s->prev + l4, f->data + l4 + 2, 2) || memcmp(s->prev + l4 + 2, f->data + l4, 2))
		s->bad++;
	return 0;
}

START_TEST(symmetric_pairs)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_RSS)->cases;
	struct pairs s = { .prev_len = 0 };

	ck_assert_int_eq(oc->scenarios[0].foreach(oc->scenarios[0].which, check_pair, &s), 0);
	/* Microsoft's 5 IPv4 and 3 IPv6 flows, TCP and UDP */
	ck_assert_uint_eq(s.pairs, 16);
	ck_assert_uint_eq(s.bad, 0);
}
END_TEST

static Suite *cases_rss_suite(void)
{
	Suite *s = suite_create("cases_rss");
	TCase *tc = tcase_create("rss");

	tcase_add_test(tc, derive_one_case_per_frame);
	tcase_add_test(tc, random_rebuilds_alike);
	tcase_add_test(tc, committed_corpus_is_generated);
	tcase_add_test(tc, symmetric_pairs);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(cases_rss_suite)
