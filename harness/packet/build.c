// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * build.c - layered packet builders (see ofd_pktbuild.h); lengths and
 * checksums are filled in when the packet is finished (build_finish.c).
 *
 * Header layouts: Ethernet II / IEEE 802.1Q / 802.1ad, RFC 791 (IPv4),
 * RFC 8200 (IPv6, extension headers, 8.1 pseudo-header), RFC 2711 (Router
 * Alert), RFC 8754 (SRH), RFC 6946 (atomic fragments), RFC 9293 (TCP),
 * RFC 768 (UDP), RFC 4960 (SCTP) with RFC 3309 (CRC32c), RFC 792 / RFC 4443
 * (ICMP echo), RFC 7348 (VXLAN), RFC 8926 (GENEVE), RFC 2784/2890 (GRE).
 *
 * The checksums are what the kernel's transmit path leaves on the wire
 * (kernel-tx.md 2.2, 2.4, 7.2, 8.1): ones'-complement sums run to the end
 * of the frame, a computed 0 goes out as 0xffff for every protocol that
 * skb_checksum_help serves, the GRE checksum has no such mapping.
 */
#include <errno.h>
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_pktbuild.h"
#include "build_internal.h"

const uint8_t ofd_pktb_ipv4_opt_nop[4] = { 0x01, 0x01, 0x01, 0x00 };
/* Timestamp (68), length 8, pointer 9 (the one slot is used), overflow 0,
 * flag 0 (timestamps only), then the 32-bit timestamp. */
const uint8_t ofd_pktb_ipv4_opt_ts[8] = { 0x44, 0x08, 0x09, 0x00,
					  0x00, 0x01, 0xe2, 0x40 };
/* NOP NOP TS(8) len 10, TSval 0x01020304, TSecr 0x05060708. */
const uint8_t ofd_pktb_tcp_opt_ts[12] = { 0x01, 0x01, 0x08, 0x0a,
					  0x01, 0x02, 0x03, 0x04,
					  0x05, 0x06, 0x07, 0x08 };

static const uint8_t def_mac_dst[6] = { 0x02, 0, 0, 0, 0, 0x02 };
static const uint8_t def_mac_src[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t def_ip4_src[4] = { 10, 0, 0, 1 };
static const uint8_t def_ip4_dst[4] = { 10, 0, 0, 2 };
static const uint8_t def_ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t def_ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

void ofd_pktb_init(struct ofd_pktb *b, uint8_t *buf, uint32_t cap)
{
	memset(b, 0, sizeof(*b));
	b->buf = buf;
	b->cap = cap;
}

void ofd_pktb_reset(struct ofd_pktb *b)
{
	ofd_pktb_init(b, b->buf, b->cap);
}

int ofd_pktb__fail(struct ofd_pktb *b, int err)
{
	if (!b->err)
		b->err = err;
	return err;
}

/*
 * Append n zeroed bytes as a new layer. Returns the layer index or a
 * negative errno; *p receives the bytes.
 */
static int push(struct ofd_pktb *b, uint32_t n, enum ofd_proto proto,
		uint8_t **p)
{
	struct ofd_pktb_layer *l;

	*p = b->buf; /* never used on error; keeps -Wmaybe-uninitialized calm */
	if (b->err)
		return b->err;
	if (b->has_trailer)
		return ofd_pktb__fail(b, -EINVAL); /* headers after the trailer */
	if (b->nlayers >= OFD_PKTB_MAX_LAYERS)
		return ofd_pktb__fail(b, -E2BIG);
	if (n > b->cap - b->len)
		return ofd_pktb__fail(b, -ENOSPC);
	l = &b->layer[b->nlayers];
	l->proto = (uint8_t)proto;
	l->csum = OFD_PKTB_CSUM_FULL;
	l->flags = 0;
	l->off = b->len;
	l->len = n;
	*p = b->buf + b->len;
	memset(*p, 0, n);
	b->len += n;
	return (int)b->nlayers++;
}

bool ofd_pktb__is_ip(uint8_t proto)
{
	return proto == OFD_P_IPV4 || proto == OFD_P_IPV6;
}

int ofd_pktb_find(const struct ofd_pktb *b, enum ofd_proto proto, int before)
{
	int i = before < 0 || (uint32_t)before >= b->nlayers ?
		(int)b->nlayers - 1 : before;

	for (; i >= 0; i--)
		if (b->layer[i].proto == proto)
			return i;
	return -ENOENT;
}

/* The nearest IP layer before layer i, or -1. */
static int enclosing_ip(const struct ofd_pktb *b, int i)
{
	for (i--; i >= 0; i--)
		if (ofd_pktb__is_ip(b->layer[i].proto))
			return i;
	return -1;
}

/* ---- L2 ---------------------------------------------------------- */

int ofd_pktb_eth(struct ofd_pktb *b, const uint8_t *dst, const uint8_t *src,
		 uint16_t type)
{
	uint8_t *p;
	int i = push(b, 14, OFD_P_ETH, &p);

	if (i < 0)
		return i;
	memcpy(p, dst ? dst : def_mac_dst, 6);
	memcpy(p + 6, src ? src : def_mac_src, 6);
	ofd_put_be16(p + 12, type);
	return i;
}

static int tag(struct ofd_pktb *b, enum ofd_proto proto, uint16_t vid,
	       uint8_t pcp)
{
	uint8_t *p;
	int i;

	if (vid > 0xfff || pcp > 7)
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 4, proto, &p);
	if (i < 0)
		return i;
	ofd_put_be16(p, (uint16_t)(pcp << 13 | vid));
	ofd_put_be16(p + 2, 0x0800);
	return i;
}

