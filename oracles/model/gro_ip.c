// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro_ip.c - the GRO model's IPv4 and IPv6 rules (kernel-rx.md 1.3, 1.4,
 * 1.5, 1.9): which S bypass GRO, which are marked flush, which held
 * packets stay candidates for S, the network flush TCP asks for, and the
 * IP header of a merged packet.
 */
#include <string.h>

#include "ofd_csum.h"
#include "gro_internal.h"

#define NH GRO_ETH_HLEN

/* L4 protocols with a GRO handler the model has (TCP, UDP), the tunnel
 * handlers it does not have yet (IPIP, IPv6-in-IP, GRE: kernel-rx.md 3),
 * or none (bypass). */
static enum gro_verdict l4_handler(uint8_t proto)
{
	switch (proto) {
	case 6:
	case 17:
		return GRO_GO;
	case 4:
	case 41:
	case 47:
		return GRO_UNMODELLED;
	}
	return GRO_BYPASS;
}

static enum gro_verdict ipv4_receive(struct gro_state *st, struct gro_seg *s)
{
	const uint8_t *ip = s->d + NH;
	uint16_t tot, frag;
	enum gro_verdict v;
	unsigned int i;

	if (s->len < NH + 20)
		return GRO_BYPASS;
	/* any option, a fragment, a bad header checksum: bypass (1.3) */
	if (ip[0] != 0x45)
		return GRO_BYPASS;
	frag = (uint16_t)(ip[6] << 8 | ip[7]);
	if (frag & 0x3fff)
		return GRO_BYPASS;
	if (ofd_fold16(ofd_csum_partial(ip, 20, 0)) != 0xffff)
		return GRO_BYPASS;
	v = l4_handler(ip[9]);
	if (v != GRO_GO)
		return v;
	/* tot_len against the bytes left, modulo 2^16 as the kernel's u16
	 * compare; any frag_off bit but DF (the reserved bit): flush (1.3) */
	tot = (uint16_t)(ip[2] << 8 | ip[3]);
	s->flush = tot != (uint16_t)(s->len - NH) || (frag & 0x8000);
	s->ipv = 4;
	s->proto = ip[9];
	s->th = NH + 20;
	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const uint8_t *ip2 = gro_head(st, p)->d + NH;

		if (!p->same_flow)
			continue;
		if (gro_head(st, p)->ipv != 4 || ip[9] != ip2[9] ||
		    memcmp(ip + 12, ip2 + 12, 8))
			p->same_flow = false;
	}
	return GRO_GO;
}

/* Hop-by-Hop, Routing and Destination Options are pulled (1.4). */
static bool ipv6_exthdr(uint8_t nh)
{
	return nh == 0 || nh == 43 || nh == 60;
}

static enum gro_verdict ipv6_receive(struct gro_state *st, struct gro_seg *s)
{
	const uint8_t *ip = s->d + NH;
	uint32_t off = NH + 40, nlen, olen, i;
	uint16_t plen;
	enum gro_verdict v;
	uint8_t nh;

	if (s->len < NH + 40)
		return GRO_BYPASS;
	plen = (uint16_t)(ip[4] << 8 | ip[5]);
	s->flush = plen != s->len - NH - 40; /* a jumbo 0 as well (1.4) */
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
	v = l4_handler(nh);
	if (v != GRO_GO)
		return v;
	if (off > UINT16_MAX)
		return GRO_BYPASS;
	s->ipv = 6;
	s->proto = nh;
	s->th = (uint16_t)off;
	nlen = off - NH;
	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const struct gro_seg *h = gro_head(st, p);
		const uint8_t *ip2 = h->d + NH;

		if (!p->same_flow)
			continue;
		/* version and flow label, addresses, the first next header,
		 * then every extension header byte (1.4); P's bytes past
		 * its own frame count as different */
		if (h->ipv != 6 || ((ip[0] ^ ip2[0]) & 0xf0) ||
		    ((ip[1] ^ ip2[1]) & 0x0f) || ip[2] != ip2[2] ||
		    ip[3] != ip2[3] || ip[6] != ip2[6] ||
		    memcmp(ip + 8, ip2 + 8, 32) ||
		    (nlen > 40 && (h->len < NH + nlen ||
				   memcmp(ip + 40, ip2 + 40, nlen - 40))))
			p->same_flow = false;
	}
	return GRO_GO;
}

enum gro_verdict gro_ip_receive(struct gro_state *st, struct gro_seg *s,
				uint16_t ethertype)
{
	if (ethertype == 0x0800)
		return ipv4_receive(st, s);
	if (ethertype == 0x86dd)
		return ipv6_receive(st, s);
	return GRO_BYPASS; /* no packet_offload: GRO_NORMAL (1.1) */
}

bool gro_ip_network_flush(const struct gro_state *st, const struct gro_seg *s,
			  struct gro_flow *p)
{
	const uint8_t *ip = s->d + NH, *ip2 = gro_head(st, p)->d + NH;
	uint16_t off;

	if (s->ipv == 6) /* traffic class and hop limit (1.5) */
		return ((ip[0] ^ ip2[0]) & 0x0f) || ((ip[1] ^ ip2[1]) & 0xf0) ||
		       ip[7] != ip2[7];
	/* TTL, TOS (ECN included) and DF first; then the ID against P's
	 * first header: P.count ahead, or equal in a fixed-ID flow, which
	 * the second segment decides (1.5, 6.18: DF plays no part) */
	if (ip[8] != ip2[8] || ip[1] != ip2[1] || ((ip[6] ^ ip2[6]) & 0x40))
		return true;
	off = (uint16_t)(((ip[4] << 8) | ip[5]) - ((ip2[4] << 8) | ip2[5]));
	if (p->count == 1 && off == 0)
		p->fixedid |= 1;
	return off != (uint16_t)((p->fixedid & 1) ? 0 : p->count);
}

uint32_t gro_ip_pseudo(const struct gro_seg *s, uint8_t proto, uint32_t l4len)
{
	const uint8_t *ip = s->d + NH;

	/* the header's own addresses, whatever routing header follows */
	if (s->ipv == 4)
		return ofd_pseudo_v4(ip + 12, ip + 16, l4len, proto);
	return ofd_pseudo_v6(ip + 8, ip + 24, l4len, proto);
}

void gro_ip_complete(uint8_t *m, uint32_t len, uint8_t ipv)
{
	uint8_t *ip = m + NH;
	uint32_t sum;
	uint16_t old, new;

	if (ipv == 6) {
		ofd_put_be16(ip + 4, (uint16_t)(len - NH - 40));
		return;
	}
	/* tot_len and an incremental header checksum update, the kernel's
	 * csum_replace2 in 32-bit ones' complement (1.9) */
	old = (uint16_t)(ip[2] << 8 | ip[3]);
	new = (uint16_t)(len - NH);
	sum = ~(uint32_t)(ip[10] << 8 | ip[11]);
	sum = ofd_csum_add(ofd_csum_sub(sum, old), new);
	ofd_put_be16(ip + 10, ofd_csum_fold(sum));
	ofd_put_be16(ip + 2, new);
}
