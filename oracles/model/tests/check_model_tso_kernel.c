// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_tso_kernel.c - the model's software GSO against the running
 * kernel: every case goes through the model and through the kernel engine
 * (AF_PACKET + PACKET_VNET_HDR into a tap without offloads), and the
 * kernel's segments are the expected values: the same status and stage,
 * the same frames byte for byte, the same virtio_net_hdr on each
 * (ofd_diff_quick). Without root, or when the kernel engine cannot run
 * here, each test says why and passes.
 *
 * Cases:
 *  - rules: TCPv4 and TCPv6 (HBH, Routing/SRH, DstOpts and all three;
 *    a Fragment header is dropped), TCP options (12, 40 bytes, the T5
 *    trap), gso_size 1, 4, 7, 8, 536, 1448, the payload, payload + 1,
 *    0xfffe, ID wrap and no DF, trailing bytes, seeds with length 0 and
 *    garbage, the ECN bit, 802.1Q and QinQ tags, GSO without NEEDS_CSUM
 *    (the flow dissector; T9b), a zero ethertype, UDP_L4 over IPv4 and
 *    IPv6, IPv4 UFO (gso_size 1480, 1001, 7), GSO types that do not fit
 *    the packet, csum_start off the transport header;
 *  - flags: all 256 TCP flag bytes (FIN/PSH last only, CWR first only,
 *    the rest copied);
 *  - random: 768 random TCP/UDP GSO cases (fixed seed), shapes, sizes,
 *    seeds and requests drawn as above;
 *  - stack_built: stack-built requests (req.skb_gso) the kernel engine
 *    can send: 202 VXLAN and GENEVE tunnels (the tnl probe among them;
 *    outer IPv4/IPv6 with and without the outer checksum, inner TCP over
 *    IPv4/IPv6 and UDP_L4, GENEVE options) and 120 plain TCP/UDP_L4 ones;
 *  - ufo6_ident: IPv6 UFO fragments share an identification that changes
 *    at every send, which is why the model leaves IPv6 UFO unsupported.
 * GRE, IP-in-IP, FIXEDID, ACCECN and GSO_PARTIAL cannot be requested from
 * userspace (kernel-tx.md 10.5): check_model_tso.c asserts their rules.
 */
#include <stdio.h>

#include "ofd.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "tso_test_util.h"

extern const struct ofd_engine_ops ofd_engine_model, ofd_engine_kernel;

#define MAXC 800
#define ARENA (4u << 20)

enum { GS_PAYLOAD = 0x10000, GS_PAYLOAD1 }; /* gso_size from the payload */

struct row {
	const char *name;
	struct shape s;
	uint8_t type;      /* vnet gso_type */
	uint32_t gso;      /* gso_size or GS_* */
	uint8_t no_csum;   /* without NEEDS_CSUM */
	int8_t cs_delta;   /* csum_start moved by this much */
	uint8_t ethertype0;
};

#define T4 OFD_VNET_GSO_TCPV4
#define T6 OFD_VNET_GSO_TCPV6
#define L4 OFD_VNET_GSO_UDP_L4
#define UFO OFD_VNET_GSO_UDP

