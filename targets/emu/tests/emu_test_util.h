/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * emu_test_util.h - the frames check_emu.c runs through the emulator and
 * the reference arithmetic its expected bytes come from: plain byte-wise
 * RFC 1071 summation and a bit-at-a-time CRC32c, never through the
 * emulator or harness/packet/csum.c.
 */
#ifndef EMU_TEST_UTIL_H
#define EMU_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_test.h"
#include "emu_internal.h"

/* ------------------------------------------------------------------ */
/* Independent reference arithmetic                                    */
/* ------------------------------------------------------------------ */

/* RFC 1071: 16-bit big-endian words, odd byte padded, wide accumulator. */
static inline uint64_t ref_add(uint64_t acc, const uint8_t *p, uint32_t n,
			       uint32_t skip_from, uint32_t skip_to)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint8_t b = (i >= skip_from && i < skip_to) ? 0 : p[i];

		acc += (i & 1) ? b : (uint32_t)b << 8;
	}
	return acc;
}

static inline uint16_t ref_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* RFC 768/793 (v4) and RFC 8200 8.1 (v6) pseudo-header, summed. */
static inline uint64_t ref_pseudo(const uint8_t *src, const uint8_t *dst,
				  int v6, uint32_t len, uint8_t proto)
{
	uint64_t acc = 0;
	unsigned int alen = v6 ? 16 : 4;

	acc = ref_add(acc, src, alen, 0, 0);
	acc = ref_add(acc, dst, alen, 0, 0);
	acc += (len >> 16) + (len & 0xffff);
	acc += proto;
	return acc;
}

/* Bit-at-a-time CRC32c (reflected 0x82F63B78), complemented result. */
static inline uint32_t ref_crc32c(const uint8_t *p, uint32_t n,
				  uint32_t skip_from, uint32_t skip_to)
{
	uint32_t c = 0xffffffffu, i;
	int k;

	for (i = 0; i < n; i++) {
		c ^= (i >= skip_from && i < skip_to) ? 0 : p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0x82F63B78u & (0u - (c & 1)));
	}
	return ~c;
}

/* ------------------------------------------------------------------ */
/* Frames                                                              */
/* ------------------------------------------------------------------ */

enum frame_kind {
	F_V4_TCP,       /* eth/ipv4/tcp, 7-byte payload */
	F_V6_UDP,       /* eth/ipv6/udp, 5-byte payload */
	F_V6_SRH_TCP,   /* eth/ipv6/srh(2 segments, segleft 1)/tcp */
	F_VXLAN_TCP,    /* eth/ipv4/udp 4789/vxlan/eth/ipv4/tcp */
	F_GRE_TCP,      /* eth/ipv4/gre/ipv4/tcp */
	F_V6_DOPT_UDP,  /* eth/ipv6/dstopts(8)/udp */
	F_V4_SCTP,      /* eth/ipv4/sctp + DATA chunk */
	F_V4_UDP_ZERO,  /* eth/ipv4/udp whose checksum computes to 0 */
	F_V6_UDP_ZERO,  /* eth/ipv6/udp whose checksum computes to 0 */
	F_V6_UDP_1B,    /* eth/ipv6/udp, 1-byte payload */
	F_V6_UDP_4B,    /* eth/ipv6/udp, 4-byte payload */
	F_V6_UDP_1B_TZ, /* 1-byte payload; the sum without it folds to 0 */
	F_V4_TCP_1B,    /* eth/ipv4/tcp, 1-byte payload */
	F_V4_TCP_2B,    /* eth/ipv4/tcp, 2-byte payload */
	F_V4_UDP_PAD,   /* eth/ipv4/udp, 2-byte payload, junk padding to 60 */
};

