// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_e2e_inputs.c - offdiff as a user runs it, on inputs that are not
 * what a campaign expects.
 *
 * Cases:
 *  - bad input gives one line on stderr and exit code 2: truncated pcap,
 *    non-Ethernet link type, empty file, spec type error, unknown profile
 *    knob, an override whose csum_offset lies past the frame;
 *  - a capture made with `tcpdump -s 96`: cut frames are skipped with one
 *    warning and counted by `corpus stats` and `run`; a capture with no
 *    packets has 0 frames for `corpus stats` and gives `run` nothing to
 *    compare (exit 4);
 *  - a run that compares nothing exits 4 (kselftest's SKIP) and names why:
 *    SCTP only with the kernel as reference (root), and without root a
 *    request the model declines; the reasons reach summary.json,
 *    findings.jsonl, junit.xml and results.ktap, and survive --resume.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <jansson.h>
#include <pcap/pcap.h>

#include "ofd_test.h"

#include "e2e_test_util.h"


/*
 * Copy the frames of src that match the BPF filter expr into dst, at most
 * max of them, as a capture with the given snaplen would hold them: a frame
 * longer than snaplen keeps its first snaplen bytes and its wire length.
 * Returns the frames written; *ncut gets those cut, *first_cut the index
 * in dst of the first one (-1 if none).
 */
static int copy_frames(const char *src, const char *dst, const char *expr, int max,
		       int snaplen, int *ncut, int *first_cut)
{
	char eb[PCAP_ERRBUF_SIZE];
	pcap_t *in = pcap_open_offline(src, eb), *o;
	struct bpf_program prog;
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_dumper_t *w;
	int n = 0;

	ck_assert_msg(in != NULL, "%s", eb);
	ck_assert_int_eq(pcap_compile(in, &prog, expr, 1, PCAP_NETMASK_UNKNOWN), 0);
	o = pcap_open_dead(DLT_EN10MB, snaplen);
	w = pcap_dump_open(o, dst);
	ck_assert_ptr_nonnull(w);
	*ncut = 0;
	*first_cut = -1;
	while (n < max && pcap_next_ex(in, &h, &d) == 1) {
		struct pcap_pkthdr oh = *h;

		if (!pcap_offline_filter(&prog, h, d))
			continue;
		if (oh.caplen > (bpf_u_int32)snaplen) {
			oh.caplen = (bpf_u_int32)snaplen;
			if (!(*ncut)++)
				*first_cut = n;
		}
		pcap_dump((u_char *)w, &oh, d);
		n++;
	}
	pcap_dump_close(w);
	pcap_close(o);
	pcap_freecode(&prog);
	pcap_close(in);
	return n;
}

/* The run directory named by the "report: DIR/" line (dir holds 512). */
static void report_dir(const char *text, char *dir)
{
	const char *r = strstr(text, "report: ");

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	ck_assert_int_eq(sscanf(r + 8, "%511s", dir), 1);
}

static char *slurp(const char *dir, const char *name)
{
	char *text;

	ck_assert_int_eq(run(&text, "cat %s/%s", dir, name), 0);
	return text;
}

/* issue 13 item 4: a capture as `tcpdump -s 96` makes it. */
START_TEST(snaplen_cut_capture)
{
	char path[128], want[400], *text, *warn;
	int n, ncut, first, rc;
	json_t *j, *pf;

	snprintf(path, sizeof(path), "%s/s96.pcap", out);
	n = copy_frames("corpus/tx-csum/base.pcap", path, "", 40, 96, &ncut, &first);
	ck_assert_int_eq(n, 40);
	/* base.pcap has frames on both sides of 96 bytes among its first 40 */
	ck_assert_int_gt(ncut, 0);
	ck_assert_int_lt(ncut, n);
	snprintf(want, sizeof(want),
		 "offdiff: warning: %s: %d of %d frames cut by the capture's snaplen (96 bytes) skipped; first at packet %d\n",
		 path, ncut, n, first);

	rc = ofd_test_run(&text, false, "%s corpus stats --json %s 2>%s/err", ofd_test_offdiff(),
			  path, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	j = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "frames")), n - ncut);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "frames_cut")), ncut);
	pf = json_array_get(json_object_get(j, "per_file"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(pf, "records")), n);
	ck_assert_int_eq(json_integer_value(json_object_get(pf, "frames_cut")), ncut);
	ck_assert_int_eq(json_integer_value(json_object_get(pf, "snaplen")), 96);
	json_decref(j);
	free(text);
	warn = slurp(out, "err");
	ck_assert_str_eq(warn, want); /* one line, nothing else */
	free(warn);

	rc = ofd_test_run(&text, false, "%s corpus stats %s 2>/dev/null", ofd_test_offdiff(), path);
	ck_assert_int_eq(rc, 0);
	snprintf(want, sizeof(want), "frames      %d in 1 file\nframes cut  %d ", n - ncut, ncut);
	ck_assert_msg(strstr(text, want), "'%s' not in: %s", want, text);
	free(text);

	/* a run says it too, on its header line and in summary.json */
	rc = run(&text, "printf 'name: s96\\ncorpus: [%s]\\nprofile_dir: specs/profiles\\n"
		 "targets: [{engine: emu, profile: conformant}]\\n' > %s/s.yaml && %s run %s/s.yaml --out %s",
		 path, out, ofd_test_offdiff(), out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	snprintf(want, sizeof(want), "%d frames from 1 file", n - ncut);
	ck_assert_msg(strstr(text, want), "%s", text);
	snprintf(want, sizeof(want), ", %d frames cut by the capture's snaplen skipped)", ncut);
	ck_assert_msg(strstr(text, want), "%s", text);
	j = load_summary(text);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "corpus"), "frames_cut")),
			 ncut);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "corpus"), "frames")),
			 n - ncut);
	json_decref(j);
	free(text);
}
END_TEST

