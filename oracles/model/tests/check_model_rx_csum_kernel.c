// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_rx_csum_kernel.c - the rx-csum model's per-layer validity
 * against the running kernel's receive path, on the whole bundled rx-csum
 * corpus, through `offdiff selfcheck -f rx-csum`'s check
 * (oracles/model/rx_csum_kernel.c: the innermost TCP/UDP checksum and
 * every outer VXLAN/GENEVE UDP checksum of each frame, judged by the
 * kernel's protocol handlers through rxjudge.c's counters).
 *
 * The kernel engine cannot be rx-csum's reference (it reports GRO's
 * conclusion: no csum_level, no COMPLETE value, padded frames left
 * unverified; kernel-rx.md 7.4), but it decides every checksum: the
 * model's VALID must be accepted, BAD rejected, an IPv6 UDP checksum of 0
 * rejected (no socket opted in), an IPv4 one and fragments not judgeable.
 * Both verdicts must occur in numbers, so agreement is not vacuous; a
 * frame whose inner checksum was flipped by the test is rejected by the
 * kernel and called BAD by the model. And GRO's own state (the kernel
 * engine's rx-csum answer) never vouches where the model does not.
 * Without root, or when the kernel engine cannot run here, each test
 * says why and passes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_rx_csum.h"
#include "ofd_kernel.h"
#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "rxc_test_util.h"

extern const struct ofd_engine_ops ofd_engine_kernel;

static struct ofd_engine *open_kernel(void)
{
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	struct ofd_engine *e = NULL;
	char why[256];

	if (ofd_engine_kernel.probe(why, sizeof(why))) {
		fprintf(stderr, "model_rx_csum_kernel: not run: %s\n", why);
		return NULL;
	}
	ck_assert_int_eq(ofd_engine__open("kernel", &o, &e, why, sizeof(why)), 0);
	return e;
}

START_TEST(model_rx_csum_kernel_corpus)
{
	static const char *const files[] = {
		OFD_TEST_ROOT "/corpus/rx-csum/plain.pcap",
		OFD_TEST_ROOT "/corpus/rx-csum/tunnels.pcap",
	};
	struct ofd_engine *e = open_kernel();
	struct ofd_corpus c = { 0 };
	struct ofd_caseset set = { 0 };
	struct ofd_rxcsum_kcheck r = { 0 };
	char err[256];
	unsigned int i;

	if (!e)
		return;
	for (i = 0; i < OFD_ARRAY_SIZE(files); i++)
		ck_assert_msg(!ofd_corpus_load(&c, files[i], err, sizeof(err)), "%s", err);
	ck_assert_int_eq(ofd_cases_derive(&c, OFD_CAP(OFD_OFFLOAD_RX_CSUM),
					  1u << OFD_REQ_VNET, NULL, &set, err,
					  sizeof(err)), 0);
	ck_assert_uint_eq(set.ncases, c.npkts);
	ck_assert_int_eq(ofd_rx_csum_kernel_check(e, set.cases, set.ncases, stderr, &r), 0);
	fprintf(stderr, "model_rx_csum_kernel: %u checksums (%u outer UDP), %u agree: "
		"kernel accepted %u, rejected %u, unjudgeable %u\n", r.n, r.outer, r.agree,
		r.accepted, r.rejected, r.unjudgeable);
	ck_assert_uint_gt(r.accepted, 100);
	ck_assert_uint_gt(r.rejected, 50);
	ck_assert_uint_gt(r.outer, 20);
	ck_assert_uint_eq(r.agree, r.n);
	ofd_caseset_free(&set);
	ofd_corpus_free(&c);
	ofd_engine__close(e);
}
END_TEST

/* Frames the test builds itself: a bad inner TCP under a good outer UDP
 * checksum, and the reverse, each checksum judged where it is. */
START_TEST(model_rx_csum_kernel_built)
{
	static const struct rxt_row rows[] = {
		{ "vxlan inner bad", 0, 0, RXT_VXLAN, 0, RXT_TCP, 100, 2, 0, 0, false, 0, 0 },
		{ "vxlan outer bad", 0, 1, RXT_VXLAN, 1, RXT_UDP, 100, 1, 0, 0, false, 0, 0 },
		{ "vlan/ipv6/udp zero", 1, 1, RXT_NONE, 0, RXT_UDP, 10, 0, 1, 0, false, 0, 0 },
		{ "ipv4/tcp trailer", 0, 0, RXT_NONE, 0, RXT_TCP, 1, 0, 0, 6, false, 0, 0 },
	};
	/* per row: innermost accepted?, outer accepted? (-1: none, 2: unjudgeable) */
	static const int want[][2] = { { 0, 1 }, { 1, 0 }, { 0, -1 }, { 1, -1 } };
	struct ofd_engine *e = open_kernel();
	uint8_t f[OFD_ARRAY_SIZE(rows)][2048];
	struct ofd_pkt pkt[OFD_ARRAY_SIZE(rows)];
	struct ofd_case cs[OFD_ARRAY_SIZE(rows)];
	struct ofd_rxcsum_kcheck r = { 0 };
	unsigned int i, n = 0, acc = 0, rej = 0;

	if (!e)
		return;
	memset(cs, 0, sizeof(cs));
	for (i = 0; i < OFD_ARRAY_SIZE(rows); i++) {
		pkt[i].data = f[i];
		pkt[i].len = rxt_build(&rows[i], f[i], sizeof(f[i]));
		pkt[i].flags = 0;
		cs[i].offload = OFD_OFFLOAD_RX_CSUM;
		cs[i].npkts = 1;
		cs[i].pkts = &pkt[i];
		cs[i].id = i;
		n += 1 + (want[i][1] >= 0);
		acc += (want[i][0] == 1) + (want[i][1] == 1);
		rej += (want[i][0] == 0) + (want[i][1] == 0);
	}
	ck_assert_int_eq(ofd_rx_csum_kernel_check(e, cs, OFD_ARRAY_SIZE(cs), stderr, &r), 0);
	ck_assert_uint_eq(r.n, n);
	ck_assert_uint_eq(r.accepted, acc);
	ck_assert_uint_eq(r.rejected, rej);
	ck_assert_uint_eq(r.agree, r.n);
	ofd_engine__close(e);
}
END_TEST

