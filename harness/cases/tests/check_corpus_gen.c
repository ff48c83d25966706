// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_corpus_gen.c - the bundled tx-csum corpus (harness/cases/corpus_gen.c),
 * `offdiff corpus gen|stats` (harness/cli/corpus.c) and the random case
 * generator (harness/cases/random.c).
 *
 * Layers are located with the parser; every checksum is recomputed here by
 * plain 16-bit summation and a bitwise CRC32c.
 *
 * Cases:
 *  corpus:   generating twice gives identical bytes, equal to the committed
 *            corpus/tx-csum/ files (so the bundled corpus is current);
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
 *  randcase: (seed, index) fixes the case whatever else was generated;
 *            seeds differ; a small cap only shortens frames; over 10,000
 *            draws every frame kind and request category appears, CORRECT
 *            is about 60% (64% drawn less 7% SCTP) and each of its cases
 *            is exactly what the stack derives (csum_start at the parsed innermost L4, offsets
 *            16/6/2, the seed fold16(pseudo), a not-really-GSO gso_size),
 *            NO_CSUM frames carry valid checksums, and the perturbations
 *            reach every validation step (csum_start < 20, odd and
 *            past-the-frame offsets, hdr_len past the frame, invalid gso
 *            types, gso_size 0 and 0xffff, frames shorter than 14/20/34);
 *            SRH segments-left 0 with DA != Segment List[0] and routing
 *            types 0/2 are drawn, and CORRECT seeds the former over the
 *            Destination Address.
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
#include "ofd_randcase.h"
#include "ofd_test.h"

#define run(text, ...) ofd_test_run(text, false, __VA_ARGS__)

/* ---- independent arithmetic -------------------------------------- */



