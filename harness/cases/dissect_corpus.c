// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect_corpus.c - the bundled dissect corpus: one frame for every
 * header the kernel's C flow dissector walks (kernel-rx.md 5.1) and for
 * each way it stops, and the same frames cut at every offset.
 *
 *   dissect/headers.pcap   every frame of ofd_dissect_frame() below:
 *                          Ethernet types (IPv4, IPv6, 802.1Q, 802.1AD,
 *                          three tags, MPLS UC/MC, PPPoE, ARP, RARP, FCoE,
 *                          PTP, HSR, batman-adv, CFM, unknown), IPv4 with options,
 *                          IHL < 5 and fragments, IPv6 with flow label,
 *                          HBH/Routing/DstOpts and Fragment headers, the
 *                          L4 protocols that have ports (and SPIs) and some
 *                          that do not, GRE v0 (K/C/S, TEB, routing,
 *                          version 2), GRE v1 (PPTP), IP-in-IP, SIT,
 *                          4in6, 6in6, MPLS in IP, VXLAN, GENEVE, and the
 *                          15-header limit (VLAN tags, DstOpts chains)
 *   dissect/truncated.pcap every frame of headers.pcap cut at every
 *                          length from 14 (an Ethernet header) to one byte
 *                          short of the whole frame: every header read
 *                          meets its end of data somewhere (6285 frames)
 *
 * ofd_dissect_frame() is also the random case generator's source of
 * dissector-specific frames (dissect.c).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_dissect_cases.h"
#include "ofd_offload.h"
#include "corpus_gen_internal.h"
#include "ofd_pktbuild.h"

static const uint8_t v4in[4] = { 192, 168, 7, 1 }, v4in2[4] = { 192, 168, 7, 2 };
static const uint8_t v6in[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11 };
static const uint8_t v6in2[16] = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x22 };

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

static int ipv4p(struct ofd_pktb *b, uint8_t proto, const uint8_t *s, const uint8_t *d)
{
	struct ofd_pktb_ipv4_opts o = { .saddr = s, .daddr = d, .id = 7, .proto = proto };

	return ofd_pktb_ipv4(b, &o);
}

static int ipv6p(struct ofd_pktb *b, uint32_t label, uint8_t nh, const uint8_t *s,
		 const uint8_t *d)
{
	struct ofd_pktb_ipv6_opts o = { .saddr = s, .daddr = d, .flowlabel = label,
					.nexthdr = nh };

	return ofd_pktb_ipv6(b, &o);
}

/* An IPv4 layer's fragment field, written over what the builder put. */
static void frag4(struct ofd_pktb *b, int l3, uint16_t frag)
{
	if (l3 >= 0)
		ofd_put_be16(b->buf + b->layer[l3].off + 6, frag);
}

static void bytes(struct ofd_pktb *b, const void *p, uint32_t n)
{
	ofd_pktb_bytes(b, p, n);
}

/* A GRE version 1 (PPTP) header: flags, protocol 0x880b, payload
 * length, call ID, then sequence and ack when flagged, then PPP's
 * address, control and protocol. */
static void pptp(struct ofd_pktb *b, uint16_t fl, uint16_t ppp_proto)
{
	uint8_t h[24];
	uint32_t n = 8;

	ofd_put_be16(h, fl | 1);
	ofd_put_be16(h + 2, 0x880b);
	ofd_put_be16(h + 4, 40);
	ofd_put_be16(h + 6, 0x0abc); /* call ID */
	if (fl & 0x1000) {
		ofd_put_be32(h + n, 5);
		n += 4;
	}
	if (fl & 0x0080) {
		ofd_put_be32(h + n, 4);
		n += 4;
	}
	h[n] = 0xff;
	h[n + 1] = 0x03;
	ofd_put_be16(h + n + 2, ppp_proto);
	bytes(b, h, n + 4);
}

/* A raw GRE header (flags, protocol) for the cases the builder does not
 * make: routing, version 2. */
