// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * corpus_gro.c - the bundled gro corpus: trains in the style of the
 * kernel's GRO selftest (tools/testing/selftests/net/gro.c, kernel-rx.md
 * 1.12), one train that merges and one that must not for every rule,
 * `offdiff corpus gen` writes them as corpus/gro/<name>.pcap with the
 * timestamps that mark trains and flush points (ofd_gro.h).
 *
 *   gro/tcp4.pcap        IPv4/TCP: every rule of rules[] below
 *   gro/tcp6.pcap        IPv6/TCP: the rules that IPv6 has (no options,
 *                        IDs or IPv4 fragments; extension headers)
 *   gro/tunnels.pcap     IPv4 in IPv4, IPv6 in IPv4, IPv4 in IPv6, IPv6
 *                        in IPv6, GRE over IPv4 and IPv6, VXLAN: the data,
 *                        flag, sequence, checksum and inner IP rules
 *   gro/interleaved.pcap 2 and 3 flows interleaved, with and without a
 *                        flush point between them; capacity: 8 flows
 *                        interleaved (all held) and 9 (the single bucket
 *                        of a tap overflows, kernel-rx.md 7.1)
 *   gro/udp.pcap         IPv4 and IPv6 UDP: every rule of udp_gro_receive_segment
 *                        (corpus_gro_udp.c; merges under gro_udp=forward|fraglist)
 *   gro/vxlan.pcap       VXLAN over IPv4 and IPv6: the VXLAN rules and the inner
 *                        TCP ones (corpus_gro_udp.c; merges under vxlan=on)
 *
 * A train is named by its frames' descriptions, "<family>/<rule>/<merge|
 * apart> k/n"; the test (tests/check_cases_gro.c) reads the rule from them
 * and holds what kernel-rx.md says the kernel does with each train. The
 * rules are the selftest's: data_same, data_lrg_sml, data_sml_lrg, ack,
 * flags_psh/syn/rst/urg/cwr, tcp_csum, tcp_seq, tcp_ts, tcp_opt, tcp_win,
 * ip_ecn, ip_tos, ip_ttl, ip_opt, ip_frag (ip_frag4 in tcp4, ip_frag6 in
 * tcp6), ip_id_inc/df1/df0 (the ip_id_df* cases), ip_v6ext (merge: the
 * selftest's ip_v6ext_same, apart: ip_v6ext_diff), large_max, large_rem;
 * capacity and the interleaved flows are in interleaved.pcap. "merge" is
 * the train with the rule's field equal (or the flush point absent),
 * "apart" the one where the field differs.
 * Frames carry correct checksums unless the rule is about them: GRO
 * verifies them in software (CHECKSUM_NONE on a tap).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_gro.h"
#include "ofd_offload.h"
#include "corpus_gen_internal.h"
#include "ofd_pktbuild.h"
#include "gro_internal.h"

#define MAX_SEGS 24
#define MSS_LARGE 4036 /* the selftest's MSS for the large cases */

static const struct fam fam_tcp4 = { "tcp4", 0, T_NONE, 4, false };
static const struct fam fam_tcp6 = { "tcp6", 0, T_NONE, 6, false };
static const struct fam fam_tunnels[] = {
	{ "ipip", 4, T_IPIP, 4, false }, { "sit", 4, T_IPIP, 6, false },
	{ "ip4ip6", 6, T_IPIP, 4, false }, { "ip6ip6", 6, T_IPIP, 6, false },
	{ "gre4", 4, T_GRE, 4, false }, { "gre6", 6, T_GRE, 6, false },
	{ "vxlan4", 4, T_VXLAN, 4, false },
};

/* NOP, NOP, TS (TSval tsv, TSecr 0): 12 bytes, three orderings. */
static uint8_t ts_opt[3][3][12];

static void make_ts(uint8_t *o, unsigned int order, uint32_t tsv)
{
	unsigned int at = order == 0 ? 2 : order == 1 ? 1 : 0, i;

	for (i = 0; i < 12; i++)
		o[i] = 1; /* NOP */
	o[at] = 8;
	o[at + 1] = 10;
	ofd_put_be32(o + at + 2, tsv);
	memset(o + at + 6, 0, 4);
}

static const uint8_t ipv4_rr[8] = { 7, 7, 4, 0, 0, 0, 0, 0 }; /* RR, 1 slot */

/* n segments of plen bytes, contiguous, IDs from 8 (as the selftest). */
unsigned int ofd_gro_fill(struct seg *s, unsigned int n, uint32_t plen)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		memset(&s[k], 0, sizeof(s[k]));
		s[k].plen = plen;
		s[k].ack = 1;
		s[k].sport = 1000;
		s[k].window = 65535;
		s[k].flags = 0x10; /* ACK */
		s[k].ttl = 64;
	}
	return n;
}

