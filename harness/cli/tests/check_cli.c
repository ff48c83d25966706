// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_cli.c - the command-line grammar, as issue 14 states it, on the
 * built binary ($OFFDIFF):
 *  - every command, object and verb takes -h and --help: help on stdout
 *    naming the command, nothing on stderr, exit 0 (bench without
 *    running the benchmark); an unknown option is one "offdiff:" line on
 *    stderr, nothing on stdout, exit 2;
 *  - `help COMMAND` is that command's help; `help --all` has a "##"
 *    section per command;
 *  - numbers are strict: "abc", "-5", a suffix, 2^64 are exit 2 naming the
 *    option and the value, before anything runs; a valid one still runs;
 *  - a typo gets the nearest name (Damerau distance <= 2), a far one none;
 *  - user values in errors are quoted, capped and kept on one line;
 *  - -V names libpcap, libyaml, OpenSSL and jansson with the versions this
 *    process loads too; -j/-p give JSON jansson parses, listing the
 *    engines libofd knows; --color=never writes no escape codes, always
 *    does (so the never case can fail);
 *  - the ethtool names select an offload (selfcheck --offload tx).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <pcap/pcap.h>
#include <yaml.h>

#include "ofd.h"
#include "ofd_test.h"

static char tmp[64];

static void setup(void)
{
	ofd_test_mkdtemp(tmp, sizeof(tmp), "cli");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, 1);
	size_t n = 0, r;
	char buf[4096];

	ck_assert_ptr_nonnull(f);
	while ((r = fread(buf, 1, sizeof(buf), f)) > 0) {
		s = realloc(s, n + r + 1);
		ck_assert_ptr_nonnull(s);
		memcpy(s + n, buf, r);
		n += r;
		s[n] = '\0';
	}
	fclose(f);
	return s;
}

/* offdiff ARGS with stdout and stderr apart; a 20 s bound catches a
 * command that runs when it should only print help. */
static int cli(char **out, char **err, const char *args)
{
	char errpath[128];
	int rc;

	snprintf(errpath, sizeof(errpath), "%s/stderr", tmp);
	rc = ofd_test_run(out, false, "timeout 20 %s %s 2>%s", ofd_test_offdiff(), args, errpath);
	*err = slurp(errpath);
	return rc;
}

static size_t lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Every command, object and verb issue 14 lists, as typed. */
static const char *const commands[] = {
	"",            "run",          "replay",      "selfcheck",   "corpus",
	"corpus gen",  "corpus stats", "engine",      "engine list", "profile",
	"profile list", "profile show", "profile check", "report",    "report list",
	"report show", "bench",        "version",     "help",
};

START_TEST(help_everywhere)
{
	const char *cmd = commands[_i];
	static const char *const flags[] = { "--help", "-h" };
	char args[128], name[64];
	char *out, *err;
	size_t f;
	int rc;

	snprintf(name, sizeof(name), "offdiff%s%s", cmd[0] ? " " : "", cmd);
	for (f = 0; f < 2; f++) {
		snprintf(args, sizeof(args), "%s %s", cmd, flags[f]);
		rc = cli(&out, &err, args);
		ck_assert_msg(rc == 0, "%s: exit %d: %s", args, rc, err);
		ck_assert_msg(strstr(out, name), "%s: help does not name '%s': %s", args, name, out);
		ck_assert_msg(!err[0], "%s: stderr: %s", args, err);
		/* help, not a run: bench's first line would be its title */
		ck_assert_msg(!strstr(out, "GB/s") && !strstr(out, "junit.xml"), "%s ran: %s",
			      args, out);
		free(out);
		free(err);
	}
}
END_TEST

START_TEST(unknown_option)
{
	const char *cmd = commands[_i];
	char args[128];
	char *out, *err;
	int rc;

	snprintf(args, sizeof(args), "%s --bogus", cmd);
	rc = cli(&out, &err, args);
	ck_assert_msg(rc == 2, "%s: exit %d", args, rc);
	ck_assert_msg(!out[0], "%s: stdout: %s", args, out);
	ck_assert_msg(!strncmp(err, "offdiff: ", 9) && lines(err) == 1 &&
		      err[strlen(err) - 1] == '\n' && strstr(err, "--bogus"),
		      "%s: stderr: '%s'", args, err);
	free(out);
	free(err);
}
END_TEST

