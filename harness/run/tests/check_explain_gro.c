// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_explain_gro.c - the gro judge (explain_gro.c): trains built with
 * the packet builders (gro_test_util.h), the kernel's frames from the
 * model, a target's frames built by hand or by the model with one rule
 * relaxed or more flush points, and the verdict, severity, class and
 * headline ofd_diff_full gives. The fields a headline must name are
 * written from the train's own bytes as the builders make them (TTL 64,
 * a tunnel's outer TTL 32 and outer ID the inner one + 100, IDs 8 + the
 * segment's index: gro_test_util.h), never from a result.
 */
#include "gro_test_util.h"
#include "ofd_gro_model.h"
#include "ofd_gro_rules.h"
#include "ofd_offload.h"

static struct ofd_result *ref, *tgt;
static uint8_t *pool, *pool_end, *pool_base;
static struct gtrain T;
static struct ofd_diff D;

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(GT_ARENA, &ref), 0);
	ck_assert_int_eq(ofd_result__new(GT_ARENA, &tgt), 0);
	pool = pool_base = malloc(GT_POOL);
	ck_assert_ptr_nonnull(pool);
	pool_end = pool + GT_POOL;
	memset(&D, 0, sizeof(D));
}

static void teardown(void)
{
	ofd_diff_free(&D);
	ofd_result__free(ref);
	ofd_result__free(tgt);
	free(pool_base);
}

/* Train r, the kernel's frames in ref. */
static void make(const struct grow *r)
{
	pool = pool_base;
	gt_train(r, &T, &pool, pool_end, 7);
	ofd_result_reset(ref);
	ofd_model_gro_relaxed(&T.c, 0, ref);
	ck_assert_uint_eq(ref->status, OFD_RES_OK);
}

/* The target: the model with rule(s) relaxed and flush points after the
 * packets in flush (on top of the train's own). */
static void target(unsigned int relax, uint64_t flush)
{
	struct ofd_pkt p[GT_MAXSEG];
	struct ofd_case c = T.c;
	uint32_t i;

	for (i = 0; i < c.npkts; i++) {
		p[i] = T.pkt[i];
		if ((flush >> i) & 1)
			p[i].flags |= OFD_PKT_F_FLUSH_AFTER;
	}
	c.pkts = p;
	ofd_result_reset(tgt);
	ofd_model_gro_relaxed(&c, relax, tgt);
	ck_assert_uint_eq(tgt->status, OFD_RES_OK);
}

/* The target: the model's engine under rules r (an LRO limit, a way of
 * merging UDP). */
static void target_rules(const struct ofd_gro_rules *r)
{
	ofd_result_reset(tgt);
	ofd_model_gro_run(r, &T.c, tgt);
	ck_assert_uint_eq(tgt->status, OFD_RES_OK);
}

/* A copy of ref's frames, frame f's byte `at` xor x, its gso_size gso
 * when not 0. */
static void copy_ref(uint32_t f, uint32_t at, uint8_t x, uint16_t gso)
{
	uint32_t i;

	ofd_result_reset(tgt);
	for (i = 0; i < ref->nframes; i++) {
		uint8_t *d;
		struct ofd_frame *o = ofd_result_add_new(tgt, ref->frame[i].len, &d);

		ck_assert_ptr_nonnull(o);
		ofd_frame_materialize(&ref->frame[i], d);
		o->meta = ref->frame[i].meta;
		if (i == f) {
			d[at] ^= x;
			if (gso)
				o->meta.vnet.gso_size = gso;
		}
	}
}

static void judge(enum ofd_verdict v, enum ofd_severity sev, const char *cls,
		  const char *headline_has)
{
	ofd_diff_free(&D);
	ck_assert_int_eq(ofd_diff_full(&T.c, ref, tgt, OFD_F_DEVICE, NULL, &D), 0);
	ck_assert_msg(D.verdict == v && D.severity == sev && !strcmp(D.cls, cls) &&
		      (!headline_has || strstr(D.headline, headline_has)),
		      "verdict %d severity %d class %s headline \"%s\", wanted %d %d %s \"%s\"",
		      D.verdict, D.severity, D.cls, D.headline, v, sev, cls,
		      headline_has ? headline_has : "");
}

/* Four 1000-byte segments of one flow, one batch; seg 2 changed by the
 * caller. */
