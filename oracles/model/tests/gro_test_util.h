/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * gro_test_util.h - GRO trains for check_model_gro.c: segments described
 * by the rule fields of kernel-rx.md 1 and built with ofd_pktbuild, and
 * the bench that runs them through the model and the kernel engine.
 */
#ifndef GRO_TEST_UTIL_H
#define GRO_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_pktbuild.h"
#include "ofd_run.h"
#include "ofd_test.h"

extern const struct ofd_engine_ops ofd_engine_model, ofd_engine_kernel;

#define GT_ARENA (1u << 20)

#define GT_MAXSEG 72
#define GT_POOL (8u << 20)

/* One segment. Zero means the default everywhere. */
struct gseg {
	uint32_t payload;
	int32_t seq_adj;    /* added to the flow's next sequence number */
	uint8_t flags;      /* TCP flags; 0: ACK */
	uint8_t ack_adj;    /* ack_seq 1 + this */
	uint16_t window;    /* 0: 65535 */
	uint32_t id;        /* 0: 8 + the segment's index in its flow;
			     * 0x10000 for ID 0 */
	uint8_t no_df, ttl, tos; /* IPv6: tos is the traffic class, ttl the
				  * hop limit */
	uint8_t opt;        /* 1 NOP NOP TS, 2 TS NOP NOP, 3 NOP TS NOP,
			     * 4 NOP NOP NOP NOP */
	uint8_t tsval;      /* TS value (with opt 1-3) */
	uint8_t ipopt;      /* IPv4 options (NOP x4) */
	uint8_t frag;       /* IPv4 MF, IPv6 a Fragment header */
	uint8_t evil;       /* IPv4 reserved frag_off bit */
	uint8_t ext;        /* IPv6: 1 DstOpts (8), 2 the same with other
			     * option bytes, 3 HBH (8) + DstOpts (16) */
	uint8_t bad_csum;   /* 1 the L4 checksum off by one, 2 the GRE
			     * checksum off by one, 3 a zero UDP checksum */
	uint8_t bad_ipcsum; /* IPv4 header checksum off by one */
	uint8_t flow;       /* source port 1000 + flow */
	uint8_t mac;        /* another source MAC */
	uint8_t pad;        /* padded to 60 bytes */
	uint32_t flowlabel;
	uint8_t vlan;       /* an 802.1Q tag on this one */
	uint8_t ottl;       /* tunnel: outer TTL / hop limit (0: 32) */
	uint32_t oid;       /* tunnel: outer IPv4 ID (0: the inner's + 100;
			     * 0x10000 for ID 0) */
	uint8_t gre_key;    /* GRE with a key: key 7 + this */
	int8_t ulen_adj;    /* UDP: the length field off by this, the
			     * checksum made for it */
	uint8_t vni;        /* VXLAN: VNI 42 + this */
	uint8_t vxflags;    /* VXLAN: XORed into the flags byte (0x08) */
	uint8_t imac;       /* VXLAN: another inner source MAC */
	uint8_t ocsum;      /* VXLAN: the outer UDP checksum filled (else 0) */
	uint8_t gopt;       /* GENEVE: 1 an option's last byte differs, 2 no
			     * option (another length), 3 the OAM bit */
};

struct grow {
	const char *name;
	uint8_t v6, vlan;
	uint8_t udp;            /* UDP instead of TCP */
	uint8_t tun;            /* outer header: 1 IPv4 (IPIP, SIT), 2 IPv4 +
				 * GRE, 3 IPv6 (4in6, 6in6), 4 IPv4 + GRE with
				 * a key, 5 IPv4 + GRE with a checksum, 6 IPv4
				 * + GRE with a checksum and a key, 7 gretap
				 * (gre_key: another inner source MAC), 8 VXLAN,
				 * 9 GENEVE with an 8-byte option */
	uint8_t n;
	struct gseg g[GT_MAXSEG];
	uint64_t flush_after;   /* OFD_PKT_F_FLUSH_AFTER after segment i */
	uint8_t nout;
	uint32_t out[GT_MAXSEG]; /* payload bytes of each output frame */
	uint16_t gso0;          /* gso_size of output 0 (0: not GSO) */
};

