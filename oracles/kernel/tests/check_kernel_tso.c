// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_kernel_tso.c - segmentation on the kernel engine at scale, for
 * stack-built (LEGACY) requests and through UDP tunnels (kernel_tso.c,
 * kernel_tunnel.c). Expected values are the kernel's own rules
 * (kernel-tx.md 5, 7.1, 10.6 "tnl"), computed here, never copied from an
 * engine's output:
 *  - gso_size 1 on a 64 KB TCPv4 frame: exactly P segments of 55 bytes,
 *    seq + i, IPv4 ID + i, every TCP checksum valid; nothing lost
 *    (the tap's ring holds them);
 *  - a stack-built TCPV4 request gives the VNET request's bytes; GRE,
 *    IPXIP4, FIXEDID, ACCECN, PARTIAL are unsupported with a reason that
 *    names the type; a "too small" GSO skb is unsupported (virtio would
 *    not make it GSO);
 *  - VXLAN (UDP_TUNNEL_CSUM, UDP_TUNNEL) over IPv4 with inner TCP P=2500,
 *    gso 1000: 3 segments, outer ID +1, outer UDP length 1070/1070/570,
 *    outer UDP checksum valid (_CSUM) or 0, inner ID +1, inner TCP valid;
 *  - the tunnel's options trap (12 option bytes + 995, gso 1000): dropped,
 *    seen through tx_dropped;
 *  - marker batches (sendmmsg) give the results of one case at a time;
 *  - the receive-side judge takes every segment of a case at once and
 *    still finds the one segment with a wrong checksum.
 * Root-only: without the engine's privileges the tests print why and pass.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_kernel.h"
#include "ofd_test.h"
#include "kernel_internal.h"
#include "kernel_test_util.h"

static struct ofd_case *legacy_tso(struct bench *b, uint32_t payload,
				   uint16_t gso, uint32_t skb_gso)
{
	struct fspec s = { .proto = 6, .payload = payload, .seq = 100000,
			   .flags = 0x99, .id = 0x1234 };
	struct ofd_case *c = add_tx(b, OFD_OFFLOAD_TSO, &s);

	c->req.kind = OFD_REQ_LEGACY;
	c->req.legacy = OFD_LEGACY_IPV4 | OFD_LEGACY_TCP;
	c->req.skb_gso = skb_gso;
	c->req.vnet.gso_size = gso;
	return c;
}

START_TEST(gso_size_1_on_64k)
{
	struct bench *b;
	struct ofd_result *r;
	const uint32_t P = 65535 - 40;
	uint32_t k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	ofd_result__free(b->res[0]);
	ck_assert_int_eq(ofd_result__new(P * 64, &b->res[0]), 0);
	legacy_tso(b, P, 1, OFD_SKB_GSO_TCPV4);
	/* the same as userspace would ask it, and a small case after it */
	legacy_tso(b, P, 1, 0)->req.kind = OFD_REQ_VNET;
	b->cases[1].req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
	legacy_tso(b, 2500, 1000, OFD_SKB_GSO_TCPV4);
	ofd_result__free(b->res[1]);
	ck_assert_int_eq(ofd_result__new(P * 64, &b->res[1]), 0);
	run(b);
	r = b->res[0];
	ck_assert_uint_eq(r->status, OFD_RES_OK);
	/* ceil(P / 1) segments, each 14 + 20 + 20 + 1 bytes */
	ck_assert_uint_eq(r->nframes, P);
	for (k = 0; k < P; k++) {
		const uint8_t *f = fb(r, k);

		ck_assert_uint_eq(r->frame[k].len, 55);
		ck_assert_uint_eq(be16(f + 16), 41);
		ck_assert_uint_eq(be16(f + 18), (uint16_t)(0x1234 + k));
		ck_assert_uint_eq(be32(f + L4OFF + 4), 100000 + k);
		ck_assert_uint_eq(f[54], (uint8_t)(k * 7));
		/* FIN/PSH only on the last, CWR only on the first */
		ck_assert_uint_eq(f[L4OFF + 13], k == 0 ? 0x90 : k == P - 1 ? 0x19 : 0x10);
		assert_l4_valid(f, 55);
	}
	ck_assert_uint_eq(b->res[1]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[1]->nframes, P);
	for (k = 0; k < P; k++)
		ck_assert(ofd_frame_equal(&r->frame[k], &b->res[1]->frame[k]));
	ck_assert_uint_eq(b->res[2]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->res[2]->nframes, 3);
	bench_free(b);
}
END_TEST

START_TEST(legacy_equals_vnet_tso)
{
	static const uint32_t gso[] = { 1, 7, 100, 1000, 1460 };
	struct bench *b;
	unsigned int i, k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	for (i = 0; i < OFD_ARRAY_SIZE(gso); i++) {
		struct ofd_case *v;

		legacy_tso(b, 2500, (uint16_t)gso[i], OFD_SKB_GSO_TCPV4);
		v = legacy_tso(b, 2500, (uint16_t)gso[i], 0);
		v->req.kind = OFD_REQ_VNET;
		v->req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
		/* ECN: the virtio bit, no difference in software (T1b) */
		legacy_tso(b, 2500, (uint16_t)gso[i], OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_ECN);
	}
	run(b);
	for (i = 0; i < b->n; i += 3) {
		uint32_t n = (2500 + b->cases[i].req.vnet.gso_size - 1) /
			     b->cases[i].req.vnet.gso_size;

		ck_assert_uint_eq(b->res[i]->status, OFD_RES_OK);
		ck_assert_uint_eq(b->res[i]->nframes, n);
		ck_assert_uint_eq(b->res[i + 1]->nframes, n);
		ck_assert_uint_eq(b->res[i + 2]->nframes, n);
		for (k = 0; k < n; k++) {
			ck_assert(ofd_frame_equal(&b->res[i]->frame[k], &b->res[i + 1]->frame[k]));
			ck_assert(ofd_frame_equal(&b->res[i]->frame[k], &b->res[i + 2]->frame[k]));
		}
	}
	bench_free(b);
}
END_TEST

static const struct {
	uint32_t skb_gso;
	const char *name;
} no_way[] = {
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_GRE, "GRE GSO" },
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_GRE_CSUM, "GRE_CSUM GSO" },
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_IPXIP4, "IPXIP4" },
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_IPXIP6, "IPXIP6" },
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_FIXEDID, "TCP_FIXEDID" },
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_FIXEDID_INNER, "TCP_FIXEDID_INNER" },
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_ACCECN, "TCP_ACCECN" },
	{ OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_PARTIAL, "GSO_PARTIAL" },
};

