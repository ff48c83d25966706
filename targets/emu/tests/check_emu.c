// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_emu.c - the NIC emulator (targets/emu/emu.c): what the device does
 * with each request, per knob of its profile.
 *
 * Frames are built by hand (emu_test_util.h); every expected checksum is
 * computed there by plain byte-wise RFC 1071 summation and a bit-at-a-time
 * CRC32c, never through the emulator or harness/packet/csum.c. Loading
 * profiles, their errors, open() and the CLI are tested in
 * check_emu_profile.c (suite emu_profile).
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
 *  misc           offloads without a device file are unsupported
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_test.h"
#include "emu_internal.h"
#include "emu_test_util.h"

extern const struct ofd_engine_ops ofd_engine_emu;

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

static struct ofd_result *resp;
#define res (*resp)

static void run_emu(const char *profile, const struct ofd_case *c)
{
	struct ofd_engine_opts opts = { .profile = profile,
					.profile_dir = OFD_EMU_PROFILE_DIR };
	struct ofd_result *slot;
	void *priv = NULL;

	if (!resp)
		ck_assert_int_eq(ofd_result__new(0, &resp), 0);
	slot = resp;
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
	struct tx_case tc = { .name = "none", .kind = GEN };
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct tframe f;

	build(F_V4_TCP, &f);
	make_case(&tc, &f, &pkt, &c);
	/* an id past the registry's: the emulator has no device for it
	 * (every registered offload has one now) */
	c.offload = OFD_OFFLOAD__MAX;
	run_emu(NULL, &c);
	ck_assert_uint_eq(res.status, OFD_RES_UNSUPPORTED);
	ck_assert_uint_eq(res.nframes, 0);
}
END_TEST

START_TEST(engine_ops)
{
	ck_assert_str_eq(ofd_engine_emu.name, "emu");
	ck_assert_uint_eq(ofd_engine_emu.flags, OFD_F_DEVICE);
	ck_assert_uint_eq(ofd_engine_caps(&ofd_engine_emu),
			  OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO) |
			  OFD_CAP(OFD_OFFLOAD_GRO) | OFD_CAP(OFD_OFFLOAD_RX_CSUM) |
			  OFD_CAP(OFD_OFFLOAD_DISSECT) | OFD_CAP(OFD_OFFLOAD_RSS));
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
	return s;
}

OFD_TEST_SUITE(emu_suite)
