// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_tso_cases.c - the tso cases layer: derive (harness/cases/tso.c),
 * random super-packets (random_tso.c), the corpus scenarios, the fuzz
 * decoder (harness/fuzz/tso.c), the spec's gso_sizes and case.yaml's
 * skb_gso.
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
 *  random_*          determinism, distribution, legacy requests the stack
 *                    would build, seeds, segment counts, cap
 *  corpus            the scenarios: every frame a super-packet
 *  fuzz_*            the decoder on seeds and on garbage
 *  case_file         skb_gso written and read back, aliases, unknown
 *                    names refused with line:col, files without it
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

#define BUF 70000

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* fold16 of the pseudo-header of the IP header at ip, naive. */
static uint16_t pseudo_fold(const uint8_t *ip, uint8_t proto, uint32_t l4len)
{
	uint32_t acc;

	if (ip[0] >> 4 == 4)
		acc = ofd_test_sum(ip + 12, 8, 0);
	else
		acc = ofd_test_sum(ip + 8, 32, 0);
	acc += proto + (l4len >> 16) + (l4len & 0xffff);
	return ofd_test_fold(acc);
}

/* One frame as a corpus; derive it into set. */
struct one {
	struct ofd_corpus corpus;
	struct ofd_corpus_pkt pk;
	char *files[1];
	struct ofd_caseset set;
	uint8_t buf[BUF];
	uint32_t len;
};

static void derive(struct one *o, const struct ofd_spec *spec)
{
	char err[256] = "";

	memset(&o->corpus, 0, sizeof(o->corpus));
	o->files[0] = "t.pcap";
	o->pk.data = o->buf;
	o->pk.len = o->len;
	o->pk.file = 0;
	o->pk.index = 7;
	o->corpus.nfiles = 1;
	o->corpus.files = o->files;
	o->corpus.npkts = 1;
	o->corpus.pkts = &o->pk;
	ck_assert_msg(ofd_cases_derive(&o->corpus, OFD_CAP(OFD_OFFLOAD_TSO),
				       (1u << OFD_REQ_VNET) | (1u << OFD_REQ_LEGACY),
				       spec, &o->set, err, sizeof(err)) == 0, "%s", err);
}

static struct ofd_pktb *pb_start(struct one *o)
{
	static struct ofd_pktb b;

	ofd_pktb_init(&b, o->buf, sizeof(o->buf));
	return &b;
}

static void pb_end(struct one *o, struct ofd_pktb *b)
{
	ck_assert_int_eq(ofd_pktb_finish(b), 0);
	o->len = b->len;
}

static uint32_t count_kind(const struct ofd_caseset *s, int kind)
{
	uint32_t i, n = 0;

	for (i = 0; i < s->ncases; i++)
		n += s->cases[i].req.kind == kind;
	return n;
}

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

enum { TV_VXLAN, TV_VXLAN_CSUM, TV_GENEVE_CSUM, TV_GRE_CSUM, TV_4IN6, TV_6IN4 };

/* The tunnel frame of kind k, inner TCP with 2000 bytes. */
static void tunnel_frame(struct one *o, int k, int *outer_l4, int *inner_l4)
{
	struct ofd_pktb *b = pb_start(o);
	int u = -1;

	ofd_pktb_eth(b, NULL, NULL, 0);
	if (k == TV_GRE_CSUM || k == TV_4IN6)
		ofd_pktb_ipv6(b, NULL);
	else
		ofd_pktb_ipv4(b, NULL);
	switch (k) {
	case TV_VXLAN:
	case TV_VXLAN_CSUM:
		u = ofd_pktb_udp(b, 5555, 4789);
		ofd_pktb_vxlan(b, 1);
		ofd_pktb_eth(b, NULL, NULL, 0);
		break;
	case TV_GENEVE_CSUM:
		u = ofd_pktb_udp(b, 5555, 6081);
		ofd_pktb_geneve(b, 1, 8);
		ofd_pktb_eth(b, NULL, NULL, 0);
		break;
	case TV_GRE_CSUM:
		ofd_pktb_gre(b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY, 9, 0);
		break;
	default:
		break;
	}
	if (u >= 0 && k != TV_VXLAN)
		b->layer[u].csum = OFD_PKTB_CSUM_FULL;
	if (k == TV_VXLAN || k == TV_6IN4 || k == TV_GENEVE_CSUM)
		ofd_pktb_ipv6(b, NULL);
	else
		ofd_pktb_ipv4(b, NULL);
	*inner_l4 = ofd_pktb_tcp(b, NULL);
	*outer_l4 = u;
	ofd_pktb_payload(b, 2000);
	*outer_l4 = u >= 0 ? (int)b->layer[u].off : -1;
	*inner_l4 = (int)b->layer[*inner_l4].off;
	pb_end(o, b);
}

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

