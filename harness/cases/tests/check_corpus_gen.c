// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_corpus_gen.c - the bundled tx-csum corpus (harness/cases/corpus_gen.c)
 * and `offdiff corpus gen|stats` (harness/cli/corpus.c). The random case
 * generator (harness/cases/random.c) is tested in check_randcase.c (suite
 * randcase).
 *
 * Layers are located with the parser; every checksum is recomputed by
 * plain 16-bit summation and a bitwise CRC32c (corpus_test_util.h).
 *
 * Cases:
 *  corpus:   generating twice gives identical bytes, equal to the committed
 *            corpus/ files of every offload (tx-csum, tso, gro with the
 *            timestamps that mark its trains), so the bundled corpus is
 *            current;
 *            foreach numbers frames and stops on a callback error; the
 *            info counts match; a bad output directory is an error with
 *            the path in the message.
 *  verify:   every frame of every file parses to the end and its IPv4
 *            header and L4 checksums verify the way the kernel computes
 *            them (kernel-tx.md 2.2: pseudo-header length from the IP
 *            header, sum to the frame end; 8.1: the final address of a
 *            routing header with segments left, else the IPv6
 *            destination); tunnel UDP
 *            checksums are 0; GRE checksums cover header + payload.
 *  coverage: base has every L2 x L3 x L4 x payload combination the issue
 *            lists, ipv6-ext every extension-header kind x L4 x payload
 *            (SRH segments-left 0 with the destination = segment[0], > 0
 *            with the destination = segment[segments_left] != segment[0],
 *            atomic fragments), tunnels every tunnel x outer x inner x L4 x
 *            payload, edge the zero-sum, short, padded, trailer and ICMP
 *            frames, srh-final every disputed routing shape (SRH
 *            segments-left 0 with DA != Segment List[0], types 0/2/3,
 *            two routing headers).
 *  cli:      `corpus gen --out`, `corpus stats --json` agreeing with the
 *            independent checks here, and the exit-2 errors.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "ofd.h"
#include "ofd_corpus_gen.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_test.h"
#include "corpus_test_util.h"

#define run(text, ...) ofd_test_run(text, false, __VA_ARGS__)

/* ---- corpus: determinism ----------------------------------------- */

static char *read_all(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long sz;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)sz + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)sz, f), (size_t)sz);
	fclose(f);
	*n = (size_t)sz;
	return buf;
}

