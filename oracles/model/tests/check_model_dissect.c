// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_dissect.c - the flow dissector model (oracles/model/
 * dissect.c) against the kernel's rules (kernel-rx.md 5.1-5.3) and the
 * expectations of the kernel's BPF flow dissector selftest
 * (tools/testing/selftests/bpf/prog_tests/flow_dissector.c: its "ipv4",
 * "ipv6", "802.1q-ipv4", "802.1ad-ipv6", "ipv4-frag", "ipv6-frag",
 * "ipv6-flow-label", "ipip-encap" and "ipip-no-encap" packets, where the
 * C dissector agrees with the BPF program: thoff, flags, protocols,
 * ports; nhoff is the BPF program's own and not compared, and for a
 * first fragment the C dissector takes no ports, 5.1).
 *
 * Every expected value is derived here from header sizes and the rules,
 * never taken from the model's output: Ethernet 14, a VLAN tag 4, IPv4
 * 20 (IHL 5), IPv6 40, a Fragment header 8, GRE 4 plus 4 per C/K/S bit.
 */
#include <string.h>

#include "ofd_test.h"
#include "ofd_dissect.h"
#include "ofd_pktbuild.h"

static uint8_t buf[2048];


static void start(struct ofd_pktb *b)
{
	ofd_pktb_init(b, buf, sizeof(buf));
	ofd_pktb_eth(b, NULL, NULL, 0);
}

static void tcp(struct ofd_pktb *b, uint16_t sport, uint16_t dport)
{
	struct ofd_pktb_tcp_opts o = { .sport = sport, .dport = dport, .flags = 0x10,
				       .window = 100 };

	ofd_pktb_tcp(b, &o);
	ofd_pktb_payload(b, 10);
}

static void ip4(struct ofd_pktb *b, uint8_t last)
{
	static const uint8_t s[4] = { 10, 0, 0, 1 }, d[4] = { 10, 0, 0, 2 };
	static const uint8_t si[4] = { 172, 16, 0, 1 }, di[4] = { 172, 16, 0, 2 };
	struct ofd_pktb_ipv4_opts o = { .saddr = last ? si : s, .daddr = last ? di : d };

	ofd_pktb_ipv4(b, &o);
}

static void ip6(struct ofd_pktb *b, uint32_t label)
{
	struct ofd_pktb_ipv6_opts o = { .flowlabel = label };

	ofd_pktb_ipv6(b, &o);
}

static void dissect(struct ofd_pktb *b, uint32_t len, uint32_t flags, struct ofd_flow_keys *k)
{
	ck_assert_int_eq(ofd_pktb_finish(b), 0);
	ck_assert_int_eq(ofd_model_dissect(buf, len ? len : b->len, flags, k), 0);
	ck_assert_uint_eq(k->have, OFD_DISSECT_HAVE);
}

#define F_1ST OFD_FK_F_PARSE_1ST_FRAG
#define F_FL OFD_FK_F_STOP_AT_FLOW_LABEL
#define F_ENC OFD_FK_F_STOP_AT_ENCAP

static void ports_are(const struct ofd_flow_keys *k, uint16_t s, uint16_t d)
{
	ck_assert_uint_eq(k->sport, s);
	ck_assert_uint_eq(k->dport, d);
}

/* selftest "ipv4" and "ipv6": thoff past the fixed header, the ports */
START_TEST(selftest_ipv4_ipv6)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ip4(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.thoff, 14 + 20);
	ck_assert_uint_eq(k.n_proto, 0x0800);
	ck_assert_uint_eq(k.addr_proto, 0x0800);
	ck_assert_uint_eq(k.ip_proto, 6);
	ck_assert_uint_eq(k.flags, 0);
	ports_are(&k, 80, 8080);
	ck_assert_uint_eq(k.src[0], 10);
	ck_assert_uint_eq(k.dst[3], 2);

	start(&b);
	ip6(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.thoff, 14 + 40);
	ck_assert_uint_eq(k.n_proto, 0x86dd);
	ck_assert_uint_eq(k.addr_proto, 0x86dd);
	ports_are(&k, 80, 8080);
}
END_TEST