static struct grow four(void)
{
	struct grow r = { .name = "four", .n = 4 };
	uint32_t i;

	for (i = 0; i < 4; i++)
		r.g[i].payload = 1000;
	return r;
}

START_TEST(equal_copy)
{
	struct grow r = four();

	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	copy_ref(9, 0, 0, 0);
	judge(OFD_V_EQUAL, OFD_SEV_NONE, "equal", NULL);
}
END_TEST

START_TEST(earlier_flush)
{
	struct grow r = four();

	make(&r);
	target(0, 1u << 1); /* a flush after the second packet */
	ck_assert_uint_eq(tgt->nframes, 2);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "1 merges missed");
	ck_assert_str_eq(D.expl.detail, "1 merges missed");
	ck_assert(strstr(D.headline, "train 7"));
	/* every packet alone: 3 merges missed */
	target(0, 0xf);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "3 merges missed");
}
END_TEST

/* One rule broken by segment 2 of four: the kernel splits there, the
 * target built without the rule merges all four. */
static const struct {
	const char *name;
	unsigned int relax;
	struct gseg g2;
	uint8_t v6;
	const char *cls, *field;
} rules[] = {
	{ "ttl", OFD_GRO_RELAX_TTL, { .payload = 1000, .ttl = 63 }, 0, "merged-ttl-differs", "ipv4.ttl 64 != 63" },
	{ "hop limit", OFD_GRO_RELAX_TTL, { .payload = 1000, .ttl = 63 }, 1, "merged-ttl-differs", "ipv6.hop_limit 64 != 63" },
	{ "tos", OFD_GRO_RELAX_TOS, { .payload = 1000, .tos = 0x20 }, 0, "merged-tos-differs", "ipv4.dscp 0 != 8" },
	{ "ecn", OFD_GRO_RELAX_ECN, { .payload = 1000, .tos = 3 }, 0, "merged-ecn-ce", "ipv4.ecn 0 != 3" },
	{ "id", OFD_GRO_RELAX_ID, { .payload = 1000, .id = 500 }, 0, "merged-ip-id", "ipv4.id 9 then 500" },
	{ "psh", OFD_GRO_RELAX_PSH, { .payload = 1000, .flags = 0x18 }, 0, "merged-across-psh", "tcp.flags.psh" },
	{ "options", OFD_GRO_RELAX_OPTIONS, { .payload = 1000, .opt = 1, .tsval = 5 }, 0, "merged-options-differ", "tcp.options" },
	{ "ack", OFD_GRO_RELAX_ACK, { .payload = 1000, .ack_adj = 9 }, 0, "merged-ack-differs", "tcp.ack" },
};

START_TEST(merged_rule)
{
	struct grow r = four();
	char want[128];

	r.v6 = rules[_i].v6;
	r.g[2] = rules[_i].g2;
	if (rules[_i].relax == OFD_GRO_RELAX_OPTIONS) {
		uint32_t i;

		for (i = 0; i < 4; i++)
			r.g[i].opt = 1;
	}
	if (rules[_i].relax == OFD_GRO_RELAX_PSH)
		r.g[1].flags = 0x18; /* PSH on the second: the kernel flushes there */
	make(&r);
	ck_assert_uint_gt(ref->nframes, 1);
	T.c.src_file = "tcp4.pcap";
	T.c.src_index = 12;
	target(rules[_i].relax, 0);
	ck_assert_uint_eq(tgt->nframes, 1);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, rules[_i].cls, rules[_i].field);
	snprintf(want, sizeof(want), "train 7 (tcp4.pcap 12), frame 1: merged 4 packets the kernel keeps apart: ");
	ck_assert_msg(!strncmp(D.headline, want, strlen(want)), "%s: %s", rules[_i].name, D.headline);
}
END_TEST

START_TEST(gso_size)
{
	struct grow r = four();

	make(&r);
	copy_ref(0, 0, 0, 1448);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "wrong-gso-size", "gso_size 1000 != 1448");
}
END_TEST

START_TEST(not_resegmentable)
{
	struct grow r = four();

	make(&r);
	/* a payload byte of the third packet changed inside the merge: the
	 * run still maps, the kernel merges it too, but the segments do not
	 * give back the packets */
	copy_ref(0, ref->frame[0].len - 1500, 0x5a, 0);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable", "segment 3");
}
END_TEST

