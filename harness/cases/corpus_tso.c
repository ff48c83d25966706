// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * corpus_tso.c - the bundled tso corpus: super-packets as a stack (or GRO)
 * hands them to a device that segments, `offdiff corpus gen` writes them
 * as corpus/tso/<name>.pcap.
 *
 *   tso/base.pcap      L2 {plain, 802.1Q, QinQ} x L3 {IPv4, IPv4 with 12
 *                      bytes of options, IPv6} x TCP options {none,
 *                      timestamps, timestamps + SACK} x payload {2, 1000,
 *                      4344, 9000}; then IPv4 and IPv6 with the flag
 *                      combinations segmentation treats apart (FIN and PSH
 *                      on the last segment only, CWR on the first, URG,
 *                      ECE, SYN, RST and AE on all: kernel-tx.md 5.2)
 *   tso/ipv6-ext.pcap  IPv6 extension chains (HBH, DstOpts, SRH segments
 *                      left 0 and > 0, HBH+SRH+DstOpts, atomic fragment,
 *                      HBH+DstOpts+SRH+DstOpts) x {TCP, UDP} x payload
 *                      {1000, 4344}
 *   tso/tunnels.pcap   {VXLAN, VXLAN with outer checksum, GENEVE, GENEVE
 *                      with an option and outer checksum, GRE, GRE with
 *                      key, GRE with checksum and key, IP in IP} x outer
 *                      {IPv4, IPv6} x inner {IPv4, IPv6} x {TCP, UDP},
 *                      3000 bytes of payload
 *   tso/udp.pcap       UDP over {IPv4, IPv4 with options, IPv6, IPv6+HBH}
 *                      x {plain, 802.1Q} x payload {2, 1472, 2944, 8000,
 *                      20000}
 *   tso/edge.pcap      IPv4 ID 0xffff and 0xfffe (with and without DF),
 *                      the probes' frames (T1, T5, Q5 of kernel-tx.md
 *                      10.6), non-zero bytes after the IP datagram, tiny
 *                      payloads padded to 60 bytes, and 64 KB
 *                      super-packets (IPv4, IPv6, UDP, VXLAN)
 *
 * Frames carry the checksums the wire would (like tx-csum's corpus: the
 * sums are finished, tunnel UDP checksums 0 unless said otherwise); the
 * cases layer writes the seeds the stack leaves for the device into its
 * copy (ofd_tso_seed). Packet i of a file is stamped i seconds.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "corpus_gen_internal.h"
#include "ofd_pktbuild.h"
#include "ofd_tso.h"


/* ---- building blocks --------------------------------------------- */

static const char *const l2_names[] = { "plain", "vlan", "qinq" };
static const char *const l3_names[] = { "ipv4", "ipv4opt", "ipv6" };

static const uint8_t ipv4_opts12[12] = {
	0x44, 0x08, 0x09, 0x00, 0x00, 0x01, 0xe2, 0x40, 0x01, 0x01, 0x01, 0x00,
};
static const uint8_t tcp_ts_sack[32] = {
	1, 1, 8, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0,
	1, 1, 5, 18, 0, 1, 0x86, 0xa0, 0, 1, 0x8a, 0x88,
	0, 1, 0x92, 0x58, 0, 1, 0x96, 0x40,
};

static void l2(struct ofd_pktb *b, unsigned int k)
{
	ofd_pktb_eth(b, NULL, NULL, 0);
	if (k == 2)
		ofd_pktb_qinq(b, 200, 0);
	if (k)
		ofd_pktb_vlan(b, 100, 0);
}

/* l3: 0 IPv4, 1 IPv4 with options, 2 IPv6. */
static void l3(struct ofd_pktb *b, unsigned int k, uint16_t id, bool no_df)
{
	struct ofd_pktb_ipv4_opts o = { .id = id, .no_df = no_df };

	if (k == 2) {
		ofd_pktb_ipv6(b, NULL);
		return;
	}
	if (k == 1) {
		o.options = ipv4_opts12;
		o.options_len = sizeof(ipv4_opts12);
	}
	ofd_pktb_ipv4(b, &o);
}

