// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * random.c - deterministic random tx-csum cases (see ofd_randcase.h for
 * the distribution).
 *
 * The requests follow what the kernel accepts and derives for a
 * virtio_net_hdr (include/linux/virtio_net.h __virtio_net_hdr_to_skb,
 * net/packet/af_packet.c, kernel-tx.md 3.2-3.3) and what the stack puts in
 * a CHECKSUM_PARTIAL skb (kernel-tx.md 1: the field holds fold16 of the
 * pseudo-header, csum_offset 16 for TCP, 6 for UDP). The perturbations aim
 * at each validation step of that path: csum_start below the IP minimum or
 * past the frame, the field past the frame, hdr_len past the frame, gso
 * types outside {1, 3, 4, 5}, gso_size 0 or 0xffff, the small-packet rule,
 * and at the checksum itself (garbage seeds, the SRH destination).
 *
 * Randomness: splitmix64 (Steele, Lea, Flood 2014), seeded with a hash of
 * (seed, index). Payload bytes come from a second stream so that the main
 * draws do not depend on the payload length.
 */
#include <errno.h>
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_randcase.h"
#include "ofd_rng.h"
#include "ofd_pktbuild.h"

/* ---- names ------------------------------------------------------- */

static const char *const req_names[OFD_RC_REQ__N] = {
	"correct", "no-csum", "bad-start", "bad-offset", "bad-hdr-len",
	"flags", "gso-valid", "gso-invalid", "bad-seed", "random",
};

static const char *const frame_names[OFD_RC_FRAME__N] = {
	"wellformed", "truncated", "short", "garbage",
};

const char *ofd_randcase_req_name(enum ofd_randcase_req r)
{
	return (unsigned int)r < OFD_RC_REQ__N ? req_names[r] : "unknown";
}

const char *ofd_randcase_frame_name(enum ofd_randcase_frame f)
{
	return (unsigned int)f < OFD_RC_FRAME__N ? frame_names[f] : "unknown";
}

/* Weights: ofd_randcase.h. */
static const uint8_t frame_w[OFD_RC_FRAME__N] = { 85, 10, 3, 2 };
/* CORRECT is drawn 64%: the 7% SCTP frames turn it into NO_CSUM, which
 * leaves ~60% CORRECT and ~5.5% NO_CSUM overall. */
static const uint8_t req_w[OFD_RC_REQ__N] = { 64, 1, 6, 6, 5, 3, 5, 3, 4, 3 };

/* ---- frames ------------------------------------------------------ */

struct built {
	int l4;          /* innermost L4 layer */
	int l3;          /* its IP layer */
	uint8_t tunnel;  /* enum ofd_proto, NONE */
	uint32_t plen;   /* payload bytes */
};

static void rand_ip4(struct ofd_rng *r, uint8_t a[4])
{
	uint32_t v = (uint32_t)ofd_rng_next(r);

	a[0] = 10;
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)(v | 1);
}

static void rand_ip6(struct ofd_rng *r, uint8_t a[16])
{
	uint64_t v = ofd_rng_next(r);

	memset(a, 0, 16);
	a[0] = 0x20;
	a[1] = 0x01;
	a[2] = 0x0d;
	a[3] = 0xb8;
	memcpy(a + 8, &v, 8);
}

static const uint8_t opt40[40] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};
static const uint8_t opt12[12] = {
	0x44, 0x08, 0x09, 0x00, 0x00, 0x01, 0xe2, 0x40, 0x01, 0x01, 0x01, 0x00,
};

static void build_ip(struct ofd_rng *r, struct ofd_pktb *b, bool v6, bool opts)
{
	if (v6) {
		struct ofd_pktb_ipv6_opts o = { 0 };
		uint8_t s[16], d[16];

		rand_ip6(r, s);
		rand_ip6(r, d);
		o.saddr = s;
		o.daddr = d;
		o.flowlabel = (uint32_t)ofd_rng_next(r) & 0xfffff;
		ofd_pktb_ipv6(b, &o);
	} else {
		struct ofd_pktb_ipv4_opts o = { 0 };
		uint8_t s[4], d[4];

		rand_ip4(r, s);
		rand_ip4(r, d);
		o.saddr = s;
		o.daddr = d;
		o.id = (uint16_t)ofd_rng_next(r);
		o.no_df = ofd_rng_chance(r, 20);
		if (opts) {
			switch (ofd_rng_below(r, 4)) {
			case 0:
				o.options = ofd_pktb_ipv4_opt_nop;
				o.options_len = 4;
				break;
			case 1:
				o.options = ofd_pktb_ipv4_opt_ts;
				o.options_len = 8;
				break;
			case 2:
				o.options = opt12;
				o.options_len = 12;
				break;
			default:
				o.options = opt40;
				o.options_len = 40;
				break;
			}
		}
		ofd_pktb_ipv4(b, &o);
	}
}

