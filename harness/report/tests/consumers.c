// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * consumers.c - run a report's readers on it (see ofd_consumers.h).
 *
 * The schema is tests/data/junit.xsd: the JUnit format as Jenkins' junit
 * and xUnit plugins read it, written for these tests (xUnit's own
 * junit-10.xsd is not ours to ship); it requires what those readers
 * require, e.g. "errors" on every testsuite.
 * kunit.py comes from Debian's linux-source package: its tarball's
 * tools/testing/kunit is extracted once per build directory.
 */
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_consumers.h"
#include "ofd_test.h"

#define XSD "harness/report/tests/data/junit.xsd"

static long xpath_sum(const char *file, const char *expr)
{
	char *text;
	long v;
	int rc = ofd_test_run(&text, false, "xmllint --xpath '%s' %s", expr, file);

	ck_assert_msg(rc == 0, "xmllint --xpath '%s' %s: exit %d", expr, file, rc);
	v = strtol(text, NULL, 10);
	free(text);
	return v;
}

void ofd_consumer_junit(const char *run_dir, struct ofd_junit_totals *out)
{
	char file[PATH_MAX], *text;
	int rc;

	snprintf(file, sizeof(file), "%s/junit.xml", run_dir);
	rc = ofd_test_run(&text, true, "xmllint --noout --schema " XSD " %s", file);
	ck_assert_msg(rc == 0, "xmllint --schema %s: exit %d: %s", XSD, rc, text);
	free(text);
	out->tests = xpath_sum(file, "sum(//testsuite/@tests)");
	out->failures = xpath_sum(file, "sum(//testsuite/@failures)");
	out->errors = xpath_sum(file, "sum(//testsuite/@errors)");
	out->skipped = xpath_sum(file, "sum(//testsuite/@skipped)");
	/* the totals on <testsuites> and the test cases themselves agree */
	ck_assert_int_eq(xpath_sum(file, "number(/testsuites/@tests)"), out->tests);
	ck_assert_int_eq(xpath_sum(file, "number(/testsuites/@failures)"), out->failures);
	ck_assert_int_eq(xpath_sum(file, "number(/testsuites/@errors)"), out->errors);
	ck_assert_int_eq(xpath_sum(file, "count(//testcase)"), out->tests);
	ck_assert_int_eq(xpath_sum(file, "count(//testcase[failure])"), out->failures);
	ck_assert_int_eq(xpath_sum(file, "count(//testcase[error])"), out->errors);
	ck_assert_int_eq(xpath_sum(file, "count(//testcase[skipped])"), out->skipped);
}

/* tools/testing/kunit of the newest linux-source tarball, extracted under
 * the build directory; NULL when the package is not installed. */
static const char *kunit_dir(void)
{
	static char dir[PATH_MAX];
	char *text, build[PATH_MAX], *slash;
	glob_t g;
	int rc;

	if (glob("/usr/src/linux-source-*.tar.xz", 0, NULL, &g) || !g.gl_pathc) {
		globfree(&g);
		return NULL;
	}
	snprintf(build, sizeof(build), "%s", ofd_test_offdiff());
	slash = strrchr(build, '/');
	if (slash)
		*slash = '\0';
	else
		snprintf(build, sizeof(build), ".");
	/* kunit.py wants to live in a kernel tree: it chdirs to the root
	 * above tools/testing/kunit (so the KTAP path given is absolute). */
	snprintf(dir, sizeof(dir), "%s/kunit/tools/testing/kunit", build);
	rc = ofd_test_run(&text, true,
			  "test -f %s/kunit.py || { rm -rf %s/kunit %s/kunit.tmp && mkdir -p %s/kunit.tmp && "
			  "tar -xJf %s -C %s/kunit.tmp --strip-components=1 --wildcards "
			  "'*/tools/testing/kunit/*.py' && mv %s/kunit.tmp %s/kunit; }",
			  dir, build, build, build, g.gl_pathv[g.gl_pathc - 1], build, build, build);
	globfree(&g);
	ck_assert_msg(rc == 0, "extracting kunit: %s", text);
	free(text);
	return dir;
}

static long count_of(const char *text, const char *what)
{
	const char *p = strstr(text, what);

	return p ? strtol(p + strlen(what), NULL, 10) : 0;
}

bool ofd_consumer_ktap(const char *run_dir, const struct ofd_junit_totals *j)
{
	const char *kd = kunit_dir();
	char *text, abs[PATH_MAX];
	const char *line;
	long ran, failed, skipped, passed;
	int rc;

	if (!kd) {
		fprintf(stderr, "consumers: kunit.py parse skipped: no /usr/src/linux-source-*.tar.xz "
				"(apt-get install linux-source)\n");
		return false;
	}
	ck_assert_ptr_nonnull(realpath(run_dir, abs));
	rc = ofd_test_run(&text, true, "cd %s && python3 kunit.py parse %s/results.ktap", kd, abs);
	line = strstr(text, "Testing complete. ");
	ck_assert_msg(line, "kunit.py parse exit %d: %s", rc, text);
	ck_assert_msg(!strstr(text, "[ERROR]") && !strstr(line, "errors:") &&
		      !strstr(line, "crashed:"), "kunit.py parse found errors: %s", text);
	ran = count_of(line, "Ran ");
	passed = count_of(line, "passed: ");
	failed = count_of(line, "failed: ");
	skipped = count_of(line, "skipped: ");
	ck_assert_msg(ran == j->tests && failed == j->failures + j->errors &&
		      skipped == j->skipped && passed == ran - failed - skipped,
		      "kunit.py: %s; junit: %ld tests, %ld failures, %ld errors, %ld skipped",
		      line, j->tests, j->failures, j->errors, j->skipped);
	/* kunit.py succeeds only when something passed and nothing failed */
	ck_assert_int_eq(rc, failed || !passed ? 1 : 0);
	free(text);
	return true;
}
