// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_pktbuild.c - packet builders (harness/packet/build.c): the bytes
 * they lay down and the stacks they make.
 *
 * Every checksum is re-derived by plain 16-bit summation (RFC 1071
 * section 4.1's loop) and a bitwise CRC32c (pktbuild_test_util.h), never
 * through ofd_csum.h, so a shared mistake cannot hide. Checksum vectors,
 * zero sums and the finishing modes are tested in check_pktbuild_finish.c
 * (suite pktbuild_finish).
 *
 * Cases:
 *  bytes:     byte-exact headers: QinQ/VLAN tags, HBH (Router Alert +
 *             PadN), DstOpts (PadN of 8 and 24 bytes), SRH (RFC 8754
 *             layout, the IPv6 destination = segment[segments_left]),
 *             fragment header (atomic and first), TCP with options, VXLAN,
 *             GENEVE with an option, GRE with checksum/key/sequence.
 *  matrix:    a table of layer stacks (L2, L3, extension headers, tunnels,
 *             L4, payload, padding/trailer): lengths, next-protocol fields
 *             and every checksum verified independently (pseudo-header
 *             with the SRH final destination, sums to the frame end,
 *             tunnel UDP 0, GRE over header + payload, CRC32c).
 *  errors:    ENOSPC, sticky errors, bad option lengths, SRH segments-left,
 *             VXLAN without UDP, headers after the trailer.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ofd.h"
#include "ofd_test.h"
#include "ofd_pktbuild.h"
#include "pktbuild_test_util.h"

#define BUF 16384

/* ---- byte-exact headers ------------------------------------------ */

START_TEST(test_tags)
{
	static const uint8_t want[] = {
		0x88, 0xa8,             /* eth type: service tag */
		0x00, 0xc8, 0x81, 0x00, /* S-tag VID 200, then C-tag TPID */
		0xa0, 0x64, 0x86, 0xdd, /* PCP 5 VID 100, then IPv6 */
		0x60,
	};
	uint8_t buf[128];
	struct ofd_pktb b;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_qinq(&b, 200, 0);
	ofd_pktb_vlan(&b, 100, 5);
	ofd_pktb_ipv6(&b, NULL);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_mem_eq(buf + 12, want, sizeof(want));
	ck_assert_uint_eq(rd16(buf + 22 + 4), 0);      /* payload_len */
	ck_assert_uint_eq(buf[22 + 6], 59);            /* No Next Header */
	ck_assert_int_eq(ofd_pktb_vlan(&b, 4096, 0), -EINVAL);
}
END_TEST


START_TEST(test_ext_bytes)
{
	static const uint8_t hbh[8] = { 43, 0, 0x05, 0x02, 0, 0, 0x01, 0x00 };
	static const uint8_t srh_hdr[8] = { 44, 6, 4, 2, 2, 0, 0, 0 };
	static const uint8_t frag[8] = { 60, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef };
	static const uint8_t dst24[24] = { 17, 2, 0x01, 20 };
	uint8_t buf[512];
	struct ofd_pktb b;
	uint32_t o = 14 + 40;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_hbh(&b, 8);
	ck_assert_int_eq(ofd_pktb_srh(&b, seg, 3, 2), 3);
	ofd_pktb_frag(&b, 0, false, 0xdeadbeef);
	ofd_pktb_dstopts(&b, 24);
	ofd_pktb_udp(&b, 1, 2);
	ofd_pktb_payload(&b, 3);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);

	ck_assert_uint_eq(buf[14 + 6], 0);               /* IPv6 -> HBH */
	ck_assert_mem_eq(buf + 14 + 24, seg[2], 16);      /* daddr = seg[sl] */
	ck_assert_uint_eq(rd16(buf + 14 + 4), 8 + 56 + 8 + 24 + 8 + 3);
	ck_assert_mem_eq(buf + o, hbh, 8);
	o += 8;
	ck_assert_mem_eq(buf + o, srh_hdr, 8);
	ck_assert_mem_eq(buf + o + 8, seg, 48);
	o += 56;
	ck_assert_mem_eq(buf + o, frag, 8);
	o += 8;
	ck_assert_mem_eq(buf + o, dst24, 24);
	o += 24;
	ck_assert_uint_eq(rd16(buf + o + 4), 11); /* UDP length */

	/* Atomic vs first fragment: offset 0, M 0 / M 1. */
	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_frag(&b, 0, true, 1);
	ofd_pktb_frag(&b, 185, false, 1);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_eq(rd16(buf + 40 + 2), 0x0001);
	ck_assert_uint_eq(rd16(buf + 48 + 2), 185 << 3);
	ck_assert_uint_eq(buf[6], 44);
	ck_assert_uint_eq(buf[40], 44);
}
END_TEST

