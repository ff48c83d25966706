// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gso_segment.c - skb_segment and the header fix-ups of every GSO handler,
 * for a device that can checksum nothing (the kernel engine's tap), so
 * every segment leaves fully checksummed in software.
 *
 * Models, Linux 6.18: net/core/skbuff.c skb_segment (kernel-tx.md 4: each
 * segment is the headers, MAC to payload, copied verbatim, plus gso_size
 * payload bytes, the last one the rest; bytes after the IP length are
 * payload), then per segment, innermost header first as the handlers
 * return: tcp_gso_segment (5.2), __udp_gso_segment (6.1), the UFO
 * checksum (6.2), inet_gso_segment (5.3, UFO fragments 6.2),
 * ipv6_gso_segment (5.4), __skb_udp_tunnel_segment (7.1), gre_gso_segment
 * (7.2).
 *
 * Speed: no payload byte is copied. A segment is its headers, written
 * into the result's arena, followed by its payload referenced from the
 * input (ofd_result_add_split); the input outlives the result. One pass
 * sums each payload chunk where the input holds it; header checksums are
 * summed over the header plus that payload sum. Only payload bytes a
 * fix-up rewrites (UFO's UDP header, which skb_segment sees as payload)
 * are copied, into the head of the segment that carries them.
 */
#include <string.h>

#include "gso_internal.h"
#include "ofd_csum.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/*
 * ofd_csum_partial(p, n, 0), inlined for the headers of every segment
 * (the call, its dispatch on length and its fold cost more than the
 * summing of 8 to 60 bytes): the same words into the same accumulator,
 * the same fold, so the very same value.
 */
static inline uint32_t hdr_sum(const uint8_t *p, uint32_t n)
{
	uint64_t acc = 0;
	uint32_t i = 0, w;
	uint16_t r;

	for (; i + 4 <= n; i += 4) {
		memcpy(&w, p + i, 4);
		acc += w;
	}
	if (i < n) {
		uint8_t t[4] = { 0, 0, 0, 0 };

		memcpy(t, p + i, n - i);
		memcpy(&w, t, 4);
		acc += w;
	}
	acc = (acc & 0xffffffffu) + (acc >> 32);
	acc = (acc & 0xffffffffu) + (acc >> 32);
	r = ofd_fold16((uint32_t)acc);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	r = (uint16_t)(r << 8 | r >> 8);
#endif
	return r;
}

/* One segment being finished. */
struct seg {
	uint8_t *d;      /* its head: the headers, the payload bytes it owns */
	uint32_t len;    /* its length, head and referenced payload */
	uint32_t i, n;   /* its index, the number of segments */
	uint32_t off;    /* where its payload starts in the input payload */
	uint32_t plen;   /* its payload length */
	uint32_t psum;   /* partial sum of its payload */
};

/* Sum of the segment from byte `from` to its end: headers summed here,
 * the payload's sum reused. */
static uint32_t sum_to_end(const struct gso_plan *plan, const struct seg *s,
			   uint32_t from)
{
	uint32_t sum = hdr_sum(s->d + from, plan->doff - from);

	return ofd_csum_block_add(sum, s->psum, plan->doff - from);
}

/*
 * The header checksums are summed from values, not read back from the
 * segment: reading words just written as bytes and 16-bit fields stalls
 * on store forwarding. A header's sum is its unchanging words, summed
 * once from the input (hdr_base), plus the words the fix-up writes. Both
 * are plain sums of the same 16-bit words, and ofd_fold16 of a positive
 * sum is the very value hdr_sum gives (ones'-complement sums do not care
 * about byte order, RFC 1071 2(B)).
 */
static uint32_t words_except(const uint8_t *p, uint32_t n, uint32_t skip)
{
	uint32_t sum = 0, k;

	for (k = 0; 2 * k + 1 < n; k++)
		if (!(k < 32 && (skip >> k & 1)))
			sum += get16(p + 2 * k);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	return sum;
}

/* The words of each header its fix-up rewrites (bit k: bytes 2k, 2k+1). */
#define TCP_WRITES ((1u << 2) | (1u << 3) | (1u << 6) | (1u << 8))  /* seq, flags, check */
#define UDP_WRITES ((1u << 2) | (1u << 3))                          /* len, check */
#define IPV4_WRITES ((1u << 1) | (1u << 2) | (1u << 3) | (1u << 5)) /* tot_len, id, frag_off, check */

static uint32_t hdr_base(const struct gso_plan *plan, const struct gso_hdr *h)
{
	const uint8_t *p = plan->in + h->off;

	switch (h->kind) {
	case GH_TCP:
		return words_except(p, h->hlen, TCP_WRITES);
	case GH_UDP_L4:
		return words_except(p, 8, UDP_WRITES);
	case GH_IPV4:
		return words_except(p, h->hlen, IPV4_WRITES);
	}
	return 0;
}

static void fix_tcp(const struct gso_plan *plan, const struct gso_hdr *h,
		    uint32_t base, struct seg *s)
{
	const uint8_t *in = plan->in + h->off;
	uint8_t *th = s->d + h->off, flags = in[13];
	uint32_t L = plan->len - h->off, delta, seq;
	uint16_t seed, c;

	seq = get32(in + 4) + s->i * plan->mss;
	ofd_put_be32(th + 4, seq);
	/* FIN and PSH only on the last segment; CWR only on the first,
	 * unless AccECN owns the bit (5.2) */
	if (s->i + 1 < s->n)
		flags &= (uint8_t)~0x09;
	if (s->i && !(plan->type & OFD_SKB_GSO_TCP_ACCECN))
		flags &= (uint8_t)~0x80;
	th[13] = flags;
	/* The seed with the skb's length replaced by the segment's: the
	 * kernel adds ~L + thlen + seglen as one 32-bit number. */
	delta = ~L + h->hlen + s->plen;
	seed = ofd_fold16(ofd_csum_add(plan->l4_check, gso_len32(delta)));
	/* the header as it is with the seed in its check field */
	base += (seq >> 16) + (seq & 0xffff) + (uint32_t)(in[12] << 8 | flags) + seed;
	/* gso_make_checksum: no 0 -> 0xffff for TCP (T6b) */
	c = ofd_csum_fold(ofd_csum_add(ofd_fold16(base), s->psum));
	ofd_put_be16(th + 16, c);
}

static void fix_udp_l4(const struct gso_plan *plan, const struct gso_hdr *h,
		       uint32_t base, struct seg *s)
{
	const uint8_t *in = plan->in + h->off;
	uint8_t *uh = s->d + h->off;
	uint16_t newlen = (uint16_t)(8 + s->plen), check, c;

	/* 16-bit arithmetic against the original UDP length field (6.1) */
	check = gso_csum16_add(gso_csum16_add(plan->l4_check, (uint16_t)~get16(in + 4)),
			       newlen);
	ofd_put_be16(uh + 4, newlen);
	base += newlen + check;
	c = ofd_csum_fold(ofd_csum_add(ofd_fold16(base), s->psum));
	ofd_put_be16(uh + 6, c ? c : 0xffff);
}

/* UFO: the checksum of the whole datagram lands in whichever fragment
 * carries the UDP checksum field (the first, unless gso_size < 8). */
static void fix_ufo(const struct gso_plan *plan, const struct gso_hdr *h,
		    struct seg *s)
{
	uint32_t field = h->off + 6 - plan->doff, k;
	uint8_t b[2] = { (uint8_t)(plan->l4_check >> 8), (uint8_t)plan->l4_check };

	for (k = 0; k < 2; k++)
		if (field + k >= s->off && field + k < s->off + s->plen)
			s->d[plan->doff + field + k - s->off] = b[k];
}

static void fix_ipv4(const struct gso_plan *plan, const struct gso_hdr *h,
		     uint32_t base, struct seg *s)
{
	const uint8_t *in = plan->in + h->off;
	uint8_t *iph = s->d + h->off;
	uint16_t id = get16(in + 4), frag = get16(in + 6);
	uint16_t tot = (uint16_t)(s->len - h->off);

	if (h->udpfrag) {
		/* the whole field is rewritten: DF goes, the ID stays */
		uint16_t fo = (uint16_t)(s->off >> 3);

		frag = s->i + 1 < s->n ? fo | 0x2000 : fo;
		ofd_put_be16(iph + 6, frag);
	} else if (!h->fixedid) {
		id = (uint16_t)(id + s->i);
		ofd_put_be16(iph + 4, id);
	}
	ofd_put_be16(iph + 2, tot);
	/* summed with the check field 0 */
	ofd_put_be16(iph + 10, ofd_csum_fold(ofd_fold16(base + tot + id + frag)));
}

static void fix_ipv6(const struct gso_hdr *h, struct seg *s)
{
	ofd_put_be16(s->d + h->off + 4, (uint16_t)(s->len - h->off - 40));
}

static void fix_udp_tnl(const struct gso_plan *plan, const struct gso_hdr *h,
			struct seg *s)
{
	uint8_t *uh = s->d + h->off;
	uint32_t len = s->len - h->off, sum;
	uint16_t c;

	ofd_put_be16(uh + 4, (uint16_t)len);
	if (!h->csum)
		return; /* left as the stack wrote it, normally 0 */
	/*
	 * The seed minus the old length plus the segment's: the old length
	 * is the byte count from the outer UDP header (32 bits), or the UDP
	 * length field of a GSO_PARTIAL skb.
	 */
	if (plan->type & OFD_SKB_GSO_PARTIAL)
		sum = ofd_csum_sub(get16(plan->in + h->off + 6), get16(plan->in + h->off + 4));
	else
		sum = ofd_csum_add(get16(plan->in + h->off + 6),
				   gso_len32(~(plan->len - h->off)));
	ofd_put_be16(uh + 6, ofd_fold16(ofd_csum_add(sum, gso_len32(len))));
	c = ofd_csum_fold(sum_to_end(plan, s, h->off));
	ofd_put_be16(uh + 6, c ? c : 0xffff);
}

static void fix_gre(const struct gso_plan *plan, const struct gso_hdr *h,
		    struct seg *s)
{
	uint8_t *greh = s->d + h->off;

	if (!h->csum)
		return;
	/* RFC 2784 checksum over GRE header and payload, no pseudo-header,
	 * stored as computed (0x0000 possible). The model sums with the
	 * field zeroed: the stack leaves it 0 in a GSO skb. */
	ofd_put_be16(greh + 4, 0);
	ofd_put_be16(greh + 6, 0);
	ofd_put_be16(greh + 4, ofd_csum_fold(sum_to_end(plan, s, h->off)));
}

/*
 * The payload bytes [0, n) that some fix-up rewrites: UFO's UDP header,
 * whose checksum field is payload to skb_segment (6.2). Every other
 * fix-up writes inside the headers copied into every segment.
 */
static uint32_t patched_payload(const struct gso_plan *plan)
{
	uint32_t n = 0, k;

	for (k = 0; k < plan->nh; k++)
		if (plan->h[k].kind == GH_UFO4 &&
		    plan->h[k].off + 8 - plan->doff > n)
			n = plan->h[k].off + 8 - plan->doff;
	return n;
}

int gso_segment(const struct gso_plan *plan, struct ofd_result *res)
{
	uint32_t P = plan->len - plan->doff, mss = plan->mss, i, k, own;
	uint32_t patched = patched_payload(plan), base[GSO_MAX_HDRS];
	const uint8_t *payload = plan->in + plan->doff;
	struct ofd_frame *f;
	struct seg s;

	s.n = (P + mss - 1) / mss;
	for (k = 0; k < plan->nh; k++)
		base[k] = hdr_base(plan, &plan->h[k]);
	/*
	 * A result slot holds as many segment bytes as if every segment were
	 * copied whole (the kernel engine's reader copies them): the limit
	 * stays the same for both engines although the model copies only
	 * headers.
	 */
	if ((uint64_t)s.n * plan->doff + P > res->arena_cap - res->arena_used) {
		res->nframes = 0;
		return -ENOSPC;
	}
	for (i = 0; i < s.n; i++) {
		s.i = i;
		s.off = i * mss;
		s.plen = P - s.off < mss ? P - s.off : mss;
		s.len = plan->doff + s.plen;
		/* own: payload bytes the segment needs in its own head, because a
		 * fix-up rewrites them; the rest is the input's, referenced */
		own = 0;
		if (s.off < patched)
			own = patched - s.off < s.plen ? patched - s.off : s.plen;
		if (own < s.plen)
			f = ofd_result_add_split(res, plan->doff + own,
						 payload + s.off + own,
						 s.plen - own, &s.d);
		else
			f = ofd_result_add_new(res, s.len, &s.d);
		if (!f) {
			res->nframes = 0;
			return -ENOSPC;
		}
		memcpy(s.d, plan->in, plan->doff);
		if (own)
			memcpy(s.d + plan->doff, payload + s.off, own);
		/* the payload as the input holds it, before any fix-up */
		s.psum = ofd_csum_partial(payload + s.off, s.plen, 0);
		memset(&f->meta, 0, sizeof(f->meta));
		f->meta.has = OFD_META_VNET;
		f->meta.vnet.flags = plan->meta_flags;
		for (k = plan->nh; k-- > 0;) {
			const struct gso_hdr *h = &plan->h[k];

			switch (h->kind) {
			case GH_TCP:
				fix_tcp(plan, h, base[k], &s);
				break;
			case GH_UDP_L4:
				fix_udp_l4(plan, h, base[k], &s);
				break;
			case GH_UFO4:
				fix_ufo(plan, h, &s);
				break;
			case GH_IPV4:
				fix_ipv4(plan, h, base[k], &s);
				break;
			case GH_IPV6:
				fix_ipv6(h, &s);
				break;
			case GH_UDP_TNL:
				fix_udp_tnl(plan, h, &s);
				break;
			case GH_GRE:
				fix_gre(plan, h, &s);
				break;
			}
		}
	}
	return 0;
}
