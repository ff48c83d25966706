// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * corpus.c - `offdiff corpus gen|stats`.
 *
 *   offdiff corpus gen [--out DIR]          write DIR/tx-csum/ pcaps (default
 *                                           DIR "corpus"), byte for byte the
 *                                           committed corpus
 *   offdiff corpus stats [--json] FILE...   what the frames cover: L2, L3,
 *                                           IPv6 extension headers, L4,
 *                                           tunnels with their inner L4,
 *                                           payload lengths, checksum state,
 *                                           and each distinct layer path
 *
 * Frames the capture's snaplen cut are not in the counts (the loader skips
 * them); stats says how many there were, per file and in total.
 *
 * stats reads frames the way the kernel's transmit path would checksum
 * them: the L4 sum runs to the end of the frame (kernel-tx.md 2.2), the
 * pseudo-header length comes from the IP header, and the IPv6 destination
 * is the RFC 8200 8.1 final destination (ofd_parse_pseudo).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_corpus_gen.h"
#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"

/* ---- gen --------------------------------------------------------- */

struct gen_opts {
	const char *out;
};

static const struct ofd_opt gen_opts[] = {
	OFD_OPT('o', "out", OFD_OPT_STR, struct gen_opts, out, "DIR",
		"where DIR/tx-csum/*.pcap go (default corpus)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_gen(int argc, char **argv)
{
	size_t nfiles = ofd_corpus_gen_nfiles(), f;
	struct ofd_corpus_gen_info *info;
	struct gen_opts o = { .out = "corpus" };
	char err[512];
	int ret = OFD_EXIT_EQUAL, e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	info = calloc(nfiles ? nfiles : 1, sizeof(*info));
	if (!info)
		return OFD_EXIT_USAGE;
	if (ofd_corpus_gen_ex(o.out, info, err, sizeof(err))) {
		ofd_cli_err("%s", err);
		ret = OFD_EXIT_USAGE;
	}
	for (f = 0; !ofd_g.quiet && f < nfiles && ret == OFD_EXIT_EQUAL; f++)
		printf("%s: %u packets, %llu bytes\n", info[f].path,
		       info[f].npkts, (unsigned long long)info[f].bytes);
	free(info);
	return ret;
}

/* ---- stats ------------------------------------------------------- */

enum { L2_PLAIN, L2_VLAN, L2_QINQ, L2_NONE, L2__N };
static const char *const l2_keys[L2__N] = { "plain", "vlan", "qinq", "none" };

enum { L3_V4, L3_V4OPT, L3_V6, L3_NONE, L3__N };
static const char *const l3_keys[L3__N] = { "ipv4", "ipv4_opts", "ipv6",
					    "none" };

enum { X_HBH, X_DST, X_SRH0, X_SRHN, X_RTHDR, X_FRAG, X__N };
static const char *const ext_keys[X__N] = {
	"hbh", "dstopts", "srh_sl0", "srh_sl_gt0", "rthdr_other",
	"frag",
};

enum { P_TCP, P_UDP, P_SCTP, P_ICMP, P_ICMPV6, P_OTHER, P__N };
static const char *const l4_keys[P__N] = { "tcp", "udp", "sctp", "icmp",
					   "icmpv6", "other" };

enum { T_VXLAN, T_GENEVE, T_GRE, T_IPIP, T__N };
static const char *const tun_keys[T__N] = { "vxlan", "geneve", "gre",
					    "ipip" };

/* Payload: the bytes between the innermost L4 header and the end of its IP
 * datagram by the IP length (for SCTP: the chunks); jumbo is > 1500. */
enum {
	B_0, B_1, B_2, B_3_63_ODD, B_3_63_EVEN, B_64_1459_ODD, B_64_1459_EVEN,
	B_1460, B_1461_1500, B_JUMBO, B_NO_L4, B__N
};
static const char *const plen_keys[B__N] = {
	"0", "1", "2", "3-63_odd", "3-63_even", "64-1459_odd",
	"64-1459_even", "1460", "1461-1500", "jumbo", "no_l4",
};

/* "sums_to_zero" overlaps the others: frames whose true L4 checksum is 0. */
enum { C_VALID, C_INVALID, C_UDP_NONE, C_NOT_CHECKED, C_ZERO_SUM, C__N };
static const char *const csum_keys[C__N] = {
	"valid", "invalid", "udp_zero", "not_checked", "sums_to_zero",
};

static const char *const stop_keys[] = {
	[OFD_STOP_END] = "end", [OFD_STOP_TRUNCATED] = "truncated",
	[OFD_STOP_UNKNOWN] = "unknown", [OFD_STOP_FRAGMENT] = "fragment",
	[OFD_STOP_MALFORMED] = "malformed", [OFD_STOP_TOO_DEEP] = "too_deep",
};
#define STOP__N OFD_ARRAY_SIZE(stop_keys)

struct path_count {
	char *path;
	uint64_t n;
};

struct stats {
	uint64_t frames;
	uint64_t l2[L2__N], l3[L3__N], ext[X__N], l4[P__N];
	uint64_t tun[T__N], tun_l4[T__N][P__N];
	uint64_t plen[B__N], csum[C__N], stop[STOP__N];
	struct path_count *paths;
	size_t npaths, cap;
};

static int l4_index(uint8_t proto)
{
	switch (proto) {
	case OFD_P_TCP: return P_TCP;
	case OFD_P_UDP: return P_UDP;
	case OFD_P_SCTP: return P_SCTP;
	case OFD_P_ICMP: return P_ICMP;
	case OFD_P_ICMPV6: return P_ICMPV6;
	default: return P_OTHER;
	}
}

static bool is_ip(uint8_t proto)
{
	return proto == OFD_P_IPV4 || proto == OFD_P_IPV6;
}

static bool is_ip6_ext(uint8_t proto)
{
	return proto == OFD_P_HBH || proto == OFD_P_DSTOPTS ||
	       proto == OFD_P_SRH || proto == OFD_P_RTHDR ||
	       proto == OFD_P_FRAG;
}

/* The outermost tunnel of the frame, or -1. */
static int tunnel_of(const struct ofd_parsed *p)
{
	uint32_t i;

	for (i = 1; i < p->nlayers; i++) {
		uint8_t pr = p->layer[i].proto;
		int j = (int)i - 1;

		if (pr == OFD_P_VXLAN)
			return T_VXLAN;
		if (pr == OFD_P_GENEVE)
			return T_GENEVE;
		if (pr == OFD_P_GRE)
			return T_GRE;
		if (!is_ip(pr))
			continue;
		/* IP right after IP (or its extension headers) is IP-in-IP. */
		while (j > 0 && is_ip6_ext(p->layer[j].proto))
			j--;
		if (j >= 0 && is_ip(p->layer[j].proto))
			return T_IPIP;
	}
	return -1;
}

/* Where the innermost IP datagram ends, by its length field (BIG TCP's
 * tot_len 0 and jumbo option included, ofd_parse_ip_len), clamped to the
 * frame. */
static uint32_t l3_end(const uint8_t *d, uint32_t len,
		       const struct ofd_parsed *p)
{
	const struct ofd_layer *ip = &p->layer[p->l3];
	uint32_t n = len;

	if (ofd_parse_ip_len(d, len, p, p->l3, &n, NULL) == -EINVAL)
		return len;
	return ip->off <= len && n < len - ip->off ? ip->off + n : len;
}

static int plen_bucket(uint32_t n)
{
	if (n <= 2)
		return (int)n; /* B_0, B_1, B_2 */
	if (n < 64)
		return n & 1 ? B_3_63_ODD : B_3_63_EVEN;
	if (n < 1460)
		return n & 1 ? B_64_1459_ODD : B_64_1459_EVEN;
	if (n == 1460)
		return B_1460;
	return n <= 1500 ? B_1461_1500 : B_JUMBO;
}

/*
 * Checksum state of the innermost L4: C_VALID, C_INVALID, C_UDP_NONE or
 * C_NOT_CHECKED. *zero_sum tells whether the true checksum is 0x0000 (the
 * kernel stores 0xffff then, probe T6).
 */
static int csum_state(const uint8_t *d, uint32_t len,
		      const struct ofd_parsed *p, bool *zero_sum)
{
	static const uint8_t zeros[4];
	const struct ofd_layer *l4;
	uint32_t sum = 0, l4len, end, crc, stored;
	uint16_t field;
	int fo;

	*zero_sum = false;
	if (p->l4 < 0 || p->l3 < 0)
		return C_NOT_CHECKED;
	l4 = &p->layer[p->l4];
	if (l4->off > len || l4->len > len - l4->off)
		return C_NOT_CHECKED;
	switch (l4->proto) {
	case OFD_P_SCTP:
		/* CRC32c with the field taken as zero (RFC 9260 6.8). */
		if (l4->len < 12)
			return C_NOT_CHECKED;
		crc = ofd_crc32c(0xffffffffu, d + l4->off, 8);
		crc = ofd_crc32c(crc, zeros, 4);
		crc = ~ofd_crc32c(crc, d + l4->off + 12, len - l4->off - 12);
		stored = (uint32_t)d[l4->off + 8] |
			 (uint32_t)d[l4->off + 9] << 8 |
			 (uint32_t)d[l4->off + 10] << 16 |
			 (uint32_t)d[l4->off + 11] << 24;
		return crc == stored ? C_VALID : C_INVALID;
	case OFD_P_TCP: fo = 16; break;
	case OFD_P_UDP: fo = 6; break;
	case OFD_P_ICMP:
	case OFD_P_ICMPV6: fo = 2; break;
	default: return C_NOT_CHECKED;
	}
	if (ofd_get_be16(d, len, l4->off + (uint32_t)fo, &field))
		return C_NOT_CHECKED;
	if (l4->proto == OFD_P_UDP && field == 0)
		return C_UDP_NONE;
	end = l3_end(d, len, p);
	l4len = end > l4->off ? end - l4->off : 0;
	if (l4->proto != OFD_P_ICMP &&
	    ofd_parse_pseudo(d, len, p, p->l4, l4len, 0, &sum))
		return C_NOT_CHECKED;
	/* The kernel sums to the frame end (probe Q1). */
	sum = ofd_csum_partial(d + l4->off, len - l4->off, sum);
	/* Without the stored field: is the true checksum 0? */
	*zero_sum = ofd_csum_fold(ofd_csum_sub(sum, field)) == 0;
	return ofd_fold16(sum) == 0xffff ? C_VALID : C_INVALID;
}

static int add_path(struct stats *s, const char *path)
{
	struct path_count *np;
	size_t i;

	for (i = 0; i < s->npaths; i++) {
		if (!strcmp(s->paths[i].path, path)) {
			s->paths[i].n++;
			return 0;
		}
	}
	if (s->npaths == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 64;

		np = realloc(s->paths, ncap * sizeof(*np));
		if (!np)
			return -ENOMEM;
		s->paths = np;
		s->cap = ncap;
	}
	s->paths[s->npaths].path = strdup(path);
	if (!s->paths[s->npaths].path)
		return -ENOMEM;
	s->paths[s->npaths++].n = 1;
	return 0;
}

static int count_frame(struct stats *s, const uint8_t *d, uint32_t len)
{
	struct ofd_parsed p;
	char path[512];
	uint32_t i, ntags = 0;
	bool has_eth, zero;
	int t, l4;

	ofd_parse(d, len, 0, &p);
	s->frames++;
	if (p.stop < STOP__N)
		s->stop[p.stop]++;

	has_eth = p.nlayers && p.layer[0].proto == OFD_P_ETH;
	for (i = 1; i < p.nlayers && p.layer[i].depth == 0; i++)
		if (p.layer[i].proto == OFD_P_VLAN ||
		    p.layer[i].proto == OFD_P_QINQ)
			ntags++;
	s->l2[!has_eth ? L2_NONE : ntags >= 2 ? L2_QINQ :
	      ntags ? L2_VLAN : L2_PLAIN]++;

	if (p.outer_l3 < 0)
		s->l3[L3_NONE]++;
	else if (p.layer[p.outer_l3].proto == OFD_P_IPV6)
		s->l3[L3_V6]++;
	else
		s->l3[p.layer[p.outer_l3].len > 20 ? L3_V4OPT : L3_V4]++;

	{
		bool seen[X__N] = { false };

		for (i = 0; i < p.nlayers; i++) {
			const struct ofd_layer *l = &p.layer[i];
			uint8_t sl = 0;

			switch (l->proto) {
			case OFD_P_HBH: seen[X_HBH] = true; break;
			case OFD_P_DSTOPTS: seen[X_DST] = true; break;
			case OFD_P_RTHDR: seen[X_RTHDR] = true; break;
			case OFD_P_FRAG: seen[X_FRAG] = true; break;
			case OFD_P_SRH:
				ofd_get_u8(d, len, l->off + 3, &sl);
				seen[sl ? X_SRHN : X_SRH0] = true;
				break;
			default: break;
			}
		}
		for (i = 0; i < X__N; i++)
			s->ext[i] += seen[i];
	}

	l4 = p.l4 >= 0 ? l4_index(p.layer[p.l4].proto) : P_OTHER;
	s->l4[l4]++;
	t = tunnel_of(&p);
	if (t >= 0) {
		s->tun[t]++;
		s->tun_l4[t][l4]++;
	}

	if (p.l4 >= 0 && p.l3 >= 0) {
		const struct ofd_layer *l = &p.layer[p.l4];
		uint32_t end = l3_end(d, len, &p);
		uint32_t hend = l->off + l->len;

		s->plen[plen_bucket(end > hend ? end - hend : 0)]++;
	} else {
		s->plen[B_NO_L4]++;
	}
	s->csum[csum_state(d, len, &p, &zero)]++;
	s->csum[C_ZERO_SUM] += zero;

	ofd_parse_path(&p, path, sizeof(path));
	return add_path(s, path[0] ? path : "(none)");
}

static int cmp_path(const void *a, const void *b)
{
	const struct path_count *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static json_t *json_counts(const char *const *keys, const uint64_t *n,
			   size_t cnt)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < cnt; i++)
		json_object_set_new(o, keys[i], json_integer((json_int_t)n[i]));
	return o;
}

static int print_json(const struct stats *s, const struct ofd_corpus *c)
{
	json_t *root = json_object(), *files = json_array(), *tun, *paths;
	json_t *per_file = json_array();
	size_t i;

	for (i = 0; i < c->nfiles; i++) {
		const struct ofd_corpus_file *fi = &c->file_info[i];

		json_array_append_new(files, json_string(c->files[i]));
		json_array_append_new(per_file, json_pack("{s:s, s:I, s:I, s:I, s:I}",
			"file", c->files[i], "records", (json_int_t)fi->records,
			"frames", (json_int_t)fi->frames,
			"frames_cut", (json_int_t)fi->cut,
			"snaplen", (json_int_t)fi->snaplen));
	}
	json_object_set_new(root, "files", files);
	/* frames: loaded and counted below; frames_cut: records the
	 * snaplen cut, skipped and not counted anywhere else. */
	json_object_set_new(root, "per_file", per_file);
	json_object_set_new(root, "frames", json_integer((json_int_t)s->frames));
	json_object_set_new(root, "frames_cut", json_integer((json_int_t)c->frames_cut));
	json_object_set_new(root, "l2", json_counts(l2_keys, s->l2, L2__N));
	json_object_set_new(root, "l3", json_counts(l3_keys, s->l3, L3__N));
	json_object_set_new(root, "ipv6_ext",
			    json_counts(ext_keys, s->ext, X__N));
	json_object_set_new(root, "l4", json_counts(l4_keys, s->l4, P__N));
	tun = json_object();
	for (i = 0; i < T__N; i++) {
		json_t *o = json_counts(l4_keys, s->tun_l4[i], P__N);

		json_object_set_new(o, "total",
				    json_integer((json_int_t)s->tun[i]));
		json_object_set_new(tun, tun_keys[i], o);
	}
	json_object_set_new(root, "tunnels", tun);
	json_object_set_new(root, "payload_len",
			    json_counts(plen_keys, s->plen, B__N));
	json_object_set_new(root, "l4_csum", json_counts(csum_keys, s->csum, C__N));
	json_object_set_new(root, "parse_stop",
			    json_counts(stop_keys, s->stop, STOP__N));
	paths = json_object();
	for (i = 0; i < s->npaths; i++)
		json_object_set_new(paths, s->paths[i].path,
				    json_integer((json_int_t)s->paths[i].n));
	json_object_set_new(root, "paths", paths);

	return ofd_cli_json_print(root);
}

static void print_row(const char *title, const char *const *keys,
		      const uint64_t *n, size_t cnt)
{
	size_t i;

	printf("%-12s", title);
	for (i = 0; i < cnt; i++)
		printf("%s%s %llu", i ? ", " : "", keys[i],
		       (unsigned long long)n[i]);
	printf("\n");
}

static void print_text(const struct stats *s, const struct ofd_corpus *c)
{
	size_t i;

	printf("%-12s%llu in %u file%s\n", "frames",
	       (unsigned long long)s->frames, c->nfiles,
	       c->nfiles == 1 ? "" : "s");
	printf("%-12s%u (cut by the capture's snaplen, skipped)\n", "frames cut",
	       c->frames_cut);
	for (i = 0; i < c->nfiles; i++) {
		const struct ofd_corpus_file *fi = &c->file_info[i];

		if (fi->cut)
			printf("  %s: %u of %u records, snaplen %u, first at packet %u\n",
			       c->files[i], fi->cut, fi->records, fi->snaplen,
			       fi->first_cut);
	}
	print_row("l2", l2_keys, s->l2, L2__N);
	print_row("l3", l3_keys, s->l3, L3__N);
	print_row("ipv6 ext", ext_keys, s->ext, X__N);
	print_row("l4", l4_keys, s->l4, P__N);
	for (i = 0; i < T__N; i++) {
		char title[32];

		snprintf(title, sizeof(title), "%s %llu", tun_keys[i],
			 (unsigned long long)s->tun[i]);
		printf("tunnel      ");
		print_row(title, l4_keys, s->tun_l4[i], P__N);
	}
	print_row("payload len", plen_keys, s->plen, B__N);
	print_row("l4 csum", csum_keys, s->csum, C__N);
	print_row("parse stop", stop_keys, s->stop, STOP__N);
	printf("paths (%zu)\n", s->npaths);
	for (i = 0; i < s->npaths; i++)
		printf("  %8llu  %s\n", (unsigned long long)s->paths[i].n,
		       s->paths[i].path);
}

static int do_stats(int argc, char **argv)
{
	struct ofd_corpus corpus = { 0 };
	struct stats *s;
	char err[1024];
	int c, ret = OFD_EXIT_EQUAL;
	uint32_t i;

	c = ofd_cli_parse(NULL, &argc, argv);
	if (c)
		return ofd_cli_parse_exit(c);
	for (c = 1; c < argc; c++) {
		int e;

		err[0] = '\0';
		e = ofd_corpus_load(&corpus, argv[c], err, sizeof(err));
		if (e) {
			if (err[0])
				ofd_cli_err("%s", err);
			else
				ofd_cli_err("%s: %s", ofd_cli_q(argv[c]), strerror(-e));
			ofd_corpus_free(&corpus);
			return OFD_EXIT_USAGE;
		}
	}

	s = calloc(1, sizeof(*s));
	if (!s) {
		ofd_corpus_free(&corpus);
		ofd_cli_err("corpus stats: %s", strerror(ENOMEM));
		return OFD_EXIT_USAGE;
	}
	for (i = 0; i < corpus.npkts; i++) {
		if (count_frame(s, corpus.pkts[i].data, corpus.pkts[i].len)) {
			ofd_cli_err("corpus stats: %s", strerror(ENOMEM));
			ret = OFD_EXIT_USAGE;
			goto out;
		}
	}
	qsort(s->paths, s->npaths, sizeof(*s->paths), cmp_path);
	if (ofd_g.json) {
		if (print_json(s, &corpus)) {
			ofd_cli_err("corpus stats: %s", strerror(ENOMEM));
			ret = OFD_EXIT_USAGE;
		}
	} else {
		print_text(s, &corpus);
	}
out:
	for (i = 0; i < s->npaths; i++)
		free(s->paths[i].path);
	free(s->paths);
	free(s);
	ofd_corpus_free(&corpus);
	return ret;
}

static const struct ofd_verb corpus_verbs[] = {
	{ "gen", do_gen, NULL,
	  "write the bundled corpus, byte for byte the committed one (-q: no file list)", NULL,
	  gen_opts, 0, 0, 0 },
	{ "stats", do_stats, "FILE...",
	  "what the frames cover: L2, L3, IPv6 extension headers, L4, tunnels, lengths, checksums, paths",
	  NULL, NULL, 1, OFD_ARGS_ANY, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_corpus = { "corpus", "generate or describe corpora",
					   corpus_verbs };