/* Fixed IDs (the tso model's re-segmentation increments them: FIXEDID
 * keeps them, so they are not compared) and IPv6: only the changed
 * payload byte of the third packet is found. */
START_TEST(reseg_fixedid_v6)
{
	struct grow r = four();
	uint32_t i;

	r.v6 = (uint8_t)_i;
	for (i = 0; i < 4; i++)
		r.g[i].id = 77;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	copy_ref(0, ref->frame[0].len - 1500, 0x5a, 0);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable",
	      "segment 3: tcp.checksum differs");
}
END_TEST

START_TEST(headers_differ)
{
	struct grow r = four();

	make(&r);
	copy_ref(0, 14 + 8, 1, 0); /* the merged frame's TTL */
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable", "ipv4.ttl");
}
END_TEST

START_TEST(garbage)
{
	struct grow r = four();
	uint8_t *d;
	struct ofd_frame *f;
	uint32_t i;

	make(&r);
	ofd_result_reset(tgt);
	f = ofd_result_add_new(tgt, 200, &d);
	ck_assert_ptr_nonnull(f);
	for (i = 0; i < 200; i++)
		d[i] = (uint8_t)(i * 37 + 11);
	f->meta = ref->frame[0].meta;
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "coalescing-unexplained",
	      "cover no run of the train's packets");
}
END_TEST

START_TEST(across_flush)
{
	struct grow r = four();

	r.flush_after = 1u << 1;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 2);
	/* the target ignores the batch boundary */
	r.flush_after = 0;
	pool = pool_base;
	gt_train(&r, &T, &pool, pool_end, 7);
	target(0, 0);
	T.pkt[1].flags = OFD_PKT_F_FLUSH_AFTER;
	ck_assert_uint_eq(tgt->nframes, 1);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-across-flush",
	      "train 7, frame 1: merged 4 packets across a flush point");
}
END_TEST

/* A legal merge of the model's own is re-segmentable: the check on an
 * exact copy through a second flow interleaved (the judge maps by flow). */
START_TEST(interleaved_earlier)
{
	struct grow r = { .name = "two flows", .n = 6 };
	uint32_t i;

	for (i = 0; i < 6; i++) {
		r.g[i].payload = 800;
		r.g[i].flow = (uint8_t)(i & 1);
	}
	make(&r);
	ck_assert_uint_eq(ref->nframes, 2);
	target(0, 1u << 3);
	ck_assert_uint_gt(tgt->nframes, 2);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "merges missed");
}
END_TEST

/* One rule broken by segment 2 of four in a tunnelled train: the field
 * named with the header level it differs at. tun as gro_test_util.h. */
static const struct {
	const char *name;
	uint8_t tun, v6;
	unsigned int relax;
	struct gseg g2;
	const char *cls, *field;
} tunnel_rules[] = {
	{ "ipip inner ttl", 1, 0, OFD_GRO_RELAX_TTL, { .payload = 1000, .ttl = 63 },
	  "merged-ttl-differs", "inner ipv4.ttl 64 != 63" },
	{ "ipip outer ttl", 1, 0, OFD_GRO_RELAX_TTL, { .payload = 1000, .ottl = 31 },
	  "merged-ttl-differs", "outer ipv4.ttl 32 != 31" },
	{ "gre inner tos", 2, 0, OFD_GRO_RELAX_TOS, { .payload = 1000, .tos = 0x20 },
	  "merged-tos-differs", "inner ipv4.dscp 0 != 8" },
	{ "gre key ecn", 4, 0, OFD_GRO_RELAX_ECN, { .payload = 1000, .tos = 3 },
	  "merged-ecn-ce", "inner ipv4.ecn 0 != 3" },
	/* segment 1's IDs are 9 and 109, segment 2's 500 and 600 */
	{ "gre csum id", 5, 0, OFD_GRO_RELAX_ID, { .payload = 1000, .id = 500 },
	  "merged-ip-id", "outer ipv4.id 109 then 600, inner ipv4.id 9 then 500" },
	{ "gre csum key psh", 6, 0, OFD_GRO_RELAX_PSH, { .payload = 1000, .flags = 0x18 },
	  "merged-across-psh", "tcp.flags.psh 1 before packet seq" },
	{ "gretap ttl", 7, 0, OFD_GRO_RELAX_TTL, { .payload = 1000, .ttl = 63 },
	  "merged-ttl-differs", "inner ipv4.ttl 64 != 63" },
	{ "6in6 hop limit", 3, 1, OFD_GRO_RELAX_TTL, { .payload = 1000, .ttl = 63 },
	  "merged-ttl-differs", "inner ipv6.hop_limit 64 != 63" },
	{ "4in6 outer hop limit", 3, 0, OFD_GRO_RELAX_TTL, { .payload = 1000, .ottl = 31 },
	  "merged-ttl-differs", "outer ipv6.hop_limit 32 != 31" },
	{ "sit ack", 1, 1, OFD_GRO_RELAX_ACK, { .payload = 1000, .ack_adj = 9 },
	  "merged-ack-differs", "tcp.ack 1 != 10" },
	/* sequence numbers from 100000, 1000 bytes a segment, a hole of 1000 */
	{ "gre6 seq", 3, 1, OFD_GRO_RELAX_SEQ, { .payload = 1000, .seq_adj = 1000 },
	  "merged-seq-gap", "tcp.seq 103000 after 100000" },
};