START_TEST(help_command)
{
	static const char *const order[] = { "offdiff", "run", "replay", "report", "selfcheck",
					     "corpus", "engine", "profile", "bench", "version",
					     "help" };
	char *run, *help, *err, *all, *p, hdr[64];
	size_t i;

	ck_assert_int_eq(cli(&run, &err, "run --help"), 0);
	free(err);
	ck_assert_int_eq(cli(&help, &err, "help run"), 0);
	ck_assert_str_eq(help, run);
	ck_assert_msg(strstr(help, "--stop-after"), "%s", help);
	free(help);
	free(err);
	ck_assert_int_eq(cli(&help, &err, "help"), 0);
	ck_assert_msg(strcmp(help, run) != 0, "help alone gave run's help");
	free(help);
	free(err);
	/* a typo'd command in help is an error, too */
	ck_assert_int_eq(cli(&help, &err, "help rnu"), 2);
	ck_assert_msg(strstr(err, "did you mean 'run'") && lines(err) == 1, "%s", err);
	free(help);
	free(err);

	ck_assert_int_eq(cli(&all, &err, "help --all"), 0);
	ck_assert_msg(!err[0], "%s", err);
	for (p = all, i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		snprintf(hdr, sizeof(hdr), "## %s\n", order[i]);
		p = strstr(p, hdr);
		ck_assert_msg(p, "'%s' missing or out of order", order[i]);
	}
	/* run's section is run's help */
	ck_assert_ptr_nonnull(strstr(all, run));
	free(all);
	free(err);
	free(run);
}
END_TEST

/* Bad numbers: exit 2 naming the option and the value, nothing run. */
static const struct {
	const char *args, *opt, *val;
} bad_numbers[] = {
	{ "run --stop-after abc", "--stop-after", "'abc'" },
	{ "run --stop-after -5", "--stop-after", "'-5'" },
	{ "run --stop-after=+5", "--stop-after", "'+5'" },
	{ "run --stop-after 5x", "--stop-after", "'5x'" },
	{ "run --stop-after ''", "--stop-after", "''" },
	{ "run --stop-after 99999999999999999999999", "--stop-after", "'99999999999999999999999'" },
	{ "selfcheck --random abc", "--random", "'abc'" },
	{ "selfcheck --random -1", "--random", "'-1'" },
	{ "selfcheck -n 1.5", "--random", "'1.5'" },
	{ "selfcheck --seed x", "--seed", "'x'" },
	{ "selfcheck --seed 18446744073709551616", "--seed", "'18446744073709551616'" },
};

START_TEST(numbers_strict)
{
	char args[256], *out, *err;
	int rc;

	snprintf(args, sizeof(args), "%s --out %s", bad_numbers[_i].args, tmp);
	rc = cli(&out, &err, args);
	ck_assert_msg(rc == 2, "%s: exit %d: %s", args, rc, out);
	ck_assert_msg(!out[0], "%s: ran: %s", args, out);
	ck_assert_msg(!strncmp(err, "offdiff: ", 9) && lines(err) == 1 &&
		      strstr(err, bad_numbers[_i].opt) && strstr(err, bad_numbers[_i].val),
		      "%s: stderr: '%s'", args, err);
	free(out);
	free(err);
}
END_TEST

/* The strict parser still takes a number: the run stops where told. */
START_TEST(numbers_valid)
{
	char args[256], *out, *err;
	int rc;

	snprintf(args, sizeof(args), "run -t emu:conformant --stop-after 5 --out %s", tmp);
	rc = cli(&out, &err, args);
	ck_assert_msg(rc == 0, "exit %d: %s%s", rc, out, err);
	ck_assert_msg(strstr(out, "stopped after case 5 of "), "%s", out);
	free(out);
	free(err);
}
END_TEST

