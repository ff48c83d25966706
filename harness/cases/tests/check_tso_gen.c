// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_tso_gen.c - where tso cases come from besides a corpus frame:
 * random super-packets (random_tso.c), the bundled corpus scenarios, the
 * fuzz decoder (harness/fuzz/tso.c), and case.yaml's skb_gso.
 *
 * Cases:
 *  random_*          determinism, distribution, legacy requests the stack
 *                    would build, seeds, segment counts, cap
 *  corpus            the scenarios: every frame a super-packet
 *  fuzz_*            the decoder on seeds and on garbage
 *  case_file         skb_gso written and read back, aliases, unknown
 *                    names refused with line:col, files without it
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_pktbuild.h"
#include "ofd_rng.h"
#include "ofd_spec.h"
#include "ofd_test.h"
#include "ofd_tso.h"
#include "tso_cases_test_util.h"

#define BUF 70000

/* ---- random -------------------------------------------------------- */

struct rc {
	uint8_t buf[OFD_TSO_RAND_MAX_FRAME];
	struct ofd_pkt pkt;
	struct ofd_case c;
	struct ofd_tso_rand_info info;
};

static void rc_make(struct rc *r, uint64_t seed, uint64_t idx, uint32_t cap)
{
	memset(&r->c, 0, sizeof(r->c));
	ck_assert_int_eq(ofd_tso_random_ex(seed, idx, r->buf, cap, &r->pkt, &r->c,
					   &r->info), 0);
}

START_TEST(test_random_deterministic)
{
	static struct rc a, b, c;
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TSO)->cases;
	uint64_t i;
	unsigned int differ = 0;

	ck_assert_ptr_nonnull(oc);
	ck_assert_ptr_nonnull(oc->random);
	for (i = 0; i < 300; i++) {
		rc_make(&a, 42, i, sizeof(a.buf));
		rc_make(&c, 7, 1000 + i, sizeof(c.buf));
		rc_make(&b, 42, i, sizeof(b.buf));
		ck_assert_uint_eq(a.pkt.len, b.pkt.len);
		ck_assert_int_eq(memcmp(a.buf, b.buf, a.pkt.len), 0);
		ck_assert_int_eq(memcmp(&a.c.req, &b.c.req, sizeof(a.c.req)), 0);
		ck_assert_uint_eq(a.c.offload, OFD_OFFLOAD_TSO);
		ck_assert_uint_eq(a.c.id, i);
		ck_assert_ptr_eq(a.c.pkts, &a.pkt);
		ck_assert_ptr_null(a.c.src_file);
		differ += a.pkt.len != c.pkt.len || memcmp(a.buf, c.buf, a.pkt.len);
		/* through the table, with the selfcheck's smaller cap: the
		 * same draws, a payload no larger */
		ck_assert_int_eq(oc->random(42, i, c.buf, 9216, &c.pkt, 1, &c.c), 0);
		ck_assert_uint_le(c.pkt.len, 9216);
		ck_assert_uint_eq(c.c.req.kind, a.c.req.kind);
		if (a.pkt.len <= 9216 - 24 - 16)
			ck_assert_int_eq(memcmp(a.buf, c.buf, a.pkt.len), 0);
	}
	ck_assert_uint_gt(differ, 290);
	ck_assert_int_eq(ofd_tso_random_ex(1, 1, a.buf, 64, &a.pkt, &a.c, NULL), -EINVAL);
}
END_TEST

