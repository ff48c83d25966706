// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_emu_tso.c - the emulator's segmentation engine (targets/emu/tso.c).
 *
 * Expected segments come from two places that are not the engine: the
 * values the live 6.18.44 kernel gave in the probes of kernel-tx.md 10.6
 * (T1, T2, T7, T8, tnl), written here as numbers, and segments built from
 * the kernel's rules with ofd_pktbuild.h (harness/tests/ofd_tso_test.h).
 *
 * Cases:
 *  probes        T1 checksums/flags/IDs/lengths, T2 ID wrap, T7 USO, T8
 *                UFO, tnl outer lengths and IDs
 *  conformant    every shape (v4, v6, SRH, dstopts, VLAN, VXLAN with and
 *                without outer checksum, GENEVE, GRE with and without
 *                checksum, IPIP, 6in6; TCP, USO), LEGACY and VNET
 *                requests: byte for byte the built segments, meta zero
 *  small         a VNET packet not above gso_size is one checksummed
 *                frame; a LEGACY one is dropped like the kernel drops it
 *  profiles      each tso-* profile: its deviation, and nothing else
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_test.h"
#include "emu_test_util.h"
#include "ofd_tso_test.h"
#include "emu_internal.h"

static struct ofd_result *rs;
static uint8_t sp[70000], exp_[70000];

/* Run the device with profile `prof` on shape s, payload plen, mss. */
static void run_tso(const char *prof, enum tso_shape s, const struct tso_params *t,
		    uint32_t plen, uint16_t mss, bool vnet)
{
	struct ofdint_emu_profile p;
	struct ofd_pkt pkt;
	struct ofd_case c;
	uint32_t l4;
	int n;

	if (!rs)
		ck_assert_int_eq(ofd_result__new(1u << 20, &rs), 0);
	emu_load_profile(prof, &p);
	n = tso_test_build(s, t, tso_test_payload(), plen, sp, sizeof(sp), &l4);
	ck_assert_int_gt(n, 0);
	pkt.data = sp;
	pkt.len = (uint32_t)n;
	pkt.flags = 0;
	memset(&c, 0, sizeof(c));
	c.offload = OFD_OFFLOAD_TSO;
	c.npkts = 1;
	c.pkts = &pkt;
	tso_test_request(s, t->udp, vnet, mss, l4, &c.req);
	ofd_result_reset(rs);
	ofdint_emu_tso(&p, &c, rs);
}

/*
 * UFO (VIRTIO_NET_HDR_GSO_UDP, gso_size gso) of a UDP/IPv4 datagram built
 * from t with plen bytes of payload, through the default profile. whole
 * receives the datagram with its complete checksum; its length returned.
 */
static int run_ufo(struct tso_params *t, uint32_t plen, uint16_t gso, uint8_t *whole,
		   size_t cap)
{
	struct ofdint_emu_profile p;
	struct ofd_pkt pkt;
	struct ofd_case c;
	uint32_t l4 = 0;
	int n, wn;

	t->segment = true;
	wn = tso_test_build(TS_V4, t, tso_test_payload(), plen, whole, cap, &l4);
	t->segment = false;
	n = tso_test_build(TS_V4, t, tso_test_payload(), plen, sp, sizeof(sp), &l4);
	if (!rs)
		ck_assert_int_eq(ofd_result__new(1u << 20, &rs), 0);
	ofdint_emu_profile_init(&p);
	pkt = (struct ofd_pkt){ sp, (uint32_t)n, 0 };
	memset(&c, 0, sizeof(c));
	c.offload = OFD_OFFLOAD_TSO;
	c.npkts = 1;
	c.pkts = &pkt;
	c.req.kind = OFD_REQ_VNET;
	c.req.vnet = (struct ofd_vnet_hdr){ OFD_VNET_F_NEEDS_CSUM, OFD_VNET_GSO_UDP, 0,
					    gso, (uint16_t)l4, 6 };
	ofd_result_reset(rs);
	ofdint_emu_tso(&p, &c, rs);
	return wn;
}

/* Segment j's bytes, header block and payload, patches applied (a
 * segment's payload is referenced from the input, not in its base). */
static const uint8_t *seg_bytes(uint32_t j)
{
	static uint8_t buf[70000];

	ck_assert_uint_le(rs->frame[j].len, sizeof(buf));
	ofd_frame_materialize(&rs->frame[j], buf);
	return buf;
}