static const struct {
	const char *args, *want;
} typos[] = {
	{ "rnu", "offdiff: unknown command 'rnu'; did you mean 'run'?\n" },
	{ "replya x", "offdiff: unknown command 'replya'; did you mean 'replay'?\n" },
	{ "engine lsit", "offdiff: engine: unknown verb 'lsit'; did you mean 'list'?\n" },
	{ "run --stop-aftr 3", "offdiff: run: unknown option '--stop-aftr'; did you mean '--stop-after'?\n" },
	{ "profile list --dri x", "offdiff: profile list: unknown option '--dri'; did you mean '--dir'?\n" },
	{ "--jsno engine list", "offdiff: unknown option '--jsno'; did you mean '--json'?\n" },
	{ "selfcheck --offload tx-csm", "offdiff: selfcheck: --offload: unknown offload 'tx-csm'; did you mean 'tx-csum'?\n" },
	/* three edits away: no guess */
	{ "xyzzy", "offdiff: unknown command 'xyzzy'\n" },
};

START_TEST(suggestions)
{
	char *out, *err;

	ck_assert_int_eq(cli(&out, &err, typos[_i].args), 2);
	ck_assert_str_eq(err, typos[_i].want);
	ck_assert_str_eq(out, "");
	free(out);
	free(err);
}
END_TEST

/* A user's value in an error: quoted, capped, one line. */
START_TEST(quoted_values)
{
	char args[512], *out, *err;
	int i;

	memset(args, 0, sizeof(args));
	for (i = 0; i < 300; i++)
		args[i] = 'x';
	ck_assert_int_eq(cli(&out, &err, args), 2);
	ck_assert_msg(lines(err) == 1 && strlen(err) < 120 && strstr(err, "...'"), "%s", err);
	free(out);
	free(err);
	ck_assert_int_eq(cli(&out, &err, "\"$(printf 'ru\\nn')\""), 2);
	ck_assert_msg(lines(err) == 1 && strstr(err, "'ru\\nn'"), "%s", err);
	free(out);
	free(err);
}
END_TEST

START_TEST(version_libraries)
{
	const char *want[] = { pcap_lib_version(), yaml_get_version_string(),
			       OpenSSL_version(OPENSSL_VERSION), jansson_version_str() };
	const char *names[] = { "libpcap", "libyaml", "OpenSSL", "jansson" };
	char *out, *err, *out2;
	json_error_t je;
	json_t *j;
	size_t i;

	ck_assert_int_eq(cli(&out, &err, "-V"), 0);
	ck_assert_msg(!strncmp(out, "offdiff ", 8), "%s", out);
	for (i = 0; i < 4; i++) {
		ck_assert_msg(strstr(out, names[i]), "%s missing: %s", names[i], out);
		ck_assert_msg(strstr(out, want[i]), "%s missing: %s", want[i], out);
	}
	free(err);
	ck_assert_int_eq(cli(&out2, &err, "version"), 0);
	ck_assert_str_eq(out, out2);
	free(out2);
	free(err);
	free(out);

	ck_assert_int_eq(cli(&out, &err, "-j -V"), 0);
	j = json_loads(out, 0, &je);
	ck_assert_msg(j, "%s: %s", je.text, out);
	ck_assert_str_eq(json_string_value(json_object_get(j, "jansson")), jansson_version_str());
	ck_assert_str_eq(json_string_value(json_object_get(j, "libpcap")), pcap_lib_version());
	json_decref(j);
	free(out);
	free(err);
}
END_TEST

/* -j before the object, --json after the verb, -p: the same engines. */
static const char *const json_forms[] = { "-j engine list", "engine list --json",
					  "-p engine list", "engine -j list" };

START_TEST(json_engine_list)
{
	const struct ofd_engine_ops *const *e;
	char *out, *err;
	json_error_t je;
	json_t *j, *v;
	size_t n, i, k;
	bool found;

	ck_assert_int_eq(cli(&out, &err, json_forms[_i]), 0);
	j = json_loads(out, 0, &je);
	ck_assert_msg(json_is_array(j), "%s: %s", je.text, out);
	/* compact unless --pretty */
	ck_assert_int_eq(lines(out) == 1, strncmp(json_forms[_i], "-p", 2) != 0);
	e = ofd_engine_list(&n);
	ck_assert_uint_eq(json_array_size(j), n);
	for (i = 0; i < n; i++) {
		found = false;
		json_array_foreach(j, k, v)
			found |= !strcmp(json_string_value(json_object_get(v, "name")) ?: "",
					 e[i]->name);
		ck_assert_msg(found, "%s missing: %s", e[i]->name, out);
	}
	json_decref(j);
	free(out);
	free(err);
}
END_TEST

