// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_rxjudge.c - the receive-side judge (oracles/kernel/rxjudge.c): the
 * live kernel's receive path decides, the tests give it frames whose
 * checksums are known from the kernel's own probes (kernel-tx.md 10.6) or
 * computed here with a naive RFC 1071 sum (ofd_test_sum), never with the
 * project's checksum code.
 *
 * Cases:
 *  - known-good frames: kernel-tx.md 10.6 T1 segments 1 and 3 (TCP csum
 *    0xc828, 0x7c52) and T7 segment 1 (UDP csum 0x8bcc) are accepted; the
 *    same frames with the checksum flipped are rejected;
 *  - IPv4 ICMP echo, IPv6 UDP, IPv6 TCP, ICMPv6 echo: good accepted, flipped
 *    rejected; behind 802.1Q, and inside VXLAN (judged after decap; not
 *    judgeable when the outer packet is a first fragment);
 *  - the SRH question, decided by the live kernel: an SRH with segments
 *    left 0 and a Destination Address other than Segment List[0]; the TCP
 *    (and UDP) checksum over the Destination Address is accepted, the one
 *    over Segment List[0] rejected;
 *  - segments left > 0 is judged at its final recipient: the checksum
 *    over Segment List[0] is accepted, the one over the current
 *    Destination Address rejected; a type 0 routing header with segments
 *    left 0 is judged against the Destination Address;
 *  - not judgeable, with a reason: SCTP, an IPv4 first fragment, an
 *    unknown routing type with segments left, non-zero bytes after the
 *    UDP length;
 *  - the judge refuses an engine that is not the kernel's.
 *
 * Needs root like check_kernel.c: without it the tests print why and pass.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_kernel.h"
#include "ofd_test.h"

#define sum16(p, len, s) ofd_test_fold(ofd_test_sum((p), (len), (s)))

static const uint8_t v4src[4] = { 10, 0, 0, 1 }, v4dst[4] = { 10, 0, 0, 2 };
static const uint8_t v6src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
static const uint8_t v6seg0[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, [15] = 0x99 };
static const uint8_t v6seg1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, [15] = 0x42 };

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static struct ofd_engine *judge_engine(void)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	struct ofd_engine *e = NULL;
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "rxjudge suite: not run: %s\n", why);
		return NULL;
	}
	ck_assert_int_eq(ofd_engine__open("kernel", &o, &e, why, sizeof(why)), 0);
	return e;
}

static enum ofd_rxjudge judge(struct ofd_engine *e, const uint8_t *f,
			      uint32_t len, const char **why)
{
	struct ofd_frame fr = { .base = f, .len = len };
	enum ofd_rxjudge v;
	const char *w;

	ck_assert_int_eq(ofd_kernel_rx_judge(e, &fr, &v, &w), 0);
	if (why)
		*why = w;
	return v;
}

/* ---- IPv4 -------------------------------------------------------- */

static uint32_t eth(uint8_t *f, uint16_t type)
{
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	put16(f + 12, type);
	return 14;
}

/* IPv4 header at f (20 bytes), 10.0.0.1 -> 10.0.0.2, DF, TTL 64. */
static void ipv4(uint8_t *ip, uint8_t proto, uint32_t l4len, uint16_t id)
{
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + l4len);
	put16(ip + 4, id);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, v4src, 4);
	memcpy(ip + 16, v4dst, 4);
	put16(ip + 10, (uint16_t)~sum16(ip, 20, 0));
}

/*
 * kernel-tx.md 10.6 common setup, TCP: ports 1000 -> 2000, ack 1, window
 * 65535, payload bytes (i * 7) & 0xff for stream positions first.., the
 * checksum given (from the probe table). Returns the frame length.
 */
