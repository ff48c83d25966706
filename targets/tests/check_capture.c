// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_capture.c - the capture target (targets/capture.c): a device's
 * output read from a pcap, each case's frames found by content.
 *
 * Expected frames come from the kernel's rules, not from the target: TSO
 * segments built with ofd_pktbuild.h as Linux 6.18's software GSO makes
 * them (harness/tests/ofd_tso_test.h); end to end, the frames the emulator
 * gives, whose own correctness its tests establish.
 *
 * Cases:
 *  tso_shuffled  segments of two super-packets of the same payload, in a
 *                shuffled capture with ARP and ND frames between them:
 *                each case gets its own segments, in capture order
 *  dropped       a case with no frame in the capture is skipped, said as
 *                such; a frame serves one case once over the whole run
 *  bad_files     a truncated capture, garbage, an empty file, no file=:
 *                one line naming the file (and the packet)
 *  e2e_*         the emulator's output for a corpus' cases (conformant
 *                and a bug profile, tx-csum and tso), interleaved across
 *                cases with foreign frames, read back through the capture
 *                target: every case's verdict and frames are the
 *                emulator's (capture_test_util.h)
 *  cli_*         `offdiff run SPEC -t capture:file=X` finds what `-t
 *                emu:PROFILE` finds (verdicts and classes in summary.json)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "ofd_tso_test.h"
#include "capture_test_util.h"

START_TEST(tso_shuffled)
{
	struct tso_params ta = { .seq = 100000, .flags = 0x18, .id = 7 };
	struct tso_params tb = ta;
	static uint8_t sa[8000], sb[8000], seg[2][3][1600];
	uint32_t seglen[2][3], la, lb, l4 = 0, j;
	struct ofd_pkt pa, pb;
	struct ofd_case c[2];
	struct ofd_result *r[2];
	struct ofd_engine *e;
	const uint8_t *fr[8];
	uint32_t fl[8];
	/* capture order: B1 ARP A2 B0 NS A0 B2 A1 */
	static const int who[8] = { 1, -1, 0, 1, -2, 0, 1, 0 };
	static const int seq[8] = { 1, 0, 2, 0, 0, 0, 2, 1 };
	char dir[64], path[128];
	int n, i;

	tb.sport = 1001;
	n = tso_test_build(TS_V4, &ta, tso_test_payload(), 3000, sa, sizeof(sa), &l4);
	ck_assert_int_gt(n, 0);
	la = (uint32_t)n;
	pa = (struct ofd_pkt){ .data = sa, .len = la };
	memset(&c[0], 0, sizeof(c[0]));
	c[0].offload = OFD_OFFLOAD_TSO;
	c[0].npkts = 1;
	c[0].pkts = &pa;
	tso_test_request(TS_V4, false, false, 1000, l4, &c[0].req);
	n = tso_test_build(TS_V4, &tb, tso_test_payload(), 3000, sb, sizeof(sb), &l4);
	ck_assert_int_gt(n, 0);
	lb = (uint32_t)n;
	pb = (struct ofd_pkt){ .data = sb, .len = lb };
	c[1] = c[0];
	c[1].pkts = &pb;
	for (j = 0; j < 3; j++) {
		n = tso_test_segment(TS_V4, &ta, 3000, 1000, j, seg[0][j], sizeof(seg[0][j]));
		ck_assert_int_gt(n, 0);
		seglen[0][j] = (uint32_t)n;
		n = tso_test_segment(TS_V4, &tb, 3000, 1000, j, seg[1][j], sizeof(seg[1][j]));
		ck_assert_int_gt(n, 0);
		seglen[1][j] = (uint32_t)n;
	}
	for (i = 0; i < 8; i++) {
		if (who[i] >= 0) {
			fr[i] = seg[who[i]][seq[i]];
			fl[i] = seglen[who[i]][seq[i]];
		} else {
			fr[i] = who[i] == -1 ? cap_arp : cap_ns;
			fl[i] = who[i] == -1 ? sizeof(cap_arp) : sizeof(cap_ns);
		}
	}
	ofd_test_mkdtemp(dir, sizeof(dir), "capture");
	snprintf(path, sizeof(path), "%s/out.pcap", dir);
	cap_write(path, fr, fl, 8);
	e = cap_open(dir, "out.pcap", OFD_CAP(OFD_OFFLOAD_TSO));
	ck_assert_str_eq(e->info.version, "capture of out.pcap (8 frames)");
	ck_assert_str_eq(e->info.device.peer, "out.pcap");
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(ofd_result__new(1u << 20, &r[i]), 0);
	cap_run(e, c, r, 2);
	for (i = 0; i < 2; i++) {
		/* The capture's order of the case's segments: A2 A0 A1, B1 B0 B2. */
		static const int order[2][3] = { { 2, 0, 1 }, { 1, 0, 2 } };

		ck_assert_int_eq(r[i]->status, OFD_RES_OK);
		ck_assert_uint_eq(r[i]->nframes, 3);
		for (j = 0; j < 3; j++) {
			const struct ofd_frame *f = &r[i]->frame[j];

			ck_assert_uint_eq(f->len, seglen[i][order[i][j]]);
			ck_assert_mem_eq(f->base, seg[i][order[i][j]], f->len);
		}
		ofd_result__free(r[i]);
	}
	ofd_engine__close(e);
	cap_rmdir(dir);
}
END_TEST