/* Sequence numbers and IDs after plen changes: contiguous from 1000. */
void ofd_gro_renumber(struct seg *s, unsigned int n)
{
	uint32_t seq = 1000;
	unsigned int k;

	for (k = 0; k < n; k++) {
		s[k].seq = seq;
		s[k].id = (uint16_t)(8 + k);
		seq += s[k].plen;
	}
}

/* ofd_gen_emit with the fix-ups finish cannot make (ofd_gro_fixup). */
static int emit(struct ofd_gen *g, const struct fam *f, const struct seg *s)
{
	struct ofd_corpus_gen_frame fr;
	int err = ofd_pktb_finish(&g->b);

	if (err) {
		ofd_pr_warn("corpus gen: gro: %s: %s\n", g->desc, strerror(-err));
		return err;
	}
	ofd_gro_fixup(&g->b, f, s);
	fr.file = g->file;
	fr.index = g->index++;
	fr.desc = g->desc;
	fr.data = g->b.buf;
	fr.len = g->b.len;
	fr.ts_us = g->clock_us;
	return g->cb(g->ctx, &fr);
}

/* Emit a train: its frames stamped as ofd_gro.h says. */
int ofd_gro_emit_train(struct ofd_gen *g, const struct fam *f, const char *rule,
		       bool apart, const struct seg *s, unsigned int n)
{
	unsigned int k;
	int err;

	g->timed = true;
	for (k = 0; k < n; k++) {
		if (k)
			g->clock_us += s[k - 1].flush_after ? OFD_GRO_GEN_FLUSH_US :
							      OFD_GRO_GEN_STEP_US;
		else if (g->index)
			g->clock_us += OFD_GRO_GEN_TRAIN_US;
		ofd_gen_start(g, "%s/%s/%s %u/%u", f->name, rule,
			      apart ? "apart" : "merge", k + 1, n);
		ofd_gro_build(&g->b, f, &s[k]);
		if ((err = emit(g, f, &s[k])))
			return err;
	}
	return 0;
}

/* ---- the rules ---------------------------------------------------- */

/* A rule fills s with its merging (apart false) or non-merging train for
 * family f and returns its length, 0 when it has none for f. */
typedef unsigned int (*rule_fn)(const struct fam *f, bool apart, struct seg *s);

static unsigned int r_data_same(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[0].flush_after = apart; /* a NAPI batch boundary between them */
	return 2;
}

static unsigned int r_data_lrg_sml(const struct fam *f, bool apart, struct seg *s)
{
	unsigned int n = ofd_gro_fill(s, apart ? 3 : 2, 100);

	(void)f;
	s[1].plen = 50; /* merges, and ends the aggregate */
	ofd_gro_renumber(s, n);
	return n;
}

static unsigned int r_data_sml_lrg(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_fill(s, 2, 50);
	if (apart)
		s[1].plen = 100; /* larger than gso_size: a new aggregate */
	ofd_gro_renumber(s, 2);
	return 2;
}

static unsigned int r_ack(const struct fam *f, bool apart, struct seg *s)
{
	if (f->udp)
		return 0;
	if (!apart) {
		ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
		return 2;
	}
	/* A pure ACK, its duplicate, and an ACK of one more byte. */
	ofd_gro_renumber(s, ofd_gro_fill(s, 3, 0));
	s[2].ack = 2;
	return 3;
}

/* Five segments, the third with flags (and no data unless PSH). */
static unsigned int flag_train(const struct fam *f, bool apart, struct seg *s,
			       uint8_t flag)
{
	if (f->udp)
		return 0;
	if (!apart) {
		ofd_gro_renumber(s, ofd_gro_fill(s, 3, 100));
		if (flag == 0x08)
			s[2].flags |= 0x08; /* PSH on the last merges */
		return 3;
	}
	ofd_gro_fill(s, 5, 100);
	if (flag != 0x08 && flag != 0x80)
		s[2].plen = 0;
	ofd_gro_renumber(s, 5);
	s[2].flags |= flag;
	if (flag == 0x20)
		s[2].urg = 1;
	if (flag == 0x02)
		s[2].flags &= (uint8_t)~0x10; /* a bare SYN */
	return 5;
}