/*
 * The other way round: the kernel engine's own rx-csum answer is GRO's
 * conclusion (DATA_VALID when it verified a checksum, kernel-rx.md 1.8,
 * 7.3). The kernel never vouches for a checksum that is wrong, so on
 * every corpus frame it hands back unchanged: GRO's UNNECESSARY implies
 * the model's (its first layer verifies), and a frame whose first
 * checksum the model calls bad is NONE in the kernel too.
 */
START_TEST(model_rx_csum_kernel_gro)
{
	static const char *const files[] = {
		OFD_TEST_ROOT "/corpus/rx-csum/plain.pcap",
		OFD_TEST_ROOT "/corpus/rx-csum/tunnels.pcap",
	};
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_RX_CSUM) };
	struct ofd_engine *e = NULL;
	struct ofd_corpus c = { 0 };
	struct ofd_caseset set = { 0 };
	struct ofd_result **res;
	unsigned int i, kernel_u = 0, model_bad = 0, compared = 0;
	char err[256];

	if (ofd_engine_kernel.probe(err, sizeof(err))) {
		fprintf(stderr, "model_rx_csum_kernel: not run: %s\n", err);
		return;
	}
	ck_assert_int_eq(ofd_engine__open("kernel", &o, &e, err, sizeof(err)), 0);
	for (i = 0; i < OFD_ARRAY_SIZE(files); i++)
		ck_assert_msg(!ofd_corpus_load(&c, files[i], err, sizeof(err)), "%s", err);
	ck_assert_int_eq(ofd_cases_derive(&c, OFD_CAP(OFD_OFFLOAD_RX_CSUM),
					  1u << OFD_REQ_VNET, NULL, &set, err,
					  sizeof(err)), 0);
	res = calloc(set.ncases, sizeof(*res));
	ck_assert_ptr_nonnull(res);
	for (i = 0; i < set.ncases; i++)
		ck_assert_int_eq(ofd_result__new(ofd_cases_max_output(o.caps), &res[i]), 0);
	ck_assert_int_eq(e->ops->run(e->priv, set.cases, res, set.ncases), 0);
	for (i = 0; i < set.ncases; i++) {
		const struct ofd_pkt *p = &set.cases[i].pkts[0];
		const struct ofd_frame *f = &res[i]->frame[0];
		struct ofd_rxcsum a;
		uint8_t *bytes;

		if (res[i]->status == OFD_RES_UNSUPPORTED) {
			/* no SCHED_FIFO here: the kernel's rx path is off */
			fprintf(stderr, "model_rx_csum_kernel: gro not run: %s\n",
				res[i]->detail ? res[i]->detail : "");
			break;
		}
		ck_assert_uint_eq(res[i]->status, OFD_RES_OK);
		ck_assert_uint_eq(res[i]->nframes, 1);
		if (f->len != p->len)
			continue; /* a tag the tap read back without */
		bytes = malloc(f->len);
		ck_assert_ptr_nonnull(bytes);
		ofd_frame_materialize(f, bytes);
		if (memcmp(bytes, p->data, p->len)) {
			free(bytes);
			continue;
		}
		free(bytes);
		compared++;
		ofd_rx_csum_analyse(p->data, p->len, &a);
		if (f->meta.csum_state == OFD_CSUM_STATE_UNNECESSARY) {
			kernel_u++;
			ck_assert_msg(a.nvalid >= 1, "case %u: GRO vouches, the model does not",
				      i);
		}
		if (a.n && a.layer[0].status == OFD_RXCSUM_BAD) {
			model_bad++;
			ck_assert_msg(f->meta.csum_state == OFD_CSUM_STATE_NONE,
				      "case %u: a bad first checksum, GRO state %u", i,
				      f->meta.csum_state);
		}
	}
	fprintf(stderr, "model_rx_csum_kernel: gro: %u frames back unchanged, %u vouched "
		"for by GRO, %u with a bad first checksum\n", compared, kernel_u, model_bad);
	if (i == set.ncases) {
		ck_assert_uint_gt(kernel_u, 50);
		ck_assert_uint_gt(model_bad, 50);
	}
	for (i = 0; i < set.ncases; i++)
		ofd_result__free(res[i]);
	free(res);
	ofd_caseset_free(&set);
	ofd_corpus_free(&c);
	ofd_engine__close(e);
}
END_TEST

static Suite *model_rx_csum_kernel_suite(void)
{
	Suite *s = suite_create("model_rx_csum_kernel");
	TCase *tc = tcase_create("kernel");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, model_rx_csum_kernel_corpus);
	tcase_add_test(tc, model_rx_csum_kernel_built);
	tcase_add_test(tc, model_rx_csum_kernel_gro);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_rx_csum_kernel_suite)