static uint32_t t1_segment(uint8_t *f, uint32_t seq, uint8_t flags,
			   uint16_t id, uint32_t first, uint32_t n,
			   uint16_t csum)
{
	uint8_t *th = f + 34;
	uint32_t i;

	eth(f, 0x0800);
	ipv4(f + 14, 6, 20 + n, id);
	memset(th, 0, 20);
	put16(th, 1000);
	put16(th + 2, 2000);
	put32(th + 4, seq);
	put32(th + 8, 1);
	th[12] = 0x50;
	th[13] = flags;
	put16(th + 14, 65535);
	put16(th + 16, csum);
	for (i = 0; i < n; i++)
		th[20 + i] = (uint8_t)((first + i) * 7);
	return 34 + 20 + n;
}

/* T7 segment 1: UDP 3000 -> 4000, ID 0x2000, 1000 bytes, csum 0x8bcc. */
static uint32_t t7_segment1(uint8_t *f)
{
	uint8_t *uh = f + 34;
	uint32_t i;

	eth(f, 0x0800);
	ipv4(f + 14, 17, 1008, 0x2000);
	put16(uh, 3000);
	put16(uh + 2, 4000);
	put16(uh + 4, 1008);
	put16(uh + 6, 0x8bcc);
	for (i = 0; i < 1000; i++)
		uh[8 + i] = (uint8_t)(i * 7);
	return 34 + 1008;
}

START_TEST(probe_table_frames)
{
	struct ofd_engine *e = judge_engine();
	uint8_t *f = calloc(1, 4096);
	uint32_t len;

	if (!e)
		return;
	ck_assert_ptr_nonnull(f);
	/* T1 segments 1 and 3 (flags 0x90 and 0x19, IDs 0x1234, 0x1236). */
	len = t1_segment(f, 100000, 0x90, 0x1234, 0, 1000, 0xc828);
	ck_assert_int_eq(judge(e, f, len, NULL), OFD_RXJ_ACCEPTED);
	f[34 + 17] ^= 0x01;
	ck_assert_int_eq(judge(e, f, len, NULL), OFD_RXJ_REJECTED);
	len = t1_segment(f, 102000, 0x19, 0x1236, 2000, 500, 0x7c52);
	ck_assert_int_eq(judge(e, f, len, NULL), OFD_RXJ_ACCEPTED);
	f[34 + 16] ^= 0x80;
	ck_assert_int_eq(judge(e, f, len, NULL), OFD_RXJ_REJECTED);
	len = t7_segment1(f);
	ck_assert_int_eq(judge(e, f, len, NULL), OFD_RXJ_ACCEPTED);
	f[34 + 7] ^= 0x10;
	ck_assert_int_eq(judge(e, f, len, NULL), OFD_RXJ_REJECTED);
	free(f);
	ofd_engine__close(e);
}
END_TEST

/* ICMP echo request over IPv4, optionally behind an 802.1Q tag. */
static uint32_t icmp4_frame(uint8_t *f, bool vlan, bool bad)
{
	uint32_t o = eth(f, vlan ? 0x8100 : 0x0800), i;
	uint8_t *ih;

	if (vlan) {
		put16(f + o, 7);
		put16(f + o + 2, 0x0800);
		o += 4;
	}
	ipv4(f + o, 1, 8 + 32, 1);
	ih = f + o + 20;
	memset(ih, 0, 8);
	ih[0] = 8;
	put16(ih + 4, 0x1234);
	put16(ih + 6, 1);
	for (i = 0; i < 32; i++)
		ih[8 + i] = (uint8_t)i;
	put16(ih + 2, (uint16_t)~sum16(ih, 40, 0) ^ (bad ? 1 : 0));
	return o + 20 + 40;
}

START_TEST(icmp_v4)
{
	struct ofd_engine *e = judge_engine();
	uint8_t f[256];

	if (!e)
		return;
	ck_assert_int_eq(judge(e, f, icmp4_frame(f, false, false), NULL), OFD_RXJ_ACCEPTED);
	ck_assert_int_eq(judge(e, f, icmp4_frame(f, false, true), NULL), OFD_RXJ_REJECTED);
	ck_assert_int_eq(judge(e, f, icmp4_frame(f, true, false), NULL), OFD_RXJ_ACCEPTED);
	ck_assert_int_eq(judge(e, f, icmp4_frame(f, true, true), NULL), OFD_RXJ_REJECTED);
	ofd_engine__close(e);
}
END_TEST

