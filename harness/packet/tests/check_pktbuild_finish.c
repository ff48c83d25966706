// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_pktbuild_finish.c - packet builders (harness/packet/build.c):
 * finishing, and the checksums it stores.
 *
 * Every checksum is re-derived by plain 16-bit summation (RFC 1071
 * section 4.1's loop) and a bitwise CRC32c (pktbuild_test_util.h), never
 * through ofd_csum.h, so a shared mistake cannot hide. The header bytes
 * and layer stacks are tested in check_pktbuild.c (suite pktbuild).
 *
 * Cases:
 *  vectors:   the IPv4 header example 4500 0073 0000 4000 4011 .... c0a8
 *             0001 c0a8 00c7 whose checksum is 0xb861 (RFC 1071 sum by
 *             hand); a 2-byte UDP datagram 10.0.0.1:1000 -> 10.0.0.2:2000
 *             with payload 00 07 whose checksum is 0xe018, and a bare TCP
 *             segment (seq 100000, ack 1, ACK|PSH, window 65535) whose
 *             checksum is 0x0970, both summed by hand in the comments;
 *             RFC 3720 B.4 CRC32c vectors, and an SCTP packet of 32 zero
 *             bytes whose stored CRC must read aa 36 91 8a.
 *  srh:       the checksum verifies against segment[0] and not against
 *             the IPv6 destination when segments-left > 0 (RFC 8200 8.1).
 *  zero:      ofd_pktb_zero_sum makes the true checksum 0, stored 0xffff
 *             (kernel-tx.md 2.2: every protocol), and refuses bad offsets.
 *  modes:     SEED stores fold16(pseudo) (kernel-tx.md 1), ZERO 0, KEEP
 *             leaves the bytes; finish is idempotent.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ofd.h"
#include "ofd_test.h"
#include "ofd_pktbuild.h"
#include "pktbuild_test_util.h"

/* ---- vectors ----------------------------------------------------- */

START_TEST(test_ipv4_vector)
{
	static const uint8_t want[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	static const uint8_t s[4] = { 192, 168, 0, 1 }, d[4] = { 192, 168, 0, 199 };
	struct ofd_pktb_ipv4_opts o = { .saddr = s, .daddr = d, .id = 0,
					.proto = 17 };
	uint8_t buf[256];
	struct ofd_pktb b;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ck_assert_int_eq(ofd_pktb_ipv4(&b, &o), 0);
	ck_assert_int_eq(ofd_pktb_bytes(&b, NULL, 0x73 - 20), 1);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_eq(b.len, 0x73);
	ck_assert_mem_eq(buf, want, sizeof(want));
}
END_TEST

/*
 * UDP 10.0.0.1:1000 -> 10.0.0.2:2000, payload 00 07 (the probe pattern).
 * Pseudo: 0a00+0001+0a00+0002+0011+000a = 0x141e.
 * UDP:    03e8+07d0+000a+0000+0007       = 0x0bc9.
 * Sum 0x1fe7, checksum ~0x1fe7 = 0xe018.
 *
 * TCP 1000 -> 2000, seq 0x000186a0, ack 1, doff 5, ACK|PSH, win 0xffff:
 * 03e8+07d0+0001+86a0+0000+0001+5018+ffff+0000+0000 = 0x1e271 -> 0xe272;
 * pseudo 0a00+0001+0a00+0002+0006+0014 = 0x141d; 0xe272+0x141d = 0xf68f;
 * checksum 0x0970.
 */
START_TEST(test_l4_vectors)
{
	uint8_t buf[256];
	struct ofd_pktb b;
	int l4;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	l4 = ofd_pktb_udp(&b, 1000, 2000);
	ofd_pktb_payload(&b, 2);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_eq(b.len, 14 + 20 + 8 + 2);
	ck_assert_uint_eq(buf[42], 0x00);
	ck_assert_uint_eq(buf[43], 0x07);
	ck_assert_uint_eq(rd16(buf + 16), 30);                 /* tot_len */
	ck_assert_uint_eq(rd16(buf + 14 + 9 - 1) & 0xff, 17);  /* protocol */
	ck_assert_uint_eq(rd16(buf + b.layer[l4].off + 4), 10); /* UDP len */
	ck_assert_uint_eq(rd16(buf + b.layer[l4].off + 6), 0xe018);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(buf + 14, 20, 0)), 0xffff);

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	l4 = ofd_pktb_tcp(&b, NULL);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_eq(rd16(buf + b.layer[l4].off + 16), 0x0970);
}
END_TEST

