// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_parse_fields.c - the packet parser (harness/packet/parse.c): named
 * fields, payload/trailer offsets and the pseudo-header.
 *
 * Frames come from parse_test_util.h (the walk itself is check_parse.c);
 * every expected offset and length below is hand computed from the RFC
 * header sizes listed there.
 *
 * Cases:
 *  pseudo    - pseudo-header sums checked against a hand-coded RFC 1071
 *              summation: IPv4/TCP, IPv6/UDP, VXLAN inner vs outer, ICMPv6,
 *              and the SRH final destination (Segment List[0]) vs the IPv6
 *              destination (use_ipv6_dst), each by making a checksum with
 *              one address and verifying it through the parser's sum.
 *  pseudo_err - -EINVAL (no L4 / not an L4 with a pseudo-header) and
 *              -EBADMSG (SRH without segments, addresses past len).
 *  field_at / field_find - named fields, payload[+N], trailer[+N].
 */
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "ofd_test.h"
#include "parse_test_util.h"

/* ------------------------------------------------------------------ */
/* Pseudo-header                                                       */
/* ------------------------------------------------------------------ */

/* Our own RFC 1071 summation, bytewise, independent of csum.c. */
static uint64_t t_sum(const uint8_t *p, uint32_t n, uint64_t acc)
{
	uint32_t i;

	for (i = 0; i < n; i += 2)
		acc += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
	return acc;
}

static uint16_t t_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static uint64_t t_pseudo(const uint8_t *s, const uint8_t *d, uint32_t alen,
			 uint32_t l4len, uint8_t proto)
{
	uint64_t acc = t_sum(s, alen, 0);

	acc = t_sum(d, alen, acc);
	/* IPv4: zero, proto, 16-bit length; IPv6: 32-bit length, 24 zero
	 * bits, next header. Both add up the same way. */
	return acc + (l4len >> 16) + (l4len & 0xffff) + proto;
}

/* Store the checksum of the L4 segment [off, len) at off + csum_off. */
static void t_fill_csum(uint8_t *buf, uint32_t len, uint32_t off,
			uint32_t csum_off, uint64_t pseudo)
{
	uint16_t c;

	buf[off + csum_off] = buf[off + csum_off + 1] = 0;
	c = (uint16_t)~t_fold(t_sum(buf + off, len - off, pseudo));
	buf[off + csum_off] = (uint8_t)(c >> 8);
	buf[off + csum_off + 1] = (uint8_t)c;
}

/* Does the segment verify with the parser's pseudo-header sum? */
static bool t_verifies(const uint8_t *buf, uint32_t len, uint32_t off,
		       uint32_t sum)
{
	return t_fold(t_sum(buf + off, len - off, sum)) == 0xffff;
}

struct pseudo_case {
	const char *name;
	build_fn build;
	int l4;
	uint32_t csum_off;  /* checksum field in the L4 header */
	uint32_t alen;      /* 4 or 16 */
	uint32_t saddr, daddr; /* frame offsets of the expected addresses */
	uint8_t proto;
};

static const struct pseudo_case pseudo_cases[] = {
	{ "ipv4_tcp", fr_ipv4_tcp, 2, 16, 4, 26, 30, 6 },
	{ "ipv6_udp", fr_qinq, 4, 6, 16, 30, 46, 17 },
	/* The inner TCP takes the inner addresses, the outer UDP the outer. */
	{ "vxlan_inner", fr_vxlan, 6, 16, 4, 76, 80, 6 },
	{ "vxlan_outer", fr_vxlan, 2, 6, 4, 26, 30, 17 },
	{ "geneve_icmpv6", fr_geneve_eth, 6, 2, 16, 72, 88, 58 },
	{ "6in4_udp", fr_6in4, 3, 6, 16, 42, 58, 17 },
	/* A type 0 routing header with segments left 1 still has to take
	 * the packet to its last address (62), the final destination
	 * (RFC 8200 8.1, RFC 2460 4.4). */
	{ "rthdr0_udp", fr_rthdr0, 3, 6, 16, 22, 62, 17 },
	/* SRH: Segment List[0] at 78 + 8, not the IPv6 daddr (38). */
	{ "srh_tcp", fr_srh, 5, 16, 16, 22, 86, 6 },
	{ "srh_tlv_tcp", fr_srh_tlv, 3, 16, 16, 22, 62, 6 },
};

