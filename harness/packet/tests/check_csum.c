// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_csum.c - checksum primitives.
 *
 * Cases:
 *  - RFC 1071 section 3 worked example (sum 0xddf2);
 *  - RFC 1624 section 4 incremental update example (HC' = 0x0000);
 *  - every length 0..300 at every alignment 0..7 against a naive
 *    big-endian 16-bit summation written here;
 *  - csum_block_add at odd and even split points;
 *  - TCP checksums the kernel produced (kernel-tx.md 10.6, probe T1:
 *    0xc828, 0xe2de, 0x7c52) recomputed from pseudo-header + segment;
 *  - CRC32c test vectors of RFC 3720 appendix B.4.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_test.h"


START_TEST(rfc1071_example)
{
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	ck_assert_uint_eq(ofd_fold16(ofd_csum_partial(b, sizeof(b), 0)), 0xddf2);
	ck_assert_uint_eq(ofd_inet_csum(b, sizeof(b)), 0x220d);
}
END_TEST

START_TEST(rfc1624_example)
{
	/* HC = 0xdd2f; field m = 0x5555 becomes m' = 0x3285: HC' = 0x0000 */
	uint32_t c = (uint16_t)~0xdd2f;

	c = ofd_csum_sub(c, 0x5555);
	c = ofd_csum_add(c, 0x3285);
	ck_assert_uint_eq(ofd_csum_fold(c), 0x0000);
}
END_TEST

START_TEST(odd_byte_is_high_byte)
{
	static const uint8_t b[] = { 0x01 };

	ck_assert_uint_eq(ofd_fold16(ofd_csum_partial(b, 1, 0)), 0x0100);
}
END_TEST

START_TEST(sweep_lengths_alignments)
{
	uint8_t *buf = malloc(320);
	size_t len, al, i;

	for (i = 0; i < 320; i++)
		buf[i] = (uint8_t)(i * 151 + 7 + (i >> 3));
	for (al = 0; al < 8; al++)
		for (len = 0; len + al <= 308; len++) {
			uint32_t got = ofd_fold16(ofd_csum_partial(buf + al, len, 0));
			uint32_t want = ofd_test_fold(ofd_test_sum(buf + al, len, 0));

			/* 0x0000 and 0xffff are the same ones'-complement zero
			 * only for all-zero input, which this buffer is not */
			ck_assert_msg(got == want, "len %zu align %zu: %04x != %04x", len,
				      al, got, want);
		}
	/* all 0xff: the sum is 0xffff, never folds to 0 */
	memset(buf, 0xff, 64);
	ck_assert_uint_eq(ofd_fold16(ofd_csum_partial(buf, 64, 0)), 0xffff);
	free(buf);
}
END_TEST

START_TEST(block_add_split)
{
	uint8_t buf[101];
	size_t i, split;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i * 37 + 1);
	for (split = 0; split <= sizeof(buf); split++) {
		uint32_t a = ofd_csum_partial(buf, split, 0);
		uint32_t b = ofd_csum_partial(buf + split, sizeof(buf) - split, 0);

		ck_assert_uint_eq(ofd_fold16(ofd_csum_block_add(a, b, split)),
				  ofd_test_fold(ofd_test_sum(buf, sizeof(buf), 0)));
	}
}
END_TEST

/*
 * kernel-tx.md 10.6 probe T1: TCPv4 10.0.0.1:1000 -> 10.0.0.2:2000,
 * ack 1, window 65535, payload byte i = (i*7)&0xff; segmented by the
 * kernel into three segments whose TCP checksums it wrote as below.
 */
static const struct {
	uint32_t seq;
	uint8_t flags;
	uint32_t first, len;
	uint16_t csum;
} t1[] = {
	{ 100000, 0x90, 0, 1000, 0xc828 },
	{ 101000, 0x10, 1000, 1000, 0xe2de },
	{ 102000, 0x19, 2000, 500, 0x7c52 },
};

