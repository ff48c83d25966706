/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_flowdis_frames.h - the flow dissector's frame set, for its suites
 * (flowdis, kernel_flowdis) and `offdiff bench`: one per header the
 * program walks, built byte by byte here from the RFCs' layouts, with
 * what the program must conclude as kernel-rx.md 5.4 describes the
 * reference (bpf_flow.c): verdict, transport offset, protocol, ports.
 * Input flags come with each frame.
 */
#ifndef OFD_FLOWDIS_FRAMES_H
#define OFD_FLOWDIS_FRAMES_H

#include <stdint.h>
#include <string.h>

struct fd_frame {
	uint8_t b[384];
	uint32_t n;
};

static inline void fd_u8(struct fd_frame *f, uint8_t v)
{
	f->b[f->n++] = v;
}

static inline void fd_u16(struct fd_frame *f, uint16_t v)
{
	fd_u8(f, (uint8_t)(v >> 8));
	fd_u8(f, (uint8_t)v);
}

static inline void fd_u32(struct fd_frame *f, uint32_t v)
{
	fd_u16(f, (uint16_t)(v >> 16));
	fd_u16(f, (uint16_t)v);
}

static inline void fd_fill(struct fd_frame *f, uint8_t v, uint32_t n)
{
	memset(f->b + f->n, v, n);
	f->n += n;
}

/* Ethernet: a locally administered unicast pair, then the ethertype. */
static inline void fd_eth(struct fd_frame *f, uint16_t type)
{
	static const uint8_t mac[12] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1 };

	memcpy(f->b + f->n, mac, 12);
	f->n += 12;
	fd_u16(f, type);
}

/* A VLAN tag: TCI, then the ethertype inside it. */
static inline void fd_vlan(struct fd_frame *f, uint16_t tci, uint16_t inner)
{
	fd_u16(f, tci);
	fd_u16(f, inner);
}

/* IPv4, 192.0.2.1 -> 198.51.100.2, IHL @ihl (options as NOPs). */
static inline void fd_ipv4(struct fd_frame *f, uint8_t proto, uint8_t ihl, uint16_t frag)
{
	fd_u8(f, (uint8_t)(0x40 | ihl));
	fd_u8(f, 0);
	fd_u16(f, 100);
	fd_u16(f, 0x1234);
	fd_u16(f, frag);
	fd_u8(f, 64);
	fd_u8(f, proto);
	fd_u16(f, 0);
	fd_u32(f, 0xc0000201);
	fd_u32(f, 0xc6336402);
	if (ihl > 5)
		fd_fill(f, 1, (ihl - 5) * 4u);
}

/* IPv6, 2001:db8::1 -> 2001:db8::2, flow label @label. */
static inline void fd_ipv6(struct fd_frame *f, uint8_t next, uint32_t label)
{
	fd_u32(f, 0x60000000u | (label & 0xfffff));
	fd_u16(f, 64);
	fd_u8(f, next);
	fd_u8(f, 64);
	fd_u32(f, 0x20010db8);
	fd_fill(f, 0, 11);
	fd_u8(f, 1);
	fd_u32(f, 0x20010db8);
	fd_fill(f, 0, 11);
	fd_u8(f, 2);
}

/* Hop-by-Hop / Destination Options / Routing: (1 + @len8) * 8 bytes. */
static inline void fd_ext(struct fd_frame *f, uint8_t next, uint8_t len8)
{
	fd_u8(f, next);
	fd_u8(f, len8);
	fd_fill(f, 0, 6 + 8u * len8);
}

static inline void fd_frag6(struct fd_frame *f, uint8_t next, uint16_t off_m)
{
	fd_u8(f, next);
	fd_u8(f, 0);
	fd_u16(f, off_m);
	fd_u32(f, 0xabcd);
}

static inline void fd_tcp(struct fd_frame *f, uint16_t sport, uint16_t dport, uint8_t doff)
{
	fd_u16(f, sport);
	fd_u16(f, dport);
	fd_u32(f, 1);
	fd_u32(f, 0);
	fd_u8(f, (uint8_t)(doff << 4));
	fd_u8(f, 0x10);
	fd_u16(f, 512);
	fd_u32(f, 0);
	if (doff > 5)
		fd_fill(f, 1, (doff - 5) * 4u);
}