static void rm_rf(const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_deterministic)
{
	char d1[256], d2[256];
	size_t nfiles = ofd_corpus_gen_nfiles(), f;
	struct ofd_corpus_gen_info *info = calloc(nfiles, sizeof(*info));
	char err[512], p1[600], p2[600], pc[600];
	static const char *const must[] = {
		"tx-csum/base.pcap", "tso/base.pcap", "gro/tcp4.pcap", "gro/tcp6.pcap",
		"gro/tunnels.pcap", "gro/interleaved.pcap", "gro/udp.pcap",
	};
	size_t m;

	ofd_test_mkdtemp(d1, sizeof(d1), "cgen");
	ofd_test_mkdtemp(d2, sizeof(d2), "cgen");
	ck_assert_msg(ofd_corpus_gen_ex(d1, info, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(ofd_corpus_gen(d2, err, sizeof(err)) == 0, "%s", err);
	/* every tx-csum file, at least */
	ck_assert_uint_ge(nfiles, OFD_CORPUS_GEN__NFILES);
	for (f = 0; f < nfiles; f++) {
		size_t n1, n2, nc;
		char *b1, *b2, *bc;

		snprintf(p1, sizeof(p1), "%s/%s", d1, info[f].file);
		snprintf(p2, sizeof(p2), "%s/%s", d2, info[f].file);
		snprintf(pc, sizeof(pc), OFD_TEST_ROOT "/corpus/%s", info[f].file);
		ck_assert_str_eq(info[f].path, p1);
		ck_assert_uint_gt(info[f].npkts, 0);
		b1 = read_all(p1, &n1);
		b2 = read_all(p2, &n2);
		bc = read_all(pc, &nc);
		ck_assert_ptr_nonnull(b1);
		ck_assert_ptr_nonnull(b2);
		ck_assert_msg(bc, "%s missing: run `offdiff corpus gen`", pc);
		/* 24-byte file header, 16 bytes per record header */
		ck_assert_uint_eq(n1, 24 + 16 * info[f].npkts + info[f].bytes);
		ck_assert_uint_eq(n1, n2);
		ck_assert_int_eq(memcmp(b1, b2, n1), 0);
		ck_assert_msg(n1 == nc && !memcmp(b1, bc, n1),
			      "%s is not what the generator writes: run `offdiff corpus gen`",
			      pc);
		/* no temporary file left behind */
		strncat(p1, ".tmp", sizeof(p1) - strlen(p1) - 1);
		ck_assert_int_ne(access(p1, F_OK), 0);
		free(b1);
		free(b2);
		free(bc);
	}
	/* every offload's files among them, gro's timestamps included in
	 * the bytes compared above */
	for (m = 0; m < OFD_ARRAY_SIZE(must); m++) {
		for (f = 0; f < nfiles && strcmp(info[f].file, must[m]); f++)
			;
		ck_assert_msg(f < nfiles, "corpus gen does not write %s", must[m]);
	}
	rm_rf(d1);
	rm_rf(d2);
	free(info);
}
END_TEST

struct count_ctx {
	uint32_t n, file, stop_at;
	int ret;
};

static int count_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct count_ctx *c = ctx;

	ck_assert_uint_eq(f->file, c->file);
	ck_assert_uint_eq(f->index, c->n);
	ck_assert_ptr_nonnull(f->desc);
	ck_assert_uint_gt(strlen(f->desc), 0);
	ck_assert_uint_le(f->len, 9216);
	ck_assert_uint_ge(f->len, 42);
	c->n++;
	return c->n == c->stop_at ? c->ret : 0;
}

START_TEST(test_foreach)
{
	struct count_ctx c = { .file = OFD_CORPUS_GEN_TUNNELS, .stop_at = 5,
			       .ret = -ECANCELED };
	char err[512];

	ck_assert_int_eq(ofd_corpus_gen_foreach(OFD_CORPUS_GEN_TUNNELS, count_cb, &c),
			 -ECANCELED);
	ck_assert_uint_eq(c.n, 5);
	ck_assert_int_eq(ofd_corpus_gen_foreach(OFD_CORPUS_GEN__NFILES, count_cb, &c),
			 -EINVAL);
	/* tx-csum's scenarios name every generated file once, under tx-csum/ */
	{
		const struct ofd_offload_cases *oc =
			ofd_offload_get(OFD_OFFLOAD_TX_CSUM)->cases;
		unsigned int seen = 0, k;

		ck_assert_uint_eq(oc->nscenarios, OFD_CORPUS_GEN__NFILES);
		for (k = 0; k < oc->nscenarios; k++) {
			ck_assert_uint_lt(oc->scenarios[k].which, OFD_CORPUS_GEN__NFILES);
			seen |= 1u << oc->scenarios[k].which;
			ck_assert(!strncmp(oc->scenarios[k].file, "tx-csum/", 8));
		}
		ck_assert_uint_eq(seen, (1u << OFD_CORPUS_GEN__NFILES) - 1);
	}

	/* A regular file where the directory should be. */
	ck_assert_int_lt(ofd_corpus_gen("/dev/null/x", err, sizeof(err)), 0);
	ck_assert_msg(!strncmp(err, "/dev/null/x", 11), "%s", err);
}
END_TEST

/* ---- corpus: every checksum -------------------------------------- */

static int verify_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	const uint8_t *d = f->data;
	struct ofd_parsed p;
	uint32_t i, len = f->len;

	(void)ctx;
	ofd_parse(d, len, 0, &p);
	ck_assert_msg(p.stop == OFD_STOP_END, "%s: parse stop %u", f->desc, p.stop);
	ck_assert_msg(p.l4 >= 0, "%s: no L4", f->desc);
	for (i = 0; i < p.nlayers; i++) {
		const struct ofd_layer *l = &p.layer[i];
		int fo = csum_off(l->proto);

		switch (l->proto) {
		case OFD_P_IPV4:
			ck_assert_msg(ofd_test_fold(ofd_test_sum(d + l->off, l->len, 0)) == 0xffff,
				      "%s: ipv4 header checksum", f->desc);
			ck_assert_uint_le(ip_end(d, l), len);
			break;
		case OFD_P_IPV6:
			ck_assert_uint_le(ip_end(d, l), len);
			break;
		case OFD_P_UDP:
			if (i + 1 < p.nlayers &&
			    (p.layer[i + 1].proto == OFD_P_VXLAN ||
			     p.layer[i + 1].proto == OFD_P_GENEVE)) {
				ck_assert_msg(rd16(d + l->off + 6) == 0,
					      "%s: tunnel UDP checksum", f->desc);
				break;
			}
			/* fall through */
		case OFD_P_TCP:
		case OFD_P_ICMP:
		case OFD_P_ICMPV6:
			ck_assert_msg(l4_fold(d, len, &p, (int)i, fo,
					      rd16(d + l->off + fo)) == 0xffff,
				      "%s: %s checksum", f->desc,
				      ofd_proto_name(l->proto));
			ck_assert_msg(rd16(d + l->off + fo) != 0, "%s: checksum 0",
				      f->desc);
			break;
		case OFD_P_SCTP: {
			const uint8_t *s = d + l->off;
			uint32_t crc = crc32c_bitwise(s, len - l->off, 8);

			ck_assert_msg((s[8] | s[9] << 8 | s[10] << 16 |
				       (uint32_t)s[11] << 24) == crc,
				      "%s: sctp crc32c", f->desc);
			break;
		}
		case OFD_P_GRE:
			if (d[l->off] & 0x80)
				ck_assert_msg(ofd_test_fold(ofd_test_sum(d + l->off,
								   len - l->off, 0)) == 0xffff,
					      "%s: gre checksum", f->desc);
			break;
		default:
			break;
		}
	}
	return 0;
}

