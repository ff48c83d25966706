// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_parse.c - the packet parser (harness/packet/parse.c): the walk,
 * its layers and paths.
 *
 * Frames are built by the small header builders in parse_test_util.h;
 * every expected offset, length, index and path in the tables below is
 * hand computed from the header sizes the RFCs give (Ethernet 14, tag 4,
 * IPv4 ihl*4, IPv6 40, extension headers (hdrlen + 1) * 8, fragment 8, TCP
 * doff*4, UDP 8, SCTP 12, ICMP 8, VXLAN 8, GENEVE 8 + optlen*4, GRE 4 + 4
 * per C/K/S bit). Named fields and the pseudo-header are tested in
 * check_parse_fields.c (suite parse_fields).
 *
 * Cases:
 *  layers    - one row per frame: layers (proto, depth, offset, length),
 *              stop reason, l3/l4/outer indices and the path. Covers plain
 *              IPv4/TCP, IPv4 options + TCP options, VLAN, QinQ, IPv6 with
 *              HBH + DstOpts + SRH, a type 0 routing header, IPv6 and IPv4
 *              first/non-first fragments, VXLAN, GENEVE (options, inner IP
 *              and inner Ethernet), GRE (key; checksum; C+K+S with TEB),
 *              IPIP, 6in4, SCTP, ICMP, no-next-header, unknown ethertype and
 *              IP protocol, GRE version 1, malformed ihl/doff, a truncated
 *              TCP header, and the NO_EXTHDR / NO_TUNNEL flags.
 *  too_deep  - 30 VLAN tags: 23 headers, then the rest as payload.
 *  truncate  - every truncation 0..len of six complex frames, each in a
 *              buffer of exactly that size (ASan sees any overread): the
 *              result is the full parse's prefix, TRUNCATED when the cut
 *              is inside a header; field_at and path work on every byte.
 *  random    - random bytes after a valid start, every flag combination.
 *  path / names - snprintf semantics and every protocol name.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "ofd_test.h"
#include "parse_test_util.h"

/* ------------------------------------------------------------------ */
/* Layer tables                                                        */
/* ------------------------------------------------------------------ */

struct exp_layer {
	uint8_t proto, depth;
	uint32_t off, len;
};

#define L(p, d, o, l) { OFD_P_##p, d, o, l }
#define MAXL 10

struct layer_case {
	const char *name;
	build_fn build;
	unsigned int flags;
	uint8_t stop;
	int l3, l4, outer_l3, outer_l4;
	const char *path;
	uint32_t n;
	struct exp_layer l[MAXL];
};