static void build_ext(struct ofd_rng *r, struct ofd_pktb *b)
{
	uint8_t segs[3][16], nsegs, sl;
	unsigned int i, kind;

	if (!ofd_rng_chance(r, 40) || b->err)
		return;
	kind = ofd_rng_below(r, 6);
	/* Segment List[0] is the final destination: the address the IPv6
	 * header was built with. */
	memcpy(segs[0], b->buf + b->layer[b->nlayers - 1].off + 24, 16);
	for (i = 1; i < 3; i++)
		rand_ip6(r, segs[i]);
	nsegs = (uint8_t)(1 + ofd_rng_below(r, 3));
	sl = nsegs > 1 ? (uint8_t)(1 + ofd_rng_below(r, nsegs - 1)) : 0;
	switch (kind) {
	case 0:
		ofd_pktb_hbh(b, 8u * (1 + ofd_rng_below(r, 2)));
		break;
	case 1:
		ofd_pktb_dstopts(b, 8u * (1 + ofd_rng_below(r, 3)));
		break;
	case 2:
		/* Segments left 0, and the shapes whose final destination a
		 * sender and a receiver could read differently (RFC 8200
		 * 8.1): a Destination Address other than Segment List[0],
		 * routing types 0 and 2 with segments left 0 or > 0. */
		switch (ofd_rng_below(r, 4)) {
		case 0:
			ofd_pktb_srh(b, (const uint8_t (*)[16])segs, nsegs, 0);
			break;
		case 1: {
			uint8_t other[16];

			rand_ip6(r, other);
			ofd_pktb_srh_da(b, (const uint8_t (*)[16])segs, nsegs, 0,
					other);
			break;
		}
		case 2:
			ofd_pktb_rthdr(b, 0, (const uint8_t (*)[16])segs, nsegs,
				       (uint8_t)ofd_rng_below(r, nsegs + 1u));
			break;
		default:
			ofd_pktb_rthdr(b, 2, (const uint8_t (*)[16])segs + 1, 1,
				       (uint8_t)ofd_rng_below(r, 2));
			break;
		}
		break;
	case 3:
		if (nsegs < 2) {
			nsegs = 2;
			sl = 1;
		}
		ofd_pktb_srh(b, (const uint8_t (*)[16])segs, nsegs, sl);
		break;
	case 4:
		ofd_pktb_hbh(b, 8);
		ofd_pktb_srh(b, (const uint8_t (*)[16])segs, nsegs, sl);
		ofd_pktb_dstopts(b, 8);
		break;
	default:
		ofd_pktb_frag(b, 0, false, (uint32_t)ofd_rng_next(r));
		break;
	}
}

static uint16_t rand_port(struct ofd_rng *r)
{
	uint16_t p = (uint16_t)ofd_rng_next(r);

	/* Keep the parser from reading a tunnel behind a plain UDP header. */
	if (p == 4789 || p == 6081)
		p ^= 1;
	return p;
}

/*
 * Build the well-formed frame (unfinished) into b; maxlen bounds it. The
 * draws do not depend on maxlen.
 */
