// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_e2e.c - offdiff as a user runs it (the built binary, $OFFDIFF).
 *
 * Cases:
 *  - the default campaign: emu:conformant has 0 discrepancies; each bug
 *    profile shows exactly the class of bug-catalogue.md it reproduces,
 *    explained, and only on the frames that can trigger it (SRv6: legacy
 *    TCP and UDP behind an SRH; tunnel-outer: tunnelled frames; ...);
 *  - the report layout: summary.json, junit.xml, a reproducer directory
 *    with input/expected/actual pcaps, case.yaml and diff.txt;
 *  - `offdiff replay` of a reproducer gives the same verdict;
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

static char out[64];

#define run(text, ...) ofd_test_run(text, true, __VA_ARGS__)

static void setup(void)
{
	ofd_test_mkdtemp(out, sizeof(out), "e2e");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", out);
	ck_assert_int_eq(system(cmd), 0);
}


static json_t *load_summary(const char *text)
{
	const char *r = strstr(text, "report: ");
	char dir[512], path[600];
	json_error_t je;
	json_t *j;
	int n;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	n = sscanf(r + 8, "%511s", dir);
	ck_assert_int_eq(n, 1);
	if (dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	j = json_load_file(path, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", path, je.text);
	return j;
}

static json_t *target(json_t *sum, const char *label)
{
	json_t *ts = json_object_get(sum, "targets"), *t;
	size_t i;

	json_array_foreach(ts, i, t)
		if (!strcmp(json_string_value(json_object_get(t, "label")), label))
			return t;
	ck_abort_msg("target %s not in summary", label);
	return NULL;
}

static long long verdict(json_t *t, const char *v)
{
	return json_integer_value(json_object_get(json_object_get(t, "verdicts"), v));
}

/* Every class of the target must be in allowed[]; every allowed one seen. */
static void expect_classes(json_t *t, const char *const *allowed, size_t n,
			   const char *path_must)
{
	json_t *cls = json_object_get(t, "classes"), *c;
	size_t i, k;
	int seen[8] = { 0 };

	ck_assert_msg(json_array_size(cls) > 0, "no findings");
	json_array_foreach(cls, i, c) {
		const char *name = json_string_value(json_object_get(c, "class"));
		char paths[2048] = "";
		json_t *pv;
		size_t j;

		json_array_foreach(json_object_get(c, "paths"), j, pv) {
			strncat(paths, json_string_value(pv), sizeof(paths) - strlen(paths) - 2);
			strcat(paths, ",");
		}

		for (k = 0; k < n; k++)
			if (!strcmp(name, allowed[k]))
				break;
		ck_assert_msg(k < n, "unexpected class %s (%s)", name,
			      json_string_value(json_object_get(c, "explanation")));
		seen[k] = 1;
		if (path_must)
			ck_assert_msg(strstr(paths, path_must), "class %s on %s", name, paths);
	}
	for (k = 0; k < n; k++)
		ck_assert_msg(seen[k], "class %s never seen", allowed[k]);
}

START_TEST(default_campaign)
{
	static const char *const srv6[] = { "pseudo-header-ipv6-dst" };
	static const char *const exthdr[] = { "ipv6-exthdr-not-parsed" };
	static const char *const zero[] = { "zero-not-mapped" };
	static const char *const tail[] = { "wrong-length" };
	static const char *const outer[] = { "outer-instead-of-inner", "not-filled" };
	static const char *const smsc[] = { "zero-not-mapped", "wrong-length" };
	json_t *sum, *t, *c;
	char *text;
	size_t i;
	int rc = run(&text, "%s run specs/default.yaml --out %s", ofd_test_offdiff(), out);

	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	/* the reference's skips are every target's: said once, not 17 times */
	ck_assert_msg(strstr(text, " x skipped in every target: model: "), "%s", text);
	ck_assert_ptr_null(strstr(text, " x skipped: model: "));
	sum = load_summary(text);
	t = target(sum, "emu:conformant");
	ck_assert_int_eq(verdict(t, "discrepancy"), 0);
	ck_assert_int_gt(verdict(t, "equal"), 500);
	ck_assert_int_eq(json_array_size(json_object_get(t, "classes")), 0);

	t = target(sum, "emu:srv6-ipv6-dst");
	expect_classes(t, srv6, 1, "srh/");
	c = json_array_get(json_object_get(t, "classes"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(c, "explanation")),
			 "IPv6 destination used instead of the SRH final segment");
	{
		json_t *pv;
		size_t j;
		int tcp = 0, udp = 0;

		json_array_foreach(json_object_get(c, "paths"), j, pv) {
			const char *path = json_string_value(pv);

			tcp |= strstr(path, "srh/tcp") != NULL;
			udp |= strstr(path, "srh/udp") != NULL;
			ck_assert_ptr_null(strstr(path, "sctp"));
		}
		ck_assert(tcp && udp);
	}

	expect_classes(target(sum, "emu:ipv6-no-exthdr"), exthdr, 1, "ipv6/");
	expect_classes(target(sum, "emu:zero-csum-0000"), zero, 1, NULL);
	expect_classes(target(sum, "emu:short-tail"), tail, 1, NULL);
	expect_classes(target(sum, "emu:tunnel-outer"), outer, 2, NULL);
	expect_classes(target(sum, "emu:smsc95xx"), smsc, 2, NULL);
	/* segmentation: each tso profile's deviation and nothing else,
	 * explained (no segmentation-unexplained), tunnels included */
	{
		static const char *const psh[] = { "psh-fin-every-segment" };
		static const char *const cwr[] = { "cwr-every-segment" };
		static const char *const fixed[] = { "ipv4-id-fixed", "ipv4-id-not-wrapped" };
		static const char *const inner[] = { "ipv4-id-inner-instead-of-outer",
						     "ipv4-id-fixed", "ipv4-id-incremented" };
		static const char *const kept[] = { "pseudo-header-length-kept" };
		static const char *const twice[] = { "pseudo-header-length-removed-twice" };
		static const char *const last[] = { "last-segment-length-full" };
		static const char *const olen[] = { "outer-udp-length-stale" };
		static const char *const ocsum[] = { "outer-udp-checksum-stale" };
		static const char *const refuse[] = { "target-rejects" };

		expect_classes(target(sum, "emu:tso-psh-every"), psh, 1, NULL);
		expect_classes(target(sum, "emu:tso-cwr-every"), cwr, 1, NULL);
		expect_classes(target(sum, "emu:tso-fixed-id"), fixed, 2, NULL);
		expect_classes(target(sum, "emu:tso-inner-id"), inner, 3, NULL);
		expect_classes(target(sum, "emu:tso-pseudo-len-kept"), kept, 1, NULL);
		expect_classes(target(sum, "emu:tso-pseudo-len-twice"), twice, 1, NULL);
		expect_classes(target(sum, "emu:tso-last-len"), last, 1, "vxlan");
		expect_classes(target(sum, "emu:tso-outer-udp-len"), olen, 1, "vxlan");
		expect_classes(target(sum, "emu:tso-outer-udp-csum"), ocsum, 1, "vxlan");
		expect_classes(target(sum, "emu:tso-no-exthdr"), refuse, 1, "ipv6/");
	}
	/* every target saw every case */
	json_array_foreach(json_object_get(sum, "targets"), i, t)
		ck_assert_int_eq(json_integer_value(json_object_get(t, "cases")),
				 json_integer_value(json_object_get(target(sum, "emu:conformant"),
								    "cases")));
	json_decref(sum);
	free(text);
}
END_TEST

START_TEST(report_layout_and_replay)
{
	char *text, *t2, path[256];
	int rc;
	const char *files[] = { "input.pcap", "expected.pcap", "actual.pcap", "case.yaml",
				"diff.txt" };
	size_t i;
	FILE *f;

	rc = run(&text, "%s run specs/default.yaml --target emu:srv6-ipv6-dst --out %s",
		 ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "IPv6 destination used instead of the SRH final segment"));
	rc = run(&t2, "ls -d %s/*/discrepancies/0001", out);
	ck_assert_int_eq(rc, 0);
	t2[strcspn(t2, "\n")] = '\0';
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t2, files[i]);
		f = fopen(path, "r");
		ck_assert_msg(f != NULL, "missing %s", path);
		fclose(f);
	}
	/* the reproducer's hint names the file a reader finds, not the
	 * temporary one it was written as */
	{
		char line[512], want[400];

		snprintf(path, sizeof(path), "%s/case.yaml", t2);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
		fclose(f);
		snprintf(want, sizeof(want), "# offdiff reproducer: run `offdiff replay %s/case.yaml`\n", t2);
		ck_assert_str_eq(line, want);
	}
	snprintf(path, sizeof(path), "%s/../../junit.xml", t2);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/../../results.ktap", t2);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	{
		char line[256];

		ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
		ck_assert_str_eq(line, "KTAP version 1\n");
		ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
		ck_assert_str_eq(line, "1..1\n");
	}
	fclose(f);
	free(text);
	rc = run(&text, "%s report show %s/../..", ofd_test_offdiff(), t2);
	ck_assert_msg(rc == 0, "report show exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, " x IPv6 destination used instead of the SRH final segment"));
	free(text);
	rc = run(&text, "%s report list --out %s", ofd_test_offdiff(), out);
	ck_assert_msg(rc == 0 && strstr(text, " discrepancies") && !strstr(text, " 0 discrepancies"), "report list exit %d: %s", rc, text);
	free(text);
	rc = run(&text, "%s replay %s/case.yaml", ofd_test_offdiff(), t2);
	ck_assert_msg(rc == 1, "replay exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "discrepancy"));
	ck_assert_ptr_nonnull(strstr(text, "tcp.checksum") ? strstr(text, "tcp.checksum")
							   : strstr(text, "udp.checksum"));
	ck_assert_ptr_null(strstr(text, "note:"));
	free(text);
	free(t2);
}
END_TEST

/* Findings of a run's findings.jsonl whose layer path mentions sctp. */
static long long sctp_findings(const char *text, const char *label)
{
	const char *r = strstr(text, "report: ");
	char dir[512], cmd[700], *res;
	long long n;

	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(sscanf(r + 8, "%511s", dir), 1);
	snprintf(cmd, sizeof(cmd), "grep '\"target\":\"%s\"' %s/findings.jsonl | grep -c sctp",
		 label, dir);
	run(&res, "%s", cmd);
	n = atoll(res);
	free(res);
	return n;
}

/*
 * The kernel as the reference gives the model's findings. The one
 * exception is SCTP: CRC32c cannot be requested through virtio_net_hdr
 * (kernel-tx.md 2.4), so those cases are skipped, not judged.
 */
START_TEST(kernel_reference_same_findings)
{
	json_t *m, *k, *tm, *tk;
	char *tm_text, *tk_text;
	size_t i;
	int rc;

	/* Every finding in findings.jsonl: sctp_findings() counts lines. */
	rc = run(&tk_text, "%s run specs/default.yaml -f tx-csum --reference kernel --findings all --out %s -q",
		 ofd_test_offdiff(), out);
	if (rc == 3) {
		fprintf(stderr, "e2e: kernel reference skipped: %s", tk_text);
		free(tk_text);
		return;
	}
	ck_assert_msg(rc == 1, "exit %d: %s", rc, tk_text);
	rc = run(&tm_text, "%s run specs/default.yaml -f tx-csum --findings all --out %s -q",
		 ofd_test_offdiff(), out);
	ck_assert_int_eq(rc, 1);
	m = load_summary(tm_text);
	k = load_summary(tk_text);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(k, "reference"),
								       "version")), "Linux "));
	json_array_foreach(json_object_get(m, "targets"), i, tm) {
		const char *label = json_string_value(json_object_get(tm, "label"));

		tk = target(k, label);
		ck_assert_int_eq(verdict(tk, "discrepancy"),
				 verdict(tm, "discrepancy") - sctp_findings(tm_text, label));
		ck_assert_int_eq(sctp_findings(tk_text, label), 0);
		ck_assert_int_eq(verdict(tk, "one-rejected"), 0);
	}
	json_decref(m);
	json_decref(k);
	free(tm_text);
	free(tk_text);
}
END_TEST