START_TEST(legacy_unsupported_named)
{
	struct bench *b;
	unsigned int i;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	for (i = 0; i < OFD_ARRAY_SIZE(no_way); i++)
		legacy_tso(b, 2500, 1000, no_way[i].skb_gso);
	/* payload == gso_size: virtio would not make it GSO */
	legacy_tso(b, 1000, 1000, OFD_SKB_GSO_TCPV4);
	/* gso_size 0: virtio refuses it, the stack never builds it */
	legacy_tso(b, 2500, 0, OFD_SKB_GSO_TCPV4);
	run(b);
	for (i = 0; i < OFD_ARRAY_SIZE(no_way); i++) {
		ck_assert_uint_eq(b->res[i]->status, OFD_RES_UNSUPPORTED);
		ck_assert_ptr_nonnull(b->res[i]->detail);
		ck_assert_msg(!strncmp(b->res[i]->detail, no_way[i].name, strlen(no_way[i].name)),
			      "%s: %s", no_way[i].name, b->res[i]->detail);
	}
	ck_assert_uint_eq(b->res[i]->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(b->res[i]->detail, "too small packets are not GSO"));
	ck_assert_uint_eq(b->res[i + 1]->status, OFD_RES_UNSUPPORTED);
	ck_assert_ptr_nonnull(strstr(b->res[i + 1]->detail, "virtio_net_hdr_to_skb refuses"));
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* UDP tunnels                                                         */
/* ------------------------------------------------------------------ */

/* Outer Ethernet/IPv4 192.168.0.1 -> .2 (ID 0x100, DF)/UDP 5555 -> 4789/
 * VXLAN VNI 42/inner frame of fspec s (ID 0x200). The outer UDP checksum
 * holds the seed (pseudo-header over the outer UDP length) when csum. */
#define OUT_HDR (14 + 20 + 8 + 8)
static uint32_t build_vxlan(uint8_t *f, const struct fspec *s, bool csum)
{
	static const uint8_t ph[8] = { 192, 168, 0, 1, 192, 168, 0, 2 };
	uint32_t in = build(f + OUT_HDR, s), ulen = 8 + 8 + in, sum;
	uint8_t *ip = f + 14, *u = f + 34;

	memcpy(f, "\x02\x00\x00\x00\x00\x22\x02\x00\x00\x00\x00\x11\x08\x00", 14);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, 20 + ulen);
	put16(ip + 4, 0x100);
	ip[6] = 0x40;
	ip[8] = 64;
	ip[9] = 17;
	memcpy(ip + 12, ph, 8);
	put16(ip + 10, (uint16_t)~sum16(ip, 20, 0));
	put16(u, 5555);
	put16(u + 2, 4789);
	put16(u + 4, ulen);
	sum = sum16(ph, 8, 17 + ulen);
	put16(u + 6, csum ? sum : 0);
	memcpy(u + 8, "\x08\x00\x00\x00\x00\x00\x2a\x00", 8);
	return 14 + 20 + ulen;
}