static void build_frame(struct ofd_rng *r, struct ofd_rng *pr, struct ofd_pktb *b,
			uint32_t maxlen, struct built *d)
{
	static const uint8_t l2_w[] = { 70, 20, 10 };
	static const uint8_t tun_w[] = { 80, 5, 5, 5, 5 };
	static const uint8_t l3_w[] = { 45, 10, 45 };
	static const uint8_t l4_w[] = { 45, 40, 8, 7 };
	static const uint8_t plen_w[] = { 70, 25, 5 };
	unsigned int l2 = ofd_rng_pick(r, l2_w, 3), tun = ofd_rng_pick(r, tun_w, 5);
	unsigned int l4, pc;
	uint32_t plen, room;
	bool v6;

	ofd_pktb_eth(b, NULL, NULL, 0);
	if (l2 == 2)
		ofd_pktb_qinq(b, (uint16_t)ofd_rng_below(r, 4095), 0);
	if (l2)
		ofd_pktb_vlan(b, (uint16_t)ofd_rng_below(r, 4095), (uint8_t)ofd_rng_below(r, 8));

	d->tunnel = OFD_P_NONE;
	if (tun) {
		build_ip(r, b, ofd_rng_chance(r, 50), false);
		switch (tun) {
		case 1:
			ofd_pktb_udp(b, rand_port(r), 4789);
			ofd_pktb_vxlan(b, (uint32_t)ofd_rng_next(r) & 0xffffff);
			ofd_pktb_eth(b, NULL, NULL, 0);
			d->tunnel = OFD_P_VXLAN;
			break;
		case 2:
			ofd_pktb_udp(b, rand_port(r), 6081);
			ofd_pktb_geneve(b, (uint32_t)ofd_rng_next(r) & 0xffffff,
					ofd_rng_chance(r, 50) ? 8 : 0);
			ofd_pktb_eth(b, NULL, NULL, 0);
			d->tunnel = OFD_P_GENEVE;
			break;
		case 3:
			/* No GRE checksum: it would cover an inner packet
			 * whose L4 field still holds the seed. */
			ofd_pktb_gre(b, ofd_rng_chance(r, 50) ? OFD_PKTB_GRE_KEY : 0,
				     (uint32_t)ofd_rng_next(r), 0);
			d->tunnel = OFD_P_GRE;
			break;
		default:
			break;
		}
		v6 = ofd_rng_chance(r, 50);
		build_ip(r, b, v6, false);
		if (tun == 4)
			d->tunnel = v6 ? OFD_P_IPV6 : OFD_P_IPV4;
	} else {
		unsigned int l3 = ofd_rng_pick(r, l3_w, 3);

		v6 = l3 == 2;
		build_ip(r, b, v6, l3 == 1);
		if (v6)
			build_ext(r, b);
	}
	d->l3 = ofd_pktb_find(b, v6 ? OFD_P_IPV6 : OFD_P_IPV4, -1);

	l4 = ofd_rng_pick(r, l4_w, 4);
	pc = ofd_rng_pick(r, plen_w, 3);
	plen = pc == 0 ? ofd_rng_below(r, 65) :
	       pc == 1 ? 65 + ofd_rng_below(r, 1436) : 1501 + ofd_rng_below(r, 7500);
	switch (l4) {
	case 0: {
		struct ofd_pktb_tcp_opts o = {
			.sport = rand_port(r), .dport = rand_port(r),
			.seq = (uint32_t)ofd_rng_next(r), .ack = (uint32_t)ofd_rng_next(r),
			.flags = ofd_rng_chance(r, 75) ? 0x18 : (uint8_t)ofd_rng_next(r),
			.window = (uint16_t)ofd_rng_next(r),
		};

		if (ofd_rng_chance(r, 33)) {
			o.options = ofd_pktb_tcp_opt_ts;
			o.options_len = sizeof(ofd_pktb_tcp_opt_ts);
		}
		d->l4 = ofd_pktb_tcp(b, &o);
		break;
	}
	case 1: {
		uint16_t sp = rand_port(r);

		d->l4 = ofd_pktb_udp(b, sp, rand_port(r));
		break;
	}
	case 2:
		d->l4 = ofd_pktb_icmp_echo(b, (uint16_t)ofd_rng_next(r),
					   (uint16_t)ofd_rng_next(r));
		break;
	default:
		d->l4 = ofd_pktb_sctp(b, rand_port(r), rand_port(r),
				      (uint32_t)ofd_rng_next(r));
		break;
	}

	room = maxlen > b->len ? maxlen - b->len : 0;
	if (l4 == 3) {
		room = room > 19 ? room - 19 : 0; /* chunk header + padding */
		plen = plen < room ? plen : room;
		ofd_pktb_sctp_data(b, (uint32_t)ofd_rng_next(r), 0, 0, 0, plen);
	} else {
		bool pat = ofd_rng_chance(r, 50);
		int pl;

		plen = plen < room ? plen : room;
		if (pat) {
			ofd_pktb_payload(b, plen);
		} else {
			pl = ofd_pktb_bytes(b, NULL, plen);
			if (pl >= 0)
				ofd_rng_fill(pr, b->buf + b->layer[pl].off, plen);
		}
	}
	d->plen = plen;
}