/*
 * A run stopped midway (as if killed) and resumed gives the same summary
 * as one uninterrupted run; a resumed run refuses a corpus that changed.
 */
START_TEST(resume_equals_full_run)
{
	char *full, *part, *text, dir[512];
	json_t *a, *b, *ta, *tb;
	size_t i;
	int rc;

	rc = run(&full, "%s run specs/default.yaml --out %s/full -q", ofd_test_offdiff(), out);
	ck_assert_int_eq(rc, 1);
	rc = run(&part, "%s run specs/default.yaml --out %s/part -q --stop-after 320",
		 ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, part);
	ck_assert_ptr_nonnull(strstr(part, "stopped after case 320"));
	ck_assert_int_eq(sscanf(strstr(part, "report: ") + 8, "%511s", dir), 1);
	rc = run(&text, "%s run --resume %s -q", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "resuming"));
	a = load_summary(full);
	b = load_summary(text);
	json_array_foreach(json_object_get(a, "targets"), i, ta) {
		tb = json_array_get(json_object_get(b, "targets"), i);
		ck_assert(json_equal(json_object_get(ta, "verdicts"), json_object_get(tb, "verdicts")));
		ck_assert(json_equal(json_object_get(ta, "classes"), json_object_get(tb, "classes")));
	}
	json_decref(a);
	json_decref(b);
	free(text);
	/* the same directory with another corpus behind it: refused */
	rc = run(&text, "mkdir %s/sp && cp -r specs corpus %s/sp && cp %s/sp/corpus/tx-csum/base.pcap %s/sp/corpus/tx-csum/edge.pcap && "
		 "sed -i 's#\"spec\": \"[^\"]*\"#\"spec\": \"%s/sp/specs/default.yaml\"#' %s/progress.json && "
		 "%s run --resume %s", out, out, out, out, out, dir, ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 2, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "the corpus changed"));
	free(text);
	rc = run(&text, "%s run --resume %s", ofd_test_offdiff(), out);
	ck_assert_int_eq(rc, 2);
	ck_assert_ptr_nonnull(strstr(text, "not a run directory"));
	free(text);
	free(full);
	free(part);
}
END_TEST