START_TEST(test_random_distribution)
{
	static struct rc r;
	unsigned int req[OFD_TSO_RQ__N] = { 0 }, tun[OFD_P__MAX] = { 0 };
	unsigned int ext[64] = { 0 }, kinds[2] = { 0 }, udp = 0, ufo = 0, big = 0;
	unsigned int small_segs = 0, trailer = 0, seeds = 0, fixedid = 0, accecn = 0;
	unsigned int tunnel_csum = 0, ecn = 0, idffff = 0, n = 20000;
	uint64_t i;

	for (i = 0; i < n; i++) {
		const struct ofd_request *q = &r.c.req;
		struct ofd_tso_frame f;
		struct ofd_parsed p;
		uint32_t len;

		rc_make(&r, 3, i, sizeof(r.buf));
		len = r.pkt.len;
		ck_assert_uint_le(len, OFD_TSO_RAND_MAX_FRAME);
		req[r.info.req]++;
		tun[r.info.tunnel]++;
		ext[r.info.ext & 63]++;
		kinds[q->kind]++;
		udp += r.info.l4_proto == OFD_P_UDP;
		trailer += r.info.trailer;
		big += r.info.payload > 16000;
		small_segs += r.info.segs < 50;
		ck_assert_uint_eq(q->skb_gso != 0, q->kind == OFD_REQ_LEGACY);
		if (r.info.req != OFD_TSO_RQ_CORRECT)
			continue;
		/* what the stack or the guest derives */
		ck_assert_uint_eq(q->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
		ck_assert_uint_eq(q->vnet.csum_offset,
				  r.info.l4_proto == OFD_P_TCP ? 16 : 6);
		ck_assert_uint_eq(q->vnet.gso_size, r.info.gso_size);
		ufo += q->vnet.gso_type == OFD_VNET_GSO_UDP;
		ecn += (q->vnet.gso_type & OFD_VNET_GSO_ECN) != 0;
		if (q->kind == OFD_REQ_LEGACY) {
			/* a GSO skb the stack would build */
			ck_assert_uint_gt(r.info.payload, q->vnet.gso_size);
			if (r.info.l4_proto == OFD_P_UDP)
				ck_assert_uint_le(r.info.payload, q->vnet.gso_size * 128u);
			fixedid += (q->skb_gso & (OFD_SKB_GSO_TCP_FIXEDID |
						   OFD_SKB_GSO_TCP_FIXEDID_INNER)) != 0;
			accecn += (q->skb_gso & OFD_SKB_GSO_TCP_ACCECN) != 0;
			tunnel_csum += (q->skb_gso & OFD_SKB_GSO_UDP_TUNNEL_CSUM) != 0;
			ck_assert(!(q->skb_gso & OFD_SKB_GSO_TCP_ACCECN) ||
				  !(q->skb_gso & OFD_SKB_GSO_TCP_ECN));
		}
		if (r.info.ext == 51) /* AH: the parser stops there */
			continue;
		ck_assert_int_eq(ofd_tso_frame(r.buf, len, &f), 0);
		ck_assert_uint_eq(q->vnet.csum_start, f.l4_off);
		ck_assert_uint_eq(q->vnet.hdr_len, f.l4_off + f.l4_hlen);
		ck_assert_uint_eq(f.payload, r.info.payload);
		if (q->kind == OFD_REQ_LEGACY)
			ck_assert_uint_eq(q->skb_gso & (OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6 |
							OFD_SKB_GSO_UDP_L4),
					  f.l4_proto == OFD_P_UDP ? OFD_SKB_GSO_UDP_L4 :
					  f.v6 ? OFD_SKB_GSO_TCPV6 : OFD_SKB_GSO_TCPV4);
		ofd_parse(r.buf, len, 0, &p);
		if (f.outer_v4 && rd16(r.buf + p.layer[p.outer_l3].off + 4) >= 0xfffc)
			idffff++;
		/* the seed, recomputed, for the untunnelled frames without a
		 * routing header (whose final address it would need) */
		if (!f.tunnel && r.info.ext != OFD_P_SRH && r.info.ext != OFD_P_HBH) {
			uint32_t l4len = f.l4_proto == OFD_P_TCP ? len - f.l4_off :
					 rd16(r.buf + f.l4_off + 4);

			ck_assert_uint_eq(rd16(r.buf + f.l4_off + (f.l4_proto == OFD_P_TCP ? 16 : 6)),
					  pseudo_fold(r.buf + p.layer[p.outer_l3].off,
						      f.l4_proto == OFD_P_TCP ? 6 : 17, l4len));
			seeds++;
		}
	}
	for (i = 0; i < OFD_TSO_RQ__N; i++)
		ck_assert_msg(req[i] > 100, "%s %u", ofd_tso_rand_req_name((int)i), req[i]);
	ck_assert_uint_gt(req[OFD_TSO_RQ_CORRECT], n * 80 / 100);
	ck_assert_uint_gt(tun[OFD_P_VXLAN], 500);
	ck_assert_uint_gt(tun[OFD_P_GENEVE], 500);
	ck_assert_uint_gt(tun[OFD_P_GRE], 500);
	ck_assert_uint_gt(tun[OFD_P_IPV4] + tun[OFD_P_IPV6], 500);
	ck_assert_uint_gt(ext[OFD_P_FRAG], 50);
	ck_assert_uint_gt(ext[51], 50);
	ck_assert_uint_gt(ext[OFD_P_SRH], 200);
	ck_assert_uint_gt(kinds[0], n * 40 / 100);
	ck_assert_uint_gt(kinds[1], n * 40 / 100);
	ck_assert_uint_gt(udp, n * 20 / 100);
	ck_assert_uint_gt(ufo, 100);
	ck_assert_uint_gt(ecn, 500);
	ck_assert_uint_gt(fixedid, 200);
	ck_assert_uint_gt(accecn, 100);
	ck_assert_uint_gt(tunnel_csum, 100);
	ck_assert_uint_gt(trailer, 500);
	ck_assert_uint_gt(big, 100);
	ck_assert_uint_gt(idffff, 200);
	ck_assert_uint_gt(seeds, 5000);
	/* mostly moderate segment counts */
	ck_assert_uint_gt(small_segs, n * 85 / 100);
}
END_TEST

/* ---- corpus -------------------------------------------------------- */

static int corpus_cb(void *ctx, const struct ofd_corpus_gen_frame *fr)
{
	struct ofd_tso_frame f;
	unsigned int *n = ctx;

	ck_assert_msg(ofd_tso_frame(fr->data, fr->len, &f) == 0, "%s", fr->desc);
	ck_assert_uint_le(fr->len, 65535 + 54);
	n[0]++;
	n[1] += f.payload > 60000;
	return 0;
}

START_TEST(test_corpus)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TSO)->cases;
	unsigned int k, n[2] = { 0 };

	ck_assert_uint_eq(oc->nscenarios, OFD_TSO_GEN__NFILES);
	for (k = 0; k < oc->nscenarios; k++) {
		ck_assert(!strncmp(oc->scenarios[k].file, "tso/", 4));
		ck_assert_int_eq(oc->scenarios[k].foreach(oc->scenarios[k].which,
							  corpus_cb, n), 0);
	}
	ck_assert_uint_gt(n[0], 250);
	ck_assert_uint_eq(n[1], 4); /* the 64 KB frames */
	ck_assert_uint_ge(oc->max_output_bytes, 65535u * (54 + 1));
}
END_TEST

