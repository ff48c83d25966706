// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_iface_vnic.c - the default campaign through the virtual NIC gives
 * the in-process emulator's findings, profile by profile (specs/vnic.yaml
 * against specs/default.yaml).
 *
 * Through a real kernel driver, the kernel keeps some work from the device
 * and the test says which: UDP tunnel GSO (AF_PACKET cannot ask for it),
 * UFO (no device has it since 4.14), requests of gso_max_size or more
 * (segmented in software); those cases are skipped by name. It also hands
 * the device work the in-process emulator never sees as such: a GSO
 * request the kernel made non-GSO or segmented itself reaches the device
 * as checksum requests, so a checksum bug shows on tso cases too. So, per
 * profile:
 *  - every case both flag has the same class;
 *  - on the offload a profile breaks, every class the emulator shows is
 *    shown through the virtual NIC, unless all its cases are tunnels
 *    (skipped by name), and the virtual NIC shows no class the emulator
 *    does not;
 *  - a generic checksum engine's tx-csum findings are the emulator's,
 *    count for count.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_test_util.h"

/* The report directory a run printed. */
static void report_dir(const char *text, char *dir, size_t len)
{
	const char *r = strstr(text, "report: ");

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	ck_assert_int_eq(sscanf(r + 8, "%511s", dir), 1);
	(void)len;
}

/* findings.jsonl as one JSON array. */
static json_t *load_findings(const char *dir)
{
	char path[600], line[65536];
	json_t *all = json_array();
	FILE *f;

	snprintf(path, sizeof(path), "%s/findings.jsonl", dir);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL);

		ck_assert_ptr_nonnull(j);
		if (json_object_get(j, "case"))
			json_array_append_new(all, j);
		else
			json_decref(j);
	}
	fclose(f);
	return all;
}

/* The profile of an emu or iface target label. */
static const char *profile_of(const char *label, char *buf, size_t len)
{
	const char *v = strstr(label, "vnic=");

	snprintf(buf, len, "%s", v ? v + 5 : strchr(label, ':') + 1);
	buf[strcspn(buf, ",")] = '\0';
	return buf;
}