START_TEST(tunnel_rule)
{
	struct grow r = four();

	r.tun = tunnel_rules[_i].tun;
	r.v6 = tunnel_rules[_i].v6;
	r.g[2] = tunnel_rules[_i].g2;
	if (tunnel_rules[_i].relax == OFD_GRO_RELAX_PSH)
		r.g[1].flags = 0x18;
	make(&r);
	ck_assert_msg(ref->nframes > 1, "%s: the kernel merges", tunnel_rules[_i].name);
	target(tunnel_rules[_i].relax, 0);
	ck_assert_uint_eq(tgt->nframes, 1);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, tunnel_rules[_i].cls, tunnel_rules[_i].field);
	ck_assert_msg(strstr(D.headline, "frame 1: merged 4 packets the kernel keeps apart: "),
		      "%s: %s", tunnel_rules[_i].name, D.headline);
}
END_TEST

/* A tunnelled merge with another gso_size, and one across a batch
 * boundary: the same classes as plain ones. */
START_TEST(tunnel_gso_flush)
{
	static const uint8_t tun[] = { 1, 3, 5, 7 };
	struct grow r = four();

	r.tun = tun[_i];
	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	copy_ref(0, 0, 0, 1448);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "wrong-gso-size", "gso_size 1000 != 1448");
	r.flush_after = 1u << 1;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 2);
	T.pkt[1].flags = 0;
	target(0, 0);
	T.pkt[1].flags = OFD_PKT_F_FLUSH_AFTER;
	ck_assert_uint_eq(tgt->nframes, 1);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-across-flush",
	      "frame 1: merged 4 packets across a flush point");
}
END_TEST

/* Tunnelled trains flushed earlier: mapped through their inner TCP. */
START_TEST(tunnel_earlier)
{
	static const uint8_t tun[] = { 1, 2, 3, 5, 6, 7 };
	struct grow r = four();

	r.tun = tun[_i];
	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	target(0, 1u << 1);
	ck_assert_uint_eq(tgt->nframes, 2);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "1 merges missed");
}
END_TEST

/* A payload byte of the third packet changed inside a tunnelled merge:
 * re-segmentation through the tso model's tunnel GSO (IPXIP4, GRE_CSUM)
 * finds it in that segment's inner TCP checksum (the GRE checksum sums
 * the TCP checksum with the payload, so it comes out as the packet's). */
START_TEST(tunnel_not_resegmentable)
{
	static const uint8_t tun[] = { 1, 5 };
	struct grow r = four();

	r.tun = tun[_i];
	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	copy_ref(0, ref->frame[0].len - 1500, 0x5a, 0);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable",
	      "segment 3: inner tcp.checksum differs");
}
END_TEST

/* Headers only the merge has: the tso model rewrites IPv4 header
 * checksums per segment, so a wrong one in the merged frame gives the
 * packets back, and the kernel's merge of the same packets names it. */
