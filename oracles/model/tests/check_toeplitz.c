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

struct ms_vector {
	bool v6;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t h2, h4;
};

/* Source first, as the hash input orders them (the Microsoft table lists
 * the destination first). */
static const struct ms_vector ms[] = {
	{ false, { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ false, { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ false, { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024,
	  0xd2d0a5de, 0x5c2b394a },
	{ false, { 38, 27, 205, 30 }, { 209, 142, 163, 6 }, 48228, 2217,
	  0x82989176, 0xafc7327f },
	{ false, { 153, 39, 163, 191 }, { 202, 188, 127, 2 }, 44251, 1303,
	  0x5d1809c5, 0x10e828a2 },
	/* 3ffe:2501:200:1fff::7 -> 3ffe:2501:200:3::1 */
	{ true, { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, [15] = 7 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, [15] = 1 }, 2794, 1766,
	  0x2cc18cd5, 0x40207d3d },
	/* 3ffe:501:8::260:97ff:fe40:efab -> ff02::1 */
	{ true, { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff,
		  0xfe, 0x40, 0xef, 0xab },
	  { 0xff, 0x02, [15] = 1 }, 14230, 4739, 0x0f0c461c, 0xdde51bbf },
	/* 3ffe:1900:4545:3:200:f8ff:fe21:67cf -> fe80::200:f8ff:fe21:67cf */
	{ true, { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff,
		  0xfe, 0x21, 0x67, 0xcf },
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};

static void flow_of(const struct ms_vector *v, struct ofd_rss_flow *f)
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
	const struct ms_vector *v = &ms[_i];
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
	flow_of(&ms[0], &f);
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

	flow_of(&ms[_i], &f);
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

	tcase_add_loop_test(tc, microsoft_vectors, 0, (int)(sizeof(ms) / sizeof(ms[0])));
	tcase_add_test(tc, selftest_zero_padded_input);
	tcase_add_test(tc, linear_and_fast_equals_definition);
	tcase_add_loop_test(tc, symmetric_transforms, 0, (int)(sizeof(ms) / sizeof(ms[0])));
	tcase_add_test(tc, indirection_default);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(toeplitz_suite)