static const struct row rows[] = {
	{ .name = "tcp4", .s = { .payload = 2500, .flags = 0x99 }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 no csum", .s = { .payload = 2500, .flags = 0x99 },
	  .type = T4, .gso = 1000, .no_csum = 1 },
	{ .name = "tcp4 opt12", .s = { .payload = 2500, .optlen = 12 }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 opt40", .s = { .payload = 3000, .optlen = 40 }, .type = T4, .gso = 1448 },
	{ .name = "tcp4 T5 trap", .s = { .payload = 995, .optlen = 12 }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 gso 1", .s = { .payload = 300 }, .type = T4, .gso = 1 },
	{ .name = "tcp4 gso 4", .s = { .payload = 20 }, .type = T4, .gso = 4 },
	{ .name = "tcp4 gso 7", .s = { .payload = 1000 }, .type = T4, .gso = 7 },
	{ .name = "tcp4 gso 8", .s = { .payload = 1000 }, .type = T4, .gso = 8 },
	{ .name = "tcp4 gso 536", .s = { .payload = 5000 }, .type = T4, .gso = 536 },
	{ .name = "tcp4 gso 1448", .s = { .payload = 9000 }, .type = T4, .gso = 1448 },
	{ .name = "tcp4 gso payload", .s = { .payload = 1448 }, .type = T4, .gso = GS_PAYLOAD },
	{ .name = "tcp4 gso payload+1", .s = { .payload = 1448 }, .type = T4, .gso = GS_PAYLOAD1 },
	{ .name = "tcp4 gso payload-1", .s = { .payload = 1448 }, .type = T4, .gso = 1447 },
	{ .name = "tcp4 gso 0xfffe", .s = { .payload = 65400 }, .type = T4, .gso = 0xfffe },
	{ .name = "tcp4 gso 0xfffe 2 segs", .s = { .payload = 65000 }, .type = T4, .gso = 32768 },
	{ .name = "tcp4 id wrap", .s = { .payload = 2500, .id = 0xffff }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 no df", .s = { .payload = 2500, .no_df = 1 }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 trailer", .s = { .payload = 2500, .trailer = 7 }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 trailer no csum", .s = { .payload = 2500, .trailer = 7 },
	  .type = T4, .gso = 1000, .no_csum = 1 },
	{ .name = "tcp4 seed len 0", .s = { .payload = 2500, .seed = SEED_NIC }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 seed garbage", .s = { .payload = 2500, .seed = SEED_BAD },
	  .type = T4, .gso = 1000 },
	{ .name = "tcp4 ecn bit", .s = { .payload = 2500, .flags = 0xd9 },
	  .type = T4 | OFD_VNET_GSO_ECN, .gso = 1000 },
	{ .name = "tcp4 vlan", .s = { .payload = 2500, .vlan = 1 }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 qinq", .s = { .payload = 2500, .vlan = 2 }, .type = T4, .gso = 1000 },
	{ .name = "tcp4 vlan no csum", .s = { .payload = 2500, .vlan = 1 },
	  .type = T4, .gso = 1000, .no_csum = 1 },
	{ .name = "tcp4 ethertype 0", .s = { .payload = 2500 },
	  .type = T4, .gso = 1000, .no_csum = 0, .cs_delta = 0, .ethertype0 = 1 },
	{ .name = "tcp4 ethertype 0 no csum", .s = { .payload = 2500 },
	  .type = T4, .gso = 1000, .no_csum = 1, .cs_delta = 0, .ethertype0 = 1 },
	{ .name = "tcp4 csum_start +4", .s = { .payload = 2500 },
	  .type = T4, .gso = 1000, .no_csum = 0, .cs_delta = 4 },
	{ .name = "tcp4 csum_start -2", .s = { .payload = 2500 },
	  .type = T4, .gso = 1000, .no_csum = 0, .cs_delta = -2 },
	{ .name = "tcp4 as tcpv6", .s = { .payload = 2500 }, .type = T6, .gso = 1000, .no_csum = 1 },
	{ .name = "tcp6", .s = { .v6 = 1, .payload = 2500, .flags = 0x99 }, .type = T6, .gso = 1000 },
	{ .name = "tcp6 no csum", .s = { .v6 = 1, .payload = 2500 },
	  .type = T6, .gso = 1000, .no_csum = 1 },
	{ .name = "tcp6 hbh", .s = { .v6 = 1, .ext = X_HBH, .payload = 2500 }, .type = T6, .gso = 1000 },
	{ .name = "tcp6 srh", .s = { .v6 = 1, .ext = X_SRH, .payload = 2500 }, .type = T6, .gso = 1000 },
	{ .name = "tcp6 srh no csum (T9b)", .s = { .v6 = 1, .ext = X_SRH, .payload = 2500 },
	  .type = T6, .gso = 1000, .no_csum = 1 },
	{ .name = "tcp6 dstopts", .s = { .v6 = 1, .ext = X_DST, .payload = 2500 },
	  .type = T6, .gso = 1000 },
	{ .name = "tcp6 hbh srh dst", .s = { .v6 = 1, .ext = X_HBH | X_SRH | X_DST, .payload = 2500 },
	  .type = T6, .gso = 1000 },
	{ .name = "tcp6 fragment", .s = { .v6 = 1, .ext = X_FRAG, .payload = 2500 },
	  .type = T6, .gso = 1000 },
	{ .name = "tcp6 fragment no csum", .s = { .v6 = 1, .ext = X_FRAG, .payload = 2500 },
	  .type = T6, .gso = 1000, .no_csum = 1 },
	{ .name = "tcp6 vlan", .s = { .v6 = 1, .vlan = 1, .payload = 2500 }, .type = T6, .gso = 1000 },
	{ .name = "tcp6 as tcpv4", .s = { .v6 = 1, .payload = 2500 }, .type = T4, .gso = 1000 },
	{ .name = "tcp6 gso 1", .s = { .v6 = 1, .payload = 200 }, .type = T6, .gso = 1 },
	{ .name = "uso4", .s = { .udp = 1, .payload = 2500, .id = 0x2000 }, .type = L4, .gso = 1000 },
	{ .name = "uso4 trailer", .s = { .udp = 1, .payload = 2500, .trailer = 5 },
	  .type = L4, .gso = 1000 },
	{ .name = "uso4 one segment", .s = { .udp = 1, .payload = 1000 }, .type = L4, .gso = 1000 },
	{ .name = "uso4 seed garbage", .s = { .udp = 1, .payload = 2500, .seed = SEED_BAD },
	  .type = L4, .gso = 1000 },
	{ .name = "uso4 vlan", .s = { .udp = 1, .payload = 2500, .vlan = 1 }, .type = L4, .gso = 1000 },
	{ .name = "uso6", .s = { .v6 = 1, .udp = 1, .payload = 2500 }, .type = L4, .gso = 1000 },
	{ .name = "uso6 hbh dst", .s = { .v6 = 1, .udp = 1, .ext = X_HBH | X_DST, .payload = 2500 },
	  .type = L4, .gso = 1000 },
	{ .name = "ufo4 1480", .s = { .udp = 1, .payload = 2500 }, .type = UFO, .gso = 1480 },
	{ .name = "ufo4 1001", .s = { .udp = 1, .payload = 2500 }, .type = UFO, .gso = 1001 },
	{ .name = "ufo4 7", .s = { .udp = 1, .payload = 40 }, .type = UFO, .gso = 7 },
	{ .name = "ufo4 no csum", .s = { .udp = 1, .payload = 2500, .trailer = 3 },
	  .type = UFO, .gso = 1480, .no_csum = 1 },
	{ .name = "ufo4 not gso", .s = { .udp = 1, .payload = 1472 }, .type = UFO, .gso = 1480 },
	{ .name = "udp as tcpv4", .s = { .udp = 1, .payload = 2500 }, .type = T4, .gso = 1000 },
	{ .name = "tcp as uso", .s = { .payload = 2500 }, .type = L4, .gso = 1000 },
};

struct bench {
	void *kpriv;
	unsigned int n;
	struct ofd_case c[MAXC];
	struct ofd_pkt pkt[MAXC];
	uint8_t *buf[MAXC];
	char name[MAXC][96];
	struct ofd_result *k[MAXC], *m[MAXC];
};

static struct bench *bench_open(void)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_TSO) };
	struct bench *b;
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "model_tso_kernel: not run: %s\n", why);
		return NULL;
	}
	b = calloc(1, sizeof(*b));
	ck_assert_ptr_nonnull(b);
	ck_assert_int_eq(ofd_engine_kernel.open(&o, &b->kpriv), 0);
	return b;
}