/* TCP as the probes send it (kernel-tx.md 10.6) with options opt (0 none,
 * 1 timestamps, 2 timestamps + SACK) and flags. */
static void tcp(struct ofd_pktb *b, unsigned int opt, uint8_t flags,
		uint16_t urg, uint32_t plen)
{
	struct ofd_pktb_tcp_opts o = {
		.sport = 1000, .dport = 2000, .seq = 100000, .ack = 1,
		.flags = flags, .window = 65535, .urg = urg,
	};

	if (opt == 1) {
		o.options = ofd_pktb_tcp_opt_ts;
		o.options_len = sizeof(ofd_pktb_tcp_opt_ts);
	} else if (opt == 2) {
		o.options = tcp_ts_sack;
		o.options_len = sizeof(tcp_ts_sack);
	}
	ofd_pktb_tcp(b, &o);
	ofd_pktb_payload(b, plen);
}

static void udp(struct ofd_pktb *b, uint32_t plen)
{
	ofd_pktb_udp(b, 1000, 2000);
	ofd_pktb_payload(b, plen);
}

/* ---- base.pcap --------------------------------------------------- */

static const uint32_t base_payloads[] = { 2, 1000, 4344, 9000 };
static const char *const opt_names[] = { "noopt", "ts", "ts-sack" };

static const struct {
	const char *name;
	uint8_t flags;
	bool ae;
} flag_sets[] = {
	{ "ack-psh-fin", 0x19, false }, { "cwr-ack", 0x90, false },
	{ "cwr-ece-ack-psh-fin", 0xd9, false }, { "urg-ack-ece", 0x70, false },
	{ "syn-ack", 0x12, false }, { "rst-ack", 0x14, false },
	{ "ae-cwr-ack", 0x90, true }, { "no-ack", 0x08, false },
};