static void gre_raw(struct ofd_pktb *b, uint16_t fl, uint16_t proto, uint32_t extra)
{
	uint8_t h[16] = { 0 };

	ofd_put_be16(h, fl);
	ofd_put_be16(h + 2, proto);
	bytes(b, h, 4 + extra);
}

static void eth(struct ofd_pktb *b, uint16_t type)
{
	ofd_pktb_eth(b, NULL, NULL, type);
}

/* Raw 802.1Q/802.1AD tag with the next ethertype, for deep stacks. */
static void tag(struct ofd_pktb *b, uint16_t tci, uint16_t next)
{
	uint8_t h[4];

	ofd_put_be16(h, tci);
	ofd_put_be16(h + 2, next);
	bytes(b, h, 4);
}

static void pppoe(struct ofd_pktb *b, uint8_t verc, uint8_t code, const uint8_t *proto,
		  uint32_t plen)
{
	uint8_t h[8] = { verc, code, 0x12, 0x34, 0, 40 };

	memcpy(h + 6, proto, plen);
	bytes(b, h, 6 + plen);
}

/*
 * Frame k of the corpus into b, its description into desc. Returns 0, or
 * -ENOENT past the last one. Every frame starts with an Ethernet header;
 * ports are 1000 -> 2000 unless said otherwise, so a test can tell which
 * header they came from (inner ones 3000 -> 4000).
 */
