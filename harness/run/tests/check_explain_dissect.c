// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_explain_dissect.c - the dissect judge (harness/run/explain_
 * dissect.c) through ofd_diff_full: field lines named from
 * ofd_flow_keys_fields over the groups both records fill, equality that
 * ignores a group one side does not fill, and the class of each bug
 * hypothesis. The targets' records are edited by hand here from the
 * reference's, as the bug would change them (kernel-rx.md 5.1, 5.4), not
 * produced by the emulator, so a class is reached independently of the
 * emulator's knobs.
 *
 * The scope suite builds a frame for each rule of a BPF flow dissector's
 * scope and writes the record such a program gives for it by hand, from
 * kernel-rx.md 5.4 (the reference program bpf_flow.c), never from the
 * model or our program: each must come out as its bpf-scope class,
 * benign, and a record that is no BPF program's documented behaviour
 * must not.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd_test.h"
#include "ofd_dissect.h"
#include "ofd_offload.h"
#include "ofd_pktbuild.h"

static uint8_t frame[512];
static struct ofd_pkt pkt;
static struct ofd_case kase;
static struct ofd_result *ref, *tgt;
static struct ofd_diff D;

/* The groups __skb_flow_bpf_to_target fills (kernel-rx.md 5.4). */
#define BPF_HAVE                                                           \
	(OFD_FK_HAVE_BASIC | OFD_FK_HAVE_ADDRS | OFD_FK_HAVE_PORTS | OFD_FK_HAVE_FLOW_LABEL)

static const uint8_t ip4_src[4] = { 10, 0, 0, 1 }, ip4_dst[4] = { 10, 0, 0, 2 };
static const uint8_t ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(4096, &ref), 0);
	ck_assert_int_eq(ofd_result__new(4096, &tgt), 0);
}

static void teardown(void)
{
	ofd_diff_free(&D);
	ofd_result__free(ref);
	ofd_result__free(tgt);
}

/* frame: eth / [vlan 7] / ipv4 [first fragment] / tcp 1000 -> 2000 */
static void make_case(bool vlan, bool first_frag, uint8_t flags)
{
	struct ofd_pktb b;
	struct ofd_pktb_tcp_opts t = { .sport = 1000, .dport = 2000, .flags = 0x10 };

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (vlan)
		ofd_pktb_vlan(&b, 7, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, &t);
	ofd_pktb_payload(&b, 20);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	if (first_frag)
		ofd_put_be16(frame + 14 + (vlan ? 4 : 0) + 6, 0x2000);
	pkt.data = frame;
	pkt.len = b.len;
	memset(&kase, 0, sizeof(kase));
	kase.offload = OFD_OFFLOAD_DISSECT;
	kase.npkts = 1;
	kase.pkts = &pkt;
	kase.req.rx_flags = flags;
}

/* The case for the frame built in frame[0, len). */
static void use_frame(uint32_t len, uint8_t flags)
{
	pkt.data = frame;
	pkt.len = len;
	memset(&kase, 0, sizeof(kase));
	kase.offload = OFD_OFFLOAD_DISSECT;
	kase.npkts = 1;
	kase.pkts = &pkt;
	kase.req.rx_flags = flags;
}

static uint32_t finish(struct ofd_pktb *b)
{
	ck_assert_int_eq(ofd_pktb_finish(b), 0);
	return b->len;
}

/* A BPF flow dissector's record: what BPF_PROG_TEST_RUN's keys become
 * (no VLAN or GRE key), addresses and ports filled in by the caller. */
static struct ofd_flow_keys bpf_keys(bool ok, uint16_t n_proto, uint16_t nhoff, uint16_t thoff,
				     uint8_t ip_proto)
{
	struct ofd_flow_keys k;

	memset(&k, 0, sizeof(k));
	k.status = ok ? OFD_FK_GOOD : OFD_FK_BAD;
	k.have = BPF_HAVE;
	k.n_proto = n_proto;
	k.nhoff = nhoff;
	k.thoff = thoff;
	k.ip_proto = ip_proto;
	return k;
}

static void addrs4(struct ofd_flow_keys *k)
{
	k->addr_proto = 0x0800;
	memcpy(k->src, ip4_src, 4);
	memcpy(k->dst, ip4_dst, 4);
}

static void addrs6(struct ofd_flow_keys *k)
{
	k->addr_proto = 0x86dd;
	memcpy(k->src, ip6_src, 16);
	memcpy(k->dst, ip6_dst, 16);
}