START_TEST(test_verify)
{
	ck_assert_int_eq(ofd_corpus_gen_foreach((unsigned int)_i, verify_cb, NULL), 0);
}
END_TEST

/* ---- corpus: coverage -------------------------------------------- */

#define MAX_KEYS 1024

struct keyset {
	char key[MAX_KEYS][80];
	uint32_t n;
};

static void key_add(struct keyset *k, const char *s)
{
	uint32_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->key[i], s))
			return;
	ck_assert_uint_lt(k->n, MAX_KEYS);
	snprintf(k->key[k->n++], sizeof(k->key[0]), "%s", s);
}

static bool key_has(const struct keyset *k, const char *s)
{
	uint32_t i;

	for (i = 0; i < k->n; i++)
		if (!strcmp(k->key[i], s))
			return true;
	return false;
}

/* User payload of the innermost L4: bytes after the header up to the IP
 * datagram end; SCTP: the first DATA chunk's length minus its header. */
static uint32_t user_payload(const uint8_t *d, const struct ofd_parsed *p)
{
	const struct ofd_layer *l = &p->layer[p->l4];

	if (l->proto == OFD_P_SCTP)
		return rd16(d + l->off + 12 + 2) - 16u;
	return ip_end(d, &p->layer[p->l3]) - (l->off + l->len);
}

static const char *l4_name(uint8_t proto)
{
	return ofd_proto_name(proto);
}

