// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_kernel.c - the kernel engine (oracles/kernel/kernel.c) against the probe
 * results of kernel-tx.md 10.6 and kernel-rx.md 7.4, and against checksums
 * computed here independently (RFC 1071 over the pseudo-header, RFC 793).
 *
 * Frames follow kernel-tx.md 10.6 "Common setup": payload byte i is
 * (i * 7) & 0xff, IPv4 10.0.0.1 -> 10.0.0.2, ports 1000 -> 2000, ack 1,
 * window 65535, ID 0x1234, TTL 64, DF; for NEEDS_CSUM the L4 checksum field
 * holds the seed: the folded, non-complemented pseudo-header sum over the
 * full L4 length.
 *
 * Cases:
 *  - tso: T1 (3 segments: seq, flags 0x90/0x10/0x19, IDs, csum
 *    0xc828/0xe2de/0x7c52, tot_len 1040/1040/540), T2 (ID wrap), T4 (not
 *    GSO: one frame), T5 (12 B options + 995 B, gso 1000: dropped at xmit),
 *    T7 (USO: UDP len 1008/1008/508, csum 0x8bcc/0xa9ea/0x4943, which
 *    need ports 3000 -> 4000, not the common setup's), T15
 *    (gso_size 4: 5 segments, no clamp in 6.18);
 *  - tx-csum: valid checksums for several sizes, T6 (a zero sum leaves as
 *    0xffff), Q1 (trailer bytes are summed), legacy == vnet request,
 *    rejections: csum_offset past the frame, T11 csum_start 14, T10
 *    hdr_len > len, T14 gso_size 0, non-GSO frame > MTU (EMSGSIZE), CRC32c
 *    unsupported;
 *  - batched (sendmmsg) and one-at-a-time runs give identical results on a
 *    mixed run with refusals and GSO cases in between;
 *  - gro: kernel-rx.md 7.4 rows (4x100 -> 400 gso_size 100; 100,100,50 ->
 *    250; 50|100; DF=0 fixed IDs -> 300; IDs 8,9,9 -> 200|100; window
 *    change; PSH on 2nd of 4 -> 200|200; bad checksum reorder; TSval
 *    5,5,6 -> 200|100; data, pure ACK, data -> 100|0|100; 4 B then 4 B
 *    padded to 60 -> 4|4 with the padded one not validated) plus an
 *    explicit FLUSH_AFTER boundary, each repeated 25 times in one run;
 *  - rx-csum: a good TCP frame is DATA_VALID (UNNECESSARY), a bad one and a
 *    non-IP frame are NONE;
 *  - the host's links, addresses, routes and mounts are unchanged by an engine
 *    open/run/close and by a SIGKILLed child running the engine, and the
 *    child's namespace goes away (its NAPI kthread disappears).
 *
 * Everything needs root: when the engine's probe fails the tests print the
 * reason and pass (Check has no skip); CI runs them as root.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>

#include "ofd.h"
#include "ofd_kernel.h"
#include "ofd_test.h"
#include "kernel_internal.h"

#define ARENA (512 * 1024)
#define MAXCASES 256
#define FRAME_MAX 70000

/* ------------------------------------------------------------------ */
/* Independent checksum arithmetic (RFC 1071)                          */
/* ------------------------------------------------------------------ */

/* sum16: naive RFC 1071 sum of len bytes added to s, folded. */
#define sum16(p, len, s) ofd_test_fold(ofd_test_sum((p), (len), (s)))


/* IPv4 pseudo-header 10.0.0.1 -> 10.0.0.2 (RFC 793 3.1, RFC 768). */
static uint32_t pseudo(uint8_t proto, uint32_t l4len)
{
	static const uint8_t ph[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };

	return sum16(ph, 8, proto + (l4len >> 16) + (l4len & 0xffff));
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

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

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

enum { CS_SEED, CS_VALID, CS_BAD, CS_ZERO_SUM };

struct fspec {
	uint8_t proto;     /* 6 or 17 */
	uint32_t payload;
	uint8_t optlen;    /* TCP option bytes (NOPs) */
	uint32_t seq;
	uint8_t flags;     /* TCP flags; 0 means ACK */
	uint16_t id;
	bool no_df;
	uint16_t window;   /* 0 means 65535 */
	uint8_t ttl;       /* 0 means 64 */
	uint8_t csum;      /* CS_* */
	uint8_t trailer;   /* bytes after the IP packet */
	uint16_t sport, dport; /* 0 means 1000 -> 2000 */
	uint32_t tsval;    /* non-zero: 12 option bytes NOP NOP TS(tsval, 1) */
};

#define L4OFF 34

/* Returns the frame length. */
static uint32_t build(uint8_t *f, const struct fspec *s)
{
	uint8_t optlen = s->tsval ? 12 : s->optlen;
	uint32_t thl = s->proto == 6 ? 20u + optlen : 8u;
	uint32_t l4 = thl + s->payload, len = 14 + 20 + l4, i;
	uint8_t *ip = f + 14, *th = f + L4OFF;
	uint32_t sum;

	memset(f, 0, len + s->trailer);
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00", 14);
	ip[0] = 0x45;
	put16(ip + 2, 20 + l4);
	put16(ip + 4, s->id);
	ip[6] = s->no_df ? 0 : 0x40;
	ip[8] = s->ttl ? s->ttl : 64;
	ip[9] = s->proto;
	memcpy(ip + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
	put16(ip + 10, (uint16_t)~sum16(ip, 20, 0));
	put16(th, s->sport ? s->sport : 1000);
	put16(th + 2, s->dport ? s->dport : 2000);
	if (s->proto == 6) {
		put32(th + 4, s->seq);
		put32(th + 8, 1);
		th[12] = (uint8_t)((thl / 4) << 4);
		th[13] = s->flags ? s->flags : 0x10;
		put16(th + 14, s->window ? s->window : 65535);
		memset(th + 20, 1, optlen);
		if (s->tsval) {
			/* RFC 7323 timestamps, in the usual NOP NOP alignment */
			th[22] = 8;
			th[23] = 10;
			put32(th + 24, s->tsval);
			put32(th + 28, 1);
		}
	} else {
		put16(th + 4, l4);
	}
	for (i = 0; i < s->payload; i++)
		th[thl + i] = (uint8_t)(i * 7);
	for (i = 0; i < s->trailer; i++)
		f[len + i] = (uint8_t)(0xa0 + i);
	sum = pseudo(s->proto, l4);
	if (s->csum == CS_ZERO_SUM) {
		/* Requested like the stack does (field = seed), with the last
		 * even-aligned payload word chosen so that the sum the kernel
		 * takes over [csum_start, end) folds to 0xffff: the true
		 * checksum is then 0 (kernel-tx.md 1, "zero special case"). */
		ck_assert(s->payload >= 2 && !(s->payload & 1));
		put16(th + (s->proto == 6 ? 16 : 6), sum);
		put16(th + l4 - 2, 0);
		put16(th + l4 - 2, 0xffff - sum16(th, l4, 0));
		ck_assert_uint_eq(sum16(th, l4, 0), 0xffff);
		return len + s->trailer;
	}
	if (s->csum == CS_SEED) {
		put16(th + (s->proto == 6 ? 16 : 6), sum);
	} else {
		uint16_t c = (uint16_t)~sum16(th, l4, sum);

		if (s->csum == CS_BAD)
			c ^= 0x5555;
		put16(th + (s->proto == 6 ? 16 : 6), c);
	}
	return len + s->trailer;
}

/* ------------------------------------------------------------------ */
/* Engine plumbing                                                     */
/* ------------------------------------------------------------------ */

static bool kernel_unavailable(void)
{
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why)) == 0)
		return false;
	fprintf(stderr, "kernel suite: not run: %s\n", why);
	return true;
}

