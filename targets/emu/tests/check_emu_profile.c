// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_emu_profile.c - the NIC emulator's profiles (targets/emu/): loading,
 * composing and their errors, the shipped files, open() / info(), and the
 * `offdiff profile` CLI. What the device does per knob is check_emu.c.
 *
 * Cases:
 *  profile_errors unknown knob / bad values / unknown top-level key / name
 *                 mismatch / ..., each with its hand-counted line:col
 *  profile_files  every shipped profile loads; describe fills defaults
 *  open           open() by name and path, info(), -EINVAL + a located
 *                 warning for a bad profile file
 *  cli            `offdiff profile check|list|show` end to end (when
 *                 $OFFDIFF exists)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ofd.h"
#include "ofd_test.h"
#include "emu_internal.h"

extern const struct ofd_engine_ops ofd_engine_emu;

/* ------------------------------------------------------------------ */
/* Profile errors                                                      */
/* ------------------------------------------------------------------ */

static const struct {
	const char *what;
	const char *file;
	const char *text;
	const char *want[3]; /* substrings of the message */
} bad_profiles[] = {
	{ "unknown knob", "specs/profiles/bad.yaml",
	  "name: bad\nknobs:\n  zero_csum: 0x0000\n",
	  { "specs/profiles/bad.yaml:3:3: ", "'zero_csum'", "tail_window" } },
	{ "bad enum value", "specs/profiles/bad.yaml",
	  "name: bad\nknobs:\n  pseudo_header_daddr: ipv6-dst\n",
	  { "bad.yaml:3:24: ", "pseudo_header_daddr", "'ipv6-dst'" } },
	{ "bad zero_checksum", "bad.yaml",
	  "name: bad\nknobs:\n  tail_window: 4\n  zero_checksum: 0x1234\n",
	  { "bad.yaml:4:18: ", "zero_checksum", "0x1234" } },
	{ "bad tail_window", "p/bad.yaml",
	  "name: bad\nknobs: {tail_window: four}\n",
	  { "p/bad.yaml:2:22: ", "tail_window", "four" } },
	{ "knob given a map", "bad.yaml",
	  "name: bad\nknobs:\n  tunnel_checksum: {a: 1}\n",
	  { "bad.yaml:3:20: ", "tunnel_checksum", NULL } },
	{ "unknown top-level key", "specs/profiles/bad.yaml",
	  "name: bad\ndescription: x\nknob:\n  tail_window: 4\n",
	  { "bad.yaml:3:1: ", "'knob'", NULL } },
	{ "name mismatch", "specs/profiles/bad.yaml",
	  "name: other\nknobs: {}\n",
	  { "bad.yaml:1:7: ", "'other'", "'bad'" } },
	{ "missing name", "bad.yaml", "description: no name\n",
	  { "bad.yaml:1:1: ", "name", NULL } },
	{ "catalogue not a list", "bad.yaml", "name: bad\ncatalogue: 2\n",
	  { "bad.yaml:2:12: ", "catalogue", NULL } },
	{ "catalogue entry 0", "bad.yaml", "name: bad\ncatalogue: [2, 0]\n",
	  { "bad.yaml:2:16: ", "catalogue", NULL } },
	{ "multi-line description", "bad.yaml",
	  "name: bad\ndescription: |\n  one\n  two\n",
	  { "bad.yaml:2:14: ", "one line", NULL } },
	{ "knobs not a map", "bad.yaml", "name: bad\nknobs: [tail_window]\n",
	  { "bad.yaml:2:8: ", "knobs", NULL } },
	{ "root not a map", "bad.yaml", "- name\n", { "bad.yaml:1:1: ", NULL } },
	{ "unknown tso knob", "bad.yaml", "name: bad\ntso:\n  psh: every-segment\n",
	  { "bad.yaml:3:3: ", "'psh'", NULL } },
	{ "bad tso value", "bad.yaml", "name: bad\ntso:\n  ipv4_id: random\n",
	  { "bad.yaml:3:12: ", "increment, fixed or inner-only", NULL } },
	{ "tx-csum knob in tso", "bad.yaml", "name: bad\ntso: {tail_window: 4}\n",
	  { "bad.yaml:2:7: ", "'tail_window'", NULL } },
	{ "unknown gro knob", "bad.yaml", "name: bad\ngro:\n  lro: on\n",
	  { "bad.yaml:3:3: ", "unknown key 'lro' in gro", "gso_size" } },
	{ "bad gro value", "bad.yaml", "name: bad\ngro:\n  gso_size: mss\n",
	  { "bad.yaml:3:13: ", "first-segment", "'mss'" } },
	{ "gro max_segs past a byte", "bad.yaml", "name: bad\ngro:\n  max_segs: 300\n",
	  { "bad.yaml:3:13: ", "max_segs: expected an integer 0..255", "'300'" } },
	{ "gro max_segs a word", "bad.yaml", "name: bad\ngro:\n  max_segs: lots\n",
	  { "bad.yaml:3:13: ", "max_segs", "'lots'" } },
	{ "tso knob in gro", "bad.yaml", "name: bad\ngro: {psh_fin: every-segment}\n",
	  { "bad.yaml:2:7: ", "psh_fin", NULL } },
	{ "tso not a map", "bad.yaml", "name: bad\nknobs: {}\ntso: [cwr]\n",
	  { "bad.yaml:3:6: ", "tso", NULL } },
};

