// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * corpus_txcsum.c - the bundled tx-csum corpus (see ofd_corpus_gen.h).
 *
 * The frames are what the kernel's transmit path puts on the wire for
 * CHECKSUM_PARTIAL traffic (kernel-tx.md 2.2 and 8.1, probes Q1, T6, T9):
 * sums to the frame end, 0 -> 0xffff, SRH final destination in the
 * pseudo-header. The matrix is what tx-csum has to get right: every L2/L3/L4
 * combination, payload lengths that put an odd byte or the checksum field
 * last, IPv6 extension headers (where IPV6_CSUM devices must fall back to
 * software), tunnels (outer UDP checksum 0, inner finished), and the edge
 * cases named in bug-catalogue.md.
 *
 * Output is deterministic: fixed addresses and IDs, packet i of a file is
 * stamped i seconds after the epoch, and nothing depends on the host but
 * libpcap's native-endian file header.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_corpus_gen.h"
#include "ofd_pcap.h"
#include "ofd_pktbuild.h"
#include "corpus_gen_internal.h"


/* ---- building blocks --------------------------------------------- */

enum l2 { L2_PLAIN, L2_VLAN, L2_QINQ, L2__N };
enum l3 { L3_V4, L3_V4OPT, L3_V6, L3__N };
enum l4 { L4_TCP, L4_UDP, L4_SCTP, L4__N };

static const char *const l2_names[L2__N] = { "plain", "vlan", "qinq" };
static const char *const l3_names[L3__N] = { "ipv4", "ipv4opt", "ipv6" };
static const char *const l4_names[L4__N] = { "tcp", "udp", "sctp" };

static void build_l2(struct ofd_pktb *b, enum l2 l2)
{
	ofd_pktb_eth(b, NULL, NULL, 0);
	if (l2 == L2_QINQ)
		ofd_pktb_qinq(b, 200, 0);
	if (l2 != L2_PLAIN)
		ofd_pktb_vlan(b, 100, 0);
}

/* IPv4 options: the 8-byte timestamp then NOP NOP NOP EOL (ihl 8). */
static const uint8_t ipv4_opts12[12] = {
	0x44, 0x08, 0x09, 0x00, 0x00, 0x01, 0xe2, 0x40,
	0x01, 0x01, 0x01, 0x00,
};

static void build_l3(struct ofd_pktb *b, enum l3 l3)
{
	struct ofd_pktb_ipv4_opts o4 = { .id = 0x1234 };

	if (l3 == L3_V6) {
		ofd_pktb_ipv6(b, NULL);
		return;
	}
	if (l3 == L3_V4OPT) {
		o4.options = ipv4_opts12;
		o4.options_len = sizeof(ipv4_opts12);
	}
	ofd_pktb_ipv4(b, &o4);
}

static const struct ofd_pktb_tcp_opts tcp_ts = {
	.sport = 1000, .dport = 2000, .seq = 100000, .ack = 1, .flags = 0x18,
	.window = 65535, .options = ofd_pktb_tcp_opt_ts,
	.options_len = sizeof(ofd_pktb_tcp_opt_ts),
};

/* The L4 header and plen payload bytes; returns the L4 layer. */
static int build_l4(struct ofd_pktb *b, enum l4 l4, uint32_t plen,
		    bool tcp_opts)
{
	int i;

	switch (l4) {
	case L4_TCP:
		i = ofd_pktb_tcp(b, tcp_opts ? &tcp_ts : NULL);
		ofd_pktb_payload(b, plen);
		return i;
	case L4_UDP:
		i = ofd_pktb_udp(b, 1000, 2000);
		ofd_pktb_payload(b, plen);
		return i;
	default:
		i = ofd_pktb_sctp(b, 1000, 2000, 0x01020304);
		ofd_pktb_sctp_data(b, 1, 0, 0, 0, plen);
		return i;
	}
}

/* ---- base.pcap --------------------------------------------------- */

static const uint32_t base_payloads[] = { 0, 1, 2, 333, 1460, 9000 };