/* RFC 3720 B.4: 32 bytes each, CRC as transmitted (little endian). */
static const struct {
	uint8_t kind; /* 0 zeros, 1 ones, 2 incrementing, 3 decrementing */
	uint32_t crc;
} crc_vectors[] = {
	{ 0, 0x8a9136aa }, { 1, 0x62a8ab43 }, { 2, 0x46dd794e }, { 3, 0x113fdb5c },
};

START_TEST(test_crc32c_vector)
{
	uint8_t v[32];
	int i;

	for (i = 0; i < 32; i++)
		v[i] = crc_vectors[_i].kind == 0 ? 0 :
		       crc_vectors[_i].kind == 1 ? 0xff :
		       crc_vectors[_i].kind == 2 ? (uint8_t)i : (uint8_t)(31 - i);
	ck_assert_uint_eq(crc32c_bitwise(v, 32), crc_vectors[_i].crc);
}
END_TEST

/* An SCTP common header with ports 0, vtag 0 and 20 zero bytes: the CRC
 * runs over 32 zero bytes (the field counts as zero), RFC 3720 B.4. */
START_TEST(test_sctp_vector)
{
	static const uint8_t want[4] = { 0xaa, 0x36, 0x91, 0x8a };
	uint8_t buf[64];
	struct ofd_pktb b;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ck_assert_int_eq(ofd_pktb_sctp(&b, 0, 0, 0), 0);
	ofd_pktb_bytes(&b, NULL, 20);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_mem_eq(buf + 8, want, 4);
}
END_TEST

/* ---- SRH final destination --------------------------------------- */

START_TEST(test_srh_final_dst)
{
	uint8_t buf[512];
	struct ofd_pktb b;
	const uint8_t *ip = buf + 14;
	uint32_t l4len, acc_final, acc_dst;
	int l4;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_srh(&b, seg, 2, 1);
	l4 = ofd_pktb_tcp(&b, NULL);
	ofd_pktb_payload(&b, 100);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_mem_eq(ip + 24, seg[1], 16);
	l4len = b.len - b.layer[l4].off;
	acc_final = ofd_test_sum(buf + b.layer[l4].off, l4len,
			      pseudo(ip, seg[0], l4len, 6));
	acc_dst = ofd_test_sum(buf + b.layer[l4].off, l4len,
			    pseudo(ip, NULL, l4len, 6));
	ck_assert_uint_eq(ofd_test_fold(acc_final), 0xffff);
	ck_assert_uint_ne(ofd_test_fold(acc_dst), 0xffff);
}
END_TEST

/* ---- zero sums --------------------------------------------------- */

static const struct {
	bool v6;
	uint8_t l4; /* M_TCP, M_UDP, M_ICMP */
	uint32_t plen;
} zero_cases[] = {
	{ false, M_UDP, 32 }, { true, M_UDP, 32 }, { false, M_TCP, 32 },
	{ true, M_TCP, 2 }, { false, M_ICMP, 10 }, { true, M_ICMP, 3 },
	{ false, M_UDP, 9 },
};

