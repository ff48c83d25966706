// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * parse.c - the packet parser: Ethernet frame -> flat list of layers.
 *
 * Header formats follow the RFCs, not any implementation:
 *   IEEE 802.1Q / 802.1ad tags; IPv4 (RFC 791); IPv6 and its extension
 *   headers (RFC 8200 section 4, length (hdrlen + 1) * 8, fragment 8);
 *   the Segment Routing Header (RFC 8754, routing type 4); TCP (RFC 9293),
 *   UDP (RFC 768), SCTP common header (RFC 9260), ICMP (RFC 792),
 *   ICMPv6 (RFC 4443); VXLAN (RFC 7348, UDP 4789); GENEVE (RFC 8926,
 *   UDP 6081); GRE (RFC 2784 with the RFC 2890 key and sequence fields);
 *   IP-in-IP (RFC 2003, protocol 4) and IPv6-in-IP (protocol 41).
 *   The pseudo-header's final destination is RFC 8200 section 8.1: the
 *   final address of a routing header with segments left (SRH: Segment
 *   List[0]), else the Destination Address (kernel-tx.md section 8.1).
 *
 * Design:
 *  - one const table, ofd_proto_defs[], holds per protocol the minimum header
 *    length, a step function (full length and what comes next) and the
 *    named fields the diff prints; nothing is allocated;
 *  - the walk never fails hard: it stops with a reason in .stop and keeps
 *    what it has. A header that does not fit (TRUNCATED) or makes no sense
 *    (MALFORMED) is not added and the bytes from it on are "trailer"; after
 *    a header that ends the walk normally (END, UNKNOWN next protocol,
 *    FRAGMENT, TOO_DEEP) the rest of the frame is one PAYLOAD layer;
 *  - one slot of layer[] is kept for that payload, so TOO_DEEP still ends
 *    in a payload layer;
 *  - IPv4 total length and IPv6 payload length are deliberately not used to
 *    bound the walk: the checksum paths we model cover bytes to the end of
 *    the frame, so the parser describes the frame, not what the IP header
 *    claims. ofd_parse_ip_len() (parse_len.c) reads the claim when a caller
 *    needs it, BIG TCP included: an IPv4 tot_len of 0 on a datagram over 64 KB (the
 *    kernel's iph_set_totlen) and an IPv6 jumbogram (RFC 2675: payload
 *    length 0, a Jumbo Payload option in the hop-by-hop header).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_parse.h"
#include "parse_internal.h"

#define UDP_PORT_VXLAN 4789
#define UDP_PORT_GENEVE 6081
#define ETH_P_TEB 0x6558 /* transparent Ethernet bridging: inner Ethernet */

#define GRE_F_CSUM 0x8000
#define GRE_F_ROUTING 0x4000
#define GRE_F_KEY 0x2000
#define GRE_F_SEQ 0x1000
#define GRE_VERSION 0x0007


/* ------------------------------------------------------------------ */
/* Walking                                                             */
/* ------------------------------------------------------------------ */

static inline uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}


static void next_ethertype(uint16_t type, struct step *st)
{
	switch (type) {
	case 0x8100:
		st->next = OFD_P_VLAN;
		break;
	case 0x88a8:
		st->next = OFD_P_QINQ;
		break;
	case 0x0800:
		st->next = OFD_P_IPV4;
		break;
	case 0x86dd:
		st->next = OFD_P_IPV6;
		break;
	default:
		st->next = OFD_P_NONE;
		st->stop = OFD_STOP_UNKNOWN;
	}
}

/* GRE and GENEVE name their payload by ethertype, but only these make a
 * tunnel we follow. */
static void next_tunnel_type(uint16_t type, struct step *st)
{
	st->tunnel = true;
	switch (type) {
	case ETH_P_TEB:
		st->next = OFD_P_ETH;
		break;
	case 0x0800:
		st->next = OFD_P_IPV4;
		break;
	case 0x86dd:
		st->next = OFD_P_IPV6;
		break;
	default:
		st->tunnel = false;
		st->next = OFD_P_NONE;
		st->stop = OFD_STOP_UNKNOWN;
	}
}

/* IP protocol numbers (IANA) we follow, and where. */
#define IPP_V4 0x1     /* valid after an IPv4 header */
#define IPP_V6 0x2     /* valid after an IPv6 header or extension header */
#define IPP_TUN 0x4    /* the next header starts a tunnel's payload */
#define IPP_SIMPLE 0x8 /* an L4 a NO_EXTHDR device still recognises */

