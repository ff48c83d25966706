// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * e1000e_plan.c - what the Linux e1000e driver hands its device for a case:
 * the context descriptor, the header bytes it rewrites, the data
 * descriptors' command and option bits, or why the device never sees it.
 *
 * Everything here follows drivers/net/ethernet/intel/e1000e/netdev.c
 * (Linux 6.18): e1000_xmit_frame, e1000_tx_csum, e1000_tso and
 * e1000_tx_queue, with the layout of struct e1000_context_desc from
 * hw.h (82574 datasheet 7.2.10.1, "TCP/IP context transmit descriptor"):
 *
 *   0 IPCSS  1 IPCSO  2-3 IPCSE   4 TUCSS  5 TUCSO  6-7 TUCSE
 *   8-11 cmd_and_length (PAYLEN 0-19, DTYP 20-23, TUCMD 24-31)
 *   12 STA  13 HDRLEN  14-15 MSS                     (little endian)
 *
 * The device's features decide what the kernel leaves to it
 * (netif_skb_features, kernel-tx.md 2.3 and 4): e1000e has NETIF_F_SG,
 * HW_CSUM, TSO and TSO6 and no hw_enc_features, TSO_ECN, TSO_MANGLEID,
 * GSO_UDP_L4 or SCTP_CRC (e1000_probe), so those requests are done in
 * software before the driver: unsupported here, with the reason.
 */
#include <string.h>

#include "qemu_internal.h"

static const char crc_why[] =
	"SCTP CRC32c: e1000e has no NETIF_F_SCTP_CRC, the kernel computes it "
	"in software (skb_crc32c_csum_help) before the driver";
static const char tunnel_why[] =
	"tunnelled request: e1000e sets no hw_enc_features, the kernel does "
	"it in software before the driver";
static const char udp_gso_why[] =
	"UDP segmentation: e1000e has no NETIF_F_GSO_UDP_L4 (and no device has "
	"UFO), the kernel segments in software";
static const char ecn_why[] =
	"TCP GSO with ECN (CWR): e1000e has no NETIF_F_TSO_ECN, the kernel "
	"segments in software";
static const char gso_bits_why[] =
	"GSO type e1000e lacks a feature for (FIXEDID/MANGLEID, AccECN, "
	"GSO_PARTIAL): the kernel segments in software";
static const char u8_why[] =
	"an offset past 255: the context descriptor's TUCSS/TUCSO/IPCSS/IPCSO/"
	"HDRLEN are 8 bits and e1000_tx_csum/e1000_tso store them unchecked "
	"(u8 css), so the driver would hand the device a truncated offset, a "
	"driver limit and not the device's behaviour";
static const char mtu_why[] =
	"non-GSO frame longer than e1000e's largest MTU (9212: DEFAULT_JUMBO "
	"9234 less VLAN_ETH_HLEN and FCS): the stack never hands it to the driver";
static const char gso_len_why[] =
	"GSO frame of 64 KB or more (the device's gso_max_size, "
	"GSO_LEGACY_MAX_SIZE): the kernel segments in software";
static const char dodgy_why[] =
	"a virtio_net_hdr GSO request is untrusted (SKB_GSO_DODGY) and e1000e has "
	"no NETIF_F_GSO_ROBUST: tcp_gso_segment validates it before the driver and "
	"drops this one (TCP payload not above gso_size, or a TCP header under 20 bytes)";
static const char gso_tunnel_why[] =
	"a TCP GSO request whose TCP header does not follow the first IP header: "
	"e1000_tso would put the outer IP header in IPCSS/IPCSO with the inner TCP "
	"header in TUCSS, which no tunnel-less device can segment (e1000e has no "
	"hw_enc_features)";
static const char frag_why[] =
	"TCP GSO behind an IPv6 Fragment header: the kernel has no GSO handler "
	"for it and drops the request before any driver (kernel-tx.md 5)";
static const char hdr_why[] = "the TCP header cannot be read (data offset past the frame)";

/* The ethertype after VLAN tags, as vlan_get_protocol gives it, and where
 * the header it names starts (the network offset of a stack skb). */
static uint16_t l3_proto(const uint8_t *d, uint32_t len, uint32_t *l3)
{
	uint32_t off = 12;
	uint16_t t;

	while (!ofd_get_be16(d, len, off, &t)) {
		if (t != 0x8100 && t != 0x88a8) {
			*l3 = off + 2;
			return t;
		}
		off += 4;
	}
	*l3 = 0;
	return 0;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

/* The 16-bit ones'-complement sum of n bytes at d (n even), folded. */
static uint32_t sum16(const uint8_t *d, uint32_t n, uint32_t s)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)d[i] << 8 | d[i + 1];
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