static void bench_free(struct bench *b)
{
	unsigned int i;

	ofd_engine_kernel.close(b->kpriv);
	for (i = 0; i < MAXC; i++) {
		free(b->buf[i]);
		ofd_result__free(b->k[i]);
		ofd_result__free(b->m[i]);
	}
	free(b);
}

static struct ofd_case *add(struct bench *b, const char *name, const struct shape *s,
			    uint8_t type, uint32_t gso, bool csum)
{
	unsigned int i = b->n++;
	uint32_t l4, len;

	ck_assert_uint_lt(i, MAXC);
	if (!b->buf[i]) {
		b->buf[i] = malloc(TT_CAP);
		ck_assert_ptr_nonnull(b->buf[i]);
		ck_assert_int_eq(ofd_result__new(ARENA, &b->k[i]), 0);
		ck_assert_int_eq(ofd_result__new(ARENA, &b->m[i]), 0);
	}
	len = tt_build(b->buf[i], s, &l4);
	if (gso == GS_PAYLOAD)
		gso = s->payload;
	else if (gso == GS_PAYLOAD1)
		gso = s->payload + 1;
	tt_request(&b->c[i], &b->pkt[i], b->buf[i], len, l4, s, type, (uint16_t)gso, csum);
	b->c[i].id = i;
	snprintf(b->name[i], sizeof(b->name[i]), "%s", name);
	return &b->c[i];
}

