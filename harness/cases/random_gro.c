// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * random_gro.c - random gro trains: 1 to 8 segments of 1 to 3 TCP flows
 * (sometimes UDP, sometimes either in IP in IP, GRE or VXLAN) over IPv4
 * or IPv6, each flow contiguous, one field of one segment mutated the
 * way a GRO rule looks at it (kernel-rx.md 1.3-1.7: sequence, ack,
 * flags, window, TOS, TTL, IPv4 ID and DF, TCP options, checksum, IPv4
 * options, fragments, payload length; 2.2 for UDP: zero or bad checksum,
 * UDP length, trailer, ports; 3 for VXLAN: VNI, flags, inner MAC, outer
 * checksum and ports), and random flush points. UDP and VXLAN trains
 * merge only on an engine whose gro settings say so (gro_udp, vxlan).
 *
 * Train (seed, index) depends on nothing else (ofd_rng.h); cap and
 * maxpkts only bound it: a train stops where the next frame would not fit.
 */
#include <errno.h>
#include <string.h>

#include "ofd_gro.h"
#include "ofd_offload.h"
#include "ofd_rng.h"
#include "gro_internal.h"

static const struct fam fams[] = {
	{ "tcp4", 0, T_NONE, 4, false }, { "tcp6", 0, T_NONE, 6, false },
	{ "ipip", 4, T_IPIP, 4, false }, { "gre6", 6, T_GRE, 6, false },
	{ "udp4", 0, T_NONE, 4, true }, { "udp6", 0, T_NONE, 6, true },
	{ "vxlan4", 4, T_VXLAN, 4, false }, { "vxlan6", 6, T_VXLAN, 6, false },
	{ "ipip-udp", 4, T_IPIP, 4, true }, { "vxlan-udp", 4, T_VXLAN, 4, true },
	{ "gre6-udp", 6, T_GRE, 6, true },
};
static const uint8_t fam_w[] = { 36, 36, 8, 6, 10, 8, 8, 6, 3, 3, 2 };

static const uint8_t ts_a[12] = { 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 0 };
static const uint8_t ts_b[12] = { 1, 1, 8, 10, 0, 0, 0, 6, 0, 0, 0, 0 };
static const uint8_t ipv4_nop[4] = { 1, 1, 1, 0 };

/* A UDP field the way udp_gro_receive_segment looks at it (2.2), or the
 * reserved IPv4 bit, which fraglist and plain UDP GRO treat apart. */
static void mutate_udp(struct ofd_rng *r, struct seg *s)
{
	switch (ofd_rng_below(r, 6)) {
	case 5: s->evil = true; break;
	case 0: s->udp_csum = GRO_UCSUM_ZERO; break;
	case 1: s->udp_csum = GRO_UCSUM_BAD; break;
	case 2: s->ulen_delta = ofd_rng_chance(r, 50) ? -1 : 1; break;
	case 3: s->trailer = (uint8_t)(1 + ofd_rng_below(r, 8)); break;
	default: s->sport = (uint16_t)(s->sport + 1); break;
	}
}

/* A VXLAN or outer UDP field the way udp_gro_receive and
 * vxlan_gro_receive look at them (3). */
static void mutate_vxlan(struct ofd_rng *r, struct seg *s)
{
	switch (ofd_rng_below(r, 5)) {
	case 0: s->vni_x = 1 + ofd_rng_below(r, 3); break;
	case 1: s->vx_flags_x = ofd_rng_chance(r, 50) ? 0x04 : 0x08; break;
	case 2: s->imac_x = 1; break;
	case 3: s->vx_csum = !s->vx_csum; break;
	default: s->vx_sport_x = 1; break;
	}
}

/* One field of s the way a rule looks at it. */
static void mutate(struct ofd_rng *r, struct seg *s, const struct fam *f)
{
	static const uint8_t flags[] = { 0x08, 0x01, 0x02, 0x04, 0x20, 0x80, 0x40 };
	unsigned int k = ofd_rng_below(r, 14 + (f->udp || f->tun == T_VXLAN ? 6 : 0));

	if (k >= 14) {
		/* UDP in VXLAN: either layer's fields */
		if (f->udp && (f->tun != T_VXLAN || ofd_rng_chance(r, 50)))
			mutate_udp(r, s);
		else
			mutate_vxlan(r, s);
		return;
	}
	switch (k) {
	case 0: s->seq += 1 + ofd_rng_below(r, 200); break;
	case 1: s->seq -= 1 + ofd_rng_below(r, 100); break;
	case 2: s->ack += 1; break;
	case 3: s->flags |= flags[ofd_rng_below(r, sizeof(flags))]; break;
	case 4: s->window = (uint16_t)(s->window - 1); break;
	case 5: s->tos = (uint8_t)(1 + ofd_rng_below(r, 255)); break;
	case 6: s->ttl = (uint8_t)(s->ttl - 1); break;
	case 7: s->id = (uint16_t)(s->id + 1 + ofd_rng_below(r, 3)); break;
	case 8: s->no_df = !s->no_df; break;
	case 9: s->topt = ofd_rng_chance(r, 50) ? ts_a : ts_b; s->topt_len = 12; break;
	case 10: s->bad_csum = !f->udp; break;
	case 11:
		if (f->inner == 4 && !f->tun) {
			s->ipopt = ipv4_nop;
			s->ipopt_len = 4;
		} else {
			s->frag = !f->tun;
		}
		break;
	case 12: s->plen = ofd_rng_below(r, 3) ? s->plen / 2 : 0; break;
	default: s->plen += 1 + ofd_rng_below(r, 300); break;
	}
}