int ofd_pktb_vlan(struct ofd_pktb *b, uint16_t vid, uint8_t pcp)
{
	return tag(b, OFD_P_VLAN, vid, pcp);
}

int ofd_pktb_qinq(struct ofd_pktb *b, uint16_t vid, uint8_t pcp)
{
	return tag(b, OFD_P_QINQ, vid, pcp);
}

/* ---- L3 ---------------------------------------------------------- */

int ofd_pktb_ipv4(struct ofd_pktb *b, const struct ofd_pktb_ipv4_opts *o)
{
	static const struct ofd_pktb_ipv4_opts def = { .id = 0x1234 };
	uint8_t *p;
	int i;

	if (!o)
		o = &def;
	if (o->options_len % 4 || o->options_len > 40 ||
	    (o->options_len && !o->options))
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 20u + o->options_len, OFD_P_IPV4, &p);
	if (i < 0)
		return i;
	p[0] = (uint8_t)(0x40 | (20 + o->options_len) / 4);
	p[1] = o->tos;
	ofd_put_be16(p + 4, o->id);
	ofd_put_be16(p + 6, o->no_df ? 0 : 0x4000);
	p[8] = o->ttl ? o->ttl : 64;
	p[9] = o->proto ? o->proto : 253; /* RFC 3692 experimentation */
	memcpy(p + 12, o->saddr ? o->saddr : def_ip4_src, 4);
	memcpy(p + 16, o->daddr ? o->daddr : def_ip4_dst, 4);
	if (o->options_len)
		memcpy(p + 20, o->options, o->options_len);
	return i;
}

int ofd_pktb_ipv6(struct ofd_pktb *b, const struct ofd_pktb_ipv6_opts *o)
{
	static const struct ofd_pktb_ipv6_opts def;
	uint8_t *p;
	int i;

	if (!o)
		o = &def;
	if (o->flowlabel > 0xfffff)
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 40, OFD_P_IPV6, &p);
	if (i < 0)
		return i;
	ofd_put_be32(p, 6u << 28 | (uint32_t)o->tclass << 20 | o->flowlabel);
	p[6] = o->nexthdr ? o->nexthdr : 59; /* No Next Header */
	p[7] = o->hop_limit ? o->hop_limit : 64;
	memcpy(p + 8, o->saddr ? o->saddr : def_ip6_src, 16);
	memcpy(p + 24, o->daddr ? o->daddr : def_ip6_dst, 16);
	return i;
}

/* Fill [p, p + n) with Pad1/PadN options (RFC 8200 4.2). */
static void pad_options(uint8_t *p, uint32_t n)
{
	while (n) {
		uint32_t data;

		if (n == 1) {
			*p = 0; /* Pad1 */
			return;
		}
		data = n - 2 > 255 ? 255 : n - 2;
		if (n - 2 - data == 1)
			data--; /* never leave a lone byte behind */
		p[0] = 1;
		p[1] = (uint8_t)data;
		memset(p + 2, 0, data);
		p += 2 + data;
		n -= 2 + data;
	}
}