static unsigned int r_psh(const struct fam *f, bool a, struct seg *s) { return flag_train(f, a, s, 0x08); }
static unsigned int r_syn(const struct fam *f, bool a, struct seg *s) { return flag_train(f, a, s, 0x02); }
static unsigned int r_rst(const struct fam *f, bool a, struct seg *s) { return flag_train(f, a, s, 0x04); }
static unsigned int r_urg(const struct fam *f, bool a, struct seg *s) { return flag_train(f, a, s, 0x20); }
static unsigned int r_cwr(const struct fam *f, bool a, struct seg *s) { return flag_train(f, a, s, 0x80); }

static unsigned int r_tcp_csum(const struct fam *f, bool apart, struct seg *s)
{
	if (f->udp)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[1].bad_csum = apart;
	return 2;
}

static unsigned int r_tcp_seq(const struct fam *f, bool apart, struct seg *s)
{
	if (f->udp)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	if (apart)
		s[1].seq += 1; /* one byte of gap */
	return 2;
}

static unsigned int r_tcp_ts(const struct fam *f, bool apart, struct seg *s)
{
	unsigned int k;

	if (f->udp)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, 3, 100));
	for (k = 0; k < 3; k++) {
		s[k].topt = ts_opt[0][apart && k == 2 ? 1 : 0];
		s[k].topt_len = 12;
	}
	return 3;
}

static unsigned int r_tcp_opt(const struct fam *f, bool apart, struct seg *s)
{
	if (f->udp)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[0].topt = ts_opt[0][0];
	s[1].topt = ts_opt[apart ? 2 : 0][0]; /* TS, NOP, NOP */
	s[0].topt_len = s[1].topt_len = 12;
	return 2;
}

static unsigned int r_tcp_win(const struct fam *f, bool apart, struct seg *s)
{
	if (f->udp)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[0].window = 1000;
	s[1].window = apart ? 999 : 1000;
	return 2;
}

static unsigned int r_ip_ecn(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[0].tos = 0x02;                 /* ECT(0) */
	s[1].tos = apart ? 0x03 : 0x02;  /* CE */
	return 2;
}

static unsigned int r_ip_tos(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[1].tos = apart ? 0x04 : 0;
	return 2;
}

static unsigned int r_ip_ttl(const struct fam *f, bool apart, struct seg *s)
{
	(void)f;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[1].ttl = apart ? 63 : 64;
	return 2;
}

/* good, odd, good: the odd one passes GRO by and overtakes the first. */
static unsigned int odd_middle(struct seg *s)
{
	ofd_gro_renumber(s, ofd_gro_fill(s, 3, 100));
	return 3;
}

static unsigned int r_ip_opt(const struct fam *f, bool apart, struct seg *s)
{
	if (f->inner != 4 || f->tun)
		return 0;
	odd_middle(s);
	if (apart) {
		s[1].ipopt = ipv4_rr;
		s[1].ipopt_len = sizeof(ipv4_rr);
	}
	return 3;
}

static unsigned int r_ip_frag(const struct fam *f, bool apart, struct seg *s)
{
	if (f->tun)
		return 0;
	odd_middle(s);
	s[1].frag = apart;
	return 3;
}

/* IPv4 IDs (kernel-rx.md 1.5): ids[] after the first, DF or not. */
static unsigned int id_train(const struct fam *f, struct seg *s, bool no_df,
			     const uint16_t *ids, unsigned int n)
{
	unsigned int k;

	if (f->inner != 4)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, n, 100));
	for (k = 0; k < n; k++) {
		s[k].id = ids[k];
		s[k].no_df = no_df;
	}
	return n;
}

static unsigned int r_id_inc(const struct fam *f, bool apart, struct seg *s)
{
	static const uint16_t m[] = { 8, 9, 10 }, a[] = { 8, 10, 11 };

	return id_train(f, s, false, apart ? a : m, 3);
}

static unsigned int r_id_df1(const struct fam *f, bool apart, struct seg *s)
{
	static const uint16_t m[] = { 8, 8, 8 }, a[] = { 8, 9, 9 };

	return id_train(f, s, false, apart ? a : m, 3);
}