static void put(struct ofd_result *r, const struct ofd_flow_keys *k)
{
	uint8_t *out;

	ofd_result_reset(r);
	ck_assert_ptr_nonnull(ofd_result_add_new(r, OFD_FLOW_KEYS_LEN, &out));
	ofd_flow_keys_put(k, out);
}

static void judge(const struct ofd_flow_keys *kr, const struct ofd_flow_keys *kt)
{
	put(ref, kr);
	put(tgt, kt);
	ofd_diff_free(&D);
	ck_assert_int_eq(ofd_diff_full(&kase, ref, tgt, OFD_F_DEVICE, NULL, &D), 0);
}

START_TEST(field_lines_and_have)
{
	struct ofd_flow_keys kr, kt;

	make_case(true, false, 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = kr;
	kt.sport = 1;
	judge(&kr, &kt);
	ck_assert_int_eq(D.verdict, OFD_V_DISCREPANCY);
	ck_assert_ptr_nonnull(strstr(D.text, "ports.src 1000 != 1"));
	ck_assert_ptr_null(strstr(D.text, "ports.dst"));
	ck_assert_str_eq(D.cls, "keys-unexplained");

	/* a target that fills no VLAN group (a BPF dissector, 5.4) is
	 * equal where the groups both fill agree */
	kt = kr;
	kt.have &= (uint8_t)~OFD_FK_HAVE_VLAN;
	kt.vlan_id = kt.vlan_tpid = 0;
	judge(&kr, &kt);
	ck_assert_int_eq(D.verdict, OFD_V_EQUAL);
	/* ... and its other fields still count */
	kt.thoff = 3;
	judge(&kr, &kt);
	ck_assert_int_eq(D.verdict, OFD_V_DISCREPANCY);
	ck_assert_ptr_nonnull(strstr(D.text, "control.thoff 38 != 3"));
	ck_assert_ptr_null(strstr(D.text, "vlan."));
}
END_TEST

START_TEST(classes)
{
	struct ofd_flow_keys kr, kt;

	/* the VLAN key left out while the group is claimed */
	make_case(true, false, 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = kr;
	kt.vlan_id = kt.vlan_prio = 0;
	kt.vlan_tpid = 0;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "vlan-key-missing");
	ck_assert_int_eq(D.severity, OFD_SEV_CRITICAL);

	/* ports from a first fragment parsed on: the TCP header's own */
	make_case(false, true, OFD_FK_F_PARSE_1ST_FRAG);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, OFD_FK_F_PARSE_1ST_FRAG, &kr), 0);
	ck_assert_uint_eq(kr.sport, 0);
	kt = kr;
	kt.sport = 1000;
	kt.dport = 2000;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "ports-on-first-fragment");

	/* only the network offset: benign */
	make_case(false, false, 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = kr;
	kt.nhoff = 99;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "nhoff-convention");
	ck_assert_int_eq(D.severity, OFD_SEV_BENIGN);

	/* a change no hypothesis makes */
	kt = kr;
	kt.gre_keyid = 5;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "keys-unexplained");
	ck_assert_ptr_nonnull(strstr(D.text, "gre.keyid 0x00000000 != 0x00000005"));
}
END_TEST

/* The judge's verdict on the model's record against @kt for the case
 * built: a benign discrepancy of class @cls. */
static void expect_scope(const struct ofd_flow_keys *kt, const char *cls)
{
	struct ofd_flow_keys kr;

	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, kase.req.rx_flags, &kr), 0);
	judge(&kr, kt);
	ck_assert_msg(D.verdict == OFD_V_DISCREPANCY && D.cls && !strcmp(D.cls, cls) &&
			      D.severity == OFD_SEV_BENIGN,
		      "want %s (benign), got %s (severity %d): %s", cls, D.cls ? D.cls : "none",
		      (int)D.severity, D.text ? D.text : "");
}

/* eth / ipv4 / tcp 1000 -> 2000, 20 bytes of payload */
static uint32_t build_ipv4_tcp(void)
{
	struct ofd_pktb b;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	ofd_pktb_payload(&b, 20);
	return finish(&b);
}

/* Ethertypes: only IPv4, IPv6, MPLS, 802.1Q and 802.1AD; ARP drops where
 * the C dissector stops good. */
START_TEST(scope_ethertype)
{
	struct ofd_pktb b;
	struct ofd_flow_keys kt;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0x0806);
	ofd_pktb_bytes(&b, NULL, 28);
	use_frame(finish(&b), 0);
	kt = bpf_keys(false, 0x0806, 14, 14, 0);
	expect_scope(&kt, "bpf-scope-ethertype");
}
END_TEST

/* SCTP is none of TCP, UDP, UDP-Lite, ICMP, GRE, IPIP, IPv6: dropped at
 * its header, no ports (the C dissector gives its ports). */
