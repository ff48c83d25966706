// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_cases_dissect.c - the dissect offload's cases (harness/cases/
 * dissect.c) and its corpus (dissect_corpus.c): one case per frame and
 * input flag set, frames shorter than an Ethernet header skipped, random
 * cases rebuilt alike from (seed, index), headers.pcap covering every
 * Ethernet type the dissector walks, truncated.pcap every cut of its
 * frames.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_test.h"
#include "ofd_dissect_cases.h"
#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "ofd_pktbuild.h"
#include "ofd_run.h"
#include "ofd_spec.h"

START_TEST(derive_flag_sets)
{
	static const uint8_t want[5] = {
		0, OFD_FK_F_STOP_AT_FLOW_LABEL, OFD_FK_F_PARSE_1ST_FRAG, OFD_FK_F_STOP_AT_ENCAP,
		OFD_FK_F_PARSE_1ST_FRAG | OFD_FK_F_STOP_AT_FLOW_LABEL | OFD_FK_F_STOP_AT_ENCAP,
	};
	char path[] = "/tmp/ofd-dissect-XXXXXX", err[256];
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
	ck_assert_msg(ofd_cases_derive(&corpus, OFD_CAP(OFD_OFFLOAD_DISSECT),
				       1u << OFD_REQ_VNET, NULL, &set, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_uint_eq(set.ncases, 2 * 5);
	ck_assert_uint_eq(set.skipped, 1);
	for (i = 0; i < set.ncases; i++) {
		const struct ofd_case *c = &set.cases[i];

		ck_assert_uint_eq(c->offload, OFD_OFFLOAD_DISSECT);
		ck_assert_uint_eq(c->npkts, 1);
		ck_assert_uint_eq(c->req.rx_flags, want[i % 5]);
		ck_assert_uint_eq(c->pkts[0].len, i < 5 ? 14 : 60);
		ck_assert_uint_eq(c->src_index, i < 5 ? 1 : 2);
	}
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
}
END_TEST

struct seen {
	unsigned int nframes;
	uint32_t types[64];
	unsigned int ntypes;
	/* truncated.pcap: the run being checked */
	char name[112];
	uint32_t next_cut, full;
	unsigned int runs;
	int bad;
};

static int collect_types(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct seen *s = ctx;
	uint32_t t = (uint32_t)(f->data[12] << 8 | f->data[13]);
	unsigned int i;

	s->nframes++;
	for (i = 0; i < s->ntypes; i++)
		if (s->types[i] == t)
			return 0;
	if (s->ntypes < OFD_ARRAY_SIZE(s->types))
		s->types[s->ntypes++] = t;
	return 0;
}

static const struct ofd_corpus_scenario *scenario(const char *file)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_DISSECT)->cases;
	unsigned int i;

	for (i = 0; oc && i < oc->nscenarios; i++)
		if (!strcmp(oc->scenarios[i].file, file))
			return &oc->scenarios[i];
	return NULL;
}

/* kernel-rx.md 5.1: the Ethernet types the C dissector walks */
START_TEST(headers_cover_ethertypes)
{
	static const uint32_t want[] = { 0x0800, 0x86dd, 0x8100, 0x88a8, 0x8847, 0x8848,
					 0x8864, 0x0806, 0x8035, 0x8906, 0x88f7, 0x892f,
					 0x8902, 0x4305 };
	const struct ofd_corpus_scenario *sc = scenario("dissect/headers.pcap");
	struct seen s = { 0 };
	unsigned int i, k;

	ck_assert_ptr_nonnull(sc);
	ck_assert_int_eq(sc->foreach(sc->which, collect_types, &s), 0);
	ck_assert_uint_ge(s.nframes, 80);
	for (i = 0; i < OFD_ARRAY_SIZE(want); i++) {
		for (k = 0; k < s.ntypes; k++)
			if (s.types[k] == want[i])
				break;
		ck_assert_msg(k < s.ntypes, "no frame of ethertype 0x%04x", want[i]);
	}
}
END_TEST

/* Runs of "<name> cut=<n>/<full>", n from 14 to full - 1, each a prefix
 * of the same frame of headers.pcap. */
