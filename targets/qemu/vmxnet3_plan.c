// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vmxnet3_plan.c - what the Linux vmxnet3 driver hands its device for a
 * case: the header bytes it copies into the TX data ring, the SOP
 * descriptor's offload fields (om, hlen, msscof), the header rewrite of
 * TSO, the descriptors of vmxnet3_map_pkt, or why the device never sees
 * the case.
 *
 * From drivers/net/vmxnet3/vmxnet3_drv.c (Linux 6.18): vmxnet3_tq_xmit,
 * vmxnet3_parse_hdr, vmxnet3_copy_hdr, vmxnet3_map_pkt,
 * vmxnet3_prepare_tso, vmxnet3_declare_features, vmxnet3_probe_device:
 *  - checksum (CHECKSUM_PARTIAL): om = VMXNET3_OM_CSUM, hlen = csum_start
 *    (ctx.l4_offset = skb_checksum_start_offset), msscof = csum_start +
 *    csum_offset: where the device stores the sum;
 *  - TSO: om = VMXNET3_OM_TSO, hlen = transport offset + tcp_hdrlen,
 *    msscof = gso_size, after vmxnet3_prepare_tso (IPv4: iph->check = 0,
 *    th->check = ~csum_tcpudp_magic(saddr, daddr, 0, TCP, 0), tot_len
 *    kept; IPv6: tcp_v6_gso_csum_prep, payload_len = 0);
 *  - no request: om 0, msscof 0.
 *
 * The device decides the features (vmxnet3_declare_features): QEMU's
 * vmxnet3 reports revision 1 only (VRRS reads 1), so the driver runs as
 * version 1: SG, HW_CSUM, TSO, TSO6 (and VLAN, LRO, RXCSUM), no tunnel
 * offloads (NETIF_F_GSO_UDP_TUNNEL and hw_enc_features come with version
 * 4, OM_ENCAP and the inner fields with 4 and 7), no TSO_ECN,
 * TSO_MANGLEID, GSO_UDP_L4, SCTP_CRC or GSO_ROBUST; max_mtu 9000
 * (VMXNET3_MAX_MTU below version 6), gso_max_size the legacy 65536.
 * vmxnet3_features_check only acts on encapsulated skbs from version 4 on,
 * so a frame with two VLAN tags keeps its TSO (no vlan_features_check).
 */
#include <string.h>

#include "vmxnet3.h"
#include "qemu_internal.h"

static const char crc_why[] =
	"SCTP CRC32c: vmxnet3 has no NETIF_F_SCTP_CRC, the kernel computes it "
	"in software (skb_crc32c_csum_help) before the driver";
static const char tunnel_why[] =
	"tunnelled request: QEMU's vmxnet3 is revision 1, and the driver sets "
	"hw_enc_features (and tunnel GSO) only from version 4: the kernel does it "
	"in software before the driver";
static const char udp_gso_why[] =
	"UDP segmentation: vmxnet3 (version 1) has no NETIF_F_GSO_UDP_L4, the "
	"kernel segments in software";
static const char ecn_why[] =
	"TCP GSO with ECN (CWR): vmxnet3 has no NETIF_F_TSO_ECN, the kernel "
	"segments in software";
static const char gso_bits_why[] =
	"GSO type vmxnet3 lacks a feature for (FIXEDID/MANGLEID, AccECN, "
	"GSO_PARTIAL): the kernel segments in software";
static const char mtu_why[] =
	"non-GSO frame longer than vmxnet3's max_mtu 9000 (VMXNET3_MAX_MTU below "
	"version 6): the stack never hands it to the driver";
static const char gso_len_why[] =
	"GSO frame of 64 KB or more (gso_max_size, GSO_LEGACY_MAX_SIZE): the "
	"kernel segments in software";
static const char dodgy_why[] =
	"a virtio_net_hdr GSO request is untrusted (SKB_GSO_DODGY) and vmxnet3 has "
	"no NETIF_F_GSO_ROBUST: tcp_gso_segment validates it before the driver and "
	"drops this one (TCP payload not above gso_size, or a TCP header under 20 bytes)";
