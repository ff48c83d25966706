// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_tso.c - the model's software GSO against the values the
 * live kernel gave in the probes of kernel-tx.md 10.6, and against the
 * rules of kernel-tx.md 5-7 where no live kernel can be asked (tunnels,
 * GRE, IP-in-IP, FIXEDID, ACCECN: a stack-built request, which virtio
 * cannot carry). Model only: check_model_tso_kernel.c compares with the
 * running kernel.
 *
 * Cases:
 *  - T1: 3 segments, seq, flags 0x90/0x10/0x19, IDs 0x1234/5/6, TCP
 *    checksums 0xc828/0xe2de/0x7c52, tot_len 1040/1040/540, zero vnet
 *    headers; T2: ID 0xffff wraps to 0x0000, 0x0001;
 *  - T4: payload = gso_size is not GSO: one checksummed frame;
 *  - T5: 12 option bytes + 995 payload, gso 1000: dropped at transmit
 *    (GSO_PAYLOAD_TOO_SMALL); T15: gso_size 4 gives 5 segments;
 *  - T6b: a TCP segment whose true checksum is 0 keeps 0x0000;
 *  - T7: USO UDP lengths 1008/1008/508, IDs 0x2000/1/2, checksums
 *    0x8bcc/0xa9ea/0x4943; T7b: a USO segment's 0 becomes 0xffff;
 *  - T8: UFO 2508 bytes, gso 1480: 2 fragments, same ID, frag_off 0x2000
 *    and 0x00b9, DF gone, DATA_VALID; IPv6 UFO is unsupported (its
 *    fragment identification changes with every send);
 *  - T9: TCPv6 + SRH, NEEDS_CSUM: payload_len 1060/1060/560, checksums
 *    valid against segments[0]; T9b: without NEEDS_CSUM, valid against
 *    the IPv6 destination address (re-seeded from the header);
 *  - Q5: URG|ACK|RST|SYN|ECE and urg_ptr copied to every segment;
 *  - ACCECN keeps CWR on every segment;
 *  - tnl: VXLAN (UDP_TUNNEL_CSUM): outer ID +1, outer UDP length
 *    1070/1070/570 and a valid outer checksum, inner ID +1, inner TCP as
 *    T1; without _CSUM the outer checksum stays 0; FIXEDID keeps the
 *    outer ID, FIXEDID_INNER the inner one; GENEVE with an option;
 *  - GRE_CSUM: RFC 2784 checksum without pseudo-header, key copied;
 *  - IPXIP4 (IPv4 in IPv4) and IPXIP6 (IPv6 in IPv6) lengths and IDs;
 *  - drops: IPv6 Fragment header (GSO_NO_HANDLER), TCPV4 on IPv6
 *    (GSO_TYPE_MISMATCH), csum_start off the TCP header;
 *  - a stack-built GSO request whose payload fits one segment is dropped
 *    like T5; without a GSO type it is one checksummed frame;
 *  - gso_size 1 on a 64 KB frame: 65495 segments, fast; a result slot
 *    too small for the segments is unsupported.
 */
#include <time.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_pktbuild.h"
#include "ofd_test.h"
#include "tso_test_util.h"

extern const struct ofd_engine_ops ofd_engine_model;

static uint8_t *buf;
static struct ofd_result *res;
static struct ofd_case cs;
static struct ofd_pkt pkt;
static uint8_t out[TT_CAP];

static void setup(void)
{
	buf = calloc(1, TT_CAP);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(ofd_result__new(8u << 20, &res), 0);
}

static void teardown(void)
{
	ofd_result__free(res);
	free(buf);
}

static void run(void)
{
	ofd_result_reset(res);
	ck_assert_int_eq(ofd_engine_model.run(NULL, &cs, &res, 1), 0);
}

/* Frame k of the result, materialised into out; its length. */
static uint32_t frame(unsigned int k)
{
	ck_assert_uint_lt(k, res->nframes);
	ofd_frame_materialize(&res->frame[k], out);
	return res->frame[k].len;
}