static int gen_base(struct ofd_gen *g)
{
	unsigned int a, b, o, p, f, v;
	int err;

	for (a = 0; a < 3; a++)
	for (b = 0; b < 3; b++)
	for (o = 0; o < 3; o++)
	for (p = 0; p < OFD_ARRAY_SIZE(base_payloads); p++) {
		ofd_gen_start(g, "%s/%s/tcp-%s p=%u", l2_names[a], l3_names[b],
		      opt_names[o], base_payloads[p]);
		l2(&g->b, a);
		l3(&g->b, b, 0x1234, false);
		tcp(&g->b, o, 0x18, 0, base_payloads[p]);
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	for (v = 0; v < 2; v++)
	for (f = 0; f < OFD_ARRAY_SIZE(flag_sets); f++) {
		int t;

		ofd_gen_start(g, "%s/tcp %s p=2500", v ? "ipv6" : "ipv4", flag_sets[f].name);
		l2(&g->b, 0);
		l3(&g->b, v ? 2 : 0, 0x1234, false);
		t = g->b.nlayers;
		tcp(&g->b, 1, flag_sets[f].flags, flag_sets[f].flags & 0x20 ? 1500 : 0,
		    2500);
		if (flag_sets[f].ae)
			g->b.buf[g->b.layer[t].off + 12] |= 1;
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	return 0;
}

/* ---- ipv6-ext.pcap ----------------------------------------------- */

static const uint8_t segs[3][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05, [15] = 0x05 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x06, [15] = 0x06 },
};

static const char *const chain_names[] = {
	"hbh", "dstopts", "srh2-sl0", "srh3-sl2", "hbh-srh2-sl1-dstopts",
	"frag-atomic", "hbh-dstopts-srh3-sl1-dstopts",
};

static void chain(struct ofd_pktb *b, unsigned int k)
{
	switch (k) {
	case 0:
		ofd_pktb_hbh(b, 8);
		break;
	case 1:
		ofd_pktb_dstopts(b, 24);
		break;
	case 2:
		ofd_pktb_srh(b, segs, 2, 0);
		break;
	case 3:
		ofd_pktb_srh(b, segs, 3, 2);
		break;
	case 4:
		ofd_pktb_hbh(b, 8);
		ofd_pktb_srh(b, segs, 2, 1);
		ofd_pktb_dstopts(b, 8);
		break;
	case 5:
		ofd_pktb_frag(b, 0, false, 0x01020304);
		break;
	default:
		ofd_pktb_hbh(b, 8);
		ofd_pktb_dstopts(b, 8);
		ofd_pktb_srh(b, segs, 3, 1);
		ofd_pktb_dstopts(b, 16);
		break;
	}
}

static int gen_ipv6_ext(struct ofd_gen *g)
{
	static const uint32_t pl[] = { 1000, 4344 };
	unsigned int c, u, p;
	int err;

	for (c = 0; c < OFD_ARRAY_SIZE(chain_names); c++)
	for (u = 0; u < 2; u++)
	for (p = 0; p < OFD_ARRAY_SIZE(pl); p++) {
		ofd_gen_start(g, "ipv6/%s/%s p=%u", chain_names[c], u ? "udp" : "tcp-ts", pl[p]);
		l2(&g->b, 0);
		ofd_pktb_ipv6(&g->b, NULL);
		chain(&g->b, c);
		if (u)
			udp(&g->b, pl[p]);
		else
			tcp(&g->b, 1, 0x18, 0, pl[p]);
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	return 0;
}

/* ---- tunnels.pcap ------------------------------------------------ */

enum { T_VXLAN, T_VXLAN_CSUM, T_GENEVE, T_GENEVE_CSUM, T_GRE, T_GRE_KEY,
       T_GRE_CSUM, T_IPIP, T__N };
static const char *const tun_names[T__N] = {
	"vxlan", "vxlan-csum", "geneve", "geneve-opt-csum", "gre", "gre-key",
	"gre-csum-key", "ipip",
};

/* The tunnel headers after the outer IP (none for IP in IP). */
static void tunnel(struct ofd_pktb *b, unsigned int t)
{
	int u;

	switch (t) {
	case T_VXLAN:
	case T_VXLAN_CSUM:
		u = ofd_pktb_udp(b, 40000, 4789);
		ofd_pktb_vxlan(b, 42);
		if (u >= 0 && t == T_VXLAN_CSUM)
			b->layer[u].csum = OFD_PKTB_CSUM_FULL;
		ofd_pktb_eth(b, NULL, NULL, 0);
		break;
	case T_GENEVE:
	case T_GENEVE_CSUM:
		u = ofd_pktb_udp(b, 40000, 6081);
		ofd_pktb_geneve(b, 42, t == T_GENEVE_CSUM ? 8 : 0);
		if (u >= 0 && t == T_GENEVE_CSUM)
			b->layer[u].csum = OFD_PKTB_CSUM_FULL;
		ofd_pktb_eth(b, NULL, NULL, 0);
		break;
	case T_GRE:
		ofd_pktb_gre(b, 0, 0, 0);
		break;
	case T_GRE_KEY:
		ofd_pktb_gre(b, OFD_PKTB_GRE_KEY, 0x0badcafe, 0);
		break;
	case T_GRE_CSUM:
		ofd_pktb_gre(b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY, 0x0badcafe, 0);
		break;
	default:
		break;
	}
}

static int gen_tunnels(struct ofd_gen *g)
{
	unsigned int t, o, i, u;
	int err;

	for (t = 0; t < T__N; t++)
	for (o = 0; o < 2; o++)
	for (i = 0; i < 2; i++)
	for (u = 0; u < 2; u++) {
		ofd_gen_start(g, "%s/%s/%s/%s p=3000", o ? "ipv6" : "ipv4", tun_names[t],
		      i ? "ipv6" : "ipv4", u ? "udp" : "tcp-ts");
		l2(&g->b, 0);
		l3(&g->b, o ? 2 : 0, 0x0100, false);
		tunnel(&g->b, t);
		l3(&g->b, i ? 2 : 0, 0x0200, false);
		if (u)
			udp(&g->b, 3000);
		else
			tcp(&g->b, 1, 0x18, 0, 3000);
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	return 0;
}

/* ---- udp.pcap ---------------------------------------------------- */

static int gen_udp(struct ofd_gen *g)
{
	static const uint32_t pl[] = { 2, 1472, 2944, 8000, 20000 };
	static const char *const names[] = { "ipv4", "ipv4opt", "ipv6", "ipv6/hbh" };
	unsigned int k, v, p;
	int err;

	for (k = 0; k < 4; k++)
	for (v = 0; v < 2; v++)
	for (p = 0; p < OFD_ARRAY_SIZE(pl); p++) {
		ofd_gen_start(g, "%s/%s/udp p=%u", l2_names[v], names[k], pl[p]);
		l2(&g->b, v);
		l3(&g->b, k < 2 ? k : 2, 0x2000, false);
		if (k == 3)
			ofd_pktb_hbh(&g->b, 8);
		udp(&g->b, pl[p]);
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	return 0;
}

/* ---- edge.pcap --------------------------------------------------- */

static int gen_edge(struct ofd_gen *g)
{
	static const uint8_t trailer[7] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3 };
	static const struct { uint16_t id; bool no_df; bool udp; } ids[] = {
		{ 0xffff, false, false }, { 0xfffe, false, false },
		{ 0xffff, true, false }, { 0xffff, false, true },
	};
	unsigned int k, v;
	int err, i;

	for (k = 0; k < OFD_ARRAY_SIZE(ids); k++) {
		ofd_gen_start(g, "ipv4 id=0x%04x%s/%s p=4000", ids[k].id,
		      ids[k].no_df ? " no-df" : "", ids[k].udp ? "udp" : "tcp");
		l2(&g->b, 0);
		l3(&g->b, 0, ids[k].id, ids[k].no_df);
		if (ids[k].udp)
			udp(&g->b, 4000);
		else
			tcp(&g->b, 0, 0x18, 0, 4000);
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	/* T1: CWR|ACK|PSH|FIN, 2500 bytes; T5: 12 bytes of options and 995
	 * bytes (gso_size = payload is the options trap); Q5. */
	ofd_gen_start(g, "ipv4/tcp probe-T1 p=2500");
	l2(&g->b, 0);
	l3(&g->b, 0, 0x1234, false);
	tcp(&g->b, 0, 0x99, 0, 2500);
	if ((err = ofd_gen_emit(g)))
		return err;
	ofd_gen_start(g, "ipv4/tcp-ts probe-T5 p=995");
	l2(&g->b, 0);
	l3(&g->b, 0, 0x1234, false);
	tcp(&g->b, 1, 0x18, 0, 995);
	if ((err = ofd_gen_emit(g)))
		return err;
	ofd_gen_start(g, "ipv4/tcp probe-Q5 urg-ack-rst-syn-ece p=2500");
	l2(&g->b, 0);
	l3(&g->b, 0, 0x1234, false);
	tcp(&g->b, 0, 0x76, 1500, 2500);
	if ((err = ofd_gen_emit(g)))
		return err;
	/* Bytes after the IP datagram: GSO splits skb->len, so they become
	 * payload (probe Q2). */
	for (v = 0; v < 2; v++)
	for (k = 0; k < 2; k++) {
		ofd_gen_start(g, "%s/%s trailer=7 p=3000", v ? "ipv6" : "ipv4", k ? "udp" : "tcp");
		l2(&g->b, 0);
		l3(&g->b, v ? 2 : 0, 0x1234, false);
		if (k)
			udp(&g->b, 3000);
		else
			tcp(&g->b, 0, 0x18, 0, 3000);
		ofd_pktb_trailer(&g->b, trailer, sizeof(trailer));
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	/* Tiny payloads, padded to the Ethernet minimum as a driver would:
	 * the padding is payload to GSO. */
	for (k = 1; k <= 3; k++)
	for (v = 0; v < 2; v++) {
		ofd_gen_start(g, "ipv4/%s p=%u pad60", v ? "udp" : "tcp", k);
		l2(&g->b, 0);
		l3(&g->b, 0, 0x1234, false);
		if (v)
			udp(&g->b, k);
		else
			tcp(&g->b, 0, 0x18, 0, k);
		ofd_pktb_pad(&g->b, 60);
		if ((err = ofd_gen_emit(g)))
			return err;
	}
	/* 64 KB super-packets: IPv4 tot_len 65535, IPv6 payload length
	 * 65535, UDP length 65507, VXLAN with a full inner packet. */
	ofd_gen_start(g, "ipv4/tcp-ts 64k p=65483");
	l2(&g->b, 0);
	l3(&g->b, 0, 0xfff0, false);
	tcp(&g->b, 1, 0x18, 0, 65535 - 20 - 32);
	if ((err = ofd_gen_emit(g)))
		return err;
	ofd_gen_start(g, "ipv6/tcp-ts 64k p=65503");
	l2(&g->b, 0);
	l3(&g->b, 2, 0, false);
	tcp(&g->b, 1, 0x18, 0, 65535 - 32);
	if ((err = ofd_gen_emit(g)))
		return err;
	ofd_gen_start(g, "ipv4/udp 64k p=65507");
	l2(&g->b, 0);
	l3(&g->b, 0, 0x2000, false);
	udp(&g->b, 65535 - 28);
	if ((err = ofd_gen_emit(g)))
		return err;
	ofd_gen_start(g, "ipv4/vxlan-csum/ipv4/tcp-ts 64k p=65433");
	l2(&g->b, 0);
	l3(&g->b, 0, 0x0100, false);
	tunnel(&g->b, T_VXLAN_CSUM);
	l3(&g->b, 0, 0x0200, false);
	i = (int)(65535 - 20 - 8 - 8 - 14 - 20 - 32);
	tcp(&g->b, 1, 0x18, 0, (uint32_t)i);
	return ofd_gen_emit(g);
}

/* ---- driving ----------------------------------------------------- */

static const ofd_gen_fn gen_fns[OFD_TSO_GEN__NFILES] = {
	[OFD_TSO_GEN_BASE] = gen_base,
	[OFD_TSO_GEN_IPV6_EXT] = gen_ipv6_ext,
	[OFD_TSO_GEN_TUNNELS] = gen_tunnels,
	[OFD_TSO_GEN_UDP] = gen_udp,
	[OFD_TSO_GEN_EDGE] = gen_edge,
};

static int tso_foreach(unsigned int file, ofd_corpus_gen_cb cb, void *ctx)
{
	return ofd_gen_run(gen_fns, OFD_TSO_GEN__NFILES, file, 65535 + 256, "tso", cb, ctx);
}

const struct ofd_corpus_scenario ofd_tso_scenarios[OFD_TSO_GEN__NFILES] = {
	{ "tso/base.pcap", "TCP super-packets: L2 x L3 x TCP options x payload, flag combinations",
	  tso_foreach, OFD_TSO_GEN_BASE },
	{ "tso/ipv6-ext.pcap", "TCP and UDP super-packets behind IPv6 extension headers",
	  tso_foreach, OFD_TSO_GEN_IPV6_EXT },
	{ "tso/tunnels.pcap", "VXLAN, GENEVE, GRE, IP in IP; outer checksums; inner TCP and UDP",
	  tso_foreach, OFD_TSO_GEN_TUNNELS },
	{ "tso/udp.pcap", "UDP super-packets (USO and UFO)", tso_foreach, OFD_TSO_GEN_UDP },
	{ "tso/edge.pcap", "IPv4 ID 0xffff, the probes' frames, trailers, tiny payloads, 64 KB",
	  tso_foreach, OFD_TSO_GEN_EDGE },
};