static const struct layer_case layer_cases[] = {
	{ "ipv4_tcp", fr_ipv4_tcp, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/tcp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(TCP, 0, 34, 20),
	    L(PAYLOAD, 0, 54, 10) } },
	{ "ipv4_opts", fr_ipv4_opts, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/tcp",
	  4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 24), L(TCP, 0, 38, 32),
	    L(PAYLOAD, 0, 70, 4) } },
	{ "vlan", fr_vlan, 0, OFD_STOP_END, 2, 3, 2, 3, "vlan/ipv4/tcp", 4,
	  { L(ETH, 0, 0, 14), L(VLAN, 0, 14, 4), L(IPV4, 0, 18, 20),
	    L(TCP, 0, 38, 20) } },
	{ "qinq", fr_qinq, 0, OFD_STOP_END, 3, 4, 3, 4, "qinq/vlan/ipv6/udp",
	  6,
	  { L(ETH, 0, 0, 14), L(QINQ, 0, 14, 4), L(VLAN, 0, 18, 4),
	    L(IPV6, 0, 22, 40), L(UDP, 0, 62, 8), L(PAYLOAD, 0, 70, 5) } },
	{ "srh", fr_srh, 0, OFD_STOP_END, 1, 5, 1, 5,
	  "ipv6/hbh/dstopts/srh/tcp", 7,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(HBH, 0, 54, 8),
	    L(DSTOPTS, 0, 62, 16), L(SRH, 0, 78, 40), L(TCP, 0, 118, 20),
	    L(PAYLOAD, 0, 138, 7) } },
	{ "srh_tlv", fr_srh_tlv, 0, OFD_STOP_END, 1, 3, 1, 3, "ipv6/srh/tcp",
	  4,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(SRH, 0, 54, 40),
	    L(TCP, 0, 94, 20) } },
	{ "rthdr0", fr_rthdr0, 0, OFD_STOP_END, 1, 3, 1, 3, "ipv6/rthdr/udp",
	  5,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(RTHDR, 0, 54, 24),
	    L(UDP, 0, 78, 8), L(PAYLOAD, 0, 86, 4) } },
	{ "frag_first", fr_frag_first, 0, OFD_STOP_END, 1, 3, 1, 3,
	  "ipv6/frag/udp", 5,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(FRAG, 0, 54, 8),
	    L(UDP, 0, 62, 8), L(PAYLOAD, 0, 70, 6) } },
	{ "frag_later", fr_frag_later, 0, OFD_STOP_FRAGMENT, 1, -1, 1, -1,
	  "ipv6/frag", 4,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(FRAG, 0, 54, 8),
	    L(PAYLOAD, 0, 62, 16) } },
	{ "v4frag_first", fr_v4frag_first, 0, OFD_STOP_END, 1, 2, 1, 2,
	  "ipv4/udp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(PAYLOAD, 0, 42, 4) } },
	{ "v4frag_later", fr_v4frag_later, 0, OFD_STOP_FRAGMENT, 1, -1, 1, -1,
	  "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 12) } },
	{ "vxlan", fr_vxlan, 0, OFD_STOP_END, 5, 6, 1, 2,
	  "ipv4/udp/vxlan/eth/ipv4/tcp", 8,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(VXLAN, 0, 42, 8), L(ETH, 1, 50, 14), L(IPV4, 1, 64, 20),
	    L(TCP, 1, 84, 20), L(PAYLOAD, 1, 104, 3) } },
	{ "geneve", fr_geneve, 0, OFD_STOP_END, 4, 5, 1, 2,
	  "ipv6/udp/geneve/ipv4/udp", 7,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(UDP, 0, 54, 8),
	    L(GENEVE, 0, 62, 16), L(IPV4, 1, 78, 20), L(UDP, 1, 98, 8),
	    L(PAYLOAD, 1, 106, 4) } },
	{ "geneve_eth", fr_geneve_eth, 0, OFD_STOP_END, 5, 6, 1, 2,
	  "ipv4/udp/geneve/eth/ipv6/icmpv6", 8,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(GENEVE, 0, 42, 8), L(ETH, 1, 50, 14), L(IPV6, 1, 64, 40),
	    L(ICMPV6, 1, 104, 8), L(PAYLOAD, 1, 112, 8) } },
	{ "gre_key", fr_gre_key, 0, OFD_STOP_END, 3, 4, 1, 4,
	  "ipv4/gre/ipv4/udp", 6,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(GRE, 0, 34, 8),
	    L(IPV4, 1, 42, 20), L(UDP, 1, 62, 8), L(PAYLOAD, 1, 70, 6) } },
	{ "gre_csum", fr_gre_csum, 0, OFD_STOP_END, 3, 4, 1, 4,
	  "ipv4/gre/ipv4/udp", 6,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(GRE, 0, 34, 8),
	    L(IPV4, 1, 42, 20), L(UDP, 1, 62, 8), L(PAYLOAD, 1, 70, 6) } },
	{ "gre_teb", fr_gre_teb, 0, OFD_STOP_END, 4, 5, 1, 5,
	  "ipv6/gre/eth/ipv4/tcp", 6,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(GRE, 0, 54, 16),
	    L(ETH, 1, 70, 14), L(IPV4, 1, 84, 20), L(TCP, 1, 104, 20) } },
	{ "gre_v1", fr_gre_v1, 0, OFD_STOP_UNKNOWN, 1, -1, 1, -1, "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 12) } },
	{ "ipip", fr_ipip, 0, OFD_STOP_END, 2, 3, 1, 3, "ipv4/ipv4/tcp", 5,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(IPV4, 1, 34, 20),
	    L(TCP, 1, 54, 20), L(PAYLOAD, 1, 74, 2) } },
	{ "6in4", fr_6in4, 0, OFD_STOP_END, 2, 3, 1, 3, "ipv4/ipv6/udp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(IPV6, 1, 34, 40),
	    L(UDP, 1, 74, 8) } },
	{ "sctp", fr_sctp, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/sctp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(SCTP, 0, 34, 12),
	    L(PAYLOAD, 0, 46, 16) } },
	{ "icmp", fr_icmp, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/icmp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(ICMP, 0, 34, 8),
	    L(PAYLOAD, 0, 42, 4) } },
	{ "arp", fr_arp, 0, OFD_STOP_UNKNOWN, -1, -1, -1, -1, "", 2,
	  { L(ETH, 0, 0, 14), L(PAYLOAD, 0, 14, 28) } },
	{ "esp", fr_esp, 0, OFD_STOP_UNKNOWN, 1, -1, 1, -1, "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 8) } },
	{ "nonext", fr_nonext, 0, OFD_STOP_END, 1, -1, 1, -1, "ipv6", 3,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(PAYLOAD, 0, 54, 4) } },
	{ "bad_ihl", fr_bad_ihl, 0, OFD_STOP_MALFORMED, -1, -1, -1, -1, "",
	  1, { L(ETH, 0, 0, 14) } },
	{ "bad_doff", fr_bad_doff, 0, OFD_STOP_MALFORMED, 1, -1, 1, -1,
	  "ipv4", 2, { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20) } },
	{ "trunc_tcp", fr_trunc_tcp, 0, OFD_STOP_TRUNCATED, 1, -1, 1, -1,
	  "ipv4", 2, { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20) } },
	/* A device that does not parse IPv6 extension headers. */
	{ "srh_noext", fr_srh, OFD_PARSE_NO_EXTHDR, OFD_STOP_UNKNOWN, 1, -1, 1,
	  -1, "ipv6", 3,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(PAYLOAD, 0, 54, 91) } },
	{ "frag_noext", fr_frag_first, OFD_PARSE_NO_EXTHDR, OFD_STOP_UNKNOWN,
	  1, -1, 1, -1, "ipv6", 3,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(PAYLOAD, 0, 54, 22) } },
	{ "qinq_noext", fr_qinq, OFD_PARSE_NO_EXTHDR, OFD_STOP_END, 3, 4, 3, 4,
	  "qinq/vlan/ipv6/udp", 6,
	  { L(ETH, 0, 0, 14), L(QINQ, 0, 14, 4), L(VLAN, 0, 18, 4),
	    L(IPV6, 0, 22, 40), L(UDP, 0, 62, 8), L(PAYLOAD, 0, 70, 5) } },
	/* A device that does not look into tunnels. */
	{ "vxlan_notun", fr_vxlan, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, 2, 1,
	  2, "ipv4/udp/vxlan", 5,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(VXLAN, 0, 42, 8), L(PAYLOAD, 0, 50, 57) } },
	{ "geneve_notun", fr_geneve, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, 2,
	  1, 2, "ipv6/udp/geneve", 5,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(UDP, 0, 54, 8),
	    L(GENEVE, 0, 62, 16), L(PAYLOAD, 0, 78, 32) } },
	{ "gre_notun", fr_gre_key, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, -1,
	  1, -1, "ipv4/gre", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(GRE, 0, 34, 8),
	    L(PAYLOAD, 0, 42, 34) } },
	{ "ipip_notun", fr_ipip, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, -1, 1,
	  -1, "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 42) } },
	{ "ipv4_tcp_notun", fr_ipv4_tcp, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1,
	  2, 1, 2, "ipv4/tcp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(TCP, 0, 34, 20),
	    L(PAYLOAD, 0, 54, 10) } },
};

