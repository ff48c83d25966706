/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * kernel_test_util.h - what check_kernel.c (the TX path and the host) and
 * check_kernel_rx.c (the RX / GRO path) share: checksum arithmetic computed
 * independently (RFC 1071), the kernel-tx.md 10.6 "Common setup" frames,
 * the engine plumbing (a bench of cases and results) and the GRO rows of
 * kernel-rx.md 7.4 (defined in check_kernel_rx.c).
 */
#ifndef KERNEL_TEST_UTIL_H
#define KERNEL_TEST_UTIL_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static inline uint32_t pseudo(uint8_t proto, uint32_t l4len)
{
	static const uint8_t ph[8] = { 10, 0, 0, 1, 10, 0, 0, 2 };

	return sum16(ph, 8, proto + (l4len >> 16) + (l4len & 0xffff));
}

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
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
static inline uint32_t build(uint8_t *f, const struct fspec *s)
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

static inline bool kernel_unavailable(void)
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

static inline struct bench *bench_new(unsigned int caps)
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

static inline void bench_free(struct bench *b)
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
static inline struct ofd_case *add_tx(struct bench *b, enum ofd_offload off,
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

static inline void run(struct bench *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		ofd_result_reset(b->res[i]);
	ck_assert_int_eq(ofd_engine_kernel.run(b->priv, b->cases, b->res, b->n), 0);
}

static inline const uint8_t *fb(const struct ofd_result *r, unsigned int k)
{
	ck_assert_uint_lt(k, r->nframes);
	ck_assert_uint_eq(r->frame[k].npatches, 0);
	return r->frame[k].base;
}

/* The L4 checksum of an output frame is valid against its pseudo-header. */
static inline void assert_l4_valid(const uint8_t *f, uint32_t len)
{
	ck_assert_uint_eq(be16(f + 16) + 14u, len);
	ck_assert_uint_eq(sum16(f + L4OFF, len - L4OFF, pseudo(f[23], len - L4OFF)),
			  0xffff);
}

/* ------------------------------------------------------------------ */
/* GRO rows: kernel-rx.md 7.4                                          */
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

/* The rows, in check_kernel_rx.c; host tests run gro_rows[0] too. */
extern const struct gro_row gro_rows[];

static inline void add_gro(struct bench *b, const struct gro_row *row,
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

#endif