static const char gso_tunnel_why[] =
	"a TCP GSO request whose TCP header does not follow the first IP header: "
	"vmxnet3_prepare_tso would rewrite the outer IP header with the inner TCP "
	"one, which a version-1 device (no tunnel offload) cannot segment";
static const char frag_why[] =
	"TCP GSO behind an IPv6 Fragment header: the kernel has no GSO handler "
	"for it and drops the request before any driver (kernel-tx.md 5)";
static const char csum_off_why[] =
	"csum_start + csum_offset past VMXNET3_MAX_CSUM_OFFSET (1024): "
	"vmxnet3_tq_xmit drops the packet (drop_oversized_hdr), the device never "
	"sees it";
static const char bits_why[] =
	"a TSO header past 1023 bytes or a gso_size past 16383: TxDesc.hlen is 10 "
	"bits and msscof 14, and vmxnet3_tq_xmit stores them unchecked, so the "
	"driver would hand the device a truncated value, a driver limit and not "
	"the device's behaviour";
static const char hdr_why[] = "the TCP header cannot be read (data offset past the frame)";

/* The ethertype after in-band VLAN tags (vlan_get_protocol) and where the
 * header it names starts. */
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

static void fix(struct vx_plan *p, uint32_t off, uint16_t val)
{
	if (p->nfix < VX_MAX_FIX) {
		p->fix[p->nfix].off = off;
		p->fix[p->nfix].val = val;
		p->nfix++;
	}
}

/* vmxnet3_parse_hdr's last step: headers larger than a data ring entry
 * are not copied at all (oversized_hdr), the SOP maps the frame itself. */
static uint32_t copy_limit(uint32_t copy)
{
	return copy > VX_TXDATA_DESC ? 0 : copy;
}

/* CHECKSUM_PARTIAL: vmxnet3_parse_hdr with ctx->mss 0. */
static int plan_csum(const struct ofd_case *c, struct vx_plan *p, const char **why)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, css = c->req.vnet.csum_start, l4 = 0, copy;
	uint16_t proto = l3_proto(d, len, &l3);
	uint8_t next = 0, doff;

	if (css + c->req.vnet.csum_offset > VX_MAX_CSUM_OFFSET) {
		*why = csum_off_why;
		return 1;
	}
	/* ctx->ipv4/ipv6 from vlan_get_protocol; the protocol is the IP
	 * header's own (the first next header for IPv6). */
	if (proto == 0x0800)
		ofd_get_u8(d, len, l3 + 9, &next);
	else if (proto == 0x86dd)
		ofd_get_u8(d, len, l3 + 6, &next);
	if (next == 6) {
		/* tcp_hdrlen: the data offset at the transport header. */
		if (ofd_get_u8(d, len, css + 12, &doff)) {
			*why = hdr_why;
			return 1;
		}
		l4 = (doff >> 4) * 4u;
	} else if (next == 17) {
		l4 = 8;
	}
	copy = css + l4 < len ? css + l4 : len;
	if (len <= VX_HDR_COPY)
		copy = len;
	p->copy_size = copy_limit(copy);
	p->om = VX_OM_CSUM;
	p->hlen = css;
	p->msscof = css + c->req.vnet.csum_offset;
	return 0;
}