START_TEST(headers_differ_checksum)
{
	struct grow r = four();

	r.tun = (uint8_t)_i; /* 0 plain, 1 IP-in-IP: its outer header */
	make(&r);
	ck_assert_uint_eq(ref->nframes, 1);
	copy_ref(0, 14 + 10, 0x01, 0); /* the (outer) ipv4.checksum */
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-headers-differ",
	      _i ? "differs: outer ipv4.checksum" : "differs: ipv4.checksum");
	ck_assert(strstr(D.headline, "the kernel's merge of the same 4 packets"));
	/* the inner header of the tunnel */
	if (_i) {
		copy_ref(0, 14 + 20 + 10, 0x01, 0);
		judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-headers-differ",
		      "differs: inner ipv4.checksum");
	}
}
END_TEST

/* Three 500-byte datagrams of one 5-tuple: the kernel's tap passes them
 * one by one (2.1); a device merging them as UDP GRO forwarding or as
 * fraglist GRO is merged-udp-datagrams, named by the rebuild with the
 * rules' udp mode. _i & 1 IPv6, _i & 2 fraglist, _i & 4 VXLAN (merged at
 * its outer UDP: no socket decapsulates it). */
START_TEST(udp_merged)
{
	struct grow r = { .name = "udp", .n = 3, .udp = (uint8_t)!(_i & 4),
			  .v6 = (uint8_t)(_i & 1), .tun = (uint8_t)(_i & 4 ? 8 : 0) };
	struct ofd_gro_rules gr = ofd_gro_rules_kernel;
	struct ofd_parsed p;
	char want[96];
	uint32_t i, uh;

	/* VXLAN datagrams with the outer checksum filled: UDP GRO bypasses
	 * a zero UDP checksum (kernel-rx.md 2.2), so a device merging them
	 * at the outer UDP needs one to merge at all */
	for (i = 0; i < 3; i++) {
		r.g[i].payload = 500;
		r.g[i].ocsum = (uint8_t)!!(_i & 4);
	}
	make(&r);
	ck_assert_uint_eq(ref->nframes, 3);
	gr.udp = _i & 2 ? OFD_GRO_UDP_FRAGLIST : OFD_GRO_UDP_GSO;
	target_rules(&gr);
	ck_assert_uint_eq(tgt->nframes, 1);
	/* the first datagram's UDP checksum, from its own bytes */
	ofd_parse(T.pkt[0].data, T.pkt[0].len, 0, &p);
	uh = p.layer[p.outer_l4].off;
	if (_i & 2)
		snprintf(want, sizeof(want), "chained as a fraglist, %sudp.checksum 0x%02x%02x the first datagram's",
			 _i & 4 ? "outer " : "", T.pkt[0].data[uh + 6], T.pkt[0].data[uh + 7]);
	else
		snprintf(want, sizeof(want), "one UDP_L4 frame of gso_size %u, %sudp.checksum",
			 _i & 4 ? 500u + 8 + 14 + (r.v6 ? 40 : 20) + 20 : 500u, _i & 4 ? "outer " : "");
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-udp-datagrams", want);
	ck_assert(strstr(D.expl.text, "rx-udp-gro-forwarding and rx-gro-list"));
	ck_assert(strstr(D.headline, "merged 3 packets the kernel keeps apart"));
}
END_TEST

/* A UDP aggregate whose second datagram's payload was changed: no rule
 * rebuilds it, and re-segmentation as USO (UDP_L4 in the tso model)
 * finds it in segment 2: in its UDP checksum, for VXLAN datagrams
 * (_i & 4, merged at the outer UDP) in the outer one, which covers the
 * changed inner byte. */
START_TEST(udp_not_resegmentable)
{
	struct grow r = { .name = "udp", .n = 3, .udp = (uint8_t)!(_i & 4), .v6 = (uint8_t)(_i & 1),
			  .tun = (uint8_t)(_i & 4 ? 8 : 0) };
	struct ofd_gro_rules gr = ofd_gro_rules_kernel;
	uint8_t *d;
	uint32_t i, len;

	for (i = 0; i < 3; i++) {
		r.g[i].payload = 500;
		r.g[i].ocsum = (uint8_t)!!(_i & 4); /* as in udp_merged */
	}
	make(&r);
	gr.udp = _i & 2 ? OFD_GRO_UDP_FRAGLIST : OFD_GRO_UDP_GSO;
	target_rules(&gr);
	ck_assert_uint_eq(tgt->nframes, 1);
	/* the same frame, rebuilt with one payload byte of datagram 2 off */
	len = tgt->frame[0].len;
	d = malloc(len);
	ck_assert_ptr_nonnull(d);
	ofd_frame_materialize(&tgt->frame[0], d);
	d[len - 700] ^= 0x5a;
	{
		struct ofd_meta m = tgt->frame[0].meta;
		struct ofd_frame *o;
		uint8_t *nd;

		ofd_result_reset(tgt);
		o = ofd_result_add_new(tgt, len, &nd);
		ck_assert_ptr_nonnull(o);
		memcpy(nd, d, len);
		o->meta = m;
	}
	free(d);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "not-resegmentable",
	      _i & 4 ? "segment 2: outer udp.checksum differs" : "segment 2: udp.checksum differs");
}
END_TEST

