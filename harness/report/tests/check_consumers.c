// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_consumers.c - a report's files, read by the programs that consume
 * them (ofd_consumers.h), never compared with values copied from our own
 * output:
 *  - the default campaign: junit.xml valid against the JUnit schema Jenkins reads,
 *    results.ktap parsed by the kernel's kunit.py with the same totals,
 *    every expected.pcap frame's checksums correct for tshark except where
 *    diff.txt says why Wireshark disagrees with the kernel, every case.yaml
 *    read by a generic YAML parser (PyYAML) and replayed;
 *  - case.yaml with text that hand quoting got wrong: PyYAML and our reader
 *    get back exactly the strings written;
 *  - `profile show NAME` of every bundled profile is a profile `profile
 *    check` accepts, with the file's own knob values.
 */
#include <glob.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "ofd.h"
#include "ofd_consumers.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_test.h"

static char out[64];

static void setup(void)
{
	ofd_test_mkdtemp(out, sizeof(out), "consumers");
}

static void teardown(void)
{
	char *text;

	ofd_test_run(&text, true, "rm -rf %s", out);
	free(text);
}

static bool have(const char *prog, const char *why)
{
	char *text;
	int rc = ofd_test_run(&text, true, "%s", prog);

	free(text);
	if (rc)
		fprintf(stderr, "consumers: %s\n", why);
	return rc == 0;
}

static char *slurp(const char *path)
{
	char *text;

	ck_assert_int_eq(ofd_test_run(&text, false, "cat '%s'", path), 0);
	return text;
}

static uint32_t pcap_frames(const char *path)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p = pcap_open_offline(path, errbuf);
	uint32_t n = 0;

	ck_assert_msg(p, "%s: %s", path, errbuf);
	while (pcap_next_ex(p, &h, &d) == 1)
		n++;
	pcap_close(p);
	return n;
}

/* Every status Wireshark gives a checksum of frame k of dir's
 * expected.pcap: 1 good, 3 not present (UDP over IPv4 without one);
 * 0 bad and 4 illegal only where diff.txt explains it. */
/* diff.txt's note (wireshark.c) that frame k's proto checksum is a
 * CHECKSUM_PARTIAL seed or the input's own bad one, passed on: a line
 * for frame k that names the field and one of the two reasons. */
static bool partial_note(const char *diff, uint32_t k, const char *proto)
{
	char head[64], field[32];
	const char *p = diff;

	snprintf(head, sizeof(head), "wireshark: expected frame %u: ", k);
	snprintf(field, sizeof(field), "%s.checksum 0x", proto);
	while ((p = strstr(p, head))) {
		size_t len = strcspn(p, "\n");
		char line[512];

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		if (strstr(line, field) &&
		    (strstr(line, "is the pseudo-header seed of a frame handed up as CHECKSUM_PARTIAL") ||
		     strstr(line, "does not verify: the input's own")))
			return true;
		p += len;
	}
	return false;
}

static int check_statuses(const char *dir, uint32_t k, const char *proto, const char *st)
{
	char want[128], path[600], *diff = NULL;
	int explained = 0;

	for (; *st; st += strcspn(st, ",") + (st[strcspn(st, ",")] == ',')) {
		int s = atoi(st);

		if (s == 1 || (s == 3 && !strcmp(proto, "udp")))
			continue;
		ck_assert_msg(s == 0 || s == 4, "%s frame %u: %s checksum status %d", dir, k, proto, s);
		if (!diff) {
			snprintf(path, sizeof(path), "%s/diff.txt", dir);
			diff = slurp(path);
		}
		if (!strcmp(proto, "tcp"))
			snprintf(want, sizeof(want), "wireshark: expected frame %u: tcp.checksum 0xffff", k);
		else
			snprintf(want, sizeof(want), "wireshark: expected frame %u: %sudp.checksum 0x0000 over IPv6",
				 k, strstr(diff, "outer udp.checksum") ? "outer " : "");
		/* a seed of CHECKSUM_PARTIAL (a GRO aggregate), or the
		 * input's own bad checksum passed on, is Bad to Wireshark */
		if (partial_note(diff, k, proto)) {
			ck_assert_msg(s == 0, "%s frame %u: %s status %d", dir, k, proto, s);
			explained++;
			continue;
		}
		ck_assert_msg(strcmp(proto, "tcp") ? s == 4 : s == 0, "%s frame %u: %s status %d",
			      dir, k, proto, s);
		ck_assert_msg(strstr(diff, want), "%s frame %u: Wireshark flags %s but diff.txt does not say why: %s",
			      dir, k, proto, diff);
		explained++;
	}
	free(diff);
	return explained;
}