START_TEST(profile_errors)
{
	struct ofdint_emu_profile p;
	char err[512] = "";
	int i, ret;

	ret = ofdint_emu_profile_parse(bad_profiles[_i].file,
				       bad_profiles[_i].text,
				       strlen(bad_profiles[_i].text), &p, err,
				       sizeof(err));
	ck_assert_msg(ret == -EINVAL, "%s: ret %d", bad_profiles[_i].what, ret);
	ck_assert_msg(!strchr(err, '\n'), "%s: not one line: %s",
		      bad_profiles[_i].what, err);
	for (i = 0; i < 3 && bad_profiles[_i].want[i]; i++)
		ck_assert_msg(strstr(err, bad_profiles[_i].want[i]),
			      "%s: '%s' not in '%s'", bad_profiles[_i].what,
			      bad_profiles[_i].want[i], err);
	/* A failed load leaves the conformant device, not half a profile. */
	ck_assert_str_eq(p.name, "conformant");
	ck_assert_uint_eq(p.set, 0);
}
END_TEST

START_TEST(profile_compose)
{
	static const char text[] =
		"name: two\n"
		"description: two knobs\n"
		"catalogue: [8, 9]\n"
		"knobs:\n"
		"  tail_window: 0x10\n"
		"  zero_checksum: 0\n"
		"  pseudo_header_daddr: final-destination\n";
	struct ofdint_emu_profile p;
	char err[512] = "";

	ck_assert_int_eq(ofdint_emu_profile_parse("x/two.yaml", text,
						  strlen(text), &p, err,
						  sizeof(err)), 0);
	ck_assert_str_eq(p.name, "two");
	ck_assert_str_eq(p.description, "two knobs");
	ck_assert_uint_eq(p.ncatalogue, 2);
	ck_assert_uint_eq(p.catalogue[1], 9);
	ck_assert_uint_eq(p.tail_window, 16);
	ck_assert_uint_eq(p.zero_value, 0);
	ck_assert(!p.use_ipv6_dst && !p.ignore_exthdr && !p.tunnel_outer);
	ck_assert_uint_eq(p.set, (1u << EMU_KNOB_TAIL) | (1u << EMU_KNOB_ZERO) |
				 (1u << EMU_KNOB_DADDR));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Shipped profiles                                                    */
/* ------------------------------------------------------------------ */

/* tx-csum's knobs (the `knobs:` section), then tso's (`tso:`), then
 * gro's (`gro:`), then dissect's (`dissect:`), then rx-csum's (`rx-csum:`),
 * then rss's (`rss:`). */
#define NKNOBS (EMU_KNOB__MAX + EMU_TSO__MAX + EMU_GRO__MAX + EMU_DIS__MAX + EMU_RXC__MAX + \
		EMU_RSS__MAX)

