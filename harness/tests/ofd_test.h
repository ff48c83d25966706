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
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef Suite *(*ofd_suite_fn)(void);
void ofd_test_register(ofd_suite_fn fn);

#define OFD_TEST_SUITE(fn)                                                   \
	__attribute__((constructor)) static void ofd_register_##fn(void)     \
	{                                                                    \
		ofd_test_register(fn);                                       \
	}

/* Path of the built offdiff binary for end-to-end tests ($OFFDIFF). */
const char *ofd_test_offdiff(void);
/* Naive RFC 1071: 16-bit big-endian words added to acc (not folded), and
 * the end-around-carry fold. Independent of csum.c on purpose. */
uint32_t ofd_test_sum(const uint8_t *p, size_t n, uint32_t acc);
uint16_t ofd_test_fold(uint32_t acc);

/* Run a shell command; *text (malloc'd) gets its stdout, and its stderr
 * too with merge_stderr. Returns the exit status, -1 if it did not exit. */
int ofd_test_run(char **text, bool merge_stderr, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * BIG TCP frames (kernel-rx.md 1.9) built with ofd_pktbuild.h, len bytes
 * in all, valid wire checksums, payload byte i = (i * 7) & 0xff:
 *  V4:    eth / ipv4 tot_len 0 / tcp
 *  V6:    eth / ipv6 payload_len 0 / hbh jumbo (RFC 2675) / tcp
 *  VXLAN: eth / ipv4 tot_len 0 / udp len 0, port 4789 / vxlan / eth /
 *         ipv6 jumbo / tcp
 * (any len: below 64 KB the IPv4 forms still say 0 only past 65535).
 * Returns 0 or a negative errno from the builder.
 */
enum ofd_test_big { OFD_TEST_BIG_V4, OFD_TEST_BIG_V6, OFD_TEST_BIG_VXLAN };
int ofd_test_bigtcp(enum ofd_test_big shape, uint32_t len, uint8_t *buf,
		    uint32_t cap);
/* Header bytes before the TCP payload of each shape. */
uint32_t ofd_test_bigtcp_hdrs(enum ofd_test_big shape);

/* A fresh scratch directory "$TMPDIR/ofd-<tag>-XXXXXX" (mkdtemp; /tmp
 * when TMPDIR is unset) into buf; the test fails when it cannot be made. */
void ofd_test_mkdtemp(char *buf, size_t len, const char *tag);

/* Root of the source tree (tests run from it). */
#define OFD_TEST_ROOT "."

#endif