/* Two flows, A B A A B A: an LRO engine that closes an aggregate at 2
 * segments hands up A0+A1, B0+B1, A2+A3. No batch boundary gives that
 * (a flush after A1 would split B's merge), but a timer's flush_old of
 * A's older aggregate alone does (kernel-rx.md 1.10): benign. */
START_TEST(per_flow_earlier)
{
	static const uint8_t flows[] = { 0, 1, 0, 0, 1, 0 };
	struct grow r = { .name = "a b a a b a", .n = 6 };
	struct ofd_gro_rules gr = ofd_gro_rules_kernel;
	uint32_t i;

	for (i = 0; i < 6; i++) {
		r.g[i].payload = 700;
		r.g[i].flow = flows[i];
	}
	make(&r);
	ck_assert_uint_eq(ref->nframes, 2);
	gr.max_segs = 2;
	target_rules(&gr);
	ck_assert_uint_eq(tgt->nframes, 3);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush",
	      "one flow's aggregate at a time): 3 frames for the kernel's 2, 1 merges missed");
	/* the same frames with a batch boundary after B1, inside A2+A3:
	 * that frame is a merge across it, though A0+A1 comes first */
	T.pkt[4].flags = OFD_PKT_F_FLUSH_AFTER;
	ofd_result_reset(ref);
	ofd_model_gro_relaxed(&T.c, 0, ref);
	ck_assert_uint_eq(ref->nframes, 3); /* A0-A2, B0+B1, A3 */
	T.pkt[4].flags = 0;
	target_rules(&gr);
	T.pkt[4].flags = OFD_PKT_F_FLUSH_AFTER;
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-across-flush",
	      "frame 3: merged 2 packets across a flush point");
}
END_TEST

/* A A B B with B's second checksum bad: GRO passes that one up at once,
 * ahead of B's held first (1.2). An LRO engine closing A at 2 segments
 * hands A up before it, the kernel at the batch end after it: the same
 * frames, another order across flows, benign. */
START_TEST(overtaken_earlier)
{
	struct grow r = { .name = "a a b b", .n = 4 };
	struct ofd_gro_rules gr = ofd_gro_rules_kernel;
	uint32_t i;

	for (i = 0; i < 4; i++) {
		r.g[i].payload = 400;
		r.g[i].flow = i < 2;
	}
	r.g[3].bad_csum = 1;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 3); /* B1, A0+A1, B0 */
	gr.max_segs = 2;
	target_rules(&gr);
	ck_assert_uint_eq(tgt->nframes, 3); /* A0+A1, B1, B0 */
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush",
	      "its 3 frames in another order across flows, 0 merges missed");
}
END_TEST

/* d0 (empty) d2 d3 of one 5-tuple: a UDP GRO device passes the empty
 * datagram up at once, flushes d0 at d2 (its IPv4 ID is 2 ahead) and
 * merges d2 + d3. The out-of-order frames come first, but the finding is
 * the merge the kernel does not make. */
START_TEST(udp_merge_first)
{
	struct grow r = { .name = "udp", .n = 4, .udp = 1 };
	struct ofd_gro_rules gr = ofd_gro_rules_kernel;

	r.g[0].payload = r.g[2].payload = r.g[3].payload = 500;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 4);
	gr.udp = OFD_GRO_UDP_GSO;
	target_rules(&gr);
	ck_assert_uint_eq(tgt->nframes, 3);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-udp-datagrams",
	      "frame 3: merged 2 packets the kernel keeps apart: one UDP_L4 frame of gso_size 500");
}
END_TEST

