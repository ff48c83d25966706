// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_tso_cases.c - the tso cases layer: derive (harness/cases/tso.c)
 * and the spec's gso_sizes.
 *
 * Expected values come from the kernel's rules (kernel-tx.md 1, 3.3, 5-7),
 * recomputed here: seeds by a naive 16-bit sum of the pseudo-header with
 * the L4 byte count (TCP: to the frame end; UDP: its length field), the
 * outer UDP seed of a UDP tunnel over its bytes to the frame end,
 * csum_start at the innermost L4, offsets 16/6, gso types by family and
 * protocol, SKB_GSO bits by the tunnel the frame carries.
 *
 * Cases:
 *  derive_tcpv4      the sweep, VNET and LEGACY fields, the seed, the
 *                    forwarded FIXEDID request, legacy sizes >= payload
 *                    left out, the corpus frame untouched
 *  derive_ipv6_cwr   ECN bit / TCP_ECN, ACCECN when forwarded, IPv6 seed
 *  derive_tunnels    VXLAN with and without outer checksum, GENEVE, GRE
 *                    with checksum, IPv4-in-IPv6 and IPv6-in-IPv4: skb_gso
 *                    bits, outer seed, GRE checksum zeroed, FIXEDID_INNER
 *  derive_udp        UDP_L4 and UFO requests, UDP length seed, 128
 *                    segments, dedupe of payload == 8
 *  derive_other      ICMP and SCTP frames: no case, counted as skipped
 *  sizes             ofd_tso_sizes order/dedupe, ofd_tso_stack_builds
 *  spec_gso_sizes    `gso_sizes:` parsed, applied, refused with line:col
 *
 * Random cases, the corpus, the fuzz decoder and case.yaml are in
 * check_tso_gen.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_pktbuild.h"
#include "ofd_rng.h"
#include "ofd_spec.h"
#include "ofd_test.h"
#include "ofd_tso.h"

#include "tso_cases_test_util.h"

/* ---- derive -------------------------------------------------------- */

