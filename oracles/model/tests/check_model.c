// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model.c - the model engine's tx-csum path.
 *
 * Cases (expected values from kernel-tx.md, probes on Linux 6.18.44):
 *  - every virtio_net_hdr rejection rule (section 3.2/3.3): T10, T11, T12,
 *    T13, T13c, T14, gso_type 0x80 alone, GSO_BY_FRAGS, short frame,
 *    TCPV6 transport offset < 40, thlen past the frame;
 *  - legacy-request rejections at transmit (skb_checksum_help WARNs);
 *  - T1 segment 0 sent as one frame with the seed: TCP checksum 0xc828;
 *  - T6: a TCP frame whose true checksum is 0 leaves with 0xffff;
 *  - Q1: trailer bytes after tot_len are part of the sum;
 *  - T4: gso_size >= payload is not GSO and is checksummed;
 *  - no NEEDS_CSUM, DATA_VALID only: the frame leaves unchanged;
 *  - SCTP CRC32c stored little endian at csum_start + 8.
 */
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_test.h"

extern const struct ofd_engine_ops ofd_engine_model;

#define ETH 14
/* naive RFC 1071 sum added to s, folded (harness/tests/test_util.c) */
static uint32_t naive(const uint8_t *p, size_t len, uint32_t s)
{
	return ofd_test_fold(ofd_test_sum(p, len, s));
}


/* Ethernet + IPv4 + TCP (or UDP) + payload (i*7), field pre-filled with
 * the seed as the stack does. Returns the frame length. */
static uint32_t build_v4(uint8_t *f, uint8_t proto, uint32_t plen, uint32_t trailer)
{
	uint32_t l4 = proto == 6 ? 20 : 8, i, ps;

	memset(f, 0, ETH + 20 + l4 + plen + trailer);
	f[12] = 0x08;
	f[ETH] = 0x45;
	ofd_put_be16(f + ETH + 2, (uint16_t)(20 + l4 + plen));
	ofd_put_be16(f + ETH + 4, 0x1234);
	f[ETH + 6] = 0x40;
	f[ETH + 8] = 64;
	f[ETH + 9] = proto;
	f[ETH + 12] = 10; f[ETH + 15] = 1;
	f[ETH + 16] = 10; f[ETH + 19] = 2;
	ofd_put_be16(f + ETH + 10, (uint16_t)~naive(f + ETH, 20, 0));
	ofd_put_be16(f + ETH + 20, 1000);
	ofd_put_be16(f + ETH + 22, 2000);
	if (proto == 6) {
		ofd_put_be32(f + ETH + 24, 100000);
		ofd_put_be32(f + ETH + 28, 1);
		f[ETH + 32] = 0x50;
		f[ETH + 33] = 0x90;
		ofd_put_be16(f + ETH + 34, 65535);
	} else {
		ofd_put_be16(f + ETH + 24, (uint16_t)(8 + plen));
	}
	for (i = 0; i < plen; i++)
		f[ETH + 20 + l4 + i] = (uint8_t)(i * 7);
	for (i = 0; i < trailer; i++)
		f[ETH + 20 + l4 + plen + i] = (uint8_t)(0xa0 + i);
	/* seed: folded pseudo-header sum, not complemented */
	ps = naive((const uint8_t[]){ 10, 0, 0, 1, 10, 0, 0, 2, 0, proto }, 10, l4 + plen);
	ofd_put_be16(f + ETH + 20 + (proto == 6 ? 16 : 6), (uint16_t)ps);
	return ETH + 20 + l4 + plen + trailer;
}

static struct ofd_result *res;
static uint8_t frame[4096];

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(0, &res), 0);
}

static void teardown(void)
{
	ofd_result__free(res);
}

static void run_case(const uint8_t *f, uint32_t len, const struct ofd_request *req)
{
	struct ofd_pkt pkt = { .data = f, .len = len };
	struct ofd_case c = { .offload = OFD_OFFLOAD_TX_CSUM, .npkts = 1, .pkts = &pkt,
			      .req = *req };

	ofd_result_reset(res);
	ck_assert_int_eq(ofd_engine_model.run(NULL, &c, &res, 1), 0);
}

static uint16_t out16(uint32_t off)
{
	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->nframes, 1);
	return (uint16_t)(ofd_frame_byte(&res->frame[0], off) << 8 |
			  ofd_frame_byte(&res->frame[0], off + 1));
}