/* A capture with a header and no packets (a filter that matched nothing). */
START_TEST(empty_capture)
{
	char path[128], *text;
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	json_t *j;
	int rc;

	snprintf(path, sizeof(path), "%s/none.pcap", out);
	d = pcap_dump_open(p, path);
	ck_assert_ptr_nonnull(d);
	pcap_dump_close(d);
	pcap_close(p);
	rc = run(&text, "%s corpus stats %s", ofd_test_offdiff(), path);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_msg(strstr(text, "frames      0 in 1 file\n"), "%s", text);
	free(text);
	rc = ofd_test_run(&text, false, "%s corpus stats --json %s", ofd_test_offdiff(), path);
	ck_assert_int_eq(rc, 0);
	j = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "frames")), 0);
	json_decref(j);
	free(text);
	/* nothing to compare is not a pass */
	rc = ofd_test_run(&text, false, "printf 'name: e\\ncorpus: [%s]\\nprofile_dir: specs/profiles\\n"
			  "targets: [{engine: emu, profile: conformant}]\\n' > %s/e.yaml && "
			  "%s run %s/e.yaml --out %s 2>&1 >/dev/null", path, out,
			  ofd_test_offdiff(), out, out);
	ck_assert_msg(rc == 4, "exit %d: %s", rc, text);
	ck_assert_msg(!strncmp(text, "offdiff: nothing compared: no cases (0 frames from 1 file", 57),
		      "%s", text);
	free(text);
}
END_TEST

/*
 * issue 13 item 6: SCTP only, the kernel as the reference. CRC32c cannot be
 * requested through virtio_net_hdr (kernel-tx.md 2.4), so every case is
 * skipped: exit 4, and the reason everywhere.
 */
