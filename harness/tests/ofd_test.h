/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_test.h - how a Check suite joins the test binary.
 *
 * Each tests/check_<module>.c ends with OFD_TEST_SUITE(<module>_suite); a
 * constructor adds the suite to the list check_main.c runs, so adding a test
 * file needs no edit anywhere else.
 */
#ifndef OFD_TEST_H
#define OFD_TEST_H

#include <check.h>

typedef Suite *(*ofd_suite_fn)(void);
void ofd_test_register(ofd_suite_fn fn);

#define OFD_TEST_SUITE(fn)                                                   \
	__attribute__((constructor)) static void ofd_register_##fn(void)     \
	{                                                                    \
		ofd_test_register(fn);                                       \
	}

/* Path of the built offdiff binary for end-to-end tests ($OFFDIFF). */
const char *ofd_test_offdiff(void);
/* Root of the source tree (tests run from it). */
#define OFD_TEST_ROOT "."

#endif