static void tshark_expected(const char *run_dir)
{
	char pattern[300], *text, *line, *save;
	int explained_tcp = 0;
	uint32_t *first;
	glob_t g;
	size_t i;
	int rc;

	if (!have("command -v tshark >/dev/null && command -v mergecap >/dev/null",
		  "tshark checksum validation skipped: tshark is not installed (apt-get install tshark)"))
		return;
	snprintf(pattern, sizeof(pattern), "%s/discrepancies/*/expected.pcap", run_dir);
	ck_assert_int_eq(glob(pattern, 0, NULL, &g), 0);
	/* One tshark run over all frames, in glob order (mergecap -a keeps
	 * the files' order): frame n belongs to the file whose range holds it. */
	first = calloc(g.gl_pathc + 1, sizeof(*first));
	first[0] = 1;
	for (i = 0; i < g.gl_pathc; i++)
		first[i + 1] = first[i] + pcap_frames(g.gl_pathv[i]);
	rc = ofd_test_run(&text, false,
			  "mergecap -a -F pcap -w %s/all.pcap %s && tshark -r %s/all.pcap "
			  "-o tcp.check_checksum:TRUE -o udp.check_checksum:TRUE "
			  "-o ip.check_checksum:TRUE -o 'sctp.checksum:CRC 32c' -T fields -E separator=';' "
			  "-e frame.number -e tcp.checksum.status -e udp.checksum.status "
			  "-e sctp.checksum.status -e ip.checksum.status 2>/dev/null",
			  out, pattern, out);
	ck_assert_msg(rc == 0, "tshark exit %d", rc);
	ck_assert_uint_gt(first[g.gl_pathc], 1);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char f[5][32] = { "" }, dir[600];
		uint32_t n, k;
		int col;
		const char *p = line;

		for (col = 0; col < 5; col++) {
			size_t len = strcspn(p, ";");

			snprintf(f[col], sizeof(f[col]), "%.*s", (int)len, p);
			p += len + (p[len] == ';');
		}
		n = (uint32_t)atoi(f[0]);
		for (i = 0; i < g.gl_pathc && first[i + 1] <= n; i++)
			;
		ck_assert_uint_lt(i, g.gl_pathc);
		k = n - first[i] + 1;
		snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(g.gl_pathv[i], '/') - g.gl_pathv[i]),
			 g.gl_pathv[i]);
		ck_assert_msg(f[1][0] || f[2][0] || f[3][0], "%s frame %u: no checksum checked", dir, k);
		explained_tcp += check_statuses(dir, k, "tcp", f[1]);
		check_statuses(dir, k, "udp", f[2]);
		ck_assert_msg(!f[3][0] || !strcmp(f[3], "1"), "%s frame %u: sctp status %s", dir, k, f[3]);
		ck_assert_msg(!f[4][0] || strspn(f[4], "1,") == strlen(f[4]), "%s frame %u: ip status %s",
			      dir, k, f[4]);
	}
	/* The zero-csum-0000 profile's class: the kernel's 0xffff is there,
	 * and Wireshark does flag it (what diff.txt claims). */
	ck_assert_int_gt(explained_tcp, 0);
	free(text);
	free(first);
	globfree(&g);
}

/* PyYAML reads every case.yaml; offdiff_case and the request's numbers
 * come back as integers, and the source as findings.jsonl names it. */