struct bench {
	void *priv;
	unsigned int n;
	struct ofd_case cases[MAXCASES];
	struct ofd_pkt pkts[MAXCASES][8];
	uint8_t *frames[MAXCASES][8];
	struct ofd_result *res[MAXCASES];
};

static struct bench *bench_new(unsigned int caps)
{
	struct ofd_engine_opts o = { .caps = caps };
	struct bench *b = calloc(1, sizeof(*b));
	unsigned int i;

	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(ofd_engine_kernel.open(&o, &b->priv), 0);
	for (i = 0; i < MAXCASES; i++)
		ck_assert_int_eq(ofd_result__new(ARENA, &b->res[i]), 0);
	return b;
}

static void bench_free(struct bench *b)
{
	unsigned int i, j;

	ofd_engine_kernel.close(b->priv);
	for (i = 0; i < MAXCASES; i++) {
		ofd_result__free(b->res[i]);
		for (j = 0; j < 8; j++)
			free(b->frames[i][j]);
	}
	free(b);
}

/* Add a TX case; returns it so the caller can adjust the request. */
static struct ofd_case *add_tx(struct bench *b, enum ofd_offload off,
			       const struct fspec *s)
{
	unsigned int i = b->n++;
	struct ofd_case *c = &b->cases[i];

	ck_assert_uint_lt(i, MAXCASES);
	b->frames[i][0] = calloc(1, FRAME_MAX);
	ck_assert_ptr_nonnull(b->frames[i][0]);
	b->pkts[i][0].data = b->frames[i][0];
	b->pkts[i][0].len = build(b->frames[i][0], s);
	memset(c, 0, sizeof(*c));
	c->id = i;
	c->offload = off;
	c->npkts = 1;
	c->pkts = b->pkts[i];
	c->req.kind = OFD_REQ_VNET;
	c->req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	c->req.vnet.csum_start = L4OFF;
	c->req.vnet.csum_offset = s->proto == 6 ? 16 : 6;
	return c;
}

static void run(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		ofd_result_reset(b->res[i]);
	ck_assert_int_eq(ofd_engine_kernel.run(b->priv, b->cases, b->res, b->n), 0);
}

static const uint8_t *fb(const struct ofd_result *r, unsigned int k)
{
	ck_assert_uint_lt(k, r->nframes);
	ck_assert_uint_eq(r->frame[k].npatches, 0);
	return r->frame[k].base;
}

/* The L4 checksum of an output frame is valid against its pseudo-header. */
static void assert_l4_valid(const uint8_t *f, uint32_t len)
{
	ck_assert_uint_eq(be16(f + 16) + 14u, len);
	ck_assert_uint_eq(sum16(f + L4OFF, len - L4OFF, pseudo(f[23], len - L4OFF)),
			  0xffff);
}