/* ---- random -------------------------------------------------------- */

struct rc {
	uint8_t buf[OFD_TSO_RAND_MAX_FRAME];
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct ofd_tso_rand_info info;
};

static void rc_make(struct rc *r, uint64_t seed, uint64_t idx, uint32_t cap)
{
	memset(&r->c, 0, sizeof(r->c));
	ck_assert_int_eq(ofd_tso_random_ex(seed, idx, r->buf, cap, &r->pkt, &r->c,
					   &r->info), 0);
}

START_TEST(test_random_deterministic)
{
	static struct rc a, b, c;
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TSO)->cases;
	uint64_t i;
	unsigned int differ = 0;

	ck_assert_ptr_nonnull(oc);
	ck_assert_ptr_nonnull(oc->random);
	for (i = 0; i < 300; i++) {
		rc_make(&a, 42, i, sizeof(a.buf));
		rc_make(&c, 7, 1000 + i, sizeof(c.buf));
		rc_make(&b, 42, i, sizeof(b.buf));
		ck_assert_uint_eq(a.pkt.len, b.pkt.len);
		ck_assert_int_eq(memcmp(a.buf, b.buf, a.pkt.len), 0);
		ck_assert_int_eq(memcmp(&a.c.req, &b.c.req, sizeof(a.c.req)), 0);
		ck_assert_uint_eq(a.c.offload, OFD_OFFLOAD_TSO);
		ck_assert_uint_eq(a.c.id, i);
		ck_assert_ptr_eq(a.c.pkts, &a.pkt);
		ck_assert_ptr_null(a.c.src_file);
		differ += a.pkt.len != c.pkt.len || memcmp(a.buf, c.buf, a.pkt.len);
		/* through the table, with the selfcheck's smaller cap: the
		 * same draws, a payload no larger */
		ck_assert_int_eq(oc->random(42, i, c.buf, 9216, &c.pkt, 1, &c.c), 0);
		ck_assert_uint_le(c.pkt.len, 9216);
		ck_assert_uint_eq(c.c.req.kind, a.c.req.kind);
		if (a.pkt.len <= 9216 - 24 - 16)
			ck_assert_int_eq(memcmp(a.buf, c.buf, a.pkt.len), 0);
	}
	ck_assert_uint_gt(differ, 290);
	ck_assert_int_eq(ofd_tso_random_ex(1, 1, a.buf, 64, &a.pkt, &a.c, NULL), -EINVAL);
}
END_TEST