START_TEST(dropped)
{
	struct tso_params t = { .seq = 1, .flags = 0x18 };
	static uint8_t sp[4000], s0[1600];
	struct ofd_case c[2];
	struct ofd_result *r[2];
	struct ofd_pkt p;
	struct ofd_engine *e;
	const uint8_t *fr[1];
	uint32_t fl[1], l4 = 0;
	char dir[64], path[128];
	int n, i;

	/* One super-packet asked twice, one segment of it captured: the
	 * first case gets it, the second nothing, and the frame is not
	 * given again in a later batch. */
	n = tso_test_build(TS_V6, &t, tso_test_payload(), 1000, sp, sizeof(sp), &l4);
	ck_assert_int_gt(n, 0);
	p = (struct ofd_pkt){ .data = sp, .len = (uint32_t)n };
	memset(&c[0], 0, sizeof(c[0]));
	c[0].offload = OFD_OFFLOAD_TSO;
	c[0].npkts = 1;
	c[0].pkts = &p;
	tso_test_request(TS_V6, false, true, 1000, l4, &c[0].req);
	c[1] = c[0];
	/* A payload of one gso_size: one segment, all checksums complete. */
	n = tso_test_segment(TS_V6, &t, 1000, 1000, 0, s0, sizeof(s0));
	ck_assert_int_gt(n, 0);
	fr[0] = s0;
	fl[0] = (uint32_t)n;
	ofd_test_mkdtemp(dir, sizeof(dir), "capture");
	snprintf(path, sizeof(path), "%s/one.pcap", dir);
	cap_write(path, fr, fl, 1);
	e = cap_open(NULL, path, OFD_CAP(OFD_OFFLOAD_TSO));
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(ofd_result__new(1u << 20, &r[i]), 0);
	cap_run(e, c, r, 2);
	ck_assert_int_eq(r[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(r[0]->nframes, 1);
	ck_assert_mem_eq(r[0]->frame[0].base, s0, fl[0]);
	ck_assert_int_eq(r[1]->status, OFD_RES_UNSUPPORTED);
	ck_assert_str_eq(r[1]->detail, "no frame in the capture (not sent, or dropped by the device)");
	cap_run(e, c, r, 1);
	ck_assert_int_eq(r[0]->status, OFD_RES_UNSUPPORTED);
	for (i = 0; i < 2; i++)
		ofd_result__free(r[i]);
	ofd_engine__close(e);
	cap_rmdir(dir);
}
END_TEST

/* Opening fails with one line that holds each of want[]. */
static void open_fails(const char *dir, const char *file, const char *const *want,
		       unsigned int nwant)
{
	struct ofd_engine_param prm = { "file", file };
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM), .params = &prm,
				     .nparams = file ? 1 : 0, .base_dir = dir };
	struct ofd_engine *e = NULL;
	char msg[512] = "";
	unsigned int i;

	ck_assert_int_lt(ofd_engine__open("capture", &o, &e, msg, sizeof(msg)), 0);
	ck_assert_ptr_null(e);
	ck_assert_ptr_null(strchr(msg, '\n'));
	for (i = 0; i < nwant; i++)
		ck_assert_msg(strstr(msg, want[i]), "'%s' not in: %s", want[i], msg);
}