/* ------------------------------------------------------------------ */
/* TSO: kernel-tx.md 10.6                                              */
/* ------------------------------------------------------------------ */

static struct ofd_case *tso_case(struct bench *b, uint32_t payload,
				 uint16_t gso, uint16_t id, uint8_t optlen)
{
	struct fspec s = { .proto = 6, .payload = payload, .seq = 100000,
			   .flags = 0x99, .id = id, .optlen = optlen };
	struct ofd_case *c = add_tx(b, OFD_OFFLOAD_TSO, &s);

	c->req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	c->req.vnet.gso_size = gso;
	c->req.vnet.hdr_len = (uint16_t)(L4OFF + 20 + optlen);
	return c;
}

START_TEST(t1_three_segments)
{
	static const uint16_t csum[] = { 0xc828, 0xe2de, 0x7c52 };
	static const uint16_t totlen[] = { 1040, 1040, 540 };
	static const uint8_t flags[] = { 0x90, 0x10, 0x19 };
	struct ofd_result *r;
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 2500, 1000, 0x1234, 0);
	run(b);
	r = b->res[0];
	ck_assert_uint_eq(r->status, OFD_RES_OK);
	ck_assert_uint_eq(r->nframes, 3);
	for (k = 0; k < 3; k++) {
		const uint8_t *f = fb(r, k);

		ck_assert_uint_eq(r->frame[k].len, 14u + totlen[k]);
		ck_assert_uint_eq(be16(f + 16), totlen[k]);
		ck_assert_uint_eq(be16(f + 18), 0x1234 + k);
		ck_assert_uint_eq(be32(f + L4OFF + 4), 100000 + 1000 * k);
		ck_assert_uint_eq(f[L4OFF + 13], flags[k]);
		ck_assert_uint_eq(be16(f + L4OFF + 16), csum[k]);
		ck_assert_uint_eq(sum16(f + 14, 20, 0), 0xffff);
		assert_l4_valid(f, r->frame[k].len);
		ck_assert(r->frame[k].meta.has & OFD_META_VNET);
		ck_assert_uint_eq(r->frame[k].meta.vnet.gso_type, 0);
	}
	bench_free(b);
}
END_TEST

START_TEST(t2_id_wraps)
{
	static const uint16_t ids[] = { 0xffff, 0x0000, 0x0001 };
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 2500, 1000, 0xffff, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 3);
	for (k = 0; k < 3; k++)
		ck_assert_uint_eq(be16(fb(b->res[0], k) + 18), ids[k]);
	bench_free(b);
}
END_TEST

START_TEST(t4_not_really_gso)
{
	struct bench *b;
	const uint8_t *f;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 1000, 1000, 0x1234, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	f = fb(b->res[0], 0);
	ck_assert_uint_eq(b->res[0]->frame[0].len, 14 + 20 + 20 + 1000);
	/* flags untouched: it was never segmented */
	ck_assert_uint_eq(f[L4OFF + 13], 0x99);
	assert_l4_valid(f, b->res[0]->frame[0].len);
	bench_free(b);
}
END_TEST

START_TEST(t5_options_trap_dropped)
{
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 995, 1000, 0x1234, 12);
	/* a good case after it must still come out whole */
	tso_case(b, 2500, 1000, 0x1234, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(b->res[0]->reason, OFD_REASON_DROPPED);
	ck_assert_uint_eq(b->res[0]->stage, OFD_STAGE_XMIT);
	ck_assert_uint_eq(b->res[0]->nframes, 0);
	/* the drop was seen on the tap's tx_dropped counter */
	ck_assert_str_eq(b->res[0]->detail,
			 "validate_xmit_skb dropped it (tx_dropped)");
	ck_assert_uint_eq(b->res[1]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[1]->nframes, 3);
	bench_free(b);
}
END_TEST

START_TEST(t7_uso)
{
	static const uint16_t ulen[] = { 1008, 1008, 508 };
	static const uint16_t csum[] = { 0x8bcc, 0xa9ea, 0x4943 };
	/* The 10.6 values need ports 3000 -> 4000: with the common setup's
	 * 1000 -> 2000 the (equally valid) checksums are 0x9b6c/0xb98a/0x58e3.
	 * Any port pair summing to 7000 reproduces the table. */
	struct fspec s = { .proto = 17, .payload = 2500, .id = 0x2000,
			   .sport = 3000, .dport = 4000 };
	struct ofd_case *c;
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	c = add_tx(b, OFD_OFFLOAD_TSO, &s);
	c->req.vnet.gso_type = OFD_VNET_GSO_UDP_L4;
	c->req.vnet.gso_size = 1000;
	c->req.vnet.hdr_len = L4OFF + 8;
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 3);
	for (k = 0; k < 3; k++) {
		const uint8_t *f = fb(b->res[0], k);

		ck_assert_uint_eq(be16(f + L4OFF + 4), ulen[k]);
		ck_assert_uint_eq(be16(f + 18), 0x2000 + k);
		ck_assert_uint_eq(be16(f + L4OFF + 6), csum[k]);
		assert_l4_valid(f, b->res[0]->frame[k].len);
	}
	bench_free(b);
}
END_TEST