/* ---- fuzz ---------------------------------------------------------- */

struct fz {
	uint8_t in[BUF + 32], buf[BUF];
	struct ofd_pkt pkts[4];
	struct ofd_case c;
};

static int seeds_cb(void *ctx, const struct ofd_corpus_gen_frame *fr)
{
	const struct ofd_offload_fuzz *fo = &ofd_fuzz_tso;
	struct fz *z = ctx;
	unsigned int v;

	for (v = 0; v < fo->nseeds; v++) {
		size_t n = fo->seed(fr->data, fr->len, v, z->in, sizeof(z->in));

		if (!n)
			continue;
		ck_assert_int_eq(fo->decode(z->in, n, z->buf, BUF, z->pkts, 4, &z->c), 0);
		ck_assert_uint_eq(z->c.offload, OFD_OFFLOAD_TSO);
		ck_assert_uint_eq(z->c.pkts[0].len, fr->len);
		ck_assert_uint_eq(z->c.req.kind, v == 2 ? OFD_REQ_LEGACY : OFD_REQ_VNET);
		ck_assert_uint_eq(z->c.req.vnet.flags, OFD_VNET_F_NEEDS_CSUM);
		if (v == 1)
			ck_assert_uint_eq(z->c.req.vnet.gso_size, 1);
		if (v == 2) {
			struct ofd_tso_frame f;

			ck_assert_int_eq(ofd_tso_frame(fr->data, fr->len, &f), 0);
			ck_assert_uint_eq(!!(z->c.req.skb_gso & OFD_SKB_GSO_TCP_FIXEDID),
					  f.l4_proto == OFD_P_TCP && f.outer_v4);
		}
	}
	return 0;
}

