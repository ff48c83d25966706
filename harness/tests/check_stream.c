// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_stream.c - a corpus streamed through the runner in chunks gives
 * what the whole corpus loaded at once gives, and findings.jsonl is
 * bounded.
 *
 * The corpus is generated: the bundled tx-csum frames repeated into two
 * captures (GEN_A, GEN_B frames), larger than one chunk of `offdiff run`
 * (OFD_CORPUS_CHUNK_FRAMES).
 *
 * Cases:
 *  - the stream yields the loaded corpus' frames, bytes, files and packet
 *    indexes in order, in chunks bounded by frames and by bytes, and its
 *    incremental SHA-256 equals ofd_corpus_sha256 of the loaded corpus;
 *    rewound, it yields them again;
 *  - verdict counts per target (model against emu profiles) are the same
 *    whether the cases are derived from the loaded corpus at once or chunk
 *    by chunk, with case ids running on across chunks;
 *  - `offdiff run --stop-after` in the middle of a chunk, then --resume,
 *    gives the summary of an uninterrupted run (verdicts, classes and
 *    their counts, corpus digest);
 *  - findings beyond the per-class cap are counted in summary.json but
 *    not written: findings.jsonl has min(count, cap) lines per target and
 *    class (--findings-max 3), every finding with --findings all, and the
 *    two summaries agree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd_offload.h"
#include "ofd_test.h"

#define GEN_A 6000
#define GEN_B 3001

static const char *const bundled[] = {
	"corpus/tx-csum/base.pcap", "corpus/tx-csum/ipv6-ext.pcap",
	"corpus/tx-csum/tunnels.pcap", "corpus/tx-csum/edge.pcap",
	"corpus/tx-csum/srh-final.pcap",
};

static const char *const profiles[] = {
	"conformant", "srv6-ipv6-dst", "tunnel-outer", "short-tail",
};

static char dir[64], file_a[96], file_b[96], spec_path[96];