START_TEST(test_pseudo)
{
	const struct pseudo_case *c = &pseudo_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	uint32_t len, off, l4len, sum = 0;
	uint64_t want;

	len = c->build(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_lt(c->l4, (int)p.nlayers);
	off = p.layer[c->l4].off;
	l4len = len - off;
	want = t_pseudo(buf + c->saddr, buf + c->daddr, c->alen, l4len,
			c->proto);

	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, c->l4, l4len, 0, &sum),
			 0);
	ck_assert_uint_eq(t_fold(sum), t_fold(want));

	/* A checksum made with the right pseudo-header verifies through the
	 * parser's sum. */
	t_fill_csum(buf, len, off, c->csum_off, want);
	ck_assert(t_verifies(buf, len, off, sum));
}
END_TEST

/* RFC 8200 8.1: the SRH frame's checksum verifies against Segment
 * List[0] only; use_ipv6_dst gives the (wrong) IPv6 destination. */
START_TEST(test_pseudo_srh_dst)
{
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	uint32_t len, l4len, fin = 0, hdr = 0;
	const uint32_t off = 118;

	len = fr_srh(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_uint_eq(p.layer[5].off, off);
	l4len = len - off;
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, l4len, 0, &fin), 0);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, l4len, 1, &hdr), 0);
	ck_assert_uint_eq(t_fold(fin),
			  t_fold(t_pseudo(v6_a, seg0, 16, l4len, 6)));
	ck_assert_uint_eq(t_fold(hdr),
			  t_fold(t_pseudo(v6_a, seg1, 16, l4len, 6)));

	/* Checksum made by a correct sender. */
	t_fill_csum(buf, len, off, 16, t_pseudo(v6_a, seg0, 16, l4len, 6));
	ck_assert(t_verifies(buf, len, off, fin));
	ck_assert(!t_verifies(buf, len, off, hdr));

	/* Checksum made by the buggy sender (IPv6 header destination). */
	t_fill_csum(buf, len, off, 16, t_pseudo(v6_a, seg1, 16, l4len, 6));
	ck_assert(!t_verifies(buf, len, off, fin));
	ck_assert(t_verifies(buf, len, off, hdr));

	/* Segments left 0: the Destination Address (seg1 here, not Segment
	 * List[0]) is the final destination, as the live kernel's receive
	 * path validates it (check_rxjudge.c srh_sl0_da_differs). */
	buf[78 + 3] = 0;
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, l4len, 0, &fin), 0);
	ck_assert_uint_eq(t_fold(fin),
			  t_fold(t_pseudo(v6_a, seg1, 16, l4len, 6)));
}
END_TEST

START_TEST(test_pseudo_err)
{
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	uint32_t len, sum = 0;

	len = fr_ipv4_tcp(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, -1, 20, 0, &sum),
			 -EINVAL);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 1, 20, 0, &sum),
			 -EINVAL); /* the IPv4 layer */
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 0, &sum),
			 -EINVAL); /* the payload */
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 4, 20, 0, &sum),
			 -EINVAL); /* past nlayers */
	/* Addresses past the len given. */
	ck_assert_int_eq(ofd_parse_pseudo(buf, 20, &p, 2, 20, 0, &sum),
			 -EBADMSG);

	/* ICMP (v4) has no pseudo-header. */
	len = fr_icmp(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_uint_eq(p.layer[2].proto, OFD_P_ICMP);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 2, 12, 0, &sum),
			 -EINVAL);

	/* An SRH without a segment list: with segments left 0 the
	 * Destination Address is final; with segments left there is no
	 * final destination. */
	len = fr_srh_empty(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_uint_eq(p.nlayers, 4);
	ck_assert_uint_eq(p.layer[2].proto, OFD_P_SRH);
	ck_assert_uint_eq(p.layer[2].len, 8);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 0, &sum), 0);
	buf[54 + 3] = 1;
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 0, &sum),
			 -EBADMSG);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 1, &sum), 0);

	/* The enclosing IP header is in the same packet: an inner L4 with
	 * no inner IP (a hand-made layer list) does not borrow the outer. */
	len = fr_vxlan(buf);
	ofd_parse(buf, len, 0, &p);
	p.layer[5] = p.layer[6];
	p.layer[5].off = 64;
	p.nlayers = 6;
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, 20, 0, &sum),
			 -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

struct field_case {
	build_fn build;
	uint32_t at;
	const char *name;
	int layer;
	uint32_t off, len;
	uint8_t is_csum;
};