struct tframe {
	uint8_t b[256];
	uint32_t len;
	/* The L4 whose checksum a conformant device fills (inner for a
	 * tunnel), its IP header and pseudo-header inputs. */
	int v6;
	uint8_t proto;      /* 6, 17, 132 */
	uint32_t l3, l4, field;
	uint32_t plen;      /* pseudo-header length */
	uint32_t src, dst;  /* offsets of saddr and the final destination */
	uint32_t ip6_dst;   /* offset of the IPv6 header's daddr */
	/* Tunnel frames: the outer IPv4 and UDP (VXLAN). */
	uint32_t ol3, ol4;
};

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t v4_a[4] = { 192, 0, 2, 1 };
static const uint8_t v4_b[4] = { 198, 51, 100, 2 };
static const uint8_t v4_c[4] = { 203, 0, 113, 7 };
static const uint8_t v4_d[4] = { 203, 0, 113, 8 };
static const uint8_t v6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
/* SRH: Segment List[0] is the final destination, [1] the next hop. */
static const uint8_t v6_final[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0f,
				      [14] = 0x12, [15] = 0x99 };
static const uint8_t v6_hop[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1,
				    [15] = 0x01 };

static inline void put(struct tframe *f, const void *p, uint32_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static inline void put8(struct tframe *f, uint8_t v)
{
	f->b[f->len++] = v;
}

static inline void put16(struct tframe *f, uint16_t v)
{
	put8(f, (uint8_t)(v >> 8));
	put8(f, (uint8_t)v);
}

static inline void put32(struct tframe *f, uint32_t v)
{
	put16(f, (uint16_t)(v >> 16));
	put16(f, (uint16_t)v);
}

static inline void set16(struct tframe *f, uint32_t off, uint16_t v)
{
	f->b[off] = (uint8_t)(v >> 8);
	f->b[off + 1] = (uint8_t)v;
}

static inline void put_eth(struct tframe *f, uint16_t type)
{
	put(f, mac_b, 6);
	put(f, mac_a, 6);
	put16(f, type);
}

/* RFC 791 header with a correct header checksum; returns its offset. */
static inline uint32_t put_ipv4(struct tframe *f, const uint8_t *src,
				const uint8_t *dst, uint8_t proto,
				uint16_t paylen)
{
	uint32_t o = f->len;

	put8(f, 0x45);
	put8(f, 0);
	put16(f, (uint16_t)(20 + paylen));
	put16(f, 0x1234);
	put16(f, 0x4000);
	put8(f, 64);
	put8(f, proto);
	put16(f, 0);
	put(f, src, 4);
	put(f, dst, 4);
	set16(f, o + 10, (uint16_t)~ref_fold(ref_add(0, f->b + o, 20, 0, 0)));
	return o;
}

static inline uint32_t put_ipv6(struct tframe *f, const uint8_t *src,
				const uint8_t *dst, uint8_t nh, uint16_t paylen)
{
	uint32_t o = f->len;

	put32(f, 0x60000000);
	put16(f, paylen);
	put8(f, nh);
	put8(f, 64);
	put(f, src, 16);
	put(f, dst, 16);
	return o;
}

static inline uint32_t put_tcp(struct tframe *f)
{
	uint32_t o = f->len;

	put16(f, 40000);
	put16(f, 80);
	put32(f, 0x01020304);
	put32(f, 0);
	put8(f, 5 << 4);
	put8(f, 0x18); /* PSH ACK */
	put16(f, 0xffff);
	put16(f, 0);
	put16(f, 0);
	return o;
}

static inline uint32_t put_udp(struct tframe *f, uint16_t sport, uint16_t dport,
			       uint16_t ulen)
{
	uint32_t o = f->len;

	put16(f, sport);
	put16(f, dport);
	put16(f, ulen);
	put16(f, 0);
	return o;
}

static inline void put_payload(struct tframe *f, uint32_t n, uint8_t first)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		put8(f, (uint8_t)(first + 7 * i));
}

/* Record the target L4 of an IPv4 / IPv6 frame. */
static inline void target4(struct tframe *f, uint32_t l3, uint32_t l4,
			   uint8_t proto)
{
	f->v6 = 0;
	f->l3 = l3;
	f->l4 = l4;
	f->proto = proto;
	f->src = l3 + 12;
	f->dst = l3 + 16;
}

static inline void target6(struct tframe *f, uint32_t l3, uint32_t l4,
			   uint8_t proto)
{
	f->v6 = 1;
	f->l3 = l3;
	f->l4 = l4;
	f->proto = proto;
	f->src = l3 + 8;
	f->dst = l3 + 24;
	f->ip6_dst = l3 + 24;
}