static int base_key_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct keyset *k = ctx;
	struct ofd_parsed p;
	const char *l2 = "plain", *l3;
	char key[80];
	uint32_t i;

	ofd_parse(f->data, f->len, 0, &p);
	for (i = 1; i < p.nlayers; i++)
		if (p.layer[i].proto == OFD_P_QINQ)
			l2 = "qinq";
		else if (p.layer[i].proto == OFD_P_VLAN && strcmp(l2, "qinq"))
			l2 = "vlan";
	l3 = p.layer[p.l3].proto == OFD_P_IPV6 ? "ipv6" :
	     p.layer[p.l3].len > 20 ? "ipv4opt" : "ipv4";
	snprintf(key, sizeof(key), "%s/%s/%s/%u", l2, l3,
		 l4_name(p.layer[p.l4].proto), user_payload(f->data, &p));
	key_add(k, key);
	return 0;
}

START_TEST(test_cover_base)
{
	static const char *const l2s[] = { "plain", "vlan", "qinq" };
	static const char *const l3s[] = { "ipv4", "ipv4opt", "ipv6" };
	static const char *const l4s[] = { "tcp", "udp", "sctp" };
	static const uint32_t pl[] = { 0, 1, 2, 333, 1460, 9000 };
	static struct keyset k;
	unsigned int a, b, c, e;
	char key[80];

	k.n = 0;
	ck_assert_int_eq(ofd_corpus_gen_foreach(OFD_CORPUS_GEN_BASE, base_key_cb, &k), 0);
	for (a = 0; a < 3; a++)
	for (b = 0; b < 3; b++)
	for (c = 0; c < 3; c++)
	for (e = 0; e < OFD_ARRAY_SIZE(pl); e++) {
		snprintf(key, sizeof(key), "%s/%s/%s/%u", l2s[a], l3s[b], l4s[c], pl[e]);
		ck_assert_msg(key_has(&k, key), "base.pcap lacks %s", key);
	}
}
END_TEST

/* IPv6 extension features of a frame, as key prefixes. */
static int ext_key_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct keyset *k = ctx;
	const uint8_t *d = f->data;
	struct ofd_parsed p;
	char key[80];
	const char *feat[8];
	unsigned int nf = 0, j;
	bool hbh = false, srh_then_dst = false, srh = false;
	uint32_t i;

	ofd_parse(d, f->len, 0, &p);
	for (i = 0; i < p.nlayers; i++) {
		const struct ofd_layer *l = &p.layer[i];

		switch (l->proto) {
		case OFD_P_HBH:
			feat[nf++] = "hbh";
			hbh = true;
			break;
		case OFD_P_DSTOPTS:
			feat[nf++] = "dstopts";
			if (hbh && srh)
				srh_then_dst = true;
			break;
		case OFD_P_FRAG:
			/* atomic: offset 0, M 0 (RFC 6946) */
			if (rd16(d + l->off + 2) == 0)
				feat[nf++] = "frag-atomic";
			break;
		case OFD_P_SRH: {
			const uint8_t *h = d + l->off, *dst = d + p.layer[p.l3].off + 24;
			uint8_t sl = h[3], n = (uint8_t)(h[1] / 2);

			srh = true;
			ck_assert_uint_lt(sl, n);
			/* RFC 8754: the destination is the active segment */
			ck_assert(!memcmp(dst, h + 8 + 16 * sl, 16));
			if (sl == 0)
				feat[nf++] = "srh-sl0";
			else if (memcmp(dst, h + 8, 16))
				feat[nf++] = "srh-slgt0";
			break;
		}
		default:
			break;
		}
	}
	if (srh_then_dst)
		feat[nf++] = "hbh-srh-dstopts";
	for (j = 0; j < nf; j++) {
		snprintf(key, sizeof(key), "%s/%s/%u", feat[j],
			 l4_name(p.layer[p.l4].proto), user_payload(d, &p));
		key_add(k, key);
	}
	return 0;
}

