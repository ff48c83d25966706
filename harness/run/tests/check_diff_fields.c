// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_diff_fields.c - how the diff names what differs.
 *
 * Cases:
 *  - a flag bit that differs is named by its RFC 9293 name
 *    ("tcp.flags.psh 1 != 0"), one line per bit, and each bit can be
 *    masked on its own; IPv4's DF (RFC 791) likewise;
 *  - the names a mask accepts include the named bits, and only real ones;
 *  - frames of a multi-frame result are numbered, and a result whose
 *    frame count differs says so.
 */
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_pktbuild.h"
#include "ofd_spec.h"
#include "ofd_test.h"

static uint32_t build_tcp4(uint8_t *buf, uint32_t cap, uint8_t flags, bool no_df)
{
	struct ofd_pktb b;
	struct ofd_pktb_ipv4_opts ip = { .id = 0x1234, .no_df = no_df };
	struct ofd_pktb_tcp_opts tcp = { .sport = 1000, .dport = 2000, .seq = 100000,
					 .ack = 1, .flags = flags, .window = 65535 };

	ofd_pktb_init(&b, buf, cap);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, &ip);
	ofd_pktb_tcp(&b, &tcp);
	ofd_pktb_payload(&b, 100);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	return b.len;
}

static struct ofd_result *ref, *tgt;
static uint8_t fa[256], fb[256], fc[256];
static struct ofd_pkt pkt;
static struct ofd_case c;

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(0, &ref), 0);
	ck_assert_int_eq(ofd_result__new(0, &tgt), 0);
	ofd_result_reset(ref);
	ofd_result_reset(tgt);
	memset(&c, 0, sizeof(c));
	c.offload = OFD_OFFLOAD_TX_CSUM;
	c.npkts = 1;
	c.pkts = &pkt;
}

static void teardown(void)
{
	ofd_result__free(ref);
	ofd_result__free(tgt);
}

/* 0x19 FIN|PSH|ACK expected, 0x10 ACK seen: two named lines, FIN's after
 * PSH's (most significant bit first). */
START_TEST(flag_bits_named)
{
	struct ofd_diff d;
	uint32_t n = build_tcp4(fa, sizeof(fa), 0x19, false);

	ck_assert_uint_eq(build_tcp4(fb, sizeof(fb), 0x10, false), n);
	pkt.data = fa;
	pkt.len = n;
	ofd_result_add_ref(ref, fa, n);
	ofd_result_add_ref(tgt, fb, n);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
	ck_assert_int_eq(d.verdict, OFD_V_DISCREPANCY);
	ck_assert_ptr_nonnull(strstr(d.text, "ipv4/tcp: tcp.flags.psh 1 != 0\n"));
	ck_assert_ptr_nonnull(strstr(d.text, "ipv4/tcp: tcp.flags.fin 1 != 0\n"));
	ck_assert(strstr(d.text, "flags.psh") < strstr(d.text, "flags.fin"));
	ck_assert_str_eq(d.headline, "ipv4/tcp: tcp.flags.psh 1 != 0");
	ofd_diff_free(&d);
}
END_TEST

START_TEST(flag_bit_masked_alone)
{
	char *fields[] = { "tcp.flags.psh" };
	struct ofd_mask m = { 1, fields };
	struct ofd_diff d;
	uint32_t n = build_tcp4(fa, sizeof(fa), 0x19, false);

	build_tcp4(fb, sizeof(fb), 0x10, false);
	pkt.data = fa;
	pkt.len = n;
	ofd_result_add_ref(ref, fa, n);
	ofd_result_add_ref(tgt, fb, n);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, &m, &d), 0);
	ck_assert_ptr_null(strstr(d.text, "flags.psh"));
	ck_assert_ptr_nonnull(strstr(d.text, "tcp.flags.fin 1 != 0"));
	ofd_diff_free(&d);

	/* Both bits masked: nothing unmasked differs but the TCP checksum,
	 * which the flags change too; mask it and the case is equal. */
	{
		char *all[] = { "tcp.flags.psh", "tcp.flags.fin", "tcp.checksum" };
		struct ofd_mask m2 = { 3, all };

		ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, &m2, &d), 0);
		ck_assert(d.masked_equal);
		ck_assert_int_eq(d.verdict, OFD_V_EQUAL);
		ofd_diff_free(&d);
	}
}
END_TEST

