// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro_tcp.c - the GRO model's TCP rules (kernel-rx.md 1.2, 1.6, 1.7, 1.8),
 * TCP fraglist GRO on a device with rx-gro-list (1.11), and the packet
 * gro_complete makes of a merged flow (1.9); UDP is gro_udp.c's.
 */
#include <string.h>

#include "ofd_csum.h"
#include "gro_internal.h"

/*
 * CHECKSUM_NONE on a tap: GRO sums the L4 bytes to the end of the frame
 * with the pseudo-header over that length (1.8). Good: UNNECESSARY level 0
 * from here on, merged or not.
 */
bool gro_l4_csum_ok(const struct gro_seg *s, uint8_t proto)
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
int gro_lookup(const struct gro_state *st, const struct gro_seg *s)
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
	if (h->flist) {
		/* fraglist (1.11): every flag equal, FIN and PSH too; the
		 * same checksum state (our frames all arrive CHECKSUM_NONE,
		 * so: how many checksums GRO validated, the csum_level);
		 * at most 64 segments; and
		 * skb_gro_receive_list's 64 KB cap, which counts S whole
		 * (its headers are pulled after the check) */
		return flush || flags != be32_at(th2 + 12) || s->valid != h->valid ||
		       p->count >= 64 || p->iplen + (s->len - s->nh[0]) >= 65536;
	}
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
		if (!gro_l4_csum_ok(s, 6))
			return GRO_BYPASS;
		s->valid++;
	}
	if (s->len - s->th < 20)
		return GRO_BYPASS;
	thlen = (uint32_t)(s->d[s->th + 12] >> 4) * 4;
	if (thlen < 20 || s->len - s->th < thlen)
		return GRO_BYPASS;
	s->poff = (uint16_t)(s->th + thlen);
	s->plen = s->len - s->poff;
	flags = be32_at(s->d + s->th + 12);

	pi = gro_lookup(st, s);
	p = pi >= 0 ? &st->held[pi] : NULL;
	/* tcp4/6_check_fraglist_gro: with rx-gro-list, fraglist for a flow
	 * without a local socket, and the kernel engine's namespace has
	 * none; a held packet's choice is inherited (1.11) */
	if (st->r->tcp_fraglist)
		s->flist = p ? gro_head(st, p)->flist : true;
	if (p && !mismatch(st, s, p, p->gso_size)) {
		/* append: FIN and PSH reach P's header (1.2 step 5) */
		*merged = true;
		/* not in fraglist: the flags were equal, headers stay whole */
		if (!gro_head(st, p)->flist)
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

/* The virtio_net_hdr of a fraglist aggregate (1.11, 2.2): the first
 * segment's headers with the lengths of the whole, CHECKSUM_UNNECESSARY
 * raised (DATA_VALID), no checksum rewritten; gso_type FRAGLIST|UDP_L4 or
 * FRAGLIST|TCPV4/6. virtio_net_hdr_from_skb has no FRAGLIST bit but
 * finds the L4 bit beside it, so a packet socket reads the aggregate as
 * a UDP_L4 or TCP GSO packet, gso_size the first payload (measured on the
 * kernel engine: kernel-rx.md 7.3's failing recvmsg is for a GSO type
 * with no L4 bit virtio knows, which GRO never builds here). */
static void flist_meta(struct ofd_frame *f, uint8_t gso_type)
{
	f->meta.csum_state = OFD_CSUM_STATE_UNNECESSARY;
	f->meta.vnet.flags = OFD_VNET_F_DATA_VALID;
	f->meta.vnet.gso_type = gso_type;
}

/* The headers as gro_complete leaves them (1.9, 2.2, 3) and the
 * virtio_net_hdr packet_rcv_vnet reads off the skb (7.3). */
int gro_tcp_complete(struct gro_state *st, const struct gro_flow *p)
{
	const struct gro_seg *h = gro_head(st, p), *m;
	uint32_t len = h->poff + p->payload, at = h->poff + h->plen;
	uint8_t v = (uint8_t)(h->d[h->nh[h->encap]] >> 4);
	/* udp4/6_gro_complete takes its fraglist branch only without an
	 * encap mark: UDP merged as fraglist inside IP-in-IP or GRE
	 * completes as a plain UDP GSO packet, seed and CHECKSUM_PARTIAL;
	 * a UDP tunnel's completion clears the mark before the inner
	 * packet's, so UDP in VXLAN completes as fraglist (both measured
	 * on the kernel engine); TCP's fraglist branch has no condition */
	bool flist = h->flist && !(h->proto == 17 && h->encap && !h->uh);
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
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.has = OFD_META_VNET | OFD_META_CSUM_STATE;
	f->meta.vnet.gso_size = p->gso_size;
	if (st->r->gso_size == OFD_GRO_GSO_LAST)
		f->meta.vnet.gso_size = (uint16_t)st->seg[p->last].plen;
	else if (st->r->gso_size == OFD_GRO_GSO_AVERAGE)
		f->meta.vnet.gso_size = (uint16_t)(p->payload / p->count);
	/* hdr_len is skb_headlen of the head (7.3): tun puts a frame whose
	 * length plus its 64-byte headroom is under a page into the linear
	 * part, else SKB_MAX_HEAD(64) = 3712 bytes of it (measured on the
	 * kernel engine: 4031 -> 4031, 4032 -> 3712, up to 60064) */
	f->meta.vnet.hdr_len = (uint16_t)(h->len < GRO_TUN_LINEAR_MAX ? h->len :
					  GRO_TUN_GOOD_LINEAR);
	gro_ip_complete(d, len, h);
	if (h->uh) {
		/* VXLAN's outer UDP (udp4/6_gro_complete): the length of the
		 * whole, the seed over the outer pseudo-header unless the
		 * checksum is zero; the tunnel bits are lost in virtio (7.3).
		 * Fraglist TCP inside too: udp4/6_gro_complete skips its own
		 * fraglist branch under an encap mark and goes on into the
		 * tunnel's completion (measured: inner lengths rewritten,
		 * read back as TCP) */
		ofd_put_be16(d + h->uh + 4, (uint16_t)(len - h->uh));
		if (d[h->uh + 6] | d[h->uh + 7])
			ofd_put_be16(d + h->uh + 6,
				     ofd_fold16(gro_ip_pseudo_level(h, 0, 17, len - h->uh)));
	}
	if (h->proto == 17)
		ofd_put_be16(d + h->th + 4, (uint16_t)(len - h->th));
	if (flist) {
		flist_meta(f, h->proto == 17 ? OFD_VNET_GSO_UDP_L4 :
			   v == 4 ? OFD_VNET_GSO_TCPV4 : OFD_VNET_GSO_TCPV6);
		return 0;
	}
	if (h->proto == 17) {
		/* udp_gro_complete_segment: the seed (the checksum is never
		 * zero: such datagrams are not merged), SKB_GSO_UDP_L4 */
		ofd_put_be16(d + h->th + 6, ofd_fold16(gro_ip_pseudo(h, 17, len - h->th)));
		f->meta.vnet.gso_type = OFD_VNET_GSO_UDP_L4;
		f->meta.vnet.csum_offset = 6;
	} else {
		d[h->th + 13] |= p->fin_psh;
		/* the pseudo-header seed of CHECKSUM_PARTIAL, not inverted */
		ofd_put_be16(d + h->th + 16,
			     ofd_fold16(gro_ip_pseudo(h, 6, len - h->th)));
		/* the inner type only: virtio_net_hdr has no tunnel bits (7.3) */
		f->meta.vnet.gso_type = v == 4 ? OFD_VNET_GSO_TCPV4 : OFD_VNET_GSO_TCPV6;
		f->meta.vnet.csum_offset = 16;
	}
	f->meta.csum_state = OFD_CSUM_STATE_PARTIAL;
	f->meta.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	f->meta.vnet.csum_start = h->th;
	return 0;
}