static inline uint64_t frame_pseudo(const struct tframe *f)
{
	return ref_pseudo(f->b + f->src, f->b + f->dst, f->v6, f->plen,
			  f->proto);
}

/* Finish a TCP/UDP frame: plen, field and the stack's seed in the field
 * (kernel-tx.md 1: the folded, uncomplemented pseudo-header sum). */
static inline void finish_inet(struct tframe *f)
{
	if (f->proto == 6) {
		f->field = f->l4 + 16;
		f->plen = f->len - f->l4;
	} else {
		f->field = f->l4 + 6;
		f->plen = (uint32_t)(f->b[f->l4 + 4] << 8 | f->b[f->l4 + 5]);
	}
	set16(f, f->field, ref_fold(frame_pseudo(f)));
}

/* The raw (unmapped) checksum over [l4, end) of frame bytes b, with the
 * field read as zero. */
static inline uint16_t raw_csum(const uint8_t *b, uint64_t pseudo, uint32_t l4,
				uint32_t end, uint32_t field)
{
	return (uint16_t)~ref_fold(ref_add(pseudo, b + l4, end - l4,
					   field - l4, field - l4 + 2));
}

/* Make the RFC checksum of a UDP frame 0: choose the 16-bit word at
 * `adj` so the whole sum folds to 0xffff (RFC 1071 ones' complement). */
static inline void craft_zero(struct tframe *f, uint32_t adj, uint32_t end)
{
	uint16_t s;

	set16(f, adj, 0);
	s = ref_fold(ref_add(frame_pseudo(f), f->b + f->l4, end - f->l4,
			     f->field - f->l4, f->field - f->l4 + 2));
	set16(f, adj, (uint16_t)~s);
}

