// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_toeplitz.c - the RSS hash (oracles/model/toeplitz.c) against
 * Microsoft's RSS verification suite ("Verifying the RSS Hash
 * Calculation", the same table as Intel's 82599 datasheet 7.1.2.8.3): the
 * 40-byte sample key, five IPv4 and three IPv6 flows, each with its
 * 2-tuple (addresses) and 4-tuple (addresses and ports) hash. And the
 * kernel's toeplitz selftest conventions (kernel-rx.md 6): it feeds 36
 * bytes, an IPv4 tuple followed by zeros, under a key of at least 40
 * bytes, which gives the 12-byte tuple's hash; the default indirection
 * table's entry i is i % queues.
 */
#include <string.h>

#include "ofd_test.h"
#include "ofd_toeplitz.h"
#include "rss_test_util.h" /* rt_ms: the table */

static void flow_of(const struct rt_vector *v, struct ofd_rss_flow *f)
{
	memset(f, 0, sizeof(*f));
	f->v6 = v->v6;
	memcpy(f->src, v->src, 16);
	memcpy(f->dst, v->dst, 16);
	f->sport[0] = (uint8_t)(v->sport >> 8);
	f->sport[1] = (uint8_t)v->sport;
	f->dport[0] = (uint8_t)(v->dport >> 8);
	f->dport[1] = (uint8_t)v->dport;
}

#define ALL4 (OFD_RXH_IP_SRC | OFD_RXH_IP_DST | OFD_RXH_L4_B_0_1 | OFD_RXH_L4_B_2_3)

START_TEST(microsoft_vectors)
{
	static struct ofd_toeplitz t;
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_flow f;
	uint8_t in[OFD_RSS_TUPLE_MAX];
	size_t n;

	ck_assert_int_eq(ofd_toeplitz_init(&t, ofd_rss_key_microsoft, 40), 0);
	flow_of(v, &f);
	n = ofd_rss_tuple(&f, OFD_RXH_IP_SRC | OFD_RXH_IP_DST, OFD_RSS_XFRM_NONE, in);
	ck_assert_uint_eq(n, v->v6 ? 32 : 8);
	ck_assert_uint_eq(ofd_toeplitz(ofd_rss_key_microsoft, 40, in, n), v->h2);
	ck_assert_uint_eq(ofd_toeplitz_fast(&t, in, n), v->h2);
	n = ofd_rss_tuple(&f, ALL4, OFD_RSS_XFRM_NONE, in);
	ck_assert_uint_eq(n, v->v6 ? 36 : 12);
	ck_assert_uint_eq(ofd_toeplitz(ofd_rss_key_microsoft, 40, in, n), v->h4);
	ck_assert_uint_eq(ofd_toeplitz_fast(&t, in, n), v->h4);
}
END_TEST

/* The selftest's 36-byte input: trailing zeros change nothing. */
START_TEST(selftest_zero_padded_input)
{
	uint8_t key[52], in[36] = { 0 };
	struct ofd_rss_flow f;
	size_t i, n;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)(i * 37 + 11);
	flow_of(&rt_ms[0], &f);
	n = ofd_rss_tuple(&f, ALL4, OFD_RSS_XFRM_NONE, in);
	ck_assert_uint_eq(n, 12);
	ck_assert_uint_eq(ofd_toeplitz(key, sizeof(key), in, 36),
			  ofd_toeplitz(key, sizeof(key), in, 12));
	/* and a key shorter than input + 4 bytes hashes nothing */
	ck_assert_uint_eq(ofd_toeplitz(key, 39, in, 36), 0);
}
END_TEST

/* Linear in the input (XOR-homomorphic): the property test vectors for
 * other keys are built on; the fast form on random inputs equals the
 * definition. */
