// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_emu.c - the NIC emulator (targets/emu/emu.c) and its profiles.
 *
 * Frames are built by hand below; every expected checksum is computed here
 * by plain byte-wise RFC 1071 summation and a bit-at-a-time CRC32c, never
 * through the emulator or harness/packet/csum.c.
 *
 * Cases:
 *  crc32c_kat     RFC 3720 B.4 vectors, for ofd_crc32c and our own CRC
 *  tx             one table: frame x profile x request -> expected bytes
 *    conformant   generic (csum_start/offset + seed) and legacy (device
 *                 parses, builds the pseudo-header, ignores the seed) on
 *                 IPv4/TCP, IPv6/UDP, IPv6+SRH(segleft 1)/TCP, VXLAN inner
 *                 TCP, GRE inner TCP, IPv6+DSTOPTS/UDP, SCTP; 0 -> 0xffff on
 *                 crafted zero-sum UDP (v4, v6); no NEEDS_CSUM; rejects
 *    knobs        each knob on a frame that triggers it (and the output
 *                 must differ from the conformant one) and on frames that
 *                 do not; two knobs composed (smsc95xx) on a frame where
 *                 only the combination gives 0x0000
 *  profile_errors unknown knob / bad values / unknown top-level key / name
 *                 mismatch / ..., each with its hand-counted line:col
 *  profile_files  every shipped profile loads; describe fills defaults
 *  open           open() by name and path, info(), -EINVAL + a located
 *                 warning for a bad profile file
 *  misc           non-tx-csum offloads are unsupported
 *  cli            `offdiff profile check|list|show` end to end (when
 *                 $OFFDIFF exists)
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_test.h"
#include "emu_internal.h"

extern const struct ofd_engine_ops ofd_engine_emu;

/* ------------------------------------------------------------------ */
/* Independent reference arithmetic                                    */
/* ------------------------------------------------------------------ */

/* RFC 1071: 16-bit big-endian words, odd byte padded, wide accumulator. */
static uint64_t ref_add(uint64_t acc, const uint8_t *p, uint32_t n,
			uint32_t skip_from, uint32_t skip_to)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		uint8_t b = (i >= skip_from && i < skip_to) ? 0 : p[i];

		acc += (i & 1) ? b : (uint32_t)b << 8;
	}
	return acc;
}

static uint16_t ref_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* RFC 768/793 (v4) and RFC 8200 8.1 (v6) pseudo-header, summed. */
static uint64_t ref_pseudo(const uint8_t *src, const uint8_t *dst, int v6,
			   uint32_t len, uint8_t proto)
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
static uint32_t ref_crc32c(const uint8_t *p, uint32_t n, uint32_t skip_from,
			   uint32_t skip_to)
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
/* CRC32c known answers (RFC 3720 appendix B.4)                        */
/* ------------------------------------------------------------------ */

enum kat_fill { KAT_ZERO, KAT_ONES, KAT_INC, KAT_DEC };

static const struct {
	enum kat_fill fill;
	uint32_t crc;
} crc_kats[] = {
	{ KAT_ZERO, 0x8a9136aa },
	{ KAT_ONES, 0x62a8ab43 },
	{ KAT_INC, 0x46dd794e },
	{ KAT_DEC, 0x113fdb5c },
};

START_TEST(crc32c_kat)
{
	uint8_t buf[32];
	int i;

	for (i = 0; i < 32; i++) {
		switch (crc_kats[_i].fill) {
		case KAT_ZERO: buf[i] = 0; break;
		case KAT_ONES: buf[i] = 0xff; break;
		case KAT_INC: buf[i] = (uint8_t)i; break;
		case KAT_DEC: buf[i] = (uint8_t)(31 - i); break;
		}
	}
	ck_assert_uint_eq(~ofd_crc32c(0xffffffffu, buf, sizeof(buf)),
			  crc_kats[_i].crc);
	ck_assert_uint_eq(ref_crc32c(buf, sizeof(buf), 0, 0), crc_kats[_i].crc);
}
END_TEST

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