START_TEST(test_random_distribution)
{
	static struct rc r;
	unsigned int req[OFD_TSO_RQ__N] = { 0 }, tun[OFD_P__MAX] = { 0 };
	unsigned int ext[64] = { 0 }, kinds[2] = { 0 }, udp = 0, ufo = 0, big = 0;
	unsigned int small_segs = 0, trailer = 0, seeds = 0, fixedid = 0, accecn = 0;
	unsigned int tunnel_csum = 0, ecn = 0, idffff = 0, n = 20000;
	uint64_t i;

	for (i = 0; i < n; i++) {
		const struct ofd_request *q = &r.c.req;
		struct ofd_tso_frame f;
		struct ofd_parsed p;
		uint32_t len;

		rc_make(&r, 3, i, sizeof(r.buf));
		len = r.pkt.len;
		ck_assert_uint_le(len, OFD_TSO_RAND_MAX_FRAME);
		req[r.info.req]++;
		tun[r.info.tunnel]++;
		ext[r.info.ext & 63]++;
		kinds[q->kind]++;
		udp += r.info.l4_proto == OFD_P_UDP;
		trailer += r.info.trailer;
		big += r.info.payload > 16000;
		small_segs += r.info.segs < 50;
		ck_assert_uint_eq(q->skb_gso != 0, q->kind == OFD_REQ_LEGACY);
		if (r.info.req != OFD_TSO_RQ_CORRECT)
			continue;
		/* what the stack or the guest derives */
		ck_assert_uint_eq(q->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
		ck_assert_uint_eq(q->vnet.csum_offset,
				  r.info.l4_proto == OFD_P_TCP ? 16 : 6);
		ck_assert_uint_eq(q->vnet.gso_size, r.info.gso_size);
		ufo += q->vnet.gso_type == OFD_VNET_GSO_UDP;
		ecn += (q->vnet.gso_type & OFD_VNET_GSO_ECN) != 0;
		if (q->kind == OFD_REQ_LEGACY) {
			/* a GSO skb the stack would build */
			ck_assert_uint_gt(r.info.payload, q->vnet.gso_size);
			if (r.info.l4_proto == OFD_P_UDP)
				ck_assert_uint_le(r.info.payload, q->vnet.gso_size * 128u);
			fixedid += (q->skb_gso & (OFD_SKB_GSO_TCP_FIXEDID |
						   OFD_SKB_GSO_TCP_FIXEDID_INNER)) != 0;
			accecn += (q->skb_gso & OFD_SKB_GSO_TCP_ACCECN) != 0;
			tunnel_csum += (q->skb_gso & OFD_SKB_GSO_UDP_TUNNEL_CSUM) != 0;
			ck_assert(!(q->skb_gso & OFD_SKB_GSO_TCP_ACCECN) ||
				  !(q->skb_gso & OFD_SKB_GSO_TCP_ECN));
		}
		if (r.info.ext == 51) /* AH: the parser stops there */
			continue;
		ck_assert_int_eq(ofd_tso_frame(r.buf, len, &f), 0);
		ck_assert_uint_eq(q->vnet.csum_start, f.l4_off);
		ck_assert_uint_eq(q->vnet.hdr_len, f.l4_off + f.l4_hlen);
		ck_assert_uint_eq(f.payload, r.info.payload);
		if (q->kind == OFD_REQ_LEGACY)
			ck_assert_uint_eq(q->skb_gso & (OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6 |
							OFD_SKB_GSO_UDP_L4),
					  f.l4_proto == OFD_P_UDP ? OFD_SKB_GSO_UDP_L4 :
					  f.v6 ? OFD_SKB_GSO_TCPV6 : OFD_SKB_GSO_TCPV4);
		ofd_parse(r.buf, len, 0, &p);
		if (f.outer_v4 && rd16(r.buf + p.layer[p.outer_l3].off + 4) >= 0xfffc)
			idffff++;
		/* the seed, recomputed, for the untunnelled frames without a
		 * routing header (whose final address it would need) */
		if (!f.tunnel && r.info.ext != OFD_P_SRH && r.info.ext != OFD_P_HBH) {
			uint32_t l4len = f.l4_proto == OFD_P_TCP ? len - f.l4_off :
					 rd16(r.buf + f.l4_off + 4);

			ck_assert_uint_eq(rd16(r.buf + f.l4_off + (f.l4_proto == OFD_P_TCP ? 16 : 6)),
					  pseudo_fold(r.buf + p.layer[p.outer_l3].off,
						      f.l4_proto == OFD_P_TCP ? 6 : 17, l4len));
			seeds++;
		}
	}
	for (i = 0; i < OFD_TSO_RQ__N; i++)
		ck_assert_msg(req[i] > 100, "%s %u", ofd_tso_rand_req_name((int)i), req[i]);
	ck_assert_uint_gt(req[OFD_TSO_RQ_CORRECT], n * 80 / 100);
	ck_assert_uint_gt(tun[OFD_P_VXLAN], 500);
	ck_assert_uint_gt(tun[OFD_P_GENEVE], 500);
	ck_assert_uint_gt(tun[OFD_P_GRE], 500);
	ck_assert_uint_gt(tun[OFD_P_IPV4] + tun[OFD_P_IPV6], 500);
	ck_assert_uint_gt(ext[OFD_P_FRAG], 50);
	ck_assert_uint_gt(ext[51], 50);
	ck_assert_uint_gt(ext[OFD_P_SRH], 200);
	ck_assert_uint_gt(kinds[0], n * 40 / 100);
	ck_assert_uint_gt(kinds[1], n * 40 / 100);
	ck_assert_uint_gt(udp, n * 20 / 100);
	ck_assert_uint_gt(ufo, 100);
	ck_assert_uint_gt(ecn, 500);
	ck_assert_uint_gt(fixedid, 200);
	ck_assert_uint_gt(accecn, 100);
	ck_assert_uint_gt(tunnel_csum, 100);
	ck_assert_uint_gt(trailer, 500);
	ck_assert_uint_gt(big, 100);
	ck_assert_uint_gt(idffff, 200);
	ck_assert_uint_gt(seeds, 5000);
	/* mostly moderate segment counts */
	ck_assert_uint_gt(small_segs, n * 85 / 100);
}
END_TEST

/* ---- corpus -------------------------------------------------------- */

static int corpus_cb(void *ctx, const struct ofd_corpus_gen_frame *fr)
{
	struct ofd_tso_frame f;
	unsigned int *n = ctx;

	ck_assert_msg(ofd_tso_frame(fr->data, fr->len, &f) == 0, "%s", fr->desc);
	ck_assert_uint_le(fr->len, 65535 + 54);
	n[0]++;
	n[1] += f.payload > 60000;
	return 0;
}

START_TEST(test_corpus)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TSO)->cases;
	unsigned int k, n[2] = { 0 };

	ck_assert_uint_eq(oc->nscenarios, OFD_TSO_GEN__NFILES);
	for (k = 0; k < oc->nscenarios; k++) {
		ck_assert(!strncmp(oc->scenarios[k].file, "tso/", 4));
		ck_assert_int_eq(oc->scenarios[k].foreach(oc->scenarios[k].which,
							  corpus_cb, n), 0);
	}
	ck_assert_uint_gt(n[0], 250);
	ck_assert_uint_eq(n[1], 4); /* the 64 KB frames */
	ck_assert_uint_ge(oc->max_output_bytes, 65535u * (54 + 1));
}
END_TEST