static void fix(struct qe_plan *p, uint32_t off, uint16_t val)
{
	if (p->nfix < QE_MAX_FIX) {
		p->fix[p->nfix].off = off;
		p->fix[p->nfix].val = val;
		p->nfix++;
	}
}

/* e1000_tx_csum: TUCSS from csum_start, TUCSO from csum_start +
 * csum_offset, TUCSE 0 (to the end), IPCSS..IPCSE 0, TUCMD.TCP when the
 * IP header says TCP; data descriptors DEXT|DTYP_D with POPTS.TXSM. */
static int plan_csum(const struct ofd_case *c, struct qe_plan *p, const char **why)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, css = c->req.vnet.csum_start;
	uint32_t cso = css + c->req.vnet.csum_offset, cmd = QE_TXD_CMD_DEXT;
	uint16_t proto = l3_proto(d, len, &l3);
	uint8_t next;

	if (css > 255 || cso > 255) {
		*why = u8_why;
		return 1;
	}
	/* "XXX not handling all IPV6 headers": only the first next header. */
	if ((proto == 0x0800 && !ofd_get_u8(d, len, l3 + 9, &next) && next == 6) ||
	    (proto == 0x86dd && !ofd_get_u8(d, len, l3 + 6, &next) && next == 6))
		cmd |= QE_TXD_CMD_TCP;
	p->has_ctx = true;
	p->ctx[4] = (uint8_t)css;
	p->ctx[5] = (uint8_t)cso;
	put_le32(p->ctx + 8, cmd);
	p->dcmd = QE_TXD_CMD_IFCS | QE_TXD_CMD_DEXT | QE_TXD_DTYP_D;
	p->popts = QE_TXD_POPTS_TXSM << 8;
	return 0;
}

int qe_l4_follows_ip(const uint8_t *d, uint32_t len, uint16_t proto, uint32_t l3,
		     uint32_t thoff, uint8_t l4proto)
{
	uint32_t off;
	uint8_t b, next, hl;

	if (proto == 0x0800) {
		if (ofd_get_u8(d, len, l3, &b) || ofd_get_u8(d, len, l3 + 9, &next))
			return TCP_ELSEWHERE;
		return next == l4proto && l3 + (b & 15) * 4u == thoff ? TCP_FOLLOWS : TCP_ELSEWHERE;
	}
	if (proto != 0x86dd || ofd_get_u8(d, len, l3 + 6, &next))
		return TCP_ELSEWHERE;
	for (off = l3 + 40; off < thoff;) {
		switch (next) {
		case 0:
		case 43:
		case 60:
			if (ofd_get_u8(d, len, off + 1, &hl) || ofd_get_u8(d, len, off, &next))
				return TCP_ELSEWHERE;
			off += (hl + 1u) * 8;
			break;
		case 51:
			if (ofd_get_u8(d, len, off + 1, &hl) || ofd_get_u8(d, len, off, &next))
				return TCP_ELSEWHERE;
			off += (hl + 2u) * 4;
			break;
		case 44:
			return TCP_AFTER_FRAG;
		default:
			return TCP_ELSEWHERE;
		}
	}
	return off == thoff && next == l4proto ? TCP_FOLLOWS : TCP_ELSEWHERE;
}

