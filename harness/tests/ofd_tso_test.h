/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_tso_test.h - TSO super-packets and the segments Linux 6.18's
 * software GSO makes of them, both built with ofd_pktbuild.h from the
 * kernel's rules (kernel-tx.md 5-7), never through an engine: the emulator
 * tests compare the device's output with them, the explanation tests
 * deviate from them by hand.
 *
 * A super-packet carries the stack's seed in its L4 checksum (and in the
 * outer UDP checksum of a _CSUM tunnel); segment j of it is the packet
 * with the same headers, payload slice [j * mss, ...), sequence number
 * seq + j * mss, IPv4 IDs + j (UFO aside), FIN/PSH only on the last and
 * CWR only on the first, and every checksum complete, which is what the
 * kernel computes from a correct seed. The payload is the probe pattern
 * (byte i = (i * 7) & 0xff), as in the probes of kernel-tx.md 10.6.
 */
#ifndef OFD_TSO_TEST_H
#define OFD_TSO_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ofd.h"
#include "ofd_pktbuild.h"

enum tso_shape {
	TS_V4,         /* eth/ipv4/tcp|udp */
	TS_V6,         /* eth/ipv6/tcp|udp */
	TS_V6_SRH,     /* eth/ipv6/srh (2 segments, segleft 1)/tcp */
	TS_V6_DOPT,    /* eth/ipv6/dstopts(8)/tcp */
	TS_VLAN,       /* eth/vlan 100/ipv4/tcp */
	TS_VXLAN,      /* eth/ipv4/udp 4789/vxlan/eth/ipv4/tcp, outer csum 0 */
	TS_VXLAN_CSUM, /* the same, outer UDP checksum (UDP_TUNNEL_CSUM) */
	TS_GENEVE,     /* eth/ipv6/udp 6081/geneve(opt 8)/eth/ipv4/tcp */
	TS_GRE,        /* eth/ipv4/gre/ipv4/tcp */
	TS_GRE_CSUM,   /* eth/ipv4/gre with checksum/ipv4/tcp */
	TS_IPIP,       /* eth/ipv4/ipv4/tcp */
	TS_6IN6,       /* eth/ipv6/ipv6/tcp */
	TS__MAX,
};

static const char *const tso_shape_names[TS__MAX] = {
	"v4", "v6", "v6-srh", "v6-dstopts", "vlan", "vxlan", "vxlan-csum",
	"geneve", "gre", "gre-csum", "ipip", "6in6",
};

struct tso_params {
	bool udp;          /* UDP instead of TCP (non-tunnel shapes) */
	uint16_t sport, dport; /* 0: 1000 -> 2000 */
	uint32_t seq;      /* 100000 in the probes */
	uint8_t flags;     /* TCP flags */
	uint16_t id, iid;  /* outer (or only) and inner IPv4 ID */
	bool no_df;
	const uint8_t *tcpopt;
	uint8_t tcpopt_len;
	bool segment;      /* build a segment: complete checksums */
};

#define TSO_TEST_MAX_PAYLOAD 70000

/* The probe payload of the whole super-packet. */
static inline const uint8_t *tso_test_payload(void)
{
	static uint8_t pay[TSO_TEST_MAX_PAYLOAD];
	static bool done;
	uint32_t i;

	if (!done)
		for (i = 0; i < sizeof(pay); i++)
			pay[i] = (uint8_t)(i * 7);
	done = true;
	return pay;
}

static inline bool tso_shape_tunnel(enum tso_shape s)
{
	return s >= TS_VXLAN;
}

static inline bool tso_shape_inner_v6(enum tso_shape s)
{
	return s == TS_V6 || s == TS_V6_SRH || s == TS_V6_DOPT || s == TS_6IN6;
}

/* Build shape s carrying pay[0, plen) into buf; *l4 the L4 header's
 * offset. Returns the frame length or a negative errno. */