/* ---- IPv6 -------------------------------------------------------- */

/* RFC 8200 8.1 pseudo-header sum (not folded) for dst. */
static uint32_t pseudo6(const uint8_t *dst, uint8_t proto, uint32_t l4len)
{
	uint32_t s = ofd_test_sum(v6src, 16, 0);

	s = ofd_test_sum(dst, 16, s);
	return s + (l4len >> 16) + (l4len & 0xffff) + proto;
}

struct v6spec {
	uint8_t proto;         /* 6, 17, 58 */
	const uint8_t *da;     /* IPv6 Destination Address */
	const uint8_t *ck_dst; /* the address the checksum is computed over */
	int rh_type;           /* -1: no routing header */
	uint8_t nsegs;         /* addresses in it */
	const uint8_t (*segs)[16];
	uint8_t sl;
	bool bad;
};

static uint32_t v6_frame(uint8_t *f, const struct v6spec *s)
{
	uint32_t o = eth(f, 0x86dd), ext = 0, l4len, i, csoff;
	uint8_t *ip = f + o, *l4;

	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[7] = 64;
	memcpy(ip + 8, v6src, 16);
	memcpy(ip + 24, s->da, 16);
	if (s->rh_type >= 0) {
		uint8_t *rh = ip + 40;

		ext = 8 + 16u * s->nsegs;
		memset(rh, 0, ext);
		rh[0] = s->proto;
		rh[1] = (uint8_t)(2 * s->nsegs);
		rh[2] = (uint8_t)s->rh_type;
		rh[3] = s->sl;
		if (s->rh_type == 4)
			rh[4] = (uint8_t)(s->nsegs - 1); /* Last Entry */
		for (i = 0; i < s->nsegs; i++)
			memcpy(rh + 8 + 16 * i, s->segs[i], 16);
		ip[6] = 43;
	} else {
		ip[6] = s->proto;
	}
	l4 = ip + 40 + ext;
	switch (s->proto) {
	case 6:
		l4len = 20 + 48;
		memset(l4, 0, 20);
		put16(l4, 1000);
		put16(l4 + 2, 2000);
		put32(l4 + 4, 7);
		l4[12] = 0x50;
		l4[13] = 0x18;
		put16(l4 + 14, 1024);
		csoff = 16;
		break;
	case 17:
		l4len = 8 + 48;
		put16(l4, 1000);
		put16(l4 + 2, 2000);
		put16(l4 + 4, l4len);
		put16(l4 + 6, 0);
		csoff = 6;
		break;
	default:
		l4len = 8 + 48;
		memset(l4, 0, 8);
		l4[0] = 128; /* echo request */
		put16(l4 + 4, 0x77);
		put16(l4 + 6, 3);
		csoff = 2;
		break;
	}
	for (i = l4len - 48; i < l4len; i++)
		l4[i] = (uint8_t)(i * 13 + 5);
	put16(ip + 4, ext + l4len);
	put16(l4 + csoff, (uint16_t)~sum16(l4, l4len, pseudo6(s->ck_dst, s->proto, l4len)) ^
				  (s->bad ? 0x0101 : 0));
	return o + 40 + ext + l4len;
}

START_TEST(plain_v6)
{
	static const uint8_t protos[] = { 6, 17, 58 };
	struct ofd_engine *e = judge_engine();
	uint8_t f[512];
	size_t i;

	if (!e)
		return;
	for (i = 0; i < sizeof(protos); i++) {
		struct v6spec s = { .proto = protos[i], .da = v6dst, .ck_dst = v6dst,
				    .rh_type = -1 };

		ck_assert_int_eq(judge(e, f, v6_frame(f, &s), NULL), OFD_RXJ_ACCEPTED);
		s.bad = true;
		ck_assert_int_eq(judge(e, f, v6_frame(f, &s), NULL), OFD_RXJ_REJECTED);
	}
	ofd_engine__close(e);
}
END_TEST

