// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro_ip.c - the GRO model's IPv4 and IPv6 rules (kernel-rx.md 1.3, 1.4,
 * 1.5, 1.9) and the tunnels without a socket (3): IPv4/IPv6 in IPv4/IPv6
 * and GRE carrying IPv4/IPv6. Which S bypass GRO, which are marked flush,
 * which held packets stay candidates for S, the network flush TCP asks
 * for on every IP header, and the IP headers of a merged packet.
 *
 * A held packet P is compared at S's own offsets: the MAC header, then
 * each level's protocol and lengths are equal before the next level is
 * looked at, so P's headers lie where S's do (P's frame is bounds-checked
 * all the same).
 */
#include <string.h>

#include "ofd_csum.h"
#include "gro_internal.h"

#define GRE_CSUM 0x8000
#define GRE_KEY 0x2000

static enum gro_verdict ip_receive(struct gro_state *st, struct gro_seg *s,
				   uint32_t off, uint16_t ethertype);

/* A held packet's bytes [off, off + n), NULL past its first frame. */
static const uint8_t *p_bytes(const struct gro_state *st, const struct gro_flow *p,
			      uint32_t off, uint32_t n)
{
	const struct gro_seg *h = gro_head(st, p);

	return h->len >= off && h->len - off >= n ? h->d + off : NULL;
}

/*
 * GRE (3): version 0 with at most the K and C bits, the same flags,
 * protocol and key as P; the "key" compared is the word right after the
 * base header, which with C set is the checksum word (gre_gro_receive
 * reads greh + 1; measured below). A second tunnel layer bypasses (encap_mark). With C
 * and S not marked flush, the GRE checksum (no pseudo-header, to the end
 * of the frame) is validated: bad bypasses, good makes S UNNECESSARY
 * (1.8), and the inner TCP checksum is then checked against the converted
 * sum, which decides as a full check would. gretap (ETH_P_TEB) carries
 * Ethernet: eth_gro_receive wants P's inner MAC header equal too, then the
 * inner ethertype's handler (IPv4, IPv6; anything else flushes S
 * through).
 */
static enum gro_verdict gre_receive(struct gro_state *st, struct gro_seg *s,
				    uint32_t off)
{
	const uint8_t *g = s->d + off;
	uint32_t glen = 4;
	unsigned int i;
	uint16_t flags, proto;

	if (s->len - off < 4)
		return GRO_BYPASS;
	flags = (uint16_t)(g[0] << 8 | g[1]);
	proto = (uint16_t)(g[2] << 8 | g[3]);
	if (flags & ~(GRE_CSUM | GRE_KEY))
		return GRO_BYPASS;
	if (proto != 0x0800 && proto != 0x86dd && proto != 0x6558)
		return GRO_BYPASS;
	if (flags & GRE_KEY)
		glen += 4;
	if (flags & GRE_CSUM)
		glen += 4;
	if (s->len - off < glen)
		return GRO_BYPASS;
	if ((flags & GRE_CSUM) && !s->flush) {
		if (ofd_fold16(ofd_csum_partial(g, s->len - off, 0)) != 0xffff)
			return GRO_BYPASS;
		s->valid++;
	}
	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const uint8_t *g2 = p_bytes(st, p, off, glen);

		if (p->same_flow && (!g2 || memcmp(g, g2, 4) ||
				     ((flags & GRE_KEY) && memcmp(g + 4, g2 + 4, 4))))
			p->same_flow = false;
	}
	off += glen;
	if (proto == 0x6558)
		return gro_eth_receive(st, s, off);
	return ip_receive(st, s, off, proto);
}

enum gro_verdict gro_eth_receive(struct gro_state *st, struct gro_seg *s,
				 uint32_t off)
{
	unsigned int i;

	if (s->len - off < GRO_ETH_HLEN)
		return GRO_BYPASS;
	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const uint8_t *e2 = p_bytes(st, p, off, GRO_ETH_HLEN);

		if (p->same_flow && (!e2 || memcmp(s->d + off, e2, GRO_ETH_HLEN)))
			p->same_flow = false;
	}
	return ip_receive(st, s, off + GRO_ETH_HLEN,
			  (uint16_t)(s->d[off + 12] << 8 | s->d[off + 13]));
}