/* --json: stdout is exactly the summary document. */
START_TEST(json_output)
{
	json_error_t je;
	char *text;
	json_t *j;
	int rc = ofd_test_run(&text, false, "%s run specs/default.yaml --json -t emu:zero-csum-0000 --out %s",
			      ofd_test_offdiff(), out);

	ck_assert_int_eq(rc, 1);
	j = json_loads(text, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", je.text, text);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(
		json_object_get(j, "targets"), 0), "label")), "emu:zero-csum-0000");
	json_decref(j);
	free(text);
}
END_TEST

/* A masked field is "don't care": the zero-checksum bug only touches
 * checksum fields, so masking them leaves nothing to report. */
START_TEST(mask_hides_fields)
{
	char *text;
	int rc;

	rc = run(&text, "printf 'name: m\\ncorpus: [corpus/tx-csum/edge.pcap]\\nprofile_dir: specs/profiles\\n"
		 "targets: [{engine: emu, profile: zero-csum-0000}]\\nmask: [%s]\\n' > %s/m.yaml && "
		 "%s run %s/m.yaml --out %s", "tcp.checksum, udp.checksum", out,
		 ofd_test_offdiff(), out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "masked: tcp.checksum udp.checksum"));
	/* the report says what the mask hid, and how often */
	ck_assert_msg(strstr(text, " x masked: tcp.checksum differed where the spec allows it"),
		      "%s", text);
	ck_assert_msg(strstr(text, " x masked: udp.checksum differed where the spec allows it"),
		      "%s", text);
	free(text);
	rc = run(&text, "sed -i 's/mask: .*/mask: [tcp.checksum]/' %s/m.yaml && %s run %s/m.yaml --out %s",
		 out, ofd_test_offdiff(), out, out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "udp.checksum 0xffff != 0x0000"));
	ck_assert_ptr_null(strstr(text, "tcp.checksum 0xffff"));
	free(text);
}
END_TEST