static const struct {
	const char *name;
	const char *value[NKNOBS]; /* NULL: default */
} shipped[] = {
	{ "conformant", { NULL } },
	{ "srv6-ipv6-dst", { "ipv6-destination" } },
	{ "ipv6-no-exthdr", { NULL, "ignore" } },
	{ "zero-csum-0000", { NULL, NULL, "0x0000" } },
	{ "short-tail", { NULL, NULL, NULL, "4" } },
	{ "tunnel-outer", { NULL, NULL, NULL, NULL, "outer" } },
	{ "smsc95xx", { NULL, NULL, "0x0000", "4" } },
#define TSO_KNOB(k) [EMU_KNOB__MAX + (k)]
	{ "tso-psh-every", { TSO_KNOB(EMU_TSO_PSH_FIN) = "every-segment" } },
	{ "tso-cwr-every", { TSO_KNOB(EMU_TSO_CWR) = "every-segment" } },
	{ "tso-fixed-id", { TSO_KNOB(EMU_TSO_IPV4_ID) = "fixed" } },
	{ "tso-inner-id", { TSO_KNOB(EMU_TSO_IPV4_ID) = "inner-only" } },
	{ "tso-no-exthdr", { TSO_KNOB(EMU_TSO_EXTHDR) = "refuse" } },
	{ "tso-pseudo-len-kept", { TSO_KNOB(EMU_TSO_PSEUDO_LEN) = "kept" } },
	{ "tso-pseudo-len-twice", { TSO_KNOB(EMU_TSO_PSEUDO_LEN) = "removed-twice" } },
	{ "tso-last-len", { TSO_KNOB(EMU_TSO_LAST_LEN) = "full-size" } },
	{ "tso-outer-udp-len", { TSO_KNOB(EMU_TSO_OUTER_LEN) = "stale" } },
	{ "tso-outer-udp-csum", { TSO_KNOB(EMU_TSO_OUTER_CSUM) = "stale" } },
#define GRO_KNOB(k) [EMU_KNOB__MAX + EMU_TSO__MAX + (k)]
	{ "gro-psh-merge", { GRO_KNOB(EMU_GRO_PSH) = "merged-across" } },
	{ "gro-tcp-options", { GRO_KNOB(EMU_GRO_TCP_OPTS) = "ignored" } },
	{ "gro-ip-id", { GRO_KNOB(EMU_GRO_IP_ID) = "ignored" } },
	{ "gro-ttl", { GRO_KNOB(EMU_GRO_TTL) = "ignored" } },
	{ "gro-tos", { GRO_KNOB(EMU_GRO_TOS) = "ignored" } },
	{ "gro-ecn-ce", { GRO_KNOB(EMU_GRO_ECN) = "ignored" } },
	{ "gro-seq-hole", { GRO_KNOB(EMU_GRO_SEQ) = "across-holes" } },
	{ "gro-udp-fraglist", { GRO_KNOB(EMU_GRO_UDP) = "fraglist" } },
	{ "gro-udp-coalesce", { GRO_KNOB(EMU_GRO_UDP) = "coalesced" } },
	{ "gro-gso-size-last", { GRO_KNOB(EMU_GRO_GSO_SIZE) = "last-segment" } },
	{ "gro-gso-size-average", { GRO_KNOB(EMU_GRO_GSO_SIZE) = "average" } },
	{ "gro-lro-max-segs", { GRO_KNOB(EMU_GRO_MAX_SEGS) = "2" } },
#define DIS_KNOB(k) [EMU_KNOB__MAX + EMU_TSO__MAX + EMU_GRO__MAX + (k)]
	{ "dissect-ports-first-frag", { DIS_KNOB(EMU_DIS_FRAG_PORTS) = "first-fragment" } },
	{ "dissect-ports-every-frag", { DIS_KNOB(EMU_DIS_FRAG_PORTS) = "every-fragment" } },
	{ "dissect-no-exthdr", { DIS_KNOB(EMU_DIS_EXTHDR) = "not-skipped" } },
	{ "dissect-outer-tuple", { DIS_KNOB(EMU_DIS_TUNNEL) = "outer" } },
	{ "dissect-no-vlan-key", { DIS_KNOB(EMU_DIS_VLAN) = "none" } },
	{ "dissect-no-flow-label", { DIS_KNOB(EMU_DIS_FLOW_LABEL) = "ignored" } },
#define RXC_KNOB(k) [EMU_KNOB__MAX + EMU_TSO__MAX + EMU_GRO__MAX + EMU_DIS__MAX + (k)]
	{ "rxcsum-complete", { RXC_KNOB(EMU_RXC_MODE) = "complete" } },
	{ "rxcsum-complete-vlan", { RXC_KNOB(EMU_RXC_MODE) = "complete",
				    RXC_KNOB(EMU_RXC_VLAN) = "included" } },
	{ "rxcsum-complete-padding", { RXC_KNOB(EMU_RXC_MODE) = "complete",
				       RXC_KNOB(EMU_RXC_PADDING) = "included" } },
	{ "rxcsum-inner-unchecked", { RXC_KNOB(EMU_RXC_INNER) = "trusted" } },
	{ "rxcsum-level-off-by-one", { RXC_KNOB(EMU_RXC_LEVEL) = "one-too-high" } },
	{ "rxcsum-none", { RXC_KNOB(EMU_RXC_MODE) = "none" } },
#define RSS_KNOB(k) [EMU_KNOB__MAX + EMU_TSO__MAX + EMU_GRO__MAX + EMU_DIS__MAX + EMU_RXC__MAX + (k)]
	{ "rss-ports-on-fragment", { RSS_KNOB(EMU_RSS_FRAG_PORTS) = "hashed" } },
	{ "rss-outer-tuple", { RSS_KNOB(EMU_RSS_TUNNEL) = "outer" } },
	{ "rss-no-exthdr", { RSS_KNOB(EMU_RSS_EXTHDR) = "not-skipped" } },
	{ "rss-symmetric-xor", { RSS_KNOB(EMU_RSS_XFRM) = "sym-xor" } },
};