static inline void fd_udp(struct fd_frame *f, uint16_t sport, uint16_t dport)
{
	fd_u16(f, sport);
	fd_u16(f, dport);
	fd_u16(f, 8);
	fd_u16(f, 0);
}

/* GRE: flags word, protocol, then checksum, key, sequence as flagged. */
static inline void fd_gre(struct fd_frame *f, uint16_t flags, uint16_t proto)
{
	fd_u16(f, flags);
	fd_u16(f, proto);
	if (flags & 0x8000)
		fd_u32(f, 0);
	if (flags & 0x2000)
		fd_u32(f, 0x00c0ffee);
	if (flags & 0x1000)
		fd_u32(f, 7);
}

#define FD_OK 0    /* BPF_OK */
#define FD_DROP 2  /* BPF_DROP */
#define FD_F_1ST 1 /* BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG */
#define FD_F_LABEL 2
#define FD_F_ENCAP 4

/* One frame and what the reference program concludes (spec values). */
struct fd_case {
	const char *name;
	uint32_t flags;
	int retval;
	uint16_t nhoff, thoff;
	uint8_t ip_proto;
	uint16_t sport, dport;
	struct fd_frame f;
};

#define FD_MAX_CASES 48

/*
 * The frame set: every header the program walks, each ending and each
 * flag it honours. Offsets: Ethernet 14, a tag 4, IPv4 20 + options,
 * IPv6 40, an extension header (1 + len) * 8, a fragment header 8, GRE
 * 4 + 4 per optional field, the TEB inner Ethernet 14. Returns the count.
 */