/* issue 3: the model equals the kernel on the corpus and 100,000 random
 * cases (invalid requests included). */
START_TEST(selfcheck_model_equals_kernel)
{
	unsigned long long acc = 0, judg = 0, rej = 1, all = 0, unj = 0;
	char *text;
	int rc = run(&text, "%s selfcheck --random 100000 --seed 7 --out %s",
		     ofd_test_offdiff(), out);

	if (rc == 3) {
		fprintf(stderr, "e2e: selfcheck skipped: %s", text);
		free(text);
		return;
	}
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_msg(strstr(text, ", 0 disagreements"), "%s", text);
	ck_assert_msg(strstr(text, "100000 random (seed 7)"), "%s", text);
	/* issue 13: the kernel's receive path accepts every judgeable frame
	 * finished over offdiff's seed; not judgeable stays the exception. */
	ck_assert_int_eq(sscanf(strstr(text, "rx judge: ") ?: "", "rx judge: %llu of %llu judgeable checksummed reference frames accepted by the kernel's receive path, %llu rejected; %llu checksummed frames in all, %llu not judgeable",
				&acc, &judg, &rej, &all, &unj), 5);
	ck_assert(acc > 50000 && acc == judg && !rej && judg + unj == all && unj * 50 < all);
	free(text);
}
END_TEST