START_TEST(test_l4_tunnel_bytes)
{
	static const uint8_t tcp_hdr[] = {
		0x03, 0xe8, 0x07, 0xd0, 0, 1, 0x86, 0xa0, 0, 0, 0, 1,
		0x80, 0x18, 0xff, 0xff,
	};
	static const uint8_t vxlan[8] = { 0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0 };
	static const uint8_t geneve[12] = { 0x01, 0, 0x65, 0x58, 0, 0, 42, 0,
					    0xff, 0xf0, 0x01, 0x00 };
	static const uint8_t gre[16] = { 0xb0, 0x00, 0x86, 0xdd, 0, 0, 0, 0,
					 0x0a, 0x0b, 0x0c, 0x0d, 0, 0, 0, 7 };
	struct ofd_pktb_tcp_opts to = {
		.sport = 1000, .dport = 2000, .seq = 100000, .ack = 1,
		.flags = 0x18, .window = 65535, .options = ofd_pktb_tcp_opt_ts,
		.options_len = 12,
	};
	uint8_t buf[512];
	struct ofd_pktb b;
	int l;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	l = ofd_pktb_tcp(&b, &to);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_mem_eq(buf + b.layer[l].off, tcp_hdr, sizeof(tcp_hdr));
	ck_assert_mem_eq(buf + b.layer[l].off + 20, ofd_pktb_tcp_opt_ts, 12);
	ck_assert_uint_eq(buf[14 + 9], 6);

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_udp(&b, 5, 4789);
	l = ofd_pktb_vxlan(&b, 0x123456);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_mem_eq(buf + b.layer[l].off, vxlan, 8);
	ck_assert_uint_eq(rd16(buf + b.layer[l].off + 8 + 12), 0x0800);

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_udp(&b, 5, 6081);
	l = ofd_pktb_geneve(&b, 42, 4);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_mem_eq(buf + b.layer[l].off, geneve, 12);
	ck_assert_int_eq(ofd_pktb_geneve(&b, 1, 6), -EINVAL);

	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	l = ofd_pktb_gre(&b, OFD_PKTB_GRE_CSUM | OFD_PKTB_GRE_KEY |
			 OFD_PKTB_GRE_SEQ, 0x0a0b0c0d, 7);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_payload(&b, 5);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	ck_assert_uint_eq(buf[14 + 9], 47);
	/* Compare all but the checksum, then check it sums to 0xffff over
	 * the GRE header and payload (RFC 2784 2.5, no pseudo-header). */
	ck_assert_mem_eq(buf + b.layer[l].off, gre, 4);
	ck_assert_mem_eq(buf + b.layer[l].off + 6, gre + 6, 10);
	ck_assert_uint_ne(rd16(buf + b.layer[l].off + 4), 0);
	ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(buf + b.layer[l].off,
					       b.len - b.layer[l].off, 0)),
			  0xffff);
}
END_TEST

/* ---- the matrix -------------------------------------------------- */

enum { M_PLAIN, M_VLAN, M_QINQ };
enum { M_V4, M_V4OPT, M_V6 };
enum { M_NOEXT, M_HBH, M_DST, M_SRH0, M_SRH2, M_CHAIN, M_FRAG };
enum { M_NOTUN, M_VXLAN, M_GENEVE, M_GRE, M_GRE_CSUM, M_IPIP4, M_IPIP6 };
/* L4: M_TCP .. M_ICMP, pktbuild_test_util.h. */
enum { M_NOTAIL, M_PAD60, M_JUNK };

struct mrow {
	const char *name;
	uint8_t l2, l3, ext, tun, l4;
	uint32_t plen;
	uint8_t tail;
};