static const uint8_t gt_opt[5][12] = {
	[1] = { 1, 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 1 },
	[2] = { 8, 10, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1 },
	[3] = { 1, 8, 10, 0, 0, 0, 0, 0, 0, 0, 1, 1 },
	[4] = { 1, 1, 1, 1 },
};

/* Build segment g of a train into buf; returns its length. */
static inline uint32_t gt_build(uint8_t *buf, uint32_t cap, const struct grow *r,
				const struct gseg *g, uint32_t seq, uint16_t id)
{
	uint8_t v6 = r->v6, vlan = r->vlan;
	static const uint8_t mac2[6] = { 2, 0, 0, 0, 0, 9 };
	uint8_t opt[12];
	struct ofd_pktb b;
	int ip, t, x = -1;
	uint32_t i;

	ofd_pktb_init(&b, buf, cap);
	ofd_pktb_eth(&b, NULL, g->mac ? mac2 : NULL, 0);
	if (vlan || g->vlan)
		ofd_pktb_vlan(&b, 5, 0);
	if (r->tun == 3) {
		struct ofd_pktb_ipv6_opts o = { .hop_limit = g->ottl ? g->ottl : 32,
						.saddr = (const uint8_t *)"\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x09" };

		ofd_pktb_ipv6(&b, &o);
	} else if (r->tun) {
		struct ofd_pktb_ipv4_opts o = { .id = g->oid ? (uint16_t)g->oid : (uint16_t)(id + 100),
						.ttl = g->ottl ? g->ottl : 32 };

		ofd_pktb_ipv4(&b, &o);
		if (r->tun == 2)
			ofd_pktb_gre(&b, 0, 0, 0);
		else if (r->tun == 4)
			ofd_pktb_gre(&b, OFD_PKTB_GRE_KEY, 7u + g->gre_key, 0);
		else if (r->tun == 5)
			ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM, 0, 0);
		else if (r->tun == 6)
			ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY,
				     7u + g->gre_key, 0);
		if (r->tun == 8) { /* VXLAN: a socket for it with vxlan=on */
			int u = ofd_pktb_udp(&b, (uint16_t)(40000 + g->flow), 4789);
			int v = ofd_pktb_vxlan(&b, 42u + g->vni);

			ofd_pktb_eth(&b, NULL, g->imac ? mac2 : NULL, 0);
			ck_assert_int_ge(v, 0);
			b.buf[b.layer[v].off] ^= g->vxflags;
			if (g->ocsum) /* the VXLAN builder zeroes it */
				b.layer[u].csum = OFD_PKTB_CSUM_FULL;
		}
		if (r->tun == 9) { /* GENEVE: the model's geneve=on only */
			int v;

			ofd_pktb_udp(&b, (uint16_t)(40000 + g->flow), 6081);
			v = ofd_pktb_geneve(&b, 42u + g->vni, g->gopt == 2 ? 0 : 8);
			ofd_pktb_eth(&b, NULL, g->imac ? mac2 : NULL, 0);
			ck_assert_int_ge(v, 0);
			if (g->gopt == 1)
				b.buf[b.layer[v].off + 15] ^= 1;
			if (g->gopt == 3)
				b.buf[b.layer[v].off + 1] |= 0x80;
		}
		if (r->tun == 7) { /* gretap: inner Ethernet */
			ofd_pktb_gre(&b, 0, 0, 0);
			ofd_pktb_eth(&b, NULL, g->gre_key ? mac2 : NULL, 0);
		}
	}
	if (v6) {
		struct ofd_pktb_ipv6_opts o = { .hop_limit = g->ttl, .tclass = g->tos,
						.flowlabel = g->flowlabel };

		ip = ofd_pktb_ipv6(&b, &o);
		if (g->ext == 3)
			ofd_pktb_hbh(&b, 8);
		if (g->ext)
			x = ofd_pktb_dstopts(&b, g->ext == 3 ? 16 : 8);
		if (g->frag)
			ofd_pktb_frag(&b, 0, true, 0x1234);
	} else {
		struct ofd_pktb_ipv4_opts o = { .id = id, .ttl = g->ttl, .tos = g->tos,
						.no_df = g->no_df };

		if (g->ipopt) {
			o.options = ofd_pktb_ipv4_opt_nop;
			o.options_len = 4;
		}
		ip = ofd_pktb_ipv4(&b, &o);
	}
	if (r->udp) {
		t = ofd_pktb_udp(&b, (uint16_t)(1000 + g->flow), 2000);
	} else {
		struct ofd_pktb_tcp_opts o = {
			.sport = (uint16_t)(1000 + g->flow), .dport = 2000, .seq = seq,
			.ack = 1u + g->ack_adj, .flags = g->flags ? g->flags : 0x10,
			.window = g->window ? g->window : 65535,
		};

		if (g->opt) {
			memcpy(opt, gt_opt[g->opt], 12);
			for (i = 0; i < 12; i++)
				if (opt[i] == 8) /* TSval's low byte */
					opt[i + 5] = g->tsval;
			o.options = opt;
			o.options_len = g->opt == 4 ? 4 : 12;
		}
		t = ofd_pktb_tcp(&b, &o);
	}
	ofd_pktb_payload(&b, g->payload);
	if (g->pad)
		ofd_pktb_pad(&b, 60);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	if (!v6 && (g->frag || g->evil)) {
		buf[b.layer[ip].off + 6] |= g->frag ? 0x20 : 0x80;
		ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	}
	if (x >= 0 && g->ext == 2) {
		/* PadN's content: the same length, other bytes */
		buf[b.layer[x].off + 4] ^= 0x5a;
		ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	}
	x = ofd_pktb_find(&b, OFD_P_GRE, -1);
	if (g->bad_csum == 2 && x >= 0 && (buf[b.layer[x].off] & 0x80))
		buf[b.layer[x].off + 5] ^= 1; /* the GRE checksum */
	else if (g->bad_csum == 3 && r->udp) /* UDP's "no checksum" */
		buf[b.layer[t].off + 6] = buf[b.layer[t].off + 7] = 0;
	else if (g->bad_csum)
		buf[b.layer[t].off + (r->udp ? 7 : 17)] ^= 1;
	if (g->bad_ipcsum)
		buf[b.layer[ip].off + 11] ^= 1;
	if (g->ulen_adj && r->udp) {
		/* the length field and the checksum both moved by the same
		 * amount: the sum over the bytes stays valid (RFC 1624) */
		uint8_t *uh = buf + b.layer[t].off;
		uint16_t l = (uint16_t)((uh[4] << 8 | uh[5]) + g->ulen_adj);
		uint32_t c = (uint32_t)(uh[6] << 8 | uh[7]);

		ofd_put_be16(uh + 4, l);
		/* ~C + adj in ones' complement (-n is ~n) */
		c = (uint32_t)(~c & 0xffff) + (g->ulen_adj > 0 ? (uint32_t)g->ulen_adj :
					      (uint32_t)(uint16_t)~(uint16_t)-g->ulen_adj);
		c = (c & 0xffff) + (c >> 16);
		ofd_put_be16(uh + 6, (uint16_t)~c ? (uint16_t)~c : 0xffff);
	}
	return b.len;
}

