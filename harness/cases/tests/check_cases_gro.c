// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_cases_gro.c - gro cases (harness/cases/gro.c, corpus_gro.c,
 * random_gro.c): trains and flush points read from pcap timestamps by the
 * rule of ofd_gro.h, the generated trains' shapes, random trains, and what
 * the kernel engine does with every generated train, against what
 * kernel-rx.md says for its rule.
 *
 * The kernel part needs root: when the engine cannot open it prints the
 * reason and passes (Check has no skip); CI runs it as root.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_gro.h"
#include "ofd_kernel.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_spec.h"
#include "ofd_test.h"

/* ---- pcap -> trains ------------------------------------------------ */

/* Gaps (µs) before frames 1.., and what ofd_gro.h says each means:
 * 0 same batch, 1 flush point, 2 a new train. */
static const struct {
	uint64_t gap;
	int means;
} gaps[] = {
	{ 10, 0 },      { 999, 0 },      { 1000, 1 },    { 0, 0 },
	{ 999999, 1 },  { 1000000, 2 },  { 5, 0 },       { 2000000, 2 },
	{ 1500, 1 },
};

START_TEST(pcap_trains)
{
	char path[] = "/tmp/ofd-gro-XXXXXX", err[256];
	struct ofd_pcap_writer *w;
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set = { 0 };
	uint8_t frame[60] = { 0 };
	unsigned int want_cases = 1, c, k, i;
	int fd;
	uint64_t ts = 5000000;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	ck_assert_int_eq(ofd_pcap_writer__write(w, frame, sizeof(frame), ts), 0);
	for (i = 0; i < OFD_ARRAY_SIZE(gaps); i++) {
		ts += gaps[i].gap;
		frame[0] = (uint8_t)(i + 1);
		ck_assert_int_eq(ofd_pcap_writer__write(w, frame, sizeof(frame), ts), 0);
		want_cases += gaps[i].means == 2;
	}
	/* A clock that goes back ends the train too. */
	ck_assert_int_eq(ofd_pcap_writer__write(w, frame, sizeof(frame), ts - 1), 0);
	want_cases++;
	ts += OFD_GRO_TRAIN_GAP_US - 1;
	/* OFD_GRO_MAX_TRAIN + 2 frames 10 µs apart: a full train and 2. */
	for (i = 0; i < OFD_GRO_MAX_TRAIN + 2; i++) {
		ts += 10;
		ck_assert_int_eq(ofd_pcap_writer__write(w, frame, sizeof(frame), ts), 0);
	}
	want_cases += 2;
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);

	ck_assert_msg(ofd_corpus_load(&corpus, path, err, sizeof(err)) == 0, "%s", err);
	/* The same file again: a new file starts a new train. */
	ck_assert_msg(ofd_corpus_load(&corpus, path, err, sizeof(err)) == 0, "%s", err);
	unlink(path);
	ck_assert_msg(ofd_cases_derive(&corpus, OFD_CAP(OFD_OFFLOAD_GRO), 1u << OFD_REQ_VNET,
				       NULL, &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(set.ncases, 2 * want_cases);
	/* The first file's trains, frame by frame, with their flush points. */
	c = 0;
	k = 0;
	for (i = 0; i <= OFD_ARRAY_SIZE(gaps); i++) {
		const struct ofd_case *cs = &set.cases[c];
		int next = i < OFD_ARRAY_SIZE(gaps) ? gaps[i].means : 2;

		ck_assert_uint_eq(cs->offload, OFD_OFFLOAD_GRO);
		ck_assert_uint_eq(cs->req.kind, OFD_REQ_VNET);
		ck_assert_uint_eq(cs->req.vnet.flags, 0);
		ck_assert_msg(k < cs->npkts, "frame %u: case %u has %u frames", i, c, cs->npkts);
		ck_assert_uint_eq(cs->pkts[k].data[0], i);
		ck_assert_msg(!!(cs->pkts[k].flags & OFD_PKT_F_FLUSH_AFTER) == (next != 0),
			      "frame %u: flush after %d, gap means %d", i,
			      !!(cs->pkts[k].flags & OFD_PKT_F_FLUSH_AFTER), next);
		if (next == 2) {
			ck_assert_uint_eq(cs->npkts, k + 1);
			ck_assert_uint_eq(cs->src_index, i - k);
			c++;
			k = 0;
		} else {
			k++;
		}
	}
	ck_assert_uint_eq(set.cases[c].npkts, 1); /* the one back in time */
	ck_assert_uint_eq(set.cases[c + 1].npkts, OFD_GRO_MAX_TRAIN);
	ck_assert_uint_eq(set.cases[c + 2].npkts, 2);
	ck_assert_uint_eq(set.cases[c + 3].src_index, 0); /* the second file */
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
}
END_TEST

/* A train written as a reproducer's input.pcap reads back with the same
 * flush points. */
START_TEST(train_stamps_round_trip)
{
	static const uint32_t flags[] = { 0, 1, 1, 0, 0, 1, 0, 0 };
	char path[] = "/tmp/ofd-grots-XXXXXX", err[256];
	struct ofd_pkt pkts[8], back[8];
	struct ofd_corpus corpus = { 0 };
	struct ofd_pcap_writer *w;
	uint8_t frame[60] = { 0 };
	unsigned int i;
	int fd;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	for (i = 0; i < 8; i++) {
		pkts[i].data = frame;
		pkts[i].len = sizeof(frame);
		pkts[i].flags = flags[i] || i == 7 ? OFD_PKT_F_FLUSH_AFTER : 0;
	}
	ck_assert_uint_eq(ofd_gro_pkt_ts(pkts, 0), 0);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	for (i = 0; i < 8; i++)
		ck_assert_int_eq(ofd_pcap_writer__write(w, frame, sizeof(frame),
							ofd_gro_pkt_ts(pkts, i)), 0);
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	ck_assert_msg(ofd_corpus_load(&corpus, path, err, sizeof(err)) == 0, "%s", err);
	unlink(path);
	ck_assert_uint_eq(corpus.npkts, 8);
	ofd_gro_train_flags(&corpus, back);
	for (i = 0; i < 8; i++)
		ck_assert_msg(back[i].flags == pkts[i].flags, "frame %u: %u != %u", i,
			      back[i].flags, pkts[i].flags);
	ofd_corpus_free(&corpus);
}
END_TEST

/* A spec's gaps replace the defaults; 0 is not a gap. */
START_TEST(spec_gaps)
{
#define SPEC_HEAD "name: g\noffloads: [gro]\ncorpus: [" OFD_TEST_ROOT "/corpus/gro/udp.pcap]\n" \
		  "targets: [{engine: null}]\n"
	static const char text[] = SPEC_HEAD "gro_flush_gap_us: 5\ngro_train_gap_us: 100\n";
	static const char zero[] = SPEC_HEAD "gro_train_gap_us: 0\n";
	struct ofd_corpus_pkt a = { .ts_us = 1000 }, b = a;
	struct ofd_spec *spec = NULL;
	char err[256];

	ck_assert_msg(ofd_spec_parse("g.yaml", text, sizeof(text) - 1, &spec, err,
				     sizeof(err)) == 0, "%s", err);
	b.ts_us = a.ts_us + 4;
	ck_assert_int_eq(ofd_gro_gap(&a, &b, 1, spec), OFD_GRO_SAME_BATCH);
	b.ts_us = a.ts_us + 5;
	ck_assert_int_eq(ofd_gro_gap(&a, &b, 1, spec), OFD_GRO_FLUSH);
	ck_assert_int_eq(ofd_gro_gap(&a, &b, 1, NULL), OFD_GRO_SAME_BATCH);
	b.ts_us = a.ts_us + 100;
	ck_assert_int_eq(ofd_gro_gap(&a, &b, 1, spec), OFD_GRO_NEW_TRAIN);
	ck_assert_int_eq(ofd_gro_gap(&a, &b, 1, NULL), OFD_GRO_SAME_BATCH);
	ofd_spec_free(spec);
	spec = NULL;
	ck_assert_int_eq(ofd_spec_parse("z.yaml", zero, sizeof(zero) - 1, &spec, err,
					sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "z.yaml:5:") && strstr(err, "gro_train_gap_us: expected 1 or more"),
		      "%s", err);
}
END_TEST

/* ---- the generated corpus ------------------------------------------ */

#define MAX_FRAMES 1024

struct gen {
	char *desc[MAX_FRAMES];
	uint32_t n;
};

static int collect(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct gen *g = ctx;

	ck_assert_uint_lt(f->index, MAX_FRAMES);
	g->desc[f->index] = strdup(f->desc);
	g->n = f->index + 1;
	return 0;
}

/* The committed gro corpus, derived, with the generator's descriptions
 * of every frame (desc[file][index]). */
struct gro_corpus {
	struct ofd_corpus corpus;
	struct ofd_caseset set;
	struct gen gen[OFD_GRO_GEN__NFILES];
};

static void load(struct gro_corpus *gc)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_GRO)->cases;
	char path[256], err[256];
	unsigned int f;

	memset(gc, 0, sizeof(*gc));
	ck_assert_ptr_nonnull(oc);
	ck_assert_uint_eq(oc->nscenarios, OFD_GRO_GEN__NFILES);
	for (f = 0; f < oc->nscenarios; f++) {
		snprintf(path, sizeof(path), OFD_TEST_ROOT "/corpus/%s", oc->scenarios[f].file);
		ck_assert_msg(ofd_corpus_load(&gc->corpus, path, err, sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(oc->scenarios[f].foreach(oc->scenarios[f].which, collect,
							  &gc->gen[f]), 0);
		ck_assert_uint_eq(gc->gen[f].n, gc->corpus.file_info[f].frames);
	}
	ck_assert_msg(ofd_cases_derive(&gc->corpus, OFD_CAP(OFD_OFFLOAD_GRO),
				       1u << OFD_REQ_VNET, NULL, &gc->set, err,
				       sizeof(err)) == 0, "%s", err);
}

static void unload(struct gro_corpus *gc)
{
	unsigned int f, i;

	for (f = 0; f < OFD_GRO_GEN__NFILES; f++)
		for (i = 0; i < gc->gen[f].n; i++)
			free(gc->gen[f].desc[i]);
	ofd_caseset_free(&gc->set);
	ofd_corpus_free(&gc->corpus);
}

static unsigned int file_of(const struct gro_corpus *gc, const struct ofd_case *c)
{
	unsigned int f;

	for (f = 0; f < gc->corpus.nfiles; f++)
		if (gc->corpus.files[f] == c->src_file)
			return f;
	ck_abort_msg("case %llu: no file", (unsigned long long)c->id);
	return 0;
}

/* "tcp4/tcp_seq/apart 1/2" -> name "tcp4/tcp_seq/apart", k 1, n 2. */
static void split_desc(const char *d, char *name, size_t cap, unsigned int *k,
		       unsigned int *n)
{
	const char *sp = strchr(d, ' ');

	ck_assert_ptr_nonnull(sp);
	ck_assert_uint_lt((size_t)(sp - d), cap);
	memcpy(name, d, (size_t)(sp - d));
	name[sp - d] = '\0';
	ck_assert_int_eq(sscanf(sp + 1, "%u/%u", k, n), 2);
}

/* Every derived train is exactly one generated train: the generator's
 * timestamps say what its descriptions say. */
START_TEST(gen_trains_are_trains)
{
	struct gro_corpus gc;
	unsigned int i, j, k, n, f;
	char name[96], first[96];

	load(&gc);
	ck_assert_uint_gt(gc.set.ncases, 100);
	for (i = 0; i < gc.set.ncases; i++) {
		const struct ofd_case *c = &gc.set.cases[i];

		f = file_of(&gc, c);
		split_desc(gc.gen[f].desc[c->src_index], first, sizeof(first), &k, &n);
		ck_assert_msg(k == 1 && n == c->npkts, "%s packet %u: %s: train of %u",
			      c->src_file, c->src_index, first, c->npkts);
		for (j = 0; j < c->npkts; j++) {
			split_desc(gc.gen[f].desc[c->src_index + j], name, sizeof(name), &k, &n);
			ck_assert_str_eq(name, first);
			ck_assert_uint_eq(k, j + 1);
		}
		ck_assert(c->pkts[c->npkts - 1].flags & OFD_PKT_F_FLUSH_AFTER);
	}
	unload(&gc);
}
END_TEST

/* TCP header fields of a frame's innermost TCP; payload bytes. */
struct tcpf {
	uint32_t seq, payload, ip_len;
	uint8_t flags;
	int l3_proto;
	const uint8_t *ip;
};

static struct tcpf tcp_of(const struct ofd_pkt *pk)
{
	struct ofd_parsed p;
	struct tcpf t = { 0 };
	const uint8_t *th;

	ofd_parse(pk->data, pk->len, 0, &p);
	ck_assert_int_ge(p.l4, 0);
	ck_assert_int_ge(p.l3, 0);
	th = pk->data + p.layer[p.l4].off;
	t.seq = (uint32_t)th[4] << 24 | (uint32_t)th[5] << 16 | (uint32_t)th[6] << 8 | th[7];
	t.flags = th[13];
	t.payload = pk->len - p.layer[p.l4].off - p.layer[p.l4].len;
	t.l3_proto = p.layer[p.l3].proto;
	t.ip = pk->data + p.layer[p.l3].off;
	t.ip_len = pk->len - p.layer[p.l3].off;
	return t;
}

/* The shapes the rules require. */
START_TEST(gen_rule_shapes)
{
	struct gro_corpus gc;
	unsigned int i, j, k, n, seen = 0;
	char name[96];

	load(&gc);
	for (i = 0; i < gc.set.ncases; i++) {
		const struct ofd_case *c = &gc.set.cases[i];
		struct tcpf t[OFD_GRO_MAX_TRAIN];
		uint64_t sum = 0;
		bool apart;

		split_desc(gc.gen[file_of(&gc, c)].desc[c->src_index], name, sizeof(name), &k, &n);
		if (!strncmp(name, "udp", 3))
			continue;
		apart = strstr(name, "/apart") != NULL;
		for (j = 0; j < c->npkts; j++) {
			t[j] = tcp_of(&c->pkts[j]);
			sum += t[j].payload;
		}
		if (strstr(name, "/tcp_seq/")) {
			ck_assert_msg((t[1].seq != t[0].seq + t[0].payload) == apart, "%s", name);
			seen++;
		} else if (strstr(name, "/large_max/merge") || strstr(name, "/large_rem/")) {
			uint32_t iph = t[0].l3_proto == OFD_P_IPV4 ? 20 : 40;
			int64_t full = (int64_t)(iph + 20 + sum) - 65535;

			/* kernel-rx.md 1.7: 16 x 4036 and a remainder
			 * filling a 65535-byte IP datagram (merge of
			 * large_max), one byte short (large_rem merge) or
			 * over (large_rem apart). */
			ck_assert_uint_eq(c->npkts, 17);
			ck_assert_uint_eq(t[0].payload, 4036);
			ck_assert_msg(full == (strstr(name, "large_max") ? 0 : apart ? 1 : -1),
				      "%s: %lld", name, (long long)full);
			seen++;
		} else if (strstr(name, "/data_same/")) {
			ck_assert_msg(!!(c->pkts[0].flags & OFD_PKT_F_FLUSH_AFTER) == apart,
				      "%s", name);
			seen++;
		} else if (strstr(name, "/flags_syn/apart") || strstr(name, "/flags_rst/apart") ||
			   strstr(name, "/flags_urg/apart")) {
			uint8_t want = strstr(name, "syn") ? 0x02 : strstr(name, "rst") ? 0x04 : 0x20;

			ck_assert_uint_eq(c->npkts, 5);
			ck_assert_uint_eq(t[2].flags & want, want);
			ck_assert_uint_eq(t[2].payload, 0);
			seen++;
		} else if (strstr(name, "/ip_id_df0/")) {
			for (j = 0; j < c->npkts; j++)
				ck_assert_uint_eq(t[j].ip[6] & 0x40, 0);
			seen++;
		}
		/* every non-tunnel train's other segments contiguous */
		for (j = 1; !apart && !strstr(name, "flows") && !strstr(name, "capacity") &&
			    j < c->npkts; j++)
			ck_assert_msg(t[j].seq == t[j - 1].seq + t[j - 1].payload,
				      "%s: segment %u not contiguous", name, j + 1);
	}
	ck_assert_uint_gt(seen, 20);
	unload(&gc);
}
END_TEST

START_TEST(random_trains)
{
	static uint8_t buf[16384], buf2[16384];
	struct ofd_pkt pkts[OFD_GRO_RANDOM_PKTS], pkts2[OFD_GRO_RANDOM_PKTS];
	struct ofd_case c, c2;
	unsigned int i, j, sizes[OFD_GRO_RANDOM_PKTS + 1] = { 0 };

	for (i = 0; i < 500; i++) {
		ck_assert_int_eq(ofd_gro_random(7, i, buf, sizeof(buf), pkts,
						OFD_GRO_RANDOM_PKTS, &c), 0);
		ck_assert_int_eq(ofd_gro_random(7, i, buf2, sizeof(buf2), pkts2,
						OFD_GRO_RANDOM_PKTS, &c2), 0);
		ck_assert_uint_eq(c.offload, OFD_OFFLOAD_GRO);
		ck_assert_uint_ge(c.npkts, 1);
		ck_assert_uint_le(c.npkts, OFD_GRO_RANDOM_PKTS);
		ck_assert_uint_eq(c.npkts, c2.npkts);
		ck_assert(pkts[c.npkts - 1].flags & OFD_PKT_F_FLUSH_AFTER);
		for (j = 0; j < c.npkts; j++) {
			ck_assert_uint_le(pkts[j].len, OFD_GRO_RANDOM_FRAME);
			ck_assert_uint_eq(pkts[j].len, pkts2[j].len);
			ck_assert_mem_eq(pkts[j].data, pkts2[j].data, pkts[j].len);
			ck_assert_uint_eq(pkts[j].flags, pkts2[j].flags);
		}
		sizes[c.npkts]++;
	}
	for (i = 1; i <= OFD_GRO_RANDOM_PKTS; i++)
		ck_assert_msg(sizes[i] > 20, "%u-frame trains: %u of 500", i, sizes[i]);
	/* Room for one frame: a train of one. */
	ck_assert_int_eq(ofd_gro_random(7, 3, buf, OFD_GRO_RANDOM_FRAME, pkts,
					OFD_GRO_RANDOM_PKTS, &c), 0);
	ck_assert_uint_eq(c.npkts, 1);
	ck_assert_int_eq(ofd_gro_random(7, 3, buf, 10, pkts, OFD_GRO_RANDOM_PKTS, &c), -ENOSPC);
}
END_TEST

/* ---- the kernel engine on the generated trains --------------------- */

#include "check_cases_gro_table.h"

/* Random trains on the kernel engine: every one runs (none rejected or
 * unsupported), twice the same, some merged and some not. */
static void kernel_random(struct ofd_engine *e)
{
	enum { N = 300 };
	static uint8_t buf[N][16384];
	static struct ofd_pkt pkts[N][OFD_GRO_RANDOM_PKTS];
	static struct ofd_case cases[N];
	struct ofd_twice t;
	char err[256];
	unsigned int i;

	for (i = 0; i < N; i++)
		ck_assert_int_eq(ofd_gro_random(11, i, buf[i], sizeof(buf[i]), pkts[i],
						OFD_GRO_RANDOM_PKTS, &cases[i]), 0);
	ck_assert_msg(ofd_run_twice(e, cases, N, ofd_cases_max_output(OFD_CAP(OFD_OFFLOAD_GRO)),
				    NULL, &t, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(t.ok == N, "%llu of %d random trains ran (%s)",
		      (unsigned long long)t.ok, N, t.why ? t.why : "rejected");
	ck_assert_msg(t.differ == 0, "random train %u differs between two runs", t.first_diff);
	ck_assert_uint_gt(t.merged, N / 10);
	ck_assert_uint_lt(t.merged, N - N / 10);
}

START_TEST(kernel_outcomes)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO) };
	struct ofd_engine *e = NULL;
	struct gro_corpus gc;
	struct ofd_twice t;
	uint32_t *counts;
	char err[256], name[96];
	unsigned int i, k, n, bad = 0;
	FILE *table = getenv("OFD_GRO_TABLE") ? fopen(getenv("OFD_GRO_TABLE"), "w") : NULL;


	if (ofd_engine__open("kernel", &o, &e, err, sizeof(err))) {
		fprintf(stderr, "cases_gro: kernel engine not run: %s\n", err);
		if (table)
			fclose(table);
		return;
	}
	load(&gc);
	counts = calloc(gc.set.ncases, sizeof(*counts));
	ck_assert_ptr_nonnull(counts);
	ck_assert_msg(ofd_run_twice(e, gc.set.cases, gc.set.ncases,
				    ofd_cases_max_output(OFD_CAP(OFD_OFFLOAD_GRO)), counts,
				    &t, err, sizeof(err)) == 0, "%s", err);
	if (t.unsupported == t.cases) {
		fprintf(stderr, "cases_gro: kernel engine has no gro here: %s\n",
			t.why ? t.why : "?");
		goto out;
	}
	/* Deterministic: no sleeps, no retries (issue 19). */
	ck_assert_msg(t.differ == 0, "%llu trains differ between two runs, the first %s packet %u",
		      (unsigned long long)t.differ, gc.set.cases[t.first_diff].src_file,
		      gc.set.cases[t.first_diff].src_index);
	for (i = 0; i < gc.set.ncases; i++) {
		const struct ofd_case *c = &gc.set.cases[i];
		int want;

		split_desc(gc.gen[file_of(&gc, c)].desc[c->src_index], name, sizeof(name), &k, &n);
		want = expected_frames(name, c->npkts);
		ck_assert_msg(want > 0, "%s: no expectation in the table", name);
		/* OFD_GRO_TABLE=<file>: every train's outcome, for the docs. */
		if (table)
			fprintf(table, "%s %u %u\n", name, c->npkts, counts[i]);
		if (counts[i] != (uint32_t)want) {
			fprintf(stderr, "%s packet %u: %s: the kernel gave %u frames, kernel-rx.md %d\n",
				c->src_file, c->src_index, name, counts[i], want);
			bad++;
		}
	}
	ck_assert_msg(!bad, "%u trains not as kernel-rx.md says (lines above)", bad);
	kernel_random(e);
out:
	if (table)
		fclose(table);
	free(counts);
	unload(&gc);
	ofd_engine__close(e);
}
END_TEST