static struct ofd_case *add_vxlan(struct bench *b, const struct fspec *s,
				  uint16_t gso, bool csum)
{
	unsigned int i = b->n++;
	struct ofd_case *c = &b->cases[i];

	ck_assert_uint_lt(i, MAXCASES);
	b->frames[i][0] = calloc(1, FRAME_MAX);
	ck_assert_ptr_nonnull(b->frames[i][0]);
	b->pkts[i][0].data = b->frames[i][0];
	b->pkts[i][0].len = build_vxlan(b->frames[i][0], s, csum);
	memset(c, 0, sizeof(*c));
	c->id = i;
	c->offload = OFD_OFFLOAD_TSO;
	c->npkts = 1;
	c->pkts = b->pkts[i];
	c->req.kind = OFD_REQ_LEGACY;
	c->req.legacy = OFD_LEGACY_IPV4 | OFD_LEGACY_TCP | OFD_LEGACY_TUNNEL;
	c->req.skb_gso = OFD_SKB_GSO_TCPV4 |
			 (csum ? OFD_SKB_GSO_UDP_TUNNEL_CSUM : OFD_SKB_GSO_UDP_TUNNEL);
	c->req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	c->req.vnet.csum_start = OUT_HDR + L4OFF;
	c->req.vnet.csum_offset = 16;
	c->req.vnet.gso_size = gso;
	return c;
}

START_TEST(vxlan_segments)
{
	static const uint8_t ph[8] = { 192, 168, 0, 1, 192, 168, 0, 2 };
	struct fspec s = { .proto = 6, .payload = 2500, .seq = 100000,
			   .flags = 0x10, .id = 0x200 };
	const uint32_t seg[3] = { 1000, 1000, 500 };
	struct bench *b;
	unsigned int v, k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	add_vxlan(b, &s, 1000, true);
	add_vxlan(b, &s, 1000, false);
	run(b);
	for (v = 0; v < 2; v++) {
		const struct ofd_result *r = b->res[v];

		if (r->status == OFD_RES_UNSUPPORTED) {
			/* a kernel before 6.17: no tunnel header in tun */
			fprintf(stderr, "vxlan_segments: %s\n", r->detail);
			ck_assert_ptr_nonnull(strstr(r->detail, "UDP_TUNNEL"));
			continue;
		}
		ck_assert_msg(r->status == OFD_RES_OK, "status %u %s", r->status,
			      r->detail ? r->detail : "");
		ck_assert_uint_eq(r->nframes, 3);
		for (k = 0; k < 3; k++) {
			const uint8_t *f = fb(r, k), *in = f + OUT_HDR;
			uint32_t ulen = 8 + 8 + 14 + 20 + 20 + seg[k];

			ck_assert_uint_eq(r->frame[k].len, OUT_HDR + 14 + 40 + seg[k]);
			/* the case's own MAC addresses */
			ck_assert(!memcmp(f, b->cases[v].pkts[0].data, 12));
			ck_assert_uint_eq(be16(f + 18), 0x100 + k);
			ck_assert_uint_eq(be16(f + 16), 20 + ulen);
			ck_assert_uint_eq(sum16(f + 14, 20, 0), 0xffff);
			ck_assert_uint_eq(be16(f + 38), ulen);
			if (v == 0)
				ck_assert_uint_eq(sum16(f + 34, ulen, sum16(ph, 8, 17 + ulen)), 0xffff);
			else
				ck_assert_uint_eq(be16(f + 40), 0);
			ck_assert_uint_eq(be16(in + 18), 0x200 + k);
			ck_assert_uint_eq(be32(in + L4OFF + 4), 100000 + 1000 * k);
			assert_l4_valid(in, r->frame[k].len - OUT_HDR);
		}
	}
	bench_free(b);
}
END_TEST