/* A train built: frames in a pool, the case pointing at them. */
struct gtrain {
	struct ofd_pkt pkt[GT_MAXSEG];
	struct ofd_case c;
};

/* Build row r into t, its frames from *pool on (advanced). */
static inline void gt_train(const struct grow *r, struct gtrain *t, uint8_t **pool,
			    uint8_t *pool_end, uint64_t case_id)
{
	uint32_t next[8] = { 0 }, idx[8] = { 0 }, i;

	for (i = 0; i < r->n; i++) {
		const struct gseg *g = &r->g[i];
		uint32_t seq = 100000 + next[g->flow & 7] + (uint32_t)g->seq_adj;
		uint16_t id = g->id ? (uint16_t)g->id : (uint16_t)(8 + idx[g->flow & 7]);
		uint32_t len;

		ck_assert_uint_ge((uintptr_t)(pool_end - *pool), 70000);
		len = gt_build(*pool, 70000, r, g, seq, id);
		t->pkt[i].data = *pool;
		t->pkt[i].len = len;
		t->pkt[i].flags = (r->flush_after >> i) & 1 ? OFD_PKT_F_FLUSH_AFTER : 0;
		*pool += len;
		next[g->flow & 7] = seq - 100000 + g->payload;
		idx[g->flow & 7]++;
	}
	memset(&t->c, 0, sizeof(t->c));
	t->c.id = case_id;
	t->c.offload = OFD_OFFLOAD_GRO;
	t->c.npkts = r->n;
	t->c.pkts = t->pkt;
}