START_TEST(kernel_sctp_only_compares_nothing)
{
	char path[128], dir[512], want[300], *text, *f;
	int n, ncut, first, rc, ncases;
	json_t *sum, *t, *sk;

	if (geteuid() != 0) {
		fprintf(stderr, "e2e: kernel_sctp_only_compares_nothing skipped: the kernel engine needs root\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/sctp.pcap", out);
	n = copy_frames("corpus/tx-csum/base.pcap", path, "sctp", 1000, 262144, &ncut, &first);
	ck_assert_int_gt(n, 0);
	/* one case per frame for each of the two request kinds */
	ncases = 2 * n;
	rc = ofd_test_run(&text, false, "printf 'name: sctp\\nreference: kernel\\nrequests: [vnet, legacy]\\n"
			  "corpus: [%s]\\nprofile_dir: specs/profiles\\n"
			  "targets: [{engine: emu, profile: conformant}]\\n' > %s/s.yaml && "
			  "%s run %s/s.yaml --out %s 2>%s/err",
			  path, out, ofd_test_offdiff(), out, out, out);
	if (rc == 3) {
		fprintf(stderr, "e2e: kernel_sctp_only_compares_nothing skipped: kernel engine unavailable\n");
		free(text);
		return;
	}
	ck_assert_msg(rc == 4, "exit %d: %s", rc, text);
	report_dir(text, dir);
	sum = load_summary(text);
	free(text);
	text = slurp(out, "err");
	snprintf(want, sizeof(want),
		 "offdiff: nothing compared: all %d cases skipped (kernel: CRC32c cannot be requested through virtio_net_hdr",
		 ncases);
	ck_assert_msg(!strncmp(text, want, strlen(want)), "'%s' not in: %s", want, text);
	ck_assert_msg(strchr(text, '\n') == text + strlen(text) - 1, "more than one line: %s", text);
	free(text);

	ck_assert_int_eq(json_integer_value(json_object_get(sum, "compared")), 0);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	ck_assert_int_eq(verdict(t, "unsupported"), ncases);
	sk = json_object_get(t, "skipped");
	ck_assert_uint_eq(json_array_size(sk), 1);
	sk = json_array_get(sk, 0);
	ck_assert_str_eq(json_string_value(json_object_get(sk, "engine")), "kernel");
	ck_assert_int_eq(json_integer_value(json_object_get(sk, "count")), ncases);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(sk, "reason")),
				     "CRC32c cannot be requested through virtio_net_hdr"));
	json_decref(sum);

	f = slurp(dir, "results.ktap");
	snprintf(want, sizeof(want), "  ok 2 skipped by kernel: CRC32c cannot be requested through virtio_net_hdr (no csum_not_inet) # SKIP %d cases", ncases);
	ck_assert_msg(strstr(f, want), "'%s' not in: %s", want, f);
	ck_assert_msg(strstr(f, "\nok 1 emu:conformant # SKIP CRC32c"), "%s", f);
	ck_assert_msg(!strstr(f, "ok 1 equal\n"), "%s", f);
	free(f);
	f = slurp(dir, "junit.xml");
	ck_assert_msg(strstr(f, "<skipped message=\"CRC32c cannot be requested through virtio_net_hdr"), "%s", f);
	ck_assert_msg(strstr(f, "failures=\"0\" errors=\"0\" skipped=\"2\""), "%s", f);
	free(f);
	f = slurp(dir, "findings.jsonl");
	snprintf(want, sizeof(want), "{\"count\":%d,\"engine\":\"kernel\",\"reason\":\"CRC32c", ncases);
	ck_assert_msg(strstr(f, want), "%s", f);
	free(f);
}
END_TEST

/*
 * Without root: the model declines a tx-csum request that is a GSO request
 * (segmentation is tso's model). One frame, one vnet request made into a
 * GSO request without NEEDS_CSUM by an override (on a frame with more
 * than one byte of TCP payload): nothing compared, exit 4. With three
 * frames only one case is skipped, and --resume keeps its reason.
 */
START_TEST(model_declines_everything)
{
	char path[128], dir[512], *text, *f;
	json_t *sum, *t, *sk;
	int n, ncut, first, rc;

	snprintf(path, sizeof(path), "%s/tcp1.pcap", out);
	n = copy_frames("corpus/tx-csum/base.pcap", path, "ip and tcp and greater 100", 1, 262144, &ncut, &first);
	ck_assert_int_eq(n, 1);
	rc = ofd_test_run(&text, false, "printf 'name: g\\ncorpus: [%s]\\nrequests: [vnet]\\n"
			  "targets: [{engine: null}]\\noverrides:\\n"
			  "  - {packet: 0, flags: 0, gso_type: 1, gso_size: 1}\\n' > %s/g.yaml && "
			  "%s run %s/g.yaml --out %s 2>%s/err", path, out, ofd_test_offdiff(), out,
			  out, out);
	ck_assert_msg(rc == 4, "exit %d: %s", rc, text);
	report_dir(text, dir);
	free(text);
	text = slurp(out, "err");
	ck_assert_str_eq(text, "offdiff: nothing compared: the only case skipped (model: "
			       "segmentation is the tso offload's model)\n");
	free(text);
	f = slurp(dir, "results.ktap");
	ck_assert_msg(strstr(f, "  ok 2 skipped by model: segmentation is the tso offload's model # SKIP 1 cases"),
		      "%s", f);
	free(f);

	/* three frames, the override on the first: 2 compared, 1 skipped,
	 * stopped after one case and resumed */
	n = copy_frames("corpus/tx-csum/base.pcap", path, "ip and tcp and greater 100", 3, 262144, &ncut, &first);
	ck_assert_int_eq(n, 3);
	rc = run(&text, "%s run %s/g.yaml --out %s/p -q --stop-after 1", ofd_test_offdiff(), out, out);
	ck_assert_msg(rc == 4, "exit %d: %s", rc, text);
	report_dir(text, dir);
	free(text);
	rc = run(&text, "%s run --resume %s -q", ofd_test_offdiff(), dir);
	/* the null engine leaves checksums unfilled: discrepancies */
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	sum = load_summary(text);
	free(text);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "compared")), 2);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	sk = json_object_get(t, "skipped");
	ck_assert_uint_eq(json_array_size(sk), 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(sk, 0), "count")), 1);
	json_decref(sum);
	f = slurp(dir, "findings.jsonl");
	/* one line for the reason after the resume, not one per run part */
	{
		static const char line[] = "\"count\":1,\"engine\":\"model\"";
		const char *p = strstr(f, line);

		ck_assert_msg(p != NULL, "%s", f);
		ck_assert_msg(!strstr(p + sizeof(line) - 1, "\"engine\":\"model\""), "%s", f);
	}
	free(f);
}
END_TEST