/* selftest "802.1q-ipv4", "802.1ad-ipv6"; 5.1: the first tag fills the
 * VLAN key (id, prio, TPID), later ones are skipped */
START_TEST(selftest_vlan)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ofd_pktb_vlan(&b, 10, 3);
	ip4(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.thoff, 14 + 4 + 20);
	ck_assert_uint_eq(k.n_proto, 0x0800);
	ck_assert_uint_eq(k.vlan_id, 10);
	ck_assert_uint_eq(k.vlan_prio, 3);
	ck_assert_uint_eq(k.vlan_tpid, 0x8100);
	ports_are(&k, 80, 8080);

	start(&b);
	ofd_pktb_qinq(&b, 20, 1);
	ofd_pktb_vlan(&b, 30, 2);
	ip6(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.thoff, 14 + 8 + 40);
	ck_assert_uint_eq(k.n_proto, 0x86dd);
	ck_assert_uint_eq(k.vlan_id, 20);
	ck_assert_uint_eq(k.vlan_prio, 1);
	ck_assert_uint_eq(k.vlan_tpid, 0x88a8);
}
END_TEST

/* selftest "ipv4-frag"; 5.1: a fragment sets IS_FRAGMENT, a first one
 * FIRST_FRAG and stops unless PARSE_1ST_FRAG, ports never (C) */
START_TEST(ipv4_fragments)
{
	static const uint16_t frag[3] = { 0x2000, 0x2000 | 100, 100 };
	struct ofd_flow_keys k;
	struct ofd_pktb b;
	unsigned int i, f;

	for (i = 0; i < 3; i++)
		for (f = 0; f < 2; f++) {
			start(&b);
			ip4(&b, 0);
			tcp(&b, 80, 8080);
			ck_assert_int_eq(ofd_pktb_finish(&b), 0);
			ofd_put_be16(buf + 14 + 6, frag[i]);
			dissect(&b, 0, f ? F_1ST : 0, &k);
			ck_assert_uint_eq(k.status, OFD_FK_GOOD);
			ck_assert_uint_eq(k.flags & OFD_FK_IS_FRAGMENT, OFD_FK_IS_FRAGMENT);
			ck_assert_uint_eq(!!(k.flags & OFD_FK_FIRST_FRAG), i == 0);
			ck_assert_uint_eq(k.thoff, 14 + 20);
			ck_assert_uint_eq(k.ip_proto, 6);
			ports_are(&k, 0, 0);
		}
	/* DF alone is no fragment */
	start(&b);
	ip4(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.flags, 0);
	ports_are(&k, 80, 8080);
}
END_TEST

/* selftest "ipv6-frag"; 5.1: FRAGMENT(44) sets IS_FRAGMENT; a first
 * fragment continues under PARSE_1ST_FRAG (still no ports), else stops */
START_TEST(ipv6_fragments)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;
	unsigned int f;

	for (f = 0; f < 2; f++) {
		start(&b);
		ip6(&b, 0);
		ofd_pktb_frag(&b, 0, true, 1);
		tcp(&b, 80, 8080);
		dissect(&b, 0, f ? F_1ST : 0, &k);
		ck_assert_uint_eq(k.flags, OFD_FK_IS_FRAGMENT | OFD_FK_FIRST_FRAG);
		ck_assert_uint_eq(k.thoff, 14 + 40 + 8);
		ck_assert_uint_eq(k.ip_proto, 6);
		ports_are(&k, 0, 0);
	}
	start(&b);
	ip6(&b, 0);
	ofd_pktb_frag(&b, 7, true, 1);
	ofd_pktb_payload(&b, 20);
	dissect(&b, 0, F_1ST, &k);
	ck_assert_uint_eq(k.flags, OFD_FK_IS_FRAGMENT);
	ck_assert_uint_eq(k.thoff, 14 + 40 + 8);
	/* a Fragment header only counts after IPv6: under IPv4, 44 is just
	 * an unknown protocol */
	start(&b);
	{
		struct ofd_pktb_ipv4_opts o = { .proto = 44 };

		ofd_pktb_ipv4(&b, &o);
	}
	ofd_pktb_payload(&b, 20);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.flags, 0);
	ck_assert_uint_eq(k.ip_proto, 44);
	ck_assert_uint_eq(k.thoff, 14 + 20);
}
END_TEST