START_TEST(t15_tiny_gso_size)
{
	struct bench *b;
	unsigned int k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	tso_case(b, 20, 4, 0x1234, 0);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 5);
	for (k = 0; k < 5; k++) {
		const uint8_t *f = fb(b->res[0], k);

		ck_assert_uint_eq(b->res[0]->frame[k].len, 14 + 40 + 4);
		ck_assert_uint_eq(be32(f + L4OFF + 4), 100000 + 4 * k);
		assert_l4_valid(f, b->res[0]->frame[k].len);
	}
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* tx-csum                                                             */
/* ------------------------------------------------------------------ */

static const struct fspec csum_ok[] = {
	{ .proto = 6, .payload = 0 },
	{ .proto = 6, .payload = 1 },
	{ .proto = 6, .payload = 101, .optlen = 12 },
	{ .proto = 6, .payload = 1460 },
	{ .proto = 6, .payload = 8000 },   /* past a page: paged skb */
	{ .proto = 17, .payload = 0 },
	{ .proto = 17, .payload = 333 },
	{ .proto = 17, .payload = 8972 },
};

START_TEST(csum_valid)
{
	const struct fspec *s = &csum_ok[_i];
	struct ofd_case *c;
	struct bench *b;
	const uint8_t *f;
	uint32_t len;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, s);
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	len = b->res[0]->frame[0].len;
	ck_assert_uint_eq(len, c->pkts[0].len);
	f = fb(b->res[0], 0);
	assert_l4_valid(f, len);
	/* everything but the checksum field is the input */
	ck_assert_mem_eq(f, c->pkts[0].data, L4OFF + c->req.vnet.csum_offset);
	ck_assert_mem_eq(f + L4OFF + c->req.vnet.csum_offset + 2,
			 c->pkts[0].data + L4OFF + c->req.vnet.csum_offset + 2,
			 len - L4OFF - c->req.vnet.csum_offset - 2);
	ck_assert_uint_eq(b->res[0]->frame[0].meta.vnet.flags, 0);
	bench_free(b);
}
END_TEST

/* T6 (TCP) and T7b's non-GSO counterpart (UDP): a checksum that computes
 * to 0 is written as 0xffff by skb_checksum_help. */
START_TEST(t6_zero_becomes_ffff)
{
	static const uint8_t protos[] = { 6, 17 };
	struct fspec s = { .proto = protos[_i], .payload = 200,
			   .csum = CS_ZERO_SUM };
	struct bench *b;
	const uint8_t *f;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	f = fb(b->res[0], 0);
	ck_assert_uint_eq(be16(f + L4OFF + (s.proto == 6 ? 16 : 6)), 0xffff);
	bench_free(b);
}
END_TEST

START_TEST(q1_trailer_is_summed)
{
	struct fspec s = { .proto = 6, .payload = 100, .trailer = 10 };
	struct ofd_case *c;
	struct bench *b;
	const uint8_t *f;
	uint32_t sum, len;
	uint16_t want;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	len = c->pkts[0].len;
	/* ~sum of [csum_start, end of frame), seed included */
	sum = sum16(c->pkts[0].data + L4OFF, len - L4OFF, 0);
	want = (uint16_t)~sum;
	if (!want)
		want = 0xffff;
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	ck_assert_uint_eq(b->res[0]->frame[0].len, len);
	f = fb(b->res[0], 0);
	ck_assert_uint_eq(be16(f + L4OFF + 16), want);
	ck_assert_mem_eq(f + len - 10, c->pkts[0].data + len - 10, 10);
	bench_free(b);
}
END_TEST

START_TEST(legacy_equals_vnet)
{
	struct fspec s = { .proto = 6, .payload = 777 };
	struct ofd_case *c;
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	c->req.kind = OFD_REQ_LEGACY;
	c->req.legacy = OFD_LEGACY_IPV4 | OFD_LEGACY_TCP;
	run(b);
	ck_assert_uint_eq(b->res[1]->status, OFD_RES_OK);
	ck_assert(ofd_frame_equal(&b->res[0]->frame[0], &b->res[1]->frame[0]));
	bench_free(b);
}
END_TEST

/* Rejections. */
struct reject_row {
	const char *name;
	uint8_t flags, gso_type;
	uint16_t gso_size, hdr_len, csum_start, csum_offset;
	uint32_t payload;
	uint8_t status, reason, stage;
	int err;
};