static int gen_base(struct ofd_gen *g)
{
	unsigned int l2, l3, l4, p;
	int err;

	for (l2 = 0; l2 < L2__N; l2++)
	for (l3 = 0; l3 < L3__N; l3++)
	for (l4 = 0; l4 < L4__N; l4++)
	for (p = 0; p < OFD_ARRAY_SIZE(base_payloads); p++) {
		ofd_gen_start(g, "%s/%s/%s p=%u", l2_names[l2], l3_names[l3],
		      l4_names[l4], base_payloads[p]);
		build_l2(&g->b, l2);
		build_l3(&g->b, l3);
		build_l4(&g->b, l4, base_payloads[p], false);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	return 0;
}

/* ---- ipv6-ext.pcap ----------------------------------------------- */

/* Segment List[0] is the final destination, the IPv6 header's default
 * destination; the others are transit segments. */
static const uint8_t srh_segs[3][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05, [15] = 0x05 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x06, [15] = 0x06 },
};

enum ext_kind { X_HBH, X_DST, X_SRH, X_FRAG };

struct ext {
	uint8_t kind;
	uint8_t a; /* HBH/DST: length in 8-octet units; SRH: segments */
	uint8_t b; /* SRH: segments left */
};

struct ext_chain {
	const char *name;
	uint8_t n;
	struct ext e[4];
};

#define HBH(u) { X_HBH, u, 0 }
#define DST(u) { X_DST, u, 0 }
#define SRH(n, sl) { X_SRH, n, sl }
#define FRAG { X_FRAG, 0, 0 }

static const struct ext_chain ext_chains[] = {
	{ "hbh", 1, { HBH(1) } },
	{ "dstopts", 1, { DST(1) } },
	{ "dstopts24", 1, { DST(3) } },
	{ "srh2-sl0", 1, { SRH(2, 0) } },  /* daddr == segment[0] */
	{ "srh2-sl1", 1, { SRH(2, 1) } },  /* daddr == segment[1] */
	{ "srh3-sl2", 1, { SRH(3, 2) } },
	{ "srh3-sl1", 1, { SRH(3, 1) } },
	{ "hbh-srh3-sl2-dstopts", 3, { HBH(1), SRH(3, 2), DST(1) } },
	{ "hbh-dstopts-srh2-sl1-dstopts", 4,
	  { HBH(2), DST(1), SRH(2, 1), DST(1) } },
	{ "frag", 1, { FRAG } },
	{ "hbh-srh2-sl1-frag-dstopts", 4,
	  { HBH(1), SRH(2, 1), FRAG, DST(1) } },
};

static const uint32_t ext_payloads[] = { 0, 1, 2, 333, 1460 };

static void build_ext(struct ofd_pktb *b, const struct ext_chain *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		const struct ext *e = &c->e[i];

		switch (e->kind) {
		case X_HBH:
			ofd_pktb_hbh(b, 8u * e->a);
			break;
		case X_DST:
			ofd_pktb_dstopts(b, 8u * e->a);
			break;
		case X_SRH:
			ofd_pktb_srh(b, srh_segs, e->a, e->b);
			break;
		default:
			ofd_pktb_frag(b, 0, false, 0x5eed);
			break;
		}
	}
}

static int gen_ipv6_ext(struct ofd_gen *g)
{
	unsigned int c, l4, p;
	int err;

	for (c = 0; c < OFD_ARRAY_SIZE(ext_chains); c++)
	for (l4 = 0; l4 < L4__N; l4++)
	for (p = 0; p < OFD_ARRAY_SIZE(ext_payloads); p++) {
		ofd_gen_start(g, "ipv6/%s/%s p=%u", ext_chains[c].name, l4_names[l4],
		      ext_payloads[p]);
		ofd_pktb_eth(&g->b, NULL, NULL, 0);
		ofd_pktb_ipv6(&g->b, NULL);
		build_ext(&g->b, &ext_chains[c]);
		build_l4(&g->b, l4, ext_payloads[p], true);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	return 0;
}

/* ---- tunnels.pcap ------------------------------------------------ */

enum tun { T_VXLAN, T_GENEVE, T_GRE, T_IPIP, T__N };
static const char *const tun_names[T__N] = { "vxlan", "geneve", "gre",
					     "ipip" };

static const uint8_t out4_src[4] = { 192, 0, 2, 1 };
static const uint8_t out4_dst[4] = { 192, 0, 2, 2 };
static const uint8_t out6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff,
				      [15] = 1 };