/* selftest "ipv6-flow-label"; 5.1/5.3: a non-zero label is recorded and,
 * with STOP_AT_FLOW_LABEL, ends the walk after the fixed header */
START_TEST(ipv6_flow_label)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ip6(&b, 0xbeeb);
	ofd_pktb_hbh(&b, 8);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.flow_label, 0xbeeb);
	ck_assert_uint_eq(k.thoff, 14 + 40 + 8);
	ports_are(&k, 80, 8080);
	dissect(&b, 0, F_FL, &k);
	ck_assert_uint_eq(k.flow_label, 0xbeeb);
	ck_assert_uint_eq(k.thoff, 14 + 40);
	ck_assert_uint_eq(k.ip_proto, 0); /* the HBH header, not walked */
	ports_are(&k, 0, 0);

	/* a zero label neither records nor stops */
	start(&b);
	ip6(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, F_FL, &k);
	ck_assert_uint_eq(k.flow_label, 0);
	ports_are(&k, 80, 8080);
}
END_TEST

/* 5.1: HOP, ROUTING, DEST are skipped by their length byte after IPv6 */
START_TEST(ipv6_ext_headers)
{
	static const uint8_t seg[2][16] = { { 0x20, 1, [15] = 1 }, { 0x20, 1, [15] = 2 } };
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ip6(&b, 0);
	ofd_pktb_hbh(&b, 16);
	ofd_pktb_srh(&b, seg, 2, 1); /* 8 + 2 * 16 */
	ofd_pktb_dstopts(&b, 24);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.thoff, 14 + 40 + 16 + 40 + 24);
	ck_assert_uint_eq(k.ip_proto, 6);
	ports_are(&k, 80, 8080);
	/* protocol 0 under IPv4 is not a Hop-by-Hop header */
	start(&b);
	{
		struct ofd_pktb_ipv4_opts o = { .proto = 0 };

		ofd_pktb_ipv4(&b, &o);
	}
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	buf[14 + 9] = 0;
	ofd_pktb_payload(&b, 16);
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.ip_proto, 0);
	ck_assert_uint_eq(k.thoff, 14 + 20);
}
END_TEST

/* 5.1 IPv4: IHL >= 5 or bad, options skipped by IHL, version unchecked */
START_TEST(ipv4_header_rules)
{
	struct ofd_pktb_ipv4_opts o = { .options = ofd_pktb_ipv4_opt_ts, .options_len = 8 };
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ofd_pktb_ipv4(&b, &o);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.thoff, 14 + 28);
	ports_are(&k, 80, 8080);

	start(&b);
	ip4(&b, 0);
	tcp(&b, 80, 8080);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	buf[14] = 0x44;
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_BAD);
	ck_assert_uint_eq(k.addr_proto, 0);
	buf[14] = 0x95; /* version 9, IHL 5 */
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ports_are(&k, 80, 8080);
	/* IHL 15 past the frame's end: the ports do not fit, still good,
	 * thoff capped at hlen */
	buf[14] = 0x4f;
	ck_assert_int_eq(ofd_model_dissect(buf, 14 + 20 + 20, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.thoff, 14 + 20 + 20);
	ports_are(&k, 0, 0);
}
END_TEST

/* selftest "ipip-encap" / "ipip-no-encap"; 5.1: the inner addresses
 * overwrite the outer ones; STOP_AT_ENCAP marks and stops */