/* The TCP payload bytes of an output frame, from its innermost IP
 * length field (through IP-in-IP and GRE). */
static inline uint32_t gt_payload(const struct ofd_frame *f)
{
	uint8_t h[256];
	uint32_t n = f->len < sizeof(h) ? f->len : sizeof(h), l3 = 14, i, th, ipl;
	uint8_t nh;

	memset(h, 0, sizeof(h));
	for (i = 0; i < n; i++)
		h[i] = ofd_frame_byte(f, i);
	if (h[12] == 0x81)
		l3 = 18;
	for (;;) {
		if (l3 >= 4 && h[l3 - 2] == 0x65 && h[l3 - 1] == 0x58)
			l3 += 14; /* gretap's inner Ethernet */
		if ((h[l3] >> 4) == 4) {
			th = l3 + (h[l3] & 15) * 4u;
			ipl = (uint32_t)(h[l3 + 2] << 8 | h[l3 + 3]) + l3;
			nh = h[l3 + 9];
		} else {
			th = l3 + 40;
			nh = h[l3 + 6];
			while (nh == 0 || nh == 60 || nh == 44 || nh == 43) {
				uint8_t cur = nh;

				nh = h[th];
				th += cur == 44 ? 8u : (h[th + 1] + 1u) * 8;
			}
			ipl = (uint32_t)(h[l3 + 4] << 8 | h[l3 + 5]) + l3 + 40;
		}
		if (nh == 4 || nh == 41)
			l3 = th;
		else if (nh == 17 && h[th + 2] == 0x12 && h[th + 3] == 0xb5)
			l3 = th + 8 + 8 + 14; /* VXLAN (4789): the inner frame */
		else if (nh == 17 && h[th + 2] == 0x17 && h[th + 3] == 0xc1)
			l3 = th + 8 + 8 + (h[th + 8] & 0x3fu) * 4 + 14; /* GENEVE (6081) */
		else if (nh == 47)
			l3 = th + 4 + (h[th] & 0x20 ? 4 : 0) + (h[th] & 0x80 ? 4 : 0);
		else
			break;
		if (l3 > 200)
			return 0;
	}
	if (nh == 17)
		return ipl - th - 8;
	return ipl - th - (h[th + 12] >> 4) * 4u;
}

/* ---------------- the bench: model and kernel ---------------- */

struct gbench {
	uint8_t *pool, *at;
	unsigned int n;
	struct gtrain t[256];
	struct ofd_case c[256];
	struct ofd_result *m[256], *k[256];
	void *kpriv;
};

static inline struct gbench *gb_new(void)
{
	struct gbench *b = calloc(1, sizeof(*b));
	unsigned int i;

	ck_assert_ptr_nonnull(b);
	b->pool = b->at = malloc(GT_POOL);
	ck_assert_ptr_nonnull(b->pool);
	for (i = 0; i < 256; i++) {
		ck_assert_int_eq(ofd_result__new(GT_ARENA, &b->m[i]), 0);
		ck_assert_int_eq(ofd_result__new(GT_ARENA, &b->k[i]), 0);
	}
	return b;
}