static inline void build(enum frame_kind k, struct tframe *f)
{
	uint32_t l3, l4, o;

	memset(f, 0, sizeof(*f));
	switch (k) {
	case F_V4_TCP:
	case F_V4_TCP_1B:
	case F_V4_TCP_2B: {
		uint16_t n = k == F_V4_TCP ? 7 : k == F_V4_TCP_1B ? 1 : 2;

		put_eth(f, 0x0800);
		l3 = put_ipv4(f, v4_a, v4_b, 6, (uint16_t)(20 + n));
		l4 = put_tcp(f);
		put_payload(f, n, 0x31);
		target4(f, l3, l4, 6);
		break;
	}
	case F_V4_UDP_PAD:
		/* The IP and UDP lengths end before the frame does: the
		 * checksum still covers the padding (kernel-tx.md 2.2, probe
		 * Q1), the pseudo-header still has the UDP length. */
		put_eth(f, 0x0800);
		l3 = put_ipv4(f, v4_a, v4_b, 17, 8 + 2);
		l4 = put_udp(f, 7777, 53, 8 + 2);
		put_payload(f, 2, 0x21);
		while (f->len < 60)
			put8(f, 0xe5);
		target4(f, l3, l4, 17);
		break;
	case F_V6_UDP:
	case F_V6_UDP_1B:
	case F_V6_UDP_4B:
	case F_V6_UDP_ZERO:
	case F_V6_UDP_1B_TZ: {
		uint16_t n = k == F_V6_UDP ? 5 : k == F_V6_UDP_4B ? 4 :
			     k == F_V6_UDP_ZERO ? 6 : 1;

		put_eth(f, 0x86dd);
		l3 = put_ipv6(f, v6_a, v6_b, 17, (uint16_t)(8 + n));
		l4 = put_udp(f, 5353, 5300, (uint16_t)(8 + n));
		put_payload(f, n, 0x5a);
		target6(f, l3, l4, 17);
		break;
	}
	case F_V4_UDP_ZERO:
		put_eth(f, 0x0800);
		l3 = put_ipv4(f, v4_a, v4_b, 17, 8 + 6);
		l4 = put_udp(f, 5353, 53, 8 + 6);
		put_payload(f, 6, 0x10);
		target4(f, l3, l4, 17);
		break;
	case F_V6_SRH_TCP:
		put_eth(f, 0x86dd);
		/* The IPv6 daddr is Segment List[segments left = 1]. */
		l3 = put_ipv6(f, v6_a, v6_hop, 43, 40 + 20 + 10);
		put8(f, 6);     /* next header TCP */
		put8(f, 4);     /* hdr ext len: 2 segments * 2 */
		put8(f, 4);     /* routing type 4: SRH */
		put8(f, 1);     /* segments left */
		put8(f, 1);     /* last entry */
		put8(f, 0);     /* flags */
		put16(f, 0);    /* tag */
		o = f->len;
		put(f, v6_final, 16);
		put(f, v6_hop, 16);
		l4 = put_tcp(f);
		put_payload(f, 10, 0x77);
		target6(f, l3, l4, 6);
		f->dst = o;     /* RFC 8200 8.1 final destination */
		break;
	case F_VXLAN_TCP:
		put_eth(f, 0x0800);
		f->ol3 = put_ipv4(f, v4_c, v4_d, 17, 8 + 8 + 14 + 20 + 20 + 9);
		f->ol4 = put_udp(f, 49152, 4789, 8 + 8 + 14 + 20 + 20 + 9);
		put32(f, 0x08000000); /* VXLAN: I flag */
		put32(f, 0x00002a00); /* VNI 42 */
		put_eth(f, 0x0800);
		l3 = put_ipv4(f, v4_a, v4_b, 6, 20 + 9);
		l4 = put_tcp(f);
		put_payload(f, 9, 0x41);
		target4(f, l3, l4, 6);
		break;
	case F_GRE_TCP:
		put_eth(f, 0x0800);
		f->ol3 = put_ipv4(f, v4_c, v4_d, 47, 4 + 20 + 20 + 4);
		put16(f, 0);
		put16(f, 0x0800);
		l3 = put_ipv4(f, v4_a, v4_b, 6, 20 + 4);
		l4 = put_tcp(f);
		put_payload(f, 4, 0x99);
		target4(f, l3, l4, 6);
		break;
	case F_V6_DOPT_UDP:
		put_eth(f, 0x86dd);
		l3 = put_ipv6(f, v6_a, v6_b, 60, 8 + 8 + 6);
		put8(f, 17);    /* next header UDP */
		put8(f, 0);     /* 8 bytes */
		put8(f, 1);     /* PadN, 4 bytes of padding */
		put8(f, 4);
		put32(f, 0);
		l4 = put_udp(f, 1000, 2000, 8 + 6);
		put_payload(f, 6, 0xc3);
		target6(f, l3, l4, 17);
		break;
	case F_V4_SCTP:
		put_eth(f, 0x0800);
		l3 = put_ipv4(f, v4_a, v4_b, 132, 12 + 20);
		l4 = f->len;
		put16(f, 5000);         /* RFC 9260 common header */
		put16(f, 5001);
		put32(f, 0xa1b2c3d4);   /* verification tag */
		put32(f, 0);            /* checksum: zeroed by the stack */
		put8(f, 0);             /* DATA chunk */
		put8(f, 3);             /* B and E */
		put16(f, 16 + 4);
		put32(f, 1);            /* TSN */
		put16(f, 0);
		put16(f, 0);
		put32(f, 0);            /* PPID */
		put32(f, 0x64617461);   /* "data" */
		target4(f, l3, l4, 132);
		f->field = l4 + 8;
		return;                 /* no seed: CRC32c */
	}
	finish_inet(f);
	if (k == F_V4_UDP_ZERO || k == F_V6_UDP_ZERO) {
		/* The last payload word absorbs the sum; seed it after. */
		craft_zero(f, f->len - 2, f->len);
		finish_inet(f);
	} else if (k == F_V6_UDP_1B_TZ) {
		/* The source port makes [l4, l4 + 8) plus the pseudo-header
		 * fold to 0xffff: zero only without the payload byte. */
		craft_zero(f, f->l4, f->l4 + 8);
		finish_inet(f);
	}
}

/* Profile `name` from specs/profiles (the tests run from the tree's
 * root), or the defaults for NULL. */
static inline void emu_load_profile(const char *name, struct ofdint_emu_profile *p)
{
	char path[256], err[512] = "";

	if (!name) {
		ofdint_emu_profile_init(p);
		return;
	}
	snprintf(path, sizeof(path), "specs/profiles/%s.yaml", name);
	ck_assert_msg(!ofdint_emu_profile_load(path, p, err, sizeof(err)), "%s", err);
}

#endif