/* n frames of the bundled corpus, from frame `first` on, repeated. */
static void write_corpus(const char *path, uint32_t n, uint32_t first)
{
	struct ofd_corpus c = { 0 };
	struct ofd_pcap_writer *w;
	char err[256];
	uint32_t i;
	size_t f;

	for (f = 0; f < OFD_ARRAY_SIZE(bundled); f++)
		ck_assert_msg(ofd_corpus_load(&c, bundled[f], err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_gt(c.npkts, 0);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	for (i = 0; i < n; i++) {
		const struct ofd_corpus_pkt *pk = &c.pkts[(first + i) % c.npkts];

		ck_assert_int_eq(ofd_pcap_writer__write(w, pk->data, pk->len, i), 0);
	}
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	ofd_corpus_free(&c);
}

static void setup(void)
{
	FILE *f;
	size_t i;

	ofd_test_mkdtemp(dir, sizeof(dir), "stream");
	snprintf(file_a, sizeof(file_a), "%s/a.pcap", dir);
	snprintf(file_b, sizeof(file_b), "%s/b.pcap", dir);
	snprintf(spec_path, sizeof(spec_path), "%s/s.yaml", dir);
	write_corpus(file_a, GEN_A, 0);
	write_corpus(file_b, GEN_B, 77);
	f = fopen(spec_path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "name: stream\nreference: model\nrequests: [vnet, legacy]\n"
		   "corpus: [%s, %s]\nprofile_dir: specs/profiles\ntargets:\n", file_a, file_b);
	for (i = 0; i < OFD_ARRAY_SIZE(profiles); i++)
		fprintf(f, "  - engine: emu\n    profile: %s\n", profiles[i]);
	ck_assert_int_eq(fclose(f), 0);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void load_both(struct ofd_corpus *c)
{
	char err[256];

	memset(c, 0, sizeof(*c));
	ck_assert_msg(ofd_corpus_load(c, file_a, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(ofd_corpus_load(c, file_b, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(c->npkts, GEN_A + GEN_B);
}

START_TEST(stream_yields_the_loaded_corpus)
{
	char *paths[] = { file_a, file_b };
	const struct ofd_corpus *chunk;
	struct ofd_corpus_stream *st;
	struct ofd_corpus whole;
	struct ofd_digest *dg;
	char err[256], want[65], got[65];
	uint32_t i, k, nchunks = 0;
	int pass, rc;

	load_both(&whole);
	ck_assert_int_eq(ofd_corpus_sha256(&whole, want), 0);
	/* 500 frames or 64 KiB a chunk, whichever comes first */
	ck_assert_int_eq(ofd_corpus_stream__open(paths, 2, 500, 64 * 1024, &st), 0);
	for (pass = 0; pass < 2; pass++) {
		k = 0;
		ck_assert_int_eq(ofd_digest__new(&dg), 0);
		while ((rc = ofd_corpus_stream__next(st, &chunk, err, sizeof(err))) > 0) {
			size_t bytes = 0;

			ck_assert_uint_le(chunk->npkts, 500);
			ck_assert_uint_eq(chunk->nfiles, 2);
			for (i = 0; i < chunk->npkts; i++, k++) {
				const struct ofd_corpus_pkt *a = &chunk->pkts[i], *b = &whole.pkts[k];

				ck_assert_uint_lt(k, whole.npkts);
				ck_assert_uint_eq(a->len, b->len);
				ck_assert_uint_eq(a->file, b->file);
				ck_assert_uint_eq(a->index, b->index);
				ck_assert_int_eq(memcmp(a->data, b->data, a->len), 0);
				/* bytes reach the bound with the chunk's last frame only */
				ck_assert_uint_lt(bytes, 64 * 1024);
				bytes += a->len;
			}
			ofd_digest__corpus(dg, chunk);
			nchunks++;
		}
		ck_assert_msg(rc == 0, "%s", err);
		ck_assert_uint_eq(k, whole.npkts);
		ck_assert_uint_eq(ofd_corpus_stream__frames(st), whole.npkts);
		ck_assert_int_eq(ofd_digest__final(dg, got), 0);
		ck_assert_str_eq(got, want);
		ofd_digest__free(dg);
		ck_assert_uint_eq(chunk->file_info[0].frames, GEN_A);
		ck_assert_uint_eq(chunk->file_info[1].frames, GEN_B);
		ofd_corpus_stream__rewind(st);
	}
	/* the byte bound cut chunks short of 500 frames */
	ck_assert_uint_gt(nchunks, 2 * ((GEN_A + GEN_B) / 500 + 1));
	ofd_corpus_stream__close(st);
	ofd_corpus_free(&whole);
}
END_TEST

/* Verdict counts of model against emu:profile over the cases given. */
static void run_counts(struct ofd_runner *r, const struct ofd_caseset *set)
{
	ck_assert_int_eq(ofd_runner__run(r, set->cases, set->ncases, 0), 0);
}

START_TEST(chunks_give_the_whole_corpus_verdicts)
{
	char *paths[] = { file_a, file_b };
	struct ofd_engine *model, *emu[OFD_ARRAY_SIZE(profiles)];
	struct ofd_runner *whole_r[OFD_ARRAY_SIZE(profiles)], *chunk_r[OFD_ARRAY_SIZE(profiles)];
	struct ofd_engine_opts eo = { .profile_dir = "specs/profiles" };
	struct ofd_caseset whole_set, set;
	const struct ofd_corpus *chunk;
	struct ofd_corpus_stream *st;
	struct ofd_corpus whole;
	uint64_t next_id = 0, skipped = 0;
	char err[256];
	size_t t;
	uint32_t i;
	int v, rc;

	ck_assert_int_eq(ofd_engine__open("model", &eo, &model, err, sizeof(err)), 0);
	for (t = 0; t < OFD_ARRAY_SIZE(profiles); t++) {
		struct ofd_runner_target rt = { .label = profiles[t] };

		eo.profile = profiles[t];
		ck_assert_msg(ofd_engine__open("emu", &eo, &emu[t], err, sizeof(err)) == 0, "%s", err);
		rt.engine = emu[t];
		ck_assert_int_eq(ofd_runner__new(model, &rt, 1, NULL, NULL, &whole_r[t]), 0);
		ck_assert_int_eq(ofd_runner__new(model, &rt, 1, NULL, NULL, &chunk_r[t]), 0);
		ofd_runner__set_offloads(chunk_r[t], OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	}

	load_both(&whole);
	ck_assert_int_eq(ofd_cases_derive(&whole, OFD_CAP(OFD_OFFLOAD_TX_CSUM), 3, NULL,
					  &whole_set, err, sizeof(err)), 0);
	for (t = 0; t < OFD_ARRAY_SIZE(profiles); t++)
		run_counts(whole_r[t], &whole_set);

	ck_assert_int_eq(ofd_cases_begin(&set, OFD_CAP(OFD_OFFLOAD_TX_CSUM), NULL, err,
					 sizeof(err)), 0);
	ck_assert_int_eq(ofd_corpus_stream__open(paths, 2, 1000, 0, &st), 0);
	while ((rc = ofd_corpus_stream__next(st, &chunk, err, sizeof(err))) > 0) {
		ck_assert_int_eq(ofd_cases_derive_chunk(chunk, 3, NULL, next_id, &set, err,
							sizeof(err)), 0);
		for (i = 0; i < set.ncases; i++)
			ck_assert_uint_eq(set.cases[i].id, next_id + i);
		for (t = 0; t < OFD_ARRAY_SIZE(profiles); t++)
			run_counts(chunk_r[t], &set);
		next_id += set.ncases;
		skipped += set.skipped;
	}
	ck_assert_msg(rc == 0, "%s", err);
	ck_assert_uint_eq(next_id, whole_set.ncases);
	ck_assert_uint_eq(skipped, whole_set.skipped);

	for (t = 0; t < OFD_ARRAY_SIZE(profiles); t++) {
		for (v = 0; v < OFD_V__MAX; v++)
			ck_assert_msg(ofd_runner__count(chunk_r[t], v) == ofd_runner__count(whole_r[t], v),
				      "%s: %s: %llu chunked, %llu whole", profiles[t],
				      ofd_verdict_name(v),
				      (unsigned long long)ofd_runner__count(chunk_r[t], v),
				      (unsigned long long)ofd_runner__count(whole_r[t], v));
		ck_assert_uint_eq(ofd_runner__critical(chunk_r[t]), ofd_runner__critical(whole_r[t]));
	}
	/* the engines told the profiles apart: not every count is "equal" */
	ck_assert_uint_eq(ofd_runner__count(chunk_r[0], OFD_V_EQUAL), whole_set.ncases);
	ck_assert_uint_gt(ofd_runner__critical(chunk_r[1]), 0);
	ck_assert_uint_gt(ofd_runner__critical(chunk_r[2]), 0);

	ofd_corpus_stream__close(st);
	ofd_caseset_free(&set);
	ofd_caseset_free(&whole_set);
	ofd_corpus_free(&whole);
	for (t = 0; t < OFD_ARRAY_SIZE(profiles); t++) {
		ofd_runner__free(whole_r[t]);
		ofd_runner__free(chunk_r[t]);
		ofd_engine__close(emu[t]);
	}
	ofd_engine__close(model);
}
END_TEST

/* The summary of the run whose output is text; its directory in run_dir
 * (512 bytes). */
static json_t *summary_of(const char *text, char *run_dir)
{
	const char *r = strstr(text, "report: ");
	char path[600];
	json_error_t je;
	json_t *j;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	ck_assert_int_eq(sscanf(r + 8, "%511s", run_dir), 1);
	if (run_dir[strlen(run_dir) - 1] == '/')
		run_dir[strlen(run_dir) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/summary.json", run_dir);
	j = json_load_file(path, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", path, je.text);
	return j;
}

static void assert_same_summary(json_t *a, json_t *b)
{
	json_t *ta, *tb, *ca, *cb;
	size_t i, k;

	ck_assert_str_eq(json_string_value(json_object_get(a, "corpus_sha256")),
			 json_string_value(json_object_get(b, "corpus_sha256")));
	ck_assert(json_equal(json_object_get(a, "corpus"), json_object_get(b, "corpus")));
	ck_assert_uint_eq(json_array_size(json_object_get(a, "targets")),
			  json_array_size(json_object_get(b, "targets")));
	json_array_foreach(json_object_get(a, "targets"), i, ta) {
		tb = json_array_get(json_object_get(b, "targets"), i);
		ck_assert(json_equal(json_object_get(ta, "verdicts"), json_object_get(tb, "verdicts")));
		ck_assert_uint_eq(json_array_size(json_object_get(ta, "classes")),
				  json_array_size(json_object_get(tb, "classes")));
		json_array_foreach(json_object_get(ta, "classes"), k, ca) {
			cb = json_array_get(json_object_get(tb, "classes"), k);
			ck_assert_str_eq(json_string_value(json_object_get(ca, "class")),
					 json_string_value(json_object_get(cb, "class")));
			ck_assert_int_eq(json_integer_value(json_object_get(ca, "count")),
					 json_integer_value(json_object_get(cb, "count")));
			ck_assert(json_equal(json_object_get(ca, "paths"), json_object_get(cb, "paths")));
		}
	}
}

START_TEST(resume_mid_stream_equals_full_run)
{
	char *full, *part, *text, rdir[512], pdir[512];
	json_t *a, *b;
	int rc;

	rc = ofd_test_run(&full, true, "%s run %s --out %s/full -q", ofd_test_offdiff(),
			  spec_path, dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, full);
	/* case 5000: past the first chunk, inside the second */
	rc = ofd_test_run(&part, true, "%s run %s --out %s/part -q --stop-after 5000",
			  ofd_test_offdiff(), spec_path, dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, part);
	ck_assert_ptr_nonnull(strstr(part, "stopped after case 5000"));
	ck_assert_int_eq(sscanf(strstr(part, "report: ") + 8, "%511s", pdir), 1);
	rc = ofd_test_run(&text, true, "%s run --resume %s -q", ofd_test_offdiff(), pdir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "resuming"));
	a = summary_of(full, rdir);
	b = summary_of(text, rdir);
	assert_same_summary(a, b);
	json_decref(a);
	json_decref(b);
	free(text);
	free(part);
	free(full);
}
END_TEST

/* findings.jsonl lines of one case (skip-reason lines have no "case"). */
static long long case_lines(const char *run_dir)
{
	char *text;
	long long n;

	ofd_test_run(&text, false, "grep -c '\"case\":' %s/findings.jsonl", run_dir);
	n = atoll(text);
	free(text);
	return n;
}

/* Sum over targets and classes of min(count, cap) (cap < 0: count). */
static long long expected_lines(json_t *sum, long long cap)
{
	json_t *t, *c;
	long long n = 0;
	size_t i, k;

	json_array_foreach(json_object_get(sum, "targets"), i, t)
		json_array_foreach(json_object_get(t, "classes"), k, c) {
			long long cnt = json_integer_value(json_object_get(c, "count"));

			n += cap >= 0 && cnt > cap ? cap : cnt;
		}
	return n;
}

START_TEST(findings_beyond_the_cap_are_counted_not_written)
{
	char *capped, *all, cdir[512], adir[512];
	json_t *a, *c, *t;
	long long total = 0;
	size_t i;
	int rc;

	rc = ofd_test_run(&capped, true, "%s run %s --out %s/c -q --findings-max 3",
			  ofd_test_offdiff(), spec_path, dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, capped);
	rc = ofd_test_run(&all, true, "%s run %s --out %s/a -q --findings all",
			  ofd_test_offdiff(), spec_path, dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, all);
	c = summary_of(capped, cdir);
	a = summary_of(all, adir);
	assert_same_summary(a, c);
	/* every non-equal case of the full file is a finding line */
	json_array_foreach(json_object_get(a, "targets"), i, t)
		total += json_integer_value(json_object_get(json_object_get(t, "verdicts"), "discrepancy")) +
			 json_integer_value(json_object_get(json_object_get(t, "verdicts"), "one-rejected")) +
			 json_integer_value(json_object_get(json_object_get(t, "verdicts"), "target-fault"));
	ck_assert_int_eq(case_lines(adir), total);
	ck_assert_int_eq(case_lines(adir), expected_lines(a, -1));
	/* a class over the cap exists, and only its first 3 were written */
	ck_assert_int_gt(expected_lines(c, -1), expected_lines(c, 3));
	ck_assert_int_eq(case_lines(cdir), expected_lines(c, 3));
	json_decref(a);
	json_decref(c);
	free(capped);
	free(all);
}
END_TEST

static Suite *stream_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("stream");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, stream_yields_the_loaded_corpus);
	tcase_add_test(tc, chunks_give_the_whole_corpus_verdicts);
	tcase_add_test(tc, resume_mid_stream_equals_full_run);
	tcase_add_test(tc, findings_beyond_the_cap_are_counted_not_written);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(stream_suite)