static void put(struct tframe *f, const void *p, uint32_t n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static void put8(struct tframe *f, uint8_t v)
{
	f->b[f->len++] = v;
}

static void put16(struct tframe *f, uint16_t v)
{
	put8(f, (uint8_t)(v >> 8));
	put8(f, (uint8_t)v);
}

static void put32(struct tframe *f, uint32_t v)
{
	put16(f, (uint16_t)(v >> 16));
	put16(f, (uint16_t)v);
}

static void set16(struct tframe *f, uint32_t off, uint16_t v)
{
	f->b[off] = (uint8_t)(v >> 8);
	f->b[off + 1] = (uint8_t)v;
}

static void put_eth(struct tframe *f, uint16_t type)
{
	put(f, mac_b, 6);
	put(f, mac_a, 6);
	put16(f, type);
}

/* RFC 791 header with a correct header checksum; returns its offset. */
static uint32_t put_ipv4(struct tframe *f, const uint8_t *src,
			 const uint8_t *dst, uint8_t proto, uint16_t paylen)
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

static uint32_t put_ipv6(struct tframe *f, const uint8_t *src,
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

static uint32_t put_tcp(struct tframe *f)
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

static uint32_t put_udp(struct tframe *f, uint16_t sport, uint16_t dport,
			uint16_t ulen)
{
	uint32_t o = f->len;

	put16(f, sport);
	put16(f, dport);
	put16(f, ulen);
	put16(f, 0);
	return o;
}

static void put_payload(struct tframe *f, uint32_t n, uint8_t first)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		put8(f, (uint8_t)(first + 7 * i));
}

/* Record the target L4 of an IPv4 / IPv6 frame. */
static void target4(struct tframe *f, uint32_t l3, uint32_t l4, uint8_t proto)
{
	f->v6 = 0;
	f->l3 = l3;
	f->l4 = l4;
	f->proto = proto;
	f->src = l3 + 12;
	f->dst = l3 + 16;
}

static void target6(struct tframe *f, uint32_t l3, uint32_t l4, uint8_t proto)
{
	f->v6 = 1;
	f->l3 = l3;
	f->l4 = l4;
	f->proto = proto;
	f->src = l3 + 8;
	f->dst = l3 + 24;
	f->ip6_dst = l3 + 24;
}

static uint64_t frame_pseudo(const struct tframe *f)
{
	return ref_pseudo(f->b + f->src, f->b + f->dst, f->v6, f->plen,
			  f->proto);
}

/* Finish a TCP/UDP frame: plen, field and the stack's seed in the field
 * (kernel-tx.md 1: the folded, uncomplemented pseudo-header sum). */
static void finish_inet(struct tframe *f)
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
static uint16_t raw_csum(const uint8_t *b, uint64_t pseudo, uint32_t l4,
			 uint32_t end, uint32_t field)
{
	return (uint16_t)~ref_fold(ref_add(pseudo, b + l4, end - l4,
					   field - l4, field - l4 + 2));
}

/* Make the RFC checksum of a UDP frame 0: choose the 16-bit word at
 * `adj` so the whole sum folds to 0xffff (RFC 1071 ones' complement). */
static void craft_zero(struct tframe *f, uint32_t adj, uint32_t end)
{
	uint16_t s;

	set16(f, adj, 0);
	s = ref_fold(ref_add(frame_pseudo(f), f->b + f->l4, end - f->l4,
			     f->field - f->l4, f->field - f->l4 + 2));
	set16(f, adj, (uint16_t)~s);
}

static void build(enum frame_kind k, struct tframe *f)
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

/* ------------------------------------------------------------------ */
/* The TX table                                                        */
/* ------------------------------------------------------------------ */

enum expect { X_CSUM, X_CRC, X_UNCHANGED, X_REJECT };

enum variant {
	V_RFC,      /* final destination, whole frame, the L4's own field */
	V_IPV6_DST, /* pseudo-header with the IPv6 header's daddr (#2) */
	V_EXTHDR,   /* L4 taken at IPv6 + 40 (#1) */
	V_TAIL,     /* trailing (len - l4) % 4 bytes left out (#9) */
	V_OUTER,    /* outer UDP over [outer udp, end) (#3-5, or plain UDP) */
};

#define GEN OFD_REQ_VNET
#define LEG OFD_REQ_LEGACY
#define L4T (OFD_LEGACY_IPV4 | OFD_LEGACY_TCP)
#define L4U (OFD_LEGACY_IPV4 | OFD_LEGACY_UDP)
#define L6T (OFD_LEGACY_IPV6 | OFD_LEGACY_TCP)
#define L6U (OFD_LEGACY_IPV6 | OFD_LEGACY_UDP)
#define TUN OFD_LEGACY_TUNNEL

/* Custom vnet fields for reject rows, relative to the frame. */
enum vnet_shape {
	VN_AUTO = 0,    /* NEEDS_CSUM at the target L4 and its field */
	VN_NO_CSUM,     /* flags 0 */
	VN_FIELD_PAST,  /* field's second byte one past the end */
	VN_START_END,   /* csum_start == len */
	VN_CRC_SHORT,   /* CRC32c with csum_start + 12 == len + 1 */
};

struct tx_case {
	const char *name;
	const char *profile;    /* NULL: conformant (no file) */
	enum frame_kind frame;
	uint8_t kind, legacy;
	enum vnet_shape vn;
	uint32_t fill;          /* nonzero: garbage in the field first */
	enum expect x;
	enum variant v;
	uint16_t zero;          /* a computed 0 becomes this */
	bool raw_zero;          /* the variant's raw sum must be 0 */
	bool knob_effect;       /* output must differ from conformant */
};

static const struct tx_case tx_cases[] = {
	/* conformant: both request kinds agree */
	{ .name = "v4 tcp generic", .frame = F_V4_TCP, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },
	{ .name = "v4 tcp legacy", .frame = F_V4_TCP, .kind = LEG,
	  .legacy = L4T, .x = X_CSUM, .zero = 0xffff },
	{ .name = "v4 tcp legacy ignores the seed", .frame = F_V4_TCP,
	  .kind = LEG, .legacy = L4T, .fill = 0xdead, .x = X_CSUM,
	  .zero = 0xffff },
	{ .name = "v6 udp generic", .frame = F_V6_UDP, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },
	{ .name = "v6 udp legacy", .frame = F_V6_UDP, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .zero = 0xffff },
	{ .name = "v6 srh tcp generic", .frame = F_V6_SRH_TCP, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },
	{ .name = "v6 srh tcp legacy: final destination",
	  .frame = F_V6_SRH_TCP, .kind = LEG, .legacy = L6T, .x = X_CSUM,
	  .zero = 0xffff },
	{ .name = "vxlan inner tcp generic", .frame = F_VXLAN_TCP,
	  .kind = GEN, .x = X_CSUM, .zero = 0xffff },
	{ .name = "vxlan inner tcp legacy tunnel", .frame = F_VXLAN_TCP,
	  .kind = LEG, .legacy = L4T | TUN, .x = X_CSUM, .zero = 0xffff },
	{ .name = "vxlan legacy udp, no tunnel: outer udp",
	  .frame = F_VXLAN_TCP, .kind = LEG, .legacy = L4U, .x = X_CSUM,
	  .v = V_OUTER, .zero = 0xffff },
	{ .name = "gre inner tcp generic", .frame = F_GRE_TCP, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },
	{ .name = "gre inner tcp legacy tunnel", .frame = F_GRE_TCP,
	  .kind = LEG, .legacy = L4T | TUN, .x = X_CSUM, .zero = 0xffff },
	{ .name = "v6 dstopts udp generic", .frame = F_V6_DOPT_UDP,
	  .kind = GEN, .x = X_CSUM, .zero = 0xffff },
	{ .name = "v6 dstopts udp legacy", .frame = F_V6_DOPT_UDP,
	  .kind = LEG, .legacy = L6U, .x = X_CSUM, .zero = 0xffff },
	{ .name = "sctp generic crc32c", .frame = F_V4_SCTP, .kind = GEN,
	  .x = X_CRC },
	{ .name = "sctp legacy", .frame = F_V4_SCTP, .kind = LEG,
	  .legacy = OFD_LEGACY_IPV4 | OFD_LEGACY_SCTP, .x = X_CRC },
	{ .name = "sctp legacy ignores the field", .frame = F_V4_SCTP,
	  .kind = LEG, .legacy = OFD_LEGACY_SCTP, .fill = 0xdeadbeef,
	  .x = X_CRC },
	{ .name = "v4 udp zero sum generic -> 0xffff", .frame = F_V4_UDP_ZERO,
	  .kind = GEN, .x = X_CSUM, .zero = 0xffff, .raw_zero = true },
	{ .name = "v4 udp zero sum legacy -> 0xffff", .frame = F_V4_UDP_ZERO,
	  .kind = LEG, .legacy = L4U, .x = X_CSUM, .zero = 0xffff,
	  .raw_zero = true },
	{ .name = "v6 udp zero sum generic -> 0xffff", .frame = F_V6_UDP_ZERO,
	  .kind = GEN, .x = X_CSUM, .zero = 0xffff, .raw_zero = true },
	{ .name = "v6 udp zero sum legacy -> 0xffff", .frame = F_V6_UDP_ZERO,
	  .kind = LEG, .legacy = L6U, .x = X_CSUM, .zero = 0xffff,
	  .raw_zero = true },
	{ .name = "v4 udp padded generic", .frame = F_V4_UDP_PAD, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },
	{ .name = "v4 udp padded legacy: udp length in the pseudo-header",
	  .frame = F_V4_UDP_PAD, .kind = LEG, .legacy = L4U, .x = X_CSUM,
	  .zero = 0xffff },
	{ .name = "no NEEDS_CSUM: unchanged", .frame = F_V4_TCP, .kind = GEN,
	  .vn = VN_NO_CSUM, .x = X_UNCHANGED },
	{ .name = "conformant file == built-in", .profile = "conformant",
	  .frame = F_V6_SRH_TCP, .kind = LEG, .legacy = L6T, .x = X_CSUM,
	  .zero = 0xffff },

	/* device rejects */
	{ .name = "generic field past the frame", .frame = F_V4_TCP,
	  .kind = GEN, .vn = VN_FIELD_PAST, .x = X_REJECT },
	{ .name = "generic csum_start at the end", .frame = F_V4_TCP,
	  .kind = GEN, .vn = VN_START_END, .x = X_REJECT },
	{ .name = "crc32c field past the frame", .frame = F_V4_SCTP,
	  .kind = GEN, .vn = VN_CRC_SHORT, .x = X_REJECT },
	{ .name = "legacy tcp on a udp frame", .frame = F_V6_UDP, .kind = LEG,
	  .legacy = L6T, .x = X_REJECT },
	{ .name = "legacy ipv4 on an ipv6 frame", .frame = F_V6_UDP,
	  .kind = LEG, .legacy = L4U, .x = X_REJECT },
	{ .name = "legacy tunnel tcp on a plain udp frame", .frame = F_V6_UDP,
	  .kind = LEG, .legacy = L6T | TUN, .x = X_REJECT },
	{ .name = "legacy with two L4 bits", .frame = F_V4_TCP, .kind = LEG,
	  .legacy = L4T | OFD_LEGACY_UDP, .x = X_REJECT },
	{ .name = "legacy non-tunnel tcp finds gre first", .frame = F_GRE_TCP,
	  .kind = LEG, .legacy = L4T, .x = X_REJECT },

	/* pseudo_header_daddr: ipv6-destination */
	{ .name = "srv6: srh legacy uses the ipv6 daddr",
	  .profile = "srv6-ipv6-dst", .frame = F_V6_SRH_TCP, .kind = LEG,
	  .legacy = L6T, .x = X_CSUM, .v = V_IPV6_DST, .zero = 0xffff,
	  .knob_effect = true },
	{ .name = "srv6: generic keeps the seed's daddr",
	  .profile = "srv6-ipv6-dst", .frame = F_V6_SRH_TCP, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },
	{ .name = "srv6: no srh, no effect", .profile = "srv6-ipv6-dst",
	  .frame = F_V6_UDP, .kind = LEG, .legacy = L6U, .x = X_CSUM,
	  .zero = 0xffff },

	/* ipv6_extension_headers: ignore */
	{ .name = "exthdr: dstopts legacy writes into the option",
	  .profile = "ipv6-no-exthdr", .frame = F_V6_DOPT_UDP, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .v = V_EXTHDR, .zero = 0xffff,
	  .knob_effect = true },
	{ .name = "exthdr: srh legacy writes into the srh",
	  .profile = "ipv6-no-exthdr", .frame = F_V6_SRH_TCP, .kind = LEG,
	  .legacy = L6T, .x = X_CSUM, .v = V_EXTHDR, .zero = 0xffff,
	  .knob_effect = true },
	{ .name = "exthdr: generic unaffected", .profile = "ipv6-no-exthdr",
	  .frame = F_V6_DOPT_UDP, .kind = GEN, .x = X_CSUM, .zero = 0xffff },
	{ .name = "exthdr: no extension header, no effect",
	  .profile = "ipv6-no-exthdr", .frame = F_V6_UDP, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .zero = 0xffff },

	/* zero_checksum: 0x0000 */
	{ .name = "zero: v4 udp legacy sends 0x0000",
	  .profile = "zero-csum-0000", .frame = F_V4_UDP_ZERO, .kind = LEG,
	  .legacy = L4U, .x = X_CSUM, .zero = 0x0000, .raw_zero = true,
	  .knob_effect = true },
	{ .name = "zero: v6 udp generic sends 0x0000",
	  .profile = "zero-csum-0000", .frame = F_V6_UDP_ZERO, .kind = GEN,
	  .x = X_CSUM, .zero = 0x0000, .raw_zero = true, .knob_effect = true },
	{ .name = "zero: non-zero sum, no effect",
	  .profile = "zero-csum-0000", .frame = F_V4_TCP, .kind = LEG,
	  .legacy = L4T, .x = X_CSUM, .zero = 0xffff },

	/* tail_window: 4 */
	{ .name = "tail: 1-byte udp legacy drops the byte",
	  .profile = "short-tail", .frame = F_V6_UDP_1B, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .v = V_TAIL, .zero = 0xffff,
	  .knob_effect = true },
	{ .name = "tail: 1-byte udp generic drops the byte",
	  .profile = "short-tail", .frame = F_V6_UDP_1B, .kind = GEN,
	  .x = X_CSUM, .v = V_TAIL, .zero = 0xffff, .knob_effect = true },
	{ .name = "tail: 4-byte udp, field outside the window",
	  .profile = "short-tail", .frame = F_V6_UDP_4B, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .zero = 0xffff },
	{ .name = "tail: 1-byte tcp legacy drops the byte",
	  .profile = "short-tail", .frame = F_V4_TCP_1B, .kind = LEG, .legacy = L4T, .x = X_CSUM,
	  .v = V_TAIL, .zero = 0xffff, .knob_effect = true },
	{ .name = "tail: 2-byte tcp, field ends 4 bytes before the end",
	  .profile = "short-tail", .frame = F_V4_TCP_2B, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },
	{ .name = "tail: tcp with 7 bytes, no effect",
	  .profile = "short-tail", .frame = F_V4_TCP, .kind = GEN,
	  .x = X_CSUM, .zero = 0xffff },

	/* tunnel_checksum: outer */
	{ .name = "outer: vxlan tunnel request fills the outer udp",
	  .profile = "tunnel-outer", .frame = F_VXLAN_TCP, .kind = LEG,
	  .legacy = L4T | TUN, .x = X_CSUM, .v = V_OUTER, .zero = 0xffff,
	  .knob_effect = true },
	{ .name = "outer: gre has no outer L4, nothing written",
	  .profile = "tunnel-outer", .frame = F_GRE_TCP, .kind = LEG,
	  .legacy = L4T | TUN, .x = X_UNCHANGED, .knob_effect = true },
	{ .name = "outer: generic unaffected", .profile = "tunnel-outer",
	  .frame = F_VXLAN_TCP, .kind = GEN, .x = X_CSUM, .zero = 0xffff },
	{ .name = "outer: no tunnel bit, no effect",
	  .profile = "tunnel-outer", .frame = F_V4_TCP, .kind = LEG,
	  .legacy = L4T, .x = X_CSUM, .zero = 0xffff },

	/* composition: smsc95xx = zero 0x0000 + tail 4 */
	{ .name = "smsc95xx: truncated zero sum legacy -> 0x0000",
	  .profile = "smsc95xx", .frame = F_V6_UDP_1B_TZ, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .v = V_TAIL, .zero = 0x0000,
	  .raw_zero = true, .knob_effect = true },
	{ .name = "smsc95xx: truncated zero sum generic -> 0x0000",
	  .profile = "smsc95xx", .frame = F_V6_UDP_1B_TZ, .kind = GEN,
	  .x = X_CSUM, .v = V_TAIL, .zero = 0x0000, .raw_zero = true,
	  .knob_effect = true },
	{ .name = "smsc95xx: full zero sum, tail not hit -> 0x0000",
	  .profile = "smsc95xx", .frame = F_V6_UDP_ZERO, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .zero = 0x0000, .raw_zero = true,
	  .knob_effect = true },
	{ .name = "short-tail alone on the same frame -> 0xffff",
	  .profile = "short-tail", .frame = F_V6_UDP_1B_TZ, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .v = V_TAIL, .zero = 0xffff,
	  .raw_zero = true, .knob_effect = true },
	{ .name = "zero-csum-0000 alone on the same frame: correct",
	  .profile = "zero-csum-0000", .frame = F_V6_UDP_1B_TZ, .kind = LEG,
	  .legacy = L6U, .x = X_CSUM, .zero = 0xffff },
	{ .name = "conformant on the same frame: correct",
	  .frame = F_V6_UDP_1B_TZ, .kind = GEN, .x = X_CSUM, .zero = 0xffff },
};

static void fill_field(struct tframe *f, uint32_t v)
{
	if (f->proto == 132) {
		f->b[f->field] = (uint8_t)(v >> 24);
		f->b[f->field + 1] = (uint8_t)(v >> 16);
		f->b[f->field + 2] = (uint8_t)(v >> 8);
		f->b[f->field + 3] = (uint8_t)v;
	} else {
		set16(f, f->field, (uint16_t)v);
	}
}

/* Where the variant writes, and the raw checksum it computes. */
static void variant_csum(const struct tframe *f, enum variant v,
			 uint32_t *pos, uint16_t *raw)
{
	uint32_t l4, off = f->proto == 6 ? 16 : 6, plen;
	uint64_t ps;

	switch (v) {
	case V_RFC:
		*pos = f->field;
		*raw = raw_csum(f->b, frame_pseudo(f), f->l4, f->len, f->field);
		return;
	case V_IPV6_DST:
		*pos = f->field;
		ps = ref_pseudo(f->b + f->src, f->b + f->ip6_dst, 1, f->plen,
				f->proto);
		*raw = raw_csum(f->b, ps, f->l4, f->len, f->field);
		return;
	case V_EXTHDR:
		l4 = f->l3 + 40;
		*pos = l4 + off;
		ps = ref_pseudo(f->b + f->l3 + 8, f->b + f->l3 + 24, 1,
				f->len - l4, f->proto);
		*raw = raw_csum(f->b, ps, l4, f->len, *pos);
		return;
	case V_TAIL:
		*pos = f->field;
		*raw = raw_csum(f->b, frame_pseudo(f), f->l4,
				f->l4 + ((f->len - f->l4) & ~3u), f->field);
		return;
	case V_OUTER:
		*pos = f->ol4 + 6;
		plen = (uint32_t)(f->b[f->ol4 + 4] << 8 | f->b[f->ol4 + 5]);
		ps = ref_pseudo(f->b + f->ol3 + 12, f->b + f->ol3 + 16, 0, plen,
				17);
		*raw = raw_csum(f->b, ps, f->ol4, f->len, *pos);
		return;
	}
	ck_abort_msg("bad variant");
}

/* The expected output bytes of a row (X_CSUM, X_CRC, X_UNCHANGED). */
static void expected_frame(const struct tframe *f, enum expect x,
			   enum variant v, uint16_t zero, uint8_t *out)
{
	uint32_t pos, crc;
	uint16_t raw;

	memcpy(out, f->b, f->len);
	if (x == X_CRC) {
		crc = ref_crc32c(f->b + f->l4, f->len - f->l4, 8, 12);
		out[f->l4 + 8] = (uint8_t)crc;
		out[f->l4 + 9] = (uint8_t)(crc >> 8);
		out[f->l4 + 10] = (uint8_t)(crc >> 16);
		out[f->l4 + 11] = (uint8_t)(crc >> 24);
		return;
	}
	if (x != X_CSUM)
		return;
	variant_csum(f, v, &pos, &raw);
	if (!raw)
		raw = zero;
	out[pos] = (uint8_t)(raw >> 8);
	out[pos + 1] = (uint8_t)raw;
}

static void apply_frame(const struct ofd_frame *fr, uint8_t *out)
{
	uint32_t i;

	memcpy(out, fr->base, fr->len);
	for (i = 0; i < fr->npatches; i++) {
		ck_assert_uint_le(fr->patch[i].off + fr->patch[i].len, fr->len);
		memcpy(out + fr->patch[i].off, fr->patch[i].bytes,
		       fr->patch[i].len);
	}
}

static void make_case(const struct tx_case *tc, const struct tframe *f,
		      struct ofd_pkt *pkt, struct ofd_case *c)
{
	struct ofd_vnet_hdr *h = &c->req.vnet;

	memset(c, 0, sizeof(*c));
	pkt->data = f->b;
	pkt->len = f->len;
	pkt->flags = 0;
	c->id = 1;
	c->offload = OFD_OFFLOAD_TX_CSUM;
	c->npkts = 1;
	c->pkts = pkt;
	c->req.kind = tc->kind;
	c->req.legacy = tc->legacy;
	c->req.csum_type = f->proto == 132 ? OFD_CSUM_CRC32C : OFD_CSUM_INET;
	h->flags = OFD_VNET_F_NEEDS_CSUM;
	h->csum_start = (uint16_t)f->l4;
	h->csum_offset = (uint16_t)(f->field - f->l4);
	switch (tc->vn) {
	case VN_AUTO:
		break;
	case VN_NO_CSUM:
		h->flags = 0;
		break;
	case VN_FIELD_PAST:
		h->csum_offset = (uint16_t)(f->len - 1 - f->l4);
		break;
	case VN_START_END:
		h->csum_start = (uint16_t)f->len;
		h->csum_offset = 0;
		break;
	case VN_CRC_SHORT:
		h->csum_start = (uint16_t)(f->len - 11);
		h->csum_offset = 0;
		break;
	}
}

static struct ofd_result res;

static void run_emu(const char *profile, const struct ofd_case *c)
{
	struct ofd_engine_opts opts = { .profile = profile,
					.profile_dir = OFD_EMU_PROFILE_DIR };
	struct ofd_result *slot = &res;
	void *priv = NULL;

	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ofd_result_reset(&res);
	ck_assert_int_eq(ofd_engine_emu.run(priv, c, &slot, 1), 0);
	ofd_engine_emu.close(priv);
}

START_TEST(tx)
{
	const struct tx_case *tc = &tx_cases[_i];
	uint8_t got[256], want[256], conf[256];
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct tframe f;

	build(tc->frame, &f);
	if (tc->fill)
		fill_field(&f, tc->fill);
	make_case(tc, &f, &pkt, &c);
	run_emu(tc->profile, &c);

	if (tc->x == X_REJECT) {
		ck_assert_msg(res.status == OFD_RES_REJECTED, "%s: status %u",
			      tc->name, res.status);
		ck_assert_uint_eq(res.reason, OFD_REASON_DEVICE);
		ck_assert_uint_eq(res.stage, OFD_STAGE_XMIT);
		ck_assert_uint_eq(res.nframes, 0);
		return;
	}
	ck_assert_msg(res.status == OFD_RES_OK, "%s: status %u (%s)", tc->name,
		      res.status, res.detail ? res.detail : "");
	ck_assert_uint_eq(res.nframes, 1);
	/* No copy: the output is the input plus patches. */
	ck_assert_ptr_eq(res.frame[0].base, f.b);
	ck_assert_uint_eq(res.frame[0].len, f.len);
	if (tc->x == X_UNCHANGED)
		ck_assert_uint_eq(res.frame[0].npatches, 0);

	if (tc->raw_zero) {
		uint32_t pos;
		uint16_t raw;

		variant_csum(&f, tc->v, &pos, &raw);
		ck_assert_msg(raw == 0, "%s: crafted frame sums to %#x", tc->name,
			      raw);
	}
	apply_frame(&res.frame[0], got);
	expected_frame(&f, tc->x, tc->v, tc->zero, want);
	ck_assert_msg(!memcmp(got, want, f.len),
		      "%s: output differs from the expected bytes", tc->name);

	if (tc->x == X_CSUM && tc->v == V_RFC && tc->zero == 0xffff) {
		/* A receiver's check (RFC 1071 4.1): everything, the written
		 * field included, sums to 0xffff. */
		ck_assert_uint_eq(ref_fold(ref_add(frame_pseudo(&f), got + f.l4,
						   f.len - f.l4, 0, 0)),
				  0xffff);
	}
	if (tc->knob_effect) {
		/* The knob must matter here: conformant bytes differ. */
		expected_frame(&f, f.proto == 132 ? X_CRC : X_CSUM, V_RFC,
			       0xffff, conf);
		ck_assert_msg(memcmp(got, conf, f.len),
			      "%s: same bytes as the conformant device", tc->name);
	}
}
END_TEST

/* The seed path and the parse path give the same bytes (both conformant),
 * the property that makes the two request kinds interchangeable. */
static const struct {
	enum frame_kind frame;
	uint8_t legacy;
} pairs[] = {
	{ F_V4_TCP, L4T }, { F_V6_UDP, L6U }, { F_V6_SRH_TCP, L6T },
	{ F_VXLAN_TCP, L4T | TUN }, { F_GRE_TCP, L4T | TUN },
	{ F_V6_DOPT_UDP, L6U }, { F_V4_SCTP, OFD_LEGACY_SCTP },
	{ F_V4_UDP_ZERO, L4U }, { F_V6_UDP_1B, L6U }, { F_V4_UDP_PAD, L4U },
};

START_TEST(generic_equals_legacy)
{
	struct tx_case tc = { .name = "pair" };
	uint8_t a[256], b[256];
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct tframe f;

	build(pairs[_i].frame, &f);
	tc.kind = GEN;
	make_case(&tc, &f, &pkt, &c);
	run_emu(NULL, &c);
	ck_assert_uint_eq(res.status, OFD_RES_OK);
	apply_frame(&res.frame[0], a);

	tc.kind = LEG;
	tc.legacy = pairs[_i].legacy;
	make_case(&tc, &f, &pkt, &c);
	run_emu(NULL, &c);
	ck_assert_uint_eq(res.status, OFD_RES_OK);
	apply_frame(&res.frame[0], b);
	ck_assert(!memcmp(a, b, f.len));
	/* And something was written. */
	ck_assert(memcmp(a, f.b, f.len));
}
END_TEST

START_TEST(unsupported_offload)
{
	struct tx_case tc = { .name = "tso", .kind = GEN };
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct tframe f;

	build(F_V4_TCP, &f);
	make_case(&tc, &f, &pkt, &c);
	c.offload = OFD_OFFLOAD_TSO;
	run_emu(NULL, &c);
	ck_assert_uint_eq(res.status, OFD_RES_UNSUPPORTED);
	ck_assert_uint_eq(res.nframes, 0);
}
END_TEST

START_TEST(engine_ops)
{
	ck_assert_str_eq(ofd_engine_emu.name, "emu");
	ck_assert_uint_eq(ofd_engine_emu.flags, OFD_F_DEVICE);
	ck_assert_uint_eq(ofd_engine_caps(&ofd_engine_emu), OFD_CAP(OFD_OFFLOAD_TX_CSUM));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Profile errors                                                      */
/* ------------------------------------------------------------------ */

static const struct {
	const char *what;
	const char *file;
	const char *text;
	const char *want[3]; /* substrings of the message */
} bad_profiles[] = {
	{ "unknown knob", "specs/profiles/bad.yaml",
	  "name: bad\nknobs:\n  zero_csum: 0x0000\n",
	  { "specs/profiles/bad.yaml:3:3: ", "'zero_csum'", "tail_window" } },
	{ "bad enum value", "specs/profiles/bad.yaml",
	  "name: bad\nknobs:\n  pseudo_header_daddr: ipv6-dst\n",
	  { "bad.yaml:3:24: ", "pseudo_header_daddr", "'ipv6-dst'" } },
	{ "bad zero_checksum", "bad.yaml",
	  "name: bad\nknobs:\n  tail_window: 4\n  zero_checksum: 0x1234\n",
	  { "bad.yaml:4:18: ", "zero_checksum", "0x1234" } },
	{ "bad tail_window", "p/bad.yaml",
	  "name: bad\nknobs: {tail_window: four}\n",
	  { "p/bad.yaml:2:22: ", "tail_window", "four" } },
	{ "knob given a map", "bad.yaml",
	  "name: bad\nknobs:\n  tunnel_checksum: {a: 1}\n",
	  { "bad.yaml:3:20: ", "tunnel_checksum", NULL } },
	{ "unknown top-level key", "specs/profiles/bad.yaml",
	  "name: bad\ndescription: x\nknob:\n  tail_window: 4\n",
	  { "bad.yaml:3:1: ", "'knob'", NULL } },
	{ "name mismatch", "specs/profiles/bad.yaml",
	  "name: other\nknobs: {}\n",
	  { "bad.yaml:1:7: ", "'other'", "'bad'" } },
	{ "missing name", "bad.yaml", "description: no name\n",
	  { "bad.yaml:1:1: ", "name", NULL } },
	{ "catalogue not a list", "bad.yaml", "name: bad\ncatalogue: 2\n",
	  { "bad.yaml:2:12: ", "catalogue", NULL } },
	{ "catalogue entry 0", "bad.yaml", "name: bad\ncatalogue: [2, 0]\n",
	  { "bad.yaml:2:16: ", "catalogue", NULL } },
	{ "multi-line description", "bad.yaml",
	  "name: bad\ndescription: |\n  one\n  two\n",
	  { "bad.yaml:2:14: ", "one line", NULL } },
	{ "knobs not a map", "bad.yaml", "name: bad\nknobs: [tail_window]\n",
	  { "bad.yaml:2:8: ", "knobs", NULL } },
	{ "root not a map", "bad.yaml", "- name\n", { "bad.yaml:1:1: ", NULL } },
};

START_TEST(profile_errors)
{
	struct ofdint_emu_profile p;
	char err[512] = "";
	int i, ret;

	ret = ofdint_emu_profile_parse(bad_profiles[_i].file,
				       bad_profiles[_i].text,
				       strlen(bad_profiles[_i].text), &p, err,
				       sizeof(err));
	ck_assert_msg(ret == -EINVAL, "%s: ret %d", bad_profiles[_i].what, ret);
	ck_assert_msg(!strchr(err, '\n'), "%s: not one line: %s",
		      bad_profiles[_i].what, err);
	for (i = 0; i < 3 && bad_profiles[_i].want[i]; i++)
		ck_assert_msg(strstr(err, bad_profiles[_i].want[i]),
			      "%s: '%s' not in '%s'", bad_profiles[_i].what,
			      bad_profiles[_i].want[i], err);
	/* A failed load leaves the conformant device, not half a profile. */
	ck_assert_str_eq(p.name, "conformant");
	ck_assert_uint_eq(p.set, 0);
}
END_TEST

START_TEST(profile_compose)
{
	static const char text[] =
		"name: two\n"
		"description: two knobs\n"
		"catalogue: [8, 9]\n"
		"knobs:\n"
		"  tail_window: 0x10\n"
		"  zero_checksum: 0\n"
		"  pseudo_header_daddr: final-destination\n";
	struct ofdint_emu_profile p;
	char err[512] = "";

	ck_assert_int_eq(ofdint_emu_profile_parse("x/two.yaml", text,
						  strlen(text), &p, err,
						  sizeof(err)), 0);
	ck_assert_str_eq(p.name, "two");
	ck_assert_str_eq(p.description, "two knobs");
	ck_assert_uint_eq(p.ncatalogue, 2);
	ck_assert_uint_eq(p.catalogue[1], 9);
	ck_assert_uint_eq(p.tail_window, 16);
	ck_assert_uint_eq(p.zero_value, 0);
	ck_assert(!p.use_ipv6_dst && !p.ignore_exthdr && !p.tunnel_outer);
	ck_assert_uint_eq(p.set, (1u << EMU_KNOB_TAIL) | (1u << EMU_KNOB_ZERO) |
				 (1u << EMU_KNOB_DADDR));
}
END_TEST

/* ------------------------------------------------------------------ */
/* Shipped profiles                                                    */
/* ------------------------------------------------------------------ */

static const struct {
	const char *name;
	const char *value[OFD_EMU_NKNOBS]; /* NULL: default */
} shipped[] = {
	{ "conformant", { NULL } },
	{ "srv6-ipv6-dst", { "ipv6-destination" } },
	{ "ipv6-no-exthdr", { NULL, "ignore" } },
	{ "zero-csum-0000", { NULL, NULL, "0x0000" } },
	{ "short-tail", { NULL, NULL, NULL, "4" } },
	{ "tunnel-outer", { NULL, NULL, NULL, NULL, "outer" } },
	{ "smsc95xx", { NULL, NULL, "0x0000", "4" } },
};

static const char *const knob_defaults[OFD_EMU_NKNOBS] = {
	"final-destination", "parse", "0xffff", "0", "inner",
};

START_TEST(profile_files)
{
	struct ofd_emu_profile_desc d;
	char path[256], err[512] = "";
	int k;

	ck_assert_int_eq(ofd_emu_profile_path(shipped[_i].name, NULL, path,
					      sizeof(path)), 0);
	ck_assert_int_eq(ofd_emu_profile_check(path, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_emu_profile_describe(path, &d, err, sizeof(err)), 0);
	ck_assert_str_eq(d.name, shipped[_i].name);
	ck_assert(d.description[0]);
	for (k = 0; k < OFD_EMU_NKNOBS; k++) {
		const char *v = shipped[_i].value[k];

		ck_assert_str_eq(d.knob[k].value, v ? v : knob_defaults[k]);
		ck_assert_int_eq(d.knob[k].is_default, v == NULL);
	}
}
END_TEST

/* Name or path (ofd_emu.h): a '/' or a ".yaml" suffix makes a path. */
static const struct {
	const char *arg, *dir, *want;
	int ret;
} paths[] = {
	{ "srv6-ipv6-dst", NULL, "specs/profiles/srv6-ipv6-dst.yaml", 0 },
	{ "x", "", "specs/profiles/x.yaml", 0 },
	{ "x", "/etc/emu", "/etc/emu/x.yaml", 0 },
	{ "./x", "/etc/emu", "./x", 0 },
	{ "x.yaml", "/etc/emu", "x.yaml", 0 },
	{ "", NULL, NULL, -EINVAL },
	{ "a-name-that-is-far-too-long-for-a-sixty-four-byte-buffer", NULL,
	  NULL, -ENAMETOOLONG },
};

START_TEST(profile_path)
{
	char p[64];

	ck_assert_int_eq(ofd_emu_profile_path(paths[_i].arg, paths[_i].dir, p,
					      sizeof(p)), paths[_i].ret);
	if (paths[_i].want)
		ck_assert_str_eq(p, paths[_i].want);
}
END_TEST

/* ------------------------------------------------------------------ */
/* open() / info()                                                     */
/* ------------------------------------------------------------------ */

static char warned[1024];

static void capture_print(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	size_t n = strlen(warned);

	if (lvl == OFD_WARN && n < sizeof(warned))
		vsnprintf(warned + n, sizeof(warned) - n, fmt, ap);
}

START_TEST(open_by_name_and_path)
{
	struct ofd_engine_opts opts = { .profile = "short-tail" };
	struct ofd_engine_info info;
	void *priv = NULL;

	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ofd_engine_emu.info(priv, &info);
	ck_assert_str_eq(info.name, "emu");
	ck_assert_str_eq(info.version, "offdiff-emu 1");
	ck_assert_str_eq(info.profile, "short-tail");
	ofd_engine_emu.close(priv);

	opts.profile = "specs/profiles/tunnel-outer.yaml";
	opts.profile_dir = "/nonexistent";
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ofd_engine_emu.info(priv, &info);
	ck_assert_str_eq(info.profile, "tunnel-outer");
	ofd_engine_emu.close(priv);

	opts.profile = NULL;
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ofd_engine_emu.info(priv, &info);
	ck_assert_str_eq(info.profile, "conformant");
	ofd_engine_emu.close(priv);
}
END_TEST

/* Write text as <tmpdir>/<name>.yaml; returns the path in path. */
static void write_tmp_profile(const char *name, const char *text, char *dir,
			      size_t dir_len, char *path, size_t path_len)
{
	FILE *fp;

	snprintf(dir, dir_len, "/tmp/check_emu.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, path_len, "%s/%s.yaml", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static void remove_tmp_profile(const char *dir, const char *path)
{
	unlink(path);
	rmdir(dir);
}

START_TEST(open_bad_profile)
{
	struct ofd_engine_opts opts = { 0 };
	char dir[64], path[128];
	ofd_print_fn old;
	void *priv = NULL;

	write_tmp_profile("broken", "name: broken\nknobs:\n  tail_windw: 4\n",
			  dir, sizeof(dir), path, sizeof(path));
	old = ofd_set_print(capture_print);
	warned[0] = '\0';
	opts.profile = "broken";
	opts.profile_dir = dir;
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), -EINVAL);
	ck_assert_msg(strstr(warned, "broken.yaml:3:3: ") &&
		      strstr(warned, "tail_windw"), "warning: %s", warned);
	/* One line. */
	ck_assert_ptr_eq(strchr(warned, '\n'), warned + strlen(warned) - 1);

	warned[0] = '\0';
	opts.profile = "no-such-profile";
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), -EINVAL);
	ck_assert_msg(strstr(warned, "no-such-profile"), "warning: %s", warned);
	ofd_set_print(old);
	remove_tmp_profile(dir, path);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The CLI, end to end                                                 */
/* ------------------------------------------------------------------ */

/* Run a shell command; its exit status, stdout+stderr into out. */
static int sh(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	size_t n = 0;
	FILE *fp;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fp = popen(cmd, "r");
	ck_assert_ptr_nonnull(fp);
	while (n + 1 < len && fgets(out + n, (int)(len - n), fp))
		n += strlen(out + n);
	out[n] = '\0';
	st = pclose(fp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(cli_profile)
{
	const char *bin = ofd_test_offdiff();
	char dir[64], path[128], out[4096];
	size_t i;

	if (access(bin, X_OK)) {
		fprintf(stderr, "check_emu: %s not built, CLI test not run\n", bin);
		return;
	}
	write_tmp_profile("broken", "name: broken\nknobs:\n  zero_checksum: 7\n",
			  dir, sizeof(dir), path, sizeof(path));
	ck_assert_int_eq(sh(out, sizeof(out), "%s profile check %s 2>&1", bin,
			    path), 2);
	ck_assert_msg(strstr(out, "broken.yaml:3:18: zero_checksum"), "%s", out);

	ck_assert_int_eq(sh(out, sizeof(out),
			    "%s profile check specs/profiles/smsc95xx.yaml 2>&1",
			    bin), 0);

	ck_assert_int_eq(sh(out, sizeof(out), "%s profile list 2>&1", bin), 0);
	for (i = 0; i < OFD_ARRAY_SIZE(shipped); i++)
		ck_assert_msg(strstr(out, shipped[i].name), "%s missing: %s",
			      shipped[i].name, out);

	ck_assert_int_eq(sh(out, sizeof(out), "%s profile show smsc95xx 2>&1",
			    bin), 0);
	ck_assert_msg(strstr(out, "zero_checksum: 0x0000\n") &&
		      strstr(out, "tail_window: 4\n") &&
		      strstr(out, "tunnel_checksum: inner  # default"), "%s", out);

	/* A broken file in a listed directory makes list fail, too. */
	ck_assert_int_eq(sh(out, sizeof(out), "%s profile list --dir %s 2>&1",
			    bin, dir), 2);
	remove_tmp_profile(dir, path);
}
END_TEST

static Suite *emu_suite(void)
{
	Suite *s = suite_create("emu");
	TCase *tc;

	tc = tcase_create("crc32c");
	tcase_add_loop_test(tc, crc32c_kat, 0, OFD_ARRAY_SIZE(crc_kats));
	suite_add_tcase(s, tc);

	tc = tcase_create("tx");
	tcase_add_loop_test(tc, tx, 0, OFD_ARRAY_SIZE(tx_cases));
	tcase_add_loop_test(tc, generic_equals_legacy, 0, OFD_ARRAY_SIZE(pairs));
	tcase_add_test(tc, unsupported_offload);
	tcase_add_test(tc, engine_ops);
	suite_add_tcase(s, tc);

	tc = tcase_create("profile");
	tcase_add_loop_test(tc, profile_errors, 0, OFD_ARRAY_SIZE(bad_profiles));
	tcase_add_test(tc, profile_compose);
	tcase_add_loop_test(tc, profile_files, 0, OFD_ARRAY_SIZE(shipped));
	tcase_add_loop_test(tc, profile_path, 0, OFD_ARRAY_SIZE(paths));
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_add_test(tc, open_by_name_and_path);
	tcase_add_test(tc, open_bad_profile);
	suite_add_tcase(s, tc);

	tc = tcase_create("cli");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, cli_profile);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(emu_suite)