/* vmxnet3_prepare_tso and the TSO fields, for a TCP GSO skb. */
static int plan_tso(const struct ofd_case *c, struct vx_plan *p, const char **why)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, thoff = c->req.vnet.csum_start, hdr_len;
	uint16_t proto = l3_proto(d, len, &l3);
	uint8_t doff;

	if (ofd_get_u8(d, len, thoff + 12, &doff) || thoff + (doff >> 4) * 4u > len) {
		*why = hdr_why;
		return 1;
	}
	hdr_len = thoff + (doff >> 4) * 4u;
	switch (qe_l4_follows_ip(d, len, proto, l3, thoff, 6)) {
	case TCP_AFTER_FRAG:
		*why = frag_why;
		return 1;
	case TCP_ELSEWHERE:
		*why = gso_tunnel_why;
		return 1;
	}
	if (c->req.kind == OFD_REQ_VNET &&
	    ((doff >> 4) < 5 || len - hdr_len <= c->req.vnet.gso_size)) {
		*why = dodgy_why;
		return 1;
	}
	if (hdr_len > VX_HLEN_MAX || c->req.vnet.gso_size > 0x3fff) {
		*why = bits_why;
		return 1;
	}
	if (proto == 0x0800) {
		if (l3 + 20 > len)
			goto short_hdr;
		/* iph->check = 0; th->check = ~csum_tcpudp_magic(saddr, daddr,
		 * 0, IPPROTO_TCP, 0): the folded pseudo-header without the
		 * length. Unlike e1000_tso, tot_len stays. */
		fix(p, l3 + 10, 0);
		fix(p, thoff + 16, fold(sum16(d + l3 + 12, 8, 6)));
	} else {
		if (l3 + 40 > len)
			goto short_hdr;
		/* tcp_v6_gso_csum_prep: payload_len = 0, th->check =
		 * ~tcp_v6_check(0, saddr, daddr, 0). */
		fix(p, l3 + 4, 0);
		fix(p, thoff + 16, fold(sum16(d + l3 + 8, 32, 6)));
	}
	p->copy_size = copy_limit(hdr_len);
	p->om = VX_OM_TSO;
	p->hlen = hdr_len;
	p->msscof = c->req.vnet.gso_size;
	return 0;
short_hdr:
	*why = hdr_why;
	return 1;
}

static const struct qe_gso_whys gso_whys = {
	.udp = udp_gso_why, .tunnel = tunnel_why, .ecn = ecn_why, .bits = gso_bits_why,
};

int vx_plan(const struct ofd_case *c, struct vx_plan *p, const char **why)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l3, room = VX_MAX_MTU + 14;
	bool v6; /* unused: vmxnet3's TSO descriptor names no IP version */
	int g;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	p->len = len;
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
		return plan_tso(c, p, why);
	}
	if (l3_proto(d, len, &l3) && l3 > 14)
		room += 4;
	if (len > room) {
		*why = mtu_why;
		return 1;
	}
	if (c->req.kind == OFD_REQ_LEGACY || (c->req.vnet.flags & OFD_VNET_F_NEEDS_CSUM))
		return plan_csum(c, p, why);
	/* No offload: "copy as much as allowed", min(txdata_desc_size,
	 * headlen), all of a frame of at most VMXNET3_HDR_COPY_SIZE. */
	p->copy_size = len < VX_TXDATA_DESC ? len : VX_TXDATA_DESC;
	return 0;
}

unsigned int vx_plan_txds(const struct vx_plan *p, struct vx_txd *d, unsigned int max)
{
	uint32_t off = p->copy_size, n;
	unsigned int k = 0;

	if (!max)
		return 0;
	/* vmxnet3_map_pkt: the copied headers first, from the data ring... */
	if (p->copy_size) {
		d[k] = (struct vx_txd){ .data_ring = true, .off = 0, .len = p->copy_size,
					.dw2 = p->copy_size };
		k++;
	}
	/* ...then the rest of the linear part, 16 KB a descriptor (len 0
	 * stands for 2^14). */
	while (off < p->len && k < max) {
		n = p->len - off < VX_MAX_TX_BUF ? p->len - off : VX_MAX_TX_BUF;
		d[k] = (struct vx_txd){ .off = off, .len = n, .dw2 = n & (VX_MAX_TX_BUF - 1) };
		k++;
		off += n;
	}
	if (!k)
		return 0;
	/* vmxnet3_tq_xmit: CQ|EOP on the last, the offload fields on the SOP
	 * (the same descriptor when there is one). */
	d[k - 1].dw3 = VX_TXD_CQ | VX_TXD_EOP;
	d[0].dw2 |= (p->msscof & 0x3fffu) << VX_MSSCOF_SHIFT;
	d[0].dw3 |= (p->hlen & VX_HLEN_MAX) | (p->om & 3u) << VX_OM_SHIFT;
	return k;
}