/*
 * The live kernel settles it: segments left 0, Destination Address !=
 * Segment List[0]. The receiver validates against the Destination
 * Address.
 */
START_TEST(srh_sl0_da_differs)
{
	static const uint8_t protos[] = { 6, 17, 58 };
	const uint8_t segs[2][16];
	struct ofd_engine *e = judge_engine();
	uint8_t f[512];
	size_t i;

	if (!e)
		return;
	memcpy((void *)segs[0], v6seg0, 16);
	memcpy((void *)segs[1], v6seg1, 16);
	for (i = 0; i < sizeof(protos); i++) {
		struct v6spec s = { .proto = protos[i], .da = v6dst, .rh_type = 4,
				    .nsegs = 2, .segs = segs, .sl = 0 };
		const char *why;

		s.ck_dst = v6dst;
		ck_assert_int_eq(judge(e, f, v6_frame(f, &s), &why), OFD_RXJ_ACCEPTED);
		s.ck_dst = v6seg0;
		ck_assert_int_eq(judge(e, f, v6_frame(f, &s), &why), OFD_RXJ_REJECTED);
		/* A type 0 header with segments left 0 is read the same way. */
		s.rh_type = 0;
		s.ck_dst = v6dst;
		ck_assert_int_eq(judge(e, f, v6_frame(f, &s), &why), OFD_RXJ_ACCEPTED);
		s.ck_dst = v6seg1;
		ck_assert_int_eq(judge(e, f, v6_frame(f, &s), &why), OFD_RXJ_REJECTED);
	}
	ofd_engine__close(e);
}
END_TEST

/* Segments left > 0: judged at the final recipient. */
START_TEST(srh_in_transit)
{
	const uint8_t segs[2][16];
	struct ofd_engine *e = judge_engine();
	struct v6spec s = { .proto = 6, .da = v6seg1, .rh_type = 4, .nsegs = 2,
			    .segs = segs, .sl = 1 };
	uint8_t f[512];

	if (!e)
		return;
	memcpy((void *)segs[0], v6seg0, 16);
	memcpy((void *)segs[1], v6seg1, 16);
	s.ck_dst = v6seg0;
	ck_assert_int_eq(judge(e, f, v6_frame(f, &s), NULL), OFD_RXJ_ACCEPTED);
	s.ck_dst = v6seg1;
	ck_assert_int_eq(judge(e, f, v6_frame(f, &s), NULL), OFD_RXJ_REJECTED);
	/* Type 0: the last address is the final destination. */
	s.rh_type = 0;
	s.da = v6dst;
	s.ck_dst = v6seg1;
	ck_assert_int_eq(judge(e, f, v6_frame(f, &s), NULL), OFD_RXJ_ACCEPTED);
	s.ck_dst = v6dst;
	ck_assert_int_eq(judge(e, f, v6_frame(f, &s), NULL), OFD_RXJ_REJECTED);
	ofd_engine__close(e);
}
END_TEST

/* VXLAN over IPv4 carrying the T1 segment: the inner checksum is judged. */
START_TEST(vxlan_inner)
{
	struct ofd_engine *e = judge_engine();
	uint8_t *f = calloc(1, 4096), *in;
	uint32_t ilen, olen = 14 + 20 + 8 + 8;
	const char *why;

	if (!e)
		return;
	ck_assert_ptr_nonnull(f);
	in = f + olen;
	ilen = t1_segment(in, 100000, 0x90, 0x1234, 0, 1000, 0xc828);
	eth(f, 0x0800);
	ipv4(f + 14, 17, 8 + 8 + ilen, 9);
	put16(f + 34, 5555);
	put16(f + 36, 4789);
	put16(f + 38, 8 + 8 + ilen);
	f[42] = 0x08;
	ck_assert_int_eq(judge(e, f, olen + ilen, NULL), OFD_RXJ_ACCEPTED);
	in[34 + 17] ^= 0x01;
	ck_assert_int_eq(judge(e, f, olen + ilen, NULL), OFD_RXJ_REJECTED);
	/* A first fragment of the outer packet (UFO): not judgeable. */
	in[34 + 17] ^= 0x01;
	f[20] |= 0x20;
	ck_assert_int_eq(judge(e, f, olen + ilen, &why), OFD_RXJ_UNJUDGEABLE);
	ck_assert_ptr_nonnull(strstr(why, "fragment"));
	free(f);
	ofd_engine__close(e);
}
END_TEST