/* ---- fuzz ---------------------------------------------------------- */

struct fz {
	uint8_t in[BUF + 32], buf[BUF];
	struct ofd_pkt pkts[4];
	struct ofd_case c;
};

static int seeds_cb(void *ctx, const struct ofd_corpus_gen_frame *fr)
{
	const struct ofd_offload_fuzz *fo = &ofd_fuzz_tso;
	struct fz *z = ctx;
	unsigned int v;

	for (v = 0; v < fo->nseeds; v++) {
		size_t n = fo->seed(fr->data, fr->len, v, z->in, sizeof(z->in));

		if (!n)
			continue;
		ck_assert_int_eq(fo->decode(z->in, n, z->buf, BUF, z->pkts, 4, &z->c), 0);
		ck_assert_uint_eq(z->c.offload, OFD_OFFLOAD_TSO);
		ck_assert_uint_eq(z->c.pkts[0].len, fr->len);
		ck_assert_uint_eq(z->c.req.kind, v == 2 ? OFD_REQ_LEGACY : OFD_REQ_VNET);
		ck_assert_uint_eq(z->c.req.vnet.flags, OFD_VNET_F_NEEDS_CSUM);
		if (v == 1)
			ck_assert_uint_eq(z->c.req.vnet.gso_size, 1);
		if (v == 2) {
			struct ofd_tso_frame f;

			ck_assert_int_eq(ofd_tso_frame(fr->data, fr->len, &f), 0);
			ck_assert_uint_eq(!!(z->c.req.skb_gso & OFD_SKB_GSO_TCP_FIXEDID),
					  f.l4_proto == OFD_P_TCP && f.outer_v4);
		}
	}
	return 0;
}

START_TEST(test_fuzz_seeds)
{
	static struct fz z;
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TSO)->cases;
	unsigned int k;

	ck_assert_ptr_eq(ofd_offload_get(OFD_OFFLOAD_TSO)->fuzz, &ofd_fuzz_tso);
	ck_assert_ptr_nonnull(ofd_fuzz_tso.layout);
	for (k = 0; k < oc->nscenarios; k++)
		ck_assert_int_eq(oc->scenarios[k].foreach(oc->scenarios[k].which,
							  seeds_cb, &z), 0);
}
END_TEST

