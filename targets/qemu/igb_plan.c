// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * igb_plan.c - what the Linux igb driver hands an 82576 for a case: the
 * advanced context descriptor, the header bytes igb_tso rewrites, the
 * advanced data descriptors' words, or why the device never sees it.
 *
 * From drivers/net/ethernet/intel/igb/igb_main.c (Linux 6.18):
 * igb_xmit_frame_ring, igb_tso, igb_tx_csum, igb_tx_ctxtdesc,
 * igb_tx_cmd_type, igb_tx_olinfo_status, igb_features_check, and the
 * layout of union e1000_adv_tx_desc / struct e1000_adv_tx_context_desc
 * (e1000_82575.h; 82576 datasheet 7.2.2.2/7.2.2.3):
 *
 *   context  0-3 vlan_macip_lens (IPLEN 0-8, MACLEN 9-15, VLAN 16-31)
 *            4-7 seqnum_seed  8-11 type_tucmd_mlhl (TUCMD, DTYP 2, DEXT)
 *            12-15 mss_l4len_idx (IDX 4-6, L4LEN 8-15, MSS 16-31)
 *   data     0-7 address  8-11 cmd_type_len (length, DTYP 3, DCMD)
 *            12-15 olinfo_status (IDX 4-6, POPTS 8-13, PAYLEN 14-31)
 *
 * igb's features (igb_probe, 82576): SG, HW_CSUM, SCTP_CRC, TSO, TSO6,
 * GSO_UDP_L4, and tunnel segmentation only as GSO_PARTIAL (the stack
 * rewrites the outer headers first, which offdiff does not model: those
 * are skipped). igb_features_check takes the offloads away from a frame
 * whose MAC header is over 127 bytes or network header over 511.
 */
#include <string.h>

#include "qemu_internal.h"

#define ADV_DTYP_CTXT 0x00200000u
#define ADV_DTYP_DATA 0x00300000u
#define ADV_DCMD_TSE 0x80000000u
#define TUCMD_IPV4 0x00000400u
#define TUCMD_L4T_UDP 0x00000000u
#define TUCMD_L4T_TCP 0x00000800u
#define TUCMD_L4T_SCTP 0x00001000u
#define MACLEN_SHIFT 9
#define L4LEN_SHIFT 8
#define MSS_SHIFT 16
#define PAYLEN_SHIFT 14
/* IGB_MAX_DATA_PER_TXD */
#define IGB_MAX_PER_TXD (1u << 15)
/* MAX_STD_JUMBO_FRAME_SIZE 9216 less IGB_ETH_PKT_HDR_PAD (ETH_HLEN,
 * ETH_FCS_LEN and two VLAN tags): igb's max_mtu */
#define IGB_MAX_MTU 9190u

static const char offset_why[] =
	"csum_offset is not TCP's, UDP's or SCTP's: igb_tx_csum calls "
	"skb_checksum_help (the kernel computes it in software)";
static const char hdrs_why[] =
	"a MAC header over 127 bytes or a network header over 511: "
	"igb_features_check leaves the work to the kernel's software path";
static const char crc_vnet_why[] =
	"a CRC32c request through virtio_net_hdr: csum_not_inet cannot be set "
	"that way, so the kernel would ask igb for an Internet checksum";
static const char tunnel_why[] =
	"tunnelled request: igb segments tunnels only as GSO_PARTIAL, outer "
	"headers rewritten by the stack first (not modelled)";
static const char gso_bits_why[] =
	"GSO type igb has no feature for (ECN, FIXEDID/MANGLEID, AccECN, UFO): "
	"the kernel segments in software";
static const char mtu_why[] =
	"non-GSO frame longer than igb's max_mtu 9190: the stack never hands it "
	"to the driver";
static const char dodgy_why[] =
	"a virtio_net_hdr GSO request is untrusted (SKB_GSO_DODGY): the kernel's "
	"GSO handler validates it before the driver and drops this one "
	"(payload not above gso_size)";
static const char hdr_why[] = "the L4 header cannot be read";
static const char frag_why[] =
	"GSO behind an IPv6 Fragment header: the kernel has no GSO handler for "
	"it and drops the request before any driver (kernel-tx.md 5)";