START_TEST(bad_files)
{
	static const uint8_t junk[64] = "this is not a capture at all, just some text\n";
	const uint8_t *fr[3] = { cap_arp, cap_ns, cap_arp };
	uint32_t fl[3] = { sizeof(cap_arp), sizeof(cap_ns), sizeof(cap_arp) };
	char dir[64], path[128];
	FILE *f;

	ofd_test_mkdtemp(dir, sizeof(dir), "capture");
	snprintf(path, sizeof(path), "%s/cut.pcap", dir);
	cap_write(path, fr, fl, 3);
	/* The third record's header promises 42 bytes; 10 are there. */
	ck_assert_int_eq(truncate(path, 24 + 16 + 42 + 16 + 86 + 16 + 10), 0);
	open_fails(dir, "cut.pcap", (const char *const[]){ "cut.pcap", "packet 2" }, 2);

	snprintf(path, sizeof(path), "%s/junk.pcap", dir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(junk, 1, sizeof(junk), f), sizeof(junk));
	fclose(f);
	open_fails(dir, "junk.pcap", (const char *const[]){ "junk.pcap", "not a readable capture" }, 2);

	snprintf(path, sizeof(path), "%s/empty.pcap", dir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	open_fails(dir, "empty.pcap", (const char *const[]){ "empty.pcap", "empty file" }, 2);
	open_fails(dir, "missing.pcap", (const char *const[]){ "missing.pcap" }, 1);
	open_fails(dir, NULL, (const char *const[]){ "file=" }, 1);
	open_fails(NULL, dir, (const char *const[]){ dir, "not a regular file" }, 2);
	cap_rmdir(dir);
}
END_TEST

static const char *const txcsum_files[] = {
	"corpus/tx-csum/base.pcap", "corpus/tx-csum/tunnels.pcap",
	"corpus/tx-csum/ipv6-ext.pcap",
};
static const char *const tso_files[] = { "corpus/tso/base.pcap", "corpus/tso/udp.pcap" };

START_TEST(e2e_txcsum_conformant)
{
	cap_e2e("conformant", OFD_OFFLOAD_TX_CSUM, txcsum_files, 3, 0, NULL);
}
END_TEST

START_TEST(e2e_txcsum_short_tail)
{
	cap_e2e("short-tail", OFD_OFFLOAD_TX_CSUM, txcsum_files, 3, 0, NULL);
}
END_TEST

START_TEST(e2e_tso_conformant)
{
	cap_e2e("conformant", OFD_OFFLOAD_TSO, tso_files, 2, 20, NULL);
}
END_TEST

START_TEST(e2e_tso_last_len)
{
	/* TCP only: the UFO fragments of udp.pcap's super-packets share flow,
	 * IPv4 ID and payload bytes, so a last fragment with a wrong length
	 * resembles another case's middle fragment more than its own
	 * expected frame and takes it (a limit of matching by content). */
	cap_e2e("tso-last-len", OFD_OFFLOAD_TSO, tso_files, 1, 20, NULL);
}
END_TEST

/* The verdicts and classes of the one target of the run text reports. */
static json_t *run_target(const char *text)
{
	const char *r = strstr(text, "report: ");
	char rdir[512], path[600];
	json_error_t je;
	json_t *j, *t;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	ck_assert_int_eq(sscanf(r + 8, "%511s", rdir), 1);
	snprintf(path, sizeof(path), "%s/summary.json", rdir);
	j = json_load_file(path, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", path, je.text);
	ck_assert_uint_eq(json_array_size(json_object_get(j, "targets")), 1);
	t = json_array_get(json_object_get(j, "targets"), 0);
	t = json_pack("{s:O,s:O}", "verdicts", json_object_get(t, "verdicts"),
		      "classes", json_object_get(t, "classes"));
	json_decref(j);
	return t;
}

/* `offdiff run -t capture:file=X` on the emulator's capture of a spec's
 * cases finds what `-t emu:PROFILE` finds. */
static void cli_same_findings(const char *profile)
{
	static const char *const files[] = { "corpus/tx-csum/base.pcap" };
	char dir[64], cwd[512], pcap[128], spec[128], *a, *b;
	json_t *ta, *tb;
	FILE *f;
	int rc;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ofd_test_mkdtemp(dir, sizeof(dir), "capture-cli");
	snprintf(pcap, sizeof(pcap), "%s/dev.pcap", dir);
	snprintf(spec, sizeof(spec), "%s/spec.yaml", dir);
	cap_e2e(profile, OFD_OFFLOAD_TX_CSUM, files, 1, 0, pcap);
	f = fopen(spec, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "name: capture-e2e\nreference: model\noffloads: [tx-csum]\n"
		   "requests: [vnet, legacy]\ncorpus:\n  - %s/%s\n"
		   "profile_dir: %s/specs/profiles\ntargets:\n  - engine: null\n",
		cwd, files[0], cwd);
	fclose(f);
	rc = ofd_test_run(&a, true, "%s run %s -t capture:file=%s --out %s/a -q",
			  ofd_test_offdiff(), spec, pcap, dir);
	ck_assert_msg(rc == 0 || rc == 1, "exit %d: %s", rc, a);
	rc = ofd_test_run(&b, true, "%s run %s -t emu:%s --out %s/b -q",
			  ofd_test_offdiff(), spec, profile, dir);
	ck_assert_msg(rc == 0 || rc == 1, "exit %d: %s", rc, b);
	ta = run_target(a);
	tb = run_target(b);
	ck_assert_msg(json_equal(ta, tb), "capture %s\nemu %s",
		      json_dumps(ta, JSON_COMPACT), json_dumps(tb, JSON_COMPACT));
	json_decref(ta);
	json_decref(tb);
	free(a);
	free(b);
	cap_rmdir(dir);
}

START_TEST(cli_conformant)
{
	cli_same_findings("conformant");
}
END_TEST

START_TEST(cli_short_tail)
{
	cli_same_findings("short-tail");
}
END_TEST

static Suite *capture_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("engine"), *e2e = tcase_create("e2e");

	tcase_add_test(tc, tso_shuffled);
	tcase_add_test(tc, dropped);
	tcase_add_test(tc, bad_files);
	suite_add_tcase(s, tc);
	tcase_set_timeout(e2e, 120);
	tcase_add_test(e2e, e2e_txcsum_conformant);
	tcase_add_test(e2e, e2e_txcsum_short_tail);
	tcase_add_test(e2e, e2e_tso_conformant);
	tcase_add_test(e2e, e2e_tso_last_len);
	tcase_add_test(e2e, cli_conformant);
	tcase_add_test(e2e, cli_short_tail);
	suite_add_tcase(s, e2e);
	return s;
}

OFD_TEST_SUITE(capture_suite)