START_TEST(test_derive_tcpv4)
{
	static struct one o;
	static const uint16_t want[] = { 1, 7, 8, 536, 1448, 3000, 3001, 8948, 0xfffe };
	struct ofd_pktb *b = pb_start(&o);
	uint8_t orig[4000];
	const uint8_t *copy;
	uint32_t i, nv = 0, nl = 0, nf = 0;

	ofd_pktb_eth(b, NULL, NULL, 0);
	ofd_pktb_ipv4(b, NULL);
	ofd_pktb_tcp(b, NULL);
	ofd_pktb_payload(b, 3000);
	pb_end(&o, b);
	memcpy(orig, o.buf, o.len);
	derive(&o, NULL);
	/* 9 VNET sizes, 5 LEGACY (< 3000), 1 forwarded */
	ck_assert_uint_eq(o.set.ncases, 15);
	ck_assert_uint_eq(o.set.skipped, 0);
	copy = o.set.cases[0].pkts[0].data;
	ck_assert_ptr_ne(copy, o.buf);
	ck_assert_int_eq(memcmp(o.buf, orig, o.len), 0);
	/* the seed: pseudo-header with the TCP byte count 20 + 3000 */
	ck_assert_uint_eq(rd16(copy + 34 + 16), pseudo_fold(o.buf + 14, 6, 3020));
	ck_assert_int_eq(memcmp(copy, orig, 50), 0);
	ck_assert_int_eq(memcmp(copy + 52, orig + 52, o.len - 52), 0);
	for (i = 0; i < o.set.ncases; i++) {
		const struct ofd_case *c = &o.set.cases[i];
		const struct ofd_request *r = &c->req;

		ck_assert_uint_eq(c->offload, OFD_OFFLOAD_TSO);
		ck_assert_uint_eq(c->npkts, 1);
		ck_assert_ptr_eq(c->pkts[0].data, copy);
		ck_assert_str_eq(c->src_file, "t.pcap");
		ck_assert_uint_eq(c->src_index, 7);
		ck_assert_uint_eq(c->id, i);
		ck_assert_uint_eq(r->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
		ck_assert_uint_eq(r->vnet.csum_start, 34);
		ck_assert_uint_eq(r->vnet.csum_offset, 16);
		ck_assert_uint_eq(r->vnet.hdr_len, 54);
		ck_assert_uint_eq(r->vnet.gso_type, OFD_VNET_GSO_TCPV4);
		ck_assert_uint_eq(r->csum_type, OFD_CSUM_INET);
		if (r->kind == OFD_REQ_VNET) {
			ck_assert_uint_eq(r->vnet.gso_size, want[nv]);
			ck_assert_uint_eq(r->skb_gso, 0);
			nv++;
		} else if (r->skb_gso == OFD_SKB_GSO_TCPV4) {
			ck_assert_uint_eq(r->vnet.gso_size, want[nl]);
			ck_assert_uint_lt(r->vnet.gso_size, 3000);
			ck_assert_uint_eq(r->legacy, OFD_LEGACY_IPV4 | OFD_LEGACY_TCP);
			nl++;
		} else {
			ck_assert_uint_eq(r->skb_gso, OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCP_FIXEDID);
			ck_assert_uint_eq(r->vnet.gso_size, 1448);
			nf++;
		}
	}
	ck_assert_uint_eq(nv, 9);
	ck_assert_uint_eq(nl, 5);
	ck_assert_uint_eq(nf, 1);
	ofd_caseset_free(&o.set);
}
END_TEST

START_TEST(test_derive_ipv6_cwr)
{
	static struct one o;
	struct ofd_pktb_tcp_opts t = { .sport = 1, .dport = 2, .flags = 0x98,
				       .options = ofd_pktb_tcp_opt_ts, .options_len = 12 };
	struct ofd_pktb *b = pb_start(&o);
	const uint8_t *copy;
	uint32_t i, fwd = 0;

	ofd_pktb_eth(b, NULL, NULL, 0);
	ofd_pktb_vlan(b, 5, 0);
	ofd_pktb_ipv6(b, NULL);
	ofd_pktb_tcp(b, &t);
	ofd_pktb_payload(b, 1000);
	pb_end(&o, b);
	derive(&o, NULL);
	copy = o.set.cases[0].pkts[0].data;
	/* 18 + 40: TCP at 58, 32 bytes of header */
	ck_assert_uint_eq(rd16(copy + 58 + 16), pseudo_fold(o.buf + 18, 6, 1032));
	for (i = 0; i < o.set.ncases; i++) {
		const struct ofd_request *r = &o.set.cases[i].req;

		ck_assert_uint_eq(r->vnet.csum_start, 58);
		ck_assert_uint_eq(r->vnet.hdr_len, 90);
		if (r->kind == OFD_REQ_VNET) {
			ck_assert_uint_eq(r->vnet.gso_type, OFD_VNET_GSO_TCPV6 | OFD_VNET_GSO_ECN);
		} else if (r->skb_gso & OFD_SKB_GSO_TCP_ACCECN) {
			/* GRO of 6.18 sets ACCECN on CWR; no IPv4 header: no FIXEDID */
			ck_assert_uint_eq(r->skb_gso, OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_TCP_ACCECN);
			ck_assert_uint_eq(r->vnet.gso_type, OFD_VNET_GSO_TCPV6);
			fwd++;
		} else {
			ck_assert_uint_eq(r->skb_gso, OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_TCP_ECN);
			ck_assert_uint_eq(r->vnet.gso_type, OFD_VNET_GSO_TCPV6 | OFD_VNET_GSO_ECN);
			ck_assert_uint_eq(r->legacy, OFD_LEGACY_IPV6 | OFD_LEGACY_TCP);
		}
	}
	ck_assert_uint_eq(fwd, 1);
	/* VNET: 1 7 8 536 1000 1001 1448 8948 0xfffe; LEGACY: 1 7 8 536 */
	ck_assert_uint_eq(count_kind(&o.set, OFD_REQ_VNET), 9);
	ck_assert_uint_eq(count_kind(&o.set, OFD_REQ_LEGACY), 5);
	ofd_caseset_free(&o.set);
}
END_TEST


START_TEST(test_derive_tunnels)
{
	static struct one o;
	static const uint32_t bits[] = {
		[TV_VXLAN] = OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_UDP_TUNNEL,
		[TV_VXLAN_CSUM] = OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL_CSUM,
		[TV_GENEVE_CSUM] = OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_UDP_TUNNEL_CSUM,
		[TV_GRE_CSUM] = OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_GRE_CSUM,
		[TV_4IN6] = OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_IPXIP6,
		[TV_6IN4] = OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_IPXIP4,
	};
	/* forwarded: FIXEDID for an outer IPv4, FIXEDID_INNER an inner one */
	static const uint32_t fwd[] = {
		[TV_VXLAN] = OFD_SKB_GSO_TCP_FIXEDID,
		[TV_VXLAN_CSUM] = OFD_SKB_GSO_TCP_FIXEDID | OFD_SKB_GSO_TCP_FIXEDID_INNER,
		[TV_GENEVE_CSUM] = OFD_SKB_GSO_TCP_FIXEDID,
		[TV_GRE_CSUM] = OFD_SKB_GSO_TCP_FIXEDID_INNER,
		[TV_4IN6] = OFD_SKB_GSO_TCP_FIXEDID_INNER,
		[TV_6IN4] = OFD_SKB_GSO_TCP_FIXEDID,
	};
	int k, ul, tl;
	uint32_t i, nfwd;

	for (k = TV_VXLAN; k <= TV_6IN4; k++) {
		struct ofd_parsed p;
		const uint8_t *copy;
		int ip_in;

		tunnel_frame(&o, k, &ul, &tl);
		derive(&o, NULL);
		ck_assert_uint_gt(o.set.ncases, 0);
		copy = o.set.cases[0].pkts[0].data;
		ofd_parse(o.buf, o.len, 0, &p);
		ip_in = p.l3;
		ck_assert_uint_eq(rd16(copy + tl + 16),
				  pseudo_fold(o.buf + p.layer[ip_in].off, 6, o.len - (uint32_t)tl));
		if (k == TV_VXLAN) {
			ck_assert_uint_eq(rd16(copy + ul + 6), 0);
		} else if (ul >= 0) {
			/* udp_set_csum of a GSO skb: the seed over the bytes
			 * from the outer UDP header to the end */
			ck_assert_uint_ne(rd16(o.buf + ul + 6), 0);
			ck_assert_uint_eq(rd16(copy + ul + 6),
					  pseudo_fold(o.buf + p.layer[p.outer_l3].off, 17,
						      o.len - (uint32_t)ul));
		}
		if (k == TV_GRE_CSUM) {
			uint32_t g = p.layer[p.outer_l3].off + 40;

			ck_assert_uint_ne(rd16(o.buf + g + 4), 0);
			ck_assert_uint_eq(rd16(copy + g + 4), 0);
			ck_assert_uint_eq(rd16(copy + g + 6), 0);
			ck_assert_uint_eq(rd16(copy + g + 8), 0); /* key 9 kept */
			ck_assert_uint_eq(rd16(copy + g + 10), 9);
		}
		nfwd = 0;
		for (i = 0; i < o.set.ncases; i++) {
			const struct ofd_request *r = &o.set.cases[i].req;

			ck_assert_uint_eq(r->vnet.csum_start, tl);
			ck_assert_uint_eq(r->vnet.hdr_len, tl + 20);
			ck_assert(r->legacy & OFD_LEGACY_TUNNEL);
			if (r->kind != OFD_REQ_LEGACY)
				continue;
			if (r->skb_gso == bits[k]) {
				ck_assert_uint_lt(r->vnet.gso_size, 2000);
				continue;
			}
			ck_assert_uint_eq(r->skb_gso, bits[k] | fwd[k]);
			nfwd++;
		}
		ck_assert_uint_eq(nfwd, 1);
		ofd_caseset_free(&o.set);
	}
}
END_TEST

START_TEST(test_derive_udp)
{
	static struct one o;
	static const uint16_t want[] = { 1, 7, 8, 9, 536, 1448, 8948, 0xfffe };
	struct ofd_pktb *b;
	const uint8_t *copy;
	uint32_t i, nv = 0, nu = 0, nl = 0;

	b = pb_start(&o);
	ofd_pktb_eth(b, NULL, NULL, 0);
	ofd_pktb_ipv4(b, NULL);
	ofd_pktb_udp(b, 1, 2);
	ofd_pktb_payload(b, 8);
	pb_end(&o, b);
	derive(&o, NULL);
	copy = o.set.cases[0].pkts[0].data;
	ck_assert_uint_eq(rd16(copy + 34 + 6), pseudo_fold(o.buf + 14, 17, 16));
	for (i = 0; i < o.set.ncases; i++) {
		const struct ofd_request *r = &o.set.cases[i].req;

		ck_assert_uint_eq(r->vnet.csum_start, 34);
		ck_assert_uint_eq(r->vnet.csum_offset, 6);
		ck_assert_uint_eq(r->vnet.hdr_len, 42);
		ck_assert_uint_eq(r->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
		if (r->kind == OFD_REQ_LEGACY) {
			ck_assert_uint_eq(r->skb_gso, OFD_SKB_GSO_UDP_L4);
			ck_assert_uint_eq(r->vnet.gso_type, OFD_VNET_GSO_UDP_L4);
			ck_assert_uint_eq(r->vnet.gso_size, want[nl]);
			nl++;
		} else if (r->vnet.gso_type == OFD_VNET_GSO_UDP) {
			ck_assert_uint_eq(r->vnet.gso_size, want[nu]);
			nu++;
		} else {
			ck_assert_uint_eq(r->vnet.gso_type, OFD_VNET_GSO_UDP_L4);
			ck_assert_uint_eq(r->vnet.gso_size, want[nv]);
			nv++;
		}
	}
	/* payload 8 coincides with 8: 8 sizes, UFO too; legacy 1, 7 */
	ck_assert_uint_eq(nv, 8);
	ck_assert_uint_eq(nu, 8);
	ck_assert_uint_eq(nl, 2);
	ofd_caseset_free(&o.set);

	/* IPv6: no UFO; 2000 bytes: the stack builds at most 128 segments,
	 * so 1, 7 and 8 have no legacy case */
	b = pb_start(&o);
	ofd_pktb_eth(b, NULL, NULL, 0);
	ofd_pktb_ipv6(b, NULL);
	ofd_pktb_udp(b, 1, 2);
	ofd_pktb_payload(b, 2000);
	pb_end(&o, b);
	derive(&o, NULL);
	nl = nu = 0;
	for (i = 0; i < o.set.ncases; i++) {
		const struct ofd_request *r = &o.set.cases[i].req;

		ck_assert_uint_ne(r->vnet.gso_type, OFD_VNET_GSO_UDP);
		if (r->kind == OFD_REQ_LEGACY) {
			ck_assert_uint_ge(r->vnet.gso_size * 128u, 2000);
			ck_assert_uint_lt(r->vnet.gso_size, 2000);
			nl++;
		}
	}
	ck_assert_uint_eq(nl, 2); /* 536, 1448 */
	ck_assert_uint_eq(count_kind(&o.set, OFD_REQ_VNET), 9);
	ofd_caseset_free(&o.set);
}
END_TEST

START_TEST(test_derive_other)
{
	static struct one o;
	struct ofd_pktb *b = pb_start(&o);

	ofd_pktb_eth(b, NULL, NULL, 0);
	ofd_pktb_ipv4(b, NULL);
	ofd_pktb_icmp_echo(b, 1, 2);
	ofd_pktb_payload(b, 3000);
	pb_end(&o, b);
	derive(&o, NULL);
	ck_assert_uint_eq(o.set.ncases, 0);
	ck_assert_uint_eq(o.set.skipped, 1);
	ofd_caseset_free(&o.set);
	/* SCTP: nothing to segment either */
	b = pb_start(&o);
	ofd_pktb_eth(b, NULL, NULL, 0);
	ofd_pktb_ipv4(b, NULL);
	ofd_pktb_sctp(b, 1, 2, 3);
	ofd_pktb_sctp_data(b, 1, 0, 0, 0, 100);
	pb_end(&o, b);
	derive(&o, NULL);
	ck_assert_uint_eq(o.set.ncases, 0);
	ck_assert_uint_eq(o.set.skipped, 1);
	ofd_caseset_free(&o.set);
}
END_TEST

START_TEST(test_sizes)
{
	struct ofd_tso_frame f = { .l4_proto = OFD_P_TCP, .payload = 1448 };
	static const uint32_t spec[] = { 1448, OFD_SPEC_GSO_PAYLOAD, 1, 1448,
					 OFD_SPEC_GSO_PAYLOAD_PLUS1 };
	uint16_t s[OFD_TSO_MAX_SIZES];
	unsigned int n;

	n = ofd_tso_sizes(&f, NULL, 0, s);
	ck_assert_uint_eq(n, 8);
	ck_assert_uint_eq(s[0], 1);
	ck_assert_uint_eq(s[1], 7);
	ck_assert_uint_eq(s[2], 8);
	ck_assert_uint_eq(s[3], 536);
	ck_assert_uint_eq(s[4], 1448);
	ck_assert_uint_eq(s[5], 1449);
	ck_assert_uint_eq(s[6], 8948);
	ck_assert_uint_eq(s[7], 0xfffe);
	f.payload = 0; /* payload 0 is no size; payload + 1 is 1 */
	ck_assert_uint_eq(ofd_tso_sizes(&f, NULL, 0, s), 7);
	ck_assert_uint_eq(s[0], 1);
	/* payload 0xfffe coincides with the largest; neither it + 1 nor a
	 * payload of 0xffff becomes GSO_BY_FRAGS */
	f.payload = 0xfffe;
	n = ofd_tso_sizes(&f, NULL, 0, s);
	ck_assert_uint_eq(n, 7);
	ck_assert_uint_eq(s[6], 0xfffe);
	f.payload = 0xffff;
	ck_assert_uint_eq(ofd_tso_sizes(&f, NULL, 0, s), 7);
	f.payload = 100000; /* BIG TCP */
	ck_assert_uint_eq(ofd_tso_sizes(&f, NULL, 0, s), 7);
	f.payload = 5;
	n = ofd_tso_sizes(&f, spec, OFD_ARRAY_SIZE(spec), s);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(s[0], 1);
	ck_assert_uint_eq(s[1], 5);
	ck_assert_uint_eq(s[2], 6);
	ck_assert_uint_eq(s[3], 1448);

	/* kernel-tx.md 5.5 and 6.1 */
	f.payload = 1000;
	ck_assert(ofd_tso_stack_builds(&f, 999));
	ck_assert(!ofd_tso_stack_builds(&f, 1000));
	ck_assert(!ofd_tso_stack_builds(&f, 0));
	ck_assert(ofd_tso_stack_builds(&f, 1));
	f.l4_proto = OFD_P_UDP;
	ck_assert(!ofd_tso_stack_builds(&f, 7)); /* 143 segments */
	ck_assert(ofd_tso_stack_builds(&f, 8));  /* 125 */
	f.payload = 0x10000;
	ck_assert(!ofd_tso_stack_builds(&f, 0xffff));
}
END_TEST

START_TEST(test_spec_gso_sizes)
{
	static struct one o;
	static const char good[] =
		"name: t\noffloads: [tso]\ncorpus: [../corpus/tso/udp.pcap]\n"
		"targets: [{engine: emu, profile: conformant}]\n"
		"gso_sizes: [1448, payload, payload+1, 100]\n";
	static const char bad[] =
		"name: t\noffloads: [tso]\ncorpus: [../corpus/tso/udp.pcap]\n"
		"targets: [{engine: emu, profile: conformant}]\n"
		"gso_sizes: [1448, payloads]\n";
	struct ofd_spec *s = NULL;
	struct ofd_pktb *b;
	char err[512];
	uint32_t i;

	ck_assert_msg(ofd_spec_parse("specs/t.yaml", good, strlen(good), &s, err,
				     sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s->ngso_sizes, 4);
	ck_assert_uint_eq(s->gso_sizes[0], 1448);
	ck_assert_uint_eq(s->gso_sizes[1], OFD_SPEC_GSO_PAYLOAD);
	ck_assert_uint_eq(s->gso_sizes[2], OFD_SPEC_GSO_PAYLOAD_PLUS1);
	ck_assert_uint_eq(s->gso_sizes[3], 100);
	b = pb_start(&o);
	ofd_pktb_eth(b, NULL, NULL, 0);
	ofd_pktb_ipv4(b, NULL);
	ofd_pktb_tcp(b, NULL);
	ofd_pktb_payload(b, 500);
	pb_end(&o, b);
	derive(&o, s);
	/* VNET: 100 500 501 1448; LEGACY 100; forwarded 8 (IPv4) */
	ck_assert_uint_eq(count_kind(&o.set, OFD_REQ_VNET), 4);
	ck_assert_uint_eq(count_kind(&o.set, OFD_REQ_LEGACY), 2);
	for (i = 0; i < 4; i++)
		ck_assert_uint_eq(o.set.cases[i].req.vnet.gso_size,
				  ((const uint16_t[]){ 100, 500, 501, 1448 })[i]);
	ofd_caseset_free(&o.set);
	ofd_spec_free(s);
	s = NULL;
	ck_assert_int_ne(ofd_spec_parse("specs/t.yaml", bad, strlen(bad), &s, err,
					sizeof(err)), 0);
	ck_assert_ptr_null(s);
	ck_assert_msg(strstr(err, "specs/t.yaml:5:19: gso_sizes:"), "%s", err);
}
END_TEST

static Suite *tso_cases_suite(void)
{
	Suite *s = suite_create("tso_cases");
	TCase *d = tcase_create("derive");

	tcase_add_test(d, test_derive_tcpv4);
	tcase_add_test(d, test_derive_ipv6_cwr);
	tcase_add_test(d, test_derive_tunnels);
	tcase_add_test(d, test_derive_udp);
	tcase_add_test(d, test_derive_other);
	tcase_add_test(d, test_sizes);
	tcase_add_test(d, test_spec_gso_sizes);
	suite_add_tcase(s, d);
	return s;
}

OFD_TEST_SUITE(tso_cases_suite)