/* The next header after an IP header at level s->encap. */
static enum gro_verdict l4_dispatch(struct gro_state *st, struct gro_seg *s,
				    uint8_t proto, uint32_t off)
{
	switch (proto) {
	case 6:
	case 17:
		s->proto = proto;
		s->th = (uint16_t)off;
		return GRO_GO;
	case 4:
	case 41:
	case 47:
		/* one tunnel level only: the encap mark makes a second one
		 * flush S through, held packets untouched (3) */
		if (s->encap)
			return GRO_BYPASS;
		s->encap = true;
		if (proto == 47)
			return gre_receive(st, s, off);
		return ip_receive(st, s, off, proto == 4 ? 0x0800 : 0x86dd);
	}
	return GRO_BYPASS;
}

static bool l4_known(uint8_t proto)
{
	return proto == 6 || proto == 17 || proto == 4 || proto == 41 || proto == 47;
}

static enum gro_verdict ipv4_receive(struct gro_state *st, struct gro_seg *s,
				     uint32_t off)
{
	const uint8_t *ip = s->d + off;
	uint16_t tot, frag;
	unsigned int i;

	if (s->len - off < 20)
		return GRO_BYPASS;
	/* any option, a fragment, a bad header checksum, no handler:
	 * bypass (1.3) */
	if (ip[0] != 0x45)
		return GRO_BYPASS;
	frag = (uint16_t)(ip[6] << 8 | ip[7]);
	if (frag & 0x3fff)
		return GRO_BYPASS;
	if (ofd_fold16(ofd_csum_partial(ip, 20, 0)) != 0xffff)
		return GRO_BYPASS;
	if (!l4_known(ip[9]))
		return GRO_BYPASS;
	/* tot_len against the bytes left, modulo 2^16 as the kernel's u16
	 * compare; any frag_off bit but DF (the reserved bit): flush (1.3) */
	tot = (uint16_t)(ip[2] << 8 | ip[3]);
	if (tot != (uint16_t)(s->len - off) || (frag & 0x8000))
		s->flush = true;
	s->nh[s->encap] = (uint16_t)off;
	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const uint8_t *ip2 = p_bytes(st, p, off, 20);

		if (!p->same_flow)
			continue;
		if (!ip2 || (ip2[0] >> 4) != 4 || ip[9] != ip2[9] ||
		    memcmp(ip + 12, ip2 + 12, 8))
			p->same_flow = false;
	}
	return l4_dispatch(st, s, ip[9], off + 20);
}

/* Hop-by-Hop, Routing and Destination Options are pulled (1.4). */
static bool ipv6_exthdr(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60;
}

static enum gro_verdict ipv6_receive(struct gro_state *st, struct gro_seg *s,
				     uint32_t nh_off)
{
	const uint8_t *ip = s->d + nh_off;
	uint32_t off = nh_off + 40, nlen, olen, i;
	uint16_t plen;
	uint8_t nh;

	if (s->len - nh_off < 40)
		return GRO_BYPASS;
	plen = (uint16_t)(ip[4] << 8 | ip[5]);
	if (plen != s->len - nh_off - 40) /* a jumbo 0 as well (1.4) */
		s->flush = true;
	nh = ip[6];
	while (ipv6_exthdr(nh)) {
		/* a truncated header stops the walk at it: no handler */
		if (s->len - off < 8)
			return GRO_BYPASS;
		olen = ((uint32_t)s->d[off + 1] + 1) * 8;
		if (s->len - off < olen)
			return GRO_BYPASS;
		nh = s->d[off];
		off += olen;
	}
	if (!l4_known(nh) || off > UINT16_MAX)
		return GRO_BYPASS;
	s->nh[s->encap] = (uint16_t)nh_off;
	nlen = off - nh_off;
	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const uint8_t *ip2 = p_bytes(st, p, nh_off, nlen);

		if (!p->same_flow)
			continue;
		/* version and flow label, addresses, the first next header,
		 * then every extension header byte (1.4) */
		if (!ip2 || ((ip[0] ^ ip2[0]) & 0xf0) || ((ip[1] ^ ip2[1]) & 0x0f) ||
		    ip[2] != ip2[2] || ip[3] != ip2[3] || ip[6] != ip2[6] ||
		    memcmp(ip + 8, ip2 + 8, 32) ||
		    (nlen > 40 && memcmp(ip + 40, ip2 + 40, nlen - 40)))
			p->same_flow = false;
	}
	return l4_dispatch(st, s, nh, off);
}

static enum gro_verdict ip_receive(struct gro_state *st, struct gro_seg *s,
				   uint32_t off, uint16_t ethertype)
{
	if (ethertype == 0x0800)
		return ipv4_receive(st, s, off);
	if (ethertype == 0x86dd)
		return ipv6_receive(st, s, off);
	return GRO_BYPASS; /* no packet_offload: GRO_NORMAL (1.1) */
}