static int opts_hdr(struct ofd_pktb *b, enum ofd_proto proto, uint32_t len)
{
	uint8_t *p;
	int i;

	if (len < 8 || len % 8 || len > 2048)
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, len, proto, &p);
	if (i < 0)
		return i;
	p[0] = 59;
	p[1] = (uint8_t)(len / 8 - 1);
	if (proto == OFD_P_HBH) {
		/* Router Alert, value 0 (MLD), RFC 2711. */
		p[2] = 0x05;
		p[3] = 2;
		pad_options(p + 6, len - 6);
	} else {
		pad_options(p + 2, len - 2);
	}
	return i;
}

int ofd_pktb_hbh(struct ofd_pktb *b, uint32_t len)
{
	return opts_hdr(b, OFD_P_HBH, len);
}

int ofd_pktb_dstopts(struct ofd_pktb *b, uint32_t len)
{
	return opts_hdr(b, OFD_P_DSTOPTS, len);
}

int ofd_pktb_jumbo(struct ofd_pktb *b)
{
	uint8_t *p;
	int i;

	if (!b->err && (!b->nlayers ||
			b->layer[b->nlayers - 1].proto != OFD_P_IPV6))
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 8, OFD_P_HBH, &p);
	if (i < 0)
		return i;
	b->layer[i].flags |= OFD_PKTB_L_JUMBO;
	p[0] = 59;
	p[2] = 0xc2; /* RFC 2675 2: Jumbo Payload */
	p[3] = 4;
	return i;
}

int ofd_pktb_biglen(struct ofd_pktb *b, int layer)
{
	if (b->err)
		return b->err;
	if (layer < 0 || (uint32_t)layer >= b->nlayers ||
	    (b->layer[layer].proto != OFD_P_IPV4 &&
	     b->layer[layer].proto != OFD_P_UDP))
		return ofd_pktb__fail(b, -EINVAL);
	b->layer[layer].flags |= OFD_PKTB_L_BIGLEN;
	return layer;
}

int ofd_pktb_srh(struct ofd_pktb *b, const uint8_t (*segs)[16],
		 uint8_t nsegs, uint8_t segments_left)
{
	int ip6 = ofd_pktb_find(b, OFD_P_IPV6, -1);
	uint8_t *p;
	int i;

	if (!segs || !nsegs || nsegs > 8 || segments_left >= nsegs)
		return ofd_pktb__fail(b, -EINVAL);
	if (ip6 < 0)
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 8u + 16u * nsegs, OFD_P_SRH, &p);
	if (i < 0)
		return i;
	p[0] = 59;
	p[1] = (uint8_t)(2 * nsegs);
	p[2] = 4; /* Segment Routing Header */
	p[3] = segments_left;
	p[4] = (uint8_t)(nsegs - 1); /* Last Entry */
	memcpy(p + 8, segs, 16u * nsegs);
	/* The source sends to the active segment (RFC 8754 4.1). */
	memcpy(b->buf + b->layer[ip6].off + 24, segs[segments_left], 16);
	return i;
}

int ofd_pktb_srh_da(struct ofd_pktb *b, const uint8_t (*segs)[16],
		    uint8_t nsegs, uint8_t segments_left, const uint8_t da[16])
{
	int ip6 = ofd_pktb_find(b, OFD_P_IPV6, -1);
	int i = ofd_pktb_srh(b, segs, nsegs, segments_left);

	if (i >= 0 && da)
		memcpy(b->buf + b->layer[ip6].off + 24, da, 16);
	return i;
}

int ofd_pktb_rthdr(struct ofd_pktb *b, uint8_t type, const uint8_t (*addrs)[16],
		   uint8_t naddrs, uint8_t segments_left)
{
	uint8_t *p;
	int i;

	if (!addrs || !naddrs || naddrs > 8 || type == 4)
		return ofd_pktb__fail(b, -EINVAL);
	if (ofd_pktb_find(b, OFD_P_IPV6, -1) < 0)
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 8u + 16u * naddrs, OFD_P_RTHDR, &p);
	if (i < 0)
		return i;
	p[0] = 59;
	p[1] = (uint8_t)(2 * naddrs);
	p[2] = type;
	p[3] = segments_left;
	memset(p + 4, 0, 4);
	memcpy(p + 8, addrs, 16u * naddrs);
	return i;
}