/* DF is bit 6 of the frag_off field's first byte (RFC 791 3.1). */
START_TEST(ipv4_df_named)
{
	struct ofd_diff d;
	uint32_t n = build_tcp4(fa, sizeof(fa), 0x10, false);

	build_tcp4(fb, sizeof(fb), 0x10, true);
	pkt.data = fa;
	pkt.len = n;
	ofd_result_add_ref(ref, fa, n);
	ofd_result_add_ref(tgt, fb, n);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
	ck_assert_ptr_nonnull(strstr(d.text, "ipv4/tcp: ipv4.frag_off.df 1 != 0\n"));
	ofd_diff_free(&d);
}
END_TEST

/* An offload-qualified entry masks that offload's cases only, and the
 * diff lists what a mask hid, for the report's "masked" counts. */
START_TEST(mask_per_offload)
{
	char *tso_only[] = { "tso:tcp.flags" };
	char *ours[] = { "tx-csum:tcp.flags", "tcp.checksum" };
	struct ofd_mask m1 = { 1, tso_only }, m2 = { 2, ours };
	struct ofd_diff d;
	uint32_t n = build_tcp4(fa, sizeof(fa), 0x19, false);

	build_tcp4(fb, sizeof(fb), 0x10, false);
	pkt.data = fa;
	pkt.len = n;
	ofd_result_add_ref(ref, fa, n);
	ofd_result_add_ref(tgt, fb, n);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, &m1, &d), 0);
	ck_assert_ptr_nonnull(strstr(d.text, "tcp.flags.psh 1 != 0"));
	ck_assert_uint_eq(d.nmasked, 0);
	ofd_diff_free(&d);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, &m2, &d), 0);
	ck_assert(d.masked_equal);
	ck_assert_uint_eq(d.nmasked, 3);
	ck_assert_str_eq(d.masked[0], "tcp.flags.psh");
	ck_assert_str_eq(d.masked[1], "tcp.flags.fin");
	ck_assert_str_eq(d.masked[2], "tcp.checksum");
	ofd_diff_free(&d);
	ck_assert(ofd_mask_entry_known("tso:ipv4.id"));
	ck_assert(ofd_mask_entry_known("tcp-segmentation-offload:ipv4.id"));
	ck_assert(!ofd_mask_entry_known("bogus:ipv4.id"));
	ck_assert(!ofd_mask_entry_known("tso:ipv4.bogus"));
}
END_TEST

START_TEST(mask_names)
{
	ck_assert(ofd_parse_field_known("tcp.flags"));
	ck_assert(ofd_parse_field_known("tcp.flags.psh"));
	ck_assert(ofd_parse_field_known("tcp.flags.cwr"));
	ck_assert(ofd_parse_field_known("tcp.doff.ae"));
	ck_assert(ofd_parse_field_known("ipv4.frag_off.df"));
	ck_assert(!ofd_parse_field_known("tcp.flags.push"));
	ck_assert(!ofd_parse_field_known("tcp.window.psh"));
	ck_assert(!ofd_parse_field_known("udp.flags.psh"));
	ck_assert_str_eq(ofd_parse_field_bit("tcp.flags", 3), "psh");
	ck_assert_str_eq(ofd_parse_field_bit("tcp.flags", 7), "cwr");
	ck_assert_ptr_null(ofd_parse_field_bit("tcp.flags", 8));
}
END_TEST

