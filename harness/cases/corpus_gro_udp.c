// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * corpus_gro_udp.c - the gro corpus's UDP and VXLAN trains, one that
 * merges and one that must not for every rule (corpus_gro.c writes them):
 *
 *   gro/udp.pcap    udp4, udp6: udp_gro_receive_segment (kernel-rx.md 2.2)
 *                   and the IP network flush (1.5), merging on a device
 *                   with rx-udp-gro-forwarding or rx-gro-list (the engines'
 *                   gro_udp=forward|fraglist), never on a default one
 *   gro/vxlan.pcap  vxlan4 (IPv4 in IPv4), vxlan6 (IPv6 in IPv6): the
 *                   VXLAN rules (3) and the inner TCP ones, merging with a
 *                   VXLAN socket on port 4789 (vxlan=on), never without
 *
 * Every "merge" train comes out as one frame and every "apart" train as
 * two (the rule's comment says why), in every mode that merges at all.
 */
#include <string.h>

#include "ofd.h"
#include "ofd_gro.h"
#include "gro_internal.h"

#define UDP_MAX_SEGS 72
#define UDP_LARGE 1456 /* 44 datagrams fit a 64 KB aggregate, 45 do not */

static const struct fam fam_udp[] = {
	{ "udp4", 0, T_NONE, 4, true }, { "udp6", 0, T_NONE, 6, true },
};
static const struct fam fam_vxlan[] = {
	{ "vxlan4", 4, T_VXLAN, 4, false }, { "vxlan6", 6, T_VXLAN, 6, false },
};

typedef unsigned int (*urule_fn)(const struct fam *f, bool apart, struct seg *s);

/* 2 datagrams of 100; apart: a flush point between them (1.10). */
static unsigned int u_data_same(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[0].flush_after = apart;
	return 2;
}

/* 100, 50: the shorter datagram merges and ends P (2.2); apart: 100,
 * 50, 100: 150 | 100. */
static unsigned int u_data_lrg_sml(const struct fam *f, bool apart, struct seg *s)
{
	unsigned int n = ofd_gro_fill(s, apart ? 3 : 2, 100);

	(void)f;
	s[1].plen = 50;
	ofd_gro_renumber(s, n);
	return n;
}

/* 50, 50; apart: 50, 100: longer than P's first datagram ends P and is
 * held on its own (2.2: S.ulen > first_ulen). */
static unsigned int u_data_sml_lrg(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_fill(s, 2, 50);
	if (apart)
		s[1].plen = 100;
	ofd_gro_renumber(s, 2);
	return 2;
}

/* good, odd, good: the odd one is flushed through alone with P left
 * held, so it overtakes P, and the third merges into P: 2 frames. The
 * odd one never joins P, so the third's IPv4 ID follows the first's
 * (else the ID rule of 1.5 ends P as well). */
static unsigned int odd_middle(struct seg *s, bool apart)
{
	ofd_gro_renumber(s, ofd_gro_fill(s, 3, 100));
	if (apart)
		s[2].id = 9;
	return 3;
}

/* a zero UDP checksum: "requires non zero csum" (2.2) */
static unsigned int u_csum_zero(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	odd_middle(s, apart);
	if (apart)
		s[1].udp_csum = GRO_UCSUM_ZERO;
	return 3;
}

/* a bad UDP checksum: bypass (2.1) */
static unsigned int u_csum_bad(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	odd_middle(s, apart);
	if (apart)
		s[1].udp_csum = GRO_UCSUM_BAD;
	return 3;
}

/* uh->len one short of the bytes left, IP lengths right (2.2) */
static unsigned int u_len(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	odd_middle(s, apart);
	if (apart)
		s[1].ulen_delta = -1;
	return 3;
}

/* 4 bytes of trailer: IP marks S flush, and uh->len is not the bytes
 * left, so S goes up alone without touching P (2.2; TCP flushes P) */
static unsigned int u_trailer(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	odd_middle(s, apart);
	if (apart)
		s[1].trailer = 4;
	return 3;
}

/* another source port in the middle: another flow, held beside P */
static unsigned int u_ports(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	odd_middle(s, apart);
	if (apart)
		s[1].sport = 1001;
	return 3;
}

/* the network flush (1.5): P ends, S held on its own */
static unsigned int u_ttl(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[1].ttl = apart ? 63 : 64;
	return 2;
}

static unsigned int u_tos(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[1].tos = apart ? 0x04 : 0;
	return 2;
}

static unsigned int u_ecn(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[0].tos = 0x02;
	s[1].tos = apart ? 0x03 : 0x02;
	return 2;
}

/* IPv4 IDs 8, 9, 10; apart 8, 10, 11: 100 | 200 (1.5) */
static unsigned int u_id_inc(const struct fam *f, bool apart, struct seg *s)
{
	if (f->inner != 4)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, 3, 100));
	if (apart) {
		s[1].id = 10;
		s[2].id = 11;
	}
	return 3;
}