/* ---- requests ---------------------------------------------------- */

static const uint8_t gso_valid[] = { OFD_VNET_GSO_TCPV4, OFD_VNET_GSO_UDP,
				     OFD_VNET_GSO_TCPV6, OFD_VNET_GSO_UDP_L4 };
static const uint8_t gso_invalid[] = { 2, 6, 7, 8, 0x10, 0x20, 0x40, 0x7f,
				       0x80, 0x82 };

static bool gso_type_valid(uint8_t t)
{
	unsigned int i;

	if (t == OFD_VNET_GSO_NONE)
		return true;
	for (i = 0; i < OFD_ARRAY_SIZE(gso_valid); i++)
		if ((t & ~OFD_VNET_GSO_ECN) == gso_valid[i])
			return true;
	return false;
}

/* The gso_type matching the frame, or NONE (ICMP, SCTP). */
static uint8_t gso_match(struct ofd_rng *r, const struct ofd_pktb *b,
			 const struct built *d)
{
	bool v6 = b->layer[d->l3].proto == OFD_P_IPV6;
	bool l4_udp = ofd_rng_chance(r, 50);

	switch (b->layer[d->l4].proto) {
	case OFD_P_TCP:
		return v6 ? OFD_VNET_GSO_TCPV6 : OFD_VNET_GSO_TCPV4;
	case OFD_P_UDP:
		return l4_udp ? OFD_VNET_GSO_UDP_L4 : OFD_VNET_GSO_UDP;
	default:
		return OFD_VNET_GSO_NONE;
	}
}

/* A gso_size with which the frame is not really GSO: at least every byte
 * after csum_start (kernel-tx.md 3.3, small-packet rule). */
static uint16_t gso_size_big(struct ofd_rng *r, uint32_t after)
{
	uint32_t v = after + ofd_rng_below(r, 200);

	return (uint16_t)(v > 0xfffe ? 0xfffe : v);
}

/* The seed over the IPv6 header's destination instead of the final one. */
static uint16_t seed_ipv6_dst(const struct ofd_pktb *b, const struct built *d,
			      uint32_t len)
{
	const struct ofd_pktb_layer *ip = &b->layer[d->l3];
	uint8_t proto = b->layer[d->l4].proto == OFD_P_TCP ? 6 :
			b->layer[d->l4].proto == OFD_P_UDP ? 17 : 58;

	return ofd_fold16(ofd_pseudo_v6(b->buf + ip->off + 8,
					b->buf + ip->off + 24,
					len - b->layer[d->l4].off, proto));
}

static void make_request(struct ofd_rng *r, struct ofd_pktb *b,
			 const struct built *d, unsigned int req,
			 struct ofd_vnet_hdr *v)
{
	const struct ofd_pktb_layer *l4 = &b->layer[d->l4];
	uint32_t len = b->len, start = l4->off, after = len - l4->off;
	int fo = ofd_pktb_csum_offset(b, d->l4);
	uint32_t pseudo = 0;
	uint16_t seed = 0, s16;
	uint8_t t;

	if (fo < 0)
		fo = 0;
	if (!ofd_pktb_pseudo(b, d->l4, &pseudo))
		seed = ofd_fold16(pseudo);

	memset(v, 0, sizeof(*v));
	v->flags = OFD_VNET_F_NEEDS_CSUM;
	v->csum_start = (uint16_t)start;
	v->csum_offset = (uint16_t)fo;