static const char gso_tunnel_why[] =
	"a GSO request whose L4 header does not follow the first IP header: "
	"igb_tso would describe the outer IP header with the inner L4 one, a "
	"tunnel igb only segments as GSO_PARTIAL (not modelled)";
static const char gso_len_why[] =
	"GSO frame of 64 KB or more (gso_max_size): the kernel segments in software";

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

static void put_le32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
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

/* igb_tx_ctxtdesc: DEXT | DTYP_CTXT with the TUCMD bits, index 0 (only
 * the 82575 numbers contexts per ring). */
static void ctxt(struct qe_plan *p, uint32_t macip, uint32_t tucmd, uint32_t mss_l4len)
{
	p->has_ctx = true;
	put_le32(p->ctx, macip);
	put_le32(p->ctx + 4, 0);
	put_le32(p->ctx + 8, tucmd | QE_TXD_CMD_DEXT | ADV_DTYP_CTXT);
	put_le32(p->ctx + 12, mss_l4len);
}

/* igb_tso: TCP or UDP (GSO_UDP_L4) segmentation of a plain IP packet. */
static int plan_tso(const struct ofd_case *c, bool udp, struct qe_plan *p, const char **why)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, l4 = c->req.vnet.csum_start, hlen, paylen;
	uint16_t proto = l3_proto(d, len, &l3), seed;
	uint32_t tucmd = udp ? TUCMD_L4T_UDP : TUCMD_L4T_TCP;
	uint8_t b;

	if (udp)
		hlen = 8;
	else if (!ofd_get_u8(d, len, l4 + 12, &b))
		hlen = (b >> 4) * 4u;
	else
		hlen = 0;
	if (!hlen || l4 + hlen > len || ofd_get_be16(d, len, l4 + (udp ? 6 : 16), &seed)) {
		*why = hdr_why;
		return 1;
	}
	switch (qe_l4_follows_ip(d, len, proto, l3, l4, udp ? 17 : 6)) {
	case TCP_AFTER_FRAG:
		*why = frag_why;
		return 1;
	case TCP_ELSEWHERE:
		*why = gso_tunnel_why;
		return 1;
	}
	if (c->req.kind == OFD_REQ_VNET && (len - l4 - hlen <= c->req.vnet.gso_size ||
					    (!udp && hlen < 20))) {
		*why = dodgy_why;
		return 1;
	}
	if (proto == 0x0800) {
		/* check = csum_fold(csum_partial(trans_start, csum_start -
		 * trans_start)): nothing between them here, so the fold of 0,
		 * 0xffff; tot_len 0. */
		fix(p, l3 + 10, 0xffff);
		fix(p, l3 + 2, 0);
		tucmd |= TUCMD_IPV4;
	} else {
		fix(p, l3 + 4, 0);
	}
	/* csum_replace_by_diff(&check, htonl(paylen)): the seed less the L4
	 * length, in ones' complement. */
	paylen = len - l4;
	fix(p, l4 + (udp ? 6 : 16), fold((uint32_t)seed + (uint16_t)~paylen));
	ctxt(p, (l4 - l3) | l3 << MACLEN_SHIFT, tucmd,
	     hlen << L4LEN_SHIFT | (uint32_t)c->req.vnet.gso_size << MSS_SHIFT);
	p->dcmd = ADV_DTYP_DATA | QE_TXD_CMD_DEXT | QE_TXD_CMD_IFCS | ADV_DCMD_TSE;
	/* igb_tx_olinfo_status: PAYLEN = skb->len - hdr_len; TXSM, and IXSM
	 * for IPv4 (IGB_TX_FLAGS_IPV4 is set by igb_tso only). */
	p->popts = (len - l4 - hlen) << PAYLEN_SHIFT |
		   (QE_TXD_POPTS_TXSM | (proto == 0x0800 ? QE_TXD_POPTS_IXSM : 0)) << 8;
	return 0;
}

/* What reaches igb_tso: 0 not GSO, 1 TCP, 2 UDP (GSO_UDP_L4); -1 with
 * *why when the kernel keeps it from the driver. */