int ofd_gro_random(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		   struct ofd_pkt *pkts, unsigned int maxpkts, struct ofd_case *c)
{
	struct seg flow[3], s;
	struct ofd_pktb b;
	const struct fam *f;
	struct ofd_rng r;
	unsigned int n, nflows, k, mut_at, i;
	uint32_t used = 0, plen;
	bool ts;

	if (!maxpkts || !buf || !pkts || !c)
		return -EINVAL;
	r.s = ofd_rng_mix64(seed ^ ofd_rng_mix64(index ^ 0x5c3a9e61d2b7f804ull));
	f = &fams[ofd_rng_pick(&r, fam_w, sizeof(fam_w))];
	n = 1 + ofd_rng_below(&r, OFD_GRO_RANDOM_PKTS);
	if (n > maxpkts)
		n = maxpkts;
	nflows = 1 + ofd_rng_below(&r, 3);
	/* One size for the whole train most of the time: merges happen.
	 * At most 1100 bytes, 1400 grown by a mutation, and 150 bytes of
	 * headers at most: a frame fits OFD_GRO_RANDOM_FRAME. */
	plen = ofd_rng_chance(&r, 70) ? 100 : 1 + ofd_rng_below(&r, 1100);
	ts = ofd_rng_chance(&r, 30);
	for (i = 0; i < nflows; i++) {
		memset(&flow[i], 0, sizeof(flow[i]));
		flow[i].sport = (uint16_t)(1000 + i);
		flow[i].seq = ofd_rng_below(&r, 1u << 31);
		flow[i].ack = 1;
		flow[i].window = 65535;
		flow[i].flags = 0x10;
		flow[i].ttl = 64;
		flow[i].id = (uint16_t)ofd_rng_below(&r, 65536);
		flow[i].no_df = ofd_rng_chance(&r, 20);
		/* VXLAN's outer checksum: zero (the usual) or filled */
		flow[i].vx_csum = f->tun == T_VXLAN && ofd_rng_chance(&r, 40);
		if (ts) {
			flow[i].topt = ts_a;
			flow[i].topt_len = 12;
		}
	}
	/* Mutate one segment about half the time (n: none). */
	mut_at = ofd_rng_chance(&r, 50) ? ofd_rng_below(&r, n) : n;

	memset(c, 0, sizeof(*c));
	for (k = 0; k < n; k++) {
		struct seg *fl = &flow[ofd_rng_below(&r, nflows)];

		if (cap - used < OFD_GRO_RANDOM_FRAME)
			break;
		s = *fl;
		s.plen = plen;
		if (k == mut_at)
			mutate(&r, &s, f);
		/* The flow goes on from this segment as sent. */
		fl->seq = s.seq + s.plen;
		fl->id = (uint16_t)(s.id + 1);
		s.flush_after = ofd_rng_chance(&r, 20);
		ofd_pktb_init(&b, buf + used, OFD_GRO_RANDOM_FRAME);
		ofd_gro_build(&b, f, &s);
		if (b.err || ofd_pktb_finish(&b))
			return b.err ? b.err : -EINVAL;
		ofd_gro_fixup(&b, f, &s);
		pkts[k].data = buf + used;
		pkts[k].len = b.len;
		pkts[k].flags = s.flush_after ? OFD_PKT_F_FLUSH_AFTER : 0;
		used += b.len;
	}
	if (!k)
		return -ENOSPC;
	pkts[k - 1].flags |= OFD_PKT_F_FLUSH_AFTER;
	c->id = index;
	c->offload = OFD_OFFLOAD_GRO;
	c->npkts = k;
	c->pkts = pkts;
	c->req.kind = OFD_REQ_VNET;
	c->src_index = (uint32_t)index;
	return 0;
}