static const struct mrow matrix[] = {
	{ "v4 tcp 0", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_TCP, 0, M_NOTAIL },
	{ "v4 tcp 1", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_TCP, 1, M_NOTAIL },
	{ "v4 tcp 333", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_TCP, 333, M_NOTAIL },
	{ "v4opt tcpopt 1460", M_VLAN, M_V4OPT, M_NOEXT, M_NOTUN, M_TCPOPT, 1460, M_NOTAIL },
	{ "v4 udp 9000", M_QINQ, M_V4, M_NOEXT, M_NOTUN, M_UDP, 9000, M_NOTAIL },
	{ "v4 udp 1", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_UDP, 1, M_NOTAIL },
	{ "v4 sctp 333", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_SCTP, 333, M_NOTAIL },
	{ "v4 icmp 57", M_VLAN, M_V4, M_NOEXT, M_NOTUN, M_ICMP, 57, M_NOTAIL },
	{ "v6 tcp 2", M_PLAIN, M_V6, M_NOEXT, M_NOTUN, M_TCP, 2, M_NOTAIL },
	{ "v6 udp 0", M_PLAIN, M_V6, M_NOEXT, M_NOTUN, M_UDP, 0, M_NOTAIL },
	{ "v6 icmpv6 7", M_PLAIN, M_V6, M_NOEXT, M_NOTUN, M_ICMP, 7, M_NOTAIL },
	{ "v6 sctp 1", M_QINQ, M_V6, M_NOEXT, M_NOTUN, M_SCTP, 1, M_NOTAIL },
	{ "hbh udp 333", M_PLAIN, M_V6, M_HBH, M_NOTUN, M_UDP, 333, M_NOTAIL },
	{ "dst tcp 1", M_PLAIN, M_V6, M_DST, M_NOTUN, M_TCP, 1, M_NOTAIL },
	{ "srh0 udp 5", M_PLAIN, M_V6, M_SRH0, M_NOTUN, M_UDP, 5, M_NOTAIL },
	{ "srh2 tcp 333", M_PLAIN, M_V6, M_SRH2, M_NOTUN, M_TCP, 333, M_NOTAIL },
	{ "srh2 udp 1", M_VLAN, M_V6, M_SRH2, M_NOTUN, M_UDP, 1, M_NOTAIL },
	{ "chain tcp 1460", M_PLAIN, M_V6, M_CHAIN, M_NOTUN, M_TCP, 1460, M_NOTAIL },
	{ "chain sctp 2", M_PLAIN, M_V6, M_CHAIN, M_NOTUN, M_SCTP, 2, M_NOTAIL },
	{ "frag udp 3", M_PLAIN, M_V6, M_FRAG, M_NOTUN, M_UDP, 3, M_NOTAIL },
	{ "vxlan v4 tcp 333", M_PLAIN, M_V4, M_NOEXT, M_VXLAN, M_TCP, 333, M_NOTAIL },
	{ "vxlan v6 udp 1", M_PLAIN, M_V6, M_NOEXT, M_VXLAN, M_UDP, 1, M_NOTAIL },
	{ "geneve v6 tcp 0", M_VLAN, M_V6, M_NOEXT, M_GENEVE, M_TCP, 0, M_NOTAIL },
	{ "geneve v4 udp 1460", M_PLAIN, M_V4, M_NOEXT, M_GENEVE, M_UDP, 1460, M_NOTAIL },
	{ "gre v4 tcp 1", M_PLAIN, M_V4, M_NOEXT, M_GRE, M_TCP, 1, M_NOTAIL },
	{ "gre csum v6 udp 333", M_PLAIN, M_V6, M_NOEXT, M_GRE_CSUM, M_UDP, 333, M_NOTAIL },
	{ "gre csum v4 tcp 2", M_PLAIN, M_V4, M_NOEXT, M_GRE_CSUM, M_TCP, 2, M_NOTAIL },
	{ "ipip v4 in v4 udp 1", M_PLAIN, M_V4, M_NOEXT, M_IPIP4, M_UDP, 1, M_NOTAIL },
	{ "ipip v6 in v4 tcp 7", M_PLAIN, M_V4, M_NOEXT, M_IPIP6, M_TCP, 7, M_NOTAIL },
	{ "ipip v6 in v6 tcp 333", M_PLAIN, M_V6, M_NOEXT, M_IPIP6, M_TCP, 333, M_NOTAIL },
	{ "ipip v4 in v6 udp 0", M_PLAIN, M_V6, M_NOEXT, M_IPIP4, M_UDP, 0, M_NOTAIL },
	{ "pad60 v4 udp 1", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_UDP, 1, M_PAD60 },
	{ "pad60 v4 tcp 3", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_TCP, 3, M_PAD60 },
	{ "pad60 v4 icmp 0", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_ICMP, 0, M_PAD60 },
	{ "junk v4 udp 20", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_UDP, 20, M_JUNK },
	{ "junk v6 tcp 5", M_PLAIN, M_V6, M_NOEXT, M_NOTUN, M_TCP, 5, M_JUNK },
	{ "junk v4 sctp 3", M_PLAIN, M_V4, M_NOEXT, M_NOTUN, M_SCTP, 3, M_JUNK },
};