START_TEST(vxlan_options_trap_dropped)
{
	struct fspec s = { .proto = 6, .payload = 995, .optlen = 12,
			   .id = 0x200 };
	struct bench *b;
	struct fspec ok = { .proto = 6, .payload = 2500, .id = 0x200 };
	unsigned int i;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	add_vxlan(b, &ok, 1000, true);
	add_vxlan(b, &s, 1000, true);
	add_vxlan(b, &ok, 1000, true);
	run(b);
	if (b->res[0]->status == OFD_RES_UNSUPPORTED) {
		bench_free(b);
		return; /* no tunnel header in this kernel's tun */
	}
	for (i = 0; i < 3; i += 2) {
		ck_assert_uint_eq(b->res[i]->status, OFD_RES_OK);
		ck_assert_uint_eq(b->res[i]->nframes, 3);
	}
	ck_assert_uint_eq(b->res[1]->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(b->res[1]->reason, OFD_REASON_DROPPED);
	ck_assert_str_eq(b->res[1]->detail, "validate_xmit_skb dropped it (tx_dropped)");
	bench_free(b);
}
END_TEST

/* Marker batches and one case at a time agree, drops and refusals in
 * between included. */
START_TEST(gso_batch_equals_single)
{
	struct bench *b[2];
	unsigned int v, i, k;

	if (kernel_unavailable())
		return;
	for (v = 0; v < 2; v++) {
		b[v] = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
		ofdint_kernel_set_batch(b[v]->priv, v == 0);
		for (i = 0; i < 150; i++) {
			struct fspec s = { .proto = i % 5 == 4 ? 17 : 6,
					   .payload = 100 + 37 * i, .seq = i,
					   .id = (uint16_t)i,
					   .optlen = i % 11 == 3 ? 12 : 0 };
			struct ofd_case *c = add_tx(b[v], OFD_OFFLOAD_TSO, &s);

			c->req.vnet.gso_type = s.proto == 17 ? OFD_VNET_GSO_UDP_L4 :
							       OFD_VNET_GSO_TCPV4;
			c->req.vnet.gso_size = (uint16_t)(50 + i % 7 * 100);
			if (i % 13 == 5)
				c->req.vnet.gso_size = 0; /* refused by send() */
			if (s.optlen)
				c->req.vnet.gso_size = (uint16_t)(s.payload + 1); /* T5 */
		}
		run(b[v]);
	}
	for (i = 0; i < b[0]->n; i++) {
		const struct ofd_result *x = b[0]->res[i], *y = b[1]->res[i];

		ck_assert_uint_eq(x->status, y->status);
		ck_assert_uint_eq(x->reason, y->reason);
		ck_assert_uint_eq(x->nframes, y->nframes);
		for (k = 0; k < x->nframes; k++)
			ck_assert(ofd_frame_equal(&x->frame[k], &y->frame[k]));
		if (b[0]->cases[i].req.vnet.gso_size == 0)
			ck_assert_uint_eq(x->status, OFD_RES_REJECTED);
	}
	bench_free(b[0]);
	bench_free(b[1]);
}
END_TEST


/* Every segment through the receive-side judge at once: the kernel's
 * receive path accepts each; a segment with one payload byte changed
 * (a patch) is the one it rejects. */
START_TEST(judge_many_segments)
{
	struct ofd_engine e = { .ops = &ofd_engine_kernel };
	const struct ofd_frame *f[64];
	enum ofd_rxjudge v[64];
	const char *why[64];
	struct ofd_frame bad;
	struct bench *b;
	unsigned int k, n;
	uint8_t x;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_TSO));
	e.priv = b->priv;
	legacy_tso(b, 20000, 500, OFD_SKB_GSO_TCPV4);
	run(b);
	n = b->res[0]->nframes;
	ck_assert_uint_eq(n, 40);
	for (k = 0; k < n; k++)
		f[k] = &b->res[0]->frame[k];
	ck_assert_int_eq(ofd_kernel_rx_judge_many(&e, f, n, v, why), 0);
	for (k = 0; k < n; k++)
		ck_assert_uint_eq(v[k], OFD_RXJ_ACCEPTED);
	bad = b->res[0]->frame[17];
	x = (uint8_t)(fb(b->res[0], 17)[60] ^ 0x01);
	ck_assert_int_eq(ofd_frame_patch(&bad, 60, &x, 1), 0);
	f[17] = &bad;
	ck_assert_int_eq(ofd_kernel_rx_judge_many(&e, f, n, v, why), 0);
	for (k = 0; k < n; k++)
		ck_assert_uint_eq(v[k], k == 17 ? OFD_RXJ_REJECTED : OFD_RXJ_ACCEPTED);
	ck_assert_int_eq(ofd_kernel_rx_judge_many(&e, f, OFD_RXJ_MANY + 1, v, why), -EINVAL);
	bench_free(b);
}
END_TEST

static Suite *kernel_tso_suite(void)
{
	Suite *s = suite_create("kernel_tso");
	TCase *tc = tcase_create("tso");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, gso_size_1_on_64k);
	tcase_add_test(tc, legacy_equals_vnet_tso);
	tcase_add_test(tc, legacy_unsupported_named);
	tcase_add_test(tc, vxlan_segments);
	tcase_add_test(tc, vxlan_options_trap_dropped);
	tcase_add_test(tc, gso_batch_equals_single);
	tcase_add_test(tc, judge_many_segments);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(kernel_tso_suite)
