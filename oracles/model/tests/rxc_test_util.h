/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * rxc_test_util.h - received frames for the rx-csum suites (model_rx_csum,
 * emu_rx_csum, explain_rx_csum), with every checksum written by the test
 * itself: the packet builders lay out the headers and lengths only (every
 * checksum layer OFD_PKTB_CSUM_KEEP), then each L4/GRE checksum is
 * computed here, innermost first, with RFC 1071 sums (ofd_test_sum, which
 * is independent of harness/packet/csum.c) and a bit-at-a-time CRC32c
 * for SCTP, and chosen ones are made wrong. Nothing comes from the model.
 */
#ifndef RXC_TEST_UTIL_H
#define RXC_TEST_UTIL_H

#include <stdint.h>
#include <string.h>

#include "ofd.h"
#include "ofd_pktbuild.h"
#include "ofd_test.h"

enum rxt_tun {
	RXT_NONE = 0,
	RXT_VXLAN0,     /* VXLAN, outer UDP checksum 0 */
	RXT_VXLAN,      /* VXLAN, outer UDP checksum set */
	RXT_GENEVE0,
	RXT_GENEVE,
	RXT_GRE,        /* GRE without C */
	RXT_GREC,       /* GRE with C */
	RXT_IPIP,
	RXT_VXLAN_GREC, /* VXLAN (UDP csum) / eth / IPv4 / GRE C / IPv4 / L4 */
	RXT_DEEP,       /* VXLAN / VXLAN / GRE C / GRE C / TCP: 5 checksums */
};

enum rxt_l4 { RXT_TCP = 0, RXT_UDP, RXT_SCTP };

struct rxt_row {
	const char *name;
	unsigned int tags;    /* 0, 1 (802.1Q), 2 (QinQ) */
	unsigned int outer6;  /* outer IP is IPv6 */
	enum rxt_tun tun;
	unsigned int inner6;  /* inner IP is IPv6 */
	enum rxt_l4 l4;
	uint32_t payload;
	unsigned int bad;     /* bit k: checksum layer k (from the outside) wrong */
	unsigned int zero;    /* bit k: checksum layer k left 0 (UDP) */
	uint32_t trailer;     /* non-zero bytes after the IP datagram */
	bool first_frag;      /* outer IPv4 with MF set */
	/* kernel-rx.md 4: what a correct device reports */
	uint8_t state;        /* OFD_CSUM_STATE_NONE / _UNNECESSARY */
	uint8_t level;
};

static inline uint32_t rxt_be16(const uint8_t *p)
{
	return (uint32_t)p[0] << 8 | p[1];
}

/* Bitwise CRC32c (RFC 3309 / RFC 4960 App. B), reflected 0x82F63B78. */
static inline uint32_t rxt_crc32c(uint32_t crc, const uint8_t *p, uint32_t n)
{
	uint32_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
	}
	return crc;
}

/* End of the datagram of IP header at off. */
static inline uint32_t rxt_ip_end(const uint8_t *f, uint32_t off)
{
	if (f[off] >> 4 == 4)
		return off + rxt_be16(f + off + 2);
	return off + 40 + rxt_be16(f + off + 4);
}

/* The pseudo-header sum of an L4 of `len` bytes and protocol `proto`
 * under the IP header at ip (no routing headers in these frames). */
static inline uint32_t rxt_pseudo(const uint8_t *f, uint32_t ip, uint32_t len,
				  uint8_t proto)
{
	uint8_t ph[40];
	uint32_t n;

	memset(ph, 0, sizeof(ph));
	if (f[ip] >> 4 == 4) {
		memcpy(ph, f + ip + 12, 8);
		ph[9] = proto;
		ph[10] = (uint8_t)(len >> 8);
		ph[11] = (uint8_t)len;
		n = 12;
	} else {
		memcpy(ph, f + ip + 8, 32);
		ph[34] = (uint8_t)(len >> 8);
		ph[35] = (uint8_t)len;
		ph[39] = proto;
		n = 40;
	}
	return ofd_test_sum(ph, n, 0);
}