static void build_row(struct ofd_pktb *b, const struct mrow *r)
{
	static const uint8_t junk[7] = { 0xff, 0x01, 0x80, 0xa5, 0x5a, 0x33, 0xcc };
	bool v6 = r->l3 == M_V6;

	ofd_pktb_eth(b, NULL, NULL, 0);
	if (r->l2 == M_QINQ)
		ofd_pktb_qinq(b, 10, 0);
	if (r->l2 != M_PLAIN)
		ofd_pktb_vlan(b, 20, 0);
	build_ip(b, v6, r->l3 == M_V4OPT);
	switch (r->ext) {
	case M_HBH: ofd_pktb_hbh(b, 16); break;
	case M_DST: ofd_pktb_dstopts(b, 8); break;
	case M_SRH0: ofd_pktb_srh(b, seg, 1, 0); break;
	case M_SRH2: ofd_pktb_srh(b, seg, 3, 2); break;
	case M_CHAIN:
		ofd_pktb_hbh(b, 8);
		ofd_pktb_srh(b, seg, 2, 1);
		ofd_pktb_dstopts(b, 8);
		break;
	case M_FRAG: ofd_pktb_frag(b, 0, false, 9); break;
	default: break;
	}
	switch (r->tun) {
	case M_VXLAN:
		ofd_pktb_udp(b, 1, 4789);
		ofd_pktb_vxlan(b, 3);
		ofd_pktb_eth(b, NULL, NULL, 0);
		build_ip(b, !v6, false);
		break;
	case M_GENEVE:
		ofd_pktb_udp(b, 1, 6081);
		ofd_pktb_geneve(b, 3, 8);
		ofd_pktb_eth(b, NULL, NULL, 0);
		build_ip(b, v6, false);
		break;
	case M_GRE:
	case M_GRE_CSUM:
		ofd_pktb_gre(b, r->tun == M_GRE ? OFD_PKTB_GRE_KEY :
			     OFD_PKTB_GRE_CSUM, 1, 0);
		build_ip(b, v6, false);
		break;
	case M_IPIP4:
	case M_IPIP6:
		build_ip(b, r->tun == M_IPIP6, false);
		break;
	default:
		break;
	}
	switch (r->l4) {
	case M_TCP:
		ofd_pktb_tcp(b, NULL);
		ofd_pktb_payload(b, r->plen);
		break;
	case M_TCPOPT: {
		struct ofd_pktb_tcp_opts o = {
			.sport = 1, .dport = 2, .flags = 0x10,
			.options = ofd_pktb_tcp_opt_ts, .options_len = 12,
		};

		ofd_pktb_tcp(b, &o);
		ofd_pktb_payload(b, r->plen);
		break;
	}
	case M_UDP:
		ofd_pktb_udp(b, 1000, 2000);
		ofd_pktb_payload(b, r->plen);
		break;
	case M_SCTP:
		ofd_pktb_sctp(b, 1, 2, 3);
		ofd_pktb_sctp_data(b, 1, 0, 0, 0, r->plen);
		break;
	default:
		ofd_pktb_icmp_echo(b, 1, 2);
		ofd_pktb_payload(b, r->plen);
		break;
	}
	if (r->tail == M_PAD60)
		ofd_pktb_pad(b, 60);
	else if (r->tail == M_JUNK)
		ofd_pktb_trailer(b, junk, sizeof(junk));
}