START_TEST(test_fuzz_seeds)
{
	static struct fz z;
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_TSO)->cases;
	unsigned int k;

	ck_assert_ptr_eq(ofd_offload_get(OFD_OFFLOAD_TSO)->fuzz, &ofd_fuzz_tso);
	ck_assert_ptr_nonnull(ofd_fuzz_tso.layout);
	for (k = 0; k < oc->nscenarios; k++)
		ck_assert_int_eq(oc->scenarios[k].foreach(oc->scenarios[k].which,
							  seeds_cb, &z), 0);
}
END_TEST

START_TEST(test_fuzz_garbage)
{
	static struct fz z;
	static struct rc r;
	struct ofd_rng g = { 99 };
	unsigned int i, ok = 0;

	for (i = 0; i < 20000; i++) {
		size_t n = ofd_rng_below(&g, 300);
		int ret;

		ofd_rng_fill(&g, z.in, (uint32_t)n);
		if (i % 3 == 0 && n > 17) {
			/* a random super-packet, then mutated or cut */
			rc_make(&r, 5, i, 2000);
			n = 17 + (r.pkt.len < sizeof(z.in) - 17 ? r.pkt.len : 0);
			memcpy(z.in + 17, r.buf, n - 17);
			if (i % 2)
				z.in[17 + ofd_rng_below(&g, (uint32_t)(n - 17))] ^= 0xff;
			n -= ofd_rng_below(&g, (uint32_t)(n - 16));
		}
		ret = ofd_fuzz_tso.decode(z.in, n, z.buf, BUF, z.pkts, 4, &z.c);
		ck_assert(ret == 0 || ret == -ENOENT);
		if (!ret) {
			ck_assert_uint_eq(z.c.pkts[0].len, n - 17);
			ck_assert_uint_eq(z.c.offload, OFD_OFFLOAD_TSO);
			ok++;
		}
	}
	ck_assert_uint_gt(ok, 1000);
	/* too short, too long, no room for a frame */
	ck_assert_int_eq(ofd_fuzz_tso.decode(z.in, 16, z.buf, BUF, z.pkts, 4, &z.c), -ENOENT);
	ck_assert_int_eq(ofd_fuzz_tso.decode(z.in, 100, z.buf, 10, z.pkts, 4, &z.c), -ENOENT);
	ck_assert_int_eq(ofd_fuzz_tso.decode(z.in, 100, z.buf, BUF, z.pkts, 0, &z.c), -ENOENT);
}
END_TEST

/* ---- case.yaml ----------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *s = calloc(1, 65536);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(s);
	(void)!fread(s, 1, 65535, f);
	fclose(f);
	return s;
}

/* text with its "skb_gso: [...]" replaced by repl, or its line dropped. */
static char *with(const char *text, const char *repl, bool drop)
{
	const char *p = strstr(text, "skb_gso: ["), *e, *ls;
	char *out;

	ck_assert_ptr_nonnull(p);
	e = strchr(p, ']') + 1;
	if (drop) {
		for (ls = p; ls > text && ls[-1] != '\n'; ls--)
			;
		p = ls;
		e = strchr(e, '\n') + 1;
	}
	out = calloc(1, strlen(text) + strlen(repl) + 1);
	ck_assert_ptr_nonnull(out);
	memcpy(out, text, (size_t)(p - text));
	strcat(out, repl);
	strcat(out, e);
	return out;
}