static void vnet_case(const struct shape *s, uint8_t type, uint16_t gso, bool csum)
{
	uint32_t l4, len = tt_build(buf, s, &l4);

	tt_request(&cs, &pkt, buf, len, l4, s, type, gso, csum);
}

/* IPv4/TCP at 14/34: the T1 expectations. */
static void assert_t1(uint32_t ip, uint32_t th, uint16_t id0)
{
	static const uint16_t csum[3] = { 0xc828, 0xe2de, 0x7c52 };
	static const uint8_t flags[3] = { 0x90, 0x10, 0x19 };
	unsigned int k;

	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		frame(k);
		ck_assert_uint_eq(tt_be32(out + th + 4), 100000 + 1000 * k);
		ck_assert_uint_eq(out[th + 13], flags[k]);
		ck_assert_uint_eq(tt_be16(out + ip + 4), (uint16_t)(id0 + k));
		ck_assert_uint_eq(tt_be16(out + ip + 2), k < 2 ? 1040 : 540);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + ip, 20, 0)), 0xffff);
		if (th == 34)
			ck_assert_uint_eq(tt_be16(out + th + 16), csum[k]);
		ck_assert_uint_eq(res->frame[k].meta.has, OFD_META_VNET);
		ck_assert_uint_eq(res->frame[k].meta.vnet.flags, 0);
		ck_assert_uint_eq(res->frame[k].meta.vnet.gso_type, 0);
	}
}

START_TEST(t1_tcp4)
{
	struct shape s = { .payload = 2500, .flags = 0x99 };

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	run();
	assert_t1(14, 34, 0x1234);
}
END_TEST

START_TEST(t2_id_wraps)
{
	struct shape s = { .payload = 2500, .id = 0xffff };
	unsigned int k;

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	run();
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		frame(k);
		ck_assert_uint_eq(tt_be16(out + 18), (uint16_t)(0xffff + k));
	}
}
END_TEST

START_TEST(t4_not_gso)
{
	struct shape s = { .payload = 1000 };
	uint32_t len;

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	run();
	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->nframes, 1);
	len = frame(0);
	ck_assert_uint_eq(len, pkt.len);
	ck_assert_uint_eq(res->frame[0].meta.has, OFD_META_VNET);
	ck_assert_uint_eq(res->frame[0].meta.vnet.flags, 0);
	/* checksummed: the sum with the IPv4 pseudo-header is 0xffff */
	{
		uint32_t ps = ofd_pseudo_v4(out + 26, out + 30, len - 34, 6);

		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + 34, len - 34, ps)), 0xffff);
	}
}
END_TEST

START_TEST(t5_options_trap)
{
	struct shape s = { .payload = 995, .optlen = 12 };

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	run();
	ck_assert_uint_eq(res->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res->stage, OFD_STAGE_XMIT);
	ck_assert_uint_eq(res->reason, OFD_REASON_GSO_PAYLOAD_TOO_SMALL);
}
END_TEST

START_TEST(t15_gso_4)
{
	struct shape s = { .payload = 20 };
	unsigned int k;

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 4, true);
	run();
	ck_assert_uint_eq(res->nframes, 5);
	for (k = 0; k < 5; k++)
		ck_assert_uint_eq(frame(k), 54 + 4);
}
END_TEST

/* Make the last segment's true L4 checksum 0: add its current checksum
 * into an aligned word of its payload (ones' complement), run again. */
static void zero_last(uint32_t l4, uint32_t csum_off, uint16_t gso)
{
	uint32_t n = res->nframes, last_start = (n - 1) * gso, at;
	uint16_t c, w;

	frame(n - 1);
	c = tt_be16(out + l4 + csum_off);
	at = pkt.len - 2;
	/* an even distance from the last segment's payload start */
	ck_assert(((at - (l4 + (csum_off == 16 ? 20 : 8) + last_start)) & 1) == 0);
	w = tt_be16(buf + at);
	w = (uint16_t)ofd_test_fold((uint32_t)w + c);
	ofd_put_be16(buf + at, w);
	run();
}

