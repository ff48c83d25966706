// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rss_corpus.c - the bundled rss corpus, corpus/rss/flows.pcap: the
 * flows whose hash a NIC must get right beside those of the dissect
 * corpus (corpus/dissect/, every header the dissector walks):
 *
 *   - the TCP and UDP flows of Microsoft's RSS verification table (five
 *     IPv4, three IPv6), as whole frames, so a run hashes the vectors
 *     end to end;
 *   - symmetric pairs: each of those flows A->B and B->A;
 *   - fragments of TCP and UDP (first, middle), IPv4 and IPv6, which a
 *     NIC must hash on their 2-tuple (the kernel takes no ports from a
 *     fragment, kernel-rx.md 5.1);
 *   - IPv6 extension headers (HBH, DstOpts, SRH) before TCP and UDP, with
 *     and without a flow label;
 *   - tunnels the dissector walks into (IP-in-IP, GRE, GRE/TEB, SIT,
 *     6in6) and one it does not (VXLAN: plain UDP to it);
 *   - VLAN and QinQ, and ARP (no IP: no hash).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_rss_cases.h"
#include "corpus_gen_internal.h"
#include "ofd_pktbuild.h"

/* Microsoft's verification flows, source first (kernel-rx.md 6). */
static const uint8_t ms4[5][2][4] = {
	{ { 66, 9, 149, 187 }, { 161, 142, 100, 80 } },
	{ { 199, 92, 111, 2 }, { 65, 69, 140, 83 } },
	{ { 24, 19, 198, 95 }, { 12, 22, 207, 184 } },
	{ { 38, 27, 205, 30 }, { 209, 142, 163, 6 } },
	{ { 153, 39, 163, 191 }, { 202, 188, 127, 2 } },
};
static const uint16_t ms4_ports[5][2] = {
	{ 2794, 1766 }, { 14230, 4739 }, { 12898, 38024 }, { 48228, 2217 }, { 44251, 1303 },
};
static const uint8_t ms6[3][2][16] = {
	{ { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, [15] = 7 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, [15] = 1 } },
	{ { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff, 0xfe, 0x40,
	    0xef, 0xab },
	  { 0xff, 0x02, [15] = 1 } },
	{ { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff, 0xfe,
	    0x21, 0x67, 0xcf },
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf } },
};
static const uint16_t ms6_ports[3][2] = { { 2794, 1766 }, { 14230, 4739 }, { 44251, 38024 } };

static const uint8_t in4a[4] = { 192, 168, 7, 1 }, in4b[4] = { 192, 168, 7, 2 };
static const uint8_t in6a[16] = { 0xfd, [15] = 0x11 }, in6b[16] = { 0xfd, [15] = 0x22 };

static void tcp(struct ofd_pktb *b, uint16_t sport, uint16_t dport)
{
	struct ofd_pktb_tcp_opts o = { .sport = sport, .dport = dport, .seq = 1,
				       .ack = 1, .flags = 0x18, .window = 512 };

	ofd_pktb_tcp(b, &o);
	ofd_pktb_payload(b, 16);
}

static void udp(struct ofd_pktb *b, uint16_t sport, uint16_t dport)
{
	ofd_pktb_udp(b, sport, dport);
	ofd_pktb_payload(b, 16);
}

static int ip4(struct ofd_pktb *b, uint8_t proto, const uint8_t *s, const uint8_t *d)
{
	struct ofd_pktb_ipv4_opts o = { .saddr = s, .daddr = d, .id = 9, .proto = proto };

	return ofd_pktb_ipv4(b, &o);
}

static int ip6(struct ofd_pktb *b, uint32_t label, uint8_t nh, const uint8_t *s,
	       const uint8_t *d)
{
	struct ofd_pktb_ipv6_opts o = { .saddr = s, .daddr = d, .flowlabel = label,
					.nexthdr = nh };

	return ofd_pktb_ipv6(b, &o);
}

static void eth(struct ofd_pktb *b)
{
	ofd_pktb_eth(b, NULL, NULL, 0);
}

/* An IPv4 layer's fragment field, written over what the builder put. */
static void frag4(struct ofd_pktb *b, int l3, uint16_t frag)
{
	if (l3 >= 0)
		ofd_put_be16(b->buf + b->layer[l3].off + 6, frag);
}