/* A VLAN-tagged packet goes up untagged and alone (no VLAN GRO on the
 * kernel engine's kernel, kernel-rx.md 3): a target that flushes a plain
 * flow beside it earlier is still mapped frame by frame, and one that
 * merges the plain flow across a TTL change is named as without it. */
START_TEST(vlan_beside)
{
	struct grow r = four();

	r.n = 5;
	r.g[4].payload = 300;
	r.g[4].vlan = 1;
	r.g[4].flow = 1;
	make(&r);
	ck_assert_uint_eq(ref->nframes, 2);
	target(0, 1u << 1);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "earlier-flush", "3 frames for the kernel's 2, 1 merges missed");
	r.g[2].ttl = 63;
	make(&r);
	target(OFD_GRO_RELAX_TTL, 0);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-ttl-differs", "ipv4.ttl 64 != 63");
}
END_TEST

/* A device with VLAN GRO: the four segments tagged, merged by the
 * kernel's rules (_i 0) or with the third's TTL ignored (_i 1), the tag
 * kept in place. The target is the model's merge of the same segments
 * untagged with the tag put back (csum_start 4 bytes on); the reference
 * kernel passes tagged packets up one by one (kernel-rx.md 3). */
START_TEST(vlan_merged)
{
	struct grow r = four();
	struct ofd_meta m;
	uint8_t *d, *nd;
	uint32_t len;
	struct ofd_frame *o;

	if (_i)
		r.g[2].ttl = 63;
	make(&r); /* untagged: the device's merge */
	target(_i ? OFD_GRO_RELAX_TTL : 0, 0);
	ck_assert_uint_eq(tgt->nframes, 1);
	len = tgt->frame[0].len;
	m = tgt->frame[0].meta;
	d = malloc(len + 4);
	ck_assert_ptr_nonnull(d);
	ofd_frame_materialize(&tgt->frame[0], d);
	r.vlan = 1;
	make(&r); /* tagged: the train judged */
	ck_assert_uint_eq(ref->nframes, 4);
	memmove(d + 16, d + 12, len - 12);
	memcpy(d + 12, T.pkt[0].data + 12, 4); /* the packets' own tag */
	m.vnet.csum_start = (uint16_t)(m.vnet.csum_start + 4);
	ofd_result_reset(tgt);
	o = ofd_result_add_new(tgt, len + 4, &nd);
	ck_assert_ptr_nonnull(o);
	memcpy(nd, d, len + 4);
	o->meta = m;
	free(d);
	if (_i)
		judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-ttl-differs",
		      "merged 4 VLAN-tagged packets the kernel keeps apart: ipv4.ttl 64 != 63");
	else
		judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "merged-vlan-tagged",
		      "merged 4 VLAN-tagged packets the kernel passes one by one");
}
END_TEST

static Suite *explain_gro_suite(void)
{
	Suite *s = suite_create("explain_gro");
	TCase *tc = tcase_create("judge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, equal_copy);
	tcase_add_test(tc, earlier_flush);
	tcase_add_loop_test(tc, merged_rule, 0, sizeof(rules) / sizeof(rules[0]));
	tcase_add_test(tc, gso_size);
	tcase_add_test(tc, not_resegmentable);
	tcase_add_test(tc, headers_differ);
	tcase_add_loop_test(tc, reseg_fixedid_v6, 0, 2);
	tcase_add_test(tc, garbage);
	tcase_add_test(tc, across_flush);
	tcase_add_test(tc, interleaved_earlier);
	tcase_add_loop_test(tc, tunnel_rule, 0, sizeof(tunnel_rules) / sizeof(tunnel_rules[0]));
	tcase_add_loop_test(tc, tunnel_earlier, 0, 6);
	tcase_add_loop_test(tc, tunnel_gso_flush, 0, 4);
	tcase_add_loop_test(tc, tunnel_not_resegmentable, 0, 2);
	tcase_add_loop_test(tc, headers_differ_checksum, 0, 2);
	tcase_add_loop_test(tc, udp_merged, 0, 8);
	tcase_add_loop_test(tc, udp_not_resegmentable, 0, 8);
	tcase_add_test(tc, per_flow_earlier);
	tcase_add_test(tc, overtaken_earlier);
	tcase_add_test(tc, udp_merge_first);
	tcase_add_test(tc, vlan_beside);
	tcase_add_loop_test(tc, vlan_merged, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(explain_gro_suite)