/* Both engines, then the kernel's answer is the expected one. Returns
 * how many cases the kernel segmented. */
static unsigned int compare_opt(struct bench *b, bool allow_unsupported)
{
	unsigned int i, seg = 0;

	for (i = 0; i < b->n; i++) {
		ofd_result_reset(b->k[i]);
		ofd_result_reset(b->m[i]);
	}
	ck_assert_int_eq(ofd_engine_kernel.run(b->kpriv, b->c, b->k, b->n), 0);
	ck_assert_int_eq(ofd_engine_model.run(NULL, b->c, b->m, b->n), 0);
	for (i = 0; i < b->n; i++) {
		const struct ofd_result *k = b->k[i], *m = b->m[i];
		enum ofd_verdict v = ofd_diff_quick(k, m, OFD_F_REFERENCE);

		ck_assert_msg((allow_unsupported || k->status != OFD_RES_UNSUPPORTED) &&
			      k->status != OFD_RES_FAULT,
			      "%s: the kernel engine could not run it: %s", b->name[i],
			      k->detail ? k->detail : "");
		if (allow_unsupported && k->status == OFD_RES_UNSUPPORTED)
			continue;
		ck_assert_msg(v == OFD_V_EQUAL || v == OFD_V_BOTH_REJECTED,
			      "%s: verdict %s: kernel status %u stage %u, %u frames; "
			      "model status %u stage %u (%s), %u frames",
			      b->name[i], ofd_verdict_name(v), k->status, k->stage,
			      k->nframes, m->status, m->stage,
			      m->detail ? m->detail : ofd_reason_str(m->reason), m->nframes);
		seg += k->nframes > 1;
	}
	return seg;
}

static unsigned int compare(struct bench *b)
{
	return compare_opt(b, false);
}

static uint64_t rs = 0x9e3779b97f4a7c15ull;

static uint32_t rr(uint32_t n)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return n ? (uint32_t)(rs % n) : 0;
}

START_TEST(rules)
{
	struct bench *b = bench_open();
	unsigned int i;

	if (!b)
		return;
	for (i = 0; i < OFD_ARRAY_SIZE(rows); i++) {
		const struct row *r = &rows[i];
		struct ofd_case *c = add(b, r->name, &r->s, r->type, r->gso, !r->no_csum);

		c->req.vnet.csum_start = (uint16_t)(c->req.vnet.csum_start + r->cs_delta);
		if (r->ethertype0) {
			b->buf[i][12] = 0;
			b->buf[i][13] = 0;
		}
	}
	/* most rows segment: the comparison is not vacuous */
	ck_assert_uint_ge(compare(b), OFD_ARRAY_SIZE(rows) / 2);
	bench_free(b);
}
END_TEST