START_TEST(test_layers)
{
	const struct layer_case *c = &layer_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	char path[128];
	uint32_t len, i;

	len = c->build(buf);
	ofd_parse(buf, len, c->flags, &p);
	ck_assert_msg(p.stop == c->stop, "%s: stop %u, want %u", c->name,
		      p.stop, c->stop);
	ck_assert_msg(p.nlayers == c->n, "%s: %u layers, want %u", c->name,
		      p.nlayers, c->n);
	for (i = 0; i < c->n; i++) {
		const struct exp_layer *e = &c->l[i];
		const struct ofd_layer *l = &p.layer[i];

		ck_assert_msg(l->proto == e->proto && l->depth == e->depth &&
				      l->off == e->off && l->len == e->len,
			      "%s: layer %u is %s d%u %u/%u, want %s d%u %u/%u",
			      c->name, i, ofd_proto_name(l->proto), l->depth,
			      l->off, l->len, ofd_proto_name(e->proto),
			      e->depth, e->off, e->len);
	}
	ck_assert_int_eq(p.l3, c->l3);
	ck_assert_int_eq(p.l4, c->l4);
	ck_assert_int_eq(p.outer_l3, c->outer_l3);
	ck_assert_int_eq(p.outer_l4, c->outer_l4);
	ck_assert_int_eq(ofd_parse_path(&p, path, sizeof(path)),
			 (int)strlen(c->path));
	ck_assert_str_eq(path, c->path);
}
END_TEST