static int check_cuts(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	static uint8_t b[4096];
	struct seen *s = ctx;
	char name[112], d[112];
	unsigned int cut, full, k;
	struct ofd_pktb pb;
	const char *sp = strstr(f->desc, " cut=");

	if (!sp || sscanf(sp, " cut=%u/%u", &cut, &full) != 2) {
		s->bad++;
		return 0;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(sp - f->desc), f->desc);
	if (cut == 14) {
		if (s->runs && s->next_cut != s->full)
			s->bad++;
		s->runs++;
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->next_cut = 14;
		s->full = full;
	}
	if (strcmp(name, s->name) || cut != s->next_cut || full != s->full || f->len != cut) {
		s->bad++;
		return 0;
	}
	s->next_cut++;
	for (k = 0;; k++) {
		ofd_pktb_init(&pb, b, sizeof(b));
		if (ofd_dissect_frame(&pb, k, d, sizeof(d))) {
			s->bad++;
			return 0;
		}
		if (!strcmp(d, name))
			break;
	}
	if (ofd_pktb_finish(&pb) || pb.len != full || memcmp(pb.buf, f->data, cut))
		s->bad++;
	return 0;
}

START_TEST(truncated_every_offset)
{
	const struct ofd_corpus_scenario *sc = scenario("dissect/truncated.pcap");
	struct seen s = { 0 };

	ck_assert_ptr_nonnull(sc);
	ck_assert_int_eq(sc->foreach(sc->which, check_cuts, &s), 0);
	ck_assert_int_eq(s.bad, 0);
	ck_assert_uint_eq(s.next_cut, s.full);
	ck_assert_uint_ge(s.runs, 80); /* every frame of headers.pcap */
}
END_TEST

START_TEST(random_rebuilds)
{
	static uint8_t b1[16384], b2[16384];
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_DISSECT)->cases;
	struct ofd_pkt p1, p2;
	struct ofd_case c1, c2;
	unsigned int flags_seen = 0, short_ones = 0;
	uint64_t i;

	ck_assert_ptr_nonnull(oc->random);
	for (i = 0; i < 400; i++) {
		ck_assert_int_eq(oc->random(7, i, b1, sizeof(b1), &p1, 1, &c1), 0);
		ck_assert_int_eq(oc->random(7, i, b2, sizeof(b2), &p2, 1, &c2), 0);
		ck_assert_uint_eq(c1.offload, OFD_OFFLOAD_DISSECT);
		ck_assert_uint_eq(c1.npkts, 1);
		ck_assert_uint_eq(c1.req.rx_flags, c2.req.rx_flags);
		ck_assert_uint_eq(p1.len, p2.len);
		ck_assert_int_eq(memcmp(p1.data, p2.data, p1.len), 0);
		flags_seen |= 1u << c1.req.rx_flags;
		short_ones += p1.len < 60;
	}
	ck_assert_uint_eq(flags_seen, 0xff); /* every flag combination drawn */
	ck_assert_uint_gt(short_ones, 0);
}
END_TEST

/* A dissect reproducer carries its input flags (case.yaml rx_flags): a
 * replay without them would dissect another case. */
START_TEST(case_file_keeps_flags)
{
	struct ofd_target_desc t = { .label = "emu:conformant", .engine = "emu",
				     .profile = "conformant" };
	uint8_t frame[60] = { [12] = 0x86, [13] = 0xdd };
	struct ofd_pcap_writer *w;
	struct ofd_loaded_case lc;
	struct ofd_case c = { 0 };
	struct ofd_pkt pkt = { frame, sizeof(frame), 0 };
	char dir[256], pcap[300], yml[300], err[512];

	ofd_test_mkdtemp(dir, sizeof(dir), "dissectcase");
	snprintf(pcap, sizeof(pcap), "%s/input.pcap", dir);
	snprintf(yml, sizeof(yml), "%s/case.yaml", dir);
	ck_assert_int_eq(ofd_pcap_writer__open(pcap, &w), 0);
	ck_assert_int_eq(ofd_pcap_writer__write(w, frame, sizeof(frame), 0), 0);
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	c.offload = OFD_OFFLOAD_DISSECT;
	c.npkts = 1;
	c.pkts = &pkt;
	c.req.rx_flags = OFD_FK_F_STOP_AT_FLOW_LABEL | OFD_FK_F_STOP_AT_ENCAP;
	ck_assert_int_eq(ofd_case_write_yaml(yml, &c, "model", &t, "input.pcap", NULL,
					     OFD_V_DISCREPANCY), 0);
	ck_assert_msg(ofd_case_read_yaml(yml, &lc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(lc.c.offload, OFD_OFFLOAD_DISSECT);
	ck_assert_uint_eq(lc.c.req.rx_flags, c.req.rx_flags);
	ofd_loaded_case_free(&lc);
}
END_TEST

static Suite *cases_dissect_suite(void)
{
	Suite *s = suite_create("cases_dissect");
	TCase *tc = tcase_create("cases");

	tcase_add_test(tc, derive_flag_sets);
	tcase_add_test(tc, headers_cover_ethertypes);
	tcase_add_test(tc, truncated_every_offset);
	tcase_add_test(tc, random_rebuilds);
	tcase_add_test(tc, case_file_keeps_flags);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(cases_dissect_suite)