int ofd_pktb_frag(struct ofd_pktb *b, uint16_t offset, bool more,
		  uint32_t ident)
{
	uint8_t *p;
	int i;

	if (offset > 0x1fff)
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 8, OFD_P_FRAG, &p);
	if (i < 0)
		return i;
	p[0] = 59;
	ofd_put_be16(p + 2, (uint16_t)(offset << 3 | (more ? 1 : 0)));
	ofd_put_be32(p + 4, ident);
	return i;
}

/* ---- L4 ---------------------------------------------------------- */

int ofd_pktb_tcp(struct ofd_pktb *b, const struct ofd_pktb_tcp_opts *o)
{
	static const struct ofd_pktb_tcp_opts def = {
		.sport = 1000, .dport = 2000, .seq = 100000, .ack = 1,
		.flags = 0x18, .window = 65535,
	};
	uint8_t *p;
	int i;

	if (!o)
		o = &def;
	if (o->options_len % 4 || o->options_len > 40 ||
	    (o->options_len && !o->options))
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 20u + o->options_len, OFD_P_TCP, &p);
	if (i < 0)
		return i;
	ofd_put_be16(p, o->sport);
	ofd_put_be16(p + 2, o->dport);
	ofd_put_be32(p + 4, o->seq);
	ofd_put_be32(p + 8, o->ack);
	p[12] = (uint8_t)((20 + o->options_len) / 4 << 4);
	p[13] = o->flags;
	ofd_put_be16(p + 14, o->window);
	ofd_put_be16(p + 18, o->urg);
	if (o->options_len)
		memcpy(p + 20, o->options, o->options_len);
	return i;
}

int ofd_pktb_udp(struct ofd_pktb *b, uint16_t sport, uint16_t dport)
{
	uint8_t *p;
	int i = push(b, 8, OFD_P_UDP, &p);

	if (i < 0)
		return i;
	ofd_put_be16(p, sport);
	ofd_put_be16(p + 2, dport);
	return i;
}

int ofd_pktb_sctp(struct ofd_pktb *b, uint16_t sport, uint16_t dport,
		  uint32_t vtag)
{
	uint8_t *p;
	int i = push(b, 12, OFD_P_SCTP, &p);

	if (i < 0)
		return i;
	ofd_put_be16(p, sport);
	ofd_put_be16(p + 2, dport);
	ofd_put_be32(p + 4, vtag);
	return i;
}

static void pattern(uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7);
}

int ofd_pktb_sctp_data(struct ofd_pktb *b, uint32_t tsn, uint16_t sid,
		       uint16_t ssn, uint32_t ppid, uint32_t data_len)
{
	uint32_t clen, padded;
	uint8_t *p;
	int i;

	if (data_len > 0xffff - 16)
		return ofd_pktb__fail(b, -EINVAL);
	clen = 16 + data_len;
	padded = (clen + 3) & ~3u;
	i = push(b, padded, OFD_P_PAYLOAD, &p);
	if (i < 0)
		return i;
	p[0] = 0;    /* DATA */
	p[1] = 0x03; /* B|E: an unfragmented message */
	ofd_put_be16(p + 2, (uint16_t)clen);
	ofd_put_be32(p + 4, tsn);
	ofd_put_be16(p + 8, sid);
	ofd_put_be16(p + 10, ssn);
	ofd_put_be32(p + 12, ppid);
	pattern(p + 16, data_len);
	return i;
}

int ofd_pktb_icmp_echo(struct ofd_pktb *b, uint16_t id, uint16_t seq)
{
	int ip = enclosing_ip(b, (int)b->nlayers);
	bool v6 = ip >= 0 && b->layer[ip].proto == OFD_P_IPV6;
	uint8_t *p;
	int i = push(b, 8, v6 ? OFD_P_ICMPV6 : OFD_P_ICMP, &p);

	if (i < 0)
		return i;
	p[0] = v6 ? 128 : 8;
	ofd_put_be16(p + 4, id);
	ofd_put_be16(p + 6, seq);
	return i;
}

/* ---- tunnels ----------------------------------------------------- */