/* The next-protocol value a header must carry for the layer after it. */
static int expect_next(uint8_t proto, uint8_t next)
{
	bool eth = proto == OFD_P_ETH || proto == OFD_P_VLAN ||
		   proto == OFD_P_QINQ || proto == OFD_P_GRE ||
		   proto == OFD_P_GENEVE;

	if (eth) {
		switch (next) {
		case OFD_P_VLAN: return 0x8100;
		case OFD_P_QINQ: return 0x88a8;
		case OFD_P_IPV4: return 0x0800;
		case OFD_P_IPV6: return 0x86dd;
		case OFD_P_ETH: return 0x6558;
		default: return -1;
		}
	}
	switch (next) {
	case OFD_P_HBH: return 0;
	case OFD_P_ICMP: return 1;
	case OFD_P_IPV4: return 4;
	case OFD_P_TCP: return 6;
	case OFD_P_UDP: return 17;
	case OFD_P_IPV6: return 41;
	case OFD_P_SRH: return 43;
	case OFD_P_FRAG: return 44;
	case OFD_P_GRE: return 47;
	case OFD_P_ICMPV6: return 58;
	case OFD_P_DSTOPTS: return 60;
	case OFD_P_SCTP: return 132;
	default: return -1;
	}
}

static uint32_t next_field(const uint8_t *p, uint8_t proto)
{
	switch (proto) {
	case OFD_P_ETH: return rd16(p + 12);
	case OFD_P_VLAN: case OFD_P_QINQ: case OFD_P_GRE: case OFD_P_GENEVE:
		return rd16(p + 2);
	case OFD_P_IPV4: return p[9];
	case OFD_P_IPV6: return p[6];
	default: return p[0];
	}
}

START_TEST(test_matrix)
{
	static uint8_t buf[BUF];
	const struct mrow *r = &matrix[_i];
	struct ofd_pktb b;
	uint32_t end, i;

	ofd_pktb_init(&b, buf, sizeof(buf));
	build_row(&b, r);
	ck_assert_msg(ofd_pktb_finish(&b) == 0, "%s: finish", r->name);
	end = b.has_trailer ? b.dgram_end : b.len;
	if (r->tail == M_PAD60)
		ck_assert_uint_eq(b.len, 60);

	for (i = 0; i < b.nlayers; i++) {
		const struct ofd_pktb_layer *l = &b.layer[i];
		const uint8_t *p = buf + l->off;
		const uint8_t *ip = NULL, *dst6 = NULL;
		uint32_t acc;
		int j, nx;

		/* Next-protocol links. */
		if (i + 1 < b.nlayers && l->proto != OFD_P_UDP &&
		    l->proto != OFD_P_VXLAN && l->proto != OFD_P_TCP &&
		    l->proto != OFD_P_SCTP && l->proto != OFD_P_ICMP &&
		    l->proto != OFD_P_ICMPV6 && l->proto != OFD_P_PAYLOAD &&
		    (nx = expect_next(l->proto, b.layer[i + 1].proto)) >= 0)
			ck_assert_msg(next_field(p, l->proto) == (uint32_t)nx,
				      "%s: layer %u next %#x != %#x", r->name,
				      i, next_field(p, l->proto), nx);

		/* Lengths. */
		switch (l->proto) {
		case OFD_P_IPV4:
			ck_assert_uint_eq(rd16(p + 2), end - l->off);
			ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(p, l->len, 0)),
					  0xffff);
			ck_assert_uint_eq(p[0] & 0xf, l->len / 4);
			break;
		case OFD_P_IPV6:
			ck_assert_uint_eq(rd16(p + 4), end - l->off - 40);
			break;
		case OFD_P_UDP:
			ck_assert_uint_eq(rd16(p + 4), end - l->off);
			break;
		default:
			break;
		}

		/* Checksums. */
		for (j = (int)i - 1; j >= 0; j--) {
			uint8_t pj = b.layer[j].proto;

			if (pj == OFD_P_SRH && !dst6)
				dst6 = buf + b.layer[j].off + 8;
			if (pj == OFD_P_IPV4 || pj == OFD_P_IPV6) {
				ip = buf + b.layer[j].off;
				break;
			}
		}
		switch (l->proto) {
		case OFD_P_TCP:
		case OFD_P_UDP:
		case OFD_P_ICMPV6:
			if (l->proto == OFD_P_UDP && i + 1 < b.nlayers &&
			    (b.layer[i + 1].proto == OFD_P_VXLAN ||
			     b.layer[i + 1].proto == OFD_P_GENEVE)) {
				ck_assert_uint_eq(rd16(p + 6), 0);
				break;
			}
			ck_assert_ptr_nonnull(ip);
			acc = pseudo(ip, dst6, end - l->off,
				     l->proto == OFD_P_TCP ? 6 :
				     l->proto == OFD_P_UDP ? 17 : 58);
			/* The kernel sums to the frame end (probe Q1). */
			acc = ofd_test_sum(p, b.len - l->off, acc);
			ck_assert_msg(ofd_test_fold(acc) == 0xffff,
				      "%s: layer %u sum %#x", r->name, i,
				      ofd_test_fold(acc));
			break;
		case OFD_P_ICMP:
			ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(p, b.len - l->off, 0)),
					  0xffff);
			break;
		case OFD_P_GRE:
			if (p[0] & 0x80)
				ck_assert_uint_eq(ofd_test_fold(ofd_test_sum(p, b.len - l->off, 0)),
						  0xffff);
			break;
		case OFD_P_SCTP: {
			static uint8_t copy[BUF];
			uint32_t crc, n = b.len - l->off;

			memcpy(copy, p, n);
			memset(copy + 8, 0, 4);
			crc = crc32c_bitwise(copy, n);
			ck_assert_uint_eq(p[8] | p[9] << 8 | p[10] << 16 |
					  (uint32_t)p[11] << 24, crc);
			/* DATA chunk length: 16 + user data, 4-byte padded. */
			ck_assert_uint_eq(rd16(p + 12 + 2), 16 + r->plen);
			break;
		}
		default:
			break;
		}
	}
}
END_TEST