START_TEST(flags)
{
	struct bench *b = bench_open();
	unsigned int f;

	if (!b)
		return;
	for (f = 0; f < 256; f++) {
		struct shape s = { .payload = 2500, .flags = (uint8_t)f, .urg = 1500,
				   .v6 = f & 1 };

		add(b, "flags", &s, s.v6 ? T6 : T4, 1000, true);
	}
	ck_assert_uint_eq(compare(b), 256);
	bench_free(b);
}
END_TEST

START_TEST(random_cases)
{
	struct bench *b = bench_open();
	unsigned int i;

	if (!b)
		return;
	for (i = 0; i < 768; i++) {
		struct shape s = {
			.v6 = (uint8_t)rr(2), .udp = rr(3) == 0,
			.flags = (uint8_t)rr(256), .optlen = (uint8_t)(4 * rr(11)),
			.seq = (uint32_t)rr(0xffffffffu), .id = (uint16_t)rr(0x10000),
			.no_df = (uint8_t)rr(2), .vlan = rr(6) == 0,
			.trailer = rr(6) == 0 ? (uint8_t)rr(12) : 0,
			.seed = rr(12) == 0 ? (uint8_t)(1 + rr(2)) : SEED_OK,
		};
		static const uint16_t sizes[] = { 1, 7, 8, 536, 1000, 1448, 4000 };
		uint8_t type;
		uint32_t gso;

		s.payload = rr(4) == 0 ? rr(64) : rr(6000);
		if (s.v6)
			s.ext = (uint8_t)(rr(3) == 0 ? rr(16) : 0);
		if (s.udp)
			type = rr(3) ? L4 : UFO;
		else
			type = s.v6 ? T6 : T4;
		if (rr(20) == 0)
			type = (uint8_t)(1 + rr(5));
		if (type == UFO && s.v6)
			type = L4; /* IPv6 UFO: see ufo6_ident */
		gso = rr(3) == 0 ? s.payload + rr(3) : sizes[rr(OFD_ARRAY_SIZE(sizes))];
		/* keep the segment count within the tap's queue (500) */
		if (!gso || s.payload / gso > 400)
			gso = s.payload / 400 + 1;
		add(b, "random", &s, type, gso, rr(8) != 0);
	}
	ck_assert_uint_ge(compare(b), 768 / 4);
	bench_free(b);
}
END_TEST

/*
 * Stack-built requests (req.skb_gso): the kernel engine hands plain ones
 * in as the virtio_net_hdr that builds the same skb, and UDP tunnels
 * (VXLAN, GENEVE) through tun's tunnel header and a bridge into the tap
 * (kernel_tunnel.c). Outer IPv4 or IPv6, with or without the outer
 * checksum, inner IPv4/IPv6 TCP or UDP_L4, GENEVE options, DF or not.
 */