START_TEST(t6b_tcp_zero_stays)
{
	struct shape s = { .payload = 2000 };
	uint32_t len;

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	run();
	zero_last(34, 16, 1000);
	ck_assert_uint_eq(res->nframes, 2);
	len = frame(1);
	ck_assert_uint_eq(tt_be16(out + 50), 0x0000);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + 34, len - 34,
		ofd_pseudo_v4(out + 26, out + 30, len - 34, 6))), 0xffff);
}
END_TEST

START_TEST(t7_uso)
{
	static const uint16_t csum[3] = { 0x8bcc, 0xa9ea, 0x4943 };
	struct shape s = { .udp = 1, .payload = 2500, .id = 0x2000 };
	unsigned int k;

	vnet_case(&s, OFD_VNET_GSO_UDP_L4, 1000, true);
	run();
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		frame(k);
		ck_assert_uint_eq(tt_be16(out + 38), k < 2 ? 1008 : 508);
		ck_assert_uint_eq(tt_be16(out + 18), 0x2000 + k);
		ck_assert_uint_eq(tt_be16(out + 40), csum[k]);
	}
}
END_TEST

START_TEST(t7b_uso_zero_is_ffff)
{
	struct shape s = { .udp = 1, .payload = 2000 };

	vnet_case(&s, OFD_VNET_GSO_UDP_L4, 1000, true);
	run();
	zero_last(34, 6, 1000);
	frame(1);
	ck_assert_uint_eq(tt_be16(out + 40), 0xffff);
}
END_TEST

START_TEST(t8_ufo4)
{
	struct shape s = { .udp = 1, .payload = 2500 };
	uint32_t len0, len1, ps;
	uint8_t dgram[2508];

	vnet_case(&s, OFD_VNET_GSO_UDP, 1480, true);
	run();
	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->nframes, 2);
	len0 = frame(0);
	memcpy(dgram, out + 34, len0 - 34);
	ck_assert_uint_eq(tt_be16(out + 20), 0x2000);
	ck_assert_uint_eq(tt_be16(out + 18), 0x1234);
	ck_assert_uint_eq(tt_be16(out + 16), 1500);
	ck_assert_uint_eq(res->frame[0].meta.vnet.flags, OFD_VNET_F_DATA_VALID);
	len1 = frame(1);
	ck_assert_uint_eq(tt_be16(out + 20), 0x00b9);
	ck_assert_uint_eq(tt_be16(out + 18), 0x1234);
	ck_assert_uint_eq(res->frame[1].meta.vnet.flags, OFD_VNET_F_DATA_VALID);
	memcpy(dgram + len0 - 34, out + 34, len1 - 34);
	/* the reassembled datagram's UDP checksum is the full one */
	ps = ofd_pseudo_v4(out + 26, out + 30, 2508, 17);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(dgram, 2508, ps)), 0xffff);

	s.v6 = 1;
	vnet_case(&s, OFD_VNET_GSO_UDP, 1480, true);
	run();
	ck_assert_uint_eq(res->status, OFD_RES_UNSUPPORTED);
	ck_assert(strstr(res->detail, "ipv6_proxy_select_ident"));
}
END_TEST

/* The TCP checksum of IPv6 frame out (TCP at l4) against destination d. */
static uint16_t v6_sum(uint32_t len, uint32_t l4, const uint8_t *d)
{
	return ofd_test_fold(ofd_test_sum(out + l4, len - l4,
		ofd_pseudo_v6(out + 22, d, len - l4, 6)));
}