static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t crc32c_bitwise(const uint8_t *p, size_t n, size_t zero_at)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= i >= zero_at && i < zero_at + 4 ? 0 : p[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

/* The IP layer of layer i's packet (same depth, walking back), and the
 * RFC 8200 8.1 final destination when a routing header with segments left
 * lies between (the last such header: SRH Segment List[0], types 0 and 2
 * their last address; segments left 0: the Destination Address, as the
 * live kernel's receive path validates). -1 if none. */
static int ip_of(const struct ofd_parsed *p, int i, const uint8_t *d,
		 const uint8_t **dst6)
{
	int j;

	*dst6 = NULL;
	for (j = i - 1; j >= 0 && p->layer[j].depth == p->layer[i].depth; j--) {
		const uint8_t *rh = d + p->layer[j].off;

		if ((p->layer[j].proto == OFD_P_SRH ||
		     p->layer[j].proto == OFD_P_RTHDR) && !*dst6 && rh[3]) {
			if (rh[2] == 4)
				*dst6 = rh + 8;
			else if (rh[2] == 0 || rh[2] == 2)
				*dst6 = rh + 8 + 16 * (rh[1] / 2 - 1);
		}
		if (p->layer[j].proto == OFD_P_IPV4 ||
		    p->layer[j].proto == OFD_P_IPV6)
			return j;
	}
	return -1;
}

/* Where the IP datagram of layer ip ends by its length field. */
static uint32_t ip_end(const uint8_t *d, const struct ofd_layer *ip)
{
	const uint8_t *h = d + ip->off;

	return h[0] >> 4 == 4 ? ip->off + rd16(h + 2) :
				ip->off + 40u + rd16(h + 4);
}

static uint32_t pseudo(const uint8_t *ip, const uint8_t *dst6, uint32_t l4len,
		       uint8_t proto)
{
	uint32_t acc;

	if (ip[0] >> 4 == 4)
		return ofd_test_sum(ip + 12, 8, 0) + proto + l4len;
	acc = ofd_test_sum(ip + 8, 16, 0);
	acc = ofd_test_sum(dst6 ? dst6 : ip + 24, 16, acc);
	return acc + (l4len >> 16) + (l4len & 0xffff) + proto;
}

static uint8_t pseudo_proto(uint8_t proto)
{
	return proto == OFD_P_TCP ? 6 : proto == OFD_P_UDP ? 17 : 58;
}

/* Sum of pseudo-header + L4 bytes to the frame end (the kernel's range),
 * with the 16-bit field at fo counted as `field`. */
static uint16_t l4_fold(const uint8_t *d, uint32_t len,
			const struct ofd_parsed *p, int i, int fo,
			uint16_t field)
{
	const struct ofd_layer *l = &p->layer[i];
	const uint8_t *dst6;
	uint32_t acc = 0;
	int ip = ip_of(p, i, d, &dst6);

	ck_assert_int_ge(ip, 0);
	if (l->proto != OFD_P_ICMP)
		acc = pseudo(d + p->layer[ip].off, dst6,
			     ip_end(d, &p->layer[ip]) - l->off,
			     pseudo_proto(l->proto));
	acc = ofd_test_sum(d + l->off, (size_t)fo, acc);
	acc += field;
	acc = ofd_test_sum(d + l->off + fo + 2, len - l->off - (uint32_t)fo - 2, acc);
	return ofd_test_fold(acc);
}

static int csum_off(uint8_t proto)
{
	switch (proto) {
	case OFD_P_TCP: return 16;
	case OFD_P_UDP: return 6;
	case OFD_P_ICMP:
	case OFD_P_ICMPV6: return 2;
	default: return -1;
	}
}

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
	char d1[] = "/tmp/ofd-cgen-XXXXXX", d2[] = "/tmp/ofd-cgen-XXXXXX";
	size_t nfiles = ofd_corpus_gen_nfiles(), f;
	struct ofd_corpus_gen_info *info = calloc(nfiles, sizeof(*info));
	char err[512], p1[600], p2[600], pc[600];

	ck_assert_ptr_nonnull(mkdtemp(d1));
	ck_assert_ptr_nonnull(mkdtemp(d2));
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

/* ---- randcase ---------------------------------------------------- */

#define RC_CAP 9216

struct rc {
	uint8_t buf[RC_CAP];
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct ofd_randcase_info info;
};

static void rc_make(struct rc *r, uint64_t seed, uint64_t idx, uint32_t cap)
{
	memset(r, 0, sizeof(*r));
	ck_assert_int_eq(ofd_randcase_make_ex(seed, idx, OFD_OFFLOAD_TX_CSUM, r->buf,
					      cap, &r->pkt, &r->c, &r->info), 0);
}

static bool rc_equal(const struct rc *a, const struct rc *b)
{
	return a->pkt.len == b->pkt.len &&
	       !memcmp(a->buf, b->buf, a->pkt.len) &&
	       !memcmp(&a->c.req, &b->c.req, sizeof(a->c.req)) &&
	       a->info.req == b->info.req && a->info.frame == b->info.frame;
}

START_TEST(test_rc_deterministic)
{
	static struct rc a, b, c;
	uint64_t i;
	unsigned int differ = 0;

	for (i = 0; i < 200; i++) {
		rc_make(&a, 42, i, RC_CAP);
		/* something else in between */
		rc_make(&c, 7, 1000 + i, RC_CAP);
		rc_make(&b, 42, i, RC_CAP);
		ck_assert_msg(rc_equal(&a, &b), "index %llu", (unsigned long long)i);
		ck_assert_ptr_eq(a.c.pkts, &a.pkt);
		ck_assert_ptr_eq(a.pkt.data, a.buf);
		ck_assert_uint_eq(a.c.npkts, 1);
		ck_assert_uint_eq(a.c.id, i);
		ck_assert_uint_eq(a.c.src_index, i);
		ck_assert_ptr_null(a.c.src_file);
		ck_assert_uint_eq(a.c.offload, OFD_OFFLOAD_TX_CSUM);
		ck_assert_uint_eq(a.c.req.kind, OFD_REQ_VNET);
		ck_assert_uint_eq(a.c.req.csum_type, OFD_CSUM_INET);
		rc_make(&c, 43, i, RC_CAP);
		differ += !rc_equal(&a, &c);
	}
	ck_assert_uint_ge(differ, 190);

	/* A small cap shortens frames but draws the same case. */
	for (i = 0; i < 500; i++) {
		rc_make(&a, 9, i, RC_CAP);
		rc_make(&b, 9, i, 256);
		ck_assert_uint_le(b.pkt.len, 256);
		ck_assert_uint_eq(a.info.req, b.info.req);
		ck_assert_uint_eq(a.info.frame, b.info.frame);
		ck_assert_uint_eq(a.info.l4_proto, b.info.l4_proto);
	}
	ck_assert_int_eq(ofd_randcase_make(1, 1, OFD_OFFLOAD_TSO, a.buf, RC_CAP,
					   &a.pkt, &a.c), -EOPNOTSUPP);
	ck_assert_int_eq(ofd_randcase_make(1, 1, OFD_OFFLOAD_TX_CSUM, a.buf, 63,
					   &a.pkt, &a.c), -EINVAL);
	ck_assert_str_eq(ofd_randcase_req_name(OFD_RC_REQ_BAD_START), "bad-start");
	ck_assert_str_eq(ofd_randcase_frame_name(OFD_RC_FRAME_SHORT), "short");
}
END_TEST

/* A CORRECT case is what the stack derives (kernel-tx.md 1, 3.3). */
static void check_correct(const struct rc *r)
{
	const struct ofd_vnet_hdr *v = &r->c.req.vnet;
	const uint8_t *d = r->buf;
	uint32_t len = r->pkt.len, after;
	struct ofd_parsed p;
	const struct ofd_layer *l4;
	const uint8_t *dst6;
	uint16_t seed, done;
	uint32_t acc;
	int ip, fo;
	uint8_t t;

	ofd_parse(d, len, 0, &p);
	ck_assert_int_ge(p.l4, 0);
	l4 = &p.layer[p.l4];
	fo = csum_off(l4->proto);
	ck_assert_int_gt(fo, 0);
	ck_assert_uint_eq(v->flags, OFD_VNET_F_NEEDS_CSUM);
	ck_assert_uint_eq(v->csum_start, l4->off);
	ck_assert_uint_eq(v->csum_offset, (uint32_t)fo);
	ck_assert(v->hdr_len == 0 || v->hdr_len == l4->off + l4->len);
	after = len - v->csum_start;
	t = v->gso_type;
	if (t) {
		bool v6 = p.layer[p.l3].proto == OFD_P_IPV6;

		ck_assert(l4->proto == OFD_P_TCP ? t == (v6 ? 4 : 1) :
			  l4->proto == OFD_P_UDP ? t == 3 || t == 5 : false);
		ck_assert_uint_ge(v->gso_size, after);
		ck_assert_uint_lt(v->gso_size, 0xffff);
	}

	/* The field holds fold16(pseudo), 0 for ICMPv4. */
	ip = ip_of(&p, p.l4, d, &dst6);
	ck_assert_int_ge(ip, 0);
	seed = l4->proto == OFD_P_ICMP ? 0 :
	       ofd_test_fold(pseudo(d + p.layer[ip].off, dst6, after,
				 pseudo_proto(l4->proto)));
	ck_assert_uint_eq(rd16(d + l4->off + fo), seed);

	/* Completing it as skb_checksum_help does gives a valid packet. */
	acc = ofd_test_sum(d + l4->off, after, 0);
	done = (uint16_t)~ofd_test_fold(acc);
	if (!done)
		done = 0xffff;
	ck_assert_uint_eq(l4_fold(d, len, &p, p.l4, fo, done), 0xffff);
	if (r->info.zero_sum)
		ck_assert_uint_eq(done, 0xffff);
}

/* NO_CSUM frames carry their finished checksum. */
static void check_no_csum(const struct rc *r)
{
	const uint8_t *d = r->buf;
	struct ofd_parsed p;
	const struct ofd_layer *l4;
	int fo;

	ck_assert(!(r->c.req.vnet.flags & OFD_VNET_F_NEEDS_CSUM));
	ck_assert_uint_eq(r->c.req.vnet.gso_type, 0);
	ofd_parse(d, r->pkt.len, 0, &p);
	ck_assert_int_ge(p.l4, 0);
	l4 = &p.layer[p.l4];
	if (l4->proto == OFD_P_SCTP) {
		const uint8_t *s = d + l4->off;

		ck_assert_uint_eq(s[8] | s[9] << 8 | s[10] << 16 | (uint32_t)s[11] << 24,
				  crc32c_bitwise(s, r->pkt.len - l4->off, 8));
		return;
	}
	fo = csum_off(l4->proto);
	ck_assert_uint_eq(l4_fold(d, r->pkt.len, &p, p.l4, fo, rd16(d + l4->off + fo)),
			  0xffff);
}

enum {
	F_START_LT20, F_START_PAST, F_OFF_ODD, F_FIELD_PAST, F_HDRLEN_PAST,
	F_GSO_INVALID, F_GSO_NOT_REALLY, F_GSO_REAL, F_GSO_SIZE0, F_GSO_BYFRAGS,
	F_FLAGS0, F_FLAGS2, F_FLAGS3, F_LEN_LT14, F_LEN_LT20, F_LEN_LT34,
	F_ZERO_SUM, F_JUMBO, F_TCP, F_UDP, F_SCTP, F_ICMP, F_ICMPV6, F_VXLAN,
	F_GENEVE, F_GRE, F_IPIP, F_SRH, F__N
};
static const char *const feat_names[F__N] = {
	"csum_start < 20", "csum_start past the frame", "odd csum_offset",
	"field past the frame", "hdr_len past the frame", "invalid gso_type",
	"valid gso, not really GSO", "valid gso, really GSO", "gso_size 0",
	"gso_size 0xffff", "flags 0", "flags 2", "flags 3", "len < 14",
	"14 <= len < 20", "20 <= len < 34", "zero-sum payload", "len > 1514",
	"tcp", "udp", "sctp", "icmp", "icmpv6", "vxlan", "geneve", "gre",
	"ipip", "srh",
};

static bool valid_gso(uint8_t t)
{
	uint8_t lo = t & 0x7f;

	return t == 0 || lo == 1 || lo == 3 || lo == 4 || lo == 5;
}

START_TEST(test_rc_distribution)
{
	static struct rc r;
	unsigned int req[OFD_RC_REQ__N] = { 0 }, frame[OFD_RC_FRAME__N] = { 0 };
	unsigned int feat[F__N] = { 0 }, i, n = 10000;

	for (i = 0; i < n; i++) {
		const struct ofd_vnet_hdr *v = &r.c.req.vnet;
		uint32_t len;

		rc_make(&r, 0x0ffd1ff, i, RC_CAP);
		len = r.pkt.len;
		ck_assert_uint_le(len, OFD_RANDCASE_MAX_FRAME);
		ck_assert_uint_lt(r.info.req, OFD_RC_REQ__N);
		ck_assert_uint_lt(r.info.frame, OFD_RC_FRAME__N);
		req[r.info.req]++;
		frame[r.info.frame]++;
		if (r.info.frame == OFD_RC_FRAME_WELLFORMED) {
			ck_assert_uint_eq(len, r.info.full_len);
			if (r.info.req == OFD_RC_REQ_CORRECT)
				check_correct(&r);
			if (r.info.req == OFD_RC_REQ_NO_CSUM)
				check_no_csum(&r);
		} else {
			ck_assert_uint_le(len, r.info.full_len > 128 ?
					       r.info.full_len : 128);
		}
		feat[F_START_LT20] += (v->flags & 1) && v->csum_start < 20;
		feat[F_START_PAST] += (v->flags & 1) && v->csum_start >= len;
		feat[F_OFF_ODD] += (v->flags & 1) && (v->csum_offset & 1);
		feat[F_FIELD_PAST] += (v->flags & 1) && v->csum_start < len &&
				      v->csum_start + v->csum_offset + 2u > len;
		feat[F_HDRLEN_PAST] += v->hdr_len > len;
		feat[F_GSO_INVALID] += !valid_gso(v->gso_type);
		if (v->gso_type && valid_gso(v->gso_type)) {
			feat[F_GSO_NOT_REALLY] += v->gso_size != 0xffff &&
						  v->gso_size >= len - v->csum_start;
			feat[F_GSO_REAL] += v->gso_size && v->csum_start < len &&
					    v->gso_size < len - v->csum_start - 8;
			feat[F_GSO_SIZE0] += v->gso_size == 0;
			feat[F_GSO_BYFRAGS] += v->gso_size == 0xffff;
		}
		feat[F_FLAGS0] += v->flags == 0;
		feat[F_FLAGS2] += v->flags == 2;
		feat[F_FLAGS3] += v->flags == 3;
		feat[F_LEN_LT14] += len < 14;
		feat[F_LEN_LT20] += len >= 14 && len < 20;
		feat[F_LEN_LT34] += len >= 20 && len < 34;
		feat[F_ZERO_SUM] += r.info.zero_sum;
		feat[F_JUMBO] += len > 1514;
		feat[F_TCP] += r.info.l4_proto == OFD_P_TCP;
		feat[F_UDP] += r.info.l4_proto == OFD_P_UDP;
		feat[F_SCTP] += r.info.l4_proto == OFD_P_SCTP;
		feat[F_ICMP] += r.info.l4_proto == OFD_P_ICMP;
		feat[F_ICMPV6] += r.info.l4_proto == OFD_P_ICMPV6;
		feat[F_VXLAN] += r.info.tunnel == OFD_P_VXLAN;
		feat[F_GENEVE] += r.info.tunnel == OFD_P_GENEVE;
		feat[F_GRE] += r.info.tunnel == OFD_P_GRE;
		feat[F_IPIP] += r.info.tunnel == OFD_P_IPV4 ||
				r.info.tunnel == OFD_P_IPV6;
		if (r.info.frame == OFD_RC_FRAME_WELLFORMED) {
			struct ofd_parsed p;
			uint32_t k;

			ofd_parse(r.buf, len, 0, &p);
			for (k = 0; k < p.nlayers; k++)
				feat[F_SRH] += p.layer[k].proto == OFD_P_SRH;
		}
	}
	for (i = 0; i < OFD_RC_REQ__N; i++)
		ck_assert_msg(req[i] > 0, "no %s request",
			      ofd_randcase_req_name((enum ofd_randcase_req)i));
	for (i = 0; i < OFD_RC_FRAME__N; i++)
		ck_assert_msg(frame[i] > 0, "no %s frame",
			      ofd_randcase_frame_name((enum ofd_randcase_frame)i));
	for (i = 0; i < F__N; i++)
		ck_assert_msg(feat[i] > 0, "never drew %s", feat_names[i]);
	/* ~60% CORRECT (64% drawn, less the 7% SCTP frames: 59.5%). */
	ck_assert_msg(req[OFD_RC_REQ_CORRECT] > n * 57 / 100 &&
		      req[OFD_RC_REQ_CORRECT] < n * 62 / 100,
		      "CORRECT %u of %u", req[OFD_RC_REQ_CORRECT], n);
	ck_assert_msg(frame[OFD_RC_FRAME_WELLFORMED] > n * 82 / 100 &&
		      frame[OFD_RC_FRAME_WELLFORMED] < n * 88 / 100,
		      "wellformed %u of %u", frame[OFD_RC_FRAME_WELLFORMED], n);
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
	char dir[] = "/tmp/ofd-cgen-XXXXXX", *out;
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TX_CSUM)->cases;
	struct tally t = { 0 };
	json_error_t je;
	json_t *j;
	unsigned int f;

	ck_assert_msg(access(bin, X_OK) == 0, "%s not built (make)", bin);
	ck_assert_ptr_nonnull(mkdtemp(dir));
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

/* ---- srh-final.pcap and random routing shapes --------------------- */

/* Routing-header shapes in a parsed frame. */
enum { RS_SRH_SL0_DA_OTHER, RS_SRH_SL_DA_OTHER, RS_T0_SL0, RS_T0_SL, RS_T2,
       RS_T3, RS_TWO, RS__N };

static const char *const rs_names[RS__N] = {
	"SRH segments-left 0, DA != Segment List[0]",
	"SRH segments-left > 0, DA != Segment List[segments left]",
	"type 0, segments left 0", "type 0, segments left > 0", "type 2",
	"type 3", "two routing headers",
};

/* Marks the shapes of d in seen[]; returns the index of an SRH with
 * segments left 0 and DA != Segment List[0], or -1. */
static int rs_shapes(const uint8_t *d, const struct ofd_parsed *p, unsigned int *seen)
{
	unsigned int i, nrh = 0;
	int ip = -1, hit = -1;

	for (i = 0; i < p->nlayers; i++) {
		const uint8_t *rh = d + p->layer[i].off;

		if (p->layer[i].proto == OFD_P_IPV6)
			ip = (int)i;
		if (p->layer[i].proto != OFD_P_SRH && p->layer[i].proto != OFD_P_RTHDR)
			continue;
		nrh++;
		if (rh[2] == 4 && ip >= 0) {
			const uint8_t *da = d + p->layer[ip].off + 24;

			if (!rh[3] && memcmp(da, rh + 8, 16)) {
				seen[RS_SRH_SL0_DA_OTHER]++;
				hit = (int)i;
			}
			if (rh[3] && memcmp(da, rh + 8 + 16 * rh[3], 16))
				seen[RS_SRH_SL_DA_OTHER]++;
		} else if (rh[2] == 0) {
			seen[rh[3] ? RS_T0_SL : RS_T0_SL0]++;
		} else if (rh[2] == 2) {
			seen[RS_T2]++;
		} else if (rh[2] == 3) {
			seen[RS_T3]++;
		}
	}
	if (nrh > 1)
		seen[RS_TWO]++;
	return hit;
}

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

/* Random cases draw the disputed shapes too, and a CORRECT request seeds
 * an SRH with segments left 0 over the Destination Address (the live
 * kernel's reading), computed here with the naive RFC 1071 sum. */
START_TEST(test_rc_routing_shapes)
{
	static struct rc r;
	unsigned int seen[RS__N] = { 0 }, checked = 0;
	uint64_t i;

	for (i = 0; i < 20000; i++) {
		struct ofd_parsed p;
		int hit, fo;

		rc_make(&r, 1, i, RC_CAP);
		if (r.info.frame != OFD_RC_FRAME_WELLFORMED)
			continue;
		ofd_parse(r.buf, r.pkt.len, 0, &p);
		hit = rs_shapes(r.buf, &p, seen);
		if (hit < 0 || r.info.req != OFD_RC_REQ_CORRECT || p.l4 < 0 ||
		    (fo = csum_off(p.layer[p.l4].proto)) < 0 ||
		    p.layer[p.l4].proto == OFD_P_ICMP)
			continue;
		{
			const struct ofd_layer *l4 = &p.layer[p.l4];
			int ip = p.l4 - 1;
			uint32_t l4len = l4->proto == OFD_P_UDP ?
				rd16(r.buf + l4->off + 4) : r.pkt.len - l4->off;

			while (p.layer[ip].proto != OFD_P_IPV6)
				ip--;
			ck_assert_uint_eq(rd16(r.buf + l4->off + (uint32_t)fo),
					  ofd_test_fold(pseudo(r.buf + p.layer[ip].off, NULL,
							       l4len, pseudo_proto(l4->proto))));
			checked++;
		}
	}
	ck_assert_uint_gt(checked, 10);
	ck_assert_uint_gt(seen[RS_SRH_SL0_DA_OTHER], 20);
	ck_assert_uint_gt(seen[RS_T0_SL0], 0);
	ck_assert_uint_gt(seen[RS_T0_SL], 0);
	ck_assert_uint_gt(seen[RS_T2], 0);
}
END_TEST

static Suite *corpus_gen_suite(void)
{
	Suite *s = suite_create("corpus_gen");
	TCase *tc = tcase_create("corpus");
	TCase *rc = tcase_create("randcase");
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

	tcase_set_timeout(rc, 120);
	tcase_add_test(rc, test_rc_deterministic);
	tcase_add_test(rc, test_rc_distribution);
	tcase_add_test(rc, test_rc_routing_shapes);
	suite_add_tcase(s, rc);

	tcase_set_timeout(cli, 60);
	tcase_add_test(cli, test_cli);
	suite_add_tcase(s, cli);
	return s;
}

OFD_TEST_SUITE(corpus_gen_suite)