int ofd_dissect_frame(struct ofd_pktb *b, unsigned int k, char *desc, size_t n)
{
	static const uint8_t mpls_bos[4] = { 0x00, 0x01, 0x41, 0x40 }; /* label 20, S */
	static const uint8_t mpls_two[8] = { 0x00, 0x01, 0x40, 0x40, 0x00, 0x01, 0x51, 0x40 };
	static const uint8_t opt40[40] = { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
					   1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
					   1, 1, 1, 1, 1, 1, 1, 1, 1, 0 };
	struct ofd_pktb_ipv4_opts o4 = { .id = 7 };
	const char *d = NULL;
	unsigned int i;
	int l;

	ofd_pktb_reset(b);
#define F(name) if (k-- == 0 && (d = (name)))
	F("ipv4/tcp") { eth(b, 0); ipv4p(b, 0, NULL, NULL); tcp(b, 1000, 2000); }
	F("ipv4/udp") { eth(b, 0); ipv4p(b, 0, NULL, NULL); udp(b, 1000, 2000); }
	F("ipv4/sctp") { eth(b, 0); ipv4p(b, 0, NULL, NULL);
			 ofd_pktb_sctp(b, 1000, 2000, 9); ofd_pktb_payload(b, 16); }
	F("ipv4/icmp") { eth(b, 0); ipv4p(b, 0, NULL, NULL); ofd_pktb_icmp_echo(b, 1, 2); }
	F("ipv4/esp") { static const uint8_t esp[12] = { 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1 };
			eth(b, 0); ipv4p(b, 50, NULL, NULL); bytes(b, esp, 12); }
	F("ipv4/ah") { static const uint8_t ah[16] = { 6, 2, 0, 0, 0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 1 };
		       eth(b, 0); ipv4p(b, 51, NULL, NULL); bytes(b, ah, 16); }
	F("ipv4/dccp") { static const uint8_t dccp[16] = { 0x03, 0xe8, 0x07, 0xd0, 4 };
			 eth(b, 0); ipv4p(b, 33, NULL, NULL); bytes(b, dccp, 16); }
	F("ipv4/udplite") { static const uint8_t ul[8] = { 0x03, 0xe8, 0x07, 0xd0, 0, 8 };
			    eth(b, 0); ipv4p(b, 136, NULL, NULL); bytes(b, ul, 8); }
	F("ipv4/proto253") { eth(b, 0); ipv4p(b, 253, NULL, NULL); ofd_pktb_payload(b, 8); }
	F("ipv4opt4/tcp") { o4.options = ofd_pktb_ipv4_opt_nop; o4.options_len = 4;
			    eth(b, 0); ofd_pktb_ipv4(b, &o4); tcp(b, 1000, 2000); }
	F("ipv4opt40/udp") { o4.options = opt40; o4.options_len = 40;
			     eth(b, 0); ofd_pktb_ipv4(b, &o4); udp(b, 1000, 2000); }
	F("ipv4-ihl4/tcp") { eth(b, 0); l = ipv4p(b, 0, NULL, NULL); tcp(b, 1000, 2000);
			     b->buf[b->layer[l].off] = 0x44; }
	F("ipv4-ihl15-past-end/tcp") { eth(b, 0); l = ipv4p(b, 0, NULL, NULL);
				       tcp(b, 1000, 2000); b->buf[b->layer[l].off] = 0x4f; }
	F("ipv4-version6/tcp") { eth(b, 0); l = ipv4p(b, 0, NULL, NULL); tcp(b, 1000, 2000);
				 b->buf[b->layer[l].off] = 0x65; }
	F("ipv4-frag-first/tcp") { eth(b, 0); l = ipv4p(b, 0, NULL, NULL); tcp(b, 1000, 2000);
				   frag4(b, l, 0x2000); }
	F("ipv4-frag-middle/tcp") { eth(b, 0); l = ipv4p(b, 6, NULL, NULL);
				    ofd_pktb_payload(b, 24); frag4(b, l, 0x2000 | 185); }
	F("ipv4-frag-last/udp") { eth(b, 0); l = ipv4p(b, 17, NULL, NULL);
				  ofd_pktb_payload(b, 24); frag4(b, l, 370); }
	F("ipv4-frag-first-df/udp") { eth(b, 0); l = ipv4p(b, 0, NULL, NULL); udp(b, 1000, 2000);
				      frag4(b, l, 0x6000); }
	F("ipv6/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL); tcp(b, 1000, 2000); }
	F("ipv6-fl/udp") { eth(b, 0); ipv6p(b, 0xbeeb, 0, NULL, NULL); udp(b, 1000, 2000); }
	F("ipv6-fl/hbh/tcp") { eth(b, 0); ipv6p(b, 0xfffff, 0, NULL, NULL); ofd_pktb_hbh(b, 8);
			       tcp(b, 1000, 2000); }
	F("ipv6/hbh/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL); ofd_pktb_hbh(b, 8);
			    tcp(b, 1000, 2000); }
	F("ipv6/dstopts/udp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL); ofd_pktb_dstopts(b, 24);
				udp(b, 1000, 2000); }
	F("ipv6/srh/tcp") { static const uint8_t segs[2][16] = { { 0x20, 1, 0xd, 0xb8, [15] = 2 },
								 { 0x20, 1, 0xd, 0xb8, [15] = 5 } };
			    eth(b, 0); ipv6p(b, 0, 0, NULL, NULL); ofd_pktb_srh(b, segs, 2, 1);
			    tcp(b, 1000, 2000); }
	F("ipv6/hbh/rthdr0/dstopts/udp") { static const uint8_t a[1][16] = { { 0x20, 1, [15] = 9 } };
					   eth(b, 0); ipv6p(b, 0, 0, NULL, NULL); ofd_pktb_hbh(b, 16);
					   ofd_pktb_rthdr(b, 0, a, 1, 0); ofd_pktb_dstopts(b, 8);
					   udp(b, 1000, 2000); }
	F("ipv6/frag-first/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
				   ofd_pktb_frag(b, 0, true, 77); tcp(b, 1000, 2000); }
	F("ipv6/frag-atomic/udp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
				    ofd_pktb_frag(b, 0, false, 78); udp(b, 1000, 2000); }
	F("ipv6/frag-middle/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
				    ofd_pktb_frag(b, 100, true, 79); ofd_pktb_payload(b, 24);
				    b->buf[b->layer[b->nlayers - 2].off] = 6; }
	F("ipv6-fl/frag-first/udp") { eth(b, 0); ipv6p(b, 0x12345, 0, NULL, NULL);
				      ofd_pktb_frag(b, 0, true, 80); udp(b, 1000, 2000); }
	F("ipv6/hbh/frag-first/dstopts/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
					       ofd_pktb_hbh(b, 8); ofd_pktb_frag(b, 0, true, 81);
					       ofd_pktb_dstopts(b, 8); tcp(b, 1000, 2000); }
	F("ipv6/icmpv6") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL); ofd_pktb_icmp_echo(b, 1, 2); }
	F("ipv6/nonext") { eth(b, 0); ipv6p(b, 0, 59, NULL, NULL); }
	F("vlan/ipv4/tcp") { eth(b, 0); ofd_pktb_vlan(b, 100, 5); ipv4p(b, 0, NULL, NULL);
			     tcp(b, 1000, 2000); }
	F("qinq/ipv6/udp") { eth(b, 0); ofd_pktb_qinq(b, 200, 3); ofd_pktb_vlan(b, 300, 1);
			     ipv6p(b, 0, 0, NULL, NULL); udp(b, 1000, 2000); }
	F("vlan/vlan/vlan/ipv4/tcp") { eth(b, 0x8100); tag(b, 0xe00a, 0x8100);
				       tag(b, 0x000b, 0x8100); tag(b, 0x000c, 0x0800);
				       ipv4p(b, 6, NULL, NULL); tcp(b, 1000, 2000); }
	F("vlan-prio7-vid4095/ipv6/tcp") { eth(b, 0); ofd_pktb_vlan(b, 4095, 7);
					   ipv6p(b, 0, 0, NULL, NULL); tcp(b, 1000, 2000); }
	F("vlan/arp") { static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
			eth(b, 0x8100); tag(b, 42, 0x0806); bytes(b, arp, 28); }
	F("mpls/ipv4/tcp") { eth(b, 0x8847); bytes(b, mpls_bos, 4); ipv4p(b, 6, NULL, NULL);
			     tcp(b, 1000, 2000); }
	F("mpls-mc/mpls/ipv6/udp") { eth(b, 0x8848); bytes(b, mpls_two, 8);
				     ipv6p(b, 0, 17, NULL, NULL); udp(b, 1000, 2000); }
	F("pppoe/ipv4/tcp") { static const uint8_t pp[2] = { 0x00, 0x21 };
			      eth(b, 0x8864); pppoe(b, 0x11, 0, pp, 2); ipv4p(b, 6, NULL, NULL);
			      tcp(b, 1000, 2000); }
	F("pppoe/ipv6/udp") { static const uint8_t pp[2] = { 0x00, 0x57 };
			      eth(b, 0x8864); pppoe(b, 0x11, 0, pp, 2); ipv6p(b, 0, 17, NULL, NULL);
			      udp(b, 1000, 2000); }
	F("pppoe-compressed/ipv4/udp") { static const uint8_t pp[1] = { 0x21 };
					 eth(b, 0x8864); pppoe(b, 0x11, 0, pp, 1);
					 ipv4p(b, 17, NULL, NULL); udp(b, 1000, 2000); }
	F("pppoe/mpls") { static const uint8_t pp[2] = { 0x02, 0x81 };
			  eth(b, 0x8864); pppoe(b, 0x11, 0, pp, 2); bytes(b, mpls_bos, 4); }
	F("pppoe/lcp") { static const uint8_t pp[2] = { 0xc0, 0x21 };
			 eth(b, 0x8864); pppoe(b, 0x11, 0, pp, 2); ofd_pktb_payload(b, 8); }
	F("pppoe/invalid-ppp-proto") { static const uint8_t pp[2] = { 0x00, 0x22 };
				       eth(b, 0x8864); pppoe(b, 0x11, 0, pp, 2);
				       ofd_pktb_payload(b, 8); }
	F("pppoe-version2/ipv4") { static const uint8_t pp[2] = { 0x00, 0x21 };
				   eth(b, 0x8864); pppoe(b, 0x21, 0, pp, 2);
				   ipv4p(b, 6, NULL, NULL); tcp(b, 1000, 2000); }
	F("pppoe-code9/ipv4") { static const uint8_t pp[2] = { 0x00, 0x21 };
				eth(b, 0x8864); pppoe(b, 0x11, 9, pp, 2);
				ipv4p(b, 6, NULL, NULL); tcp(b, 1000, 2000); }
	F("arp") { static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 1 };
		   eth(b, 0x0806); bytes(b, arp, 28); }
	F("rarp") { static const uint8_t arp[28] = { 0, 1, 8, 0, 6, 4, 0, 3 };
		    eth(b, 0x8035); bytes(b, arp, 28); }
	F("fcoe") { eth(b, 0x8906); ofd_pktb_payload(b, 46); }
	F("ptp") { eth(b, 0x88f7); ofd_pktb_payload(b, 44); }
	F("hsr/ipv4/udp") { static const uint8_t t[6] = { 0, 40, 0, 1, 0x08, 0x00 };
			    eth(b, 0x892f); bytes(b, t, 6); ipv4p(b, 17, NULL, NULL);
			    udp(b, 1000, 2000); }
	F("batadv/ipv4/udp") { static const uint8_t bh[10] = { 0x40, 15, 50, 1, 2, 0, 0, 0, 0, 9 };
			       eth(b, 0x4305); bytes(b, bh, 10); eth(b, 0);
			       ipv4p(b, 17, v4in, v4in2); udp(b, 3000, 4000); }
	F("batadv-version14") { static const uint8_t bh[10] = { 0x40, 14, 50, 1, 2 };
				eth(b, 0x4305); bytes(b, bh, 10); eth(b, 0x0800);
				ofd_pktb_payload(b, 30); }
	F("cfm") { eth(b, 0x8902); ofd_pktb_payload(b, 46); }
	F("ethertype-0x1234") { eth(b, 0x1234); ofd_pktb_payload(b, 46); }
	F("ethertype-len-46") { eth(b, 46); ofd_pktb_payload(b, 46); }
	F("ipv4/gre/ipv4/tcp") { eth(b, 0); ipv4p(b, 0, NULL, NULL); ofd_pktb_gre(b, 0, 0, 0);
				 ipv4p(b, 0, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv4/gre-key/ipv6/udp") { eth(b, 0); ipv4p(b, 0, NULL, NULL);
				     ofd_pktb_gre(b, OFD_PKTB_GRE_KEY, 0xdeadbeef, 0);
				     ipv6p(b, 0x777, 0, v6in, v6in2); udp(b, 3000, 4000); }
	F("ipv4/gre-csum-key-seq/ipv4/tcp") { eth(b, 0); ipv4p(b, 0, NULL, NULL);
					      ofd_pktb_gre(b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY |
							   OFD_PKTB_GRE_SEQ, 0x01020304, 9);
					      ipv4p(b, 0, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv4/gre-teb/eth/ipv4/tcp") { eth(b, 0); ipv4p(b, 0, NULL, NULL);
					 ofd_pktb_gre(b, OFD_PKTB_GRE_KEY, 42, 0); eth(b, 0);
					 ipv4p(b, 0, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv6/gre-teb/eth/vlan/ipv6/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
					      ofd_pktb_gre(b, 0, 0, 0); eth(b, 0);
					      ofd_pktb_vlan(b, 77, 2);
					      ipv6p(b, 0, 0, v6in, v6in2); tcp(b, 3000, 4000); }
	F("ipv4/gre-routing") { eth(b, 0); ipv4p(b, 47, NULL, NULL);
				gre_raw(b, 0x4000, 0x0800, 4); ipv4p(b, 6, v4in, v4in2);
				tcp(b, 3000, 4000); }
	F("ipv4/gre-version2") { eth(b, 0); ipv4p(b, 47, NULL, NULL); gre_raw(b, 2, 0x0800, 0);
				 ipv4p(b, 6, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv4/gre-mpls") { eth(b, 0); ipv4p(b, 47, NULL, NULL); gre_raw(b, 0, 0x8847, 0);
			     bytes(b, mpls_bos, 4); ipv4p(b, 6, v4in, v4in2); }
	F("ipv4/pptp/ipv4/tcp") { eth(b, 0); ipv4p(b, 47, NULL, NULL); pptp(b, 0x3000, 0x21);
				  ipv4p(b, 6, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv4/pptp-ack/ipv6/udp") { eth(b, 0); ipv4p(b, 47, NULL, NULL); pptp(b, 0x3080, 0x57);
				      ipv6p(b, 0, 17, v6in, v6in2); udp(b, 3000, 4000); }
	F("ipv4/pptp/lcp") { eth(b, 0); ipv4p(b, 47, NULL, NULL); pptp(b, 0x2000, 0xc021);
			     ofd_pktb_payload(b, 8); }
	F("ipv4/gre-v1-nokey") { eth(b, 0); ipv4p(b, 47, NULL, NULL); pptp(b, 0x1000, 0x21);
				 ipv4p(b, 6, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv4/ipip/tcp") { eth(b, 0); ipv4p(b, 0, NULL, NULL); ipv4p(b, 0, v4in, v4in2);
			     tcp(b, 3000, 4000); }
	F("ipv4/sit/udp") { eth(b, 0); ipv4p(b, 0, NULL, NULL); ipv6p(b, 0x5555, 0, v6in, v6in2);
			    udp(b, 3000, 4000); }
	F("ipv6/ip4ip6/tcp") { eth(b, 0); ipv6p(b, 0x1111, 0, NULL, NULL);
			       ipv4p(b, 0, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv6/ip6ip6/udp") { eth(b, 0); ipv6p(b, 0x2222, 0, NULL, NULL);
			       ipv6p(b, 0, 0, v6in, v6in2); udp(b, 3000, 4000); }
	F("ipv4-frag-first/ipip/tcp") { eth(b, 0); l = ipv4p(b, 0, NULL, NULL);
					ipv4p(b, 0, v4in, v4in2); tcp(b, 3000, 4000);
					frag4(b, l, 0x2000); }
	F("ipv4/ipip-frag-middle") { eth(b, 0); ipv4p(b, 0, NULL, NULL);
				     l = ipv4p(b, 6, v4in, v4in2); ofd_pktb_payload(b, 24);
				     frag4(b, l, 0x2000 | 3); }
	F("ipv4/mpls-in-ip") { eth(b, 0); ipv4p(b, 137, NULL, NULL); bytes(b, mpls_bos, 4);
			       ipv4p(b, 6, v4in, v4in2); }
	F("ipv4/udp/vxlan/eth/ipv4/tcp") { eth(b, 0); ipv4p(b, 0, NULL, NULL);
					   ofd_pktb_udp(b, 1000, 4789); ofd_pktb_vxlan(b, 5);
					   eth(b, 0); ipv4p(b, 0, v4in, v4in2); tcp(b, 3000, 4000); }
	F("ipv6/udp/geneve/eth/ipv6/udp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
					    ofd_pktb_udp(b, 1000, 6081); ofd_pktb_geneve(b, 6, 8);
					    eth(b, 0); ipv6p(b, 0, 0, v6in, v6in2);
					    udp(b, 3000, 4000); }
	F("vlan-x15/ipv4/tcp") { eth(b, 0x8100);
				 for (i = 0; i < 15; i++)
					 tag(b, (uint16_t)(i + 1), i < 14 ? 0x8100 : 0x0800);
				 ipv4p(b, 6, NULL, NULL); tcp(b, 1000, 2000); }
	F("vlan-x16/ipv4/tcp") { eth(b, 0x8100);
				 for (i = 0; i < 16; i++)
					 tag(b, (uint16_t)(i + 1), i < 15 ? 0x8100 : 0x0800);
				 ipv4p(b, 6, NULL, NULL); tcp(b, 1000, 2000); }
	F("ipv6/dstopts-x16/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
				    for (i = 0; i < 16; i++)
					    ofd_pktb_dstopts(b, 8);
				    tcp(b, 1000, 2000); }
	F("ipv6/dstopts-x15/tcp") { eth(b, 0); ipv6p(b, 0, 0, NULL, NULL);
				    for (i = 0; i < 15; i++)
					    ofd_pktb_dstopts(b, 8);
				    tcp(b, 1000, 2000); }
	F("ipv4/ipip-x15/tcp") { eth(b, 0);
				 for (i = 0; i < 16; i++)
					 ipv4p(b, 0, i ? v4in : NULL, i ? v4in2 : NULL);
				 tcp(b, 3000, 4000); }
	F("ipv4/ipip-x16/tcp") { eth(b, 0);
				 for (i = 0; i < 17; i++)
					 ipv4p(b, 0, i ? v4in : NULL, i ? v4in2 : NULL);
				 tcp(b, 3000, 4000); }
#undef F
	if (!d)
		return -ENOENT;
	snprintf(desc, n, "%s", d);
	return 0;
}

unsigned int ofd_dissect_nframes(struct ofd_pktb *b)
{
	static unsigned int n;
	char d[112];

	if (!n)
		while (!ofd_dissect_frame(b, n, d, sizeof(d)))
			n++;
	return n;
}

static int gen_headers(struct ofd_gen *g)
{
	unsigned int k;
	int err;

	for (k = 0;; k++) {
		ofd_gen_start(g, "?");
		if (ofd_dissect_frame(&g->b, k, g->desc, sizeof(g->desc)))
			return 0;
		if ((err = ofd_gen_emit(g)))
			return err;
	}
}

static int gen_truncated(struct ofd_gen *g)
{
	char name[112];
	unsigned int k;
	uint32_t cut, full;
	int err;

	for (k = 0;; k++) {
		ofd_gen_start(g, "?");
		if (ofd_dissect_frame(&g->b, k, name, sizeof(name)))
			return 0;
		if ((err = ofd_pktb_finish(&g->b)))
			return err;
		full = g->b.len;
		for (cut = 14; cut < full; cut++) {
			struct ofd_corpus_gen_frame f = {
				.file = g->file, .index = g->index++, .data = g->b.buf,
				.len = cut,
			};

			snprintf(g->desc, sizeof(g->desc), "%s cut=%u/%u", name, cut, full);
			f.desc = g->desc;
			f.ts_us = (uint64_t)f.index * 1000000u;
			if ((err = g->cb(g->ctx, &f)))
				return err;
		}
	}
}

static const ofd_gen_fn gen_fns[OFD_DISSECT_GEN__NFILES] = {
	[OFD_DISSECT_GEN_HEADERS] = gen_headers,
	[OFD_DISSECT_GEN_TRUNCATED] = gen_truncated,
};

static int dissect_foreach(unsigned int file, ofd_corpus_gen_cb cb, void *ctx)
{
	return ofd_gen_run(gen_fns, OFD_DISSECT_GEN__NFILES, file, 4096, "dissect", cb, ctx);
}

const struct ofd_corpus_scenario ofd_dissect_scenarios[OFD_DISSECT_GEN__NFILES] = {
	{ "dissect/headers.pcap",
	  "every header the flow dissector walks, and each way it stops",
	  dissect_foreach, OFD_DISSECT_GEN_HEADERS },
	{ "dissect/truncated.pcap",
	  "every frame of headers.pcap cut at every offset from 14 bytes on",
	  dissect_foreach, OFD_DISSECT_GEN_TRUNCATED },
};