/* The output's bytes with its patches applied. */
static uint16_t at16(uint32_t seg, uint32_t off)
{
	const struct ofd_frame *f = &rs->frame[seg];

	ck_assert_uint_lt(off + 1, f->len);
	return (uint16_t)(ofd_frame_byte(f, off) << 8 | ofd_frame_byte(f, off + 1));
}

/* ------------------------------------------------------------------ */
/* Probes (kernel-tx.md 10.6)                                          */
/* ------------------------------------------------------------------ */

/* eth 14, ipv4 20, tcp 20 */
#define V4_IP 14
#define V4_L4 34

START_TEST(probe_t1)
{
	static const uint16_t csum[3] = { 0xc828, 0xe2de, 0x7c52 };
	static const uint8_t flags[3] = { 0x90, 0x10, 0x19 };
	static const uint16_t tot[3] = { 1040, 1040, 540 };
	struct tso_params t = { .seq = 100000, .flags = 0x99, .id = 0x1234 };
	uint32_t j;

	run_tso(NULL, TS_V4, &t, 2500, 1000, _i);
	ck_assert_msg(rs->status == OFD_RES_OK, "%s", rs->detail ? rs->detail : "");
	ck_assert_uint_eq(rs->nframes, 3);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(at16(j, V4_L4 + 16), csum[j]);
		ck_assert_uint_eq(rs->frame[j].base[V4_L4 + 13], flags[j]);
		ck_assert_uint_eq(at16(j, V4_IP + 4), 0x1234 + j);
		ck_assert_uint_eq(at16(j, V4_IP + 2), tot[j]);
		ck_assert_uint_eq((uint32_t)at16(j, V4_L4 + 4) << 16 | at16(j, V4_L4 + 6),
				  100000 + 1000 * j);
		ck_assert_uint_eq(rs->frame[j].meta.has, OFD_META_VNET);
		ck_assert_uint_eq(rs->frame[j].meta.vnet.flags, 0);
		ck_assert_uint_eq(rs->frame[j].meta.vnet.gso_type, 0);
		/* headers new, the payload the input's own bytes */
		ck_assert_uint_eq(rs->frame[j].len - rs->frame[j].tail_len, V4_L4 + 20);
		ck_assert_ptr_eq(rs->frame[j].tail, sp + V4_L4 + 20 + 1000 * j);
	}
}
END_TEST

START_TEST(probe_t2_id_wrap)
{
	struct tso_params t = { .seq = 100000, .flags = 0x99, .id = 0xffff };

	run_tso(NULL, TS_V4, &t, 2500, 1000, true);
	ck_assert_uint_eq(rs->nframes, 3);
	ck_assert_uint_eq(at16(0, V4_IP + 4), 0xffff);
	ck_assert_uint_eq(at16(1, V4_IP + 4), 0x0000);
	ck_assert_uint_eq(at16(2, V4_IP + 4), 0x0001);
}
END_TEST

START_TEST(probe_t7_uso)
{
	static const uint16_t csum[3] = { 0x8bcc, 0xa9ea, 0x4943 };
	static const uint16_t ulen[3] = { 1008, 1008, 508 };
	/* kernel-tx.md does not record T7's UDP ports; its three checksums
	 * fix their sum at 7000 */
	struct tso_params t = { .udp = true, .id = 0x2000, .sport = 3000,
				.dport = 4000 };
	uint32_t j;

	run_tso(NULL, TS_V4, &t, 2500, 1000, _i);
	ck_assert_msg(rs->status == OFD_RES_OK, "%s", rs->detail ? rs->detail : "");
	ck_assert_uint_eq(rs->nframes, 3);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(at16(j, V4_L4 + 4), ulen[j]);
		ck_assert_uint_eq(at16(j, V4_L4 + 6), csum[j]);
		ck_assert_uint_eq(at16(j, V4_IP + 4), 0x2000 + j);
	}
}
END_TEST