START_TEST(test_zero_sum)
{
	uint8_t buf[256];
	struct ofd_pktb b;
	const uint8_t *p;
	uint32_t acc, n, ps;
	int l4, fo;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	build_ip(&b, zero_cases[_i].v6, false);
	l4 = zero_cases[_i].l4 == M_TCP ? ofd_pktb_tcp(&b, NULL) :
	     zero_cases[_i].l4 == M_UDP ? ofd_pktb_udp(&b, 7, 9) :
					  ofd_pktb_icmp_echo(&b, 1, 1);
	ofd_pktb_payload(&b, zero_cases[_i].plen);
	fo = ofd_pktb_csum_offset(&b, l4);
	ck_assert_int_eq(fo, zero_cases[_i].l4 == M_TCP ? 16 :
			     zero_cases[_i].l4 == M_UDP ? 6 : 2);
	ps = b.layer[l4].off + b.layer[l4].len;
	/* Odd distance from the L4 start and the field itself are refused. */
	ck_assert_int_eq(ofd_pktb_zero_sum(&b, l4, ps + 1), -EINVAL);
	ck_assert_int_eq(ofd_pktb_zero_sum(&b, l4, b.layer[l4].off + (uint32_t)fo),
			 -EINVAL);
	ck_assert_int_eq(ofd_pktb_zero_sum(&b, 0, ps), -EINVAL);
	ck_assert_int_eq(ofd_pktb_zero_sum(&b, l4, ps + ((zero_cases[_i].plen - 2) & ~1u)),
			 0);

	p = buf + b.layer[l4].off;
	n = b.len - b.layer[l4].off;
	ck_assert_uint_eq(rd16(p + fo), 0xffff);
	acc = zero_cases[_i].l4 == M_ICMP && !zero_cases[_i].v6 ? 0 :
	      pseudo(buf + 14, NULL, n, zero_cases[_i].l4 == M_TCP ? 6 :
				       zero_cases[_i].l4 == M_UDP ? 17 : 58);
	/* Valid as it stands... */
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(p, n, acc)), 0xffff);
	/* ...and with the field zeroed the sum is 0xffff too: the checksum
	 * proper, ~0xffff, is 0. */
	buf[b.layer[l4].off + (uint32_t)fo] = 0;
	buf[b.layer[l4].off + (uint32_t)fo + 1] = 0;
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(p, n, acc)), 0xffff);
}
END_TEST

/* ---- checksum modes ---------------------------------------------- */

START_TEST(test_modes)
{
	uint8_t buf[256], again[256];
	struct ofd_pktb b;
	uint32_t n, acc;
	int l4;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_srh(&b, seg, 2, 1);
	l4 = ofd_pktb_udp(&b, 1, 2);
	ofd_pktb_payload(&b, 41);
	b.layer[l4].csum = OFD_PKTB_CSUM_SEED;
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	n = b.len - b.layer[l4].off;
	/* fold16(pseudo) with the final destination (kernel-tx.md 1, 8.1) */
	acc = pseudo(buf + 14, seg[0], n, 17);
	ck_assert_uint_eq(rd16(buf + b.layer[l4].off + 6), ofd_test_fold(acc));
	ck_assert_int_eq(ofd_pktb_pseudo(&b, l4, &acc), 0);
	ck_assert_uint_eq(ofd_test_fold(acc), ofd_test_fold(pseudo(buf + 14, seg[0], n, 17)));

	b.layer[l4].csum = OFD_PKTB_CSUM_ZERO;
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_eq(rd16(buf + b.layer[l4].off + 6), 0);

	buf[b.layer[l4].off + 6] = 0x12;
	buf[b.layer[l4].off + 7] = 0x34;
	b.layer[l4].csum = OFD_PKTB_CSUM_KEEP;
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_eq(rd16(buf + b.layer[l4].off + 6), 0x1234);

	/* FULL is idempotent. */
	b.layer[l4].csum = OFD_PKTB_CSUM_FULL;
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	memcpy(again, buf, b.len);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_mem_eq(again, buf, b.len);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(buf + b.layer[l4].off, n,
					       pseudo(buf + 14, seg[0], n, 17))),
			  0xffff);
}
END_TEST

static Suite *pktbuild_finish_suite(void)
{
	Suite *s = suite_create("pktbuild_finish");
	TCase *tc = tcase_create("pktbuild_finish");

	tcase_add_test(tc, test_ipv4_vector);
	tcase_add_test(tc, test_l4_vectors);
	tcase_add_loop_test(tc, test_crc32c_vector, 0, OFD_ARRAY_SIZE(crc_vectors));
	tcase_add_test(tc, test_sctp_vector);
	tcase_add_test(tc, test_srh_final_dst);
	tcase_add_loop_test(tc, test_zero_sum, 0, OFD_ARRAY_SIZE(zero_cases));
	tcase_add_test(tc, test_modes);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(pktbuild_finish_suite)