START_TEST(not_judgeable)
{
	const uint8_t segs[2][16];
	struct ofd_engine *e = judge_engine();
	uint8_t *f = calloc(1, 4096);
	struct v6spec s = { .proto = 6, .da = v6seg1, .ck_dst = v6seg0,
			    .rh_type = 3, .nsegs = 2, .segs = segs, .sl = 1 };
	const char *why;
	uint32_t len;

	if (!e)
		return;
	ck_assert_ptr_nonnull(f);
	memcpy((void *)segs[0], v6seg0, 16);
	memcpy((void *)segs[1], v6seg1, 16);
	ck_assert_int_eq(judge(e, f, v6_frame(f, &s), &why), OFD_RXJ_UNJUDGEABLE);
	ck_assert_ptr_nonnull(strstr(why, "routing header"));

	/* SCTP: nothing in this kernel validates CRC32c on receive. */
	len = t1_segment(f, 1, 0x10, 1, 0, 16, 0);
	f[23] = 132;
	put16(f + 24, 0);
	put16(f + 24, (uint16_t)~sum16(f + 14, 20, 0));
	ck_assert_int_eq(judge(e, f, len, &why), OFD_RXJ_UNJUDGEABLE);
	ck_assert_ptr_nonnull(strstr(why, "SCTP"));

	/* A first fragment (MF). */
	len = t1_segment(f, 100000, 0x90, 0x1234, 0, 1000, 0xc828);
	f[20] |= 0x20;
	ck_assert_int_eq(judge(e, f, len, &why), OFD_RXJ_UNJUDGEABLE);
	ck_assert_ptr_nonnull(strstr(why, "fragment"));

	/* Non-zero bytes after the UDP length. */
	len = t7_segment1(f);
	f[len] = 0xaa;
	ck_assert_int_eq(judge(e, f, len + 1, &why), OFD_RXJ_UNJUDGEABLE);
	ck_assert_ptr_nonnull(strstr(why, "UDP length"));
	/* Zero bytes there change nothing: judged. */
	f[len] = 0;
	ck_assert_int_eq(judge(e, f, len + 1, &why), OFD_RXJ_ACCEPTED);
	free(f);
	ofd_engine__close(e);
}
END_TEST

START_TEST(needs_kernel_engine)
{
	struct ofd_engine_opts o = { 0 };
	struct ofd_engine *m = NULL;
	struct ofd_frame fr = { 0 };
	enum ofd_rxjudge v;
	const char *why;
	char err[256];

	ck_assert_int_eq(ofd_engine__open("model", &o, &m, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_kernel_rx_judge(m, &fr, &v, &why), -EINVAL);
	ofd_engine__close(m);
}
END_TEST

static Suite *rxjudge_suite(void)
{
	Suite *s = suite_create("rxjudge");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, probe_table_frames);
	tcase_add_test(tc, icmp_v4);
	tcase_add_test(tc, plain_v6);
	tcase_add_test(tc, srh_sl0_da_differs);
	tcase_add_test(tc, srh_in_transit);
	tcase_add_test(tc, vxlan_inner);
	tcase_add_test(tc, not_judgeable);
	tcase_add_test(tc, needs_kernel_engine);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(rxjudge_suite)