static unsigned int r_id_df0(const struct fam *f, bool apart, struct seg *s)
{
	static const uint16_t m[] = { 8, 8, 8 }, a[] = { 8, 8, 9 };

	return id_train(f, s, true, apart ? a : m, 3);
}

static unsigned int r_v6ext(const struct fam *f, bool apart, struct seg *s)
{
	if (f->inner != 6 || f->tun)
		return 0;
	ofd_gro_renumber(s, ofd_gro_fill(s, 2, 100));
	s[0].dstopt = 0x11;
	s[1].dstopt = apart ? 0x22 : 0x11;
	return 2;
}

/* 16 x MSS_LARGE and a remainder; rem_max fills a 65535-byte datagram
 * (kernel-rx.md 1.7: the aggregate's IP length stays below 65536). */
static unsigned int large(const struct fam *f, struct seg *s, int rem_delta,
			  uint32_t extra)
{
	uint32_t ip = f->inner == 4 ? 20 : 40;
	uint32_t rem_max = 65535 - ip - 20 - 16 * MSS_LARGE;
	unsigned int n = 17 + (extra ? 1 : 0);

	if (f->tun || f->udp)
		return 0;
	ofd_gro_fill(s, n, MSS_LARGE);
	s[16].plen = (uint32_t)((int)rem_max + rem_delta);
	if (extra)
		s[17].plen = extra;
	ofd_gro_renumber(s, n);
	return n;
}

static unsigned int r_large_max(const struct fam *f, bool apart, struct seg *s)
{
	/* Exactly full, then (apart) one more segment: a new aggregate. */
	return large(f, s, 0, apart ? 100 : 0);
}

static unsigned int r_large_rem(const struct fam *f, bool apart, struct seg *s)
{
	/* One byte short of full merges; one byte over does not fit. */
	return large(f, s, apart ? 1 : -1, 0);
}

static const struct {
	const char *name;
	rule_fn fn;
	bool tunnels; /* also in tunnels.pcap */
} rules[] = {
	{ "data_same", r_data_same, true },
	{ "data_lrg_sml", r_data_lrg_sml, true },
	{ "data_sml_lrg", r_data_sml_lrg, true },
	{ "ack", r_ack, false },
	{ "flags_psh", r_psh, true },
	{ "flags_syn", r_syn, false },
	{ "flags_rst", r_rst, false },
	{ "flags_urg", r_urg, false },
	{ "flags_cwr", r_cwr, false },
	{ "tcp_csum", r_tcp_csum, true },
	{ "tcp_seq", r_tcp_seq, true },
	{ "tcp_ts", r_tcp_ts, false },
	{ "tcp_opt", r_tcp_opt, false },
	{ "tcp_win", r_tcp_win, false },
	{ "ip_ecn", r_ip_ecn, false },
	{ "ip_tos", r_ip_tos, true },
	{ "ip_ttl", r_ip_ttl, true },
	{ "ip_opt", r_ip_opt, false },
	{ "ip_frag", r_ip_frag, false },
	{ "ip_id_inc", r_id_inc, true },
	{ "ip_id_df1", r_id_df1, false },
	{ "ip_id_df0", r_id_df0, false },
	{ "ip_v6ext", r_v6ext, false },
	{ "large_max", r_large_max, false },
	{ "large_rem", r_large_rem, false },
};

static int gen_rules(struct ofd_gen *g, const struct fam *f, bool tunnels_only)
{
	struct seg s[MAX_SEGS];
	unsigned int r, n, a;
	int err;

	for (r = 0; r < OFD_ARRAY_SIZE(rules); r++) {
		if (tunnels_only && !rules[r].tunnels)
			continue;
		for (a = 0; a < 2; a++) {
			n = rules[r].fn(f, a, s);
			if (n && (err = ofd_gro_emit_train(g, f, rules[r].name, a, s, n)))
				return err;
		}
	}
	return 0;
}

static void init_opts(void)
{
	unsigned int o, v;

	for (o = 0; o < 3; o++)
		for (v = 0; v < 3; v++)
			make_ts(ts_opt[o][v], o, 5 + v);
}

static int gen_tcp4(struct ofd_gen *g)
{
	init_opts();
	return gen_rules(g, &fam_tcp4, false);
}