START_TEST(linear_and_fast_equals_definition)
{
	static struct ofd_toeplitz t;
	uint8_t key[52], a[36], b[36], x[36];
	uint32_t s = 12345;
	int r, i;

	for (i = 0; i < 52; i++)
		key[i] = (uint8_t)(s = s * 1103515245 + 12345) >> 3;
	ck_assert_int_eq(ofd_toeplitz_init(&t, key, sizeof(key)), 0);
	for (r = 0; r < 1000; r++) {
		for (i = 0; i < 36; i++) {
			a[i] = (uint8_t)((s = s * 1103515245 + 12345) >> 16);
			b[i] = (uint8_t)((s = s * 1103515245 + 12345) >> 16);
			x[i] = a[i] ^ b[i];
		}
		ck_assert_uint_eq(ofd_toeplitz(key, 52, x, 36),
				  ofd_toeplitz(key, 52, a, 36) ^ ofd_toeplitz(key, 52, b, 36));
		ck_assert_uint_eq(ofd_toeplitz_fast(&t, a, 36), ofd_toeplitz(key, 52, a, 36));
	}
}
END_TEST

/* Symmetric transforms (scaling.rst): A->B and B->A hash the same, and
 * the plain hash does not (for the Microsoft flows). */
START_TEST(symmetric_transforms)
{
	struct ofd_rss_flow f, g;
	uint8_t in1[OFD_RSS_TUPLE_MAX], in2[OFD_RSS_TUPLE_MAX];
	enum ofd_rss_xfrm x;
	size_t n1, n2;

	flow_of(&rt_ms[_i], &f);
	g = f;
	memcpy(g.src, f.dst, 16);
	memcpy(g.dst, f.src, 16);
	memcpy(g.sport, f.dport, 2);
	memcpy(g.dport, f.sport, 2);
	n1 = ofd_rss_tuple(&f, ALL4, OFD_RSS_XFRM_NONE, in1);
	n2 = ofd_rss_tuple(&g, ALL4, OFD_RSS_XFRM_NONE, in2);
	ck_assert_uint_ne(ofd_toeplitz(ofd_rss_key_microsoft, 40, in1, n1),
			  ofd_toeplitz(ofd_rss_key_microsoft, 40, in2, n2));
	for (x = OFD_RSS_XFRM_SYM_XOR; x <= OFD_RSS_XFRM_SYM_OR_XOR; x++) {
		n1 = ofd_rss_tuple(&f, ALL4, x, in1);
		n2 = ofd_rss_tuple(&g, ALL4, x, in2);
		ck_assert_uint_eq(n1, n2);
		ck_assert_mem_eq(in1, in2, n1);
	}
	/* SYM_XOR: source and destination parts are both sip ^ dip */
	n1 = ofd_rss_tuple(&f, ALL4, OFD_RSS_XFRM_SYM_XOR, in1);
	ck_assert_uint_eq(in1[0], (uint8_t)(f.src[0] ^ f.dst[0]));
	ck_assert_uint_eq(in1[n1 / 2 - 2], (uint8_t)(f.src[0] ^ f.dst[0]));
}
END_TEST

/* ethtool_rxfh_indir_default and the low-bits index. */
START_TEST(indirection_default)
{
	uint32_t indir[128];

	ofd_rss_indir_default(indir, 128, 6);
	ck_assert_uint_eq(indir[0], 0);
	ck_assert_uint_eq(indir[7], 1);
	ck_assert_uint_eq(indir[127], 127 % 6);
	/* 0x51ccc178 & 127 = 0x78 = 120; 120 % 6 = 0 */
	ck_assert_uint_eq(ofd_rss_queue(indir, 128, 0x51ccc178), 0);
	ck_assert_uint_eq(ofd_rss_queue(indir, 128, 0x323e8fc2), (0x323e8fc2 & 127) % 6);
}
END_TEST

static Suite *toeplitz_suite(void)
{
	Suite *s = suite_create("toeplitz");
	TCase *tc = tcase_create("rss");

	tcase_add_loop_test(tc, microsoft_vectors, 0, RT_NMS);
	tcase_add_test(tc, selftest_zero_padded_input);
	tcase_add_test(tc, linear_and_fast_equals_definition);
	tcase_add_loop_test(tc, symmetric_transforms, 0, RT_NMS);
	tcase_add_test(tc, indirection_default);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(toeplitz_suite)
