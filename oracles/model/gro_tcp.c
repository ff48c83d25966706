// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro_tcp.c - the GRO model's TCP rules (kernel-rx.md 1.2, 1.6, 1.7, 1.8)
 * and the packet gro_complete makes of a merged flow (1.9); UDP, which the
 * kernel engine's tap never aggregates (2.1) and a device's rules may
 * (ofd_gro_rules.h).
 */
#include <string.h>

#include "ofd_csum.h"
#include "gro_internal.h"

/*
 * CHECKSUM_NONE on a tap: GRO sums the L4 bytes to the end of the frame
 * with the pseudo-header over that length (1.8). Good: UNNECESSARY level 0
 * from here on, merged or not.
 */
static bool l4_csum_ok(const struct gro_seg *s, uint8_t proto)
{
	uint32_t l4 = s->len - s->th;
	uint32_t sum = ofd_csum_partial(s->d + s->th, l4, gro_ip_pseudo(s, proto, l4));

	return ofd_fold16(sum) == 0xffff;
}

static uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* tcp_gro_lookup (and udp_gro_receive_segment's walk): the youngest
 * candidate of protocol S's with the same port pair. */
static int lookup(const struct gro_state *st, const struct gro_seg *s)
{
	int i;

	for (i = (int)st->nheld - 1; i >= 0; i--) {
		const struct gro_flow *p = &st->held[i];
		const struct gro_seg *h = gro_head(st, p);

		if (p->same_flow && h->proto == s->proto && h->th == s->th &&
		    !memcmp(s->d + s->th, h->d + h->th, 4))
			return i;
	}
	return -1;
}

/* The mismatch terms of 1.5 and 1.6, then whether skb_gro_receive takes
 * S (1.7): true when S cannot join P. */
static bool mismatch(const struct gro_state *st, const struct gro_seg *s,
		     struct gro_flow *p, uint32_t mss)
{
	const struct gro_seg *h = gro_head(st, p);
	const uint8_t *th = s->d + s->th, *th2 = h->d + h->th;
	uint32_t thlen = s->poff - s->th, flags = be32_at(th + 12);
	uint32_t flags2 = be32_at(th2 + 12) | (uint32_t)p->fin_psh << 16;
	bool flush;

	flush = (flags & GRO_TCP_CWR) ||
		((flags ^ flags2) & ~(GRO_TCP_FIN | GRO_TCP_PSH)) ||
		(!st->r->ignore_ack && memcmp(th + 8, th2 + 8, 4));
	/* options, 32 bits at a time; P's header is as long as S's unless
	 * the data offsets differ, which the flag word already caught */
	if (h->len < h->th + thlen ||
	    (!st->r->ignore_tcp_options && memcmp(th + 20, th2 + 20, thlen - 20)))
		flush = true;
	flush |= gro_ip_network_flush(st, s, p);
	flush |= s->plen - 1 >= mss; /* 0 or more than P's gso_size */
	if (st->r->seq_holes) /* anything not behind P's end */
		flush |= (int32_t)(be32_at(th + 4) - be32_at(th2 + 4) - p->payload) < 0;
	else
		flush |= be32_at(th + 4) != be32_at(th2 + 4) + p->payload;
	if (flush)
		return true;
	/* skb_gro_receive: past gro_max_size (from the network header), or
	 * S already marked flush */
	return p->iplen + s->plen >= GRO_MAX_SIZE || s->flush;
}

enum gro_verdict gro_tcp_receive(struct gro_state *st, uint32_t si, int *pp,
				 bool *merged)
{
	struct gro_seg *s = &st->seg[si];
	uint32_t thlen, flags, mss = 1;
	struct gro_flow *p;
	bool flush;
	int pi;

	*pp = -1;
	*merged = false;
	/* no checksum work for a packet IP already marked flush (1.8) */
	if (!s->flush) {
		if (!l4_csum_ok(s, 6))
			return GRO_BYPASS;
		s->valid = true;
	}
	if (s->len - s->th < 20)
		return GRO_BYPASS;
	thlen = (uint32_t)(s->d[s->th + 12] >> 4) * 4;
	if (thlen < 20 || s->len - s->th < thlen)
		return GRO_BYPASS;
	s->poff = (uint16_t)(s->th + thlen);
	s->plen = s->len - s->poff;
	flags = be32_at(s->d + s->th + 12);

	pi = lookup(st, s);
	p = pi >= 0 ? &st->held[pi] : NULL;
	if (p && !mismatch(st, s, p, p->gso_size)) {
		/* append: FIN and PSH reach P's header (1.2 step 5) */
		*merged = true;
		p->fin_psh |= (uint8_t)((flags & (GRO_TCP_FIN | GRO_TCP_PSH)) >> 16);
		p->count++;
		p->iplen += s->plen;
		p->payload += s->plen;
		st->seg[p->last].next = (int32_t)si;
		p->last = si;
		mss = p->gso_size;
	}
	/* a short or flagged S ends P, or cannot start a flow itself */
	flush = s->plen < mss ||
		(flags & (GRO_TCP_URG | GRO_TCP_RST | GRO_TCP_SYN | GRO_TCP_FIN)) ||
		((flags & GRO_TCP_PSH) && !st->r->psh_continues);
	if (p && (!*merged || flush))
		*pp = pi;
	s->flush |= flush;
	return GRO_GO;
}

/*
 * udp_gro_receive_segment under rules that coalesce UDP (a device doing
 * what rx-udp-gro-forwarding does, 2.1): S joins the youngest held
 * datagram of its port pair when the network flush passes and S is not
 * longer than P's gso_size; a shorter S, or P at UDP_GRO_CNT_MAX (64),
 * ends P. S marked flush by IP, a tunnel's or an empty datagram go up
 * alone.
 */
static enum gro_verdict udp_coalesce(struct gro_state *st, uint32_t si, int *pp,
				     bool *merged)
{
	struct gro_seg *s = &st->seg[si];
	struct gro_flow *p;
	int pi;

	if (s->flush || s->encap || s->len - s->th <= 8)
		return GRO_BYPASS;
	s->poff = (uint16_t)(s->th + 8);
	s->plen = s->len - s->poff;
	pi = lookup(st, s);
	if (pi < 0)
		return GRO_GO;
	p = &st->held[pi];
	if (gro_ip_network_flush(st, s, p) || s->plen > p->gso_size ||
	    p->iplen + s->plen >= GRO_MAX_SIZE) {
		*pp = pi;
		return GRO_GO;
	}
	*merged = true;
	p->count++;
	p->iplen += s->plen;
	p->payload += s->plen;
	st->seg[p->last].next = (int32_t)si;
	p->last = si;
	if (s->plen != p->gso_size || p->count >= 64)
		*pp = pi;
	return GRO_GO;
}

enum gro_verdict gro_udp_receive(struct gro_state *st, uint32_t si, int *pp,
				 bool *merged)
{
	struct gro_seg *s = &st->seg[si];
	uint16_t check;

	*pp = -1;
	*merged = false;
	if (s->len - s->th < 8)
		return GRO_BYPASS;
	/*
	 * A bad checksum bypasses; a good one and a zero one, which is not
	 * summed at all, both count as validated: the GRO validation helper
	 * raises CHECKSUM_UNNECESSARY whenever it found nothing wrong
	 * (measured: VXLAN with a zero UDP checksum reads back DATA_VALID;
	 * kernel-rx.md 2.1 says only that zero is allowed). Neither UDP_GRO
	 * sockets nor rx-udp-gro-forwarding nor tunnel sockets exist on the
	 * kernel engine's tap, so nothing is ever held and held packets stay
	 * untouched (2.1).
	 */
	check = (uint16_t)(s->d[s->th + 6] << 8 | s->d[s->th + 7]);
	if (!s->flush) {
		if (check && !l4_csum_ok(s, 17))
			return GRO_BYPASS;
		s->valid = true;
	}
	if (st->r->udp != OFD_GRO_UDP_NONE)
		return udp_coalesce(st, si, pp, merged);
	return GRO_BYPASS;
}

/* The headers as gro_complete leaves them (1.9) and the virtio_net_hdr
 * packet_rcv_vnet reads off the skb (7.3). */
int gro_tcp_complete(struct gro_state *st, const struct gro_flow *p)
{
	const struct gro_seg *h = gro_head(st, p), *m;
	uint32_t len = h->poff + p->payload, at = h->poff + h->plen;
	struct ofd_frame *f;
	uint8_t *d;
	int32_t i;

	f = ofd_result_add_new(st->res, len, &d);
	if (!f)
		return -ENOSPC;
	memcpy(d, h->d, at);
	for (i = h->next; i >= 0; i = m->next) {
		m = &st->seg[i];
		memcpy(d + at, m->d + m->poff, m->plen);
		at += m->plen;
	}
	gro_ip_complete(d, len, h);
	memset(&f->meta, 0, sizeof(f->meta));
	if (h->proto == 17 && st->r->udp == OFD_GRO_UDP_FRAGLIST) {
		/* udp4/6_gro_complete's fraglist branch: the UDP length of
		 * the whole, the first datagram's checksum as it was (wrong
		 * for the whole), CHECKSUM_UNNECESSARY raised */
		ofd_put_be16(d + h->th + 4, (uint16_t)(len - h->th));
		f->meta.has = OFD_META_VNET | OFD_META_CSUM_STATE;
		f->meta.csum_state = OFD_CSUM_STATE_UNNECESSARY;
		f->meta.vnet.flags = OFD_VNET_F_DATA_VALID;
		f->meta.vnet.gso_type = OFD_VNET_GSO_UDP_L4;
		f->meta.vnet.gso_size = p->gso_size;
		f->meta.vnet.hdr_len = (uint16_t)(h->len < GRO_TUN_LINEAR_MAX ? h->len :
						  GRO_TUN_GOOD_LINEAR);
		return 0;
	}
	if (h->proto == 17) {
		/* udp_gro_complete_segment: the UDP length, the seed unless
		 * the checksum is zero, SKB_GSO_UDP_L4 */
		ofd_put_be16(d + h->th + 4, (uint16_t)(len - h->th));
		if (d[h->th + 6] | d[h->th + 7])
			ofd_put_be16(d + h->th + 6,
				     ofd_fold16(gro_ip_pseudo(h, 17, len - h->th)));
		f->meta.vnet.gso_type = OFD_VNET_GSO_UDP_L4;
		f->meta.vnet.csum_offset = 6;
	} else {
		d[h->th + 13] |= p->fin_psh;
		/* the pseudo-header seed of CHECKSUM_PARTIAL, not inverted */
		ofd_put_be16(d + h->th + 16,
			     ofd_fold16(gro_ip_pseudo(h, 6, len - h->th)));
		/* the inner type only: virtio_net_hdr has no tunnel bits (7.3) */
		f->meta.vnet.gso_type = (d[h->nh[h->encap]] >> 4) == 4 ?
			OFD_VNET_GSO_TCPV4 : OFD_VNET_GSO_TCPV6;
		f->meta.vnet.csum_offset = 16;
	}
	f->meta.has = OFD_META_VNET | OFD_META_CSUM_STATE;
	f->meta.csum_state = OFD_CSUM_STATE_PARTIAL;
	f->meta.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	f->meta.vnet.gso_size = p->gso_size;
	if (st->r->gso_size == OFD_GRO_GSO_LAST)
		f->meta.vnet.gso_size = (uint16_t)st->seg[p->last].plen;
	else if (st->r->gso_size == OFD_GRO_GSO_AVERAGE)
		f->meta.vnet.gso_size = (uint16_t)(p->payload / p->count);
	f->meta.vnet.csum_start = h->th;
	/* hdr_len is skb_headlen of the head (7.3): tun puts a frame whose
	 * length plus its 64-byte headroom is under a page into the linear
	 * part, else SKB_MAX_HEAD(64) = 3712 bytes of it (measured on the
	 * kernel engine: 4031 -> 4031, 4032 -> 3712, up to 60064) */
	f->meta.vnet.hdr_len = (uint16_t)(h->len < GRO_TUN_LINEAR_MAX ? h->len :
					  GRO_TUN_GOOD_LINEAR);
	return 0;
}