START_TEST(test_cover_ext)
{
	static const char *const feats[] = { "hbh", "dstopts", "srh-sl0",
					     "srh-slgt0", "hbh-srh-dstopts",
					     "frag-atomic" };
	static const char *const l4s[] = { "tcp", "udp", "sctp" };
	static const uint32_t pl[] = { 0, 1, 2, 333, 1460 };
	static struct keyset k;
	unsigned int a, c, e;
	char key[80];

	k.n = 0;
	ck_assert_int_eq(ofd_corpus_gen_foreach(OFD_CORPUS_GEN_IPV6_EXT, ext_key_cb, &k), 0);
	for (a = 0; a < OFD_ARRAY_SIZE(feats); a++)
	for (c = 0; c < 3; c++)
	for (e = 0; e < OFD_ARRAY_SIZE(pl); e++) {
		snprintf(key, sizeof(key), "%s/%s/%u", feats[a], l4s[c], pl[e]);
		ck_assert_msg(key_has(&k, key), "ipv6-ext.pcap lacks %s", key);
	}
}
END_TEST

static int tun_key_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct keyset *k = ctx;
	struct ofd_parsed p;
	const char *tun = "none";
	char key[80];
	uint32_t i;

	ofd_parse(f->data, f->len, 0, &p);
	for (i = 1; i < p.nlayers; i++) {
		uint8_t pr = p.layer[i].proto;

		if (pr == OFD_P_VXLAN || pr == OFD_P_GENEVE || pr == OFD_P_GRE) {
			tun = ofd_proto_name(pr);
			break;
		}
		if ((pr == OFD_P_IPV4 || pr == OFD_P_IPV6) &&
		    (p.layer[i - 1].proto == OFD_P_IPV4 ||
		     p.layer[i - 1].proto == OFD_P_IPV6)) {
			tun = "ipip";
			break;
		}
	}
	snprintf(key, sizeof(key), "%s/%s/%s/%s/%u", tun,
		 ofd_proto_name(p.layer[p.outer_l3].proto),
		 ofd_proto_name(p.layer[p.l3].proto),
		 l4_name(p.layer[p.l4].proto), user_payload(f->data, &p));
	ck_assert_int_gt(p.layer[p.l4].depth, 0);
	key_add(k, key);
	return 0;
}

START_TEST(test_cover_tunnels)
{
	static const char *const tuns[] = { "vxlan", "geneve", "gre", "ipip" };
	static const char *const ips[] = { "ipv4", "ipv6" };
	static const char *const l4s[] = { "tcp", "udp" };
	static const uint32_t pl[] = { 0, 1, 333, 1460 };
	static struct keyset k;
	unsigned int t, o, i, c, e;
	char key[80];

	k.n = 0;
	ck_assert_int_eq(ofd_corpus_gen_foreach(OFD_CORPUS_GEN_TUNNELS, tun_key_cb, &k), 0);
	for (t = 0; t < 4; t++)
	for (o = 0; o < 2; o++)
	for (i = 0; i < 2; i++)
	for (c = 0; c < 2; c++)
	for (e = 0; e < OFD_ARRAY_SIZE(pl); e++) {
		snprintf(key, sizeof(key), "%s/%s/%s/%s/%u", tuns[t], ips[o],
			 ips[i], l4s[c], pl[e]);
		ck_assert_msg(key_has(&k, key), "tunnels.pcap lacks %s", key);
	}
}
END_TEST

/* edge.pcap features. */
enum {
	E_ZERO_UDP4, E_ZERO_UDP6, E_ZERO_TCP, E_SHORT_UDP6_1, E_SHORT_UDP6_2,
	E_SHORT_TCP_1, E_SHORT_TCP_2, E_SHORT_TCP_3, E_PAD60_UDP, E_TRAILER,
	E_ICMP4_ECHO, E__N
};
static const char *const edge_names[E__N] = {
	"zero-sum udp/ipv4", "zero-sum udp/ipv6", "zero-sum tcp",
	"ipv6 udp payload 1 (field in the last bytes)",
	"ipv6 udp payload 2", "tcp payload 1", "tcp payload 2",
	"tcp payload 3", "60-byte frame with zero padding after short udp",
	"non-zero trailer after the datagram", "icmp echo over ipv4",
};