static const char *const knob_defaults[NKNOBS] = {
	"final-destination", "parse", "0xffff", "0", "inner",
	"last-segment", "first-segment", "increment", "parse", "replaced",
	"actual", "update", "update",
	"ends-aggregate", "compared", "increment-or-fixed", "compared", "compared",
	"compared", "in-order", "not-coalesced", "first-segment", "0",
	"none", "skipped", "inner", "first-tag", "recorded",
	"unnecessary", "consecutive-valid", "verified", "excluded", "excluded",
	"none", "inner", "skipped", "as-configured",
};

START_TEST(profile_files)
{
	struct ofd_emu_profile_desc d;
	char path[256], err[512] = "";
	int k;

	ck_assert_int_eq(ofd_emu_profile_path(shipped[_i].name, NULL, path,
					      sizeof(path)), 0);
	ck_assert_int_eq(ofd_emu_profile_check(path, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_emu_profile_describe(path, &d, err, sizeof(err)), 0);
	ck_assert_str_eq(d.name, shipped[_i].name);
	ck_assert(d.description[0]);
	ck_assert_uint_eq(d.nknobs, NKNOBS);
	for (k = 0; k < NKNOBS; k++) {
		const char *v = shipped[_i].value[k];

		ck_assert_str_eq(d.knob[k].section, k < EMU_KNOB__MAX ? "knobs" :
				 k < EMU_KNOB__MAX + EMU_TSO__MAX ? "tso" :
				 k < EMU_KNOB__MAX + EMU_TSO__MAX + EMU_GRO__MAX ? "gro" :
				 k < EMU_KNOB__MAX + EMU_TSO__MAX + EMU_GRO__MAX + EMU_DIS__MAX ? "dissect" :
				 k < NKNOBS - EMU_RSS__MAX ? "rx-csum" : "rss");
		ck_assert_str_eq(d.knob[k].value, v ? v : knob_defaults[k]);
		ck_assert_int_eq(d.knob[k].is_default, v == NULL);
	}
}
END_TEST

/* Name or path (ofd_emu.h): a '/' or a ".yaml" suffix makes a path. */
static const struct {
	const char *arg, *dir, *want;
	int ret;
} paths[] = {
	{ "srv6-ipv6-dst", NULL, "specs/profiles/srv6-ipv6-dst.yaml", 0 },
	{ "x", "", "specs/profiles/x.yaml", 0 },
	{ "x", "/etc/emu", "/etc/emu/x.yaml", 0 },
	{ "./x", "/etc/emu", "./x", 0 },
	{ "x.yaml", "/etc/emu", "x.yaml", 0 },
	{ "", NULL, NULL, -EINVAL },
	{ "a-name-that-is-far-too-long-for-a-sixty-four-byte-buffer", NULL,
	  NULL, -ENAMETOOLONG },
};

START_TEST(profile_path)
{
	char p[64];

	ck_assert_int_eq(ofd_emu_profile_path(paths[_i].arg, paths[_i].dir, p,
					      sizeof(p)), paths[_i].ret);
	if (paths[_i].want)
		ck_assert_str_eq(p, paths[_i].want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* open() / info()                                                     */
/* ------------------------------------------------------------------ */

static char warned[1024];

static void capture_print(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	size_t n = strlen(warned);

	if (lvl == OFD_WARN && n < sizeof(warned))
		vsnprintf(warned + n, sizeof(warned) - n, fmt, ap);
}

START_TEST(open_by_name_and_path)
{
	struct ofd_engine_opts opts = { .profile = "short-tail" };
	struct ofd_engine_info info;
	void *priv = NULL;

	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ofd_engine_emu.info(priv, &info);
	ck_assert_str_eq(info.name, "emu");
	ck_assert_str_eq(info.version, "offdiff-emu 1");
	ck_assert_str_eq(info.profile, "short-tail");
	ofd_engine_emu.close(priv);

	opts.profile = "specs/profiles/tunnel-outer.yaml";
	opts.profile_dir = "/nonexistent";
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ofd_engine_emu.info(priv, &info);
	ck_assert_str_eq(info.profile, "tunnel-outer");
	ofd_engine_emu.close(priv);

	opts.profile = NULL;
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ofd_engine_emu.info(priv, &info);
	ck_assert_str_eq(info.profile, "conformant");
	ofd_engine_emu.close(priv);
}
END_TEST

/* Write text as <tmpdir>/<name>.yaml; returns the path in path. */
static void write_tmp_profile(const char *name, const char *text, char *dir,
			      size_t dir_len, char *path, size_t path_len)
{
	FILE *fp;

	ofd_test_mkdtemp(dir, dir_len, "check_emu");
	snprintf(path, path_len, "%s/%s.yaml", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static void remove_tmp_profile(const char *dir, const char *path)
{
	unlink(path);
	rmdir(dir);
}

START_TEST(open_bad_profile)
{
	struct ofd_engine_opts opts = { 0 };
	char dir[64], path[128];
	ofd_print_fn old;
	void *priv = NULL;

	write_tmp_profile("broken", "name: broken\nknobs:\n  tail_windw: 4\n",
			  dir, sizeof(dir), path, sizeof(path));
	old = ofd_set_print(capture_print);
	warned[0] = '\0';
	opts.profile = "broken";
	opts.profile_dir = dir;
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), -EINVAL);
	ck_assert_msg(strstr(warned, "broken.yaml:3:3: ") &&
		      strstr(warned, "tail_windw"), "warning: %s", warned);
	/* One line. */
	ck_assert_ptr_eq(strchr(warned, '\n'), warned + strlen(warned) - 1);

	warned[0] = '\0';
	opts.profile = "no-such-profile";
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), -EINVAL);
	ck_assert_msg(strstr(warned, "no-such-profile"), "warning: %s", warned);
	ofd_set_print(old);
	remove_tmp_profile(dir, path);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The CLI, end to end                                                 */
/* ------------------------------------------------------------------ */

/* Run a shell command; its exit status, stdout+stderr into out. */
static int sh(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	size_t n = 0;
	FILE *fp;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	while (n + 1 < len && fgets(out + n, (int)(len - n), fp))
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(fp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(cli_profile)
{
	const char *bin = ofd_test_offdiff();
	char dir[64], path[128], out[4096];
	size_t i;

	if (access(bin, X_OK)) {
		fprintf(stderr, "check_emu: %s not built, CLI test not run\n", bin);
		return;
	}
	write_tmp_profile("broken", "name: broken\nknobs:\n  zero_checksum: 7\n",
			  dir, sizeof(dir), path, sizeof(path));
	ck_assert_int_eq(sh(out, sizeof(out), "%s profile check %s 2>&1", bin,
			    path), 2);
	ck_assert_msg(strstr(out, "broken.yaml:3:18: zero_checksum"), "%s", out);

	ck_assert_int_eq(sh(out, sizeof(out),
			    "%s profile check specs/profiles/smsc95xx.yaml 2>&1",
			    bin), 0);

	ck_assert_int_eq(sh(out, sizeof(out), "%s profile list 2>&1", bin), 0);
	for (i = 0; i < OFD_ARRAY_SIZE(shipped); i++)
		ck_assert_msg(strstr(out, shipped[i].name), "%s missing: %s",
			      shipped[i].name, out);

	ck_assert_int_eq(sh(out, sizeof(out), "%s profile show smsc95xx 2>&1",
			    bin), 0);
	ck_assert_msg(strstr(out, "zero_checksum: 0x0000\n") &&
		      strstr(out, "tail_window: 4\n") &&
		      strstr(out, "tunnel_checksum: inner  # default"), "%s", out);

	/* A broken file in a listed directory makes list fail, too. */
	ck_assert_int_eq(sh(out, sizeof(out), "%s profile list --dir %s 2>&1",
			    bin, dir), 2);
	remove_tmp_profile(dir, path);
}
END_TEST

static Suite *emu_profile_suite(void)
{
	Suite *s = suite_create("emu_profile");
	TCase *tc;

	tc = tcase_create("profile");
	tcase_add_loop_test(tc, profile_errors, 0, OFD_ARRAY_SIZE(bad_profiles));
	tcase_add_test(tc, profile_compose);
	tcase_add_loop_test(tc, profile_files, 0, OFD_ARRAY_SIZE(shipped));
	tcase_add_loop_test(tc, profile_path, 0, OFD_ARRAY_SIZE(paths));
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_add_test(tc, open_by_name_and_path);
	tcase_add_test(tc, open_bad_profile);
	suite_add_tcase(s, tc);

	tc = tcase_create("cli");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, cli_profile);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(emu_profile_suite)