static void add_tunnel(struct bench *b, bool ov6, bool iv6, bool iudp,
		       bool geneve, bool csum, uint32_t payload, uint16_t gso)
{
	struct ofd_pktb_ipv4_opts o4 = { .id = (uint16_t)rr(0x10000), .no_df = (bool)rr(2) };
	struct ofd_pktb_ipv4_opts i4 = { .id = (uint16_t)rr(0x10000), .no_df = (bool)rr(2) };
	struct ofd_pktb_tcp_opts t = { .sport = 1000, .dport = 2000,
				       .seq = (uint32_t)rr(0xffffffffu), .ack = 1,
				       .flags = (uint8_t)rr(256), .window = 65535 };
	unsigned int i = b->n++;
	struct ofd_case *c = &b->c[i];
	struct ofd_pktb pb;
	int u, l4;

	ck_assert_uint_lt(i, MAXC);
	if (!b->buf[i]) {
		b->buf[i] = malloc(TT_CAP);
		ck_assert_ptr_nonnull(b->buf[i]);
		ck_assert_int_eq(ofd_result__new(ARENA, &b->k[i]), 0);
		ck_assert_int_eq(ofd_result__new(ARENA, &b->m[i]), 0);
	}
	ofd_pktb_init(&pb, b->buf[i], TT_CAP);
	ofd_pktb_eth(&pb, NULL, NULL, 0);
	if (ov6)
		ofd_pktb_ipv6(&pb, NULL);
	else
		ofd_pktb_ipv4(&pb, &o4);
	u = ofd_pktb_udp(&pb, (uint16_t)(1024 + rr(60000)), geneve ? 6081 : 4789);
	if (geneve)
		ofd_pktb_geneve(&pb, 7, rr(2) ? 4 * (1 + rr(3)) : 0);
	else
		ofd_pktb_vxlan(&pb, 7);
	ofd_pktb_eth(&pb, NULL, NULL, 0);
	if (iv6)
		ofd_pktb_ipv6(&pb, NULL);
	else
		ofd_pktb_ipv4(&pb, &i4);
	l4 = iudp ? ofd_pktb_udp(&pb, 3000, 4000) : ofd_pktb_tcp(&pb, &t);
	ofd_pktb_payload(&pb, payload);
	pb.layer[l4].csum = OFD_PKTB_CSUM_SEED;
	if (csum)
		pb.layer[u].csum = OFD_PKTB_CSUM_SEED;
	ck_assert_int_eq(ofd_pktb_finish(&pb), 0);
	memset(c, 0, sizeof(*c));
	b->pkt[i].data = b->buf[i];
	b->pkt[i].len = pb.len;
	c->id = i;
	c->offload = OFD_OFFLOAD_TSO;
	c->npkts = 1;
	c->pkts = &b->pkt[i];
	c->req.kind = OFD_REQ_LEGACY;
	c->req.legacy = OFD_LEGACY_TUNNEL | (iv6 ? OFD_LEGACY_IPV6 : OFD_LEGACY_IPV4) |
			(iudp ? OFD_LEGACY_UDP : OFD_LEGACY_TCP);
	c->req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	c->req.vnet.csum_start = (uint16_t)pb.layer[l4].off;
	c->req.vnet.csum_offset = iudp ? 6 : 16;
	c->req.vnet.gso_size = gso;
	c->req.skb_gso = (iudp ? OFD_SKB_GSO_UDP_L4 : iv6 ? OFD_SKB_GSO_TCPV6 : OFD_SKB_GSO_TCPV4) |
			 (csum ? OFD_SKB_GSO_UDP_TUNNEL_CSUM : OFD_SKB_GSO_UDP_TUNNEL);
	snprintf(b->name[i], sizeof(b->name[i]), "%s o%d i%d %s %scsum P=%u gso %u",
		 geneve ? "geneve" : "vxlan", ov6 ? 6 : 4, iv6 ? 6 : 4, iudp ? "udp" : "tcp",
		 csum ? "" : "no-", payload, gso);
}