START_TEST(ipip)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ip4(&b, 0);
	ip4(&b, 1);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.flags, OFD_FK_ENCAPSULATION);
	ck_assert_uint_eq(k.thoff, 14 + 20 + 20);
	ck_assert_uint_eq(k.ip_proto, 6);
	ck_assert_uint_eq(k.src[0], 172);
	ports_are(&k, 80, 8080);
	dissect(&b, 0, F_ENC, &k);
	ck_assert_uint_eq(k.flags, OFD_FK_ENCAPSULATION);
	ck_assert_uint_eq(k.thoff, 14 + 20);
	ck_assert_uint_eq(k.ip_proto, 4);
	ck_assert_uint_eq(k.n_proto, 0x0800);
	ck_assert_uint_eq(k.src[0], 10);
	ports_are(&k, 0, 0);

	/* IPv6 in IPv4: addresses become IPv6 ones */
	start(&b);
	ip4(&b, 0);
	ip6(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.addr_proto, 0x86dd);
	ck_assert_uint_eq(k.n_proto, 0x86dd);
	ck_assert_uint_eq(k.thoff, 14 + 20 + 40);
}
END_TEST

/* 5.1 GRE: key recorded, C/K/S skipped, TEB's inner Ethernet; routing
 * or version > 1 ends it good where it is */
START_TEST(gre)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ip4(&b, 0);
	ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY | OFD_PKTB_GRE_SEQ, 0xabcd1234, 1);
	ip4(&b, 1);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.gre_keyid, 0xabcd1234);
	ck_assert_uint_eq(k.flags, OFD_FK_ENCAPSULATION);
	ck_assert_uint_eq(k.thoff, 14 + 20 + 16 + 20);
	ck_assert_uint_eq(k.ip_proto, 6);
	ck_assert_uint_eq(k.src[0], 172);
	ports_are(&k, 80, 8080);
	dissect(&b, 0, F_ENC, &k);
	ck_assert_uint_eq(k.thoff, 14 + 20 + 16);
	ck_assert_uint_eq(k.ip_proto, 47);
	ck_assert_uint_eq(k.n_proto, 0x0800);
	ck_assert_uint_eq(k.src[0], 10);

	start(&b);
	ip6(&b, 0);
	ofd_pktb_gre(&b, OFD_PKTB_GRE_KEY, 7, 0);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_vlan(&b, 99, 0);
	ip4(&b, 1);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.thoff, 14 + 40 + 8 + 14 + 4 + 20);
	ck_assert_uint_eq(k.vlan_id, 99); /* the first tag met, inside */
	ck_assert_uint_eq(k.addr_proto, 0x0800);
	ports_are(&k, 80, 8080);

	/* routing bit: good, at GRE, no encapsulation */
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	buf[14 + 40] |= 0x40;
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.flags, 0);
	ck_assert_uint_eq(k.ip_proto, 47);
	ck_assert_uint_eq(k.thoff, 14 + 40);
	ck_assert_uint_eq(k.gre_keyid, 0);
	/* version 2: the same */
	buf[14 + 40] = 0x20;
	buf[14 + 41] = 2;
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.flags, 0);
	ck_assert_uint_eq(k.thoff, 14 + 40);
}
END_TEST

/* 5.1 GRE version 1 must be PPTP (PPP with K): key = call ID; PPP
 * header skipped; IPv4 inside */
START_TEST(gre_pptp)
{
	static const uint8_t pptp[16] = { 0x30, 0x01, 0x88, 0x0b, 0x00, 0x28, 0x12, 0x34,
					  0, 0, 0, 9, 0xff, 0x03, 0x00, 0x21 };
	struct ofd_pktb_ipv4_opts o = { .proto = 47 };
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ofd_pktb_ipv4(&b, &o);
	ofd_pktb_bytes(&b, pptp, 16);
	ip4(&b, 1);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.gre_keyid, 0x1234);
	ck_assert_uint_eq(k.flags, OFD_FK_ENCAPSULATION);
	ck_assert_uint_eq(k.thoff, 14 + 20 + 12 + 4 + 20);
	ports_are(&k, 80, 8080);
	/* without K: stop good at GRE, n_proto the GRE protocol field */
	buf[14 + 20] = 0x10;
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.flags, 0);
	ck_assert_uint_eq(k.n_proto, 0x880b);
}
END_TEST

