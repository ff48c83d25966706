// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_iface_rx_spec.c - specs/vnic-gro.yaml end to end: the bundled gro
 * corpus through iface on the virtual NIC, the running kernel the
 * reference, against the in-process emulator under the same profiles on
 * the same corpus.
 *  - conformant: no discrepancy, and every train compared (the spec: a
 *    device under the kernel's rules merges as the kernel does);
 *  - each bug profile: its own class is found (its YAML names the rule it
 *    bends), and through the virtual NIC exactly the (train, class) pairs
 *    `emu:PROFILE` gives: a device behind the tun driver and the kernel's
 *    receive path shows the bug where the emulator shows it, no more, no
 *    fewer.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "e2e_test_util.h"

static const struct {
	const char *profile, *cls;
} bugs[] = {
	{ "gro-psh-merge", "merged-across-psh" },
	{ "gro-ttl", "merged-ttl-differs" },
	{ "gro-tcp-options", "merged-options-differ" },
};

/* "profile case class" of every finding of the run whose text is given,
 * as the keys of a JSON object. */
static json_t *findings(const char *text)
{
	const char *r = strstr(text, "report: ");
	char dir[512], path[600], line[65536], key[256];
	json_t *set = json_object();
	FILE *f;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	ck_assert_int_eq(sscanf(r + 8, "%511s", dir), 1);
	snprintf(path, sizeof(path), "%s/findings.jsonl", dir);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL), *c;
		const char *t, *v, *cls;

		ck_assert_ptr_nonnull(j);
		c = json_object_get(j, "case");
		t = json_string_value(json_object_get(j, "target"));
		cls = json_string_value(json_object_get(j, "class"));
		if (c && t && cls) {
			/* "emu:P" or "iface:vnic=P": the profile */
			v = strstr(t, "vnic=");
			v = v ? v + 5 : strchr(t, ':') + 1;
			snprintf(key, sizeof(key), "%.*s %lld %s", (int)strcspn(v, ","), v,
				 (long long)json_integer_value(c), cls);
			json_object_set_new(set, key, json_true());
		}
		json_decref(j);
	}
	fclose(f);
	return set;
}

START_TEST(vnic_gro_spec)
{
	char *text, key[128];
	json_t *sum, *t, *vnic, *emu, *v;
	const char *k;
	size_t i;
	int rc;

	rc = run(&text, "%s run specs/vnic-gro.yaml --findings all -q --out %s/vnic",
		 ofd_test_offdiff(), out);
	if (rc == 3) {
		/* the kernel reference or the virtual NIC cannot run here */
		fprintf(stderr, "iface_rx_spec: not run: %s\n", text);
		free(text);
		return;
	}
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	sum = load_summary(text);
	vnic = findings(text);
	free(text);
	t = target(sum, "iface:vnic=conformant");
	ck_assert_int_eq(verdict(t, "discrepancy"), 0);
	ck_assert_int_gt(verdict(t, "equal"), 200);
	ck_assert_int_eq(verdict(t, "unsupported"), 0);

	rc = run(&text, "%s run specs/vnic-gro.yaml -t emu:gro-psh-merge -t emu:gro-ttl "
			"-t emu:gro-tcp-options --findings all -q --out %s/emu",
		 ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	emu = findings(text);
	free(text);

	for (i = 0; i < sizeof(bugs) / sizeof(bugs[0]); i++) {
		bool seen = false;

		snprintf(key, sizeof(key), "%s ", bugs[i].profile);
		json_object_foreach(vnic, k, v) {
			if (!strncmp(k, key, strlen(key)) && strstr(k, bugs[i].cls))
				seen = true;
		}
		ck_assert_msg(seen, "%s: no %s through the vnic", bugs[i].profile, bugs[i].cls);
	}
	json_object_foreach(vnic, k, v)
		ck_assert_msg(json_object_get(emu, k), "through the vnic only: %s", k);
	json_object_foreach(emu, k, v)
		ck_assert_msg(json_object_get(vnic, k), "in emu only: %s", k);
	json_decref(vnic);
	json_decref(emu);
	json_decref(sum);
}
END_TEST

static Suite *iface_rx_spec_suite(void)
{
	Suite *s = suite_create("iface_rx_spec");
	TCase *tc = tcase_create("spec");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, vnic_gro_spec);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(iface_rx_spec_suite);