static void yaml_cases(const char *run_dir)
{
	char *text, *line, *save, *findings, path[600], want[700];
	int n = 0;

	if (!have("python3 -c 'import yaml'", "case.yaml PyYAML check skipped: no python3-yaml"))
		return;
	snprintf(path, sizeof(path), "%s/findings.jsonl", run_dir);
	findings = slurp(path);
	ck_assert_int_eq(ofd_test_run(&text, false,
		"cd %s/discrepancies && python3 -c 'import sys, json, yaml\n"
		"for f in sys.argv[1:]:\n"
		"    d = yaml.safe_load(open(f))\n"
		"    print(f.split(\"/\")[0], json.dumps(d, sort_keys=True))' */case.yaml", run_dir), 0);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_t *j = json_loads(strchr(line, ' ') + 1, 0, NULL), *rq, *src;

		ck_assert_ptr_nonnull(j);
		ck_assert_int_eq(json_integer_value(json_object_get(j, "offdiff_case")), 1);
		rq = json_object_get(j, "request");
		ck_assert(json_is_integer(json_object_get(rq, "csum_start")));
		ck_assert(json_is_integer(json_object_get(rq, "csum_offset")));
		ck_assert(json_is_array(json_object_get(rq, "legacy")));
		ck_assert(json_is_string(json_object_get(json_object_get(j, "target"), "engine")));
		src = json_object_get(j, "source");
		snprintf(want, sizeof(want), "\"file\":\"%s\",", json_string_value(json_object_get(src, "file")));
		ck_assert_msg(strstr(findings, want), "%s", line);
		snprintf(want, sizeof(want), "\"packet\":%lld,", json_integer_value(json_object_get(src, "packet")));
		ck_assert_msg(strstr(findings, want), "%s", line);
		json_decref(j);
		n++;
	}
	ck_assert_int_gt(n, 0);
	free(text);
	free(findings);
}