static const struct reject_case {
	const char *name;
	uint8_t proto;     /* frame: 6 TCP, 17 UDP; payload 200 */
	uint32_t cut;      /* frame length if non-zero */
	struct ofd_vnet_hdr h;
	uint8_t kind;
	uint16_t reason;
	uint8_t stage;
} rejects[] = {
	{ "T10 hdr_len past frame", 6, 0, { 0, 0, 400, 0, 0, 0 }, OFD_REQ_VNET,
	  OFD_REASON_HDR_LEN_PAST_FRAME, OFD_STAGE_SUBMIT },
	{ "csum_offset past frame raises hdr_len", 6, 0, { 1, 0, 0, 0, 34, 300 }, OFD_REQ_VNET,
	  OFD_REASON_HDR_LEN_PAST_FRAME, OFD_STAGE_SUBMIT },
	{ "T11 csum_start 14", 6, 0, { 1, 0, 0, 0, 14, 16 }, OFD_REQ_VNET,
	  OFD_REASON_CSUM_START_TOO_SMALL, OFD_STAGE_SUBMIT },
	{ "gso_type 2 unknown", 6, 0, { 0, 2, 0, 100, 0, 0 }, OFD_REQ_VNET,
	  OFD_REASON_GSO_TYPE_INVALID, OFD_STAGE_SUBMIT },
	{ "P3 gso_type 0x10 unknown", 6, 0, { 1, 0x11, 0, 100, 34, 16 }, OFD_REQ_VNET,
	  OFD_REASON_GSO_TYPE_INVALID, OFD_STAGE_SUBMIT },
	{ "ECN bit alone", 6, 0, { 1, 0x80, 0, 100, 34, 16 }, OFD_REQ_VNET,
	  OFD_REASON_GSO_TYPE_INVALID, OFD_STAGE_SUBMIT },
	{ "T14 gso_size 0", 6, 0, { 1, 1, 0, 0, 34, 16 }, OFD_REQ_VNET,
	  OFD_REASON_GSO_SIZE_ZERO, OFD_STAGE_SUBMIT },
	{ "T12 TCPV4 csum_offset 6", 6, 0, { 1, 1, 0, 100, 34, 6 }, OFD_REQ_VNET,
	  OFD_REASON_GSO_CSUM_OFFSET, OFD_STAGE_SUBMIT },
	{ "UDP_L4 csum_offset 16", 17, 0, { 1, 5, 0, 100, 34, 16 }, OFD_REQ_VNET,
	  OFD_REASON_GSO_CSUM_OFFSET, OFD_STAGE_SUBMIT },
	{ "T13 UDP_L4 with ECN", 17, 0, { 1, 0x85, 0, 100, 34, 6 }, OFD_REQ_VNET,
	  OFD_REASON_UDP_L4_ECN, OFD_STAGE_SUBMIT },
	{ "T13c UDP_L4 over 128 segments", 17, 0, { 1, 5, 0, 1, 34, 6 }, OFD_REQ_VNET,
	  OFD_REASON_UDP_L4_TOO_MANY_SEGS, OFD_STAGE_SUBMIT },
	{ "GSO_BY_FRAGS", 6, 0, { 1, 1, 0, 0xffff, 34, 16 }, OFD_REQ_VNET,
	  OFD_REASON_GSO_SIZE_BY_FRAGS, OFD_STAGE_SUBMIT },
	{ "TCPV6 transport offset below 40", 6, 0, { 1, 4, 0, 100, 34, 16 }, OFD_REQ_VNET,
	  OFD_REASON_CSUM_START_TOO_SMALL, OFD_STAGE_SUBMIT },
	{ "TCP header (thlen 20) past the frame", 6, 0, { 1, 1, 0, 100, 236, 16 }, OFD_REQ_VNET,
	  OFD_REASON_CSUM_PAST_FRAME, OFD_STAGE_SUBMIT },
	{ "frame shorter than Ethernet", 6, 10, { 0, 0, 0, 0, 0, 0 }, OFD_REQ_VNET,
	  OFD_REASON_FRAME_TOO_SHORT, OFD_STAGE_SUBMIT },
	{ "legacy: csum_start outside", 6, 0, { 1, 0, 0, 0, 254, 16 }, OFD_REQ_LEGACY,
	  OFD_REASON_CSUM_START_OUTSIDE, OFD_STAGE_XMIT },
	{ "legacy: field outside", 6, 0, { 1, 0, 0, 0, 240, 16 }, OFD_REQ_LEGACY,
	  OFD_REASON_CSUM_FIELD_OUTSIDE, OFD_STAGE_XMIT },
};

START_TEST(rejection_rules)
{
	const struct reject_case *rc = &rejects[_i];
	struct ofd_request req = { .kind = rc->kind, .vnet = rc->h };
	uint32_t len = build_v4(frame, rc->proto, 200, 0);

	if (rc->cut)
		len = rc->cut;
	run_case(frame, len, &req);
	ck_assert_msg(res->status == OFD_RES_REJECTED, "%s: not rejected", rc->name);
	ck_assert_msg(res->reason == rc->reason, "%s: reason %s", rc->name,
		      ofd_reason_str(res->reason));
	ck_assert_msg(res->stage == rc->stage, "%s: stage %u", rc->name, res->stage);
}
END_TEST