static const char *s(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

/* "profile/case" -> class, for class_of. */
static json_t *index_findings(json_t *fs)
{
	json_t *ix = json_object(), *f;
	char p[64], key[128];
	size_t i;

	json_array_foreach(fs, i, f) {
		snprintf(key, sizeof(key), "%s/%lld", profile_of(s(f, "target"), p, sizeof(p)),
			 (long long)json_integer_value(json_object_get(f, "case")));
		json_object_set(ix, key, json_object_get(f, "class"));
	}
	return ix;
}

/* The class of (profile, case), or NULL. */
static const char *class_of(json_t *ix, const char *prof, json_int_t kase)
{
	char key[128];

	snprintf(key, sizeof(key), "%s/%lld", prof, (long long)kase);
	return json_string_value(json_object_get(ix, key));
}

/* A path of two IP headers ("ipv4/udp/vxlan/eth/ipv6/tcp", "ipv4/gre/...",
 * "ipv6/ipv4/tcp"): a tunnel, whose GSO no AF_PACKET request can ask for. */
static bool is_tunnel(const char *path)
{
	int ips = 0;
	const char *q;

	for (q = path; (q = strstr(q, "ipv")); q += 3)
		ips++;
	return ips >= 2;
}

/* "profile/offload/class" and "profile/offload" -> [findings, on tunnels]. */
static json_t *count_findings(json_t *fs)
{
	json_t *c = json_object(), *f;
	char p[64], key[2][192];
	size_t i;
	int k;

	json_array_foreach(fs, i, f) {
		profile_of(s(f, "target"), p, sizeof(p));
		snprintf(key[0], sizeof(key[0]), "%s/%s/%s", p, s(f, "offload"), s(f, "class"));
		snprintf(key[1], sizeof(key[1]), "%s/%s", p, s(f, "offload"));
		for (k = 0; k < 2; k++) {
			json_t *n = json_object_get(c, key[k]);

			if (!n) {
				n = json_pack("[ii]", 0, 0);
				json_object_set_new(c, key[k], n);
			}
			json_array_set_new(n, 0, json_integer(json_integer_value(json_array_get(n, 0)) + 1));
			if (is_tunnel(s(f, "path")))
				json_array_set_new(n, 1, json_integer(json_integer_value(json_array_get(n, 1)) + 1));
		}
	}
	return c;
}

/* Findings of (profile, offload[, class]); *tunnels: how many on a tunnel. */
static int count(json_t *counts, const char *prof, const char *off, const char *cls, int *tunnels)
{
	char key[192];
	json_t *n;

	snprintf(key, sizeof(key), "%s/%s%s%s", prof, off, cls ? "/" : "", cls ? cls : "");
	n = json_object_get(counts, key);
	if (tunnels)
		*tunnels = n ? (int)json_integer_value(json_array_get(n, 1)) : 0;
	return n ? (int)json_integer_value(json_array_get(n, 0)) : 0;
}

/*
 * A class the vnic never shows: each of its first reproducers (up to 3),
 * replayed through a virtual NIC under the same profile, is skipped by
 * name there (exit 4): work the kernel keeps from any device.
 */
static bool replayed_skipped(const char *dir, json_t *emu, const char *prof, const char *cls)
{
	char p[64], *text;
	size_t i;
	json_t *f;
	int n = 0, rc;

	json_array_foreach(emu, i, f) {
		if (n == 3 || strcmp(profile_of(s(f, "target"), p, sizeof(p)), prof) ||
		    strcmp(s(f, "class"), cls) || !s(f, "reproducer"))
			continue;
		rc = run(&text, "%s replay %s/%s/case.yaml -t iface:vnic=%s", ofd_test_offdiff(), dir,
			 s(f, "reproducer"), prof);
		if (rc != 4 || !strstr(text, "unsupported: ")) {
			fprintf(stderr, "%s: %s: replay exit %d: %s\n", prof, cls, rc, text);
			free(text);
			return false;
		}
		free(text);
		n++;
	}
	return n > 0;
}

START_TEST(vnic_reproduces_emulator)
{
	char *text, dir_emu[512], dir_vnic[512], p[64];
	json_t *emu, *vnic, *sum, *t, *f, *ix, *seen, *ce, *cv;
	size_t i;
	int rc;

	rc = run(&text, "%s run specs/default.yaml --findings all -q --out %s/emu",
		 ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	report_dir(text, dir_emu, sizeof(dir_emu));
	free(text);
	rc = run(&text, "%s run specs/vnic.yaml --findings all -q --out %s/vnic",
		 ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	report_dir(text, dir_vnic, sizeof(dir_vnic));
	sum = load_summary(text);
	free(text);

	/* conformant through a real driver: nothing differs, and the report
	 * names the device it drove. */
	t = target(sum, "iface:vnic=conformant");
	ck_assert_int_eq(verdict(t, "discrepancy"), 0);
	ck_assert_int_gt(verdict(t, "equal"), 3000);
	ck_assert_str_eq(s(json_object_get(t, "device"), "driver"), "tun");
	ck_assert_str_eq(s(json_object_get(t, "device"), "port"), "ofdv0");

	emu = load_findings(dir_emu);
	vnic = load_findings(dir_vnic);
	ck_assert_int_gt(json_array_size(vnic), 1000);
	ix = index_findings(emu);
	ce = count_findings(emu);
	cv = count_findings(vnic);

	/* Every case both flag: the same class. And nothing the emulator
	 * does not find on that offload. */
	json_array_foreach(vnic, i, f) {
		const char *prof = profile_of(s(f, "target"), p, sizeof(p));
		const char *other = class_of(ix, prof, json_integer_value(json_object_get(f, "case")));

		if (other)
			ck_assert_msg(!strcmp(other, s(f, "class")), "%s case %lld: %s through the vnic, %s in emu",
				      prof, (long long)json_integer_value(json_object_get(f, "case")),
				      s(f, "class"), other);
		if (count(ce, prof, s(f, "offload"), NULL, NULL))
			ck_assert_msg(count(ce, prof, s(f, "offload"), s(f, "class"), NULL) > 0,
				      "%s: class %s on %s only through the vnic", prof, s(f, "class"),
				      s(f, "offload"));
	}
	/* Every class the emulator shows, shown through the vnic, unless it
	 * lives on tunnels alone or its reproducers, replayed through the
	 * vnic, are skipped by name there; a generic engine's tx-csum count
	 * for count. */
	seen = json_object();
	json_array_foreach(emu, i, f) {
		const char *prof = profile_of(s(f, "target"), p, sizeof(p));
		int tun, n = count(ce, prof, s(f, "offload"), s(f, "class"), &tun);
		int m = count(cv, prof, s(f, "offload"), s(f, "class"), NULL);
		bool protocol = !strcmp(prof, "srv6-ipv6-dst") || !strcmp(prof, "ipv6-no-exthdr") ||
				!strcmp(prof, "tunnel-outer");
		char key[192];

		snprintf(key, sizeof(key), "%s/%s/%s", prof, s(f, "offload"), s(f, "class"));
		if (tun == n || json_object_get(seen, key))
			continue;
		/* a profile the vnic campaign leaves out (specs/vnic.yaml says
		 * why: gro-udp-fraglist) */
		snprintf(p, sizeof(p), "iface:vnic=%s", prof);
		if (!target_or_null(sum, p))
			continue;
		json_object_set_new(seen, key, json_true());
		if (!m) {
			ck_assert_msg(replayed_skipped(dir_emu, emu, prof, s(f, "class")),
				      "%s: %s (%d in emu) not found through the vnic", prof,
				      s(f, "class"), n);
			continue;
		}
		if (!strcmp(s(f, "offload"), "tx-csum") && !protocol)
			ck_assert_msg(m == n, "%s: %s %d through the vnic, %d in emu", prof,
				      s(f, "class"), m, n);
	}
	json_decref(seen);
	json_decref(ix);
	json_decref(ce);
	json_decref(cv);
	json_decref(emu);
	json_decref(vnic);
	json_decref(sum);
}
END_TEST

/* Per case: "case/class" of every finding of the run in dir. */
static json_t *case_classes(const char *dir)
{
	json_t *fs = load_findings(dir), *set = json_object(), *f;
	char key[128];
	size_t i;

	json_array_foreach(fs, i, f) {
		snprintf(key, sizeof(key), "%lld/%s",
			 (long long)json_integer_value(json_object_get(f, "case")), s(f, "class"));
		json_object_set_new(set, key, json_true());
	}
	json_decref(fs);
	return set;
}

/*
 * The wire of a live run, saved as a capture (iface's wire_pcap: what a
 * tcpdump at the wire port sees, markers included), judged offline by the
 * capture target: the same verdicts, and the same class on the same cases.
 */
START_TEST(capture_of_the_wire_equals_live)
{
	static const char *const profiles[] = { "tso-last-len", "short-tail" };
	char *text, live[512], cap[512];
	json_t *a, *b, *sa, *sb, *ta, *tb;
	const char *v;
	size_t k;
	int rc;

	for (k = 0; k < 2; k++) {
		/* a wire capture holds what the device sent: transmit offloads */
		rc = run(&text, "%s run -f tx-csum -f tso -t iface:vnic=%s,wire_pcap=%s/%s.pcap --findings all -q --out %s/live",
			 ofd_test_offdiff(), profiles[k], out, profiles[k], out);
		ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
		report_dir(text, live, sizeof(live));
		sa = load_summary(text);
		free(text);
		rc = run(&text, "%s run -f tx-csum -f tso -t capture:file=%s/%s.pcap --findings all -q --out %s/cap",
			 ofd_test_offdiff(), out, profiles[k], out);
		ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
		report_dir(text, cap, sizeof(cap));
		sb = load_summary(text);
		free(text);
		ta = json_array_get(json_object_get(sa, "targets"), 0);
		tb = json_array_get(json_object_get(sb, "targets"), 0);
		for (v = "equal"; v; v = !strcmp(v, "equal") ? "discrepancy" :
					 !strcmp(v, "discrepancy") ? "both-rejected" : NULL)
			ck_assert_msg(verdict(ta, v) == verdict(tb, v), "%s: %s live %lld, capture %lld",
				      profiles[k], v, verdict(ta, v), verdict(tb, v));
		ck_assert_int_gt(verdict(ta, "discrepancy"), 0);
		/* The engines' own counts: every wire frame claimed. */
		ck_assert_ptr_nonnull(strstr(s(ta, "tally"), " 0 foreign frames ignored"));
		ck_assert_ptr_nonnull(strstr(s(tb, "tally"), " 0 claimed by none"));
		a = case_classes(live);
		b = case_classes(cap);
		ck_assert_msg(json_equal(a, b), "%s: findings differ between live and capture",
			      profiles[k]);
		json_decref(a);
		json_decref(b);
		json_decref(sa);
		json_decref(sb);
	}
}
END_TEST

static Suite *iface_vnic_suite(void)
{
	Suite *su = suite_create("iface_vnic");
	TCase *tc = tcase_create("parity"), *tc2 = tcase_create("capture");

	tcase_add_checked_fixture(tc2, setup, teardown);
	tcase_set_timeout(tc2, 600);
	tcase_add_test(tc2, capture_of_the_wire_equals_live);
	suite_add_tcase(su, tc2);

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 900);
	tcase_add_test(tc, vnic_reproduces_emulator);
	suite_add_tcase(su, tc);
	return su;
}
OFD_TEST_SUITE(iface_vnic_suite);