/* ---- errors ------------------------------------------------------ */

START_TEST(test_errors)
{
	static const uint8_t opt3[3] = { 1, 1, 0 };
	struct ofd_pktb_ipv4_opts bad = { .options = opt3, .options_len = 3 };
	uint8_t buf[64];
	struct ofd_pktb b;

	ofd_pktb_init(&b, buf, sizeof(buf));
	ck_assert_int_eq(ofd_pktb_ipv4(&b, &bad), -EINVAL);
	ck_assert_int_eq(ofd_pktb_eth(&b, NULL, NULL, 0), -EINVAL); /* sticky */
	ck_assert_int_eq(ofd_pktb_finish(&b), -EINVAL);

	/* 14 + 20 + 20 = 54 fits in 64; 40 bytes of TCP options do not. */
	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	ck_assert_int_eq(ofd_pktb_tcp(&b, NULL), 2);
	ofd_pktb_reset(&b);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, NULL);
	{
		static const uint8_t nops[40];
		struct ofd_pktb_tcp_opts o = { .options = nops,
					       .options_len = 40 };

		ck_assert_int_eq(ofd_pktb_tcp(&b, &o), -ENOSPC);
	}
}
END_TEST

START_TEST(test_errors2)
{
	uint8_t buf[128];
	struct ofd_pktb b;

	/* 14 + 40 + 8 + 70 > 128 */
	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv6(&b, NULL);
	ofd_pktb_udp(&b, 1, 2);
	ck_assert_int_eq(ofd_pktb_payload(&b, 70), -ENOSPC);
	ck_assert_int_eq(ofd_pktb_finish(&b), -ENOSPC);

	/* SRH: segments-left must name a segment; needs an IPv6 header. */
	ofd_pktb_init(&b, buf, sizeof(buf));
	ck_assert_int_eq(ofd_pktb_srh(&b, seg, 2, 0), -EINVAL);
	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_ipv6(&b, NULL);
	ck_assert_int_eq(ofd_pktb_srh(&b, seg, 2, 2), -EINVAL);

	/* VXLAN wants the UDP header right below it. */
	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_ipv4(&b, NULL);
	ck_assert_int_eq(ofd_pktb_vxlan(&b, 1), -EINVAL);

	/* No header after the trailer; extension lengths in 8-byte units. */
	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_ipv6(&b, NULL);
	ck_assert_int_eq(ofd_pktb_hbh(&b, 12), -EINVAL);
	ofd_pktb_init(&b, buf, sizeof(buf));
	ofd_pktb_ipv4(&b, NULL);
	ck_assert_int_eq(ofd_pktb_pad(&b, 60), 0);
	ck_assert_uint_eq(b.len, 60);
	ck_assert_int_eq(ofd_pktb_udp(&b, 1, 2), -EINVAL);
}
END_TEST

static Suite *pktbuild_suite(void)
{
	Suite *s = suite_create("pktbuild");
	TCase *tc = tcase_create("pktbuild");

	tcase_add_test(tc, test_tags);
	tcase_add_test(tc, test_ext_bytes);
	tcase_add_test(tc, test_l4_tunnel_bytes);
	tcase_add_loop_test(tc, test_matrix, 0, OFD_ARRAY_SIZE(matrix));
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_errors2);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(pktbuild_suite)