static int zero_udp_below(struct ofd_pktb *b)
{
	if (!b->nlayers || b->layer[b->nlayers - 1].proto != OFD_P_UDP)
		return ofd_pktb__fail(b, -EINVAL);
	b->layer[b->nlayers - 1].csum = OFD_PKTB_CSUM_ZERO;
	return 0;
}

int ofd_pktb_vxlan(struct ofd_pktb *b, uint32_t vni)
{
	uint8_t *p;
	int i;

	if (b->err)
		return b->err;
	if (vni > 0xffffff || zero_udp_below(b))
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 8, OFD_P_VXLAN, &p);
	if (i < 0)
		return i;
	p[0] = 0x08; /* I: the VNI is valid */
	ofd_put_be32(p + 4, vni << 8);
	return i;
}

int ofd_pktb_geneve(struct ofd_pktb *b, uint32_t vni, uint32_t opt_len)
{
	uint8_t *p;
	int i;

	if (b->err)
		return b->err;
	if (vni > 0xffffff || opt_len % 4 || opt_len > 128 ||
	    (opt_len && opt_len < 4) || zero_udp_below(b))
		return ofd_pktb__fail(b, -EINVAL);
	i = push(b, 8 + opt_len, OFD_P_GENEVE, &p);
	if (i < 0)
		return i;
	p[0] = (uint8_t)(opt_len / 4); /* Ver 0, Opt Len in 4-byte words */
	ofd_put_be16(p + 2, 0x6558);
	ofd_put_be32(p + 4, vni << 8);
	if (opt_len) {
		/* One TLV in the experimental class range (RFC 8926 7). */
		ofd_put_be16(p + 8, 0xfff0);
		p[10] = 0x01;
		p[11] = (uint8_t)((opt_len - 4) / 4);
		pattern(p + 12, opt_len - 4);
	}
	return i;
}

int ofd_pktb_gre(struct ofd_pktb *b, uint16_t flags, uint32_t key,
		 uint32_t seq)
{
	uint32_t n = 4;
	uint8_t *p;
	int i;

	if (flags & ~(OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY | OFD_PKTB_GRE_SEQ))
		return ofd_pktb__fail(b, -EINVAL);
	n += flags & OFD_PKTB_GRE_CSUM ? 4 : 0;
	n += flags & OFD_PKTB_GRE_KEY ? 4 : 0;
	n += flags & OFD_PKTB_GRE_SEQ ? 4 : 0;
	i = push(b, n, OFD_P_GRE, &p);
	if (i < 0)
		return i;
	ofd_put_be16(p, flags);
	ofd_put_be16(p + 2, 0x0800);
	n = 4;
	if (flags & OFD_PKTB_GRE_CSUM)
		n += 4; /* checksum + reserved1, filled at finish */
	if (flags & OFD_PKTB_GRE_KEY) {
		ofd_put_be32(p + n, key);
		n += 4;
	}
	if (flags & OFD_PKTB_GRE_SEQ)
		ofd_put_be32(p + n, seq);
	return i;
}

/* ---- payload and trailer ----------------------------------------- */

int ofd_pktb_payload(struct ofd_pktb *b, uint32_t n)
{
	uint8_t *p;
	int i = push(b, n, OFD_P_PAYLOAD, &p);

	if (i < 0)
		return i;
	pattern(p, n);
	return i;
}

int ofd_pktb_bytes(struct ofd_pktb *b, const void *data, uint32_t n)
{
	uint8_t *p;
	int i = push(b, n, OFD_P_PAYLOAD, &p);

	if (i < 0)
		return i;
	if (data)
		memcpy(p, data, n);
	return i;
}

int ofd_pktb_trailer(struct ofd_pktb *b, const void *data, uint32_t n)
{
	if (b->err)
		return b->err;
	if (n > b->cap - b->len)
		return ofd_pktb__fail(b, -ENOSPC);
	if (!b->has_trailer) {
		b->has_trailer = true;
		b->dgram_end = b->len;
	}
	if (data)
		memcpy(b->buf + b->len, data, n);
	else
		memset(b->buf + b->len, 0, n);
	b->len += n;
	return 0;
}

int ofd_pktb_pad(struct ofd_pktb *b, uint32_t min_len)
{
	if (b->err)
		return b->err;
	if (b->len >= min_len)
		return 0;
	return ofd_pktb_trailer(b, NULL, min_len - b->len);
}