START_TEST(t9_srh)
{
	struct shape s = { .v6 = 1, .ext = X_SRH, .payload = 2500 };
	uint32_t len, l4 = 14 + 40 + 40;
	unsigned int k;

	vnet_case(&s, OFD_VNET_GSO_TCPV6, 1000, true);
	run();
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		ck_assert_uint_eq(tt_be16(out + 18), k < 2 ? 1060 : 560);
		/* segments[0] is the first address of the SRH's list */
		ck_assert_uint_eq(v6_sum(len, l4, out + 54 + 8), 0xffff);
		ck_assert_uint_ne(v6_sum(len, l4, out + 38), 0xffff);
	}
	/* T9b: no NEEDS_CSUM: tcp6_gso_segment re-seeds from the header */
	vnet_case(&s, OFD_VNET_GSO_TCPV6, 1000, false);
	run();
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		ck_assert_uint_eq(v6_sum(len, l4, out + 38), 0xffff);
		ck_assert_uint_ne(v6_sum(len, l4, out + 54 + 8), 0xffff);
	}
}
END_TEST

START_TEST(q5_flags_copied)
{
	struct shape s = { .payload = 2500, .flags = 0x76, .urg = 1500 };
	unsigned int k;

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	run();
	for (k = 0; k < 3; k++) {
		frame(k);
		ck_assert_uint_eq(out[47], 0x76);
		ck_assert_uint_eq(tt_be16(out + 52), 1500);
	}
}
END_TEST

/* A stack-built request (LEGACY) for the same frame. */
static void legacy(uint32_t skb_gso)
{
	cs.req.kind = OFD_REQ_LEGACY;
	cs.req.skb_gso = skb_gso;
}

START_TEST(accecn_keeps_cwr)
{
	struct shape s = { .payload = 2500, .flags = 0x99 };
	static const uint8_t flags[3] = { 0x90, 0x90, 0x99 };
	unsigned int k;

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_ACCECN);
	run();
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		frame(k);
		ck_assert_uint_eq(out[47], flags[k]);
	}
	/* the plain stack-built request is T1 exactly */
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_ECN);
	run();
	assert_t1(14, 34, 0x1234);
	/* FIXEDID: every segment keeps the ID, with or without DF */
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_FIXEDID);
	buf[14 + 6] = 0;
	ofd_put_be16(buf + 24, 0);
	ofd_put_be16(buf + 24, ofd_inet_csum(buf + 14, 20));
	run();
	for (k = 0; k < 3; k++) {
		frame(k);
		ck_assert_uint_eq(tt_be16(out + 18), 0x1234);
	}
}
END_TEST

/* eth / ipv4 (id 0x100) / udp dport / tunnel / eth / ipv4 (id 0x200) /
 * tcp (T1 setup) / 2500 bytes; the L4 seeds as the stack leaves them. */
static uint32_t tunnel_frame(int kind, bool csum, uint32_t *th)
{
	struct ofd_pktb_ipv4_opts o1 = { .id = 0x100 }, o2 = { .id = 0x200 };
	struct ofd_pktb_tcp_opts t = { .sport = 1000, .dport = 2000, .seq = 100000,
				       .ack = 1, .flags = 0x99, .window = 65535 };
	struct ofd_pktb b;
	int u = -1, tcp;

	ofd_pktb_init(&b, buf, TT_CAP);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, &o1);
	if (kind == 0) {
		u = ofd_pktb_udp(&b, 5555, 4789);
		ofd_pktb_vxlan(&b, 42);
		ofd_pktb_eth(&b, NULL, NULL, 0);
	} else if (kind == 1) {
		u = ofd_pktb_udp(&b, 5555, 6081);
		ofd_pktb_geneve(&b, 42, 8);
		ofd_pktb_eth(&b, NULL, NULL, 0);
	} else if (kind == 2) {
		ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY, 0xabcd, 0);
	}
	ofd_pktb_ipv4(&b, &o2);
	tcp = ofd_pktb_tcp(&b, &t);
	ofd_pktb_payload(&b, 2500);
	b.layer[tcp].csum = OFD_PKTB_CSUM_SEED;
	if (u >= 0 && csum)
		b.layer[u].csum = OFD_PKTB_CSUM_SEED;
	if (kind == 2)
		b.layer[2].csum = OFD_PKTB_CSUM_ZERO;
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	*th = b.layer[tcp].off;
	pkt.data = buf;
	pkt.len = b.len;
	memset(&cs, 0, sizeof(cs));
	cs.offload = OFD_OFFLOAD_TSO;
	cs.npkts = 1;
	cs.pkts = &pkt;
	cs.req.kind = OFD_REQ_LEGACY;
	cs.req.legacy = OFD_LEGACY_IPV4 | OFD_LEGACY_TCP | OFD_LEGACY_TUNNEL;
	cs.req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	cs.req.vnet.csum_start = (uint16_t)*th;
	cs.req.vnet.csum_offset = 16;
	cs.req.vnet.gso_size = 1000;
	return b.len;
}