static inline unsigned int fd_cases(struct fd_case *c)
{
	unsigned int n = 0;
	struct fd_frame *f;

#define CASE(nm, fl, rv, nh, th, pr, sp, dp)                                   \
	(c[n] = (struct fd_case){ nm, fl, rv, nh, th, pr, sp, dp, { { 0 }, 0 } }, \
	 f = &c[n++].f)
	CASE("ipv4/tcp", 0, FD_OK, 14, 34, 6, 1234, 80);
	fd_eth(f, 0x0800), fd_ipv4(f, 6, 5, 0), fd_tcp(f, 1234, 80, 5);
	CASE("ipv4+options/udp", 0, FD_OK, 14, 42, 17, 53, 5353);
	fd_eth(f, 0x0800), fd_ipv4(f, 17, 7, 0), fd_udp(f, 53, 5353);
	CASE("ipv4/tcp+options", 0, FD_OK, 14, 34, 6, 22, 40000);
	fd_eth(f, 0x0800), fd_ipv4(f, 6, 5, 0x4000), fd_tcp(f, 22, 40000, 8);
	CASE("ipv4/tcp doff 4", 0, FD_DROP, 14, 34, 6, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 6, 5, 0), fd_tcp(f, 1, 2, 4);
	CASE("ipv4/tcp options cut", 0, FD_DROP, 14, 34, 6, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 6, 5, 0), fd_tcp(f, 1, 2, 5), f->b[46] = 0xf0;
	CASE("ipv4 ihl 4", 0, FD_DROP, 14, 14, 0, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 6, 5, 0), fd_tcp(f, 1, 2, 5), f->b[14] = 0x44;
	CASE("ipv4 first fragment", 0, FD_OK, 14, 34, 17, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 17, 5, 0x2000), fd_udp(f, 7, 9);
	CASE("ipv4 first fragment 1st", FD_F_1ST, FD_OK, 14, 34, 17, 7, 9);
	fd_eth(f, 0x0800), fd_ipv4(f, 17, 5, 0x2000), fd_udp(f, 7, 9);
	CASE("ipv4 later fragment", FD_F_1ST, FD_OK, 14, 34, 17, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 17, 5, 0x0064), fd_udp(f, 7, 9);
	CASE("ipv4/icmp", 0, FD_OK, 14, 34, 1, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 1, 5, 0), fd_fill(f, 0, 8);
	CASE("ipv4/sctp", 0, FD_DROP, 14, 34, 132, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 132, 5, 0), fd_udp(f, 2905, 2906), fd_u32(f, 0);
	CASE("ipv4/udplite", 0, FD_OK, 14, 34, 136, 5000, 5001);
	fd_eth(f, 0x0800), fd_ipv4(f, 136, 5, 0), fd_udp(f, 5000, 5001);
	CASE("ipv6/udp label", 0, FD_OK, 14, 54, 17, 4000, 443);
	fd_eth(f, 0x86dd), fd_ipv6(f, 17, 0x12345), fd_udp(f, 4000, 443);
	CASE("ipv6/udp label stop", FD_F_LABEL, FD_OK, 14, 54, 17, 0, 0);
	fd_eth(f, 0x86dd), fd_ipv6(f, 17, 0x12345), fd_udp(f, 4000, 443);
	CASE("ipv6/udp no label stop", FD_F_LABEL, FD_OK, 14, 54, 17, 0, 0);
	fd_eth(f, 0x86dd), fd_ipv6(f, 17, 0), fd_udp(f, 4000, 443);
	CASE("ipv6/hbh/dstopts/tcp", 0, FD_OK, 14, 78, 6, 80, 1024);
	fd_eth(f, 0x86dd), fd_ipv6(f, 0, 0), fd_ext(f, 60, 0), fd_ext(f, 6, 1),
		fd_tcp(f, 80, 1024, 5);
	CASE("ipv6/routing", 0, FD_DROP, 14, 54, 43, 0, 0);
	fd_eth(f, 0x86dd), fd_ipv6(f, 43, 0), fd_ext(f, 6, 2), fd_tcp(f, 1, 2, 5);
	CASE("ipv6 first fragment", 0, FD_OK, 14, 62, 17, 0, 0);
	fd_eth(f, 0x86dd), fd_ipv6(f, 44, 0), fd_frag6(f, 17, 1), fd_udp(f, 1, 2);
	CASE("ipv6 first fragment 1st", FD_F_1ST, FD_OK, 14, 62, 17, 1, 2);
	fd_eth(f, 0x86dd), fd_ipv6(f, 44, 0), fd_frag6(f, 17, 1), fd_udp(f, 1, 2);
	CASE("ipv6 later fragment", FD_F_1ST, FD_OK, 14, 62, 17, 0, 0);
	fd_eth(f, 0x86dd), fd_ipv6(f, 44, 0), fd_frag6(f, 17, 0x0100), fd_udp(f, 1, 2);
	CASE("ipv6/icmpv6", 0, FD_DROP, 14, 54, 58, 0, 0);
	fd_eth(f, 0x86dd), fd_ipv6(f, 58, 0), fd_fill(f, 0, 8);
	CASE("ipv4/gre csum key seq/ipv4/udp", 0, FD_OK, 14, 70, 17, 9, 10);
	fd_eth(f, 0x0800), fd_ipv4(f, 47, 5, 0), fd_gre(f, 0xb000, 0x0800),
		fd_ipv4(f, 17, 5, 0), fd_udp(f, 9, 10);
	CASE("ipv4/gre stop encap", FD_F_ENCAP, FD_OK, 14, 38, 47, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 47, 5, 0), fd_gre(f, 0, 0x0800),
		fd_ipv4(f, 17, 5, 0), fd_udp(f, 9, 10);
	CASE("ipv4/gre teb/ipv6/tcp", 0, FD_OK, 14, 96, 6, 3, 4);
	fd_eth(f, 0x0800), fd_ipv4(f, 47, 5, 0), fd_gre(f, 0x2000, 0x6558),
		fd_eth(f, 0x86dd), fd_ipv6(f, 6, 0), fd_tcp(f, 3, 4, 5);
	CASE("ipv4/gre version 1", 0, FD_OK, 14, 34, 47, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 47, 5, 0), fd_gre(f, 0x3081, 0x880b), fd_fill(f, 0, 8);
	CASE("ipv4/gre unknown proto", 0, FD_DROP, 14, 38, 47, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 47, 5, 0), fd_gre(f, 0, 0x0806), fd_fill(f, 0, 28);
	CASE("ipv4/ipip/tcp", 0, FD_OK, 14, 54, 6, 5, 6);
	fd_eth(f, 0x0800), fd_ipv4(f, 4, 5, 0), fd_ipv4(f, 6, 5, 0), fd_tcp(f, 5, 6, 5);
	CASE("ipv4/ipip stop encap", FD_F_ENCAP, FD_OK, 14, 34, 4, 0, 0);
	fd_eth(f, 0x0800), fd_ipv4(f, 4, 5, 0), fd_ipv4(f, 6, 5, 0), fd_tcp(f, 5, 6, 5);
	CASE("ipv6/ipv6/udp", 0, FD_OK, 14, 94, 17, 11, 12);
	fd_eth(f, 0x86dd), fd_ipv6(f, 41, 0), fd_ipv6(f, 17, 0), fd_udp(f, 11, 12);
	CASE("ipv6/ipv4/udp", 0, FD_OK, 14, 74, 17, 13, 14);
	fd_eth(f, 0x86dd), fd_ipv6(f, 4, 0), fd_ipv4(f, 17, 5, 0), fd_udp(f, 13, 14);
	CASE("vlan/ipv4/udp", 0, FD_OK, 18, 38, 17, 15, 16);
	fd_eth(f, 0x8100), fd_vlan(f, 0x2064, 0x0800), fd_ipv4(f, 17, 5, 0), fd_udp(f, 15, 16);
	CASE("qinq ad+q/ipv6/tcp", 0, FD_OK, 22, 62, 6, 17, 18);
	fd_eth(f, 0x88a8), fd_vlan(f, 10, 0x8100), fd_vlan(f, 20, 0x86dd), fd_ipv6(f, 6, 0),
		fd_tcp(f, 17, 18, 5);
	CASE("q+q", 0, FD_DROP, 18, 18, 0, 0, 0);
	fd_eth(f, 0x8100), fd_vlan(f, 10, 0x8100), fd_vlan(f, 20, 0x0800), fd_ipv4(f, 17, 5, 0);
	CASE("ad+ipv4", 0, FD_DROP, 14, 14, 0, 0, 0);
	fd_eth(f, 0x88a8), fd_vlan(f, 10, 0x0800), fd_ipv4(f, 17, 5, 0), fd_udp(f, 1, 2);
	CASE("mpls", 0, FD_OK, 14, 14, 0, 0, 0);
	fd_eth(f, 0x8847), fd_u32(f, 0x00064140), fd_ipv4(f, 17, 5, 0), fd_udp(f, 1, 2);
	CASE("arp", 0, FD_DROP, 14, 14, 0, 0, 0);
	fd_eth(f, 0x0806), fd_fill(f, 0, 28);
	/* The kernel runs at most 33 tail calls (MAX_TAIL_CALL_CNT): the
	 * reference makes one for IPv6 and one per options header, so 32
	 * headers are dissected and a 33rd is dropped with the keys of the
	 * 32nd (thoff 54 + 32 * 8, its next header 60). */
	CASE("ipv6/32 dstopts/udp", 0, FD_OK, 14, 310, 17, 19, 20);
	fd_eth(f, 0x86dd), fd_ipv6(f, 60, 0);
	for (unsigned int i = 0; i < 32; i++)
		fd_ext(f, i < 31 ? 60 : 17, 0);
	fd_udp(f, 19, 20);
	CASE("ipv6/33 dstopts/udp", 0, FD_DROP, 14, 310, 60, 0, 0);
	fd_eth(f, 0x86dd), fd_ipv6(f, 60, 0);
	for (unsigned int i = 0; i < 33; i++)
		fd_ext(f, i < 32 ? 60 : 17, 0);
	fd_udp(f, 19, 20);
#undef CASE
	return n;
}

#endif /* OFD_FLOWDIS_FRAMES_H */