static const struct reject_row rejects[] = {
	/* csum field past the end: hdr_len is raised past the frame */
	{ "csum_offset past frame", 1, 0, 0, 0, L4OFF, 200, 10,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T11: transport offset below the IPv4 minimum */
	{ "T11 csum_start 14", 1, 0, 0, 0, 14, 16, 100,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T10: hdr_len beyond the frame */
	{ "T10 hdr_len > len", 1, 0, 0, 2000, L4OFF, 16, 100,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T14: a GSO type with gso_size 0 */
	{ "T14 gso_size 0", 1, OFD_VNET_GSO_TCPV4, 0, 54, L4OFF, 16, 2000,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* T12: TCP GSO needs csum_offset 16 */
	{ "T12 tcp gso csum_offset 6", 1, OFD_VNET_GSO_TCPV4, 500, 54, L4OFF, 6, 2000,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* P3: unknown gso_type bits */
	{ "P3 gso_type 0x10", 1, 0x10, 500, 54, L4OFF, 16, 2000,
	  OFD_RES_REJECTED, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT, EINVAL },
	/* a non-GSO frame longer than MTU + link header (65521 + 14) */
	{ "non-GSO frame > MTU", 0, 0, 0, 0, 0, 0, 65600,
	  OFD_RES_REJECTED, OFD_REASON_FRAME_TOO_LONG, OFD_STAGE_SUBMIT, EMSGSIZE },
};

START_TEST(tx_rejections)
{
	const struct reject_row *row = &rejects[_i];
	struct fspec s = { .proto = 6, .payload = row->payload };
	struct ofd_case *c;
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, row->gso_type ? OFD_OFFLOAD_TSO : OFD_OFFLOAD_TX_CSUM, &s);
	c->req.vnet.flags = row->flags;
	c->req.vnet.gso_type = row->gso_type;
	c->req.vnet.gso_size = row->gso_size;
	c->req.vnet.hdr_len = row->hdr_len;
	c->req.vnet.csum_start = row->csum_start;
	c->req.vnet.csum_offset = row->csum_offset;
	if (!strcmp(row->name, "csum_offset past frame"))
		c->req.vnet.csum_offset = (uint16_t)(c->pkts[0].len - L4OFF - 1);
	run(b);
	ck_assert_msg(b->res[0]->status == row->status, "%s: status %u",
		      row->name, b->res[0]->status);
	ck_assert_msg(b->res[0]->reason == row->reason, "%s: reason %u",
		      row->name, b->res[0]->reason);
	ck_assert_uint_eq(b->res[0]->stage, row->stage);
	ck_assert_int_eq(b->res[0]->err, row->err);
	ck_assert_uint_eq(b->res[0]->nframes, 0);
	bench_free(b);
}
END_TEST

START_TEST(crc32c_unsupported)
{
	struct fspec s = { .proto = 6, .payload = 50 };
	struct ofd_case *c;
	struct bench *b;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
	c->req.csum_type = OFD_CSUM_CRC32C;
	run(b);
	ck_assert_uint_eq(b->res[0]->status, OFD_RES_UNSUPPORTED);
	ck_assert_str_eq(b->res[0]->detail,
			 "CRC32c cannot be requested through virtio_net_hdr (no csum_not_inet)");
	bench_free(b);
}
END_TEST

/* A mixed run: valid non-GSO cases (batched), refusals inside batches, GSO
 * cases and drops in between. Batched and one-at-a-time runs agree, and
 * every frame's checksum is valid. */
static void fill_mixed(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < 200; i++) {
		struct fspec s = { .proto = i % 3 ? 6 : 17,
				   .payload = (i * 37) % 1500, .id = (uint16_t)i };
		struct ofd_case *c;

		if (i % 23 == 5) {
			c = tso_case(b, i % 2 ? 995 : 2500, 1000, (uint16_t)i,
				     i % 2 ? 12 : 0);
			continue;
		}
		c = add_tx(b, OFD_OFFLOAD_TX_CSUM, &s);
		if (i % 7 == 3)
			c->req.vnet.csum_start = 14; /* refused (T11) */
	}
}

START_TEST(batch_equals_single)
{
	struct bench *b;
	struct ofd_result *single[200];
	unsigned int i, k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO));
	fill_mixed(b);
	ofdint_kernel_set_batch(b->priv, false);
	run(b);
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(ofd_result__new(ARENA, &single[i]), 0);
		single[i]->status = b->res[i]->status;
		single[i]->reason = b->res[i]->reason;
		single[i]->nframes = 0;
		for (k = 0; k < b->res[i]->nframes; k++) {
			uint8_t *d;
			struct ofd_frame *f = ofd_result_add_new(single[i],
					b->res[i]->frame[k].len, &d);

			ck_assert_ptr_nonnull(f);
			memcpy(d, b->res[i]->frame[k].base, f->len);
		}
	}
	ofdint_kernel_set_batch(b->priv, true);
	run(b);
	for (i = 0; i < 200; i++) {
		struct ofd_result *r = b->res[i];

		ck_assert_uint_eq(r->status, single[i]->status);
		ck_assert_uint_eq(r->reason, single[i]->reason);
		ck_assert_uint_eq(r->nframes, single[i]->nframes);
		if (i % 7 == 3 && i % 23 != 5) {
			ck_assert_uint_eq(r->status, OFD_RES_REJECTED);
			ck_assert_int_eq(r->err, EINVAL);
		} else if (i % 23 == 5) {
			ck_assert_uint_eq(r->nframes, i % 2 ? 0 : 3);
		} else {
			ck_assert_uint_eq(r->status, OFD_RES_OK);
			ck_assert_uint_eq(r->nframes, 1);
		}
		for (k = 0; k < r->nframes; k++) {
			ck_assert(ofd_frame_equal(&r->frame[k], &single[i]->frame[k]));
			assert_l4_valid(fb(r, k), r->frame[k].len);
			ck_assert_uint_eq(be16(fb(r, k) + 18), (i + k) & 0xffff);
		}
		ofd_result__free(single[i]);
	}
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* GRO: kernel-rx.md 7.4                                               */
/* ------------------------------------------------------------------ */

#define GRO_MAXP 6
struct gro_row {
	const char *name;
	unsigned int npkts;
	uint32_t payload[GRO_MAXP];
	uint16_t id[GRO_MAXP];
	uint8_t flags[GRO_MAXP];     /* 0: ACK */
	uint16_t window[GRO_MAXP];   /* 0: 65535 */
	uint8_t csum[GRO_MAXP];      /* CS_VALID or CS_BAD */
	uint32_t flush_after;        /* bit i: FLUSH_AFTER on packet i */
	uint32_t tsval[GRO_MAXP];    /* 0: no options */
	uint8_t trailer[GRO_MAXP];   /* Ethernet padding after the packet */
	bool no_df;
	/* expected: payload per output frame, and first seq of each */
	unsigned int nout;
	uint32_t out[GRO_MAXP];
	int32_t out_seq[GRO_MAXP];   /* -1: don't check */
	uint8_t out_flags[GRO_MAXP]; /* 0: don't check */
	uint8_t out_state[GRO_MAXP]; /* 0: don't check, else state + 1 */
};

#define ST(x) (OFD_CSUM_STATE_##x + 1)

static const struct gro_row gro_rows[] = {
	{ "4x100 contiguous", 4, { 100, 100, 100, 100 }, { 8, 9, 10, 11 },
	  .nout = 1, .out = { 400 }, .out_seq = { 0 } },
	{ "100,100,50", 3, { 100, 100, 50 }, { 8, 9, 10 },
	  .nout = 1, .out = { 250 }, .out_seq = { 0 } },
	{ "50 then 100", 2, { 50, 100 }, { 8, 9 },
	  .nout = 2, .out = { 50, 100 }, .out_seq = { 0, 50 } },
	{ "DF=0 IDs 8,8,8", 3, { 100, 100, 100 }, { 8, 8, 8 }, .no_df = true,
	  .nout = 1, .out = { 300 }, .out_seq = { 0 } },
	{ "IDs 8,9,9", 3, { 100, 100, 100 }, { 8, 9, 9 },
	  .nout = 2, .out = { 200, 100 }, .out_seq = { 0, 200 } },
	{ "window 1000 then 999", 2, { 100, 100 }, { 8, 9 },
	  .window = { 1000, 999 },
	  .nout = 2, .out = { 100, 100 }, .out_seq = { 0, 100 } },
	{ "PSH on 2nd of 4", 4, { 100, 100, 100, 100 }, { 8, 9, 10, 11 },
	  .flags = { 0x10, 0x18, 0x10, 0x10 },
	  .nout = 2, .out = { 200, 200 }, .out_seq = { 0, 200 },
	  .out_flags = { 0x18, 0x10 } },
	{ "good, bad csum, good", 3, { 100, 100, 100 }, { 8, 9, 10 },
	  .csum = { CS_VALID, CS_BAD, CS_VALID },
	  .nout = 3, .out = { 100, 100, 100 }, .out_seq = { 100, 0, 200 } },
	{ "TSval 5,5,6", 3, { 100, 100, 100 }, { 8, 9, 10 },
	  .tsval = { 5, 5, 6 },
	  .nout = 2, .out = { 200, 100 }, .out_seq = { 0, 200 } },
	{ "data, pure ACK (same seq), data", 3, { 100, 0, 100 }, { 8, 9, 10 },
	  .nout = 3, .out = { 100, 0, 100 }, .out_seq = { 0, 100, 100 } },
	{ "4B, then 4B padded to 60", 2, { 4, 4 }, { 8, 9 },
	  .trailer = { 0, 2 },
	  .nout = 2, .out = { 4, 4 }, .out_seq = { 0, 4 },
	  .out_state = { ST(UNNECESSARY), ST(NONE) } },
	{ "FLUSH_AFTER the 2nd of 4", 4, { 100, 100, 100, 100 }, { 8, 9, 10, 11 },
	  .flush_after = 0x2,
	  .nout = 2, .out = { 200, 200 }, .out_seq = { 0, 200 } },
};

#define GRO_REPEAT 25

static void add_gro(struct bench *b, const struct gro_row *row,
		    enum ofd_offload off)
{
	unsigned int i = b->n++, k;
	uint32_t seq = 0;

	ck_assert_uint_lt(i, MAXCASES);
	memset(&b->cases[i], 0, sizeof(b->cases[i]));
	for (k = 0; k < row->npkts; k++) {
		struct fspec s = { .proto = 6, .payload = row->payload[k],
				   .seq = seq, .flags = row->flags[k],
				   .id = row->id[k], .no_df = row->no_df,
				   .window = row->window[k],
				   .tsval = row->tsval[k],
				   .trailer = row->trailer[k],
				   .csum = row->csum[k] ? row->csum[k] : CS_VALID };

		if (!b->frames[i][k])
			b->frames[i][k] = calloc(1, FRAME_MAX);
		b->pkts[i][k].data = b->frames[i][k];
		b->pkts[i][k].len = build(b->frames[i][k], &s);
		b->pkts[i][k].flags = row->flush_after & (1u << k) ?
					      OFD_PKT_F_FLUSH_AFTER : 0;
		seq += row->payload[k];
	}
	b->cases[i].id = i;
	b->cases[i].offload = off;
	b->cases[i].npkts = row->npkts;
	b->cases[i].pkts = b->pkts[i];
}

START_TEST(gro_rows_repeat)
{
	const struct gro_row *row = &gro_rows[_i];
	struct bench *b;
	unsigned int i, k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_GRO));
	for (i = 0; i < GRO_REPEAT; i++)
		add_gro(b, row, OFD_OFFLOAD_GRO);
	run(b);
	for (i = 0; i < GRO_REPEAT; i++) {
		struct ofd_result *r = b->res[i];

		ck_assert_msg(r->status == OFD_RES_OK, "%s: status %u (%s)",
			      row->name, r->status, r->detail ? r->detail : "");
		ck_assert_msg(r->nframes == row->nout, "%s #%u: %u frames",
			      row->name, i, r->nframes);
		for (k = 0; k < row->nout; k++) {
			const uint8_t *f = fb(r, k);
			const struct ofd_meta *m = &r->frame[k].meta;
			uint32_t hl = 40 + (row->tsval[0] ? 12 : 0);

			ck_assert_msg(be16(f + 16) == hl + row->out[k],
				      "%s #%u frame %u: payload %u", row->name,
				      i, k, be16(f + 16) - hl);
			/* padding is not stripped for packet sockets */
			ck_assert_uint_ge(r->frame[k].len, 14 + hl + row->out[k]);
			ck_assert_uint_le(r->frame[k].len, 60 > 14 + hl + row->out[k] ?
					  60 : 14 + hl + row->out[k]);
			if (row->out_state[k])
				ck_assert_uint_eq(m->csum_state, row->out_state[k] - 1u);
			if (row->out_seq[k] >= 0)
				ck_assert_uint_eq(be32(f + L4OFF + 4),
						  (uint32_t)row->out_seq[k]);
			if (row->out_flags[k])
				ck_assert_uint_eq(f[L4OFF + 13], row->out_flags[k]);
			ck_assert(m->has & OFD_META_VNET);
			ck_assert(m->has & OFD_META_CSUM_STATE);
			if (row->out[k] > row->payload[0] &&
			    row->out[k] > row->payload[row->npkts - 1]) {
				/* an aggregate: TCPV4, gso_size = first
				 * segment, NEEDS_CSUM at the TCP header */
				ck_assert_uint_eq(m->vnet.gso_type, OFD_VNET_GSO_TCPV4);
				ck_assert_uint_eq(m->vnet.gso_size, row->payload[0]);
				ck_assert_uint_eq(m->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
				ck_assert_uint_eq(m->vnet.csum_start, 34);
				ck_assert_uint_eq(m->vnet.csum_offset, 16);
				ck_assert_uint_eq(m->csum_state, OFD_CSUM_STATE_PARTIAL);
			}
		}
	}
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* rx-csum                                                             */
/* ------------------------------------------------------------------ */

START_TEST(rx_csum_states)
{
	static const struct gro_row good = { .name = "good", .npkts = 1,
					     .payload = { 100 }, .id = { 8 } };
	static const struct gro_row bad = { .name = "bad", .npkts = 1,
					    .payload = { 100 }, .id = { 8 },
					    .csum = { CS_BAD } };
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
	};
	struct bench *b;
	unsigned int i;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_RX_CSUM));
	add_gro(b, &good, OFD_OFFLOAD_RX_CSUM);
	add_gro(b, &bad, OFD_OFFLOAD_RX_CSUM);
	i = b->n++;
	b->pkts[i][0].data = arp;
	b->pkts[i][0].len = sizeof(arp);
	b->cases[i].offload = OFD_OFFLOAD_RX_CSUM;
	b->cases[i].npkts = 1;
	b->cases[i].pkts = b->pkts[i];
	run(b);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(b->res[i]->status, OFD_RES_OK);
		ck_assert_uint_eq(b->res[i]->nframes, 1);
		ck_assert_uint_eq(b->res[i]->frame[0].len, b->pkts[i][0].len);
		ck_assert_mem_eq(fb(b->res[i], 0), b->pkts[i][0].data,
				 b->pkts[i][0].len);
		ck_assert(b->res[i]->frame[0].meta.has & OFD_META_CSUM_STATE);
	}
	ck_assert_uint_eq(b->res[0]->frame[0].meta.csum_state,
			  OFD_CSUM_STATE_UNNECESSARY);
	ck_assert_uint_eq(b->res[0]->frame[0].meta.vnet.flags,
			  OFD_VNET_F_DATA_VALID);
	ck_assert_uint_eq(b->res[1]->frame[0].meta.csum_state, OFD_CSUM_STATE_NONE);
	ck_assert_uint_eq(b->res[2]->frame[0].meta.csum_state, OFD_CSUM_STATE_NONE);
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The host is never touched                                           */
/* ------------------------------------------------------------------ */