START_TEST(test_fuzz_garbage)
{
	static struct fz z;
	static struct rc r;
	struct ofd_rng g = { 99 };
	unsigned int i, ok = 0;

	for (i = 0; i < 20000; i++) {
		size_t n = ofd_rng_below(&g, 300);
		int ret;

		ofd_rng_fill(&g, z.in, (uint32_t)n);
		if (i % 3 == 0 && n > 17) {
			/* a random super-packet, then mutated or cut */
			rc_make(&r, 5, i, 2000);
			n = 17 + (r.pkt.len < sizeof(z.in) - 17 ? r.pkt.len : 0);
			memcpy(z.in + 17, r.buf, n - 17);
			if (i % 2)
				z.in[17 + ofd_rng_below(&g, (uint32_t)(n - 17))] ^= 0xff;
			n -= ofd_rng_below(&g, (uint32_t)(n - 16));
		}
		ret = ofd_fuzz_tso.decode(z.in, n, z.buf, BUF, z.pkts, 4, &z.c);
		ck_assert(ret == 0 || ret == -ENOENT);
		if (!ret) {
			ck_assert_uint_eq(z.c.pkts[0].len, n - 17);
			ck_assert_uint_eq(z.c.offload, OFD_OFFLOAD_TSO);
			ok++;
		}
	}
	ck_assert_uint_gt(ok, 1000);
	/* too short, too long, no room for a frame */
	ck_assert_int_eq(ofd_fuzz_tso.decode(z.in, 16, z.buf, BUF, z.pkts, 4, &z.c), -ENOENT);
	ck_assert_int_eq(ofd_fuzz_tso.decode(z.in, 100, z.buf, 10, z.pkts, 4, &z.c), -ENOENT);
	ck_assert_int_eq(ofd_fuzz_tso.decode(z.in, 100, z.buf, BUF, z.pkts, 0, &z.c), -ENOENT);
}
END_TEST

/* ---- case.yaml ----------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, 65536);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(s);
	(void)!fread(s, 1, 65535, f);
	fclose(f);
	return s;
}

/* text with its "skb_gso: [...]" replaced by repl, or its line dropped. */
static char *with(const char *text, const char *repl, bool drop)
{
	const char *p = strstr(text, "skb_gso: ["), *e, *ls;
	char *out;

	ck_assert_ptr_nonnull(p);
	e = strchr(p, ']') + 1;
	if (drop) {
		for (ls = p; ls > text && ls[-1] != '\n'; ls--)
			;
		p = ls;
		e = strchr(e, '\n') + 1;
	}
	out = calloc(1, strlen(text) + strlen(repl) + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, text, (size_t)(p - text));
	strcat(out, repl);
	strcat(out, e);
	return out;
}