static int gso_kind(const struct ofd_case *c, uint32_t g, const char **why)
{
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	uint32_t len = c->pkts[0].len, thlen;

	if (c->req.kind == OFD_REQ_LEGACY) {
		if (g & (OFD_SKB_GSO_GRE | OFD_SKB_GSO_GRE_CSUM | OFD_SKB_GSO_IPXIP4 |
			 OFD_SKB_GSO_IPXIP6 | OFD_SKB_GSO_UDP_TUNNEL | OFD_SKB_GSO_UDP_TUNNEL_CSUM)) {
			*why = tunnel_why;
			return -1;
		}
		if (g & ~(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_UDP_L4)) {
			*why = gso_bits_why;
			return -1;
		}
		return !g ? 0 : (g & OFD_SKB_GSO_UDP_L4) ? 2 : 1;
	}
	if (h->gso_type == OFD_VNET_GSO_NONE)
		return 0;
	if (h->gso_type != OFD_VNET_GSO_TCPV4 && h->gso_type != OFD_VNET_GSO_TCPV6 &&
	    h->gso_type != OFD_VNET_GSO_UDP_L4) {
		*why = gso_bits_why;
		return -1;
	}
	/* virtio_net_hdr_to_skb: not GSO when what follows the transport
	 * header's fixed part fits one segment (ofd.h). */
	thlen = h->gso_type == OFD_VNET_GSO_UDP_L4 ? 8 : 20;
	if (len < (uint32_t)h->csum_start + thlen || len - h->csum_start - thlen <= h->gso_size)
		return 0;
	return h->gso_type == OFD_VNET_GSO_UDP_L4 ? 2 : 1;
}

int qe_plan_igb(const struct ofd_case *c, struct qe_plan *p, const char **why)
{
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, room = IGB_MAX_MTU + 14, tucmd = 0;
	uint16_t proto = l3_proto(d, len, &l3);
	bool csum = c->req.kind == OFD_REQ_LEGACY || (h->flags & OFD_VNET_F_NEEDS_CSUM);
	uint32_t g = c->req.kind == OFD_REQ_LEGACY ? c->req.skb_gso & ~OFD_SKB_GSO_DODGY : 0;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	p->pad_to = len < QE_MIN_LEN ? QE_MIN_LEN : len; /* igb pads to 17 too */
	p->max_per_txd = IGB_MAX_PER_TXD;
	p->dcmd = ADV_DTYP_DATA | QE_TXD_CMD_DEXT | QE_TXD_CMD_IFCS;
	p->popts = len << PAYLEN_SHIFT;
	if (c->req.kind == OFD_REQ_LEGACY && (c->req.legacy & OFD_LEGACY_TUNNEL)) {
		*why = tunnel_why;
		return 1;
	}
	if (csum && (l3 > 127 || h->csum_start < l3 || h->csum_start - l3 > 511)) {
		*why = hdrs_why;
		return 1;
	}
	if (c->offload == OFD_OFFLOAD_TSO) {
		int k = gso_kind(c, g, why);

		if (k < 0)
			return 1;
		if (k > 0) {
			if (len > 65535) {
				*why = gso_len_why;
				return 1;
			}
			return plan_tso(c, k == 2, p, why);
		}
	}
	if (l3 > 14 && proto)
		room += 4;
	if (len > room) {
		*why = mtu_why;
		return 1;
	}
	if (!csum)
		return 0; /* no CHECKSUM_PARTIAL, no VLAN: no context */
	/* igb_tx_csum: the protocol from csum_offset alone */
	switch (h->csum_offset) {
	case 16:
		tucmd = TUCMD_L4T_TCP;
		break;
	case 6:
		break;
	case 8:
		if (c->req.csum_type == OFD_CSUM_CRC32C && c->req.kind == OFD_REQ_LEGACY) {
			tucmd = TUCMD_L4T_SCTP;
			break;
		}
		if (c->req.csum_type == OFD_CSUM_CRC32C) {
			*why = crc_vnet_why;
			return 1;
		}
		/* fall through */
	default:
		*why = offset_why;
		return 1;
	}
	if (c->req.csum_type == OFD_CSUM_CRC32C && tucmd != TUCMD_L4T_SCTP) {
		*why = crc_vnet_why;
		return 1;
	}
	ctxt(p, (uint32_t)(h->csum_start - l3) | l3 << MACLEN_SHIFT, tucmd, 0);
	p->popts |= QE_TXD_POPTS_TXSM << 8;
	return 0;
}