static int edge_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	unsigned int *seen = ctx;
	const uint8_t *d = f->data;
	struct ofd_parsed p;
	const struct ofd_layer *l4, *l3;
	uint32_t end, pl, i;
	int fo;
	bool v6, nonzero = false;

	ofd_parse(d, f->len, 0, &p);
	l4 = &p.layer[p.l4];
	l3 = &p.layer[p.l3];
	v6 = l3->proto == OFD_P_IPV6;
	end = ip_end(d, l3);
	pl = end - (l4->off + l4->len);
	fo = csum_off(l4->proto);

	/* The field holds 0xffff and the sum without it is already 0xffff:
	 * the true checksum is 0. */
	if (fo > 0 && rd16(d + l4->off + fo) == 0xffff &&
	    l4_fold(d, f->len, &p, p.l4, fo, 0) == 0xffff) {
		if (l4->proto == OFD_P_UDP)
			seen[v6 ? E_ZERO_UDP6 : E_ZERO_UDP4]++;
		if (l4->proto == OFD_P_TCP)
			seen[E_ZERO_TCP]++;
	}
	if (end == f->len && l4->proto == OFD_P_UDP && v6 && pl == 1)
		seen[E_SHORT_UDP6_1]++;
	if (end == f->len && l4->proto == OFD_P_UDP && v6 && pl == 2)
		seen[E_SHORT_UDP6_2]++;
	if (end == f->len && l4->proto == OFD_P_TCP && pl >= 1 && pl <= 3)
		seen[E_SHORT_TCP_1 + pl - 1]++;
	for (i = end; i < f->len; i++)
		nonzero |= d[i] != 0;
	if (f->len == 60 && end < 60 && !nonzero && l4->proto == OFD_P_UDP)
		seen[E_PAD60_UDP]++;
	if (end < f->len && nonzero)
		seen[E_TRAILER]++;
	if (l4->proto == OFD_P_ICMP && d[l4->off] == 8)
		seen[E_ICMP4_ECHO]++;
	return 0;
}

START_TEST(test_cover_edge)
{
	unsigned int seen[E__N] = { 0 }, i;

	ck_assert_int_eq(ofd_corpus_gen_foreach(OFD_CORPUS_GEN_EDGE, edge_cb, seen), 0);
	for (i = 0; i < E__N; i++)
		ck_assert_msg(seen[i] > 0, "edge.pcap lacks %s", edge_names[i]);
}
END_TEST

/* ---- cli --------------------------------------------------------- */



struct tally {
	uint32_t frames, zero_sum, vxlan;
};

static int tally_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct tally *t = ctx;
	struct ofd_parsed p;
	const struct ofd_layer *l4;
	uint32_t i;
	int fo;

	ofd_parse(f->data, f->len, 0, &p);
	t->frames++;
	for (i = 0; i < p.nlayers; i++)
		t->vxlan += p.layer[i].proto == OFD_P_VXLAN;
	l4 = &p.layer[p.l4];
	fo = csum_off(l4->proto);
	if (fo > 0 && l4_fold(f->data, f->len, &p, p.l4, fo, 0) == 0xffff)
		t->zero_sum++;
	return 0;
}

