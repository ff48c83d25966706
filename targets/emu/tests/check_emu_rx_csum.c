// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_emu_rx_csum.c - the emulator's receive checksum block and its
 * profiles (specs/profiles/rxcsum-*.yaml): each profile against the model
 * on frames whose checksums the test computes itself (rxc_test_util.h),
 * with the verdict, severity and class ofd_diff_full gives. What each
 * profile must get wrong follows from the frame and the profile's one
 * knob (kernel-rx.md 4): COMPLETE over the stripped tags only differs on
 * a tagged frame, over the padding only with a non-zero trailer, trusting
 * inner checksums only on a tunnel whose inner one is bad, a level one
 * too high everywhere a level is reported below the cap.
 * Then the campaign (specs/rx-csum.yaml): conformant and rxcsum-complete
 * 0 discrepancies, every other profile found with its class.
 */
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_offload.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "rxc_test_util.h"

#define U OFD_CSUM_STATE_UNNECESSARY
#define N OFD_CSUM_STATE_NONE

/* The frames: their expected state is the model suite's business; here
 * only which profile gets which one wrong. */
static const struct rxt_row frames[] = {
	{ "ipv4/tcp", 0, 0, RXT_NONE, 0, RXT_TCP, 100, 0, 0, 0, false, U, 0 },
	{ "vlan/ipv4/udp trailer", 1, 0, RXT_NONE, 0, RXT_UDP, 1, 0, 0, 6, false, U, 0 },
	{ "ipv4/tcp bad", 0, 0, RXT_NONE, 0, RXT_TCP, 100, 1, 0, 0, false, N, 0 },
	{ "vxlan udpcsum inner bad", 0, 0, RXT_VXLAN, 0, RXT_TCP, 100, 2, 0, 0, false, U, 0 },
	{ "gre csum/ipv4/tcp", 0, 0, RXT_GREC, 0, RXT_TCP, 100, 0, 0, 0, false, U, 1 },
	{ "5 checksums", 0, 0, RXT_DEEP, 0, RXT_TCP, 100, 0, 0, 0, false, U, 3 },
};
#define NFRAMES OFD_ARRAY_SIZE(frames)

struct expect {
	const char *profile;
	/* per frame: NULL equal, else the class (benign when it starts
	 * with '~') */
	const char *cls[NFRAMES];
};

static const struct expect expects[] = {
	{ "conformant", { NULL, NULL, NULL, NULL, NULL, NULL } },
	{ "rxcsum-complete", { NULL, NULL, NULL, NULL, NULL, NULL } },
	{ "rxcsum-complete-vlan", { NULL, "complete-includes-vlan", NULL, NULL, NULL, NULL } },
	{ "rxcsum-complete-padding",
	  { NULL, "complete-includes-padding", NULL, NULL, NULL, NULL } },
	{ "rxcsum-inner-unchecked",
	  { NULL, NULL, NULL, "unnecessary-bad-inner-csum", NULL, NULL } },
	/* one too high: past every layer where all verify, onto the bad
	 * inner TCP where one does not; nothing at the cap or at NONE */
	{ "rxcsum-level-off-by-one",
	  { "csum-level-too-high", "csum-level-too-high", NULL,
	    "unnecessary-bad-inner-csum", "csum-level-too-high", NULL } },
	{ "rxcsum-none",
	  { "~rx-csum-not-validated", "~rx-csum-not-validated", NULL,
	    "~rx-csum-not-validated", "~rx-csum-not-validated", "~rx-csum-not-validated" } },
};

START_TEST(emu_rx_csum_profiles)
{
	const struct expect *x = &expects[_i];
	const struct ofd_engine_ops *emu = ofd_engine_find("emu");
	const struct ofd_engine_ops *model = ofd_engine_find("model");
	struct ofd_engine_opts o = { .profile = x->profile,
				     .profile_dir = OFD_TEST_ROOT "/specs/profiles" };
	struct ofd_result *ref, *tgt;
	void *pe, *pm;
	unsigned int i;

	ck_assert_ptr_nonnull(emu);
	ck_assert_ptr_nonnull(model);
	ck_assert(ofd_engine_caps(emu) & OFD_CAP(OFD_OFFLOAD_RX_CSUM));
	ck_assert_int_eq(emu->open(&o, &pe), 0);
	ck_assert_int_eq(model->open(NULL, &pm), 0);
	ck_assert_int_eq(ofd_result__new(0, &ref), 0);
	ck_assert_int_eq(ofd_result__new(0, &tgt), 0);
	for (i = 0; i < NFRAMES; i++) {
		uint8_t f[2048];
		struct ofd_pkt pkt = { f, 0, 0 };
		struct ofd_case c = { .offload = OFD_OFFLOAD_RX_CSUM, .npkts = 1, .pkts = &pkt };
		const char *want = x->cls[i];
		struct ofd_diff d;

		pkt.len = rxt_build(&frames[i], f, sizeof(f));
		ck_assert_uint_gt(pkt.len, 0);
		ofd_result_reset(ref);
		ofd_result_reset(tgt);
		ck_assert_int_eq(model->run(pm, &c, &ref, 1), 0);
		ck_assert_int_eq(emu->run(pe, &c, &tgt, 1), 0);
		ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
		if (!want) {
			ck_assert_msg(d.verdict == OFD_V_EQUAL, "%s on %s: %s, expected equal",
				      x->profile, frames[i].name, d.cls);
		} else {
			bool benign = want[0] == '~';

			ck_assert_msg(d.verdict == OFD_V_DISCREPANCY &&
					      !strcmp(d.cls, want + benign),
				      "%s on %s: verdict %d class %s, expected %s", x->profile,
				      frames[i].name, d.verdict, d.cls, want);
			ck_assert_uint_eq(d.severity, benign ? OFD_SEV_BENIGN : OFD_SEV_CRITICAL);
		}
		ofd_diff_free(&d);
	}
	ofd_result__free(ref);
	ofd_result__free(tgt);
	emu->close(pe);
	model->close(pm);
}
END_TEST