static const struct bad_input {
	const char *name;
	const char *setup;  /* shell, run in the temp dir $D */
	const char *args;   /* offdiff arguments */
	const char *expect; /* substring of the one-line error */
} bad[] = {
	{ "truncated pcap",
	  "head -c 1000 corpus/tx-csum/base.pcap > $D/t.pcap",
	  "corpus stats $D/t.pcap", "truncated" },
	{ "non-Ethernet link type",
	  "printf '\\324\\303\\262\\241\\002\\000\\004\\000\\000\\000\\000\\000\\000\\000\\000\\000\\377\\377\\000\\000\\145\\000\\000\\000' > $D/r.pcap",
	  "corpus stats $D/r.pcap", "is not Ethernet" },
	{ "empty file", ": > $D/e.pcap", "corpus stats $D/e.pcap", "empty file" },
	{ "spec type error",
	  "printf 'name: x\\noffloads: 5\\ncorpus: [corpus/tx-csum/base.pcap]\\ntargets: [{engine: emu}]\\n' > $D/s.yaml",
	  "run $D/s.yaml --out $D", "s.yaml:2:11" },
	{ "unknown profile knob",
	  "mkdir -p $D/p && printf 'name: bad\\nknobs:\\n  warp_speed: 9\\n' > $D/p/bad.yaml && "
	  "printf 'name: x\\ncorpus: [corpus/tx-csum/base.pcap]\\nprofile_dir: %s\\ntargets: [{engine: emu, profile: bad}]\\n' $D/p > $D/s.yaml",
	  "run $D/s.yaml --out $D", "warp_speed" },
	{ "override past the frame",
	  "printf 'name: x\\ncorpus: [corpus/tx-csum/base.pcap]\\ntargets: [{engine: emu, profile: conformant}]\\nprofile_dir: specs/profiles\\noverrides:\\n  - packet: 0\\n    csum_offset: 60000\\n' > $D/s.yaml",
	  "run $D/s.yaml --out $D", "lies past the frame" },
	{ "misspelt mask field",
	  "printf 'name: x\\ncorpus: [corpus/tx-csum/base.pcap]\\ntargets: [{engine: emu}]\\nmask: [ipv4.idd]\\n' > $D/s.yaml",
	  "run $D/s.yaml --out $D", "s.yaml:4:8: mask: unknown field 'ipv4.idd'" },
};

START_TEST(bad_inputs)
{
	const struct bad_input *b = &bad[_i];
	char *text;
	int rc;

	rc = run(&text, "D=%s; %s", out, b->setup);
	ck_assert_msg(rc == 0, "%s: setup failed: %s", b->name, text);
	free(text);
	rc = run(&text, "D=%s; %s %s", out, ofd_test_offdiff(), b->args);
	ck_assert_msg(rc == 2, "%s: exit %d: %s", b->name, rc, text);
	ck_assert_msg(strstr(text, b->expect), "%s: '%s' not in: %s", b->name, b->expect, text);
	ck_assert_msg(strncmp(text, "offdiff: ", 9) == 0, "%s: not an offdiff error: %s", b->name, text);
	ck_assert_msg(strchr(text, '\n') == text + strlen(text) - 1, "%s: more than one line: %s",
		      b->name, text);
	free(text);
}
END_TEST

static Suite *e2e_inputs_suite(void)
{
	Suite *s = suite_create("e2e_inputs");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, snaplen_cut_capture);
	tcase_add_test(tc, empty_capture);
	tcase_add_test(tc, kernel_sctp_only_compares_nothing);
	tcase_add_test(tc, model_declines_everything);
	tcase_add_loop_test(tc, bad_inputs, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(e2e_inputs_suite)