/* Inner IPv4 at th - 20, TCP at th: T1's rules; outer IPv4 at 14. */
static void assert_tunnel(uint32_t th, uint16_t oid, uint16_t iid, bool ofixed,
			  bool ifixed)
{
	static const uint8_t flags[3] = { 0x90, 0x10, 0x19 };
	unsigned int k;
	uint32_t len;

	ck_assert_msg(res->status == OFD_RES_OK, "status %u %s", res->status,
		      res->detail ? res->detail : "");
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		ck_assert_uint_eq(tt_be16(out + 18), (uint16_t)(oid + (ofixed ? 0 : k)));
		ck_assert_uint_eq(tt_be16(out + 16), len - 14);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + 14, 20, 0)), 0xffff);
		ck_assert_uint_eq(tt_be16(out + th - 20 + 4), (uint16_t)(iid + (ifixed ? 0 : k)));
		ck_assert_uint_eq(tt_be16(out + th - 20 + 2), len - th + 20);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + th - 20, 20, 0)), 0xffff);
		ck_assert_uint_eq(tt_be32(out + th + 4), 100000 + 1000 * k);
		ck_assert_uint_eq(out[th + 13], flags[k]);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + th, len - th,
			ofd_pseudo_v4(out + th - 8, out + th - 4, len - th, 6))), 0xffff);
	}
}

START_TEST(tnl_vxlan)
{
	uint32_t th, len;
	unsigned int k;

	tunnel_frame(0, true, &th);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL_CSUM);
	run();
	assert_tunnel(th, 0x100, 0x200, false, false);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		ck_assert_uint_eq(tt_be16(out + 38), k < 2 ? 1070 : 570);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + 34, len - 34,
			ofd_pseudo_v4(out + 26, out + 30, len - 34, 17))), 0xffff);
	}
	/* without _CSUM the outer checksum stays 0 */
	tunnel_frame(0, false, &th);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL);
	run();
	assert_tunnel(th, 0x100, 0x200, false, false);
	for (k = 0; k < 3; k++) {
		frame(k);
		ck_assert_uint_eq(tt_be16(out + 38), k < 2 ? 1070 : 570);
		ck_assert_uint_eq(tt_be16(out + 40), 0);
	}
	/* FIXEDID is the outer header's, FIXEDID_INNER the inner one's */
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL | OFD_SKB_GSO_TCP_FIXEDID);
	run();
	assert_tunnel(th, 0x100, 0x200, true, false);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL | OFD_SKB_GSO_TCP_FIXEDID_INNER);
	run();
	assert_tunnel(th, 0x100, 0x200, false, true);
	/* GSO_PARTIAL on the request: this device segments it all the same */
	tunnel_frame(0, true, &th);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL_CSUM | OFD_SKB_GSO_PARTIAL);
	run();
	assert_tunnel(th, 0x100, 0x200, false, false);
}
END_TEST