START_TEST(test_case_file)
{
	static struct one o;
	struct ofd_target_desc t = { .label = "emu:conformant", .engine = "emu",
				     .profile = "conformant" };
	struct ofd_pcap_writer *w;
	struct ofd_loaded_case lc;
	struct ofd_case c = { 0 };
	struct ofd_pkt pkt;
	struct ofd_tso_frame f;
	char dir[256], pcap[300], yml[300], want[400], err[512], *text, *bad;
	int tl, ul;

	tunnel_frame(&o, TV_VXLAN_CSUM, &ul, &tl);
	ck_assert_int_eq(ofd_tso_frame(o.buf, o.len, &f), 0);
	ofd_test_mkdtemp(dir, sizeof(dir), "tsocase");
	snprintf(pcap, sizeof(pcap), "%s/input.pcap", dir);
	snprintf(yml, sizeof(yml), "%s/case.yaml", dir);
	ck_assert_int_eq(ofd_pcap_writer__open(pcap, &w), 0);
	ck_assert_int_eq(ofd_pcap_writer__write(w, o.buf, o.len, 0), 0);
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	pkt.data = o.buf;
	pkt.len = o.len;
	c.offload = OFD_OFFLOAD_TSO;
	c.npkts = 1;
	c.pkts = &pkt;
	c.src_file = "corpus/tso/tunnels.pcap";
	c.src_index = 3;
	ofd_tso_request(&f, OFD_REQ_LEGACY, 1448, OFD_TSO_FORWARDED, &c.req);
	ck_assert_uint_eq(c.req.skb_gso, OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_UDP_TUNNEL_CSUM |
			  OFD_SKB_GSO_TCP_FIXEDID | OFD_SKB_GSO_TCP_FIXEDID_INNER);
	ck_assert_int_eq(ofd_case_write_yaml(yml, &c, "kernel", &t, "input.pcap", NULL,
					     OFD_V_DISCREPANCY), 0);
	text = slurp(yml);
	ck_assert_msg(strstr(text, "skb_gso: [tcpv4, udp_tunnel_csum, tcp_fixedid, tcp_fixedid_inner]"),
		      "%s", text);
	ck_assert_msg(ofd_case_read_yaml(yml, &lc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(lc.c.offload, OFD_OFFLOAD_TSO);
	ck_assert_int_eq(memcmp(&lc.c.req, &c.req, sizeof(c.req)), 0);
	ck_assert_uint_eq(lc.c.pkts[0].len, o.len);
	ofd_loaded_case_free(&lc);

	/* the short names, and none at all (a tx-csum file of before) */
	bad = with(text, "skb_gso: [tcpv6, fixedid, accecn, ecn]", false);
	ck_assert_msg(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)) == 0,
		      "%s: %s", err, bad);
	ck_assert_uint_eq(lc.c.req.skb_gso, OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_TCP_FIXEDID |
			  OFD_SKB_GSO_TCP_ACCECN | OFD_SKB_GSO_TCP_ECN);
	ofd_loaded_case_free(&lc);
	free(bad);
	bad = with(text, "", true);
	ck_assert_ptr_null(strstr(bad, "skb_gso"));
	ck_assert_msg(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)) == 0,
		      "%s: %s", err, bad);
	ck_assert_uint_eq(lc.c.req.skb_gso, 0);
	ck_assert_uint_eq(lc.c.req.vnet.gso_size, 1448);
	ofd_loaded_case_free(&lc);
	free(bad);
	/* an unknown name: where it is */
	bad = with(text, "skb_gso: [tcpv4, tso]", false);
	ck_assert_int_ne(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "skb_gso: unknown bit 'tso'"), "%s", err);
	{
		/* line:col of the bad item */
		int line = 1, col;
		const char *q, *ls = bad, *at = strstr(bad, "tso]");

		for (q = bad; q < at; q++)
			if (*q == '\n') {
				line++;
				ls = q + 1;
			}
		col = (int)(at - ls) + 1;
		snprintf(want, sizeof(want), "%s:%d:%d: skb_gso", yml, line, col);
		ck_assert_msg(strstr(err, want), "%s (want %s)", err, want);
	}
	free(bad);
	bad = with(text, "skb_gso: tcpv4", false);
	ck_assert_int_ne(ofd_case_parse_yaml(yml, bad, strlen(bad), &lc, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "skb_gso: expected a sequence"), "%s", err);
	free(bad);
	free(text);
	unlink(yml);
	unlink(pcap);
	rmdir(dir);
}
END_TEST

static Suite *tso_gen_suite(void)
{
	Suite *s = suite_create("tso_gen");
	TCase *r = tcase_create("random"), *g = tcase_create("corpus");
	TCase *z = tcase_create("fuzz"), *y = tcase_create("case_file");

	tcase_set_timeout(r, 120);
	tcase_add_test(r, test_random_deterministic);
	tcase_add_test(r, test_random_distribution);
	tcase_add_test(g, test_corpus);
	tcase_set_timeout(z, 120);
	tcase_add_test(z, test_fuzz_seeds);
	tcase_add_test(z, test_fuzz_garbage);
	tcase_add_test(y, test_case_file);
	suite_add_tcase(s, r);
	suite_add_tcase(s, g);
	suite_add_tcase(s, z);
	suite_add_tcase(s, y);
	return s;
}

OFD_TEST_SUITE(tso_gen_suite)