static const struct {
	uint8_t proto;
	uint8_t flags;
} ipproto_tab[256] = {
	[0] = { OFD_P_HBH, IPP_V6 },
	[1] = { OFD_P_ICMP, IPP_V4 | IPP_V6 },
	[4] = { OFD_P_IPV4, IPP_V4 | IPP_V6 | IPP_TUN },
	[6] = { OFD_P_TCP, IPP_V4 | IPP_V6 | IPP_SIMPLE },
	[17] = { OFD_P_UDP, IPP_V4 | IPP_V6 | IPP_SIMPLE },
	[41] = { OFD_P_IPV6, IPP_V4 | IPP_V6 | IPP_TUN },
	[43] = { OFD_P_RTHDR, IPP_V6 }, /* the step tells SRH from others */
	[44] = { OFD_P_FRAG, IPP_V6 },
	[47] = { OFD_P_GRE, IPP_V4 | IPP_V6 },
	[58] = { OFD_P_ICMPV6, IPP_V4 | IPP_V6 | IPP_SIMPLE },
	[60] = { OFD_P_DSTOPTS, IPP_V6 },
	[132] = { OFD_P_SCTP, IPP_V4 | IPP_V6 | IPP_SIMPLE },
};

#define IPV6_NEXTHDR_NONE 59 /* RFC 8200 4.7: nothing follows */

static void next_ipproto(uint8_t nh, unsigned int ctx, unsigned int flags,
			 struct step *st)
{
	uint8_t f = ipproto_tab[nh].flags;

	/* A device that does not parse extension headers takes the fixed
	 * header's next header as the L4 protocol, or gives up. */
	if ((ctx & IPP_V6) && (flags & OFD_PARSE_NO_EXTHDR) &&
	    !(f & IPP_SIMPLE)) {
		st->next = OFD_P_NONE;
		st->stop = OFD_STOP_UNKNOWN;
		return;
	}
	if ((ctx & IPP_V6) && nh == IPV6_NEXTHDR_NONE) {
		st->next = OFD_P_NONE;
		st->stop = OFD_STOP_END;
		return;
	}
	if (!(f & ctx)) {
		st->next = OFD_P_NONE;
		st->stop = OFD_STOP_UNKNOWN;
		return;
	}
	st->next = ipproto_tab[nh].proto;
	st->tunnel = f & IPP_TUN;
}

static int step_eth(const uint8_t *h, unsigned int flags, struct step *st)
{
	st->hlen = 14;
	next_ethertype(be16(h + 12), st);
	return 0;
}

/* 802.1Q and 802.1ad tags: TCI then the encapsulated ethertype. */
static int step_vlan(const uint8_t *h, unsigned int flags, struct step *st)
{
	st->hlen = 4;
	next_ethertype(be16(h + 2), st);
	return 0;
}

static int step_ipv4(const uint8_t *h, unsigned int flags, struct step *st)
{
	unsigned int ihl = h[0] & 0x0f;

	if (h[0] >> 4 != 4 || ihl < 5)
		return OFD_STOP_MALFORMED;
	st->hlen = ihl * 4;
	/* Only the first fragment carries the L4 header (RFC 791). */
	if (be16(h + 6) & 0x1fff) {
		st->next = OFD_P_NONE;
		st->stop = OFD_STOP_FRAGMENT;
		return 0;
	}
	next_ipproto(h[9], IPP_V4, flags, st);
	return 0;
}

static int step_ipv6(const uint8_t *h, unsigned int flags, struct step *st)
{
	if (h[0] >> 4 != 6)
		return OFD_STOP_MALFORMED;
	st->hlen = 40;
	next_ipproto(h[6], IPP_V6, flags, st);
	return 0;
}

/* Hop-by-hop, destination options and routing: RFC 8200 4.3-4.6. */
static int step_exthdr(const uint8_t *h, unsigned int flags, struct step *st)
{
	st->hlen = ((uint32_t)h[1] + 1) * 8;
	next_ipproto(h[0], IPP_V6, flags, st);
	return 0;
}

static int step_rthdr(const uint8_t *h, unsigned int flags, struct step *st)
{
	if (h[2] == SRH_TYPE)
		st->proto = OFD_P_SRH;
	return step_exthdr(h, flags, st);
}