START_TEST(tnl_geneve)
{
	uint32_t th, len;
	unsigned int k;

	tunnel_frame(1, true, &th);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL_CSUM);
	run();
	assert_tunnel(th, 0x100, 0x200, false, false);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		ck_assert_uint_eq(tt_be16(out + 38), len - 34);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + 34, len - 34,
			ofd_pseudo_v4(out + 26, out + 30, len - 34, 17))), 0xffff);
	}
}
END_TEST

START_TEST(gre_csum)
{
	uint32_t th, len;
	unsigned int k;

	tunnel_frame(2, true, &th);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_GRE_CSUM);
	run();
	assert_tunnel(th, 0x100, 0x200, false, false);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		/* C|K, the key copied, the checksum over GRE + payload */
		ck_assert_uint_eq(tt_be16(out + 34), 0xa000);
		ck_assert_uint_eq(tt_be32(out + 42), 0xabcd);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + 34, len - 34, 0)), 0xffff);
	}
	/* a virtio-style request (not encapsulated) cannot segment GRE */
	legacy(OFD_SKB_GSO_TCPV4);
	cs.req.legacy = OFD_LEGACY_IPV4 | OFD_LEGACY_TCP;
	run();
	ck_assert_uint_eq(res->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res->reason, OFD_REASON_GSO_TYPE_MISMATCH);
}
END_TEST

START_TEST(ipxip)
{
	struct shape s = { .payload = 2500, .flags = 0x99 };
	uint32_t l4, len, k;

	/* IPv4 in IPv4: an outer header in front of T1's frame */
	len = tt_build(buf + 20, &s, &l4);
	memmove(buf, buf + 20, 14);
	memcpy(buf + 14, "\x45\x00\x00\x00\x00\x77\x40\x00\x40\x04\x00\x00"
			 "\x0a\x01\x01\x01\x0a\x01\x01\x02", 20);
	ofd_put_be16(buf + 16, (uint16_t)(len + 20 - 14));
	ofd_put_be16(buf + 24, ofd_inet_csum(buf + 14, 20));
	tt_request(&cs, &pkt, buf, len + 20, l4 + 20, &s, OFD_VNET_GSO_TCPV4, 1000, true);
	/* virtio cannot say IPXIP4: dropped by ipip_gso_segment */
	run();
	ck_assert_uint_eq(res->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res->reason, OFD_REASON_GSO_TYPE_MISMATCH);
	legacy(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_IPXIP4);
	run();
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		ck_assert_uint_eq(tt_be16(out + 18), 0x77 + k);
		ck_assert_uint_eq(tt_be16(out + 16), len - 14);
		ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(out + 14, 20, 0)), 0xffff);
	}
	assert_t1(34, 54, 0x1234);

	/* IPv6 in IPv6 */
	s.v6 = 1;
	len = tt_build(buf + 40, &s, &l4);
	memmove(buf, buf + 40, 14);
	memcpy(buf + 14, buf + 54, 40);
	buf[14 + 6] = 41;
	ofd_put_be16(buf + 18, (uint16_t)(len + 40 - 54));
	tt_request(&cs, &pkt, buf, len + 40, l4 + 40, &s, OFD_VNET_GSO_TCPV6, 1000, true);
	legacy(OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_IPXIP6);
	run();
	ck_assert_uint_eq(res->nframes, 3);
	for (k = 0; k < 3; k++) {
		len = frame(k);
		ck_assert_uint_eq(tt_be16(out + 18), len - 54);
		ck_assert_uint_eq(tt_be16(out + 58), len - 94);
	}
}
END_TEST