START_TEST(test_case_file)
{
	static struct one o;
	struct ofd_target_desc t = { .label = "emu:conformant", .engine = "emu",
				     .profile = "conformant" };
	struct ofd_pcap_writer *w;
	struct ofd_loaded_case lc;
	struct ofd_case c = { 0 };
	struct ofd_pkt pkt;
	struct ofd_tso_frame f;
	char dir[256], pcap[300], yml[300], want[400], err[512], *text, *bad;
	int tl, ul;

	tunnel_frame(&o, TV_VXLAN_CSUM, &ul, &tl);
	ck_assert_int_eq(ofd_tso_frame(o.buf, o.len, &f), 0);
	ofd_test_mkdtemp(dir, sizeof(dir), "tsocase");
	snprintf(pcap, sizeof(pcap), "%s/input.pcap", dir);
	snprintf(yml, sizeof(yml), "%s/case.yaml", dir);
	ck_assert_int_eq(ofd_pcap_writer__open(pcap, &w), 0);
	ck_assert_int_eq(ofd_pcap_writer__write(w, o.buf, o.len, 0), 0);
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	pkt.data = o.buf;
	pkt.len = o.len;
	c.offload = OFD_OFFLOAD_TSO;
	c.npkts = 1;
	c.pkts = &pkt;
	c.src_file = "corpus/tso/tunnels.pcap";
	c.src_index = 3;
	ofd_tso_request(&f, OFD_REQ_LEGACY, 1448, OFD_TSO_FORWARDED, &c.req);
	ck_assert_uint_eq(c.req.skb_gso, OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL_CSUM |
			  OFD_SKB_GSO_TCP_FIXEDID | OFD_SKB_GSO_TCP_FIXEDID_INNER);
	ck_assert_int_eq(ofd_case_write_yaml(yml, &c, "kernel", &t, "input.pcap", NULL,
					     OFD_V_DISCREPANCY), 0);
	text = slurp(yml);
	ck_assert_msg(strstr(text, "skb_gso: [tcpv4, udp_tunnel_csum, tcp_fixedid, tcp_fixedid_inner]"),
		      "%s", text);
	ck_assert_msg(ofd_case_read_yaml(yml, &lc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(lc.c.offload, OFD_OFFLOAD_TSO);
	ck_assert_int_eq(memcmp(&lc.c.req, &c.req, sizeof(c.req)), 0);
	ck_assert_uint_eq(lc.c.pkts[0].len, o.len);
	ofd_loaded_case_free(&lc);

	/* the short names, and none at all (a tx-csum file of before) */
	bad = with(text, "skb_gso: [tcpv6, fixedid, accecn, ecn]", false);
	ck_assert_msg(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)) == 0,
		      "%s: %s", err, bad);
	ck_assert_uint_eq(lc.c.req.skb_gso, OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_TCP_FIXEDID |
			  OFD_SKB_GSO_TCP_ACCECN | OFD_SKB_GSO_TCP_ECN);
	ofd_loaded_case_free(&lc);
	free(bad);
	bad = with(text, "", true);
	ck_assert_ptr_null(strstr(bad, "skb_gso"));
	ck_assert_msg(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)) == 0,
		      "%s: %s", err, bad);
	ck_assert_uint_eq(lc.c.req.skb_gso, 0);
	ck_assert_uint_eq(lc.c.req.vnet.gso_size, 1448);
	ofd_loaded_case_free(&lc);
	free(bad);
	/* an unknown name: where it is */
	bad = with(text, "skb_gso: [tcpv4, tso]", false);
	ck_assert_int_ne(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "skb_gso: unknown bit 'tso'"), "%s", err);
	{
		/* line:col of the bad item */
		int line = 1, col;
		const char *q, *ls = bad, *at = strstr(bad, "tso]");

		for (q = bad; q < at; q++)
			if (*q == '\n') {
				line++;
				ls = q + 1;
			}
		col = (int)(at - ls) + 1;
		snprintf(want, sizeof(want), "%s:%d:%d: skb_gso", yml, line, col);
		ck_assert_msg(strstr(err, want), "%s (want %s)", err, want);
	}
	free(bad);
	bad = with(text, "skb_gso: tcpv4", false);
	ck_assert_int_ne(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "skb_gso: expected a sequence"), "%s", err);
	free(bad);
	free(text);
	unlink(yml);
	unlink(pcap);
	rmdir(dir);
}
END_TEST

static Suite *tso_cases_suite(void)
{
	Suite *s = suite_create("tso_cases");
	TCase *d = tcase_create("derive"), *r = tcase_create("random");
	TCase *z = tcase_create("fuzz"), *y = tcase_create("case_file");

	tcase_add_test(d, test_derive_tcpv4);
	tcase_add_test(d, test_derive_ipv6_cwr);
	tcase_add_test(d, test_derive_tunnels);
	tcase_add_test(d, test_derive_udp);
	tcase_add_test(d, test_derive_other);
	tcase_add_test(d, test_sizes);
	tcase_add_test(d, test_spec_gso_sizes);
	tcase_add_test(d, test_corpus);
	tcase_set_timeout(r, 120);
	tcase_add_test(r, test_random_deterministic);
	tcase_add_test(r, test_random_distribution);
	tcase_set_timeout(z, 120);
	tcase_add_test(z, test_fuzz_seeds);
	tcase_add_test(z, test_fuzz_garbage);
	tcase_add_test(y, test_case_file);
	suite_add_tcase(s, d);
	suite_add_tcase(s, r);
	suite_add_tcase(s, z);
	suite_add_tcase(s, y);
	return s;
}

OFD_TEST_SUITE(tso_cases_suite)