static int step_frag(const uint8_t *h, unsigned int flags, struct step *st)
{
	st->hlen = 8;
	if (be16(h + 2) >> 3) {
		st->next = OFD_P_NONE;
		st->stop = OFD_STOP_FRAGMENT;
		return 0;
	}
	next_ipproto(h[0], IPP_V6, flags, st);
	return 0;
}

static int step_tcp(const uint8_t *h, unsigned int flags, struct step *st)
{
	unsigned int doff = h[12] >> 4;

	if (doff < 5)
		return OFD_STOP_MALFORMED;
	st->hlen = doff * 4;
	return 0;
}

static int step_udp(const uint8_t *h, unsigned int flags, struct step *st)
{
	st->hlen = 8;
	switch (be16(h + 2)) {
	case UDP_PORT_VXLAN:
		st->next = OFD_P_VXLAN;
		break;
	case UDP_PORT_GENEVE:
		st->next = OFD_P_GENEVE;
		break;
	}
	return 0;
}

/* SCTP common header, ICMP, ICMPv6: fixed length, nothing follows. */
static int step_fixed(const uint8_t *h, unsigned int flags, struct step *st)
{
	return 0; /* hlen is min_len, preset by the caller */
}

static int step_vxlan(const uint8_t *h, unsigned int flags, struct step *st)
{
	st->hlen = 8;
	st->next = OFD_P_ETH;
	st->tunnel = true;
	return 0;
}

static int step_geneve(const uint8_t *h, unsigned int flags, struct step *st)
{
	/* Another version has another layout (RFC 8926 3.4). */
	if (h[0] >> 6)
		return OFD_STOP_UNKNOWN;
	st->hlen = 8 + (uint32_t)(h[0] & 0x3f) * 4;
	next_tunnel_type(be16(h + 2), st);
	return 0;
}