/* 30 tags: eth + 22 tags fill 23 slots, the last slot is the payload. */
START_TEST(test_too_deep)
{
	uint8_t buf[FRAME_MAX];
	struct fb f = { buf, 0 };
	struct ofd_parsed p;
	uint32_t i;

	b_eth(&f, 0x8100);
	for (i = 0; i < 30; i++)
		b_tag(&f, (uint16_t)i, 0x8100);
	b_payload(&f, 10);
	ck_assert_uint_eq(f.n, 14 + 120 + 10);

	ofd_parse(buf, f.n, 0, &p);
	ck_assert_uint_eq(p.stop, OFD_STOP_TOO_DEEP);
	ck_assert_uint_eq(p.nlayers, OFD_PARSE_MAX_LAYERS);
	ck_assert_uint_eq(p.layer[0].proto, OFD_P_ETH);
	for (i = 1; i <= 22; i++) {
		ck_assert_uint_eq(p.layer[i].proto, OFD_P_VLAN);
		ck_assert_uint_eq(p.layer[i].off, 14 + 4 * (i - 1));
	}
	ck_assert_uint_eq(p.layer[23].proto, OFD_P_PAYLOAD);
	ck_assert_uint_eq(p.layer[23].off, 14 + 22 * 4);
	ck_assert_uint_eq(p.layer[23].len, 144 - 102);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Truncation                                                          */
/* ------------------------------------------------------------------ */

static const build_fn trunc_frames[] = {
	fr_srh, fr_vxlan, fr_gre_teb, fr_geneve, fr_geneve_eth, fr_qinq,
	fr_ipv4_opts, fr_frag_first, fr_srh_tlv, fr_gre_key,
};

static bool same_layer(const struct ofd_layer *a, const struct ofd_layer *b)
{
	return a->proto == b->proto && a->depth == b->depth &&
	       a->off == b->off && a->len == b->len;
}

START_TEST(test_truncate)
{
	uint8_t full[FRAME_MAX];
	struct ofd_parsed fp, p;
	uint32_t flen, hdr_end, nhdr, cut;

	flen = trunc_frames[_i](full);
	ofd_parse(full, flen, 0, &fp);
	ck_assert_uint_eq(fp.stop, OFD_STOP_END);
	nhdr = fp.nlayers;
	if (fp.layer[nhdr - 1].proto == OFD_P_PAYLOAD)
		nhdr--;
	hdr_end = fp.layer[nhdr - 1].off + fp.layer[nhdr - 1].len;

	for (cut = 0; cut <= flen; cut++) {
		/* Exactly cut bytes, so ASan flags any read past them. */
		uint8_t *b = malloc(cut ? cut : 1);
		struct ofd_field fld;
		uint32_t i, n, end = 0;
		char path[128];

		ck_assert_ptr_nonnull(b);
		memcpy(b, full, cut);
		ofd_parse(b, cut, 0, &p);
		ck_assert_uint_le(p.nlayers, OFD_PARSE_MAX_LAYERS);
		n = p.nlayers;
		if (n && p.layer[n - 1].proto == OFD_P_PAYLOAD)
			n--;
		/* The headers are a prefix of the full parse's, contiguous
		 * from 0 and inside the cut. */
		for (i = 0; i < p.nlayers; i++) {
			ck_assert_uint_eq(p.layer[i].off, end);
			end += p.layer[i].len;
			ck_assert_uint_le(end, cut);
			if (i < n)
				ck_assert_msg(same_layer(&p.layer[i],
							 &fp.layer[i]),
					      "cut %u layer %u", cut, i);
		}
		if (cut < hdr_end) {
			ck_assert_msg(p.stop == OFD_STOP_TRUNCATED,
				      "cut %u: stop %u", cut, p.stop);
			ck_assert_uint_lt(n, nhdr);
			ck_assert_uint_eq(n, p.nlayers);
		} else {
			ck_assert_uint_eq(p.stop, OFD_STOP_END);
			ck_assert_uint_eq(n, nhdr);
			ck_assert_uint_eq(p.nlayers,
					  nhdr + (cut > hdr_end ? 1 : 0));
		}
		ck_assert_int_lt(p.l3, (int)p.nlayers);
		ck_assert_int_lt(p.l4, (int)p.nlayers);
		ofd_parse_path(&p, path, sizeof(path));
		for (i = 0; i < cut; i++) {
			ck_assert_int_eq(ofd_parse_field_at(b, cut, &p, i, &fld),
					 0);
			ck_assert_uint_le(fld.off, i);
			ck_assert_uint_gt(fld.off + fld.len, i);
			ck_assert_uint_le(fld.off + fld.len, cut);
		}
		ck_assert_int_eq(ofd_parse_field_at(b, cut, &p, cut, &fld),
				 -ERANGE);
		free(b);
	}
}
END_TEST

/*
 * Random bytes after a valid start, every flag combination: the walk
 * stays inside the frame, layers tile it from 0, the indices point at
 * the right kinds of layer, and the other calls do not fault (ASan).
 */
START_TEST(test_random)
{
	static const build_fn seeds[] = { fr_vxlan, fr_srh, fr_gre_teb,
					  fr_geneve_eth, fr_qinq };
	uint8_t full[FRAME_MAX];
	uint32_t rnd = 0x12345678u + (uint32_t)_i;
	int iter;

	for (iter = 0; iter < 400; iter++) {
		uint32_t len, keep, i, end = 0, sum;
		struct ofd_parsed p;
		struct ofd_field f;
		unsigned int flags;
		uint8_t *b;

		len = seeds[iter % OFD_ARRAY_SIZE(seeds)](full);
		rnd = rnd * 1103515245u + 12345u;
		keep = 14 + (rnd >> 8) % (len - 14); /* keep a prefix */
		for (i = keep; i < len; i++) {
			rnd = rnd * 1103515245u + 12345u;
			full[i] = (uint8_t)(rnd >> 16);
		}
		b = malloc(len);
		ck_assert_ptr_nonnull(b);
		memcpy(b, full, len);
		for (flags = 0; flags < 4; flags++) {
			ofd_parse(b, len, flags, &p);
			ck_assert_uint_le(p.nlayers, OFD_PARSE_MAX_LAYERS);
			for (i = 0, end = 0; i < p.nlayers; i++) {
				ck_assert_uint_eq(p.layer[i].off, end);
				end += p.layer[i].len;
				ck_assert_uint_le(end, len);
			}
			if (p.l3 >= 0)
				ck_assert(p.layer[p.l3].proto == OFD_P_IPV4 ||
					  p.layer[p.l3].proto == OFD_P_IPV6);
			if (p.l4 >= 0)
				(void)ofd_parse_pseudo(b, len, &p, p.l4,
						       len - p.layer[p.l4].off,
						       0, &sum);
			for (i = 0; i < len; i++)
				ck_assert_int_eq(ofd_parse_field_at(b, len, &p,
								    i, &f),
						 0);
			(void)ofd_parse_field_find(b, len, &p, -1,
						   "srh.segment[3]", &f);
		}
		free(b);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Path and names                                                      */
/* ------------------------------------------------------------------ */

START_TEST(test_path)
{
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	char s[16];
	uint32_t len;

	len = fr_ipv4_tcp(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_path(&p, NULL, 0), 8);
	memset(s, 'x', sizeof(s));
	ck_assert_int_eq(ofd_parse_path(&p, s, 5), 8);
	ck_assert_str_eq(s, "ipv4");
	ck_assert_int_eq(ofd_parse_path(&p, s, 8), 8);
	ck_assert_str_eq(s, "ipv4/tc");
	ck_assert_int_eq(ofd_parse_path(&p, s, 9), 8);
	ck_assert_str_eq(s, "ipv4/tcp");
	memset(s, 'x', sizeof(s));
	ck_assert_int_eq(ofd_parse_path(&p, s, 1), 8);
	ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(test_names)
{
	static const char *const names[OFD_P__MAX] = {
		"none", "eth",   "vlan",  "qinq",    "ipv4",   "ipv6",  "hbh",
		"dstopts", "srh", "rthdr", "frag",   "tcp",    "udp",   "sctp",
		"icmp", "icmpv6", "vxlan", "geneve", "gre",    "payload",
	};
	int i;

	for (i = 0; i < OFD_P__MAX; i++)
		ck_assert_str_eq(ofd_proto_name((enum ofd_proto)i), names[i]);
	ck_assert_ptr_nonnull(ofd_proto_name(OFD_P__MAX));
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_layers, 0, OFD_ARRAY_SIZE(layer_cases));
	tcase_add_test(tc, test_too_deep);
	tcase_add_loop_test(tc, test_truncate, 0, OFD_ARRAY_SIZE(trunc_frames));
	tcase_add_loop_test(tc, test_random, 0, 4);
	tcase_add_test(tc, test_path);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(parse_suite)