/* The profile section: knobs by name, a misspelt value refused. */
START_TEST(emu_rx_csum_section)
{
	static const char good[] = "name: t\nrx-csum:\n  mode: complete\n  complete_vlan: included\n";
	static const char bad[] = "name: t\nrx-csum:\n  mode: sometimes\n";
	struct ofdint_emu_profile p;
	char err[512];

	ck_assert_int_eq(ofdint_emu_profile_parse("t.yaml", good, sizeof(good) - 1, &p,
						  err, sizeof(err)), 0);
	ck_assert_uint_eq(p.rx_csum.mode, EMU_RXC_COMPLETE);
	ck_assert_uint_eq(p.rx_csum.vlan, 1);
	ck_assert_uint_eq(p.rx_csum.padding, 0);
	ck_assert_uint_eq(p.rx_csum_set, (1u << EMU_RXC_MODE) | (1u << EMU_RXC_VLAN));
	ck_assert_int_ne(ofdint_emu_profile_parse("t.yaml", bad, sizeof(bad) - 1, &p,
						  err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "mode"));
}
END_TEST

/* The target object of `label` in a --json summary: from its "classes"
 * to its "verdicts" (keys are sorted: classes come before label). */
static void target_span(const char *text, const char *label, const char **from,
			const char **to)
{
	char key[96];
	const char *l, *c, *p;

	snprintf(key, sizeof(key), "\"label\":\"%s\"", label);
	l = strstr(text, key);
	ck_assert_msg(l, "no target %s in the summary", label);
	c = NULL;
	for (p = strstr(text, "\"classes\":"); p && p < l; p = strstr(p + 1, "\"classes\":"))
		c = p;
	ck_assert_ptr_nonnull(c);
	*from = c;
	*to = strstr(l, "\"verdicts\":");
	ck_assert_ptr_nonnull(*to);
	*to = strchr(*to, '}');
	ck_assert_ptr_nonnull(*to);
}

START_TEST(emu_rx_csum_campaign)
{
	static const struct {
		const char *label, *cls, *sev;
	} found[] = {
		{ "emu:rxcsum-complete-vlan", "complete-includes-vlan", "critical" },
		{ "emu:rxcsum-complete-padding", "complete-includes-padding", "critical" },
		{ "emu:rxcsum-inner-unchecked", "unnecessary-bad-inner-csum", "critical" },
		{ "emu:rxcsum-level-off-by-one", "csum-level-too-high", "critical" },
		{ "emu:rxcsum-none", "rx-csum-not-validated", "benign" },
	};
	static const char *const clean[] = { "emu:conformant", "emu:rxcsum-complete" };
	char dir[256], *text = NULL, want[128];
	const char *from, *to;
	unsigned int i;
	int rc;

	ofd_test_mkdtemp(dir, sizeof(dir), "rxcsum");
	rc = ofd_test_run(&text, false, "%s run specs/rx-csum.yaml --out %s --json",
			  ofd_test_offdiff(), dir);
	/* critical findings on purpose: exit code 1 */
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(text);
	for (i = 0; i < OFD_ARRAY_SIZE(clean); i++) {
		target_span(text, clean[i], &from, &to);
		ck_assert_msg(!strncmp(from, "\"classes\":[]", 12), "%s has findings", clean[i]);
		ck_assert_ptr_nonnull(strstr(from, "\"discrepancy\":0,"));
		ck_assert(strstr(from, "\"discrepancy\":0,") < to);
	}
	for (i = 0; i < OFD_ARRAY_SIZE(found); i++) {
		const char *p;

		target_span(text, found[i].label, &from, &to);
		snprintf(want, sizeof(want), "\"class\":\"%s\"", found[i].cls);
		p = strstr(from, want);
		ck_assert_msg(p && p < to, "%s: no %s", found[i].label, found[i].cls);
		snprintf(want, sizeof(want), "\"severity\":\"%s\"", found[i].sev);
		p = strstr(p, want);
		ck_assert_msg(p && p < to, "%s: %s not %s", found[i].label, found[i].cls,
			      found[i].sev);
		/* nobody is unexplained */
		p = strstr(from, "rx-csum-unexplained");
		ck_assert(!p || p > to);
	}
	free(text);
	text = NULL;
	ofd_test_run(&text, false, "rm -rf '%s'", dir);
	free(text);
}
END_TEST

static Suite *emu_rx_csum_suite(void)
{
	Suite *s = suite_create("emu_rx_csum");
	TCase *tc = tcase_create("rx_csum");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, emu_rx_csum_profiles, 0, OFD_ARRAY_SIZE(expects));
	tcase_add_test(tc, emu_rx_csum_section);
	tcase_add_test(tc, emu_rx_csum_campaign);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(emu_rx_csum_suite)