static int step_gre(const uint8_t *h, unsigned int flags, struct step *st)
{
	uint16_t f = be16(h);

	/* Version 1 (PPTP) and source routing (RFC 1701) have other layouts;
	 * RFC 2784 has neither. */
	if (f & (GRE_VERSION | GRE_F_ROUTING))
		return OFD_STOP_UNKNOWN;
	st->hlen = 4 + (f & GRE_F_CSUM ? 4 : 0) + (f & GRE_F_KEY ? 4 : 0) +
		   (f & GRE_F_SEQ ? 4 : 0);
	next_tunnel_type(be16(h + 2), st);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Field tables                                                        */
/* ------------------------------------------------------------------ */


static const struct fdesc eth_fields[] = {
	FD("dst", 0, 6), FD("src", 6, 6), FD("type", 12, 2),
};

static const struct fdesc vlan_fields[] = {
	FD("tci", 0, 2), FD("type", 2, 2),
};

static const struct fdesc ipv4_fields[] = {
	FD("version_ihl", 0, 1), FD("tos", 1, 1), FD("tot_len", 2, 2),
	FD("id", 4, 2), FD("frag_off", 6, 2), FD("ttl", 8, 1),
	FD("protocol", 9, 1), FDF("checksum", 10, 2, FD_CSUM),
	FD("saddr", 12, 4), FD("daddr", 16, 4), FD("options", 20, 0),
};

static const struct fdesc ipv6_fields[] = {
	FD("vtc_flow", 0, 4), FD("payload_len", 4, 2), FD("nexthdr", 6, 1),
	FD("hop_limit", 7, 1), FD("saddr", 8, 16), FD("daddr", 24, 16),
};

static const struct fdesc opts_fields[] = {
	FD("nexthdr", 0, 1), FD("hdrlen", 1, 1), FD("options", 2, 0),
};

/*
 * RFC 2675 2: a Jumbo Payload option first (type 0xC2, length 4, then the
 * 32-bit length) is named field by field; it is the whole of the kernel's
 * BIG TCP hop-by-hop header (struct hop_jumbo_hdr, 8 bytes). Other options
 * stay one "options" run.
 */
#define JUMBO_W1 0xc204 /* option type 0xC2, length 4 */
static const struct fdesc hbh_fields[] = {
	FD("nexthdr", 0, 1),
	FD("hdrlen", 1, 1),
	FDW("jumbo_type", 2, 1, FD_W1EQ, JUMBO_W1),
	FDW("jumbo_optlen", 3, 1, FD_W1EQ, JUMBO_W1),
	FDW("jumbo_len", 4, 4, FD_W1EQ, JUMBO_W1),
	FDW("options", 8, 0, FD_W1EQ, JUMBO_W1),
	FDW("options", 2, 0, FD_W1NE, JUMBO_W1),
};

/* RFC 8754 2. */
static const struct fdesc srh_fields[] = {
	FD("nexthdr", 0, 1),
	FD("hdrlen", 1, 1),
	FD("type", 2, 1),
	FD("segments_left", 3, 1),
	FD("last_entry", 4, 1),
	FD("flags", 5, 1),
	FD("tag", 6, 2),
	FDF("segment", SRH_SEG_OFF, SRH_SEG_LEN, FD_SEGS),
	FD("tlv", FD_NEXT, 0),
};

static const struct fdesc rthdr_fields[] = {
	FD("nexthdr", 0, 1), FD("hdrlen", 1, 1), FD("type", 2, 1),
	FD("segments_left", 3, 1), FD("data", 4, 0),
};

static const struct fdesc frag_fields[] = {
	FD("nexthdr", 0, 1), FD("reserved", 1, 1), FD("frag_off", 2, 2),
	FD("id", 4, 4),
};

static const struct fdesc tcp_fields[] = {
	FD("sport", 0, 2), FD("dport", 2, 2), FD("seq", 4, 4),
	FD("ack", 8, 4), FD("doff", 12, 1), FD("flags", 13, 1),
	FD("window", 14, 2), FDF("checksum", 16, 2, FD_CSUM),
	FD("urg_ptr", 18, 2), FD("options", 20, 0),
};

static const struct fdesc udp_fields[] = {
	FD("sport", 0, 2), FD("dport", 2, 2), FD("len", 4, 2),
	FDF("checksum", 6, 2, FD_CSUM),
};

/* The CRC32c field is 4 bytes (RFC 9260 3.1). */
static const struct fdesc sctp_fields[] = {
	FD("sport", 0, 2), FD("dport", 2, 2), FD("vtag", 4, 4),
	FDF("checksum", 8, 4, FD_CSUM),
};

static const struct fdesc icmp_fields[] = {
	FD("type", 0, 1), FD("code", 1, 1), FDF("checksum", 2, 2, FD_CSUM),
	FD("rest", 4, 4),
};

static const struct fdesc vxlan_fields[] = {
	FD("flags", 0, 1), FD("reserved", 1, 3), FD("vni", 4, 3),
	FD("reserved2", 7, 1),
};

static const struct fdesc geneve_fields[] = {
	FD("ver_optlen", 0, 1), FD("flags", 1, 1), FD("protocol", 2, 2),
	FD("vni", 4, 3), FD("reserved", 7, 1), FD("options", 8, 0),
};

/* RFC 2784 2.1 and RFC 2890 2: optional words in C, K, S order. */
static const struct fdesc gre_fields[] = {
	FD("flags_version", 0, 2),
	FD("protocol", 2, 2),
	FDW("checksum", FD_NEXT, 2, FD_CSUM, GRE_F_CSUM),
	FDW("reserved1", FD_NEXT, 2, 0, GRE_F_CSUM),
	FDW("key", FD_NEXT, 4, 0, GRE_F_KEY),
	FDW("seq", FD_NEXT, 4, 0, GRE_F_SEQ),
};


const struct proto_def ofd_proto_defs[OFD_P__MAX] = {
	[OFD_P_NONE] = { .name = "none" },
	[OFD_P_ETH] = { "eth", 14, .step = step_eth, FIELDS(eth_fields) },
	[OFD_P_VLAN] = { "vlan", 4, .step = step_vlan, FIELDS(vlan_fields) },
	[OFD_P_QINQ] = { "qinq", 4, .step = step_vlan, FIELDS(vlan_fields) },
	[OFD_P_IPV4] = { "ipv4", 20, .is_l3 = 1, .step = step_ipv4,
			 FIELDS(ipv4_fields) },
	[OFD_P_IPV6] = { "ipv6", 40, .is_l3 = 1, .step = step_ipv6,
			 FIELDS(ipv6_fields) },
	[OFD_P_HBH] = { "hbh", 8, .step = step_exthdr, FIELDS(hbh_fields) },
	[OFD_P_DSTOPTS] = { "dstopts", 8, .step = step_exthdr,
			    FIELDS(opts_fields) },
	[OFD_P_SRH] = { "srh", 8, .step = step_rthdr, FIELDS(srh_fields) },
	[OFD_P_RTHDR] = { "rthdr", 8, .step = step_rthdr,
			  FIELDS(rthdr_fields) },
	[OFD_P_FRAG] = { "frag", 8, .step = step_frag, FIELDS(frag_fields) },
	[OFD_P_TCP] = { "tcp", 20, .is_l4 = 1, .pseudo_proto = 6,
			.step = step_tcp, FIELDS(tcp_fields) },
	[OFD_P_UDP] = { "udp", 8, .is_l4 = 1, .pseudo_proto = 17,
			.step = step_udp, FIELDS(udp_fields) },
	[OFD_P_SCTP] = { "sctp", 12, .is_l4 = 1, .pseudo_proto = 132,
			 .step = step_fixed, FIELDS(sctp_fields) },
	[OFD_P_ICMP] = { "icmp", 8, .is_l4 = 1, .step = step_fixed,
			 FIELDS(icmp_fields) },
	[OFD_P_ICMPV6] = { "icmpv6", 8, .is_l4 = 1, .pseudo_proto = 58,
			   .step = step_fixed, FIELDS(icmp_fields) },
	[OFD_P_VXLAN] = { "vxlan", 8, .step = step_vxlan,
			  FIELDS(vxlan_fields) },
	[OFD_P_GENEVE] = { "geneve", 8, .step = step_geneve,
			   FIELDS(geneve_fields) },
	[OFD_P_GRE] = { "gre", 4, .step = step_gre, FIELDS(gre_fields) },
	[OFD_P_PAYLOAD] = { .name = "payload" },
};

const char *ofd_proto_name(enum ofd_proto p)
{
	if ((unsigned int)p >= OFD_P__MAX)
		return "unknown";
	return ofd_proto_defs[p].name;
}

/* ------------------------------------------------------------------ */
/* ofd_parse                                                           */
/* ------------------------------------------------------------------ */

static void add_layer(struct ofd_parsed *out, uint8_t proto, uint8_t depth,
		      uint32_t off, uint32_t len)
{
	struct ofd_layer *l = &out->layer[out->nlayers];
	int i = (int)out->nlayers++;

	l->proto = proto;
	l->depth = depth;
	l->pad = 0;
	l->off = off;
	l->len = len;
	if (ofd_proto_defs[proto].is_l3) {
		if (out->outer_l3 < 0)
			out->outer_l3 = i;
		out->l3 = i;
	} else if (ofd_proto_defs[proto].is_l4) {
		if (out->outer_l4 < 0)
			out->outer_l4 = i;
		out->l4 = i;
	}
}

void ofd_parse(const uint8_t *frame, uint32_t len, unsigned int flags,
	       struct ofd_parsed *out)
{
	uint8_t proto = OFD_P_ETH, depth = 0;
	uint32_t off = 0;
	int stop;

	out->nlayers = 0;
	out->l3 = out->l4 = out->outer_l3 = out->outer_l4 = -1;

	for (;;) {
		const struct proto_def *d = &ofd_proto_defs[proto];
		struct step st = { .proto = proto, .hlen = d->min_len };

		if (len - off < d->min_len) {
			stop = OFD_STOP_TRUNCATED;
			break;
		}
		stop = d->step(frame + off, flags, &st);
		if (stop)
			break;
		if (st.hlen > len - off) {
			stop = OFD_STOP_TRUNCATED;
			break;
		}
		/* Keep the last slot for the payload. */
		if (out->nlayers >= OFD_PARSE_MAX_LAYERS - 1) {
			stop = OFD_STOP_TOO_DEEP;
			break;
		}
		add_layer(out, st.proto, depth, off, st.hlen);
		off += st.hlen;
		if (st.next == OFD_P_NONE) {
			stop = st.stop;
			break;
		}
		if (st.tunnel) {
			if (flags & OFD_PARSE_NO_TUNNEL) {
				stop = OFD_STOP_END;
				break;
			}
			depth++;
		}
		proto = st.next;
	}

	out->stop = (uint8_t)stop;
	if (stop != OFD_STOP_TRUNCATED && stop != OFD_STOP_MALFORMED &&
	    off < len)
		add_layer(out, OFD_P_PAYLOAD, depth, off, len - off);
}

int ofd_parse_path(const struct ofd_parsed *p, char *buf, size_t size)
{
	size_t n = 0;
	uint32_t i;

	if (size)
		buf[0] = '\0';
	for (i = 0; i < p->nlayers && i < OFD_PARSE_MAX_LAYERS; i++) {
		uint8_t proto = p->layer[i].proto;
		const char *name;
		size_t k;

		if ((i == 0 && proto == OFD_P_ETH) || proto == OFD_P_PAYLOAD)
			continue;
		name = ofd_proto_name(proto);
		if (n) {
			if (n + 1 < size)
				buf[n] = '/';
			n++;
		}
		for (k = 0; name[k]; k++, n++)
			if (n + 1 < size)
				buf[n] = name[k];
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return (int)n;
}

/* ------------------------------------------------------------------ */
/* Pseudo-header                                                       */
/* ------------------------------------------------------------------ */

const uint8_t *ofd_rthdr_final(const uint8_t *rh, uint32_t len)
{
	uint32_t naddr;

	if (len < 8 || len < ((uint32_t)rh[1] + 1) * 8 || !rh[3])
		return NULL;
	naddr = (uint32_t)rh[1] / 2;
	if (!naddr)
		return NULL;
	switch (rh[2]) {
	case SRH_TYPE:
		/* RFC 8754: the list is stored in reverse; [0] is last. */
		return rh + SRH_SEG_OFF;
	case 0: /* RFC 2460 4.4 (deprecated by RFC 5095), in order */
	case 2: /* RFC 6275 6.4: one address, the home address */
		return rh[3] <= naddr ? rh + 8 + SRH_SEG_LEN * (naddr - 1) : NULL;
	default:
		return NULL;
	}
}

int ofd_parse_pseudo(const uint8_t *frame, uint32_t len,
		     const struct ofd_parsed *p, int l4, uint32_t l4_len,
		     int use_ipv6_dst, uint32_t *sum)
{
	const struct ofd_layer *t, *ip = NULL;
	const uint8_t *daddr, *final;
	uint8_t proto;
	int i, ipi = -1;

	if (l4 < 0 || (uint32_t)l4 >= p->nlayers || l4 >= OFD_PARSE_MAX_LAYERS)
		return -EINVAL;
	t = &p->layer[l4];
	proto = ofd_proto_defs[t->proto < OFD_P__MAX ? t->proto : 0].pseudo_proto;
	if (!proto)
		return -EINVAL;

	/* The nearest IP header of the same packet (same tunnel depth). */
	for (i = l4 - 1; i >= 0; i--) {
		const struct ofd_layer *l = &p->layer[i];

		if (l->depth != t->depth)
			break;
		if (l->proto == OFD_P_IPV4 || l->proto == OFD_P_IPV6) {
			ip = l;
			ipi = i;
			break;
		}
	}
	if (!ip)
		return -EINVAL;
	if (!ofd_layer_ok(ip, len))
		return -EBADMSG;

	if (ip->proto == OFD_P_IPV4) {
		if (ip->len < 20)
			return -EBADMSG;
		*sum = ofd_pseudo_v4(frame + ip->off + 12, frame + ip->off + 16,
				     l4_len, proto);
		return 0;
	}

	if (ip->len < 40)
		return -EBADMSG;
	/*
	 * RFC 8200 8.1: the final destination, i.e. the Destination Address
	 * as the packet reaches its last node. A routing header with
	 * segments left > 0 still has to take it there and names it (SRH:
	 * Segment List[0]; types 0 and 2: the last address); with segments
	 * left 0 the Destination Address already is it, whatever the header
	 * lists: the live kernel validates against it (rxjudge, probed on
	 * 6.18.44; ipv6_find_hdr's IP6_FH_F_SKIP_RH reads it the same way).
	 * Headers are processed in order, so the last one with segments left
	 * decides. A type no node processes leaves the Destination Address.
	 */
	daddr = frame + ip->off + 24;
	for (i = ipi + 1; !use_ipv6_dst && i < l4; i++) {
		const struct ofd_layer *l = &p->layer[i];

		if (l->proto != OFD_P_SRH && l->proto != OFD_P_RTHDR)
			continue;
		if (!ofd_layer_ok(l, len))
			return -EBADMSG;
		final = ofd_rthdr_final(frame + l->off, l->len);
		if (final)
			daddr = final;
		else if (frame[l->off + 3] && (frame[l->off + 2] == SRH_TYPE ||
					       frame[l->off + 2] <= 2))
			return -EBADMSG; /* segments left, no address */
	}
	*sum = ofd_pseudo_v6(frame + ip->off + 8, daddr, l4_len, proto);
	return 0;
}