START_TEST(probe_t8_ufo)
{
	struct tso_params t = { .udp = true, .id = 0x1234 };
	uint8_t whole[2600];

	/* the datagram with its complete checksum: what fragment 1 holds */
	ck_assert_int_eq(run_ufo(&t, 2500, 1480, whole, sizeof(whole)), 14 + 20 + 2508);
	ck_assert_msg(rs->status == OFD_RES_OK, "%s", rs->detail ? rs->detail : "");
	ck_assert_uint_eq(rs->nframes, 2);
	ck_assert_uint_eq(rs->frame[0].len, 14 + 20 + 1480);
	ck_assert_uint_eq(rs->frame[1].len, 14 + 20 + 1028);
	ck_assert_uint_eq(at16(0, V4_IP + 4), 0x1234);
	ck_assert_uint_eq(at16(1, V4_IP + 4), 0x1234);
	ck_assert_uint_eq(at16(0, V4_IP + 6), 0x2000); /* MF, DF gone */
	ck_assert_uint_eq(at16(1, V4_IP + 6), 0x00b9); /* 185 * 8 = 1480 */
	ck_assert_uint_eq(at16(0, V4_IP + 2), 20 + 1480);
	/* fragment 1 is the datagram's first 1480 bytes, checksum complete */
	ck_assert(!memcmp(seg_bytes(0) + V4_L4, whole + V4_L4, 1480));
	ck_assert(!memcmp(seg_bytes(1) + V4_L4, whole + V4_L4 + 1480, 1028));
	/* the checksum's fragment is built whole, the other references the
	 * input */
	ck_assert_uint_eq(rs->frame[0].tail_len, 0);
	ck_assert_uint_eq(rs->frame[1].tail_len, 1028);
	ck_assert_ptr_eq(rs->frame[1].tail, sp + V4_L4 + 1480);
	ck_assert_uint_eq(rs->frame[0].meta.vnet.flags, OFD_VNET_F_DATA_VALID);
	ck_assert_uint_eq(rs->frame[1].meta.vnet.flags, OFD_VNET_F_DATA_VALID);
}
END_TEST

/*
 * UFO with gso_size 1 (seen on 6.18.44): a 10-byte datagram becomes ten
 * 1-byte fragments; frag_off is the byte offset >> 3, so fragments 0-7
 * all say offset 0 (kernel-tx.md 6.2: gso_size is not checked to be a
 * multiple of 8), and the complete checksum's two bytes travel in
 * fragments 6 and 7.
 */
START_TEST(ufo_tiny_fragments)
{
	struct tso_params t = { .udp = true, .id = 0x2000 };
	uint8_t whole[128];
	uint32_t i;

	ck_assert_int_eq(run_ufo(&t, 2, 1, whole, sizeof(whole)), 14 + 20 + 10);
	ck_assert_msg(rs->status == OFD_RES_OK, "%s", rs->detail ? rs->detail : "");
	ck_assert_uint_eq(rs->nframes, 10);
	for (i = 0; i < 10; i++) {
		ck_assert_uint_eq(rs->frame[i].len, 14 + 20 + 1);
		ck_assert_uint_eq(at16(i, V4_IP + 6), (i < 9 ? 0x2000 : 0) | i >> 3);
		ck_assert_uint_eq(ofd_frame_byte(&rs->frame[i], V4_L4), whole[V4_L4 + i]);
		/* fragments 6 and 7 carry a checksum byte: whole */
		ck_assert_uint_eq(rs->frame[i].tail_len, i == 6 || i == 7 ? 0 : 1);
	}
}
END_TEST

START_TEST(probe_tnl)
{
	struct tso_params t = { .seq = 100000, .flags = 0x10, .id = 0x100, .iid = 0x200 };
	/* eth 14, ipv4 20, udp 8, vxlan 8, eth 14, ipv4 20, tcp 20 */
	uint32_t j;

	run_tso(NULL, TS_VXLAN_CSUM, &t, 2500, 1000, false);
	ck_assert_msg(rs->status == OFD_RES_OK, "%s", rs->detail ? rs->detail : "");
	ck_assert_uint_eq(rs->nframes, 3);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(at16(j, 14 + 4), 0x100 + j);
		ck_assert_uint_eq(at16(j, 14 + 20 + 8 + 8 + 14 + 4), 0x200 + j);
		ck_assert_uint_eq(at16(j, 34 + 4), j < 2 ? 1070 : 570);
		ck_assert_uint_ne(at16(j, 34 + 6), 0);
	}
	run_tso(NULL, TS_VXLAN, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++)
		ck_assert_uint_eq(at16(j, 34 + 6), 0);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Conformant: every shape against the segments built from the rules   */
/* ------------------------------------------------------------------ */

