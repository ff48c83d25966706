// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * random_tso.c - deterministic random tso cases (`offdiff selfcheck
 * --offload tso --random N --seed S`).
 *
 * Case (seed, index) depends on nothing else (ofd_rng.h); cap only bounds
 * the payload, every draw is made before the frame is built.
 *
 * Distribution (percent of draws, each line independent):
 *   L2        70 plain, 20 802.1Q, 10 QinQ
 *   tunnel    70 none, 8 VXLAN, 7 GENEVE (half with an 8-byte option),
 *             7 GRE (half with key, half with checksum), 8 IP in IP; outer
 *             and inner IPv4/IPv6 50/50; a VXLAN/GENEVE outer UDP checksum
 *             half the time (UDP_TUNNEL_CSUM)
 *   L3        untunnelled: 40 IPv4, 10 IPv4 with options (4, 8, 12, 40
 *             bytes), 50 IPv6, 40 of those with extension headers: HBH,
 *             DstOpts, SRH segments left 0, SRH segments left > 0,
 *             HBH+SRH+DstOpts, and now and then an atomic Fragment or AH
 *             header (which software GSO has no handler for); IPv4 ID near
 *             0xffff 20, DF 80
 *   L4        75 TCP (options: 40 none, 30 timestamps, 15 timestamps +
 *             SACK, 15 MSS + window scale + SACK permitted), 25 UDP
 *   TCP flags ACK (95), PSH 50, FIN 15, CWR 15, ECE 15, URG 10 (urgent
 *             pointer inside the payload), AE 5, SYN 3, RST 2
 *   gso_size  10 1..16, 15 536, 25 1448, 5 1460, 30 17..2000, 5 8948,
 *             10 2001..16000
 *   segments  5 fewer than one (payload < gso_size), 8 exactly one
 *             (payload = gso_size), 5 payload = gso_size + 1, 45 2..8,
 *             27 9..49, 7 50..400, 3 401..4000; 40 a multiple of gso_size,
 *             else a short last segment; 2 a large super-packet
 *             (16,000..65,000 bytes of payload), all bounded by cap and a
 *             64 KB frame
 *   trailer   5 (1..16 non-zero bytes after the IP datagram)
 *   kind      50 VNET (30 of IPv4 UDP untunnelled: UFO), 50 LEGACY (a
 *             request the stack would build: its gso_size is lowered to
 *             half the payload where the payload is not larger, UDP to 128
 *             segments; FIXEDID 15 and FIXEDID_INNER 15 where the header is
 *             IPv4, ACCECN 40 of CWR)
 *   request   85 correct (ofd_tso_request, seeds as the stack writes them),
 *             3 bad csum_offset, 2 gso_size 0, 2 gso_size 0xffff, 3 bad
 *             seed (random, the NIC-style length-0 seed, complemented),
 *             3 no NEEDS_CSUM, 2 a gso type of the other family/protocol
 */
#include <errno.h>
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_pktbuild.h"
#include "ofd_rng.h"
#include "ofd_tso.h"

static const char *const rq_names[OFD_TSO_RQ__N] = {
	"correct", "bad-offset", "size-zero", "by-frags", "bad-seed",
	"no-csum", "bad-type",
};

const char *ofd_tso_rand_req_name(enum ofd_tso_rand_req r)
{
	return (unsigned int)r < OFD_TSO_RQ__N ? rq_names[r] : "unknown";
}

/* ---- the draws ---------------------------------------------------- */

enum { TUN_NONE, TUN_VXLAN, TUN_GENEVE, TUN_GRE, TUN_IPIP };
enum { EXT_NONE, EXT_HBH, EXT_DST, EXT_SRH0, EXT_SRH, EXT_CHAIN, EXT_FRAG, EXT_AH };

struct draws {
	unsigned int l2, tun, ext, tcpopt, ip4opt;
	bool outer_v6, v6, v4opt, udp, tun_csum, gre_key, gre_csum, gen_opt;
	bool no_df, ae;
	uint16_t id, vid, sport, dport, urg, gso;
	uint8_t flags;
	uint32_t seq, ack, want, trailer, ah_spi;
	bool legacy, ufo, fixedid, fixedid_inner, accecn;
	unsigned int rq, sub;
};

static const uint8_t w_l2[] = { 70, 20, 10 };
static const uint8_t w_tun[] = { 70, 8, 7, 7, 8 };
static const uint8_t w_l3[] = { 40, 10, 50 };
static const uint8_t w_ext[] = { 20, 20, 15, 15, 15, 8, 7 };
static const uint8_t w_tcpopt[] = { 40, 30, 15, 15 };
static const uint8_t w_gso[] = { 10, 15, 25, 5, 30, 5, 10 };
static const uint8_t w_segs[] = { 5, 8, 5, 45, 27, 7, 3 };
static const uint8_t w_rq[OFD_TSO_RQ__N] = { 85, 3, 2, 2, 3, 3, 2 };

static uint16_t port(struct ofd_rng *r)
{
	uint16_t p = (uint16_t)ofd_rng_next(r);

	/* Not a tunnel port: the parser would look inside. */
	return p == 4789 || p == 6081 ? p ^ 1 : p;
}

static void draw(struct ofd_rng *r, struct draws *d)
{
	static const uint16_t fixed[] = { 536, 1448, 1460, 0, 8948 };
	unsigned int g, s, l3;
	uint32_t segs;

	memset(d, 0, sizeof(*d));
	d->l2 = ofd_rng_pick(r, w_l2, 3);
	d->vid = (uint16_t)ofd_rng_below(r, 4095);
	d->tun = ofd_rng_pick(r, w_tun, 5);
	d->outer_v6 = ofd_rng_chance(r, 50);
	d->tun_csum = ofd_rng_chance(r, 50);
	d->gre_key = ofd_rng_chance(r, 50);
	d->gre_csum = ofd_rng_chance(r, 50);
	d->gen_opt = ofd_rng_chance(r, 50);
	l3 = ofd_rng_pick(r, w_l3, 3);
	d->v6 = d->tun ? ofd_rng_chance(r, 50) : l3 == 2;
	d->v4opt = !d->tun && l3 == 1;
	d->ip4opt = ofd_rng_below(r, 4);
	d->ext = !d->tun && d->v6 && ofd_rng_chance(r, 40) ?
		 1 + ofd_rng_pick(r, w_ext, 7) : EXT_NONE;
	d->id = ofd_rng_chance(r, 20) ? (uint16_t)(0xffff - ofd_rng_below(r, 4)) :
					(uint16_t)ofd_rng_next(r);
	d->no_df = ofd_rng_chance(r, 20);
	d->udp = ofd_rng_chance(r, 25);
	d->tcpopt = ofd_rng_pick(r, w_tcpopt, 4);
	d->flags = ofd_rng_chance(r, 95) ? 0x10 : 0;
	d->flags |= ofd_rng_chance(r, 50) ? 0x08 : 0; /* PSH */
	d->flags |= ofd_rng_chance(r, 15) ? 0x01 : 0; /* FIN */
	d->flags |= ofd_rng_chance(r, 15) ? 0x80 : 0; /* CWR */
	d->flags |= ofd_rng_chance(r, 15) ? 0x40 : 0; /* ECE */
	d->flags |= ofd_rng_chance(r, 10) ? 0x20 : 0; /* URG */
	d->ae = ofd_rng_chance(r, 5);
	d->flags |= ofd_rng_chance(r, 3) ? 0x02 : 0;  /* SYN */
	d->flags |= ofd_rng_chance(r, 2) ? 0x04 : 0;  /* RST */
	d->sport = port(r);
	d->dport = port(r);
	d->seq = (uint32_t)ofd_rng_next(r);
	d->ack = (uint32_t)ofd_rng_next(r);
	d->ah_spi = (uint32_t)ofd_rng_next(r);

	g = ofd_rng_pick(r, w_gso, 7);
	d->gso = g == 0 ? (uint16_t)(1 + ofd_rng_below(r, 16)) :
		 g == 4 ? (uint16_t)(17 + ofd_rng_below(r, 1984)) :
		 g == 6 ? (uint16_t)(2001 + ofd_rng_below(r, 14000)) :
			  fixed[g - 1];
	s = ofd_rng_pick(r, w_segs, 7);
	switch (s) {
	case 0:
		d->want = ofd_rng_below(r, d->gso);
		break;
	case 1:
		d->want = d->gso;
		break;
	case 2:
		d->want = d->gso + 1u;
		break;
	default:
		segs = s == 3 ? 2 + ofd_rng_below(r, 7) :
		       s == 4 ? 9 + ofd_rng_below(r, 41) :
		       s == 5 ? 50 + ofd_rng_below(r, 351) :
				401 + ofd_rng_below(r, 3600);
		d->want = d->gso * segs;
		if (!ofd_rng_chance(r, 40))
			d->want -= ofd_rng_below(r, d->gso);
		break;
	}
	if (ofd_rng_chance(r, 2))
		d->want = 16000 + ofd_rng_below(r, 49001);
	d->urg = (uint16_t)ofd_rng_below(r, d->want + 1);
	d->trailer = ofd_rng_chance(r, 5) ? 1 + ofd_rng_below(r, 16) : 0;

	d->legacy = ofd_rng_chance(r, 50);
	d->ufo = ofd_rng_chance(r, 30);
	d->fixedid = ofd_rng_chance(r, 15);
	d->fixedid_inner = ofd_rng_chance(r, 15);
	d->accecn = ofd_rng_chance(r, 40);
	d->rq = ofd_rng_pick(r, w_rq, OFD_TSO_RQ__N);
	d->sub = ofd_rng_below(r, 3);
}

/* ---- the frame ---------------------------------------------------- */

static const uint8_t opt_ts_sack[32] = {
	1, 1, 8, 10, 0, 0, 0x10, 0, 0, 0, 0x20, 0,
	1, 1, 5, 18, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0,
};
static const uint8_t opt_mss[12] = { 2, 4, 0x05, 0xb4, 1, 3, 3, 7, 4, 2, 1, 1 };
static const uint8_t ip4_opt12[12] = {
	0x44, 0x08, 0x09, 0x00, 0x00, 0x01, 0xe2, 0x40, 0x01, 0x01, 0x01, 0x00,
};
static const uint8_t ip4_opt40[40] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0,
};
static const uint8_t seg1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 5, [15] = 5 };
static const uint8_t seg2[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 6, [15] = 6 };

static void ip(struct ofd_pktb *b, const struct draws *d, bool v6, bool opts)
{
	struct ofd_pktb_ipv4_opts o4 = { .id = d->id, .no_df = d->no_df };

	if (v6) {
		ofd_pktb_ipv6(b, NULL);
		return;
	}
	if (opts) {
		static const uint8_t *const o[] = { ofd_pktb_ipv4_opt_nop,
						    ofd_pktb_ipv4_opt_ts, ip4_opt12,
						    ip4_opt40 };
		static const uint8_t n[] = { 4, 8, 12, 40 };

		o4.options = o[d->ip4opt];
		o4.options_len = n[d->ip4opt];
	}
	ofd_pktb_ipv4(b, &o4);
}

static void ext(struct ofd_pktb *b, unsigned int e)
{
	uint8_t segs[3][16];

	/* Segment List[0]: the IPv6 header's destination as built. */
	memcpy(segs[0], b->buf + b->layer[b->nlayers - 1].off + 24, 16);
	memcpy(segs[1], seg1, 16);
	memcpy(segs[2], seg2, 16);
	switch (e) {
	case EXT_HBH:
		ofd_pktb_hbh(b, 8);
		break;
	case EXT_DST:
		ofd_pktb_dstopts(b, 16);
		break;
	case EXT_SRH0:
		ofd_pktb_srh(b, (const uint8_t (*)[16])segs, 2, 0);
		break;
	case EXT_SRH:
		ofd_pktb_srh(b, (const uint8_t (*)[16])segs, 3, 2);
		break;
	case EXT_CHAIN:
		ofd_pktb_hbh(b, 8);
		ofd_pktb_srh(b, (const uint8_t (*)[16])segs, 2, 1);
		ofd_pktb_dstopts(b, 8);
		break;
	case EXT_FRAG:
		ofd_pktb_frag(b, 0, false, 0x01020304);
		break;
	default: /* EXT_AH: inserted after finish */
		break;
	}
}

/* Headers and payload into b; returns the innermost L4 layer. */
static int build(struct ofd_pktb *b, struct ofd_rng *pr, const struct draws *d,
		 uint32_t maxlen)
{
	struct ofd_pktb_tcp_opts t = {
		.sport = d->sport, .dport = d->dport, .seq = d->seq, .ack = d->ack,
		.flags = d->flags, .window = 512, .urg = d->urg,
	};
	uint32_t room, plen;
	int l4, pl, u;

	ofd_pktb_eth(b, NULL, NULL, 0);
	if (d->l2 == 2)
		ofd_pktb_qinq(b, d->vid, 0);
	if (d->l2)
		ofd_pktb_vlan(b, d->vid, 0);
	if (d->tun) {
		ip(b, d, d->outer_v6, false);
		switch (d->tun) {
		case TUN_VXLAN:
		case TUN_GENEVE:
			u = ofd_pktb_udp(b, d->sport, d->tun == TUN_VXLAN ? 4789 : 6081);
			if (d->tun == TUN_VXLAN)
				ofd_pktb_vxlan(b, 0x1234);
			else
				ofd_pktb_geneve(b, 0x1234, d->gen_opt ? 8 : 0);
			if (u >= 0 && d->tun_csum)
				b->layer[u].csum = OFD_PKTB_CSUM_FULL;
			ofd_pktb_eth(b, NULL, NULL, 0);
			break;
		case TUN_GRE:
			ofd_pktb_gre(b, (d->gre_key ? OFD_PKTB_GRE_KEY : 0) |
				     (d->gre_csum ? OFD_PKTB_GRE_CSUM : 0), 7, 0);
			break;
		default:
			break;
		}
	}
	ip(b, d, d->v6, d->v4opt);
	if (d->ext && d->ext != EXT_AH)
		ext(b, d->ext);
	if (d->udp) {
		l4 = ofd_pktb_udp(b, d->sport, d->dport);
	} else {
		static const uint8_t *const o[] = { NULL, ofd_pktb_tcp_opt_ts,
						    opt_ts_sack, opt_mss };
		static const uint8_t n[] = { 0, 12, 32, 12 };

		t.options = o[d->tcpopt];
		t.options_len = n[d->tcpopt];
		l4 = ofd_pktb_tcp(b, &t);
		if (l4 >= 0 && d->ae)
			b->buf[b->layer[l4].off + 12] |= 1;
	}
	/* Room for the payload: the frame within maxlen with an AH header
	 * and the trailer still to come. */
	room = maxlen > b->len + 24 + d->trailer ? maxlen - b->len - 24 - d->trailer : 0;
	plen = d->want < room ? d->want : room;
	pl = ofd_pktb_bytes(b, NULL, plen);
	if (pl >= 0)
		ofd_rng_fill(pr, b->buf + b->layer[pl].off, plen);
	if (d->trailer) {
		uint8_t tr[16];

		ofd_rng_fill(pr, tr, d->trailer);
		tr[0] |= 1;
		ofd_pktb_trailer(b, tr, d->trailer);
	}
	return l4;
}

/* An AH header (RFC 4302: 12 bytes and a 12-byte ICV) right after the
 * untunnelled IPv6 header; the L4 seed stays what it was. */
static void insert_ah(uint8_t *buf, uint32_t *len, uint32_t ip6, uint32_t spi)
{
	uint32_t at = ip6 + 40;
	uint8_t *ah = buf + at;
	uint16_t pl = (uint16_t)(buf[ip6 + 4] << 8 | buf[ip6 + 5]);

	memmove(buf + at + 24, buf + at, *len - at);
	memset(ah, 0, 24);
	ah[0] = buf[ip6 + 6];
	ah[1] = 4; /* (24 / 4) - 2 */
	ofd_put_be32(ah + 4, spi);
	ofd_put_be32(ah + 8, 1);
	buf[ip6 + 6] = 51;
	ofd_put_be16(buf + ip6 + 4, (uint16_t)(pl + 24));
	*len += 24;
}

/* ---- the request -------------------------------------------------- */

static void perturb(const struct draws *d, const uint8_t *buf, uint32_t len,
		    const struct ofd_tso_frame *f, struct ofd_request *req,
		    uint8_t *field)
{
	bool tcp = f->l4_proto == OFD_P_TCP;
	struct ofd_parsed p;
	uint32_t sum;

	switch (d->rq) {
	case OFD_TSO_RQ_BAD_OFFSET:
		req->vnet.csum_offset = d->sub == 0 ? (tcp ? 6 : 16) :
					d->sub == 1 ? (tcp ? 17 : 7) : 0;
		break;
	case OFD_TSO_RQ_SIZE_ZERO:
		req->vnet.gso_size = 0;
		break;
	case OFD_TSO_RQ_BY_FRAGS:
		req->vnet.gso_size = 0xffff;
		break;
	case OFD_TSO_RQ_BAD_SEED:
		if (!field)
			break;
		sum = 0;
		if (d->sub == 1) {
			/* The seed a NIC driver wants: no length (ice_tso). */
			ofd_parse(buf, len, 0, &p);
			if (p.l4 < 0 || ofd_parse_pseudo(buf, len, &p, p.l4, 0, 0, &sum))
				sum = 0;
			ofd_put_be16(field, ofd_fold16(sum));
		} else if (d->sub == 2) {
			ofd_put_be16(field, (uint16_t)~(field[0] << 8 | field[1]));
		} else {
			ofd_put_be16(field, (uint16_t)((field[0] << 8 | field[1]) ^ 0x5a5a));
		}
		break;
	case OFD_TSO_RQ_NO_CSUM:
		req->vnet.flags = 0;
		break;
	case OFD_TSO_RQ_BAD_TYPE:
		if (tcp)
			req->vnet.gso_type = d->sub == 0 ? OFD_VNET_GSO_UDP_L4 :
					     f->v6 ? OFD_VNET_GSO_TCPV4 : OFD_VNET_GSO_TCPV6;
		else
			req->vnet.gso_type = d->sub == 0 ? OFD_VNET_GSO_TCPV4 :
					     OFD_VNET_GSO_UDP_L4 | OFD_VNET_GSO_ECN;
		if (req->kind == OFD_REQ_LEGACY) {
			req->skb_gso &= ~(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6 |
					  OFD_SKB_GSO_UDP_L4);
			req->skb_gso |= tcp ? (f->v6 ? OFD_SKB_GSO_TCPV4 : OFD_SKB_GSO_TCPV6) :
					      OFD_SKB_GSO_TCPV4;
			if (d->sub == 2) /* and the tunnel left unsaid */
				req->skb_gso &= ~(OFD_SKB_GSO_UDP_TUNNEL |
						  OFD_SKB_GSO_UDP_TUNNEL_CSUM |
						  OFD_SKB_GSO_GRE | OFD_SKB_GSO_GRE_CSUM |
						  OFD_SKB_GSO_IPXIP4 | OFD_SKB_GSO_IPXIP6);
		}
		break;
	default:
		break;
	}
}

int ofd_tso_random_ex(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		      struct ofd_pkt *pkt, struct ofd_case *c,
		      struct ofd_tso_rand_info *info)
{
	struct ofd_tso_rand_info dummy;
	struct ofd_tso_frame f;
	struct ofd_rng r, pr;
	struct ofd_pktb b;
	struct draws d;
	uint32_t maxlen, len, ah_ip = 0;
	uint16_t gso;
	unsigned int variant = 0;
	enum ofd_req_kind kind;
	int l4;

	if (!buf || !pkt || !c || cap < 128)
		return -EINVAL;
	if (!info)
		info = &dummy;
	memset(info, 0, sizeof(*info));
	maxlen = cap < OFD_TSO_RAND_MAX_FRAME ? cap : OFD_TSO_RAND_MAX_FRAME;
	r.s = ofd_rng_mix64(seed ^ ofd_rng_mix64(index ^ 0x7a3f0e2d5b1c4968ull));
	pr.s = ofd_rng_mix64(r.s ^ 0x2545f4914f6cdd1dull);
	draw(&r, &d);

	ofd_pktb_init(&b, buf, maxlen);
	l4 = build(&b, &pr, &d, maxlen);
	if (l4 < 0 || ofd_pktb_finish(&b))
		return -EIO; /* cannot happen with cap >= 128 */
	len = b.len;
	if (ofd_tso_frame(buf, len, &f) || ofd_tso_seed(buf, len, &f, buf))
		return -EIO;
	if (d.ext == EXT_AH) {
		ah_ip = b.layer[ofd_pktb_find(&b, OFD_P_IPV6, -1)].off;
		insert_ah(buf, &len, ah_ip, d.ah_spi);
		f.l4_off += 24;
	}

	kind = d.legacy ? OFD_REQ_LEGACY : OFD_REQ_VNET;
	gso = d.gso;
	if (kind == OFD_REQ_LEGACY && d.rq == OFD_TSO_RQ_CORRECT &&
	    !ofd_tso_stack_builds(&f, gso)) {
		/* What the stack would build of this payload. */
		if (f.payload < 2)
			kind = OFD_REQ_VNET;
		else if (f.payload <= gso)
			gso = (uint16_t)((f.payload + 1) / 2);
		else /* UDP: at most 128 segments */
			gso = (uint16_t)((f.payload + 127) / 128);
	}
	if (kind == OFD_REQ_VNET && d.ufo && f.l4_proto == OFD_P_UDP && !f.v6 &&
	    !f.tunnel)
		variant = OFD_TSO_UFO;
	memset(c, 0, sizeof(*c));
	ofd_tso_request(&f, kind, gso, variant, &c->req);
	if (kind == OFD_REQ_LEGACY && f.l4_proto == OFD_P_TCP) {
		if (d.fixedid && f.outer_v4)
			c->req.skb_gso |= OFD_SKB_GSO_TCP_FIXEDID;
		if (d.fixedid_inner && f.inner_v4)
			c->req.skb_gso |= OFD_SKB_GSO_TCP_FIXEDID_INNER;
		if (d.accecn && f.cwr) {
			c->req.skb_gso &= ~OFD_SKB_GSO_TCP_ECN;
			c->req.skb_gso |= OFD_SKB_GSO_TCP_ACCECN;
			c->req.vnet.gso_type &= (uint8_t)~OFD_VNET_GSO_ECN;
		}
	}
	perturb(&d, buf, len, &f, &c->req,
		buf + f.l4_off + (f.l4_proto == OFD_P_TCP ? 16 : 6));

	info->req = (uint8_t)d.rq;
	info->l4_proto = f.l4_proto;
	info->tunnel = d.tun == TUN_VXLAN ? OFD_P_VXLAN : d.tun == TUN_GENEVE ? OFD_P_GENEVE :
		       d.tun == TUN_GRE ? OFD_P_GRE :
		       d.tun == TUN_IPIP ? (d.v6 ? OFD_P_IPV6 : OFD_P_IPV4) : OFD_P_NONE;
	info->ext = d.ext == EXT_HBH || d.ext == EXT_CHAIN ? OFD_P_HBH :
		    d.ext == EXT_DST ? OFD_P_DSTOPTS :
		    d.ext == EXT_SRH0 || d.ext == EXT_SRH ? OFD_P_SRH :
		    d.ext == EXT_FRAG ? OFD_P_FRAG : d.ext == EXT_AH ? 51 : 0;
	info->trailer = d.trailer != 0;
	info->gso_size = gso;
	info->payload = f.payload;
	info->segs = gso ? (f.payload + gso - 1) / gso : 0;
	info->full_len = len;

	pkt->data = buf;
	pkt->len = len;
	pkt->flags = 0;
	c->id = index;
	c->offload = OFD_OFFLOAD_TSO;
	c->npkts = 1;
	c->pkts = pkt;
	c->src_file = NULL;
	c->src_index = (uint32_t)index;
	return 0;
}