	switch (req) {
	case OFD_RC_REQ_CORRECT:
		if (ofd_rng_chance(r, 50))
			v->hdr_len = (uint16_t)(start + l4->len);
		if (ofd_rng_chance(r, 25)) {
			t = gso_match(r, b, d);
			if (t) {
				v->gso_type = t;
				v->gso_size = gso_size_big(r, after);
			}
		}
		break;
	case OFD_RC_REQ_NO_CSUM:
		v->flags = ofd_rng_chance(r, 70) ? 0 : OFD_VNET_F_DATA_VALID;
		if (ofd_rng_chance(r, 50))
			v->csum_start = v->csum_offset = 0;
		break;
	case OFD_RC_REQ_BAD_START:
		switch (ofd_rng_below(r, 7)) {
		case 0:
			s16 = (uint16_t)ofd_rng_below(r, 20);
			break;
		case 1: /* inside the headers before L4 */
			s16 = (uint16_t)(20 + ofd_rng_below(r, start > 20 ? start - 20 : 1));
			break;
		case 2:
			s16 = (uint16_t)(start + 1);
			break;
		case 3:
			s16 = (uint16_t)(len - 1 - ofd_rng_below(r, len < 4 ? len : 4));
			break;
		case 4:
			s16 = (uint16_t)(len + ofd_rng_below(r, 64));
			break;
		case 5:
			s16 = (uint16_t)(0xffff - ofd_rng_below(r, 16));
			break;
		default:
			s16 = (uint16_t)ofd_rng_next(r);
			break;
		}
		v->csum_start = s16;
		break;
	case OFD_RC_REQ_BAD_OFFSET:
		switch (ofd_rng_below(r, 6)) {
		case 0:
			s16 = (uint16_t)(2 * ofd_rng_below(r, 16) + 1);
			break;
		case 1: {
			static const uint8_t other[] = { 0, 2, 4, 6, 8, 10, 16, 18 };

			do {
				s16 = other[ofd_rng_below(r, OFD_ARRAY_SIZE(other))];
			} while (s16 == fo);
			break;
		}
		case 2: /* the field ends past the frame */
			s16 = (uint16_t)(after - 1 + ofd_rng_below(r, 8));
			break;
		case 3: /* inside the frame, not the checksum field */
			s16 = (uint16_t)(2 * ofd_rng_below(r, after / 2));
			break;
		case 4:
			s16 = (uint16_t)(0xffff - ofd_rng_below(r, 4));
			break;
		default:
			s16 = (uint16_t)ofd_rng_next(r);
			break;
		}
		v->csum_offset = s16;
		break;
	case OFD_RC_REQ_BAD_HDR_LEN:
		switch (ofd_rng_below(r, 5)) {
		case 0:
			v->hdr_len = (uint16_t)(1 + ofd_rng_below(r, 13));
			break;
		case 1:
			v->hdr_len = (uint16_t)len;
			break;
		case 2:
			v->hdr_len = (uint16_t)(len + 1 + ofd_rng_below(r, 100));
			break;
		case 3:
			v->hdr_len = 0xffff;
			break;
		default:
			v->hdr_len = (uint16_t)ofd_rng_next(r);
			break;
		}
		break;
	case OFD_RC_REQ_FLAGS:
		v->flags = (uint8_t)ofd_rng_below(r, 4);
		break;
	case OFD_RC_REQ_GSO_VALID: {
		static const uint8_t size_w[] = { 75, 10, 10, 5 };

		t = ofd_rng_chance(r, 50) ? gso_match(r, b, d) : 0;
		if (!t)
			t = gso_valid[ofd_rng_below(r, OFD_ARRAY_SIZE(gso_valid))];
		if (ofd_rng_chance(r, 25))
			t |= OFD_VNET_GSO_ECN;
		v->gso_type = t;
		switch (ofd_rng_pick(r, size_w, 4)) {
		case 0:
			v->gso_size = gso_size_big(r, after);
			break;
		case 1:
			v->gso_size = 0;
			break;
		case 2: /* really GSO: the payload is larger */
			v->gso_size = (uint16_t)(1 + ofd_rng_below(r, after > 2 ? after - 2 : 1));
			break;
		default:
			v->gso_size = 0xffff;
			break;
		}
		break;
	}
	case OFD_RC_REQ_GSO_INVALID:
		if (ofd_rng_chance(r, 70)) {
			t = gso_invalid[ofd_rng_below(r, OFD_ARRAY_SIZE(gso_invalid))];
		} else {
			do
				t = (uint8_t)ofd_rng_next(r);
			while (gso_type_valid(t));
		}
		v->gso_type = t;
		v->gso_size = ofd_rng_chance(r, 80) ? gso_size_big(r, after) :
					      (uint16_t)ofd_rng_below(r, 64);
		break;
	case OFD_RC_REQ_BAD_SEED:
		switch (ofd_rng_below(r, 4)) {
		case 0:
			do
				s16 = (uint16_t)ofd_rng_next(r);
			while (s16 == seed);
			break;
		case 1:
			s16 = (uint16_t)~seed;
			break;
		case 2:
			s16 = seed ? 0 : 0xffff;
			break;
		default:
			if (ofd_pktb_find(b, OFD_P_SRH, d->l4) > d->l3 &&
			    b->layer[d->l3].proto == OFD_P_IPV6)
				s16 = seed_ipv6_dst(b, d, len);
			else
				s16 = (uint16_t)(seed + 1 + ofd_rng_below(r, 0xfffe));
			break;
		}
		if ((uint32_t)fo + 2 <= l4->len)
			ofd_put_be16(b->buf + l4->off + fo, s16);
		break;
	default: /* RANDOM */
		v->flags = (uint8_t)ofd_rng_below(r, 4);
		v->gso_type = (uint8_t)ofd_rng_next(r);
		v->hdr_len = ofd_rng_chance(r, 50) ? (uint16_t)ofd_rng_below(r, len + 32) :
					     (uint16_t)ofd_rng_next(r);
		v->gso_size = ofd_rng_chance(r, 50) ? (uint16_t)ofd_rng_below(r, len + 32) :
					      (uint16_t)ofd_rng_next(r);
		v->csum_start = ofd_rng_chance(r, 50) ? (uint16_t)ofd_rng_below(r, len + 32) :
						(uint16_t)ofd_rng_next(r);
		v->csum_offset = ofd_rng_chance(r, 50) ? (uint16_t)ofd_rng_below(r, 64) :
						 (uint16_t)ofd_rng_next(r);
		break;
	}
}