/* Segment j equals the built one. */
static void expect_segments(enum tso_shape s, const struct tso_params *t,
			    uint32_t plen, uint32_t mss, const char *what)
{
	uint32_t n = (plen + mss - 1) / mss, j;

	ck_assert_msg(rs->status == OFD_RES_OK, "%s: status %u %s", what, rs->status,
		      rs->detail ? rs->detail : "");
	ck_assert_uint_eq(rs->nframes, n);
	for (j = 0; j < n; j++) {
		int len = tso_test_segment(s, t, plen, mss, j, exp_, sizeof(exp_));
		const uint8_t *got;
		uint32_t k;

		ck_assert_int_gt(len, 0);
		ck_assert_uint_eq(rs->frame[j].len, (uint32_t)len);
		got = seg_bytes(j);
		for (k = 0; k < (uint32_t)len; k++)
			ck_assert_msg(got[k] == exp_[k],
				      "%s: segment %u byte %u: 0x%02x != 0x%02x", what, j, k,
				      got[k], exp_[k]);
		ck_assert_uint_eq(rs->frame[j].meta.has, OFD_META_VNET);
		ck_assert_uint_eq(rs->frame[j].meta.vnet.flags, 0);
	}
}

START_TEST(conformant_shapes)
{
	enum tso_shape s = (enum tso_shape)(_i / 2);
	bool vnet = _i % 2;
	struct tso_params t = { .seq = 0xfffff000u, .flags = 0x99, .id = 0xfffe,
				.iid = 0x4321 };
	char what[64];

	if (vnet && tso_shape_tunnel(s))
		return; /* virtio_net_hdr cannot say tunnel */
	snprintf(what, sizeof(what), "%s %s", tso_shape_names[s], vnet ? "vnet" : "legacy");
	run_tso(NULL, s, &t, 3001, 1000, vnet);
	expect_segments(s, &t, 3001, 1000, what);
	/* TCP options replicated, a small mss */
	t.tcpopt = ofd_pktb_tcp_opt_ts;
	t.tcpopt_len = 12;
	run_tso(NULL, s, &t, 61, 7, vnet);
	expect_segments(s, &t, 61, 7, what);
	if (tso_shape_tunnel(s) || s == TS_V6_SRH || s == TS_V6_DOPT)
		return;
	/* USO */
	memset(&t, 0, sizeof(t));
	t.udp = true;
	t.id = 7;
	run_tso(NULL, s, &t, 2049, 512, vnet);
	expect_segments(s, &t, 2049, 512, what);
}
END_TEST