START_TEST(scope_l4_proto)
{
	struct ofd_pktb b;
	struct ofd_flow_keys kr, kt;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_sctp(&b, 1000, 2000, 1);
	ofd_pktb_sctp_data(&b, 1, 0, 0, 0, 16);
	use_frame(finish(&b), 0);
	kt = bpf_keys(false, 0x0800, 14, 34, 132);
	addrs4(&kt);
	expect_scope(&kt, "bpf-scope-l4-proto");

	/* the same program's record claiming all key groups is no BPF
	 * program's: a C-dissector target that drops SCTP is a bug */
	kt.have = OFD_DISSECT_HAVE;
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "keys-unexplained");
	ck_assert_int_eq(D.severity, OFD_SEV_CRITICAL);
}
END_TEST

/* IPv6 extension headers: Hop-by-Hop and Destination Options are
 * followed, Routing is not (drop, at it). */
START_TEST(scope_ipv6_routing)
{
	static const uint8_t via[1][16] = { { 0x20, 0x01, 0x0d, 0xb8, [15] = 9 } };
	struct ofd_pktb b;
	struct ofd_flow_keys kt;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_rthdr(&b, 2, via, 1, 0);
	ofd_pktb_tcp(&b, NULL);
	use_frame(finish(&b), 0);
	kt = bpf_keys(false, 0x86dd, 14, 54, 43);
	addrs6(&kt);
	expect_scope(&kt, "bpf-scope-ipv6-routing");
}
END_TEST

/* VLAN: one 802.1Q tag, or 802.1AD then 802.1Q; nhoff and thoff move past
 * each tag read, n_proto becomes the inner ethertype only on success. */