enum gro_verdict gro_ip_receive(struct gro_state *st, struct gro_seg *s,
				uint16_t ethertype)
{
	return ip_receive(st, s, GRO_ETH_HLEN, ethertype);
}

enum gro_verdict gro_l3_receive(struct gro_state *st, struct gro_seg *s,
				uint32_t off, uint16_t ethertype)
{
	return ip_receive(st, s, off, ethertype);
}

/* One header level of the network flush (1.5), under rules r: a device's
 * rules may leave a field out of the comparison. */
static bool level_flush(const struct ofd_gro_rules *r, const uint8_t *ip,
			const uint8_t *ip2, struct gro_flow *p, unsigned int level)
{
	uint8_t tos_mask = (uint8_t)((r->ignore_tos ? 0 : 0xfc) |
				     (r->ignore_ecn ? 0 : 0x03));
	uint16_t off;

	if ((ip[0] >> 4) == 6) { /* traffic class and hop limit */
		uint8_t tc = (uint8_t)(ip[0] << 4 | ip[1] >> 4);
		uint8_t tc2 = (uint8_t)(ip2[0] << 4 | ip2[1] >> 4);

		return ((tc ^ tc2) & tos_mask) ||
		       (!r->ignore_ttl && ip[7] != ip2[7]);
	}
	/* TTL, TOS (ECN included) and DF first; then the ID against P's
	 * first header: P.count ahead, or equal in a fixed-ID flow, which
	 * the second segment decides (6.18: DF plays no part) */
	if ((!r->ignore_ttl && ip[8] != ip2[8]) || ((ip[1] ^ ip2[1]) & tos_mask) ||
	    ((ip[6] ^ ip2[6]) & 0x40))
		return true;
	if (r->ignore_ip_id)
		return false;
	off = (uint16_t)(((ip[4] << 8) | ip[5]) - ((ip2[4] << 8) | ip2[5]));
	if (p->count == 1 && off == 0)
		p->fixedid |= (uint8_t)(1u << level);
	return off != (uint16_t)((p->fixedid >> level & 1) ? 0 : p->count);
}

bool gro_ip_network_flush(const struct gro_state *st, const struct gro_seg *s,
			  struct gro_flow *p)
{
	const uint8_t *d2 = gro_head(st, p)->d;
	bool flush;

	/* both headers of a tunnelled flow, each with its own fixed-ID bit */
	flush = level_flush(st->r, s->d + s->nh[0], d2 + s->nh[0], p, 0);
	if (s->encap)
		flush |= level_flush(st->r, s->d + s->nh[1], d2 + s->nh[1], p, 1);
	return flush;
}

uint32_t gro_ip_pseudo(const struct gro_seg *s, uint8_t proto, uint32_t l4len)
{
	return gro_ip_pseudo_level(s, s->encap, proto, l4len);
}

uint32_t gro_ip_pseudo_level(const struct gro_seg *s, unsigned int level,
			     uint8_t proto, uint32_t l4len)
{
	const uint8_t *ip = s->d + s->nh[level];

	/* the innermost header's own addresses, whatever routing header
	 * follows */
	if ((ip[0] >> 4) == 4)
		return ofd_pseudo_v4(ip + 12, ip + 16, l4len, proto);
	return ofd_pseudo_v6(ip + 8, ip + 24, l4len, proto);
}

static void level_complete(uint8_t *ip, uint32_t len)
{
	uint32_t sum;
	uint16_t old, new;

	if ((ip[0] >> 4) == 6) {
		ofd_put_be16(ip + 4, (uint16_t)(len - 40));
		return;
	}
	/* tot_len and an incremental header checksum update, the kernel's
	 * csum_replace2 in 32-bit ones' complement (1.9) */
	old = (uint16_t)(ip[2] << 8 | ip[3]);
	new = (uint16_t)len;
	sum = ~(uint32_t)(ip[10] << 8 | ip[11]);
	sum = ofd_csum_add(ofd_csum_sub(sum, old), new);
	ofd_put_be16(ip + 10, ofd_csum_fold(sum));
	ofd_put_be16(ip + 2, new);
}

void gro_ip_complete(uint8_t *m, uint32_t len, const struct gro_seg *h)
{
	level_complete(m + h->nh[0], len - h->nh[0]);
	if (h->encap)
		level_complete(m + h->nh[1], len - h->nh[1]);
}