static char *host_snapshot(void)
{
	static const char cmd[] =
		"ip -o link show; ip -o addr show; ip route show table all; "
		"ip -6 route show table all; ip rule show; "
		"cat /proc/self/mountinfo";
	size_t cap = 1 << 16, len = 0, n;
	char *buf = malloc(cap);
	FILE *p;

	ck_assert_ptr_nonnull(buf);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (len + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
	}
	buf[len] = '\0';
	ck_assert_int_eq(pclose(p), 0);
	ck_assert_uint_gt(len, 0);
	return buf;
}

static void exercise(struct bench *b)
{
	add_tx(b, OFD_OFFLOAD_TX_CSUM, &csum_ok[3]);
	tso_case(b, 2500, 1000, 0x1234, 0);
	add_gro(b, &gro_rows[0], OFD_OFFLOAD_GRO);
	run(b);
	ck_assert_uint_eq(b->res[0]->nframes, 1);
	ck_assert_uint_eq(b->res[1]->nframes, 3);
	ck_assert_uint_eq(b->res[2]->nframes, 1);
}

START_TEST(host_untouched_open_close)
{
	char *before, *after;
	struct bench *b;

	if (kernel_unavailable())
		return;
	before = host_snapshot();
	b = bench_new(0);
	exercise(b);
	after = host_snapshot();
	ck_assert_str_eq(before, after);  /* while open, too */
	bench_free(b);
	free(after);
	after = host_snapshot();
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

static bool napi_thread_exists(const char *dev)
{
	char prefix[32], path[300], comm[32];
	struct dirent *de;
	bool found = false;
	ssize_t n;
	DIR *d;
	int fd;

	snprintf(prefix, sizeof(prefix), "napi/%s-", dev);
	d = opendir("/proc");
	ck_assert_ptr_nonnull(d);
	while (!found && (de = readdir(d))) {
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (n > 0) {
			comm[n] = '\0';
			found = !strncmp(comm, prefix, strlen(prefix));
		}
	}
	closedir(d);
	return found;
}

START_TEST(host_untouched_sigkill)
{
	char *before, *after, name[IFNAMSIZ + 1] = { 0 };
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int pfd[2], st, i;
	pid_t pid;

	if (kernel_unavailable())
		return;
	before = host_snapshot();
	ck_assert_int_eq(pipe(pfd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct bench *b;

		close(pfd[0]);
		b = bench_new(0);
		exercise(b);
		if (write(pfd[1], ofdint_kernel_ns(b->priv)->rx_name,
			  IFNAMSIZ) != IFNAMSIZ)
			_exit(1);
		for (;;)
			pause();
	}
	close(pfd[1]);
	ck_assert_int_eq(read(pfd[0], name, IFNAMSIZ), IFNAMSIZ);
	close(pfd[0]);
	ck_assert(napi_thread_exists(name));
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
	after = host_snapshot();
	ck_assert_str_eq(before, after);
	/* The namespace is torn down by the kernel's cleanup_net work after
	 * the last descriptor closed; wait (bounded) for that event: the
	 * tap's NAPI kthread goes away with the device. */
	for (i = 0; i < 1000 && napi_thread_exists(name); i++)
		nanosleep(&ts, NULL);
	ck_assert_msg(!napi_thread_exists(name),
		      "napi/%s still exists 10 s after SIGKILL", name);
	free(before);
	free(after);
}
END_TEST

START_TEST(version_and_floor)
{
	char v[128];
	double pps = 0;

	ck_assert_int_eq(ofd_kernel_version(v, sizeof(v)), 0);
	ck_assert(!strncmp(v, "Linux ", 6));
	ck_assert_int_eq(ofd_kernel_version(v, 4), -ENAMETOOLONG);
	if (kernel_unavailable())
		return;
	ck_assert_int_eq(ofd_kernel_bench_floor(2000, &pps), 0);
	ck_assert(pps > 0);
}
END_TEST

static Suite *kernel_suite(void)
{
	Suite *s = suite_create("kernel");
	TCase *tc;

	tc = tcase_create("tso");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, t1_three_segments);
	tcase_add_test(tc, t2_id_wraps);
	tcase_add_test(tc, t4_not_really_gso);
	tcase_add_test(tc, t5_options_trap_dropped);
	tcase_add_test(tc, t7_uso);
	tcase_add_test(tc, t15_tiny_gso_size);
	suite_add_tcase(s, tc);

	tc = tcase_create("tx_csum");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, csum_valid, 0, OFD_ARRAY_SIZE(csum_ok));
	tcase_add_loop_test(tc, t6_zero_becomes_ffff, 0, 2);
	tcase_add_test(tc, q1_trailer_is_summed);
	tcase_add_test(tc, legacy_equals_vnet);
	tcase_add_loop_test(tc, tx_rejections, 0, OFD_ARRAY_SIZE(rejects));
	tcase_add_test(tc, crc32c_unsupported);
	tcase_add_test(tc, batch_equals_single);
	suite_add_tcase(s, tc);

	tc = tcase_create("gro");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, gro_rows_repeat, 0, OFD_ARRAY_SIZE(gro_rows));
	tcase_add_test(tc, rx_csum_states);
	suite_add_tcase(s, tc);

	tc = tcase_create("host");
	tcase_set_timeout(tc, 40);
	tcase_add_test(tc, host_untouched_open_close);
	tcase_add_test(tc, host_untouched_sigkill);
	tcase_add_test(tc, version_and_floor);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(kernel_suite)