static int gen_tcp6(struct ofd_gen *g)
{
	init_opts();
	return gen_rules(g, &fam_tcp6, false);
}

static int gen_tunnels(struct ofd_gen *g)
{
	unsigned int i;
	int err;

	init_opts();
	for (i = 0; i < OFD_ARRAY_SIZE(fam_tunnels); i++)
		if ((err = gen_rules(g, &fam_tunnels[i], true)))
			return err;
	return 0;
}

/* nflows flows of reps segments each, interleaved: f0 f1 .. f0 f1 ..;
 * flush: a batch boundary after every round. */
static int interleave(struct ofd_gen *g, const struct fam *f, const char *rule,
		      bool apart, unsigned int nflows, unsigned int reps, bool flush)
{
	struct seg s[MAX_SEGS];
	unsigned int r, k, n = nflows * reps;

	if (n > MAX_SEGS)
		return -EINVAL;
	ofd_gro_fill(s, n, 100);
	for (r = 0; r < reps; r++)
		for (k = 0; k < nflows; k++) {
			struct seg *x = &s[r * nflows + k];

			x->sport = (uint16_t)(1000 + k);
			x->seq = 1000 + 100 * r;
			x->id = (uint16_t)(8 + r);
			x->flush_after = flush && k + 1 == nflows;
		}
	return ofd_gro_emit_train(g, f, rule, apart, s, n);
}

static int gen_interleaved(struct ofd_gen *g)
{
	const struct fam *fams[2] = { &fam_tcp4, &fam_tcp6 };
	unsigned int i;
	int err;

	for (i = 0; i < 2; i++) {
		if ((err = interleave(g, fams[i], "flows2", false, 2, 3, false)) ||
		    (err = interleave(g, fams[i], "flows2", true, 2, 3, true)) ||
		    (err = interleave(g, fams[i], "flows3", false, 3, 2, false)) ||
		    (err = interleave(g, fams[i], "flows3", true, 3, 2, true)) ||
		    (err = interleave(g, fams[i], "capacity", false, 8, 2, false)) ||
		    (err = interleave(g, fams[i], "capacity", true, 9, 2, false)))
			return err;
	}
	return 0;
}

/* ---- driving ----------------------------------------------------- */

static const ofd_gen_fn gen_fns[OFD_GRO_GEN__NFILES] = {
	[OFD_GRO_GEN_TCP4] = gen_tcp4,
	[OFD_GRO_GEN_TCP6] = gen_tcp6,
	[OFD_GRO_GEN_TUNNELS] = gen_tunnels,
	[OFD_GRO_GEN_INTERLEAVED] = gen_interleaved,
	[OFD_GRO_GEN_UDP] = ofd_gro_gen_udp,
	[OFD_GRO_GEN_VXLAN] = ofd_gro_gen_vxlan,
};

static int gro_foreach(unsigned int file, ofd_corpus_gen_cb cb, void *ctx)
{
	return ofd_gen_run(gen_fns, OFD_GRO_GEN__NFILES, file, 65535 + 256, "gro", cb, ctx);
}

const struct ofd_corpus_scenario ofd_gro_scenarios[OFD_GRO_GEN__NFILES] = {
	{ "gro/tcp4.pcap", "IPv4/TCP trains: every GRO rule, one train merging and one not",
	  gro_foreach, OFD_GRO_GEN_TCP4 },
	{ "gro/tcp6.pcap", "IPv6/TCP trains: every rule IPv6 has, extension headers",
	  gro_foreach, OFD_GRO_GEN_TCP6 },
	{ "gro/tunnels.pcap", "IP in IP (4/6 in 4/6), GRE, VXLAN trains: data, flags, inner IP rules",
	  gro_foreach, OFD_GRO_GEN_TUNNELS },
	{ "gro/interleaved.pcap", "interleaved flows, flush points between them, bucket capacity",
	  gro_foreach, OFD_GRO_GEN_INTERLEAVED },
	{ "gro/udp.pcap", "UDP datagram trains (IPv4, IPv6): every UDP GRO rule, "
	  "merging and not (under gro_udp=forward or fraglist)", gro_foreach, OFD_GRO_GEN_UDP },
	{ "gro/vxlan.pcap", "VXLAN trains over IPv4 and IPv6: every VXLAN GRO rule, "
	  "merging and not (under vxlan=on)", gro_foreach, OFD_GRO_GEN_VXLAN },
};
