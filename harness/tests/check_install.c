// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_install.c - offdiff installed as a Debian tool is: `make install
 * DESTDIR=$d PREFIX=/usr` into a temp directory (a build of its own under
 * the temp directory, so the binaries under test stay as they are), then
 * what a user and a packager do with it.
 *
 * Cases:
 *  - run from /: "$d"/usr/bin/offdiff run, in /, with no spec runs the
 *    installed default campaign ($d/usr/share/offdiff/specs/default.yaml,
 *    found beside the binary) and finds the bug profiles' discrepancies
 *    (exit 1, emu:conformant equal on every case); `profile list` from /
 *    lists every installed profile;
 *  - man: `man -l` renders offdiff(8) (NAME, one subsection per object of
 *    the program's own help) and groff -ww warns about nothing;
 *  - pkg-config: with only PKG_CONFIG_PATH into $d (libofd.pc is relative to itself),
 *    `pkg-config --cflags --libs libofd` builds a program that finds the
 *    model engine (ofd_engine_find) and tx-csum's cases and judge tables
 *    (ofd_offload_get: weak references, so only a whole-archive link has
 *    them);
 *  - bash completion: the installed file completes every object of the
 *    help, the verbs of an abbreviated object (eng -> list), options by
 *    prefix, and a directory after --out;
 *  - uninstall: `make uninstall` leaves no file behind;
 *  - licence: every SPDX line in the tree names the expression LICENSE
 *    states, and LICENSE holds both texts;
 *  - packages: `make run` asks only for the build group (no clang, LLVM,
 *    AFL++ or bpftool), `make check` adds Check and the bpf group (the
 *    BPF images its suites load), `make fuzz` asks for
 *    AFL++ (scripts/ensure-deps.sh, read through OFD_DEPS_LIST).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd.h"
#include "ofd_test.h"

static char tmp[64] = "";
static char root[PATH_MAX];
static char dest[PATH_MAX + 8];
static int install_rc = -1;
static char *install_log;

/* Sub-makes must not see the make check's own variables: its command
 * line reaches them through MAKEFLAGS and the environment. */
#define MAKE "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u SANITIZER -u O -u CI make --no-print-directory"

static void install_once(void)
{
	ofd_test_mkdtemp(tmp, sizeof(tmp), "install");
	ck_assert_ptr_nonnull(realpath(OFD_TEST_ROOT, root));
	snprintf(dest, sizeof(dest), "%s/d", tmp);
	install_rc = ofd_test_run(&install_log, true,
				  MAKE " -s -j2 -C %s O=%s/build DESTDIR=%s PREFIX=/usr install",
				  root, tmp, dest);
}

static void remove_tmp(void)
{
	char cmd[128];

	if (tmp[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
		ck_assert_int_eq(system(cmd), 0);
	}
	free(install_log);
}

static void installed(void)
{
	ck_assert_msg(install_rc == 0, "make install: exit %d: %s", install_rc, install_log);
}

static bool have(const char *tool)
{
	char *text;
	int rc = ofd_test_run(&text, true, "command -v %s", tool);

	free(text);
	if (rc)
		fprintf(stderr, "install: %s not installed, its part skipped\n", tool);
	return rc == 0;
}

/* The objects the program's help names ("## <object>" lines; "## offdiff"
 * is the top-level help). */
static char *help_objects(void)
{
	char *text;
	int rc = ofd_test_run(&text, false, "%s/scripts/help-all.sh %s/usr/bin/offdiff | "
				      "sed -n 's/^## //p' | grep -vx offdiff | tr '\\n' ' '", root, dest);

	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strlen(text) > 0, "no objects in the help");
	return text;
}

START_TEST(run_from_root)
{
	char *text, want[PATH_MAX + 64], dir[PATH_MAX];
	json_t *sum, *t;
	size_t i;
	int rc, nconf = 0;

	installed();
	unsetenv("OFFDIFF_DATADIR");
	rc = ofd_test_run(&text, true, "cd / && %s/usr/bin/offdiff run --out %s/reports -q", dest, tmp);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "report: "));
	ck_assert_int_eq(sscanf(strstr(text, "report: ") + 8, "%4095s", dir), 1);
	snprintf(want, sizeof(want), "%s/summary.json", dir);
	sum = json_load_file(want, 0, NULL);
	ck_assert_ptr_nonnull(sum);
	/* the installed copy, found beside the binary */
	snprintf(want, sizeof(want), "%s/usr/share/offdiff/specs/default.yaml", dest);
	ck_assert_str_eq(json_string_value(json_object_get(sum, "spec")), want);
	json_array_foreach(json_object_get(sum, "targets"), i, t) {
		json_t *v = json_object_get(t, "verdicts");

		if (strcmp(json_string_value(json_object_get(t, "label")), "emu:conformant"))
			continue;
		nconf++;
		ck_assert_int_eq(json_integer_value(json_object_get(v, "discrepancy")), 0);
		ck_assert_int_eq(json_integer_value(json_object_get(v, "one-rejected")), 0);
		/* every case compared equal or rejected by both (the kernel
		 * drops some GSO requests at transmit, and so does a device) */
		ck_assert_int_eq(json_integer_value(json_object_get(v, "equal")) +
				 json_integer_value(json_object_get(v, "both-rejected")) +
				 json_integer_value(json_object_get(v, "unsupported")),
				 json_integer_value(json_object_get(t, "cases")));
	}
	ck_assert_int_eq(nconf, 1);
	json_decref(sum);
	free(text);

	/* every installed profile, listed from / */
	rc = ofd_test_run(&text, true, "cd / && n=$(%s/usr/bin/offdiff profile list | wc -l) && "
			  "test $n -eq $(ls %s/usr/share/offdiff/specs/profiles/*.yaml | wc -l) && echo $n",
			  dest, dest);
	ck_assert_msg(rc == 0 && atoi(text) > 1, "exit %d: %s", rc, text);
	free(text);
}
END_TEST

START_TEST(man_page)
{
	char *text, *objs, *o, *save = NULL, want[128];
	int rc;

	installed();
	if (!have("man") || !have("groff"))
		return;
	rc = ofd_test_run(&text, false, "MANWIDTH=80 man -l %s/usr/share/man/man8/offdiff.8", dest);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "OFFDIFF(8)"));
	ck_assert_ptr_nonnull(strstr(text, "\nNAME\n"));
	ck_assert_ptr_nonnull(strstr(text, "\nEXIT STATUS\n"));
	objs = help_objects();
	for (o = strtok_r(objs, " ", &save); o; o = strtok_r(NULL, " ", &save)) {
		snprintf(want, sizeof(want), "\n   %s\n", o);
		ck_assert_msg(strstr(text, want), "no subsection for '%s' in:\n%s", o, text);
	}
	free(objs);
	free(text);
	rc = ofd_test_run(&text, true, "groff -man -Tutf8 -ww -z %s/usr/share/man/man8/offdiff.8",
			  dest);
	ck_assert_msg(rc == 0 && !text[0], "groff: %s", text);
	free(text);
}
END_TEST

START_TEST(pkg_config_links)
{
	static const char prog[] =
		"#include <stdio.h>\n"
		"#include \"ofd_offload.h\"\n"
		"int main(void)\n"
		"{\n"
		"\tconst struct ofd_engine_ops *m = ofd_engine_find(\"model\");\n"
		"\tconst struct ofd_offload_ops *o = ofd_offload_get(OFD_OFFLOAD_TX_CSUM);\n"
		"\tprintf(\"%s %d %d\\n\", m ? m->name : \"-\", o && o->cases, o && o->judge);\n"
		"\treturn !(m && o && o->cases && o->judge);\n"
		"}\n";
	char path[128], *text;
	FILE *f;
	int rc;

	installed();
	snprintf(path, sizeof(path), "%s/t.c", tmp);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(prog, f);
	fclose(f);
	rc = ofd_test_run(&text, true,
			  "export PKG_CONFIG_PATH=%s/usr/lib/pkgconfig && "
			  "cc -o %s/t %s $(pkg-config --cflags --libs libofd) && %s/t",
			  dest, tmp, path, tmp);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_str_eq(text, "model 1 1\n");
	free(text);
}
END_TEST

START_TEST(bash_completion)
{
	static const struct {
		const char *words; /* COMP_WORDS, the last one being completed */
		const char *want;  /* what COMPREPLY must hold, sorted */
	} cases[] = {
		{ "offdiff eng \"\"", "list" },
		{ "offdiff report \"\"", "list matrix show" },
		{ "offdiff report sh", "show" },
		{ "offdiff run --re", "--reference --resume" },
		{ "offdiff run --out /tm", "/tmp" },
		{ "offdiff rep \"\"", "" }, /* replay or report: ambiguous */
	};
	char *text, *objs, *o, *save = NULL, want[64];
	size_t i;
	int rc;

	installed();
	if (!have("bash"))
		return;
	for (i = 0; i < OFD_ARRAY_SIZE(cases) + 1; i++) {
		rc = ofd_test_run(&text, true,
				  "bash --norc --noprofile -c 'source %s/usr/share/bash-completion/completions/offdiff && "
				  "COMP_WORDS=(%s) && COMP_CWORD=$((${#COMP_WORDS[@]} - 1)) && _offdiff && "
				  "printf \"%%s\\n\" \"${COMPREPLY[@]}\" | LC_ALL=C sort | tr \"\\n\" \" \"'",
				  dest, i < OFD_ARRAY_SIZE(cases) ? cases[i].words : "offdiff \"\"");
		ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
		if (i < OFD_ARRAY_SIZE(cases)) {
			snprintf(want, sizeof(want), "%s ", cases[i].want);
			ck_assert_msg(!strcmp(text, want) || (!cases[i].want[0] && !strcmp(text, " ")),
				      "%s: '%s', want '%s'", cases[i].words, text, want);
		} else {
			/* every object, offered after "offdiff " */
			objs = help_objects();
			for (o = strtok_r(objs, " ", &save); o; o = strtok_r(NULL, " ", &save)) {
				snprintf(want, sizeof(want), " %s ", o);
				ck_assert_msg(strstr(text, o) == text || strstr(text, want),
					      "'%s' not offered: %s", o, text);
			}
			free(objs);
		}
		free(text);
	}
}
END_TEST

START_TEST(uninstall)
{
	char *text;
	int rc;

	installed();
	/* on a copy: the other cases keep the installed tree */
	rc = ofd_test_run(&text, true, "cp -a %s %s/u && " MAKE " -s -C %s O=%s/build DESTDIR=%s/u "
			  "PREFIX=/usr uninstall && find %s/u -type f",
			  dest, tmp, root, tmp, tmp, tmp);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_msg(!text[0], "left behind: %s", text);
	free(text);
}
END_TEST

START_TEST(licence_matches_spdx)
{
	char *text;
	int rc;

	/* Every source file and script has an SPDX line, all with the one
	 * expression LICENSE names. */
	rc = ofd_test_run(&text, true, "cd %s && git ls-files '*.c' '*.h' '*.def' '*.sh' Makefile | "
			  "xargs grep -L -E '^(// |/\\* |# )SPDX-License-Identifier: '", OFD_TEST_ROOT);
	ck_assert_msg(!text[0], "no SPDX line: %s", text);
	free(text);
	rc = ofd_test_run(&text, true, "git -C %s grep -h -E '^(// |/\\* |# )SPDX-License-Identifier: ' | "
			  "sed 's/^[^S]*//; s/ *\\*\\/$//' | sort -u", OFD_TEST_ROOT);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(text, "SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only\n");
	free(text);
	rc = ofd_test_run(&text, true,
			  "grep -q 'SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only' %s/LICENSE && "
			  "grep -q 'Redistribution and use in source and binary forms' %s/LICENSE && "
			  "grep -q 'GNU GENERAL PUBLIC LICENSE' %s/LICENSE && "
			  "grep -q 'Version 2, June 1991' %s/LICENSE",
			  OFD_TEST_ROOT, OFD_TEST_ROOT, OFD_TEST_ROOT, OFD_TEST_ROOT);
	ck_assert_msg(rc == 0, "LICENSE lacks a text: %s", text);
	free(text);
}
END_TEST

/* The packages `make -n GOAL` asks scripts/ensure-deps.sh for, one a
 * line between newlines: what the remade $(O)/config.mk and $(O)/check.mk
 * asked for (make -n still remakes included makefiles) and the groups of
 * the ensure-deps.sh lines it would run. */
static char *packages_for(const char *goal)
{
	char *text, *nl;
	int rc = ofd_test_run(&text, true,
			      "cd %s && : > %s.pk && OFD_DEPS_LIST=$PWD/%s.pk " MAKE " -n -C %s O=$PWD/o-%s "
			      "FUZZ_O=$PWD/fz-%s %s >%s.n && cat %s.pk && "
			      "sed -n 's#.*scripts/ensure-deps.sh \\(.*\\)#\\1#p' %s.n | "
			      "xargs -r -n1 %s/scripts/ensure-deps.sh --list",
			      tmp, goal, goal, root, goal, goal, goal, goal, goal, goal, root);

	ck_assert_msg(rc == 0, "make -n %s: exit %d: %s", goal, rc, text);
	ck_assert_int_ge(asprintf(&nl, "\n%s", text), 0);
	free(text);
	return nl;
}

START_TEST(make_run_packages)
{
	static const char *const fuzz_only[] = { "\nclang\n", "\nllvm\n", "\nafl++\n", "\nbpftool\n" };
	char *run, *check, *fuzz;
	size_t i;

	installed();
	run = packages_for("run");
	check = packages_for("check");
	fuzz = packages_for("fuzz");
	ck_assert_msg(strstr(run, "\nlibpcap-dev\n") && strstr(run, "\nbuild-essential\n"), "%s", run);
	for (i = 0; i < OFD_ARRAY_SIZE(fuzz_only); i++)
		ck_assert_msg(!strstr(run, fuzz_only[i]), "make run asks for%s", fuzz_only[i]);
	/* make check builds the BPF images its suites load (issue 21): the
	 * bpf group (clang, llvm, bpftool), never AFL++. */
	ck_assert_msg(!strstr(check, "\nafl++\n"), "make check asks for AFL++: %s", check);
	ck_assert_msg(strstr(check, "\nbpftool\n") && strstr(check, "\nclang\n"),
		      "make check does not ask for the bpf group: %s", check);
	ck_assert_msg(!strstr(run, "\ncheck\n"), "make run asks for Check: %s", run);
	ck_assert_msg(strstr(check, "\ncheck\n"), "make check does not ask for Check: %s", check);
	ck_assert_msg(strstr(fuzz, "\nafl++\n"), "make fuzz does not ask for AFL++: %s", fuzz);
	free(run);
	free(check);
	free(fuzz);
}
END_TEST

static Suite *install_suite(void)
{
	Suite *s = suite_create("install");
	TCase *tc = tcase_create("debian");

	/* one build and install for the whole case (in the parent process) */
	tcase_set_timeout(tc, 300);
	tcase_add_unchecked_fixture(tc, install_once, remove_tmp);
	tcase_add_test(tc, run_from_root);
	tcase_add_test(tc, man_page);
	tcase_add_test(tc, pkg_config_links);
	tcase_add_test(tc, bash_completion);
	tcase_add_test(tc, uninstall);
	tcase_add_test(tc, licence_matches_spdx);
	tcase_add_test(tc, make_run_packages);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(install_suite)