int ofd_rss_frame(struct ofd_pktb *b, unsigned int k, unsigned int v, char *desc, size_t n)
{
	static const uint8_t segs[2][16] = { { 0x20, 1, 0xd, 0xb8, [15] = 2 },
					     { 0x20, 1, 0xd, 0xb8, [15] = 5 } };
	/* a variant moves the ports, so random cases reach every queue */
	uint16_t p1 = (uint16_t)(1000 + v * 7919), p2 = (uint16_t)(2000 + v * 104729);
	const char *d = NULL;
	unsigned int i;
	int l;

	ofd_pktb_reset(b);
#define F(name) if (k-- == 0 && (d = (name)))
	for (i = 0; i < 5; i++) {
		uint16_t sp = ms4_ports[i][0] + (uint16_t)v, dp = ms4_ports[i][1];

		F("ms-ipv4/tcp") { eth(b); ip4(b, 0, ms4[i][0], ms4[i][1]); tcp(b, sp, dp); }
		F("ms-ipv4/tcp reverse") { eth(b); ip4(b, 0, ms4[i][1], ms4[i][0]);
					   tcp(b, dp, sp); }
		F("ms-ipv4/udp") { eth(b); ip4(b, 0, ms4[i][0], ms4[i][1]); udp(b, sp, dp); }
		F("ms-ipv4/udp reverse") { eth(b); ip4(b, 0, ms4[i][1], ms4[i][0]);
					   udp(b, dp, sp); }
	}
	for (i = 0; i < 3; i++) {
		uint16_t sp = ms6_ports[i][0] + (uint16_t)v, dp = ms6_ports[i][1];

		F("ms-ipv6/tcp") { eth(b); ip6(b, 0, 0, ms6[i][0], ms6[i][1]); tcp(b, sp, dp); }
		F("ms-ipv6/tcp reverse") { eth(b); ip6(b, 0, 0, ms6[i][1], ms6[i][0]);
					   tcp(b, dp, sp); }
		F("ms-ipv6/udp") { eth(b); ip6(b, 0, 0, ms6[i][0], ms6[i][1]); udp(b, sp, dp); }
		F("ms-ipv6/udp reverse") { eth(b); ip6(b, 0, 0, ms6[i][1], ms6[i][0]);
					   udp(b, dp, sp); }
	}
	F("ipv4-frag-first/tcp") { eth(b); l = ip4(b, 0, NULL, NULL); tcp(b, p1, p2);
				   frag4(b, l, 0x2000); }
	F("ipv4-frag-middle/tcp") { eth(b); l = ip4(b, 6, NULL, NULL); ofd_pktb_payload(b, 32);
				    frag4(b, l, 0x2000 | 185); }
	F("ipv4-frag-first/udp") { eth(b); l = ip4(b, 0, NULL, NULL); udp(b, p1, p2);
				   frag4(b, l, 0x2000); }
	F("ipv4-frag-last/udp") { eth(b); l = ip4(b, 17, NULL, NULL); ofd_pktb_payload(b, 32);
				  frag4(b, l, 370); }
	F("ipv6/frag-first/tcp") { eth(b); ip6(b, 0, 0, NULL, NULL); ofd_pktb_frag(b, 0, true, 77);
				   tcp(b, p1, p2); }
	F("ipv6/frag-first/udp") { eth(b); ip6(b, 0, 0, NULL, NULL); ofd_pktb_frag(b, 0, true, 78);
				   udp(b, p1, p2); }
	F("ipv6/frag-middle/tcp") { eth(b); ip6(b, 0, 0, NULL, NULL);
				    ofd_pktb_frag(b, 100, true, 79); ofd_pktb_payload(b, 32);
				    b->buf[b->layer[b->nlayers - 2].off] = 6; }
	F("ipv6/hbh/tcp") { eth(b); ip6(b, 0, 0, NULL, NULL); ofd_pktb_hbh(b, 8); tcp(b, p1, p2); }
	F("ipv6/dstopts/udp") { eth(b); ip6(b, 0, 0, NULL, NULL); ofd_pktb_dstopts(b, 24);
				udp(b, p1, p2); }
	F("ipv6/srh/tcp") { eth(b); ip6(b, 0, 0, NULL, NULL); ofd_pktb_srh(b, segs, 2, 1);
			    tcp(b, p1, p2); }
	F("ipv6-fl/hbh/tcp") { eth(b); ip6(b, 0xabcde, 0, NULL, NULL); ofd_pktb_hbh(b, 8);
			       tcp(b, p1, p2); }
	F("ipv6-fl/tcp") { eth(b); ip6(b, 0x12345, 0, NULL, NULL); tcp(b, p1, p2); }
	F("ipv6-fl/udp") { eth(b); ip6(b, 0xbeeb, 0, NULL, NULL); udp(b, p1, p2); }
	F("ipv4/ipip/tcp") { eth(b); ip4(b, 0, NULL, NULL); ip4(b, 0, in4a, in4b);
			     tcp(b, p1, p2); }
	F("ipv4/gre/ipv4/tcp") { eth(b); ip4(b, 0, NULL, NULL); ofd_pktb_gre(b, 0, 0, 0);
				 ip4(b, 0, in4a, in4b); tcp(b, p1, p2); }
	F("ipv4/gre-key/ipv6/udp") { eth(b); ip4(b, 0, NULL, NULL);
				     ofd_pktb_gre(b, OFD_PKTB_GRE_KEY, 0xdeadbeef, 0);
				     ip6(b, 0, 0, in6a, in6b); udp(b, p1, p2); }
	F("ipv6/gre-teb/eth/ipv4/tcp") { eth(b); ip6(b, 0, 0, NULL, NULL);
					 ofd_pktb_gre(b, 0, 0, 0); eth(b);
					 ip4(b, 0, in4a, in4b); tcp(b, p1, p2); }
	F("ipv4/sit/tcp") { eth(b); ip4(b, 0, NULL, NULL); ip6(b, 0, 0, in6a, in6b);
			    tcp(b, p1, p2); }
	F("ipv6/ip6ip6/udp") { eth(b); ip6(b, 0x2222, 0, NULL, NULL); ip6(b, 0, 0, in6a, in6b);
			       udp(b, p1, p2); }
	F("ipv4/udp/vxlan/eth/ipv4/tcp") { eth(b); ip4(b, 0, NULL, NULL);
					   ofd_pktb_udp(b, p1, 4789); ofd_pktb_vxlan(b, 5);
					   eth(b); ip4(b, 0, in4a, in4b); tcp(b, 3000, 4000); }
	F("vlan/ipv4/tcp") { eth(b); ofd_pktb_vlan(b, 100, 5); ip4(b, 0, NULL, NULL);
			     tcp(b, p1, p2); }
	F("qinq/ipv6/tcp") { eth(b); ofd_pktb_qinq(b, 200, 3); ofd_pktb_vlan(b, 300, 1);
			     ip6(b, 0, 0, NULL, NULL); tcp(b, p1, p2); }
	F("arp") { static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
		   ofd_pktb_eth(b, NULL, NULL, 0x0806); ofd_pktb_bytes(b, arp, 28); }
#undef F
	if (!d)
		return -ENOENT;
	snprintf(desc, n, "%s", d);
	return 0;
}

static int gen_flows(struct ofd_gen *g)
{
	unsigned int k;
	int err;

	for (k = 0;; k++) {
		ofd_gen_start(g, "?");
		if (ofd_rss_frame(&g->b, k, 0, g->desc, sizeof(g->desc)))
			return 0;
		if ((err = ofd_gen_emit(g)))
			return err;
	}
}

static const ofd_gen_fn gen_fns[OFD_RSS_GEN__NFILES] = {
	[OFD_RSS_GEN_FLOWS] = gen_flows,
};

static int rss_foreach(unsigned int file, ofd_corpus_gen_cb cb, void *ctx)
{
	return ofd_gen_run(gen_fns, OFD_RSS_GEN__NFILES, file, 4096, "rss", cb, ctx);
}

const struct ofd_corpus_scenario ofd_rss_scenarios[OFD_RSS_GEN__NFILES] = {
	{ "rss/flows.pcap",
	  "Microsoft's verification flows both ways, fragments, IPv6 extension headers, tunnels, VLAN",
	  rss_foreach, OFD_RSS_GEN_FLOWS },
};