/* 5.1: MPLS without MPLS keys stops at once; ARP, unknown types; PPPoE */
START_TEST(l2_types)
{
	static const uint8_t lse[4] = { 0, 1, 0x01, 0x40 };
	static const uint8_t pppoe[8] = { 0x11, 0, 0, 1, 0, 30, 0x00, 0x21 };
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0x8847);
	ofd_pktb_bytes(&b, lse, 4);
	ip4(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.n_proto, 0x8847);
	ck_assert_uint_eq(k.thoff, 14 + 4);
	ck_assert_uint_eq(k.addr_proto, 0);
	/* no label read at all: a bare MPLS Ethernet header is good too */
	ck_assert_int_eq(ofd_model_dissect(buf, 14, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.thoff, 14);

	buf[12] = 0x08;
	buf[13] = 0x06;
	ck_assert_int_eq(ofd_model_dissect(buf, 42, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.thoff, 14);
	buf[12] = 0x12;
	buf[13] = 0x34;
	ck_assert_int_eq(ofd_model_dissect(buf, 42, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_BAD);

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0x8864);
	ofd_pktb_bytes(&b, pppoe, 8);
	ip4(&b, 0);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.thoff, 14 + 8 + 20);
	ck_assert_uint_eq(k.n_proto, 0x0800);
	ports_are(&k, 80, 8080);
	buf[14] = 0x12; /* type 2 */
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_BAD);
	buf[14] = 0x11;
	buf[14 + 7] = 0x23; /* 0x0023: low byte odd, high even: valid, not IP */
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.n_proto, 0x8864);
	buf[14 + 7] = 0x22; /* even low byte: invalid */
	ck_assert_int_eq(ofd_model_dissect(buf, b.len, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_BAD);

	ck_assert_int_eq(ofd_model_dissect(buf, 13, 0, &k), -EINVAL);

	/* FCoE: a 38-byte header that must fit, skipped, then stop */
	memset(buf + 14, 0, 46);
	buf[12] = 0x89;
	buf[13] = 0x06;
	ck_assert_int_eq(ofd_model_dissect(buf, 60, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.thoff, 14 + 38);
	ck_assert_int_eq(ofd_model_dissect(buf, 14 + 37, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_BAD);
	/* batman-adv: unicast (0x40), compat version 15, then the inner
	 * Ethernet header: an encapsulation; another version is bad */
	buf[12] = 0x43;
	buf[13] = 0x05;
	buf[14] = 0x40;
	buf[15] = 15;
	buf[14 + 10 + 12] = 0x86;
	buf[14 + 10 + 13] = 0xdd;
	ck_assert_int_eq(ofd_model_dissect(buf, 60, OFD_FK_F_STOP_AT_ENCAP, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_GOOD);
	ck_assert_uint_eq(k.flags, OFD_FK_ENCAPSULATION);
	ck_assert_uint_eq(k.n_proto, 0x86dd);
	ck_assert_uint_eq(k.thoff, 14 + 10 + 14);
	buf[15] = 14;
	ck_assert_int_eq(ofd_model_dissect(buf, 60, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_BAD);
	memset(buf + 14, 0, 46);
	/* HSR: a 6-byte tag ending in the next type, walked on */
	buf[12] = 0x89;
	buf[13] = 0x2f;
	buf[18] = 0x86;
	buf[19] = 0xdd;
	ck_assert_int_eq(ofd_model_dissect(buf, 20, 0, &k), 0);
	ck_assert_uint_eq(k.status, OFD_FK_BAD); /* no room for IPv6 */
	ck_assert_uint_eq(k.n_proto, 0x86dd);
	ck_assert_uint_eq(k.thoff, 20);
}
END_TEST

/* 5.1: VXLAN/GENEVE are plain UDP to the C dissector: ports, no encap */
START_TEST(udp_tunnels_not_entered)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;

	start(&b);
	ip4(&b, 0);
	ofd_pktb_udp(&b, 5555, 4789);
	ofd_pktb_vxlan(&b, 1);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ip4(&b, 1);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_uint_eq(k.flags, 0);
	ck_assert_uint_eq(k.thoff, 14 + 20);
	ck_assert_uint_eq(k.ip_proto, 17);
	ck_assert_uint_eq(k.src[0], 10);
	ports_are(&k, 5555, 4789);
}
END_TEST

/* 5.1: 15 steps after the first are followed; the 16th ends it good */
START_TEST(header_limit)
{
	uint8_t tag[4];
	struct ofd_flow_keys k;
	struct ofd_pktb b;
	unsigned int n, i;

	for (n = 15; n <= 16; n++) {
		ofd_pktb_init(&b, buf, sizeof(buf));
		ofd_pktb_eth(&b, NULL, NULL, 0x8100);
		for (i = 0; i < n; i++) {
			ofd_put_be16(tag, (uint16_t)(i + 1));
			ofd_put_be16(tag + 2, i + 1 < n ? 0x8100 : 0x0800);
			ofd_pktb_bytes(&b, tag, 4);
		}
		{
			struct ofd_pktb_ipv4_opts o = { .proto = 6 };

			ofd_pktb_ipv4(&b, &o);
		}
		tcp(&b, 80, 8080);
		dissect(&b, 0, 0, &k);
		ck_assert_uint_eq(k.status, OFD_FK_GOOD);
		ck_assert_uint_eq(k.vlan_id, 1);
		if (n == 15) {
			ck_assert_uint_eq(k.thoff, 14 + 4 * 15 + 20);
			ports_are(&k, 80, 8080);
		} else {
			/* stopped with the 16th tag taken: IPv4 next, unread */
			ck_assert_uint_eq(k.thoff, 14 + 4 * 16);
			ck_assert_uint_eq(k.n_proto, 0x0800);
			ck_assert_uint_eq(k.addr_proto, 0);
			ports_are(&k, 0, 0);
		}
	}
}
END_TEST

/*
 * Truncation at every offset (5.1: every header read lies within hlen;
 * one that does not fit makes the step fail, a port read gives 0): the
 * expected keys of each cut follow from where each header ends.
 */
START_TEST(truncated_ipv4_tcp)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;
	uint32_t len, full;

	start(&b);
	ip4(&b, 0);
	tcp(&b, 80, 8080);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	full = b.len;
	for (len = 14; len <= full; len++) {
		ck_assert_int_eq(ofd_model_dissect(buf, len, 0, &k), 0);
		if (len < 34) {
			ck_assert_uint_eq(k.status, OFD_FK_BAD);
			ck_assert_uint_eq(k.thoff, 14);
			ck_assert_uint_eq(k.addr_proto, 0);
			continue;
		}
		ck_assert_uint_eq(k.status, OFD_FK_GOOD);
		ck_assert_uint_eq(k.thoff, 34);
		ck_assert_uint_eq(k.addr_proto, 0x0800);
		if (len < 38)
			ports_are(&k, 0, 0);
		else
			ports_are(&k, 80, 8080);
	}
}
END_TEST

START_TEST(truncated_vlan_ipv6_hbh)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;
	uint32_t len, full;

	start(&b);
	ofd_pktb_vlan(&b, 5, 0);
	ip6(&b, 0x123);
	ofd_pktb_hbh(&b, 8);
	tcp(&b, 80, 8080);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	full = b.len;
	for (len = 14; len <= full; len++) {
		ck_assert_int_eq(ofd_model_dissect(buf, len, 0, &k), 0);
		if (len < 18) { /* the tag does not fit */
			ck_assert_uint_eq(k.status, OFD_FK_BAD);
			ck_assert_uint_eq(k.vlan_tpid, 0);
			ck_assert_uint_eq(k.thoff, 14);
			continue;
		}
		ck_assert_uint_eq(k.vlan_id, 5); /* recorded before what fails */
		if (len < 58) {
			ck_assert_uint_eq(k.status, OFD_FK_BAD);
			ck_assert_uint_eq(k.thoff, 18);
			ck_assert_uint_eq(k.flow_label, 0);
			continue;
		}
		ck_assert_uint_eq(k.flow_label, 0x123);
		if (len < 60) { /* HBH's two bytes */
			ck_assert_uint_eq(k.status, OFD_FK_BAD);
			ck_assert_uint_eq(k.thoff, 58);
			continue;
		}
		ck_assert_uint_eq(k.status, OFD_FK_GOOD);
		ck_assert_uint_eq(k.thoff, len < 66 ? len : 66);
		if (len < 70)
			ports_are(&k, 0, 0);
		else
			ports_are(&k, 80, 8080);
	}
}
END_TEST

START_TEST(truncated_gre_key)
{
	struct ofd_flow_keys k;
	struct ofd_pktb b;
	uint32_t len, full;

	start(&b);
	ip4(&b, 0);
	ofd_pktb_gre(&b, OFD_PKTB_GRE_KEY, 0x55, 0);
	ip4(&b, 1);
	tcp(&b, 80, 8080);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	full = b.len;
	for (len = 14; len <= full; len++) {
		ck_assert_int_eq(ofd_model_dissect(buf, len, 0, &k), 0);
		if (len < 34)
			continue; /* the outer IPv4 case, above */
		if (len < 42) { /* GRE's 4 bytes, then its key's */
			ck_assert_uint_eq(k.status, OFD_FK_BAD);
			ck_assert_uint_eq(k.flags, 0);
			ck_assert_uint_eq(k.gre_keyid, 0);
			ck_assert_uint_eq(k.thoff, 34);
			continue;
		}
		ck_assert_uint_eq(k.gre_keyid, 0x55);
		ck_assert_uint_eq(k.flags, OFD_FK_ENCAPSULATION);
		if (len < 62) { /* the inner IPv4 header */
			ck_assert_uint_eq(k.status, OFD_FK_BAD);
			ck_assert_uint_eq(k.thoff, 42);
			ck_assert_uint_eq(k.src[0], 10);
			continue;
		}
		ck_assert_uint_eq(k.status, OFD_FK_GOOD);
		ck_assert_uint_eq(k.src[0], 172);
		if (len < 66)
			ports_are(&k, 0, 0);
		else
			ports_are(&k, 80, 8080);
	}
}
END_TEST

/* Each bent rule (the emulator's knobs) changes only what it names. */
START_TEST(rules_bend_one_thing)
{
	struct ofd_dissect_rules r = { .no_vlan_key = true };
	struct ofd_flow_keys k, kk;
	struct ofd_pktb b;

	start(&b);
	ofd_pktb_vlan(&b, 9, 1);
	ip4(&b, 0);
	ip4(&b, 1);
	tcp(&b, 80, 8080);
	dissect(&b, 0, 0, &k);
	ck_assert_int_eq(ofd_model_dissect_rules(&r, buf, b.len, 0, &kk), 0);
	ck_assert_uint_eq(kk.vlan_id + kk.vlan_prio + kk.vlan_tpid, 0);
	kk.vlan_id = k.vlan_id;
	kk.vlan_prio = k.vlan_prio;
	kk.vlan_tpid = k.vlan_tpid;
	ck_assert_int_eq(memcmp(&k, &kk, sizeof(k)), 0);

	memset(&r, 0, sizeof(r));
	r.outer_addrs = true;
	ck_assert_int_eq(ofd_model_dissect_rules(&r, buf, b.len, 0, &kk), 0);
	ck_assert_uint_eq(kk.src[0], 10);
	memcpy(kk.src, k.src, 16);
	memcpy(kk.dst, k.dst, 16);
	ck_assert_int_eq(memcmp(&k, &kk, sizeof(k)), 0);
}
END_TEST

static Suite *model_dissect_suite(void)
{
	Suite *s = suite_create("model_dissect");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, selftest_ipv4_ipv6);
	tcase_add_test(tc, selftest_vlan);
	tcase_add_test(tc, ipv4_fragments);
	tcase_add_test(tc, ipv6_fragments);
	tcase_add_test(tc, ipv6_flow_label);
	tcase_add_test(tc, ipv6_ext_headers);
	tcase_add_test(tc, ipv4_header_rules);
	tcase_add_test(tc, ipip);
	tcase_add_test(tc, gre);
	tcase_add_test(tc, gre_pptp);
	tcase_add_test(tc, l2_types);
	tcase_add_test(tc, udp_tunnels_not_entered);
	tcase_add_test(tc, header_limit);
	tcase_add_test(tc, truncated_ipv4_tcp);
	tcase_add_test(tc, truncated_vlan_ipv6_hbh);
	tcase_add_test(tc, truncated_gre_key);
	tcase_add_test(tc, rules_bend_one_thing);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_dissect_suite)