/* 44 datagrams of 1456 make an IPv4 or IPv6 aggregate under 64 KB; the
 * 45th does not fit (the cap always applies to UDP, 2.2; fraglist's
 * counts the 45th whole and gives the same split here) */
static unsigned int u_large(const struct fam *f, bool apart, struct seg *s)
{
	unsigned int n = apart ? 45 : 44;

	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, n, UDP_LARGE));
	return n;
}

/* 64 datagrams end P (UDP_GRO_CNT_MAX), the 65th starts another; a tap's
 * NAPI poll takes 64 frames, so its budget splits the train there too */
static unsigned int u_count(const struct fam *f, bool apart, struct seg *s)
{
	unsigned int n = apart ? 65 : 64;

	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, n, 100));
	return n;
}

static const struct {
	const char *name;
	urule_fn fn;
} udp_rules[] = {
	{ "data_same", u_data_same },
	{ "data_lrg_sml", u_data_lrg_sml },
	{ "data_sml_lrg", u_data_sml_lrg },
	{ "udp_csum_zero", u_csum_zero },
	{ "udp_csum_bad", u_csum_bad },
	{ "udp_len", u_len },
	{ "udp_trailer", u_trailer },
	{ "udp_ports", u_ports },
	{ "ip_ttl", u_ttl },
	{ "ip_tos", u_tos },
	{ "ip_ecn", u_ecn },
	{ "ip_id_inc", u_id_inc },
	{ "udp_large", u_large },
	{ "udp_count", u_count },
};

/* ---- VXLAN (3) ---------------------------------------------------- */

/* two segments of one TCP flow, the second's VXLAN or outer field
 * changed when apart: another flow, held beside the first */
static unsigned int pair(struct seg *s)
{
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	return 2;
}

static unsigned int v_vni(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	pair(s);
	s[1].vni_x = apart ? 1 : 0;
	return 2;
}

/* the flags word is compared whole: a reserved bit set */
static unsigned int v_flags(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	pair(s);
	s[1].vx_flags_x = apart ? 0x04 : 0;
	return 2;
}

/* eth_gro_receive: the inner MAC header must be equal */
static unsigned int v_imac(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	pair(s);
	s[1].imac_x = apart ? 1 : 0;
	return 2;
}

/* outer UDP checksums both non-zero merge; zero then non-zero do not */
static unsigned int v_csum(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	pair(s);
	s[0].vx_csum = !apart;
	s[1].vx_csum = true;
	return 2;
}

/* the outer UDP ports must be equal */
static unsigned int v_sport(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	pair(s);
	s[1].vx_sport_x = apart ? 1 : 0;
	return 2;
}

/* inner TCP: a sequence gap (1.6) */
static unsigned int v_seq(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	pair(s);
	if (apart)
		s[1].seq += 1;
	return 2;
}

static const struct {
	const char *name;
	urule_fn fn;
} vxlan_rules[] = {
	{ "data_same", u_data_same },
	{ "data_lrg_sml", u_data_lrg_sml },
	{ "data_sml_lrg", u_data_sml_lrg },
	{ "tcp_seq", v_seq },
	{ "ip_ttl", u_ttl },
	{ "ip_tos", u_tos },
	{ "ip_id_inc", u_id_inc },
	{ "vx_vni", v_vni },
	{ "vx_flags", v_flags },
	{ "vx_imac", v_imac },
	{ "vx_csum", v_csum },
	{ "vx_sport", v_sport },
};

int ofd_gro_gen_udp(struct ofd_gen *g)
{
	struct seg s[UDP_MAX_SEGS];
	unsigned int i, r, a, n;
	int err;

	for (i = 0; i < OFD_ARRAY_SIZE(fam_udp); i++)
		for (r = 0; r < OFD_ARRAY_SIZE(udp_rules); r++)
			for (a = 0; a < 2; a++) {
				n = udp_rules[r].fn(&fam_udp[i], a, s);
				if (n && (err = ofd_gro_emit_train(g, &fam_udp[i],
								   udp_rules[r].name, a, s, n)))
					return err;
			}
	return 0;
}

int ofd_gro_gen_vxlan(struct ofd_gen *g)
{
	struct seg s[UDP_MAX_SEGS];
	unsigned int i, r, a, n;
	int err;

	for (i = 0; i < OFD_ARRAY_SIZE(fam_vxlan); i++)
		for (r = 0; r < OFD_ARRAY_SIZE(vxlan_rules); r++)
			for (a = 0; a < 2; a++) {
				n = vxlan_rules[r].fn(&fam_vxlan[i], a, s);
				if (n && (err = ofd_gro_emit_train(g, &fam_vxlan[i],
								   vxlan_rules[r].name, a, s, n)))
					return err;
			}
	return 0;
}