START_TEST(small_packets)
{
	struct tso_params t = { .seq = 1, .flags = 0x18, .id = 1 };
	uint8_t whole[1200];
	uint32_t l4;

	/* VNET: not GSO, one frame checksummed like skb_checksum_help */
	run_tso(NULL, TS_V4, &t, 1000, 1000, true);
	ck_assert_uint_eq(rs->status, OFD_RES_OK);
	ck_assert_uint_eq(rs->nframes, 1);
	t.segment = true;
	ck_assert_int_eq(tso_test_build(TS_V4, &t, tso_test_payload(), 1000, whole,
					sizeof(whole), &l4), 1054);
	ck_assert_uint_eq(at16(0, V4_L4 + 16), (uint16_t)(whole[V4_L4 + 16] << 8 |
							   whole[V4_L4 + 17]));
	/* LEGACY: a GSO skb with payload <= gso_size, dropped at transmit */
	t.segment = false;
	run_tso(NULL, TS_V4, &t, 1000, 1000, false);
	ck_assert_uint_eq(rs->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(rs->reason, OFD_REASON_GSO_PAYLOAD_TOO_SMALL);
	ck_assert_uint_eq(rs->stage, OFD_STAGE_XMIT);
	run_tso(NULL, TS_V4, &t, 1001, 1000, false);
	ck_assert_uint_eq(rs->status, OFD_RES_OK);
	ck_assert_uint_eq(rs->nframes, 2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Profiles                                                            */
/* ------------------------------------------------------------------ */

/* The conformant output of the same case, kept to compare against. */
static uint8_t conf[8][4096];
static uint32_t conf_len[8], conf_n;

static void keep_conformant(void)
{
	uint32_t j;

	conf_n = rs->nframes;
	ck_assert_uint_le(conf_n, 8);
	for (j = 0; j < conf_n; j++) {
		conf_len[j] = rs->frame[j].len;
		ck_assert_uint_le(conf_len[j], sizeof(conf[j]));
		ofd_frame_materialize(&rs->frame[j], conf[j]);
	}
}

/* Bytes of segment j that differ from the conformant one, as a bitmap of
 * offsets < 128 (header bytes); payload bytes must never differ. */
static int differs(uint32_t j, uint32_t off)
{
	return ofd_frame_byte(&rs->frame[j], off) != conf[j][off];
}

static void only_differ(uint32_t j, const uint32_t *offs, unsigned int n)
{
	uint32_t k;
	unsigned int i;

	ck_assert_uint_eq(rs->frame[j].len, conf_len[j]);
	for (k = 0; k < conf_len[j]; k++) {
		bool allowed = false;

		for (i = 0; i < n; i++)
			allowed |= k == offs[i] || k == offs[i] + 1;
		if (!allowed)
			ck_assert_msg(!differs(j, k), "segment %u byte %u differs", j, k);
	}
}

START_TEST(profile_flags)
{
	struct tso_params t = { .seq = 100000, .flags = 0x99, .id = 0x1234 };
	uint32_t tcp_fields[] = { V4_L4 + 12, V4_L4 + 16 }, j;

	run_tso(NULL, TS_V4, &t, 2500, 1000, true);
	keep_conformant();
	run_tso("tso-psh-every", TS_V4, &t, 2500, 1000, true);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(rs->frame[j].base[V4_L4 + 13] & 0x09, 0x09);
		only_differ(j, tcp_fields, 2);
	}
	ck_assert(differs(0, V4_L4 + 13) && !differs(2, V4_L4 + 13));
	run_tso("tso-cwr-every", TS_V4, &t, 2500, 1000, true);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(rs->frame[j].base[V4_L4 + 13] & 0x80, 0x80);
		only_differ(j, tcp_fields, 2);
	}
	ck_assert(!differs(0, V4_L4 + 13) && differs(1, V4_L4 + 13));
}
END_TEST

START_TEST(profile_ids)
{
	struct tso_params t = { .seq = 1, .flags = 0x10, .id = 0x100, .iid = 0x200 };
	uint32_t ip_fields[] = { 14 + 4, 14 + 10, 34 + 6 }, j;
	/* inner ipv4 of VXLAN at 14 + 20 + 8 + 8 + 14 = 64 */
	uint32_t tnl_fields[] = { 14 + 4, 14 + 10, 64 + 4, 64 + 10, 34 + 6 };

	run_tso(NULL, TS_V4, &t, 2500, 1000, false);
	keep_conformant();
	run_tso("tso-fixed-id", TS_V4, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(at16(j, 14 + 4), 0x100);
		only_differ(j, ip_fields, 2);
	}
	/* a single header is the innermost one: inner-only increments it */
	run_tso("tso-inner-id", TS_V4, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++)
		only_differ(j, NULL, 0);

	run_tso(NULL, TS_VXLAN_CSUM, &t, 2500, 1000, false);
	keep_conformant();
	run_tso("tso-inner-id", TS_VXLAN_CSUM, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(at16(j, 14 + 4), 0x100);
		ck_assert_uint_eq(at16(j, 64 + 4), 0x200 + j);
		only_differ(j, tnl_fields, 5);
	}
	ck_assert(differs(1, 14 + 5));
}
END_TEST

/* The TCP checksum of segment j as an RFC 1071 sum would have it with a
 * pseudo-header length of `plen` instead of the segment's own. */
static uint16_t csum_with_len(uint32_t j, uint32_t l3, uint32_t l4, uint32_t plen, bool v6)
{
	const uint8_t *d = seg_bytes(j);
	uint32_t acc = 0, len = rs->frame[j].len;

	acc = ofd_test_sum(d + l3 + (v6 ? 8 : 12), v6 ? 32 : 8, acc);
	acc += (plen >> 16) + (plen & 0xffff) + 6;
	acc = ofd_test_sum(d + l4, 16, acc);
	acc = ofd_test_sum(d + l4 + 18, len - l4 - 18, acc);
	return (uint16_t)~ofd_test_fold(acc);
}

START_TEST(profile_pseudo_len)
{
	struct tso_params t = { .seq = 100000, .flags = 0x10, .id = 0x1234 };
	uint32_t fields[] = { V4_L4 + 16 }, j, full = 2520;

	run_tso(NULL, TS_V4, &t, 2500, 1000, false);
	keep_conformant();
	run_tso("tso-pseudo-len-kept", TS_V4, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++) {
		uint32_t own = rs->frame[j].len - V4_L4;

		only_differ(j, fields, 1);
		ck_assert_uint_eq(at16(j, V4_L4 + 16),
				  csum_with_len(j, V4_IP, V4_L4, full + own, false));
	}
	run_tso("tso-pseudo-len-twice", TS_V4, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++) {
		uint32_t own = rs->frame[j].len - V4_L4;
		/* own - full, in ones' complement: own + ~full */
		uint32_t l = (uint32_t)own + (0xffffu - full);

		only_differ(j, fields, 1);
		ck_assert_uint_eq(at16(j, V4_L4 + 16),
				  csum_with_len(j, V4_IP, V4_L4, l, false));
	}
}
END_TEST

START_TEST(profile_last_len)
{
	struct tso_params t = { .seq = 100000, .flags = 0x10, .id = 0x1234 };
	uint32_t fields[] = { V4_IP + 2, V4_IP + 10, V4_L4 + 16 }, j;

	run_tso(NULL, TS_V4, &t, 2500, 1000, false);
	keep_conformant();
	run_tso("tso-last-len", TS_V4, &t, 2500, 1000, false);
	for (j = 0; j < 2; j++)
		only_differ(j, NULL, 0);
	only_differ(2, fields, 3);
	ck_assert_uint_eq(at16(2, V4_IP + 2), 1040);
	ck_assert_uint_eq(at16(2, V4_L4 + 16), csum_with_len(2, V4_IP, V4_L4, 1020, false));
}
END_TEST

START_TEST(profile_outer_udp)
{
	struct tso_params t = { .seq = 1, .flags = 0x10, .id = 0x100, .iid = 0x200 };
	uint32_t fields[] = { 34 + 4, 34 + 6 }, j;

	run_tso(NULL, TS_VXLAN_CSUM, &t, 2500, 1000, false);
	keep_conformant();
	run_tso("tso-outer-udp-len", TS_VXLAN_CSUM, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(at16(j, 34 + 4), 8 + 8 + 14 + 20 + 20 + 2500);
		only_differ(j, fields, 2);
	}
	run_tso("tso-outer-udp-csum", TS_VXLAN_CSUM, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++) {
		ck_assert_uint_eq(at16(j, 34 + 6), (uint16_t)(sp[34 + 6] << 8 | sp[34 + 7]));
		only_differ(j, fields + 1, 1);
	}
	/* without _CSUM there is nothing to leave stale */
	run_tso(NULL, TS_VXLAN, &t, 2500, 1000, false);
	keep_conformant();
	run_tso("tso-outer-udp-csum", TS_VXLAN, &t, 2500, 1000, false);
	for (j = 0; j < 3; j++)
		only_differ(j, NULL, 0);
}
END_TEST

START_TEST(profile_exthdr)
{
	struct tso_params t = { .seq = 1, .flags = 0x10 };

	run_tso("tso-no-exthdr", TS_V6_DOPT, &t, 2500, 1000, false);
	ck_assert_uint_eq(rs->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(rs->reason, OFD_REASON_DEVICE);
	run_tso("tso-no-exthdr", TS_V6_SRH, &t, 2500, 1000, true);
	ck_assert_uint_eq(rs->status, OFD_RES_REJECTED);
	run_tso("tso-no-exthdr", TS_V6, &t, 2500, 1000, true);
	expect_segments(TS_V6, &t, 2500, 1000, "v6 without extension headers");
}
END_TEST

START_TEST(emu_has_tso)
{
	extern const struct ofd_engine_ops ofd_engine_emu;

	ck_assert(ofd_engine_caps(&ofd_engine_emu) & OFD_CAP(OFD_OFFLOAD_TSO));
}
END_TEST

static void teardown(void)
{
	if (rs)
		ofd_result__free(rs);
	rs = NULL;
}

static Suite *emu_tso_suite(void)
{
	Suite *s = suite_create("emu_tso");
	TCase *tc;

	tc = tcase_create("probes");
	tcase_add_unchecked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, probe_t1, 0, 2);
	tcase_add_test(tc, probe_t2_id_wrap);
	tcase_add_loop_test(tc, probe_t7_uso, 0, 2);
	tcase_add_test(tc, probe_t8_ufo);
	tcase_add_test(tc, probe_tnl);
	tcase_add_test(tc, ufo_tiny_fragments);
	suite_add_tcase(s, tc);

	tc = tcase_create("conformant");
	tcase_add_unchecked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc, conformant_shapes, 0, 2 * TS__MAX);
	tcase_add_test(tc, small_packets);
	tcase_add_test(tc, emu_has_tso);
	suite_add_tcase(s, tc);

	tc = tcase_create("profiles");
	tcase_add_unchecked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, profile_flags);
	tcase_add_test(tc, profile_ids);
	tcase_add_test(tc, profile_pseudo_len);
	tcase_add_test(tc, profile_last_len);
	tcase_add_test(tc, profile_outer_udp);
	tcase_add_test(tc, profile_exthdr);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(emu_tso_suite)
