// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_qemu_guest_rss.c - guest mode on QEMU's virtio-net: one boot, the
 * rss offload through the guest's Linux virtio_net driver and QEMU's own
 * Toeplitz RSS (targets/qemu/guest_rss.c).
 *
 * What is asserted comes from the specifications, not from offdiff's
 * model: the key is Microsoft's RSS verification key (the rss model's
 * default, whose first 40 bytes virtio takes), and the frames carry the
 * tuples of Microsoft's "Verifying the RSS Hash Calculation" suite, whose
 * published hashes are the expected values: the 4-tuple ("with TCP")
 * hash for TCP and, with udp4/udp6 set to sdfn, UDP (Toeplitz does not
 * look at the protocol), the 2-tuple ("IPv4"/"IPv6 only") hash for an IP
 * frame with neither. The type: L4 for TCP/UDP reports, L3 for IP-only
 * ones (virtio_skb_set_hash), none for a frame without IP. The queue:
 * the indirection table's entry hash & 127, the default table i % 4
 * (ethtool_rxfh_indir_default, kernel-rx.md 6), so hash % 4. The read-back
 * (ETHTOOL_GRSSH through the guest agent) is the key and table set.
 *
 * Needs root, qemu-system-x86_64 and the guest image, as the qemu_guest
 * suite; without them it prints why and passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "guest_internal.h"
#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_rss.h"
#include "ofd_test.h"
#include "qemu_guest_test_util.h"

#define ETH 14