static inline void gb_free(struct gbench *b)
{
	unsigned int i;

	if (b->kpriv)
		ofd_engine_kernel.close(b->kpriv);
	for (i = 0; i < 256; i++) {
		ofd_result__free(b->m[i]);
		ofd_result__free(b->k[i]);
	}
	free(b->pool);
	free(b);
}

static inline void gb_add(struct gbench *b, const struct grow *r)
{
	ck_assert_uint_lt(b->n, 256);
	gt_train(r, &b->t[b->n], &b->at, b->pool + GT_POOL, b->n);
	b->c[b->n] = b->t[b->n].c;
	b->n++;
}

static inline void gb_reset(struct gbench *b)
{
	b->n = 0;
	b->at = b->pool;
}

static inline void gb_model(struct gbench *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		ofd_result_reset(b->m[i]);
	ck_assert_int_eq(ofd_engine_model.run(NULL, b->c, b->m, b->n), 0);
}

/* The model opened with engine settings p[0, np) (gro_udp, vxlan). */
static inline void gb_model_with(struct gbench *b, const struct ofd_engine_param *p,
				 unsigned int np)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO), .params = p,
				     .nparams = np };
	void *priv = NULL;
	unsigned int i;

	ck_assert_int_eq(ofd_engine_model.open(&o, &priv), 0);
	for (i = 0; i < b->n; i++)
		ofd_result_reset(b->m[i]);
	ck_assert_int_eq(ofd_engine_model.run(priv, b->c, b->m, b->n), 0);
	ofd_engine_model.close(priv);
}

static inline bool gb_kernel_open_with(struct gbench *b, const char *who,
				       const struct ofd_engine_param *p, unsigned int np)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO), .params = p,
				     .nparams = np };
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "%s: the kernel engine cannot run here: %s\n", who, why);
		return false;
	}
	ck_assert_int_eq(ofd_engine_kernel.open(&o, &b->kpriv), 0);
	return true;
}

static inline bool gb_kernel_open(struct gbench *b, const char *who)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO) };
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "%s: the kernel engine cannot run here: %s\n", who, why);
		return false;
	}
	ck_assert_int_eq(ofd_engine_kernel.open(&o, &b->kpriv), 0);
	return true;
}

static inline void gb_kernel(struct gbench *b)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		ofd_result_reset(b->k[i]);
	ck_assert_int_eq(ofd_engine_kernel.run(b->kpriv, b->c, b->k, b->n), 0);
}

static inline void dump(const char *who, const struct ofd_result *r)
{
	unsigned int i;

	fprintf(stderr, "  %s: status %u (%s), %u frames:", who, r->status,
		r->detail ? r->detail : "", r->nframes);
	for (i = 0; i < r->nframes; i++)
		fprintf(stderr, " [%u B, payload %u, vnet %x/%u/%u/%u/%u/%u]", r->frame[i].len,
			gt_payload(&r->frame[i]), r->frame[i].meta.vnet.flags,
			r->frame[i].meta.vnet.gso_type, r->frame[i].meta.vnet.gso_size,
			r->frame[i].meta.vnet.hdr_len, r->frame[i].meta.vnet.csum_start,
			r->frame[i].meta.vnet.csum_offset);
	fprintf(stderr, "\n");
}

/* Model and kernel agree: ofd_diff_quick and hdr_len. */
static inline bool agree(const struct ofd_result *m, const struct ofd_result *k)
{
	enum ofd_verdict v = ofd_diff_quick(k, m, OFD_F_REFERENCE);
	unsigned int i;

	if (v == OFD_V_BOTH_REJECTED)
		return true;
	if (v != OFD_V_EQUAL)
		return false;
	for (i = 0; i < k->nframes; i++)
		if (k->frame[i].meta.vnet.hdr_len != m->frame[i].meta.vnet.hdr_len)
			return false;
	return true;
}

#endif