START_TEST(test_cli)
{
	const char *bin = ofd_test_offdiff();
	char dir[256], *out;
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TX_CSUM)->cases;
	struct tally t = { 0 };
	json_error_t je;
	json_t *j;
	unsigned int f;

	ck_assert_msg(access(bin, X_OK) == 0, "%s not built (make)", bin);
	ofd_test_mkdtemp(dir, sizeof(dir), "cgen");
	ck_assert_int_eq(run(&out, "%s corpus gen --out %s", bin, dir), 0);
	for (f = 0; f < oc->nscenarios; f++) {
		char want[600];

		snprintf(want, sizeof(want), "%s/%s: ", dir, oc->scenarios[f].file);
		ck_assert_msg(strstr(out, want), "gen output lacks %s:\n%s", want, out);
		ck_assert_int_eq(ofd_corpus_gen_foreach(oc->scenarios[f].which, tally_cb, &t), 0);
	}
	free(out);

	ck_assert_int_eq(run(&out, "%s corpus stats --json %s/tx-csum/*.pcap", bin, dir), 0);
	j = json_loads(out, 0, &je);
	ck_assert_msg(j, "not JSON: %s", je.text);
	ck_assert_int_eq(json_integer_value(json_object_get(j, "frames")), t.frames);
	ck_assert_int_eq(json_array_size(json_object_get(j, "files")), OFD_CORPUS_GEN__NFILES);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "l4_csum"),
							    "invalid")), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "l4_csum"),
							    "sums_to_zero")), t.zero_sum);
	ck_assert_int_eq(json_integer_value(json_object_get(
				 json_object_get(json_object_get(j, "tunnels"), "vxlan"),
				 "total")), t.vxlan);
	ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "paths"),
							    "ipv6/srh/tcp")) > 0, 1);
	json_decref(j);
	free(out);

	ck_assert_int_eq(run(&out, "%s corpus stats %s/tx-csum/edge.pcap", bin, dir), 0);
	ck_assert_ptr_nonnull(strstr(out, "paths ("));
	free(out);

	/* Errors: one line on stderr, exit 2. */
	ck_assert_int_eq(run(&out, "%s corpus stats %s/nope.pcap 2>&1 >/dev/null", bin, dir), 2);
	ck_assert_msg(!strncmp(out, "offdiff: ", 9) && strstr(out, "nope.pcap: ") &&
		      strchr(out, '\n') == out + strlen(out) - 1, "%s", out);
	free(out);
	ck_assert_int_eq(run(&out, "%s corpus stats 2>&1", bin), 2);
	free(out);
	ck_assert_int_eq(run(&out, "%s corpus stats --bogus %s/x 2>&1", bin, dir), 2);
	free(out);
	ck_assert_int_eq(run(&out, "%s corpus gen --out /dev/null/x 2>&1", bin), 2);
	ck_assert_ptr_nonnull(strstr(out, "offdiff: /dev/null/x"));
	free(out);
	rm_rf(dir);
}
END_TEST

/* ---- srh-final.pcap ---------------------------------------------- */

static int srh_final_cb(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct ofd_parsed p;

	ofd_parse(f->data, f->len, 0, &p);
	rs_shapes(f->data, &p, ctx);
	return 0;
}

START_TEST(test_cover_srh_final)
{
	unsigned int seen[RS__N] = { 0 }, i;

	ck_assert_int_eq(ofd_corpus_gen_foreach(OFD_CORPUS_GEN_SRH_FINAL, srh_final_cb,
						seen), 0);
	for (i = 0; i < RS__N; i++)
		ck_assert_msg(seen[i] > 0, "srh-final.pcap lacks %s", rs_names[i]);
}
END_TEST

static Suite *corpus_gen_suite(void)
{
	Suite *s = suite_create("corpus_gen");
	TCase *tc = tcase_create("corpus");
	TCase *cli = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_deterministic);
	tcase_add_test(tc, test_foreach);
	tcase_add_loop_test(tc, test_verify, 0, OFD_CORPUS_GEN__NFILES);
	tcase_add_test(tc, test_cover_base);
	tcase_add_test(tc, test_cover_ext);
	tcase_add_test(tc, test_cover_tunnels);
	tcase_add_test(tc, test_cover_edge);
	tcase_add_test(tc, test_cover_srh_final);
	suite_add_tcase(s, tc);

	tcase_set_timeout(cli, 60);
	tcase_add_test(cli, test_cli);
	suite_add_tcase(s, cli);
	return s;
}

OFD_TEST_SUITE(corpus_gen_suite)
