// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_main.c - runs every registered Check suite.
 *
 * Check's environment applies: CK_RUN_SUITE=<name> / CK_RUN_CASE=<name>
 * select, CK_FORK=no runs in-process (for gdb), CK_TAP_LOG_FILE_NAME=-
 * writes TAP, CK_VERBOSITY=verbose lists every test. Exit status is 0 only when every test passed.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ofd_test.h"

#define MAX_SUITES 256
static ofd_suite_fn suites[MAX_SUITES];
static int nsuites, dropped;

/* A suite past the table would silently never run: counted, and main
 * refuses to report success. */
void ofd_test_register(ofd_suite_fn fn)
{
	if (nsuites < MAX_SUITES)
		suites[nsuites++] = fn;
	else
		dropped++;
}

const char *ofd_test_offdiff(void)
{
	const char *p = getenv("OFFDIFF");

	return p ? p : "build/offdiff";
}

int main(void)
{
	SRunner *sr;
	int i, failed;

	if (!nsuites) {
		fprintf(stderr, "no test suites registered\n");
		return 1;
	}
	if (dropped) {
		fprintf(stderr, "%d test suites past MAX_SUITES (%d): raise it\n", dropped,
			MAX_SUITES);
		return 1;
	}
	sr = srunner_create(suites[0]());
	for (i = 1; i < nsuites; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_ENV); /* CK_VERBOSITY=verbose lists every test */
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