/* `offdiff selfcheck --offload gro`: the kernel engine alone on every
 * corpus train, twice and the same, then the model against it on those
 * and random trains (every case a skip while the model has no gro: exit
 * 4, nothing compared; 0 once it has and agrees). */
START_TEST(selfcheck_gro)
{
	unsigned long long trains = 0, same = 0, all = 0;
	char dir[256], *text;
	const char *line;
	int rc;

	ofd_test_mkdtemp(dir, sizeof(dir), "grosc");
	rc = ofd_test_run(&text, true, "%s selfcheck --offload gro -n 300 --out %s 2>&1",
			  ofd_test_offdiff(), dir);
	if (rc == 3 || (text && strstr(text, "gro and rx-csum unavailable"))) {
		fprintf(stderr, "cases_gro: selfcheck not run: %s", text);
		free(text);
		return;
	}
	ck_assert_msg(rc == 0 || rc == 4, "exit %d: %s", rc, text);
	line = strstr(text, "kernel alone: ");
	ck_assert_msg(line && sscanf(line, "kernel alone: %llu trains", &trains) == 1,
		      "%s", text);
	line = strstr(line + 1, "kernel alone: ");
	ck_assert_msg(line && sscanf(line, "kernel alone: %llu of %llu trains identical",
				     &same, &all) == 2, "%s", text);
	ck_assert_uint_gt(trains, 200);
	ck_assert_uint_eq(same, trains);
	ck_assert_uint_eq(all, trains);
	ck_assert_msg(strstr(text, "300 random (seed 1)"), "%s", text);
	if (rc == 4)
		ck_assert_msg(strstr(text, "the model has no gro yet"), "%s", text);
	free(text);
	ofd_test_run(&text, false, "rm -rf %s", dir);
	free(text);
}
END_TEST

static Suite *cases_gro_suite(void)
{
	Suite *s = suite_create("cases_gro");
	TCase *tc = tcase_create("gro");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pcap_trains);
	tcase_add_test(tc, spec_gaps);
	tcase_add_test(tc, train_stamps_round_trip);
	tcase_add_test(tc, gen_trains_are_trains);
	tcase_add_test(tc, gen_rule_shapes);
	tcase_add_test(tc, random_trains);
	tcase_add_test(tc, kernel_outcomes);
	tcase_add_test(tc, selfcheck_gro);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(cases_gro_suite)