START_TEST(kernel_t1_tcp_checksums)
{
	static const uint8_t s[4] = { 10, 0, 0, 1 }, d[4] = { 10, 0, 0, 2 };
	uint8_t seg[20 + 1000];
	uint32_t i, sum;

	memset(seg, 0, 20);
	ofd_put_be16(seg, 1000);
	ofd_put_be16(seg + 2, 2000);
	ofd_put_be32(seg + 4, t1[_i].seq);
	ofd_put_be32(seg + 8, 1);
	seg[12] = 5 << 4;
	seg[13] = t1[_i].flags;
	ofd_put_be16(seg + 14, 65535);
	for (i = 0; i < t1[_i].len; i++)
		seg[20 + i] = (uint8_t)((t1[_i].first + i) * 7);
	sum = ofd_pseudo_v4(s, d, 20 + t1[_i].len, 6);
	sum = ofd_csum_add(sum, ofd_csum_partial(seg, 20 + t1[_i].len, 0));
	ck_assert_uint_eq(ofd_csum_fold(sum), t1[_i].csum);
}
END_TEST

START_TEST(crc32c_rfc3720)
{
	uint8_t b[48];
	int i;

	/* RFC 3720 B.4: 32 bytes of zeros, of ones, incrementing, decrementing */
	memset(b, 0, 32);
	ck_assert_uint_eq(~ofd_crc32c(0xffffffffu, b, 32), 0x8a9136aa);
	memset(b, 0xff, 32);
	ck_assert_uint_eq(~ofd_crc32c(0xffffffffu, b, 32), 0x62a8ab43);
	for (i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	ck_assert_uint_eq(~ofd_crc32c(0xffffffffu, b, 32), 0x46dd794e);
	for (i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	ck_assert_uint_eq(~ofd_crc32c(0xffffffffu, b, 32), 0x113fdb5c);
	/* split computation equals one pass */
	for (i = 0; i < 48; i++)
		b[i] = (uint8_t)(i * 13);
	ck_assert_uint_eq(ofd_crc32c(ofd_crc32c(0xffffffffu, b, 19), b + 19, 29),
			  ofd_crc32c(0xffffffffu, b, 48));
}
END_TEST

/* Bit by bit, as RFC 3309 appendix describes the CRC: the reference for
 * the table and SSE4.2 versions at every length and alignment. */
static uint32_t crc32c_bitwise(uint32_t crc, const uint8_t *p, size_t n)
{
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0);
	}
	return crc;
}

START_TEST(crc32c_long_buffers)
{
	static const size_t lens[] = { 0, 1, 7, 8, 9, 1023, 3071, 3072, 3073, 6144,
				       9000, 9001, 65535 };
	uint8_t *b = malloc(65536 + 8);
	size_t i, al;

	for (i = 0; i < 65536 + 8; i++)
		b[i] = (uint8_t)(i * 131 + (i >> 7));
	for (i = 0; i < OFD_ARRAY_SIZE(lens); i++)
		for (al = 0; al < 3; al++)
			ck_assert_msg(ofd_crc32c(0xffffffffu, b + al, lens[i]) ==
					      crc32c_bitwise(0xffffffffu, b + al, lens[i]),
				      "len %zu align %zu", lens[i], al);
	free(b);
}
END_TEST

static Suite *csum_suite(void)
{
	Suite *s = suite_create("csum");
	TCase *tc = tcase_create("primitives");

	tcase_add_test(tc, rfc1071_example);
	tcase_add_test(tc, rfc1624_example);
	tcase_add_test(tc, odd_byte_is_high_byte);
	tcase_add_test(tc, sweep_lengths_alignments);
	tcase_add_test(tc, block_add_split);
	tcase_add_loop_test(tc, kernel_t1_tcp_checksums, 0, OFD_ARRAY_SIZE(t1));
	tcase_add_test(tc, crc32c_rfc3720);
	tcase_add_test(tc, crc32c_long_buffers);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(csum_suite)
