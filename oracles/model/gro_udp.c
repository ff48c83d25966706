// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro_udp.c - the GRO model's UDP (kernel-rx.md 2) and VXLAN (3) rules.
 *
 * udp4/6_gro_receive validates the checksum, then udp_gro_receive
 * decides by the device and the socket the datagram would reach:
 *  - a VXLAN socket (the kernel engine's vxlan=on: port 4789): tunnel
 *    GRO, vxlan_gro_receive, then the inner Ethernet frame's handlers;
 *    a GENEVE socket (the model's geneve=on: port 6081, unchecked
 *    against a kernel) the same with geneve_gro_receive;
 *  - no socket (the namespace has none but VXLAN's): udp_gro_receive_segment
 *    when the device has rx-udp-gro-forwarding (gro_udp=forward) or
 *    rx-gro-list (gro_udp=fraglist, as fraglist), else nothing: S goes
 *    up with its checksum validated and held packets stay untouched.
 * The merged datagram's headers are gro_tcp_complete's (gro_tcp.c).
 */
#include <string.h>

#include "gro_internal.h"

#define VXLAN_PORT 4789
#define VXLAN_HLEN 8
#define GENEVE_PORT 6081
#define GENEVE_HLEN 8

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/*
 * udp_gro_receive_segment (2.2). S with a zero checksum (no symmetry with
 * GSO), an empty datagram or a UDP length that is not the bytes left
 * (padding) is flushed through alone. Otherwise the youngest held
 * datagram of its port pair, if any: a network flush (1.5) or S longer
 * than P's first datagram ends P, S then held on its own; else S joins P
 * (skb_gro_receive, or skb_gro_receive_list for fraglist) and P ends if
 * that failed, if S is shorter than P's first (the last of the run), or
 * at 64 datagrams (UDP_GRO_CNT_MAX). A tap's NAPI poll takes at most 64
 * frames and flushes after them, so on the kernel engine the 64 cap and
 * the budget end P at the same frame.
 */
static enum gro_verdict udp_segment(struct gro_state *st, uint32_t si, int *pp,
				    bool *merged)
{
	struct gro_seg *s = &st->seg[si];
	const uint8_t *uh = s->d + s->th;
	const struct gro_seg *h;
	struct gro_flow *p;
	uint32_t ulen = be16_at(uh + 4), first_ulen;
	bool fail;
	int pi;

	if (!be16_at(uh + 6) || ulen <= 8 || ulen != s->len - s->th) {
		s->flush = true;
		return GRO_GO;
	}
	s->poff = (uint16_t)(s->th + 8);
	s->plen = s->len - s->poff;
	s->flist = st->r->udp == OFD_GRO_UDP_FRAGLIST;
	pi = gro_lookup(st, s);
	if (pi < 0)
		return GRO_GO;
	p = &st->held[pi];
	h = gro_head(st, p);
	/* is_flist is the device's for every datagram here: S's equals P's,
	 * so the kernel's "different kind: flush P, pass S" never fires */
	first_ulen = be16_at(h->d + h->th + 4);
	if (gro_ip_network_flush(st, s, p) || ulen > first_ulen) {
		*pp = pi;
		return GRO_GO;
	}
	if (s->flist) {
		/* a checksum state unlike P's (ip_summed and csum_level):
		 * S goes up alone, P stays held. S marked flush by IP has
		 * had fewer checksums validated: none, or only a tunnel's
		 * outer one (measured: VXLAN, inner IPv4 reserved bit) */
		if (s->valid != h->valid) {
			s->flush = true;
			return GRO_GO;
		}
		/* skb_gro_receive_list counts S whole: its headers are
		 * pulled after the 64 KB check */
		fail = p->iplen + (s->len - s->nh[0]) >= 65536;
	} else {
		fail = p->iplen + s->plen >= GRO_MAX_SIZE || s->flush;
	}
	if (!fail) {
		*merged = true;
		p->count++;
		p->iplen += s->plen;
		p->payload += s->plen;
		st->seg[p->last].next = (int32_t)si;
		p->last = si;
	}
	if (fail || ulen != first_ulen || p->count >= 64)
		*pp = pi;
	return GRO_GO;
}

/*
 * udp_gro_receive's tunnel branch (3): no second tunnel layer
 * (encap_mark), and a non-zero outer checksum must have been validated
 * (GRO did, unless IP had marked S flush). Held packets stay S's flow
 * only with the same port pair and outer checksums both zero or both
 * not. Returns the tunnel header's offset, or 0: bypass.
 */
static uint32_t tunnel_receive(struct gro_state *st, struct gro_seg *s)
{
	const uint8_t *uh = s->d + s->th;
	uint32_t off = s->th + 8u;
	bool zero = !be16_at(uh + 6);
	unsigned int i;

	if (s->encap || (!zero && !s->valid))
		return 0;
	s->encap = true;
	s->uh = s->th;
	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const struct gro_seg *h = gro_head(st, p);
		const uint8_t *uh2;

		if (!p->same_flow)
			continue;
		if (h->len < off) {
			p->same_flow = false;
			continue;
		}
		uh2 = h->d + s->th;
		if (memcmp(uh, uh2, 4) || zero != !be16_at(uh2 + 6))
			p->same_flow = false;
	}
	return off;
}

/* Held packets whose n bytes at off differ from S's leave its flow. */
static void narrow_bytes(struct gro_state *st, const struct gro_seg *s, uint32_t off,
			 uint32_t n)
{
	unsigned int i;

	for (i = 0; i < st->nheld; i++) {
		struct gro_flow *p = &st->held[i];
		const struct gro_seg *h = gro_head(st, p);

		if (p->same_flow &&
		    (h->len < off || h->len - off < n || memcmp(s->d + off, h->d + off, n)))
			p->same_flow = false;
	}
}

/*
 * vxlan_gro_receive (3): the 8 VXLAN header bytes equal (flags and VNI
 * words, reserved bits too), then the inner Ethernet frame
 * (eth_gro_receive: the inner MAC header equal).
 */
static enum gro_verdict vxlan_receive(struct gro_state *st, struct gro_seg *s)
{
	uint32_t off = tunnel_receive(st, s);

	if (!off || s->len - off < VXLAN_HLEN)
		return GRO_BYPASS;
	narrow_bytes(st, s, off, VXLAN_HLEN);
	return gro_eth_receive(st, s, off + VXLAN_HLEN);
}

/*
 * geneve_gro_receive (3; the model's alone, never checked against a
 * kernel): version 0 and the OAM bit clear, else S goes up alone; the
 * whole header with its options byte-equal (the same option length
 * too); then inner Ethernet (ETH_P_TEB) or the L3 handler of the
 * protocol it names.
 */
static enum gro_verdict geneve_receive(struct gro_state *st, struct gro_seg *s)
{
	uint32_t off = tunnel_receive(st, s), glen;
	const uint8_t *gh;
	uint16_t proto;

	if (!off || s->len - off < GENEVE_HLEN)
		return GRO_BYPASS;
	gh = s->d + off;
	if ((gh[0] >> 6) != 0 || (gh[1] & 0x80))
		return GRO_BYPASS;
	glen = GENEVE_HLEN + (gh[0] & 0x3fu) * 4;
	if (s->len - off < glen)
		return GRO_BYPASS;
	narrow_bytes(st, s, off, glen);
	proto = be16_at(gh + 2);
	if (proto == 0x6558)
		return gro_eth_receive(st, s, off + glen);
	return gro_l3_receive(st, s, off + glen, proto);
}

enum gro_verdict gro_udp_receive(struct gro_state *st, uint32_t si, int *pp,
				 bool *merged)
{
	struct gro_seg *s = &st->seg[si];
	enum gro_verdict v;
	uint16_t check, dport;

	*pp = -1;
	*merged = false;
	if (s->len - s->th < 8)
		return GRO_BYPASS;
	/*
	 * A bad checksum bypasses; a good one and a zero one, which is not
	 * summed at all, both count as validated: the GRO validation helper
	 * raises CHECKSUM_UNNECESSARY whenever it found nothing wrong
	 * (measured: VXLAN with a zero UDP checksum reads back DATA_VALID;
	 * kernel-rx.md 2.1 says only that zero is allowed). Nothing is
	 * checked for a datagram IP already marked flush.
	 */
	check = be16_at(s->d + s->th + 6);
	if (!s->flush) {
		if (check && !gro_l4_csum_ok(s, 17))
			return GRO_BYPASS;
		s->valid++;
	}
	dport = be16_at(s->d + s->th + 2);
	if ((st->r->vxlan && dport == VXLAN_PORT) || (st->r->geneve && dport == GENEVE_PORT)) {
		v = dport == VXLAN_PORT ? vxlan_receive(st, s) : geneve_receive(st, s);
		if (v != GRO_GO)
			return v;
		/* the inner packet's L4 handler (an inner VXLAN datagram
		 * bypasses there: the encap mark) */
		return s->proto == 6 ? gro_tcp_receive(st, si, pp, merged) :
				       gro_udp_receive(st, si, pp, merged);
	}
	/* no socket: L4 aggregation on a device that does it (2.1) */
	if (st->r->udp == OFD_GRO_UDP_NONE)
		return GRO_BYPASS;
	return udp_segment(st, si, pp, merged);
}