/* Microsoft's verification key (40 bytes). */
static const uint8_t ms_key[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
	0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
	0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* The suite's rows: source, destination, ports, 2-tuple and 4-tuple hash. */
static const struct vec4 {
	uint8_t src[4], dst[4];
	uint16_t sport, dport;
	uint32_t h_ip, h_l4;
} v4[] = {
	{ { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766, 0x323e8fc2, 0x51ccc178 },
	{ { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739, 0xd718262a, 0xc626b0ea },
	{ { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024, 0xd2d0a5de, 0x5c2b394a },
	{ { 38, 27, 205, 30 }, { 209, 142, 163, 6 }, 48228, 2217, 0x82989176, 0xafc7327f },
	{ { 153, 39, 163, 191 }, { 202, 188, 127, 2 }, 44251, 1303, 0x5d1809c5, 0x10e828a2 },
};

static const struct vec6 {
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t h_ip, h_l4;
} v6[] = {
	{ { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, 0, 0, 0, 0, 0, 0, 0, 7 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0, 1 },
	  2794, 1766, 0x2cc18cd5, 0x40207d3d },
	{ { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40, 0xef,
	    0xab },
	  { 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 },
	  14230, 4739, 0x0f0c461c, 0xdde51bbf },
	{ { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21,
	    0x67, 0xcf },
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};

/* Per row: TCP, UDP, and an IP frame of protocol 1 (v4) / 59 (v6). */
#define NV4 (sizeof(v4) / sizeof(v4[0]))
#define NV6 (sizeof(v6) / sizeof(v6[0]))
#define NCASES (3 * (NV4 + NV6) + 1) /* and one ARP frame */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t eth(uint8_t *b, uint16_t type)
{
	memcpy(b, "\x02\x00\x00\x00\x00\x09\x02\x00\x00\x00\x00\x01", 12);
	put16(b + 12, type);
	return ETH;
}

/* TCP (20-byte header) or UDP (8) with 16 payload bytes, or 16 bytes of
 * another protocol. */
static uint32_t l4(uint8_t *b, uint8_t proto, uint16_t sport, uint16_t dport)
{
	uint32_t h = proto == 6 ? 20 : proto == 17 ? 8 : 0, i;

	memset(b, 0, h + 16);
	if (h) {
		put16(b, sport);
		put16(b + 2, dport);
	}
	if (proto == 6)
		b[12] = 0x50;
	if (proto == 17)
		put16(b + 4, (uint16_t)(h + 16));
	for (i = 0; i < 16; i++)
		b[h + i] = (uint8_t)(0x30 + i);
	return h + 16;
}

static uint32_t build4(uint8_t *b, const struct vec4 *v, uint8_t proto)
{
	uint32_t o = eth(b, 0x0800), n;

	memset(b + o, 0, 20);
	b[o] = 0x45;
	b[o + 8] = 64;
	b[o + 9] = proto;
	memcpy(b + o + 12, v->src, 4);
	memcpy(b + o + 16, v->dst, 4);
	n = l4(b + o + 20, proto, v->sport, v->dport);
	put16(b + o + 2, (uint16_t)(20 + n));
	put16(b + o + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(b + o, 20, 0)));
	return o + 20 + n;
}

static uint32_t build6(uint8_t *b, const struct vec6 *v, uint8_t proto)
{
	uint32_t o = eth(b, 0x86dd), n;

	memset(b + o, 0, 40);
	b[o] = 0x60;
	b[o + 6] = proto;
	b[o + 7] = 64;
	memcpy(b + o + 8, v->src, 16);
	memcpy(b + o + 24, v->dst, 16);
	n = l4(b + o + 40, proto, v->sport, v->dport);
	put16(b + o + 4, (uint16_t)n);
	return o + 40 + n;
}

static uint8_t frames[NCASES][160];
static struct ofd_pkt pkts[NCASES];
static struct ofd_case cases[NCASES];
static struct ofd_result *res[NCASES];
static struct ofd_rss_out want[NCASES];

static void expect(unsigned int i, uint32_t hash, uint8_t type, uint8_t flow)
{
	want[i].hash = hash;
	want[i].hash_type = type;
	want[i].flow_type = flow;
	want[i].queue = (uint16_t)(hash % 4);
}

START_TEST(guest_virtio_rss)
{
	static const struct ofd_engine_param params[] = {
		{ "device", "virtio-net" },
		{ "rss_hash", "udp4=sdfn+udp6=sdfn" },
	};
	struct ofd_engine_opts o = { .params = params, .nparams = 2 };
	struct ofd_engine_info info;
	const char *why = qemu_guest_unavailable();
	struct qemu_guest *g;
	char tally[400];
	void *priv;
	unsigned int i, n = 0, k;

	if (why) {
		fprintf(stderr, "qemu_guest_rss suite: not run: %s\n", why);
		return;
	}
	for (i = 0; i < NV4; i++) {
		pkts[n].len = build4(frames[n], &v4[i], 6);
		expect(n++, v4[i].h_l4, OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP4);
		pkts[n].len = build4(frames[n], &v4[i], 17);
		expect(n++, v4[i].h_l4, OFD_RSS_HASH_L4, OFD_RSS_FLOW_UDP4);
		pkts[n].len = build4(frames[n], &v4[i], 1);
		expect(n++, v4[i].h_ip, OFD_RSS_HASH_L3, OFD_RSS_FLOW_IPV4);
	}
	for (i = 0; i < NV6; i++) {
		pkts[n].len = build6(frames[n], &v6[i], 6);
		expect(n++, v6[i].h_l4, OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP6);
		pkts[n].len = build6(frames[n], &v6[i], 17);
		expect(n++, v6[i].h_l4, OFD_RSS_HASH_L4, OFD_RSS_FLOW_UDP6);
		pkts[n].len = build6(frames[n], &v6[i], 59);
		expect(n++, v6[i].h_ip, OFD_RSS_HASH_L3, OFD_RSS_FLOW_IPV6);
	}
	/* ARP: no IP, no hash; QEMU's unclassified queue, which the driver
	 * sets to 0. */
	pkts[n].len = eth(frames[n], 0x0806) + 28;
	memset(frames[n] + ETH, 0x11, 28);
	expect(n++, 0, OFD_RSS_HASH_NONE, OFD_RSS_FLOW_NONE);
	ck_assert_uint_eq(n, NCASES);
	for (i = 0; i < NCASES; i++) {
		pkts[i].data = frames[i];
		memset(&cases[i], 0, sizeof(cases[i]));
		cases[i].id = 2000 + i;
		cases[i].offload = OFD_OFFLOAD_RSS;
		cases[i].npkts = 1;
		cases[i].pkts = &pkts[i];
		ck_assert_int_eq(ofd_result__new(1 << 16, &res[i]), 0);
		ofd_result_reset(res[i]);
	}

	ck_assert_int_eq(ofd_qemu_guest_ops.open(&o, &priv), 0);
	ck_assert(qemu_guest_owns(priv));
	g = priv;
	memset(&info, 0, sizeof(info));
	ofd_qemu_guest_ops.info(priv, &info);
	ck_assert_ptr_nonnull(strstr(info.version, "virtio-net, guest mode, Linux "));
	/* the driver's configuration, read back, is what was set */
	ck_assert_mem_eq(g->rb_key, ms_key, sizeof(ms_key));
	for (i = 0; i < 128; i++)
		ck_assert_uint_eq(g->rb_indir[i], i % 4);
	ck_assert_uint_eq(g->rss_rings, 4);
	ck_assert(g->rss_raw);

	/* Two runs into the same guest. */
	ck_assert_int_eq(ofd_qemu_guest_ops.run(priv, cases, res, NCASES / 2), 0);
	ck_assert_int_eq(ofd_qemu_guest_ops.run(priv, cases + NCASES / 2, res + NCASES / 2,
						NCASES - NCASES / 2), 0);
	for (i = 0; i < NCASES; i++) {
		struct ofd_rss_out got;
		uint8_t rec[OFD_RSS_REC_LEN];

		ck_assert_msg(res[i]->status == OFD_RES_OK, "case %u: status %u (%s)", i,
			      res[i]->status, res[i]->detail ? res[i]->detail : "");
		ck_assert_uint_eq(res[i]->nframes, 1);
		ck_assert_uint_eq(res[i]->frame[0].len, OFD_RSS_REC_LEN);
		ofd_frame_materialize(&res[i]->frame[0], rec);
		ck_assert_int_eq(ofd_rss_out_get(rec, sizeof(rec), &got), 0);
		ck_assert_msg(got.hash == want[i].hash, "case %u: hash 0x%08x, spec 0x%08x", i,
			      got.hash, want[i].hash);
		ck_assert_msg(got.hash_type == want[i].hash_type, "case %u: type %u, want %u", i,
			      got.hash_type, want[i].hash_type);
		ck_assert_uint_eq(got.flow_type, want[i].flow_type);
		ck_assert_msg(got.queue == want[i].queue, "case %u: queue %u, table says %u", i,
			      got.queue, want[i].queue);
	}
	/* the queues are spread: RSS steers, not one queue for all */
	for (i = 0, k = 0; i < NCASES; i++)
		k |= 1u << want[i].queue;
	ck_assert_uint_gt(__builtin_popcount(k), 2);
	ofd_qemu_guest_ops.tally(priv, tally, sizeof(tally));
	fprintf(stderr, "qemu_guest_rss: %s\n", tally);
	ck_assert_ptr_nonnull(strstr(tally, " 0 never read, 0 foreign"));
	for (i = 0; i < NCASES; i++)
		ofd_result__free(res[i]);
	ofd_qemu_guest_ops.close(priv);
}
END_TEST

static Suite *qemu_guest_rss_suite(void)
{
	Suite *s = suite_create("qemu_guest_rss");
	TCase *tc = tcase_create("virtio-net");

	/* One boot under TCG (4 vCPUs) on a shared host. */
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, guest_virtio_rss);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(qemu_guest_rss_suite)
