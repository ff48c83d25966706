// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_bigtcp_parse.c - BIG TCP frames in the parser, the builder, the
 * checksum arithmetic and pcap files.
 *
 * Expected values come from the formats, not from our output: RFC 791
 * (tot_len), RFC 2675 (payload length 0, Jumbo Payload option 0xC2 / 4,
 * its 32-bit length counting the hop-by-hop header, section 3's errors,
 * section 4's 32-bit upper-layer length in the pseudo-header), RFC 8200
 * 8.1, RFC 1071 (the naive ofd_test_sum), and kernel-rx.md 1.9 (the
 * kernel writes IPv4 tot_len 0 past 64 KB).
 *
 * Cases:
 *  - each shape (IPv4 tot_len 0, IPv6 jumbo, VXLAN/IPv4 around IPv6 jumbo)
 *    at 70054 bytes: layer path, ofd_parse_ip_len (length, BIG flag), field
 *    names at the jumbo option's bytes, name lookup and mask validation;
 *  - lengths that are not BIG TCP: tot_len 0 in a small frame, payload
 *    length 0 without a jumbo option, a jumbo length <= 65535, a jumbo with
 *    a non-zero payload length, a jumbo length past the frame, a jumbo
 *    option after a PadN, a hop-by-hop header without a jumbo;
 *  - the TCP checksum of each shape (70054 and 100000 bytes) verifies
 *    against a naive RFC 1071 sum with the 32-bit length in the
 *    pseudo-header; a 16-bit-truncated length does not; the tx-csum seed
 *    derived from the frame is fold(pseudo) with the 32-bit length;
 *  - a pcap with frames of 65535, 70054 and 131072 bytes loads back byte
 *    for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_pktbuild.h"
#include "ofd_run.h"
#include "ofd_test.h"

#define CAP (140 * 1024)
#define BIG 70054

static uint8_t *frame(enum ofd_test_big shape, uint32_t len)
{
	uint8_t *f = malloc(CAP);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ofd_test_bigtcp(shape, len, f, CAP), 0);
	return f;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static const struct shape_row {
	enum ofd_test_big shape;
	const char *path;
	uint32_t l3_off;    /* innermost IP header */
	uint32_t hbh_off;   /* 0: none */
} shapes[] = {
	{ OFD_TEST_BIG_V4, "ipv4/tcp", 14, 0 },
	{ OFD_TEST_BIG_V6, "ipv6/hbh/tcp", 14, 54 },
	{ OFD_TEST_BIG_VXLAN, "ipv4/udp/vxlan/eth/ipv6/hbh/tcp", 64, 104 },
};

START_TEST(shape_parses)
{
	const struct shape_row *r = &shapes[_i];
	uint8_t *f = frame(r->shape, BIG);
	struct ofd_parsed p;
	struct ofd_field fd;
	char path[128];
	uint32_t n = 0;
	bool big = false;

	ofd_parse(f, BIG, 0, &p);
	ck_assert_uint_eq(p.stop, OFD_STOP_END);
	ofd_parse_path(&p, path, sizeof(path));
	ck_assert_str_eq(path, r->path);
	ck_assert_uint_eq(p.layer[p.l3].off, r->l3_off);
	ck_assert_int_eq(ofd_parse_ip_len(f, BIG, &p, p.l3, &n, &big), 0);
	ck_assert(big);
	/* Innermost datagram: from its header to the frame end. */
	ck_assert_uint_eq(n, BIG - r->l3_off);
	if (r->shape == OFD_TEST_BIG_VXLAN) {
		/* The outer IPv4 is BIG too: tot_len 0, the frame's bytes. */
		ck_assert_int_eq(ofd_parse_ip_len(f, BIG, &p, p.outer_l3, &n, &big), 0);
		ck_assert(big);
		ck_assert_uint_eq(n, BIG - 14);
		ck_assert_uint_eq(f[14 + 2] | f[14 + 3], 0);
		ck_assert_uint_eq(f[34 + 4] | f[34 + 5], 0); /* UDP length */
	}
	if (r->shape == OFD_TEST_BIG_V4) {
		ck_assert_uint_eq(f[16] | f[17], 0);
		ck_assert_int_eq(ofd_parse_field_at(f, BIG, &p, 16, &fd), 0);
		ck_assert_str_eq(fd.name, "ipv4.tot_len");
	} else {
		const uint8_t *h = f + r->hbh_off;

		/* RFC 2675 2: payload length 0; option 0xC2, length 4; the
		 * jumbo length counts everything after the fixed header. */
		ck_assert_uint_eq(f[r->l3_off + 4] | f[r->l3_off + 5], 0);
		ck_assert_uint_eq(f[r->l3_off + 6], 0);
		ck_assert_uint_eq(h[0], 6);
		ck_assert_uint_eq(h[1], 0);
		ck_assert_uint_eq(h[2], 0xc2);
		ck_assert_uint_eq(h[3], 4);
		ck_assert_uint_eq(be32(h + 4), BIG - r->l3_off - 40);
		ck_assert_int_eq(ofd_parse_field_at(f, BIG, &p, r->hbh_off + 6, &fd), 0);
		ck_assert_str_eq(fd.name, "hbh.jumbo_len");
		ck_assert_uint_eq(fd.off, r->hbh_off + 4);
		ck_assert_uint_eq(fd.len, 4);
		ck_assert_int_eq(ofd_parse_field_at(f, BIG, &p, r->hbh_off + 2, &fd), 0);
		ck_assert_str_eq(fd.name, "hbh.jumbo_type");
		ck_assert_int_eq(ofd_parse_field_at(f, BIG, &p, r->hbh_off + 3, &fd), 0);
		ck_assert_str_eq(fd.name, "hbh.jumbo_optlen");
		ck_assert_int_eq(ofd_parse_field_find(f, BIG, &p, -1, "hbh.jumbo_len", &fd), 0);
		ck_assert_uint_eq(fd.off, r->hbh_off + 4);
		/* The kernel's 8-byte header has no other options. */
		ck_assert_int_eq(ofd_parse_field_find(f, BIG, &p, -1, "hbh.options", &fd),
				 -ENOENT);
	}
	ck_assert(ofd_parse_field_known("hbh.jumbo_len"));
	ck_assert(ofd_parse_field_known("hbh.jumbo_type"));
	ck_assert(ofd_parse_field_known("hbh.options"));
	free(f);
}
END_TEST

/* Frames whose length fields are not BIG TCP, edited from a valid one. */
enum edit {
	E_V4_SMALL_ZERO,   /* tot_len 0 in a 1514-byte frame */
	E_V6_ZERO_NO_JUMBO,/* payload_len 0, HBH without a jumbo option */
	E_JUMBO_SMALL,     /* jumbo 65535: RFC 2675 3 error */
	E_JUMBO_WITH_PLEN, /* jumbo and payload_len 1000: error */
	E_JUMBO_PAST,      /* jumbo length 8 bytes past the frame */
	E_JUMBO_TRAILER,   /* jumbo length 6 bytes short: a trailer */
	E_JUMBO_AFTER_PAD, /* PadN(0) then jumbo in a 16-byte HBH */
};

static const struct len_row {
	const char *name;
	enum edit e;
	int ret;
	uint32_t dlen; /* expected *dlen */
	bool big;
} len_rows[] = {
	{ "ipv4 tot_len 0, small frame", E_V4_SMALL_ZERO, 0, 0, false },
	{ "ipv6 plen 0 without jumbo", E_V6_ZERO_NO_JUMBO, -EBADMSG, 40, false },
	{ "jumbo <= 65535", E_JUMBO_SMALL, -EBADMSG, 40, false },
	{ "jumbo with payload_len", E_JUMBO_WITH_PLEN, -EBADMSG, 1040, false },
	{ "jumbo past the frame", E_JUMBO_PAST, -ERANGE, BIG - 14 + 8, true },
	{ "jumbo short of the frame", E_JUMBO_TRAILER, 0, BIG - 14 - 6, true },
	{ "jumbo after PadN", E_JUMBO_AFTER_PAD, 0, BIG - 14, true },
};

START_TEST(lengths)
{
	const struct len_row *r = &len_rows[_i];
	uint8_t *f = malloc(CAP), *h;
	struct ofd_pktb b;
	struct ofd_parsed p;
	uint32_t len = BIG, n = 0;
	bool big = true;
	int l3;

	ck_assert_ptr_nonnull(f);
	ofd_pktb_init(&b, f, CAP);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (r->e == E_V4_SMALL_ZERO) {
		ofd_pktb_ipv4(&b, NULL);
		ofd_pktb_tcp(&b, NULL);
		ofd_pktb_payload(&b, 1460);
		ck_assert_int_eq(ofd_pktb_finish(&b), 0);
		len = b.len;
		f[16] = f[17] = 0;
	} else if (r->e == E_V6_ZERO_NO_JUMBO) {
		ofd_pktb_ipv6(&b, NULL);
		ofd_pktb_hbh(&b, 8);
		ofd_pktb_tcp(&b, NULL);
		ofd_pktb_payload(&b, 1000);
		ck_assert_int_eq(ofd_pktb_finish(&b), 0);
		len = b.len;
		f[18] = f[19] = 0;
	} else if (r->e == E_JUMBO_AFTER_PAD) {
		ofd_pktb_ipv6(&b, NULL);
		/* finish writes payload length 0; the options are ours */
		b.layer[ofd_pktb_hbh(&b, 16)].flags |= OFD_PKTB_L_JUMBO;
		ofd_pktb_tcp(&b, NULL);
		ofd_pktb_payload(&b, BIG - 14 - 40 - 16 - 20);
		ck_assert_int_eq(ofd_pktb_finish(&b), 0);
		f[18] = f[19] = 0;
		/* RFC 8200 4.2: PadN of 2 data bytes, then the option at
		 * 4n + 2 as RFC 2675 2 wants, then PadN of 2. */
		h = f + 54;
		memcpy(h + 2, "\x01\x02\x00\x00\xc2\x04", 6);
		ofd_put_be32(h + 8, BIG - 14 - 40);
		memcpy(h + 12, "\x01\x02\x00\x00", 4);
	} else {
		ck_assert_int_eq(ofd_test_bigtcp(OFD_TEST_BIG_V6, BIG, f, CAP), 0);
		if (r->e == E_JUMBO_SMALL)
			ofd_put_be32(f + 58, 65535);
		if (r->e == E_JUMBO_WITH_PLEN)
			ofd_put_be16(f + 18, 1000);
		if (r->e == E_JUMBO_PAST)
			ofd_put_be32(f + 58, BIG - 54 + 8);
		if (r->e == E_JUMBO_TRAILER)
			ofd_put_be32(f + 58, BIG - 54 - 6);
	}
	ofd_parse(f, len, 0, &p);
	l3 = p.l3;
	ck_assert_int_ge(l3, 0);
	ck_assert_msg(ofd_parse_ip_len(f, len, &p, l3, &n, &big) == r->ret,
		      "%s: ret %d", r->name, ofd_parse_ip_len(f, len, &p, l3, &n, &big));
	ck_assert_msg(n == r->dlen, "%s: dlen %u", r->name, n);
	ck_assert_msg(big == r->big, "%s: big %d", r->name, big);
	/* Not an IP layer. */
	ck_assert_int_eq(ofd_parse_ip_len(f, len, &p, 0, &n, &big), -EINVAL);
	free(f);
}
END_TEST

/* Naive RFC 1071 over chunks folded in between, so the 32-bit
 * accumulator of ofd_test_sum never overflows on long frames. */
static uint32_t naive(const uint8_t *p, uint32_t n, uint32_t acc)
{
	uint32_t k;

	for (k = 0; k < n; k += 32768)
		acc = ofd_test_fold(ofd_test_sum(p + k, n - k < 32768 ? n - k : 32768,
						 acc));
	return acc;
}

/* RFC 8200 8.1 / RFC 2675 4 pseudo-header words, built byte by byte. */
static uint32_t naive_pseudo(const uint8_t *f, const struct ofd_layer *ip,
			     uint32_t l4len, bool truncate16)
{
	uint8_t ph[40];
	uint32_t n = 0, L = truncate16 ? (l4len & 0xffff) : l4len;

	if (ip->proto == OFD_P_IPV4) {
		memcpy(ph, f + ip->off + 12, 8);
		n = 8;
		ph[n++] = 0;
		ph[n++] = 6;
		/* RFC 793's 16-bit TCP length cannot hold L; the kernel adds
		 * it as a 32-bit number (kernel-tx.md 5.2), i.e. both halves. */
		ph[n++] = (uint8_t)(L >> 24);
		ph[n++] = (uint8_t)(L >> 16);
		ph[n++] = (uint8_t)(L >> 8);
		ph[n++] = (uint8_t)L;
		return naive(ph, n, 0);
	}
	memcpy(ph, f + ip->off + 8, 32);
	n = 32;
	return naive(ph, n, naive((const uint8_t[]){ (uint8_t)(L >> 24), (uint8_t)(L >> 16),
						     (uint8_t)(L >> 8), (uint8_t)L,
						     0, 0, 0, 6 }, 8, 0));
}

static const struct csum_row {
	enum ofd_test_big shape;
	uint32_t len;
} csum_rows[] = {
	{ OFD_TEST_BIG_V4, BIG }, { OFD_TEST_BIG_V6, BIG },
	{ OFD_TEST_BIG_VXLAN, BIG }, { OFD_TEST_BIG_V4, 100000 },
	{ OFD_TEST_BIG_V6, 100000 }, { OFD_TEST_BIG_VXLAN, 100000 },
};

START_TEST(csum_32bit_length)
{
	const struct csum_row *r = &csum_rows[_i];
	uint8_t *f = frame(r->shape, r->len), *copy = malloc(CAP);
	struct ofd_parsed p;
	struct ofd_request req;
	const struct ofd_layer *t, *ip;
	uint32_t l4len, ps, sum;

	ck_assert_ptr_nonnull(copy);
	ofd_parse(f, r->len, 0, &p);
	t = &p.layer[p.l4];
	ip = &p.layer[p.l3];
	l4len = r->len - t->off;
	ck_assert_uint_gt(l4len, 0xffff);
	/* The checksum on the wire verifies with the 32-bit length ... */
	sum = naive(f + t->off, l4len, naive_pseudo(f, ip, l4len, false));
	ck_assert_uint_eq(ofd_test_fold(sum), 0xffff);
	/* ... and not with it cut to 16 bits. */
	sum = naive(f + t->off, l4len, naive_pseudo(f, ip, l4len, true));
	ck_assert_uint_ne(ofd_test_fold(sum), 0xffff);
	/* ofd_parse_pseudo agrees with the naive pseudo-header. */
	ck_assert_int_eq(ofd_parse_pseudo(f, r->len, &p, p.l4, l4len, 0, &ps), 0);
	ck_assert_uint_eq(ofd_fold16(ps), ofd_test_fold(naive_pseudo(f, ip, l4len, false)));
	/* The tx-csum request: the field holds fold(pseudo) over the L4
	 * byte count (__tcp_v6_send_check), csum_start at the inner TCP. */
	memcpy(copy, f, r->len);
	ck_assert_int_eq(ofd_txcsum_request(f, r->len, OFD_REQ_LEGACY, &req, copy), 0);
	ck_assert_uint_eq(req.vnet.csum_start, t->off);
	ck_assert_uint_eq(req.vnet.csum_offset, 16);
	ck_assert_uint_eq((uint32_t)(copy[t->off + 16] << 8 | copy[t->off + 17]),
			  ofd_test_fold(naive_pseudo(f, ip, l4len, false)));
	free(copy);
	free(f);
}
END_TEST

START_TEST(pcap_big_frames)
{
	static const uint32_t lens[] = { 65535, BIG, 131072 };
	char path[] = "/tmp/ofd-bigtcp-XXXXXX";
	struct ofd_pcap_writer *w;
	struct ofd_corpus c = { 0 };
	uint8_t *f[3];
	char err[256];
	unsigned int i;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	for (i = 0; i < 3; i++) {
		f[i] = frame((enum ofd_test_big)i, lens[i]);
		ck_assert_int_eq(ofd_pcap_writer__write(w, f[i], lens[i], i), 0);
	}
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	ck_assert_msg(ofd_corpus_load(&c, path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(c.npkts, 3);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(c.pkts[i].len, lens[i]);
		ck_assert(!memcmp(c.pkts[i].data, f[i], lens[i]));
		free(f[i]);
	}
	ofd_corpus_free(&c);
	unlink(path);
}
END_TEST

START_TEST(builder_limits)
{
	uint8_t *f = malloc(CAP);
	struct ofd_pktb b;

	ck_assert_ptr_nonnull(f);
	/* Without the jumbo option an IPv6 payload over 65535 has no
	 * encoding; without biglen neither has IPv4's. */
	ofd_pktb_init(&b, f, CAP);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	ofd_pktb_payload(&b, 70000);
	ck_assert_int_eq(ofd_pktb_finish(&b), -EMSGSIZE);
	ofd_pktb_init(&b, f, CAP);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	ofd_pktb_payload(&b, 70000);
	ck_assert_int_eq(ofd_pktb_finish(&b), -EMSGSIZE);
	/* The jumbo header follows IPv6 only; biglen takes IPv4 and UDP. */
	ofd_pktb_init(&b, f, CAP);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ck_assert_int_eq(ofd_pktb_jumbo(&b), -EINVAL);
	ofd_pktb_init(&b, f, CAP);
	ck_assert_int_eq(ofd_pktb_biglen(&b, ofd_pktb_eth(&b, NULL, NULL, 0)), -EINVAL);
	free(f);
}
END_TEST

static Suite *bigtcp_parse_suite(void)
{
	Suite *s = suite_create("bigtcp_parse");
	TCase *tc = tcase_create("bigtcp_parse");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, shape_parses, 0, OFD_ARRAY_SIZE(shapes));
	tcase_add_loop_test(tc, lengths, 0, OFD_ARRAY_SIZE(len_rows));
	tcase_add_loop_test(tc, csum_32bit_length, 0, OFD_ARRAY_SIZE(csum_rows));
	tcase_add_test(tc, pcap_big_frames);
	tcase_add_test(tc, builder_limits);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(bigtcp_parse_suite)