START_TEST(scope_vlan_tags)
{
	struct ofd_pktb b;
	struct ofd_flow_keys kr, kt;

	/* 802.1Q in 802.1Q: the first tag read, the second drops */
	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_vlan(&b, 7, 0);
	ofd_pktb_vlan(&b, 8, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	use_frame(finish(&b), 0);
	kt = bpf_keys(false, 0x8100, 18, 18, 0);
	expect_scope(&kt, "bpf-scope-vlan-tags");

	/* 802.1AD not followed by 802.1Q: dropped before any tag counts */
	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_qinq(&b, 7, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	use_frame(finish(&b), 0);
	kt = bpf_keys(false, 0x88a8, 14, 14, 0);
	expect_scope(&kt, "bpf-scope-vlan-tags");

	/* 802.1AD + 802.1Q + 802.1Q: the pair read, the third drops */
	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_qinq(&b, 7, 0);
	ofd_pktb_vlan(&b, 8, 0);
	ofd_pktb_vlan(&b, 9, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	use_frame(finish(&b), 0);
	kt = bpf_keys(false, 0x88a8, 22, 22, 0);
	expect_scope(&kt, "bpf-scope-vlan-tags");

	/* 802.1AD + 802.1Q is in scope: the same keys as the C dissector
	 * over the groups both fill */
	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_qinq(&b, 7, 0);
	ofd_pktb_vlan(&b, 8, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	use_frame(finish(&b), 0);
	kt = bpf_keys(true, 0x0800, 22, 42, 6);
	addrs4(&kt);
	kt.sport = 1000;
	kt.dport = 2000;
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	judge(&kr, &kt);
	ck_assert_int_eq(D.verdict, OFD_V_EQUAL);
}
END_TEST

/* MPLS: OK once the first label is there, nothing recorded, thoff at the
 * label (the C dissector ends one label on). */
START_TEST(scope_mpls)
{
	static const uint8_t label[4] = { 0x00, 0x01, 0x01, 0x40 }; /* 16, BoS */
	struct ofd_pktb b;
	struct ofd_flow_keys kt;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0x8847);
	ofd_pktb_bytes(&b, label, sizeof(label));
	ofd_pktb_payload(&b, 40);
	use_frame(finish(&b), 0);
	kt = bpf_keys(true, 0x8847, 14, 14, 0);
	expect_scope(&kt, "bpf-scope-mpls");
}
END_TEST

/* GRE: a non-zero version ends OK at the GRE header: no PPTP (the C
 * dissector follows PPTP into its PPP and inner IPv4). */
START_TEST(scope_gre_version)
{
	static const uint8_t pptp[] = {
		0x30, 0x01, 0x88, 0x0b, 0x00, 0x28, 0x0a, 0xbc, /* K S, v1; len, call */
		0x00, 0x00, 0x00, 0x05, 0xff, 0x03, 0x00, 0x21, /* seq; PPP IPv4 */
		0x45, 0x00, 0x00, 0x28, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
		0xc0, 0xa8, 0x07, 0x01, 0xc0, 0xa8, 0x07, 0x02, /* inner IPv4 */
		0x0b, 0xb8, 0x0f, 0xa0, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x10, 0xff, 0xff,
		0, 0, 0, 0, /* TCP 3000 -> 4000 */
	};
	struct ofd_pktb_ipv4_opts o = { .proto = 47 };
	struct ofd_pktb b;
	struct ofd_flow_keys kt;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, &o);
	ofd_pktb_bytes(&b, pptp, sizeof(pptp));
	use_frame(finish(&b), 0);
	kt = bpf_keys(true, 0x0800, 14, 34, 47);
	addrs4(&kt);
	expect_scope(&kt, "bpf-scope-gre");
}
END_TEST

/* PARSE_1ST_FRAG: a first fragment parsed on gets its ports. */
START_TEST(scope_first_fragment_ports)
{
	struct ofd_flow_keys kt;

	make_case(false, true, OFD_FK_F_PARSE_1ST_FRAG);
	kt = bpf_keys(true, 0x0800, 14, 34, 6);
	addrs4(&kt);
	kt.flags = OFD_FK_IS_FRAGMENT | OFD_FK_FIRST_FRAG;
	kt.sport = 1000;
	kt.dport = 2000;
	expect_scope(&kt, "bpf-scope-first-fragment-ports");
}
END_TEST

/* The flow label is always recorded, and STOP_AT_FLOW_LABEL stops after
 * the IPv6 header even for a label of 0 (the C dissector goes on). */
START_TEST(scope_flow_label)
{
	struct ofd_pktb b;
	struct ofd_flow_keys kt;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_tcp(&b, NULL);
	use_frame(finish(&b), OFD_FK_F_STOP_AT_FLOW_LABEL);
	kt = bpf_keys(true, 0x86dd, 14, 54, 6);
	addrs6(&kt);
	expect_scope(&kt, "bpf-scope-flow-label");
}
END_TEST

/* TCP must be whole (20 bytes and its options): a cut one drops, at its
 * header, without ports; the C dissector reads the 4 bytes of ports. */
START_TEST(scope_whole_headers)
{
	struct ofd_flow_keys kt;

	use_frame(build_ipv4_tcp(), 0);
	pkt.len = 14 + 20 + 10;
	kt = bpf_keys(false, 0x0800, 14, 34, 6);
	addrs4(&kt);
	expect_scope(&kt, "bpf-scope-whole-headers");
}
END_TEST

/* IPv6 in IPv4: the inner header's addresses, but n_proto (set only at a
 * VLAN tag) and nhoff stay the outer's; only thoff moves. */
START_TEST(scope_tunnel_n_proto)
{
	struct ofd_pktb b;
	struct ofd_flow_keys kt;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_udp(&b, 1000, 2000);
	ofd_pktb_payload(&b, 8);
	use_frame(finish(&b), 0);
	kt = bpf_keys(true, 0x0800, 14, 14 + 20 + 40, 17);
	addrs6(&kt);
	kt.flags = OFD_FK_ENCAPSULATION;
	kt.sport = 1000;
	kt.dport = 2000;
	expect_scope(&kt, "bpf-scope-tunnel-n-proto");
}
END_TEST

/* eth / ipv6 / n x Destination Options (8 bytes, PadN) / udp 1000 -> 2000 */
static uint32_t build_dstopts_chain(unsigned int n)
{
	uint32_t off = 14 + 40, i;
	struct ofd_pktb b;

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_udp(&b, 1000, 2000);
	ofd_pktb_payload(&b, 8);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_le(b.len + n * 8, sizeof(frame));
	/* the options go between the IPv6 and UDP headers */
	memmove(frame + off + n * 8, frame + off, b.len - off);
	for (i = 0; i < n; i++) {
		uint8_t *h = frame + off + i * 8;

		memset(h, 0, 8);
		h[0] = i + 1 < n ? 60 : 17;
		h[2] = 1; /* PadN of 4 */
		h[3] = 4;
	}
	frame[14 + 6] = 60;
	ofd_put_be16(frame + 14 + 4, (uint16_t)(b.len - off + n * 8));
	return b.len + n * 8;
}

/* No limit of 15 headers: 17 Destination Options headers are walked to
 * UDP's ports (the C dissector ends good at its limit, the 16th header's
 * next header its ip_proto, without ports); the kernel's
 * MAX_TAIL_CALL_CNT (33) is the program's: the IPv6 step and 32 option
 * steps, then the 33rd option header drops where it starts. */
START_TEST(scope_header_limit)
{
	struct ofd_flow_keys kt;

	use_frame(build_dstopts_chain(17), 0);
	kt = bpf_keys(true, 0x86dd, 14, 54 + 17 * 8, 17);
	addrs6(&kt);
	kt.sport = 1000;
	kt.dport = 2000;
	expect_scope(&kt, "bpf-scope-header-limit");

	use_frame(build_dstopts_chain(40), 0);
	kt = bpf_keys(false, 0x86dd, 14, 54 + 32 * 8, 60);
	addrs6(&kt);
	expect_scope(&kt, "bpf-scope-header-limit");
}
END_TEST

/* Differences no BPF program's scope explains: still a bug, named or not. */
START_TEST(scope_not_an_excuse)
{
	struct ofd_flow_keys kr, kt;
	struct ofd_pktb b;

	/* ports swapped on plain TCP */
	use_frame(build_ipv4_tcp(), 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = bpf_keys(true, 0x0800, 14, 34, 6);
	addrs4(&kt);
	kt.sport = 2000;
	kt.dport = 1000;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "keys-unexplained");
	ck_assert_int_eq(D.severity, OFD_SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(D.text, "ports.src 1000 != 2000"));

	/* ports from a later fragment (the bytes where its IPv4 header
	 * ends): no BPF program's scope, a bug class on top of it */
	ofd_put_be16(frame + 14 + 6, 0x0010);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt.flags = OFD_FK_IS_FRAGMENT;
	kt.sport = 1000;
	kt.dport = 2000;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "ports-on-fragment");
	ck_assert_int_eq(D.severity, OFD_SEV_CRITICAL);

	/* the outer addresses kept past IPv6-in-IPv4, where bpf_flow.c
	 * takes the inner ones: a bug beyond the scope */
	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_udp(&b, 1000, 2000);
	use_frame(finish(&b), 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = bpf_keys(true, 0x0800, 14, 74, 17);
	addrs4(&kt);
	kt.flags = OFD_FK_ENCAPSULATION;
	kt.sport = 1000;
	kt.dport = 2000;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "outer-instead-of-inner-addresses");
	ck_assert_int_eq(D.severity, OFD_SEV_CRITICAL);
}
END_TEST

/*
 * End to end: our flow dissector (targets/progs/, the `parser` image: no
 * kernel needed) against the model on the bundled dissect corpus. The
 * program implements bpf_flow.c's scope, so every difference it shows is
 * benign (exit 0) and none is left unexplained; both halves of the scope
 * show (a drop of an ethertype, a drop of SCTP).
 */
START_TEST(campaign_parser_all_scope)
{
	char *out = NULL;
	int st;

	st = ofd_test_run(&out, false,
			  "d=$(mktemp -d) && %s run specs/dissect.yaml -t parser -q --out $d >/dev/null;"
			  " rc=$?; cat $d/*/summary.json; rm -rf $d; exit $rc",
			  ofd_test_offdiff());
	ck_assert_msg(st == 0, "exit %d: %s", st, out);
	ck_assert_msg(!strstr(out, "\"keys-unexplained\""), "%s", out);
	ck_assert_msg(strstr(out, "\"bpf-scope-ethertype\"") && strstr(out, "\"bpf-scope-l4-proto\""),
		      "%s", out);
	free(out);
}
END_TEST

static Suite *explain_dissect_suite(void)
{
	Suite *s = suite_create("explain_dissect");
	TCase *tc = tcase_create("judge");
	TCase *sc = tcase_create("bpf_scope");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, field_lines_and_have);
	tcase_add_test(tc, classes);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(sc, setup, teardown);
	tcase_add_test(sc, scope_ethertype);
	tcase_add_test(sc, scope_l4_proto);
	tcase_add_test(sc, scope_ipv6_routing);
	tcase_add_test(sc, scope_vlan_tags);
	tcase_add_test(sc, scope_mpls);
	tcase_add_test(sc, scope_gre_version);
	tcase_add_test(sc, scope_first_fragment_ports);
	tcase_add_test(sc, scope_flow_label);
	tcase_add_test(sc, scope_whole_headers);
	tcase_add_test(sc, scope_tunnel_n_proto);
	tcase_add_test(sc, scope_header_limit);
	tcase_add_test(sc, scope_not_an_excuse);
	tcase_add_test(sc, campaign_parser_all_scope);
	tcase_set_timeout(sc, 120);
	suite_add_tcase(s, sc);
	return s;
}

OFD_TEST_SUITE(explain_dissect_suite)