/* Three frames against two: the count mismatch is the headline; frames
 * of a result are numbered from 0 in generic lines. */
START_TEST(frame_count_and_numbering)
{
	struct ofd_diff d;
	uint32_t n = build_tcp4(fa, sizeof(fa), 0x10, false);

	build_tcp4(fb, sizeof(fb), 0x18, false);
	build_tcp4(fc, sizeof(fc), 0x10, false);
	pkt.data = fa;
	pkt.len = n;
	ofd_result_add_ref(ref, fa, n);
	ofd_result_add_ref(ref, fc, n);
	ofd_result_add_ref(tgt, fa, n);
	ofd_result_add_ref(tgt, fb, n);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
	ck_assert_ptr_nonnull(strstr(d.text, "frame 1: ipv4/tcp: tcp.flags.psh 0 != 1\n"));
	ofd_diff_free(&d);
	ofd_result_add_ref(tgt, fc, n);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
	ck_assert_str_eq(d.cls, "frame-count");
	ck_assert_str_eq(d.headline, "ipv4/tcp: frames 2 != 3");
	ofd_diff_free(&d);
}
END_TEST

/* A segment as new headers plus a piece of the input: read, materialised
 * and compared like the same bytes in one piece. */
START_TEST(split_frames)
{
	uint8_t in[64], whole[80], buf[80], *h1, *h2;
	struct ofd_frame *a, *b, *w;
	uint8_t *d;
	uint32_t i, n;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7);
	ofd_result__free(ref);
	ofd_result__free(tgt);
	ck_assert_int_eq(ofd_result__new(4096, &ref), 0);
	ck_assert_int_eq(ofd_result__new(4096, &tgt), 0);
	ofd_result_reset(ref);
	ofd_result_reset(tgt);
	a = ofd_result_add_split(ref, 16, in + 8, 40, &h1);
	b = ofd_result_add_split(tgt, 16, in + 8, 40, &h2);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	memset(h1, 0xab, 16);
	memset(h2, 0xab, 16);
	ck_assert_uint_eq(a->len, 56);
	ck_assert(ofd_frame_equal(a, b));
	h2[3] = 0;
	ck_assert(!ofd_frame_equal(a, b));
	/* the same bytes in one piece */
	memset(whole, 0xab, 16);
	memcpy(whole + 16, in + 8, 40);
	w = ofd_result_add_new(tgt, 56, &d);
	memcpy(d, whole, 56);
	ck_assert(ofd_frame_equal(a, w));
	ck_assert(ofd_frame_equal(w, a));
	ofd_frame_materialize(a, buf);
	ck_assert(!memcmp(buf, whole, 56));
	ck_assert_uint_eq(ofd_frame_byte(a, 15), 0xab);
	ck_assert_uint_eq(ofd_frame_byte(a, 16), in[8]);
	ck_assert_uint_eq(ofd_frame_byte(a, 55), in[47]);
	ck_assert_ptr_eq(ofd_frame_run(a, 20, &n), in + 12);
	ck_assert_uint_eq(n, 36);
	/* a tail differing by one byte, and a patch over the tail */
	whole[40] ^= 1;
	memcpy(d, whole, 56);
	ck_assert(!ofd_frame_equal(a, w));
	ck_assert_int_eq(ofd_frame_patch(a, 40, &whole[40], 1), 0);
	ck_assert(ofd_frame_equal(a, w));
}
END_TEST

static Suite *diff_fields_suite(void)
{
	Suite *s = suite_create("diff_fields");
	TCase *tc = tcase_create("names");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, flag_bits_named);
	tcase_add_test(tc, flag_bit_masked_alone);
	tcase_add_test(tc, ipv4_df_named);
	tcase_add_test(tc, mask_names);
	tcase_add_test(tc, mask_per_offload);
	tcase_add_test(tc, split_frames);
	tcase_add_test(tc, frame_count_and_numbering);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(diff_fields_suite)