START_TEST(t1_segment0_as_one_frame)
{
	struct ofd_request req = { .vnet = { .flags = 1, .csum_start = 34, .csum_offset = 16 } };
	uint32_t len = build_v4(frame, 6, 1000, 0);

	run_case(frame, len, &req);
	/* kernel-tx.md 10.6 T1, first segment: the kernel wrote 0xc828 */
	ck_assert_uint_eq(out16(ETH + 20 + 16), 0xc828);
	/* nothing else changed */
	ck_assert_uint_eq(res->frame[0].len, len);
	ck_assert_uint_eq(out16(ETH + 10), (uint16_t)(frame[ETH + 10] << 8 | frame[ETH + 11]));
}
END_TEST

START_TEST(t6_zero_becomes_ffff)
{
	struct ofd_request req = { .vnet = { .flags = 1, .csum_start = 34, .csum_offset = 16 } };
	uint32_t len = build_v4(frame, 6, 40, 0), s;
	uint16_t fix;

	/* Choose the last two payload bytes so the sum is 0xffff: the true
	 * checksum is then 0x0000. */
	frame[len - 2] = frame[len - 1] = 0;
	s = naive(frame + 34, len - 34, 0);
	fix = (uint16_t)(0xffff - s);
	ofd_put_be16(frame + len - 2, fix);
	ck_assert_uint_eq(naive(frame + 34, len - 34, 0), 0xffff);
	run_case(frame, len, &req);
	ck_assert_uint_eq(out16(ETH + 20 + 16), 0xffff);
}
END_TEST

START_TEST(q1_trailer_included)
{
	struct ofd_request req = { .vnet = { .flags = 1, .csum_start = 34, .csum_offset = 6 } };
	uint32_t len = build_v4(frame, 17, 21, 10);
	uint16_t want;

	want = (uint16_t)~naive(frame + 34, len - 34, 0);
	run_case(frame, len, &req);
	ck_assert_uint_eq(out16(ETH + 20 + 6), want ? want : 0xffff);
	/* and it is not the checksum over tot_len only */
	ck_assert_uint_ne(out16(ETH + 20 + 6),
			  (uint16_t)~naive(frame + 34, len - 10 - 34, 0));
}
END_TEST

START_TEST(t4_not_really_gso)
{
	struct ofd_request req = { .vnet = { .flags = 1, .gso_type = 1, .gso_size = 1000,
					     .csum_start = 34, .csum_offset = 16 } };
	uint32_t len = build_v4(frame, 6, 1000, 0);

	run_case(frame, len, &req);
	ck_assert_uint_eq(out16(ETH + 20 + 16), 0xc828);
}
END_TEST

START_TEST(no_csum_unchanged)
{
	struct ofd_request req = { .vnet = { .flags = OFD_VNET_F_DATA_VALID } };
	uint32_t len = build_v4(frame, 6, 100, 0), i;

	run_case(frame, len, &req);
	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->frame[0].len, len);
	for (i = 0; i < len; i++)
		ck_assert_uint_eq(ofd_frame_byte(&res->frame[0], i), frame[i]);
}
END_TEST

START_TEST(sctp_crc32c_little_endian)
{
	/* 32 zero bytes after csum_start: RFC 3720 B.4 gives CRC 0x8a9136aa,
	 * stored least significant byte first at csum_start + 8 */
	struct ofd_request req = { .csum_type = OFD_CSUM_CRC32C,
				   .vnet = { .flags = 1, .csum_start = 34, .csum_offset = 8 } };
	uint32_t len = 34 + 32;

	memset(frame, 0, len);
	frame[12] = 0x08;
	frame[ETH] = 0x45;
	run_case(frame, len, &req);
	ck_assert_msg(res->status == OFD_RES_OK, "%s", ofd_reason_str(res->reason));
	ck_assert_uint_eq(ofd_frame_byte(&res->frame[0], 42), 0xaa);
	ck_assert_uint_eq(ofd_frame_byte(&res->frame[0], 43), 0x36);
	ck_assert_uint_eq(ofd_frame_byte(&res->frame[0], 44), 0x91);
	ck_assert_uint_eq(ofd_frame_byte(&res->frame[0], 45), 0x8a);
}
END_TEST

static Suite *model_suite(void)
{
	Suite *s = suite_create("model");
	TCase *tc = tcase_create("tx-csum");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, rejection_rules, 0, OFD_ARRAY_SIZE(rejects));
	tcase_add_test(tc, t1_segment0_as_one_frame);
	tcase_add_test(tc, t6_zero_becomes_ffff);
	tcase_add_test(tc, q1_trailer_included);
	tcase_add_test(tc, t4_not_really_gso);
	tcase_add_test(tc, no_csum_unchanged);
	tcase_add_test(tc, sctp_crc32c_little_endian);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_suite)