/*
 * Malformed input never crashes: corrupt the default spec and a corpus
 * file at deterministic places; every run must end with 0, 1 or 2 and
 * never by a signal (which popen reports as -1 here).
 */
START_TEST(corrupted_inputs_never_crash)
{
	char *text;
	int i, rc;

	for (i = 0; i < 24; i++) {
		/* overwrite 3 bytes at a place that walks through each file */
		rc = run(&text,
			 "cp specs/default.yaml %s/s.yaml && cp corpus/tx-csum/edge.pcap %s/e.pcap && "
			 "printf '\\377\\000:' | dd of=%s/s.yaml bs=1 seek=%d conv=notrunc status=none && "
			 "printf '\\377\\377\\377' | dd of=%s/e.pcap bs=1 seek=%d conv=notrunc status=none",
			 out, out, out, 37 * i + 5, out, 211 * i + 3);
		ck_assert_int_eq(rc, 0);
		free(text);
		rc = run(&text, "%s run %s/s.yaml --out %s -q", ofd_test_offdiff(), out, out);
		ck_assert_msg(rc >= 0 && rc <= 2, "spec corruption %d: exit %d: %s", i, rc, text);
		free(text);
		rc = run(&text, "%s corpus stats %s/e.pcap", ofd_test_offdiff(), out);
		ck_assert_msg(rc == 0 || rc == 2, "pcap corruption %d: exit %d: %s", i, rc, text);
		free(text);
		rc = run(&text, "sed 's#corpus/tx-csum/edge.pcap#%s/e.pcap#' specs/default.yaml > %s/t.yaml && "
			 "%s run %s/t.yaml --out %s -q", out, out, ofd_test_offdiff(), out, out);
		ck_assert_msg(rc >= 0 && rc <= 2, "run on pcap corruption %d: exit %d: %s", i, rc, text);
		free(text);
	}
}
END_TEST


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

static Suite *e2e_suite(void)
{
	Suite *s = suite_create("e2e");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, default_campaign);
	tcase_add_test(tc, report_layout_and_replay);
	tcase_add_test(tc, kernel_reference_same_findings);
	tcase_add_test(tc, selfcheck_model_equals_kernel);
	tcase_add_test(tc, corrupted_inputs_never_crash);
	tcase_add_test(tc, mask_hides_fields);
	tcase_add_test(tc, json_output);
	tcase_add_test(tc, resume_equals_full_run);
	tcase_add_test(tc, snaplen_cut_capture);
	tcase_add_test(tc, empty_capture);
	tcase_add_test(tc, kernel_sctp_only_compares_nothing);
	tcase_add_test(tc, model_declines_everything);
	tcase_add_loop_test(tc, bad_inputs, 0, sizeof(bad) / sizeof(bad[0]));
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(e2e_suite)
