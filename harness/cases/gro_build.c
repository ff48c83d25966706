// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro_build.c - one segment of a gro train as a frame (gro_internal.h),
 * for the corpus scenarios (corpus_gro.c) and random trains
 * (random_gro.c): Ethernet, an optional tunnel (IP in IP, GRE, VXLAN),
 * the flow's IP header with the fields a GRO rule looks at, TCP or UDP,
 * payload. Checksums are the builder's (ofd_pktb_finish), correct unless
 * the segment asks for a bad TCP one.
 */
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_pktbuild.h"
#include "gro_internal.h"

static const uint8_t out4_src[4] = { 192, 0, 2, 1 }, out4_dst[4] = { 192, 0, 2, 2 };
static const uint8_t out6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 1 };
static const uint8_t out6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 2 };

static void ip_hdr(struct ofd_pktb *b, uint8_t v, const struct seg *s, bool outer)
{
	if (v == 4) {
		struct ofd_pktb_ipv4_opts o = {
			.id = s->id, .ttl = s->ttl, .tos = outer ? 0 : s->tos,
			.no_df = s->no_df,
		};

		if (outer) {
			o.saddr = out4_src;
			o.daddr = out4_dst;
			o.ttl = 64;
		} else {
			o.options = s->ipopt;
			o.options_len = s->ipopt_len;
		}
		ofd_pktb_ipv4(b, &o);
		return;
	}
	{
		struct ofd_pktb_ipv6_opts o = { .hop_limit = outer ? 64 : s->ttl,
						.tclass = outer ? 0 : s->tos };

		if (outer) {
			o.saddr = out6_src;
			o.daddr = out6_dst;
		}
		ofd_pktb_ipv6(b, &o);
	}
}

void ofd_gro_build(struct ofd_pktb *b, const struct fam *f, const struct seg *s)
{
	int ip, l4;

	ofd_pktb_eth(b, NULL, NULL, 0);
	if (f->outer)
		ip_hdr(b, f->outer, s, true);
	if (f->tun == T_GRE)
		ofd_pktb_gre(b, 0, 0, 0);
	if (f->tun == T_VXLAN) {
		int u = ofd_pktb_udp(b, (uint16_t)(40000 ^ s->vx_sport_x), 4789);
		int v = ofd_pktb_vxlan(b, (42 ^ s->vni_x) & 0xffffff);
		int e = ofd_pktb_eth(b, NULL, NULL, 0);

		if (!b->err) {
			/* the vxlan builder zeroes the outer checksum */
			if (s->vx_csum)
				b->layer[u].csum = OFD_PKTB_CSUM_FULL;
			b->buf[b->layer[v].off] ^= s->vx_flags_x;
			b->buf[b->layer[e].off + 11] ^= s->imac_x;
		}
	}
	ip = (int)b->nlayers;
	ip_hdr(b, f->inner, s, false);
	if (ip < (int)b->nlayers && f->inner == 4 && s->frag && !b->err) {
		/* More fragments, offset 0: a first fragment with the whole
		 * TCP header, which GRO passes by (kernel-rx.md 1.3). */
		b->buf[b->layer[ip].off + 6] = 0x20;
	}
	if (ip < (int)b->nlayers && f->inner == 4 && s->evil && !b->err)
		b->buf[b->layer[ip].off + 6] |= 0x80; /* finish sums it in */
	if (f->inner == 6 && s->dstopt) {
		l4 = ofd_pktb_dstopts(b, 8);
		if (l4 >= 0 && !b->err) {
			uint8_t *p = b->buf + b->layer[l4].off;

			/* An option to skip (type 0x1e: action 00), 4 bytes
			 * of data that tell the headers apart. */
			p[2] = 0x1e;
			p[3] = 4;
			memset(p + 4, s->dstopt, 4);
		}
	}
	if (f->inner == 6 && s->frag)
		ofd_pktb_frag(b, 0, false, 0x1234); /* atomic: no GRO handler */
	if (f->udp) {
		l4 = ofd_pktb_udp(b, s->sport, 2000);
		ofd_pktb_payload(b, s->plen);
		if (l4 >= 0 && !b->err && s->udp_csum == GRO_UCSUM_ZERO)
			b->layer[l4].csum = OFD_PKTB_CSUM_ZERO;
		if (l4 >= 0 && !b->err && s->udp_csum == GRO_UCSUM_BAD) {
			/* kept as written: a sum no datagram of this flow has */
			b->layer[l4].csum = OFD_PKTB_CSUM_KEEP;
			ofd_put_be16(b->buf + b->layer[l4].off + 6, 0xbeef);
		}
		if (s->trailer)
			ofd_pktb_pad(b, b->len + s->trailer);
		return;
	}
	{
		struct ofd_pktb_tcp_opts o = {
			.sport = s->sport, .dport = 2000, .seq = s->seq, .ack = s->ack,
			.flags = s->flags, .window = s->window, .urg = s->urg,
			.options = s->topt, .options_len = s->topt_len,
		};

		l4 = ofd_pktb_tcp(b, &o);
	}
	if (l4 >= 0 && s->bad_csum && !b->err) {
		/* Kept as written: a sum no frame of this flow has. */
		b->layer[l4].csum = OFD_PKTB_CSUM_KEEP;
		ofd_put_be16(b->buf + b->layer[l4].off + 16, 0xbeef);
	}
	ofd_pktb_payload(b, s->plen);
	if (s->trailer)
		ofd_pktb_pad(b, b->len + s->trailer);
}

void ofd_gro_fixup(struct ofd_pktb *b, const struct fam *f, const struct seg *s)
{
	uint32_t i, sum;
	uint16_t old, new, check;
	uint8_t *uh;

	if (!f->udp || !s->ulen_delta || b->err)
		return;
	/* the flow's UDP header: the last UDP layer */
	for (i = b->nlayers; i-- > 0;)
		if (b->layer[i].proto == OFD_P_UDP)
			break;
	if (i >= b->nlayers)
		return;
	uh = b->buf + b->layer[i].off;
	old = (uint16_t)(uh[4] << 8 | uh[5]);
	new = (uint16_t)(old + s->ulen_delta);
	ofd_put_be16(uh + 4, new);
	/* the field's change folded into the checksum (RFC 1624), which
	 * the kernel checks over the bytes with the real length */
	check = (uint16_t)(uh[6] << 8 | uh[7]);
	if (!check)
		return;
	sum = ofd_csum_add(ofd_csum_sub(~(uint32_t)check, old), new);
	check = ofd_csum_fold(sum);
	ofd_put_be16(uh + 6, check ? check : 0xffff);
}