static inline void rxt_flip16(uint8_t *p)
{
	uint16_t v = (uint16_t)(p[0] << 8 | p[1]);

	v ^= 1;
	if (v == 0 || v == 0xffff)
		v ^= 0x0101;
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline bool rxt_is_csum(const struct ofd_pktb_layer *l, const uint8_t *f)
{
	return l->proto == OFD_P_TCP || l->proto == OFD_P_UDP ||
	       l->proto == OFD_P_SCTP ||
	       (l->proto == OFD_P_GRE && (f[l->off] & 0x80));
}

/* Write every checksum of the frame, innermost first; make layer k (from
 * the outside) wrong when bit k of bad is set, leave it 0 for zero. */
static inline void rxt_checksums(struct ofd_pktb *b, unsigned int bad,
				 unsigned int zero)
{
	uint8_t *f = b->buf;
	int idx[16], ip[16], n = 0, i, last_ip = -1;
	uint32_t k;

	for (k = 0; k < b->nlayers && n < 16; k++) {
		if (b->layer[k].proto == OFD_P_IPV4 || b->layer[k].proto == OFD_P_IPV6)
			last_ip = (int)k;
		if (rxt_is_csum(&b->layer[k], f)) {
			ip[n] = last_ip;
			idx[n++] = (int)k;
		}
	}
	for (i = n - 1; i >= 0; i--) {
		const struct ofd_pktb_layer *l = &b->layer[idx[i]];
		uint32_t end = rxt_ip_end(f, b->layer[ip[i]].off), len = end - l->off;
		uint32_t ipoff = b->layer[ip[i]].off;
		uint16_t c;

		switch (l->proto) {
		case OFD_P_TCP:
			f[l->off + 16] = f[l->off + 17] = 0;
			c = (uint16_t)~ofd_test_fold(ofd_test_sum(f + l->off, len,
				rxt_pseudo(f, ipoff, len, 6)));
			f[l->off + 16] = (uint8_t)(c >> 8);
			f[l->off + 17] = (uint8_t)c;
			if (bad >> i & 1)
				rxt_flip16(f + l->off + 16);
			break;
		case OFD_P_UDP:
			f[l->off + 6] = f[l->off + 7] = 0;
			if (zero >> i & 1)
				break;
			len = rxt_be16(f + l->off + 4);
			c = (uint16_t)~ofd_test_fold(ofd_test_sum(f + l->off, len,
				rxt_pseudo(f, ipoff, len, 17)));
			if (!c)
				c = 0xffff; /* RFC 768 */
			f[l->off + 6] = (uint8_t)(c >> 8);
			f[l->off + 7] = (uint8_t)c;
			if (bad >> i & 1)
				rxt_flip16(f + l->off + 6);
			break;
		case OFD_P_GRE:
			f[l->off + 4] = f[l->off + 5] = 0;
			c = (uint16_t)~ofd_test_fold(ofd_test_sum(f + l->off, len, 0));
			f[l->off + 4] = (uint8_t)(c >> 8);
			f[l->off + 5] = (uint8_t)c;
			if (bad >> i & 1)
				rxt_flip16(f + l->off + 4);
			break;
		default: { /* SCTP */
			uint32_t crc;

			memset(f + l->off + 8, 0, 4);
			crc = ~rxt_crc32c(0xffffffffu, f + l->off, len);
			f[l->off + 8] = (uint8_t)crc;
			f[l->off + 9] = (uint8_t)(crc >> 8);
			f[l->off + 10] = (uint8_t)(crc >> 16);
			f[l->off + 11] = (uint8_t)(crc >> 24);
			if (bad >> i & 1)
				f[l->off + 8] ^= 1;
			break;
		}
		}
	}
}

static inline void rxt_l3(struct ofd_pktb *b, unsigned int v6)
{
	if (v6)
		ofd_pktb_ipv6(b, NULL);
	else
		ofd_pktb_ipv4(b, NULL);
}

static inline void rxt_udp_tunnel(struct ofd_pktb *b, bool geneve)
{
	ofd_pktb_udp(b, 40000, geneve ? 6081 : 4789);
	if (geneve)
		ofd_pktb_geneve(b, 42, 0);
	else
		ofd_pktb_vxlan(b, 42);
	ofd_pktb_eth(b, NULL, NULL, 0);
}

/* Build row r into buf; returns the frame length, 0 on a builder error. */
static inline uint32_t rxt_build(const struct rxt_row *r, uint8_t *buf, uint32_t cap)
{
	static const uint8_t trailer[] = { 0xa5, 0x5a, 0xc3, 0x3c, 0x0f, 0xf0, 0x99, 0x66 };
	struct ofd_pktb b;
	uint32_t k;

	ofd_pktb_init(&b, buf, cap);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (r->tags == 2)
		ofd_pktb_qinq(&b, 100, 0);
	if (r->tags)
		ofd_pktb_vlan(&b, 10, 0);
	rxt_l3(&b, r->outer6);
	switch (r->tun) {
	case RXT_VXLAN0:
	case RXT_VXLAN:
	case RXT_GENEVE0:
	case RXT_GENEVE:
		rxt_udp_tunnel(&b, r->tun == RXT_GENEVE0 || r->tun == RXT_GENEVE);
		rxt_l3(&b, r->inner6);
		break;
	case RXT_GRE:
	case RXT_GREC:
		ofd_pktb_gre(&b, r->tun == RXT_GREC ? OFD_PKTB_GRE_CSUM : 0, 0, 0);
		rxt_l3(&b, r->inner6);
		break;
	case RXT_IPIP:
		rxt_l3(&b, r->inner6);
		break;
	case RXT_VXLAN_GREC:
		rxt_udp_tunnel(&b, false);
		ofd_pktb_ipv4(&b, NULL);
		ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM, 0, 0);
		rxt_l3(&b, r->inner6);
		break;
	case RXT_DEEP:
		rxt_udp_tunnel(&b, false);
		ofd_pktb_ipv4(&b, NULL);
		rxt_udp_tunnel(&b, false);
		ofd_pktb_ipv4(&b, NULL);
		ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM, 0, 0);
		ofd_pktb_ipv4(&b, NULL);
		ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM, 0, 0);
		ofd_pktb_ipv4(&b, NULL);
		break;
	default:
		break;
	}
	if (r->l4 == RXT_TCP)
		ofd_pktb_tcp(&b, NULL);
	else if (r->l4 == RXT_UDP)
		ofd_pktb_udp(&b, 5000, 6000);
	else
		ofd_pktb_sctp(&b, 5000, 6000, 0x11223344);
	if (r->l4 == RXT_SCTP)
		ofd_pktb_sctp_data(&b, 1, 0, 0, 0, r->payload);
	else
		ofd_pktb_payload(&b, r->payload);
	/* Lengths from the builder, checksums from this file. */
	for (k = 0; k < b.nlayers; k++)
		b.layer[k].csum = OFD_PKTB_CSUM_KEEP;
	if (ofd_pktb_finish(&b))
		return 0;
	if (r->first_frag) {
		uint32_t ip = 14 + 4 * r->tags;

		buf[ip + 6] = 0x20; /* MF, offset 0, DF clear */
		ofd_pktb_finish(&b); /* the IPv4 header checksum */
	}
	rxt_checksums(&b, r->bad, r->zero);
	if (r->trailer) {
		if (b.len + r->trailer > cap || r->trailer > sizeof(trailer))
			return 0;
		memcpy(buf + b.len, trailer, r->trailer);
		return b.len + r->trailer;
	}
	return b.len;
}

/* The COMPLETE value by definition (kernel-rx.md 4): the sum from the L3
 * header (after the tags) to the outer IP datagram's end. */
static inline uint16_t rxt_complete(const struct rxt_row *r, const uint8_t *f)
{
	uint32_t l3 = 14 + 4 * r->tags;

	return ofd_test_fold(ofd_test_sum(f + l3, rxt_ip_end(f, l3) - l3, 0));
}

#endif /* RXC_TEST_UTIL_H */