static const struct field_case field_at_cases[] = {
	{ fr_ipv4_tcp, 5, "eth.dst", 0, 0, 6, 0 },
	{ fr_ipv4_tcp, 13, "eth.type", 0, 12, 2, 0 },
	{ fr_ipv4_tcp, 18, "ipv4.id", 1, 18, 2, 0 },
	{ fr_ipv4_tcp, 25, "ipv4.checksum", 1, 24, 2, 1 },
	{ fr_ipv4_tcp, 46, "tcp.doff", 2, 46, 1, 0 },
	{ fr_ipv4_tcp, 50, "tcp.checksum", 2, 50, 2, 1 },
	{ fr_ipv4_tcp, 51, "tcp.checksum", 2, 50, 2, 1 },
	{ fr_ipv4_tcp, 57, "payload[+3]", 3, 57, 1, 0 },
	{ fr_ipv4_opts, 36, "ipv4.options", 1, 34, 4, 0 },
	{ fr_ipv4_opts, 60, "tcp.options", 2, 58, 12, 0 },
	{ fr_qinq, 15, "qinq.tci", 1, 14, 2, 0 },
	{ fr_qinq, 20, "vlan.type", 2, 20, 2, 0 },
	{ fr_qinq, 69, "udp.checksum", 4, 68, 2, 1 },
	{ fr_srh, 50, "ipv6.daddr", 1, 38, 16, 0 },
	{ fr_srh, 55, "hbh.hdrlen", 2, 55, 1, 0 },
	{ fr_srh, 64, "dstopts.options", 3, 64, 14, 0 },
	{ fr_srh, 81, "srh.segments_left", 4, 81, 1, 0 },
	{ fr_srh, 82, "srh.last_entry", 4, 82, 1, 0 },
	{ fr_srh, 86, "srh.segment[0]", 4, 86, 16, 0 },
	{ fr_srh, 110, "srh.segment[1]", 4, 102, 16, 0 },
	{ fr_srh, 135, "tcp.checksum", 5, 134, 2, 1 },
	{ fr_srh_tlv, 70, "srh.segment[0]", 2, 62, 16, 0 },
	{ fr_srh_tlv, 93, "srh.tlv", 2, 78, 16, 0 },
	{ fr_rthdr0, 60, "rthdr.data", 2, 58, 20, 0 },
	{ fr_frag_first, 57, "frag.frag_off", 2, 56, 2, 0 },
	{ fr_vxlan, 40, "udp.checksum", 2, 40, 2, 1 },
	{ fr_vxlan, 46, "vxlan.vni", 3, 46, 3, 0 },
	{ fr_vxlan, 52, "eth.dst", 4, 50, 6, 0 },
	{ fr_vxlan, 100, "tcp.checksum", 6, 100, 2, 1 },
	{ fr_geneve, 64, "geneve.protocol", 3, 64, 2, 0 },
	{ fr_geneve, 70, "geneve.options", 3, 70, 8, 0 },
	{ fr_geneve_eth, 106, "icmpv6.checksum", 6, 106, 2, 1 },
	{ fr_gre_key, 39, "gre.key", 2, 38, 4, 0 },
	{ fr_gre_csum, 38, "gre.checksum", 2, 38, 2, 1 },
	{ fr_gre_csum, 41, "gre.reserved1", 2, 40, 2, 0 },
	{ fr_gre_teb, 56, "gre.protocol", 2, 56, 2, 0 },
	{ fr_gre_teb, 63, "gre.key", 2, 62, 4, 0 },
	{ fr_gre_teb, 67, "gre.seq", 2, 66, 4, 0 },
	{ fr_sctp, 44, "sctp.checksum", 2, 42, 4, 1 },
	{ fr_trunc_tcp, 36, "trailer[+2]", -1, 36, 1, 0 },
	{ fr_bad_ihl, 20, "trailer[+6]", -1, 20, 1, 0 },
};

static void check_field(const struct ofd_field *f, const char *name,
			int layer, uint32_t off, uint32_t len, uint8_t is_csum)
{
	ck_assert_str_eq(f->name, name);
	ck_assert_int_eq(f->layer, layer);
	ck_assert_uint_eq(f->off, off);
	ck_assert_uint_eq(f->len, len);
	ck_assert_uint_eq(f->is_csum, is_csum);
}