START_TEST(drops)
{
	struct shape s = { .v6 = 1, .ext = X_FRAG, .payload = 2500 };

	vnet_case(&s, OFD_VNET_GSO_TCPV6, 1000, true);
	run();
	ck_assert_msg(res->status == OFD_RES_REJECTED, "%u", res->status);
	ck_assert_msg(res->stage == OFD_STAGE_XMIT, "%s", ofd_reason_str(res->reason));
	ck_assert_uint_eq(res->reason, OFD_REASON_GSO_NO_HANDLER);

	/* TCPV4 on an IPv6 frame: tcp6_gso_segment wants SKB_GSO_TCPV6 */
	s.ext = 0;
	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	run();
	ck_assert_uint_eq(res->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res->stage, OFD_STAGE_XMIT);
	ck_assert_uint_eq(res->reason, OFD_REASON_GSO_TYPE_MISMATCH);

	s.v6 = 0;
	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	cs.req.vnet.csum_start = 38;
	run();
	ck_assert_uint_eq(res->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res->reason, OFD_REASON_GSO_SEGMENT_FAILED);
}
END_TEST

START_TEST(legacy_too_small)
{
	struct shape s = { .payload = 995, .optlen = 12 };

	/* the T5 frame as a stack-built GSO skb: tcp_gso_segment drops a GSO
	 * skb whose payload is not larger than gso_size, whoever built it */
	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1000, true);
	legacy(OFD_SKB_GSO_TCPV4);
	run();
	ck_assert_uint_eq(res->status, OFD_RES_REJECTED);
	ck_assert_uint_eq(res->stage, OFD_STAGE_XMIT);
	ck_assert_uint_eq(res->reason, OFD_REASON_GSO_PAYLOAD_TOO_SMALL);
	/* not marked GSO: the tx-csum path, one checksummed frame */
	legacy(0);
	cs.req.vnet.gso_type = 0;
	run();
	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->nframes, 1);
	ck_assert_uint_eq(res->frame[0].meta.has, OFD_META_VNET);
}
END_TEST

START_TEST(gso1_64k)
{
	struct shape s = { .payload = 65495 };
	struct timespec t0, t1;
	struct ofd_result *small;
	double ms;

	vnet_case(&s, OFD_VNET_GSO_TCPV4, 1, true);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->nframes, 65495);
	frame(65494);
	ck_assert_uint_eq(tt_be32(out + 38), 100000 + 65494);
	ck_assert_uint_eq(out[47], 0x18);
	ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	ck_assert_msg(ms < 500, "65495 segments took %.1f ms", ms);

	/* a slot too small: unsupported, like the kernel engine's overflow */
	ck_assert_int_eq(ofd_result__new(64 * 1024, &small), 0);
	ck_assert_int_eq(ofd_engine_model.run(NULL, &cs, &small, 1), 0);
	ck_assert_uint_eq(small->status, OFD_RES_UNSUPPORTED);
	ck_assert_uint_eq(small->nframes, 0);
	ck_assert(strstr(small->detail, "more room than a result slot holds"));
	ofd_result__free(small);
}
END_TEST

static Suite *model_tso_suite(void)
{
	Suite *s = suite_create("model_tso");
	TCase *tc = tcase_create("probes");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, t1_tcp4);
	tcase_add_test(tc, t2_id_wraps);
	tcase_add_test(tc, t4_not_gso);
	tcase_add_test(tc, t5_options_trap);
	tcase_add_test(tc, t15_gso_4);
	tcase_add_test(tc, t6b_tcp_zero_stays);
	tcase_add_test(tc, t7_uso);
	tcase_add_test(tc, t7b_uso_zero_is_ffff);
	tcase_add_test(tc, t8_ufo4);
	tcase_add_test(tc, t9_srh);
	tcase_add_test(tc, q5_flags_copied);
	tcase_add_test(tc, accecn_keeps_cwr);
	tcase_add_test(tc, tnl_vxlan);
	tcase_add_test(tc, tnl_geneve);
	tcase_add_test(tc, gre_csum);
	tcase_add_test(tc, ipxip);
	tcase_add_test(tc, drops);
	tcase_add_test(tc, legacy_too_small);
	tcase_add_test(tc, gso1_64k);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_tso_suite)