/* ---- frame kinds ------------------------------------------------- */

static void reshape(struct ofd_rng *r, struct ofd_rng *pr, unsigned int kind,
		    struct ofd_pktb *b, const struct built *d, uint32_t maxlen,
		    uint32_t *len)
{
	const struct ofd_pktb_layer *l4 = &b->layer[d->l4];
	uint32_t hend, n;

	switch (kind) {
	case OFD_RC_FRAME_TRUNCATED:
		/* Mostly inside the headers (up to 4 bytes into the payload),
		 * sometimes anywhere. */
		hend = l4->off + l4->len + 4;
		if (hend > *len || ofd_rng_chance(r, 25))
			hend = *len;
		*len = ofd_rng_below(r, hend);
		break;
	case OFD_RC_FRAME_SHORT:
		switch (ofd_rng_below(r, 3)) {
		case 0:
			n = ofd_rng_below(r, 14);
			break;
		case 1:
			n = 14 + ofd_rng_below(r, 6);
			break;
		default:
			n = 20 + ofd_rng_below(r, 14);
			break;
		}
		*len = n < *len ? n : *len;
		break;
	case OFD_RC_FRAME_GARBAGE:
		n = 14 + ofd_rng_below(r, 115);
		n = n < maxlen ? n : maxlen;
		ofd_rng_fill(pr, b->buf, n);
		if (ofd_rng_chance(r, 50)) {
			static const uint16_t types[] = { 0x0800, 0x86dd,
							  0x8100, 0x88a8 };

			/* A valid Ethernet header over random bytes. */
			memcpy(b->buf, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01", 12);
			ofd_put_be16(b->buf + 12, types[ofd_rng_below(r, 4)]);
		}
		*len = n;
		break;
	default:
		break;
	}
}

int ofd_randcase_make_ex(uint64_t seed, uint64_t index, enum ofd_offload off,
			 uint8_t *buf, uint32_t cap, struct ofd_pkt *pkt,
			 struct ofd_case *c, struct ofd_randcase_info *info)
{
	struct ofd_rng r, pr;
	struct ofd_pktb b;
	struct built d = { 0 };
	struct ofd_randcase_info dummy;
	unsigned int fkind, req;
	uint32_t maxlen, len;
	int err;

	if (!buf || !pkt || !c)
		return -EINVAL;
	if (off != OFD_OFFLOAD_TX_CSUM)
		return -EOPNOTSUPP;
	if (cap < 64)
		return -EINVAL;
	if (!info)
		info = &dummy;
	maxlen = cap < OFD_RANDCASE_MAX_FRAME ? cap : OFD_RANDCASE_MAX_FRAME;

	r.s = ofd_rng_mix64(seed ^ ofd_rng_mix64(index ^ 0x5851f42d4c957f2dull));
	pr.s = ofd_rng_mix64(r.s ^ 0xda942042e4dd58b5ull);

	fkind = ofd_rng_pick(&r, frame_w, OFD_RC_FRAME__N);
	ofd_pktb_init(&b, buf, maxlen);
	build_frame(&r, &pr, &b, maxlen, &d);

	req = ofd_rng_pick(&r, req_w, OFD_RC_REQ__N);
	if (b.err || d.l4 < 0 || d.l3 < 0) {
		/* Cannot happen with cap >= 64: the largest header stack is
		 * far below it. Fall back to an all-garbage frame. */
		ofd_pktb_init(&b, buf, maxlen);
		ofd_pktb_eth(&b, NULL, NULL, 0x0800);
		ofd_pktb_bytes(&b, NULL, 50);
		ofd_rng_fill(&pr, buf + 14, 50);
		len = b.len;
		memset(&d, 0, sizeof(d));
		memset(info, 0, sizeof(*info));
		info->frame = OFD_RC_FRAME_GARBAGE;
		info->req = OFD_RC_REQ_NO_CSUM;
		memset(&c->req, 0, sizeof(c->req));
		goto out;
	}
	if (req == OFD_RC_REQ_CORRECT &&
	    b.layer[d.l4].proto != OFD_P_TCP && b.layer[d.l4].proto != OFD_P_UDP &&
	    b.layer[d.l4].proto != OFD_P_ICMP &&
	    b.layer[d.l4].proto != OFD_P_ICMPV6)
		req = OFD_RC_REQ_NO_CSUM;

	/* A frame handed over with NEEDS_CSUM carries the seed; one without
	 * carries its finished checksum. */
	b.layer[d.l4].csum = req == OFD_RC_REQ_NO_CSUM ? OFD_PKTB_CSUM_FULL :
							 OFD_PKTB_CSUM_SEED;
	err = ofd_pktb_finish(&b);
	info->zero_sum = false;
	if (ofd_rng_chance(&r, 5) && !err && d.plen >= 2 &&
	    b.layer[d.l4].proto != OFD_P_SCTP) {
		uint32_t ps = b.layer[d.l4].off + b.layer[d.l4].len;

		info->zero_sum = !ofd_pktb_zero_sum(&b, d.l4,
						    ps + ((d.plen - 2) & ~1u));
	}

	memset(&c->req, 0, sizeof(c->req));
	make_request(&r, &b, &d, req, &c->req.vnet);

	len = b.len;
	info->frame = (uint8_t)fkind;
	info->req = (uint8_t)req;
	info->l4_proto = b.layer[d.l4].proto;
	info->tunnel = d.tunnel;
	info->l4_off = b.layer[d.l4].off;
	info->full_len = b.len;
	reshape(&r, &pr, fkind, &b, &d, maxlen, &len);
out:
	c->req.kind = OFD_REQ_VNET;
	c->req.csum_type = OFD_CSUM_INET;
	pkt->data = buf;
	pkt->len = len;
	pkt->flags = 0;
	c->id = index;
	c->offload = OFD_OFFLOAD_TX_CSUM;
	c->npkts = 1;
	c->pkts = pkt;
	c->src_file = NULL;
	c->src_index = (uint32_t)index;
	return 0;
}

int ofd_randcase_make(uint64_t seed, uint64_t index, enum ofd_offload off,
		      uint8_t *buf, uint32_t cap, struct ofd_pkt *pkt,
		      struct ofd_case *c)
{
	return ofd_randcase_make_ex(seed, index, off, buf, cap, pkt, c, NULL);
}