START_TEST(stack_built)
{
	struct bench *b = bench_open();
	unsigned int i, unsup = 0, seg;
	const char *why = "";

	if (!b)
		return;
	/* the tnl probe: VXLAN over IPv4, inner TCP P=2500, gso 1000 */
	add_tunnel(b, false, false, false, false, true, 2500, 1000);
	add_tunnel(b, false, false, false, false, false, 2500, 1000);
	for (i = 0; i < 200; i++) {
		uint32_t payload = 1 + rr(rr(4) ? 6000 : 30000);
		uint16_t gso = (uint16_t)(rr(3) ? 1 + rr(2000) : payload / 100 + 1);

		if (payload / gso > 120)
			gso = (uint16_t)(payload / 120 + 1);
		add_tunnel(b, !rr(3), rr(2), !rr(4), !rr(3), rr(2), payload, gso);
	}
	/* plain stack-built requests, virtio's equivalent */
	for (i = 0; i < 120; i++) {
		struct shape s = { .v6 = (uint8_t)rr(2), .udp = !rr(3),
				   .payload = 1500 + rr(6000), .flags = (uint8_t)rr(256),
				   .optlen = (uint8_t)(4 * rr(4)), .vlan = !rr(6) };
		struct ofd_case *c = add(b, "stack-built", &s, 0, 200 + rr(1300), true);

		c->req.kind = OFD_REQ_LEGACY;
		c->req.skb_gso = s.udp ? OFD_SKB_GSO_UDP_L4 :
				 s.v6 ? OFD_SKB_GSO_TCPV6 : OFD_SKB_GSO_TCPV4;
		if (!s.udp && rr(2))
			c->req.skb_gso |= OFD_SKB_GSO_TCP_ECN;
	}
	seg = compare_opt(b, true);
	for (i = 0; i < b->n; i++) {
		if (b->k[i]->status != OFD_RES_UNSUPPORTED)
			continue;
		unsup++;
		why = b->k[i]->detail ? b->k[i]->detail : "";
	}
	if (unsup)
		fprintf(stderr, "model_tso_kernel: stack_built: %u of %u cases the kernel "
			"engine cannot send (e.g. %s)\n", unsup, b->n, why);
	/* the tnl probe went through the kernel, and most of the rest */
	ck_assert_uint_eq(b->k[0]->status, OFD_RES_OK);
	ck_assert_uint_eq(b->k[0]->nframes, 3);
	ck_assert_uint_ge(seg, 250);
	bench_free(b);
}
END_TEST

/*
 * IPv6 UFO: the kernel's fragments share one identification, and it is a
 * new one at every send (ipv6_proxy_select_ident: a keyed hash and a
 * counter), so no model output can be compared: the model says so.
 */
START_TEST(ufo6_ident)
{
	struct shape s = { .v6 = 1, .udp = 1, .payload = 2500 };
	struct bench *b = bench_open();
	uint32_t id[2];
	unsigned int i, k;

	if (!b)
		return;
	add(b, "ufo6", &s, UFO, 1000, true);
	add(b, "ufo6 again", &s, UFO, 1000, true);
	for (i = 0; i < 2; i++)
		ofd_result_reset(b->k[i]);
	ck_assert_int_eq(ofd_engine_kernel.run(b->kpriv, b->c, b->k, 2), 0);
	for (i = 0; i < 2; i++) {
		ck_assert_uint_eq(b->k[i]->status, OFD_RES_OK);
		ck_assert_uint_eq(b->k[i]->nframes, 3);
		for (k = 0; k < 3; k++) {
			const uint8_t *f = b->k[i]->frame[k].base;

			/* Fragment header after the fixed header; byte offset
			 * | M; DATA_VALID */
			ck_assert_uint_eq(f[20], 44);
			ck_assert_uint_eq(tt_be16(f + 56), 1000 * k | (k < 2));
			ck_assert_uint_eq(b->k[i]->frame[k].meta.vnet.flags,
					  OFD_VNET_F_DATA_VALID);
			if (!k)
				id[i] = tt_be32(f + 58);
			ck_assert_uint_eq(tt_be32(f + 58), id[i]);
		}
	}
	ck_assert_uint_ne(id[0], id[1]);
	ofd_result_reset(b->m[0]);
	ck_assert_int_eq(ofd_engine_model.run(NULL, b->c, b->m, 1), 0);
	ck_assert_uint_eq(b->m[0]->status, OFD_RES_UNSUPPORTED);
	ck_assert(strstr(b->m[0]->detail, "ipv6_proxy_select_ident"));
	bench_free(b);
}
END_TEST

static Suite *model_tso_kernel_suite(void)
{
	Suite *s = suite_create("model_tso_kernel");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, rules);
	tcase_add_test(tc, flags);
	tcase_add_test(tc, random_cases);
	tcase_add_test(tc, ufo6_ident);
	tcase_add_test(tc, stack_built);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_tso_kernel_suite)