static inline int tso_test_build(enum tso_shape s, const struct tso_params *t,
				 const uint8_t *pay, uint32_t plen, uint8_t *buf,
				 uint32_t cap, uint32_t *l4)
{
	static const uint8_t segs[2][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8, 0, 0x0f, [15] = 0x99 },
		{ 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 0x01 },
	};
	struct ofd_pktb_ipv4_opts o4 = { .id = t->id, .no_df = t->no_df };
	struct ofd_pktb_ipv4_opts i4 = { .id = t->iid, .no_df = t->no_df };
	struct ofd_pktb_tcp_opts tcp = {
		.sport = t->sport ? t->sport : 1000,
		.dport = t->dport ? t->dport : 2000, .seq = t->seq, .ack = 1,
		.flags = t->flags, .window = 65535, .options = t->tcpopt,
		.options_len = t->tcpopt_len,
	};
	struct ofd_pktb b;
	int li, tun = -1, ret;

	ofd_pktb_init(&b, buf, cap);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (s == TS_VLAN)
		ofd_pktb_vlan(&b, 100, 0);
	switch (s) {
	case TS_V4:
	case TS_VLAN:
		ofd_pktb_ipv4(&b, &o4);
		break;
	case TS_V6:
		ofd_pktb_ipv6(&b, NULL);
		break;
	case TS_V6_SRH:
		ofd_pktb_ipv6(&b, NULL);
		ofd_pktb_srh(&b, segs, 2, 1);
		break;
	case TS_V6_DOPT:
		ofd_pktb_ipv6(&b, NULL);
		ofd_pktb_dstopts(&b, 8);
		break;
	case TS_VXLAN:
	case TS_VXLAN_CSUM:
		ofd_pktb_ipv4(&b, &o4);
		tun = ofd_pktb_udp(&b, 49152, 4789);
		ofd_pktb_vxlan(&b, 42);
		ofd_pktb_eth(&b, NULL, NULL, 0);
		ofd_pktb_ipv4(&b, &i4);
		break;
	case TS_GENEVE:
		ofd_pktb_ipv6(&b, NULL);
		tun = ofd_pktb_udp(&b, 49153, 6081);
		ofd_pktb_geneve(&b, 7, 8);
		ofd_pktb_eth(&b, NULL, NULL, 0);
		ofd_pktb_ipv4(&b, &i4);
		break;
	case TS_GRE:
	case TS_GRE_CSUM:
		ofd_pktb_ipv4(&b, &o4);
		tun = ofd_pktb_gre(&b, s == TS_GRE_CSUM ? OFD_PKTB_GRE_CSUM : 0, 0, 0);
		ofd_pktb_ipv4(&b, &i4);
		break;
	case TS_IPIP:
		ofd_pktb_ipv4(&b, &o4);
		ofd_pktb_ipv4(&b, &i4);
		break;
	case TS_6IN6:
		ofd_pktb_ipv6(&b, NULL);
		ofd_pktb_ipv6(&b, NULL);
		break;
	case TS__MAX:
		return -EINVAL;
	}
	li = t->udp ? ofd_pktb_udp(&b, tcp.sport, tcp.dport) : ofd_pktb_tcp(&b, &tcp);
	if (plen)
		ofd_pktb_bytes(&b, pay, plen);
	if (b.err)
		return b.err;
	b.layer[li].csum = t->segment ? OFD_PKTB_CSUM_FULL : OFD_PKTB_CSUM_SEED;
	if (s == TS_VXLAN_CSUM)
		b.layer[tun].csum = t->segment ? OFD_PKTB_CSUM_FULL : OFD_PKTB_CSUM_SEED;
	if (s == TS_GRE_CSUM)
		/* the stack leaves a GSO skb's GRE checksum 0 (gre_build_header) */
		b.layer[tun].csum = t->segment ? OFD_PKTB_CSUM_FULL : OFD_PKTB_CSUM_ZERO;
	ret = ofd_pktb_finish(&b);
	if (ret)
		return ret;
	*l4 = b.layer[li].off;
	return (int)b.len;
}

/* The request the stack makes for shape s: LEGACY with its skb_gso bits,
 * or (non-tunnel shapes only) the virtio_net_hdr a VNET sender writes. */
static inline void tso_test_request(enum tso_shape s, bool udp, bool vnet,
				    uint16_t mss, uint32_t l4,
				    struct ofd_request *req)
{
	memset(req, 0, sizeof(*req));
	req->vnet.gso_size = mss;
	req->vnet.csum_start = (uint16_t)l4;
	req->vnet.csum_offset = udp ? 6 : 16;
	req->vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	if (vnet) {
		req->kind = OFD_REQ_VNET;
		req->vnet.gso_type = udp ? OFD_VNET_GSO_UDP_L4 :
			tso_shape_inner_v6(s) ? OFD_VNET_GSO_TCPV6 : OFD_VNET_GSO_TCPV4;
		return;
	}
	req->kind = OFD_REQ_LEGACY;
	req->skb_gso = udp ? OFD_SKB_GSO_UDP_L4 :
		tso_shape_inner_v6(s) ? OFD_SKB_GSO_TCPV6 : OFD_SKB_GSO_TCPV4;
	switch (s) {
	case TS_VXLAN:
	case TS_GENEVE:
		req->skb_gso |= OFD_SKB_GSO_UDP_TUNNEL;
		break;
	case TS_VXLAN_CSUM:
		req->skb_gso |= OFD_SKB_GSO_UDP_TUNNEL_CSUM;
		break;
	case TS_GRE:
		req->skb_gso |= OFD_SKB_GSO_GRE;
		break;
	case TS_GRE_CSUM:
		req->skb_gso |= OFD_SKB_GSO_GRE_CSUM;
		break;
	case TS_IPIP:
		req->skb_gso |= OFD_SKB_GSO_IPXIP4;
		break;
	case TS_6IN6:
		req->skb_gso |= OFD_SKB_GSO_IPXIP6;
		break;
	default:
		break;
	}
}

/*
 * Segment j of n, as the kernel makes it, from super-packet params t with
 * payload length plen and gso_size mss (TCP, USO). Returns its length.
 */
static inline int tso_test_segment(enum tso_shape s, const struct tso_params *t,
				   uint32_t plen, uint32_t mss, uint32_t j,
				   uint8_t *buf, uint32_t cap)
{
	uint32_t n = (plen + mss - 1) / mss, l4;
	uint32_t slen = j + 1 < n ? mss : plen - j * mss;
	struct tso_params g = *t;

	g.segment = true;
	g.seq = t->seq + j * mss;
	g.id = (uint16_t)(t->id + j);
	g.iid = (uint16_t)(t->iid + j);
	if (j + 1 < n)
		g.flags &= (uint8_t)~0x09; /* PSH, FIN: last segment only */
	if (j > 0)
		g.flags &= (uint8_t)~0x80; /* CWR: first segment only */
	return tso_test_build(s, &g, tso_test_payload() + j * mss, slen, buf, cap, &l4);
}

#endif /* OFD_TSO_TEST_H */