static const uint8_t out6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff,
				      [15] = 2 };
static const uint8_t in4_src[4] = { 10, 1, 0, 1 };
static const uint8_t in4_dst[4] = { 10, 1, 0, 2 };
static const uint8_t in6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
				     [15] = 1 };
static const uint8_t in6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
				     [15] = 2 };
static const uint8_t in_mac_dst[6] = { 0x02, 0, 0, 0, 1, 0x02 };
static const uint8_t in_mac_src[6] = { 0x02, 0, 0, 0, 1, 0x01 };

static void build_ip(struct ofd_pktb *b, bool v6, bool inner)
{
	if (v6) {
		struct ofd_pktb_ipv6_opts o = {
			.saddr = inner ? in6_src : out6_src,
			.daddr = inner ? in6_dst : out6_dst,
		};

		ofd_pktb_ipv6(b, &o);
	} else {
		struct ofd_pktb_ipv4_opts o = {
			.saddr = inner ? in4_src : out4_src,
			.daddr = inner ? in4_dst : out4_dst,
			.id = inner ? 0x4321 : 0x1234,
		};

		ofd_pktb_ipv4(b, &o);
	}
}

static const uint32_t tun_payloads[] = { 0, 1, 333, 1460 };

/* GRE header variant per payload index: every outer/inner/L4 combination
 * meets each of them once. */
static const uint16_t gre_variants[] = {
	0,
	OFD_PKTB_GRE_KEY,
	OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY,
	OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY | OFD_PKTB_GRE_SEQ,
};