START_TEST(default_campaign)
{
	struct ofd_junit_totals jt;
	char *text, run_dir[512];
	int rc;

	rc = ofd_test_run(&text, false, "%s run specs/default.yaml --out %s -q", ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	ck_assert_msg(strstr(text, "report: ") && sscanf(strstr(text, "report: "), "report: %511[^ \n]", run_dir) == 1, "%s", text);
	if (run_dir[strlen(run_dir) - 1] == '/')
		run_dir[strlen(run_dir) - 1] = '\0';
	free(text);
	ofd_consumer_junit(run_dir, &jt);
	ck_assert_int_gt(jt.failures, 0);
	ofd_consumer_ktap(run_dir, &jt);
	tshark_expected(run_dir);
	yaml_cases(run_dir);
	rc = ofd_test_run(&text, true, "%s replay %s/discrepancies/0001/case.yaml", ofd_test_offdiff(),
			  run_dir);
	ck_assert_msg(rc == 1, "replay exit %d: %s", rc, text);
	free(text);
}
END_TEST

/* Text hand quoting broke: quotes, backslashes, a colon and a hash, words
 * a YAML 1.1 reader takes for a boolean or a number. */
START_TEST(case_yaml_round_trip)
{
	static const char *const mask[] = { "yes", "0x10", "ipv4.id" };
	static const char *const fields[] = { "srh.segment[1]", "payload", "ipv4.id" };
	const char *src = "dir: \"odd\" \\ #1.pcap";
	const char *prof = "on.yaml";
	struct ofd_target_desc td = { .engine = "emu", .profile_path = prof };
	struct ofd_mask m = { .n = 3, .fields = (char *const *)mask };
	struct ofd_loaded_case lc;
	struct ofd_case c = { 0 };
	uint8_t frame[60] = { 0 };
	struct ofd_pkt pkt = { .data = frame, .len = sizeof(frame) };
	char path[128], err[256], *text;
	json_t *j;

	c.offload = OFD_OFFLOAD_TX_CSUM;
	c.src_file = src;
	c.src_index = 7;
	c.npkts = 1;
	c.pkts = &pkt;
	c.req.vnet.csum_start = 34;
	c.req.vnet.csum_offset = 16;
	snprintf(path, sizeof(path), "%s/input.pcap", out);
	{
		struct ofd_pcap_writer *w;

		ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
		ofd_pcap_writer__write(w, frame, sizeof(frame), 0);
		ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	}
	snprintf(path, sizeof(path), "%s/case.yaml", out);
	ck_assert_int_eq(ofd_case_write_yaml(path, &c, "model", &td, "input.pcap", &m,
					     OFD_V_DISCREPANCY), 0);
	if (have("python3 -c 'import yaml'", "case.yaml PyYAML check skipped: no python3-yaml")) {
		ck_assert_int_eq(ofd_test_run(&text, false, "python3 -c 'import sys, json, yaml; "
			"print(json.dumps(yaml.safe_load(open(sys.argv[1]))))' %s", path), 0);
		j = json_loads(text, 0, NULL);
		ck_assert_msg(j, "%s", text);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "source"), "file")), src);
		ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "target"), "profile")), prof);
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "mask"), 0)), "yes");
		ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "mask"), 1)), "0x10");
		ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "request"),
								   "csum_start")), 34);
		json_decref(j);
		free(text);
	}
	/* offdiff's reader checks mask names: "yes" comes back as a string
	 * (not a boolean) and is refused as no field the diff names. */
	ck_assert_int_eq(ofd_case_read_yaml(path, &lc, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "mask: unknown field 'yes'"), "%s", err);
	m.fields = (char *const *)fields;
	ck_assert_int_eq(ofd_case_write_yaml(path, &c, "model", &td, "input.pcap", &m,
					     OFD_V_DISCREPANCY), 0);
	ck_assert_msg(ofd_case_read_yaml(path, &lc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(lc.src_file, src);
	ck_assert_uint_eq(lc.nmask, 3);
	ck_assert_str_eq(lc.mask[0], "srh.segment[1]");
	ck_assert_str_eq(lc.mask[1], "payload");
	ck_assert_uint_eq(lc.c.req.vnet.csum_offset, 16);
	ck_assert_uint_eq(lc.c.src_index, 7);
	ck_assert_int_eq(lc.expected, OFD_V_DISCREPANCY);
	ofd_loaded_case_free(&lc);
}
END_TEST

START_TEST(profile_show_is_a_profile)
{
	char *text;
	glob_t g;
	size_t i;
	int rc;

	ck_assert_int_eq(glob("specs/profiles/*.yaml", 0, NULL, &g), 0);
	ck_assert_uint_gt(g.gl_pathc, 1);
	for (i = 0; i < g.gl_pathc; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/') + 1;

		/* saved under its own name: a profile's name is its file's */
		rc = ofd_test_run(&text, true, "%s profile show %.*s > %s/%s && %s profile check %s/%s",
				  ofd_test_offdiff(), (int)(strlen(base) - 5), base, out, base,
				  ofd_test_offdiff(), out, base);
		ck_assert_msg(rc == 0, "%s: exit %d: %s", base, rc, text);
		free(text);
		if (!have("python3 -c 'import yaml'", "profile show PyYAML check skipped: no python3-yaml"))
			continue;
		/* every knob the file sets, shown with the file's value */
		rc = ofd_test_run(&text, true, "python3 -c 'import sys, yaml\n"
				  "a = yaml.safe_load(open(sys.argv[1])); b = yaml.safe_load(open(sys.argv[2]))\n"
				  "assert a[\"name\"] == b[\"name\"] and a[\"description\"] == b[\"description\"]\n"
				  "assert a.get(\"catalogue\", []) == b[\"catalogue\"]\n"
				  "assert all(b[\"knobs\"][k] == v for k, v in (a.get(\"knobs\") or {}).items())\n"
				  "assert len(b[\"knobs\"]) == 5' %s %s/%s",
				  g.gl_pathv[i], out, base);
		ck_assert_msg(rc == 0, "%s: %s", base, text);
		free(text);
	}
	globfree(&g);
}
END_TEST

static Suite *consumers_suite(void)
{
	Suite *s = suite_create("consumers");
	TCase *tc = tcase_create("consumers");

	tcase_add_checked_fixture(tc, setup, teardown);
	/* a first kunit.py extraction reads the kernel tarball (~15 s) */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, default_campaign);
	tcase_add_test(tc, case_yaml_round_trip);
	tcase_add_test(tc, profile_show_is_a_profile);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(consumers_suite)