START_TEST(test_field_at)
{
	const struct field_case *c = &field_at_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	struct ofd_field f;
	uint32_t len;

	len = c->build(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_field_at(buf, len, &p, c->at, &f), 0);
	check_field(&f, c->name, c->layer, c->off, c->len, c->is_csum);
	ck_assert_int_eq(ofd_parse_field_at(buf, len, &p, len, &f), -ERANGE);
}
END_TEST

struct find_case {
	build_fn build;
	int in_layer;
	const char *name;
	int rc;
	int layer;
	uint32_t off, len;
	uint8_t is_csum;
};

/* Not found: the rest is not looked at. */
#define NOENT -ENOENT, -1, 0, 0, 0

static const struct find_case field_find_cases[] = {
	{ fr_vxlan, -1, "tcp.checksum", 0, 6, 100, 2, 1 },
	{ fr_vxlan, -1, "ipv4.id", 0, 1, 18, 2, 0 },
	{ fr_vxlan, 5, "ipv4.id", 0, 5, 68, 2, 0 },
	{ fr_vxlan, 2, "ipv4.id", NOENT },
	{ fr_vxlan, -1, "eth.src", 0, 0, 6, 6, 0 },
	{ fr_vxlan, 4, "eth.src", 0, 4, 56, 6, 0 },
	{ fr_vxlan, 99, "eth.src", NOENT },
	{ fr_srh, -1, "srh.segment[0]", 0, 4, 86, 16, 0 },
	{ fr_srh, 4, "srh.segment[1]", 0, 4, 102, 16, 0 },
	{ fr_srh, -1, "srh.segment[2]", NOENT },
	{ fr_srh, -1, "srh.segment[x]", NOENT },
	{ fr_srh, -1, "srh.segment", NOENT },
	{ fr_srh, -1, "srh.tlv", NOENT },
	{ fr_srh, -1, "srh.tag", 0, 4, 84, 2, 0 },
	{ fr_srh_tlv, -1, "srh.tlv", 0, 2, 78, 16, 0 },
	{ fr_srh_tlv, -1, "srh.segment[1]", NOENT },
	{ fr_ipv4_tcp, -1, "payload[+3]", 0, 3, 57, 1, 0 },
	{ fr_ipv4_tcp, -1, "payload[+10]", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.options", NOENT },
	{ fr_ipv4_tcp, -1, "bogus", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.idx", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.checksum", 0, 1, 24, 2, 1 },
	{ fr_ipv4_opts, -1, "ipv4.options", 0, 1, 34, 4, 0 },
	{ fr_gre_key, -1, "gre.checksum", NOENT },
	{ fr_gre_csum, -1, "gre.checksum", 0, 2, 38, 2, 1 },
	{ fr_gre_teb, -1, "gre.seq", 0, 2, 66, 4, 0 },
	{ fr_qinq, -1, "vlan.tci", 0, 2, 18, 2, 0 },
	{ fr_geneve_eth, -1, "icmp.type", NOENT },
	{ fr_geneve_eth, -1, "icmpv6.type", 0, 6, 104, 1, 0 },
	{ fr_sctp, -1, "sctp.checksum", 0, 2, 42, 4, 1 },
	{ fr_trunc_tcp, -1, "trailer[+2]", 0, -1, 36, 1, 0 },
	{ fr_trunc_tcp, -1, "trailer[+6]", NOENT },
};

START_TEST(test_field_find)
{
	const struct find_case *c = &field_find_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	struct ofd_field f;
	uint32_t len;

	len = c->build(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_field_find(buf, len, &p, c->in_layer,
					      c->name, &f),
			 c->rc);
	if (!c->rc)
		check_field(&f, c->name, c->layer, c->off, c->len, c->is_csum);
}
END_TEST

static Suite *parse_fields_suite(void)
{
	Suite *s = suite_create("parse_fields");
	TCase *tc = tcase_create("parse_fields");

	tcase_add_loop_test(tc, test_pseudo, 0, OFD_ARRAY_SIZE(pseudo_cases));
	tcase_add_test(tc, test_pseudo_srh_dst);
	tcase_add_test(tc, test_pseudo_err);
	tcase_add_loop_test(tc, test_field_at, 0,
			    OFD_ARRAY_SIZE(field_at_cases));
	tcase_add_loop_test(tc, test_field_find, 0,
			    OFD_ARRAY_SIZE(field_find_cases));
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(parse_fields_suite)