/* e1000_tso, for an IPv4 or IPv6 TCP GSO skb. */
static int plan_tso(const struct ofd_case *c, bool v6, struct qe_plan *p, const char **why)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, thoff = c->req.vnet.csum_start, hdr_len;
	uint32_t cmd = QE_TXD_CMD_DEXT | QE_TXD_CMD_TSE | QE_TXD_CMD_TCP, ipcse = 0, s;
	uint16_t proto = l3_proto(d, len, &l3);
	uint8_t doff;

	if (ofd_get_u8(d, len, thoff + 12, &doff) || thoff + (doff >> 4) * 4u > len) {
		*why = hdr_why;
		return 1;
	}
	/* skb_tcp_all_headers */
	hdr_len = thoff + (doff >> 4) * 4u;
	switch (qe_l4_follows_ip(d, len, proto, l3, thoff, 6)) {
	case TCP_AFTER_FRAG:
		*why = frag_why;
		return 1;
	case TCP_ELSEWHERE:
		*why = gso_tunnel_why;
		return 1;
	}
	/* tcp_gso_segment on an untrusted request: a header of at least 20
	 * bytes and more payload than gso_size, else -EINVAL and a drop. */
	if (c->req.kind == OFD_REQ_VNET &&
	    ((doff >> 4) < 5 || len - hdr_len <= c->req.vnet.gso_size)) {
		*why = dodgy_why;
		return 1;
	}
	if (hdr_len > 255 || l3 + 10 > 255 || thoff + 16 > 255) {
		*why = u8_why;
		return 1;
	}
	if (proto == 0x0800) {
		if (l3 + 20 > len)
			goto short_hdr;
		/* tot_len = 0, check = 0, th->check = ~csum_tcpudp_magic(saddr,
		 * daddr, 0, IPPROTO_TCP, 0): the folded pseudo-header without
		 * the length, which the device adds per segment. */
		s = sum16(d + l3 + 12, 8, 6);
		fix(p, l3 + 2, 0);
		fix(p, l3 + 10, 0);
		fix(p, thoff + 16, fold(s));
		cmd |= QE_TXD_CMD_IP;
		ipcse = thoff - 1;
	} else if (v6) {
		if (proto != 0x86dd || l3 + 40 > len)
			goto short_hdr;
		/* tcp_v6_gso_csum_prep: payload_len = 0, th->check =
		 * ~tcp_v6_check(0, saddr, daddr, 0). */
		s = sum16(d + l3 + 8, 32, 6);
		fix(p, l3 + 4, 0);
		fix(p, thoff + 16, fold(s));
	}
	p->has_ctx = true;
	p->ctx[0] = (uint8_t)l3;                /* IPCSS: skb_network_offset */
	p->ctx[1] = (uint8_t)(l3 + 10);         /* IPCSO: &ip_hdr(skb)->check */
	put_le16(p->ctx + 2, (uint16_t)ipcse);
	p->ctx[4] = (uint8_t)thoff;             /* TUCSS: skb_transport_offset */
	p->ctx[5] = (uint8_t)(thoff + 16);      /* TUCSO: &tcp_hdr(skb)->check */
	put_le32(p->ctx + 8, cmd | ((len - hdr_len) & 0xfffff));
	p->ctx[13] = (uint8_t)hdr_len;
	put_le16(p->ctx + 14, c->req.vnet.gso_size);
	/* e1000_tx_queue: TSE, TXSM, and IXSM when the protocol is IPv4. */
	p->dcmd = QE_TXD_CMD_IFCS | QE_TXD_CMD_DEXT | QE_TXD_DTYP_D | QE_TXD_CMD_TSE;
	p->popts = (QE_TXD_POPTS_TXSM | (proto == 0x0800 ? QE_TXD_POPTS_IXSM : 0)) << 8;
	return 0;
short_hdr:
	*why = hdr_why;
	return 1;
}

static const struct qe_gso_whys gso_whys = {
	.udp = udp_gso_why, .tunnel = tunnel_why, .ecn = ecn_why, .bits = gso_bits_why,
};

int qe_plan(const struct ofd_case *c, struct qe_plan *p, const char **why)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, room = QE_MAX_MTU + 14;
	bool v6 = false, csum;
	int g;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	p->pad_to = len < QE_MIN_LEN ? QE_MIN_LEN : len;
	/* e1000_tx_queue: IFCS on every descriptor, legacy ones too. */
	p->dcmd = QE_TXD_CMD_IFCS;
	p->max_per_txd = QE_MAX_PER_TXD;
	/* A CRC32c request of either kind: the kernel finishes it before any
	 * device without SCTP_CRC. */
	if (c->req.csum_type == OFD_CSUM_CRC32C) {
		*why = crc_why;
		return 1;
	}
	if (c->req.kind == OFD_REQ_LEGACY && (c->req.legacy & OFD_LEGACY_TUNNEL)) {
		*why = tunnel_why;
		return 1;
	}
	g = c->offload == OFD_OFFLOAD_TSO ? qe_tcp_gso_kind(c, &gso_whys, &v6, why) : 0;
	if (g == 1)
		return 1;
	if (g == 2) {
		if (len > 65535) {
			*why = gso_len_why;
			return 1;
		}
		return plan_tso(c, v6, p, why);
	}
	/* A tagged frame's MTU room grows by the tag (VLAN_ETH_HLEN). */
	if (l3_proto(d, len, &l3) && l3 > 14)
		room += 4;
	if (len > room) {
		*why = mtu_why;
		return 1;
	}
	csum = c->req.kind == OFD_REQ_LEGACY || (c->req.vnet.flags & OFD_VNET_F_NEEDS_CSUM);
	if (!csum)
		return 0; /* legacy descriptors: no context, no options */
	return plan_csum(c, p, why);
}