START_TEST(color)
{
	static const char *const never[] = { "--color=never", "--color never", "" };
	char args[256], *out, *err;
	size_t i;

	/* always: the verdict word is colored (else "never" proves nothing) */
	ck_assert_int_eq(cli(&out, &err, "--color=always profile check specs/profiles/smsc95xx.yaml"),
			 0);
	ck_assert_msg(strchr(out, '\033'), "%s", out);
	free(out);
	free(err);
	/* never, and auto when stdout is a pipe */
	for (i = 0; i < 3; i++) {
		snprintf(args, sizeof(args), "%s profile check specs/profiles/smsc95xx.yaml", never[i]);
		ck_assert_int_eq(cli(&out, &err, args), 0);
		ck_assert_msg(!strchr(out, '\033') && strstr(out, "ok"), "%s: %s", args, out);
		free(out);
		free(err);
	}
	ck_assert_int_eq(cli(&out, &err, "--color=blue engine list"), 2);
	ck_assert_msg(lines(err) == 1 && strstr(err, "'blue'"), "%s", err);
	free(out);
	free(err);
}
END_TEST

/*
 * ethtool's names select the offload (offloads.def): tx and
 * tx-checksumming are tx-csum, so selfcheck gets as far as comparing
 * nothing (exit 4); rss (receive-hashing) is a known offload without a
 * model (2, named).
 */
START_TEST(offload_aliases)
{
	static const char *const tx[] = { "tx-csum", "tx-checksumming", "tx" };
	char args[256], *out, *err;
	size_t i;

	for (i = 0; i < 3; i++) {
		snprintf(args, sizeof(args),
			 "selfcheck --offload %s --no-corpus --reference model --out %s -q", tx[i], tmp);
		ck_assert_msg(cli(&out, &err, args) == 4, "%s: %s", args, err);
		ck_assert_msg(strstr(err, "nothing compared"), "%s: %s", args, err);
		free(out);
		free(err);
	}
	/* ethtool's name reaches the offload: rss, which the kernel engine
	 * cannot observe (tun sets no hash), is refused by that name */
	snprintf(args, sizeof(args), "selfcheck --offload receive-hashing --out %s", tmp);
	ck_assert_int_eq(cli(&out, &err, args), 2);
	ck_assert_msg(strstr(err, "offload rss: the kernel engine cannot observe it"), "%s", err);
	free(out);
	free(err);
	ck_assert_int_eq(cli(&out, &err, "--help"), 0);
	ck_assert_msg(strstr(out, "tx-checksumming") && strstr(out, "receive-hashing"), "%s", out);
	free(out);
	free(err);
}
END_TEST

/* -q: the report line and the result, no header. */
START_TEST(quiet_run)
{
	char args[256], *out, *err;

	snprintf(args, sizeof(args), "-q run -t emu:conformant --stop-after 3 --out %s", tmp);
	ck_assert_int_eq(cli(&out, &err, args), 0);
	ck_assert_msg(strstr(out, "report: ") && !strstr(out, " frames from ") &&
		      !strstr(out, "reference ") && !strstr(out, "equal"), "%s", out);
	free(out);
	free(err);
}
END_TEST

static Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("grammar");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, help_everywhere, 0, sizeof(commands) / sizeof(commands[0]));
	tcase_add_loop_test(tc, unknown_option, 0, sizeof(commands) / sizeof(commands[0]));
	tcase_add_test(tc, help_command);
	tcase_add_loop_test(tc, numbers_strict, 0, sizeof(bad_numbers) / sizeof(bad_numbers[0]));
	tcase_add_test(tc, numbers_valid);
	tcase_add_loop_test(tc, suggestions, 0, sizeof(typos) / sizeof(typos[0]));
	tcase_add_test(tc, quoted_values);
	tcase_add_test(tc, version_libraries);
	tcase_add_loop_test(tc, json_engine_list, 0, sizeof(json_forms) / sizeof(json_forms[0]));
	tcase_add_test(tc, color);
	tcase_add_test(tc, offload_aliases);
	tcase_add_test(tc, quiet_run);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(cli_suite)