static int gen_tunnels(struct ofd_gen *g)
{
	unsigned int t, ov6, iv6, l4, p;
	struct ofd_pktb *b = &g->b;
	int err;

	for (t = 0; t < T__N; t++)
	for (ov6 = 0; ov6 < 2; ov6++)
	for (iv6 = 0; iv6 < 2; iv6++)
	for (l4 = L4_TCP; l4 <= L4_UDP; l4++)
	for (p = 0; p < OFD_ARRAY_SIZE(tun_payloads); p++) {
		ofd_gen_start(g, "%s/%s/%s/%s p=%u", ov6 ? "ipv6" : "ipv4",
		      tun_names[t], iv6 ? "ipv6" : "ipv4", l4_names[l4],
		      tun_payloads[p]);
		ofd_pktb_eth(b, NULL, NULL, 0);
		build_ip(b, ov6, false);
		switch (t) {
		case T_VXLAN:
			ofd_pktb_udp(b, 49152, 4789);
			ofd_pktb_vxlan(b, 42);
			ofd_pktb_eth(b, in_mac_dst, in_mac_src, 0);
			break;
		case T_GENEVE:
			ofd_pktb_udp(b, 49152, 6081);
			/* an option TLV when the inner packet is IPv6 */
			ofd_pktb_geneve(b, 42, iv6 ? 8 : 0);
			ofd_pktb_eth(b, in_mac_dst, in_mac_src, 0);
			break;
		case T_GRE:
			ofd_pktb_gre(b, gre_variants[p], 0x0a0b0c0d, 7);
			break;
		default:
			break; /* IP directly in IP */
		}
		build_ip(b, iv6, true);
		build_l4(b, l4, tun_payloads[p], false);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	return 0;
}

/* ---- edge.pcap --------------------------------------------------- */

struct edge_l3 {
	bool v6;
	bool vlan;
	bool srh; /* IPv6 with a 2-segment SRH, segments left 1 */
};

static void build_edge_l3(struct ofd_pktb *b, const struct edge_l3 *e)
{
	ofd_pktb_eth(b, NULL, NULL, 0);
	if (e->vlan)
		ofd_pktb_vlan(b, 100, 0);
	if (!e->v6) {
		ofd_pktb_ipv4(b, NULL);
		return;
	}
	ofd_pktb_ipv6(b, NULL);
	if (e->srh)
		ofd_pktb_srh(b, srh_segs, 2, 1);
}

static const char *edge_l3_name(const struct edge_l3 *e)
{
	if (e->srh)
		return "ipv6/srh2-sl1";
	if (e->vlan)
		return e->v6 ? "vlan/ipv6" : "vlan/ipv4";
	return e->v6 ? "ipv6" : "ipv4";
}

enum edge_l4 { E_TCP, E_UDP, E_ICMP };
static const char *const edge_l4_names[] = { "tcp", "udp", "icmp" };

static int build_edge_l4(struct ofd_pktb *b, enum edge_l4 l4, uint32_t plen)
{
	int i;

	switch (l4) {
	case E_TCP:
		i = ofd_pktb_tcp(b, NULL);
		break;
	case E_UDP:
		i = ofd_pktb_udp(b, 1000, 2000);
		break;
	default:
		i = ofd_pktb_icmp_echo(b, 0x77, 1);
		break;
	}
	ofd_pktb_payload(b, plen);
	return i;
}

/* True checksum 0, which the kernel stores as 0xffff (probe T6): the last
 * two of 32 payload bytes are chosen to make the sum come out so. */
static const struct {
	struct edge_l3 l3;
	enum edge_l4 l4;
} zero_sum_cases[] = {
	{ { .v6 = false }, E_UDP },
	{ { .v6 = true }, E_UDP },
	{ { .v6 = false }, E_TCP },
	{ { .v6 = true }, E_TCP },
	{ { .v6 = true, .srh = true }, E_TCP },
	{ { .v6 = true, .srh = true }, E_UDP },
	{ { .v6 = false, .vlan = true }, E_UDP },
	{ { .v6 = false }, E_ICMP },
	{ { .v6 = true }, E_ICMP },
};

/* Short frames: the checksum field is among the last bytes. */
static const struct {
	struct edge_l3 l3;
	enum edge_l4 l4;
	uint32_t plen;
} short_cases[] = {
	{ { .v6 = true }, E_UDP, 0 },
	{ { .v6 = true }, E_UDP, 1 },
	{ { .v6 = true }, E_UDP, 2 },
	{ { .v6 = false }, E_UDP, 0 },
	{ { .v6 = false }, E_UDP, 1 },
	{ { .v6 = false }, E_UDP, 2 },
	{ { .v6 = false }, E_TCP, 0 },
	{ { .v6 = false }, E_TCP, 1 },
	{ { .v6 = false }, E_TCP, 2 },
	{ { .v6 = false }, E_TCP, 3 },
	{ { .v6 = true }, E_TCP, 0 },
	{ { .v6 = true }, E_TCP, 1 },
	{ { .v6 = true }, E_TCP, 2 },
	{ { .v6 = true }, E_TCP, 3 },
};

/* Padded to the 60-byte Ethernet minimum: the padding lies beyond the IP
 * length and the kernel's sum still covers it (probe Q1). */
static const struct {
	struct edge_l3 l3;
	enum edge_l4 l4;
	uint32_t plen;
} pad_cases[] = {
	{ { .v6 = false }, E_UDP, 0 },
	{ { .v6 = false }, E_UDP, 1 },
	{ { .v6 = false }, E_UDP, 2 },
	{ { .v6 = false }, E_UDP, 17 },
	{ { .v6 = false, .vlan = true }, E_UDP, 0 },
	{ { .v6 = false, .vlan = true }, E_UDP, 3 },
	{ { .v6 = false }, E_TCP, 0 },
	{ { .v6 = false }, E_TCP, 1 },
	{ { .v6 = false }, E_TCP, 5 },
	{ { .v6 = false }, E_ICMP, 0 },
};

/* Non-zero bytes after the IP datagram (probe Q1): in the checksum. */
static const struct {
	struct edge_l3 l3;
	enum edge_l4 l4;
	uint32_t plen;
	uint32_t trailer;
} trailer_cases[] = {
	{ { .v6 = false }, E_UDP, 20, 10 },
	{ { .v6 = false }, E_TCP, 20, 10 },
	{ { .v6 = true }, E_UDP, 5, 7 },
	{ { .v6 = true }, E_TCP, 4, 3 },
};

/* ICMP and ICMPv6 echo requests. */
static const struct {
	struct edge_l3 l3;
	uint32_t plen;
} icmp_cases[] = {
	{ { .v6 = false }, 0 },
	{ { .v6 = false }, 1 },
	{ { .v6 = false }, 56 },
	{ { .v6 = false, .vlan = true }, 56 },
	{ { .v6 = true }, 0 },
	{ { .v6 = true }, 56 },
};

static int gen_edge(struct ofd_gen *g)
{
	static const uint8_t junk[10] = { 0xa5, 0x5a, 0xff, 0x01, 0x80,
					  0x7f, 0xde, 0xad, 0xbe, 0xef };
	struct ofd_pktb *b = &g->b;
	unsigned int i;
	int l4, err;

	for (i = 0; i < OFD_ARRAY_SIZE(zero_sum_cases); i++) {
		ofd_gen_start(g, "zero-sum %s/%s p=32",
		      edge_l3_name(&zero_sum_cases[i].l3),
		      edge_l4_names[zero_sum_cases[i].l4]);
		build_edge_l3(b, &zero_sum_cases[i].l3);
		l4 = build_edge_l4(b, zero_sum_cases[i].l4, 32);
		err = ofd_pktb_zero_sum(b, l4, b->len - 2);
		if (!err)
			err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	for (i = 0; i < OFD_ARRAY_SIZE(short_cases); i++) {
		ofd_gen_start(g, "short %s/%s p=%u", edge_l3_name(&short_cases[i].l3),
		      edge_l4_names[short_cases[i].l4], short_cases[i].plen);
		build_edge_l3(b, &short_cases[i].l3);
		build_edge_l4(b, short_cases[i].l4, short_cases[i].plen);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	for (i = 0; i < OFD_ARRAY_SIZE(pad_cases); i++) {
		ofd_gen_start(g, "pad60 %s/%s p=%u", edge_l3_name(&pad_cases[i].l3),
		      edge_l4_names[pad_cases[i].l4], pad_cases[i].plen);
		build_edge_l3(b, &pad_cases[i].l3);
		build_edge_l4(b, pad_cases[i].l4, pad_cases[i].plen);
		ofd_pktb_pad(b, 60);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	for (i = 0; i < OFD_ARRAY_SIZE(trailer_cases); i++) {
		ofd_gen_start(g, "trailer%u %s/%s p=%u", trailer_cases[i].trailer,
		      edge_l3_name(&trailer_cases[i].l3),
		      edge_l4_names[trailer_cases[i].l4], trailer_cases[i].plen);
		build_edge_l3(b, &trailer_cases[i].l3);
		build_edge_l4(b, trailer_cases[i].l4, trailer_cases[i].plen);
		ofd_pktb_trailer(b, junk, trailer_cases[i].trailer);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	for (i = 0; i < OFD_ARRAY_SIZE(icmp_cases); i++) {
		ofd_gen_start(g, "echo %s/%s p=%u", edge_l3_name(&icmp_cases[i].l3),
		      icmp_cases[i].l3.v6 ? "icmpv6" : "icmp",
		      icmp_cases[i].plen);
		build_edge_l3(b, &icmp_cases[i].l3);
		build_edge_l4(b, E_ICMP, icmp_cases[i].plen);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	return 0;
}

/* ---- srh-final.pcap ---------------------------------------------- */

/*
 * Shapes where a sender and a receiver could read "final destination"
 * differently (RFC 8200 8.1, kernel-tx.md 8.1), settled on the live kernel
 * by its receive-side judge: with segments left 0 the Destination Address
 * is final whatever the routing header lists; with segments left > 0 the
 * header's final address is (SRH Segment List[0], types 0/2 their last
 * address); with several headers the last one with segments left decides.
 * The checksums are the ones finish derives (ofd_pktb_pseudo).
 */
/* R_SRH_DA: the Destination Address is da_other; R_SRH_SEG1: it is
 * Segment List[1] with segments left 0 (the last node cleared segments
 * left but did not rewrite the address). */
enum rh_kind { R_SRH, R_SRH_DA, R_SRH_SEG1, R_T0, R_T2, R_T3 };

struct rh {
	uint8_t kind;  /* enum rh_kind */
	uint8_t n;     /* addresses */
	uint8_t sl;    /* segments left */
};

struct rh_chain {
	const char *name;
	uint8_t n;
	struct rh r[2];
};

/* An address no header lists: a Destination Address some node rewrote. */
static const uint8_t da_other[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xdd,
				      [15] = 0x0d };

static const struct rh_chain rh_chains[] = {
	{ "srh2-sl0-da-other", 1, { { R_SRH_DA, 2, 0 } } },
	{ "srh2-sl0-da-seg1", 1, { { R_SRH_SEG1, 2, 0 } } },
	{ "srh3-sl1-da-other", 1, { { R_SRH_DA, 3, 1 } } },
	{ "rthdr0-2-sl0", 1, { { R_T0, 2, 0 } } },
	{ "rthdr0-2-sl2", 1, { { R_T0, 2, 2 } } },
	{ "rthdr0-2-sl1", 1, { { R_T0, 2, 1 } } },
	{ "rthdr2-sl0", 1, { { R_T2, 1, 0 } } },
	{ "rthdr2-sl1", 1, { { R_T2, 1, 1 } } },
	{ "rthdr3-sl1", 1, { { R_T3, 2, 1 } } },
	{ "srh2-sl0-da-other+srh3-sl2", 2, { { R_SRH_DA, 2, 0 }, { R_SRH, 3, 2 } } },
	{ "srh3-sl2+rthdr0-2-sl0", 2, { { R_SRH, 3, 2 }, { R_T0, 2, 0 } } },
};

static const uint32_t rh_payloads[] = { 0, 1, 333 };

static void build_rh(struct ofd_pktb *b, const struct rh_chain *c)
{
	unsigned int i;

	for (i = 0; i < c->n; i++) {
		const struct rh *r = &c->r[i];

		switch (r->kind) {
		case R_SRH:
			ofd_pktb_srh(b, srh_segs, r->n, r->sl);
			break;
		case R_SRH_DA:
			ofd_pktb_srh_da(b, srh_segs, r->n, r->sl, da_other);
			break;
		case R_SRH_SEG1:
			ofd_pktb_srh_da(b, srh_segs, r->n, r->sl, srh_segs[1]);
			break;
		default:
			ofd_pktb_rthdr(b, r->kind == R_T0 ? 0 : r->kind == R_T2 ? 2 : 3,
				       srh_segs + 1, r->n, r->sl);
			break;
		}
	}
}

static int gen_srh_final(struct ofd_gen *g)
{
	unsigned int c, l4, p;
	int err;

	for (c = 0; c < OFD_ARRAY_SIZE(rh_chains); c++)
	for (l4 = 0; l4 < L4_SCTP; l4++)
	for (p = 0; p < OFD_ARRAY_SIZE(rh_payloads); p++) {
		ofd_gen_start(g, "ipv6/%s/%s p=%u", rh_chains[c].name, l4_names[l4],
		      rh_payloads[p]);
		ofd_pktb_eth(&g->b, NULL, NULL, 0);
		ofd_pktb_ipv6(&g->b, NULL);
		build_rh(&g->b, &rh_chains[c]);
		build_l4(&g->b, l4, rh_payloads[p], false);
		err = ofd_gen_emit(g);
		if (err)
			return err;
	}
	return 0;
}

/* ---- driving ----------------------------------------------------- */

static const ofd_gen_fn gen_fns[OFD_CORPUS_GEN__NFILES] = {
	[OFD_CORPUS_GEN_BASE] = gen_base,
	[OFD_CORPUS_GEN_IPV6_EXT] = gen_ipv6_ext,
	[OFD_CORPUS_GEN_TUNNELS] = gen_tunnels,
	[OFD_CORPUS_GEN_EDGE] = gen_edge,
	[OFD_CORPUS_GEN_SRH_FINAL] = gen_srh_final,
};

int ofd_corpus_gen_foreach(unsigned int file, ofd_corpus_gen_cb cb, void *ctx)
{
	return ofd_gen_run(gen_fns, OFD_CORPUS_GEN__NFILES, file, 9216, "tx-csum", cb, ctx);
}
