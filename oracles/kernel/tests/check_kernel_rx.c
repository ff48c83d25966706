// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_kernel_rx.c - the kernel engine (oracles/kernel/kernel.c): the RX
 * path (GRO and rx-csum) against the probe results of kernel-rx.md 7.4.
 *
 * Frames follow kernel-tx.md 10.6 "Common setup" (kernel_test_util.h, see
 * check_kernel.c, which tests the TX path).
 *
 * Cases:
 *  - gro: kernel-rx.md 7.4 rows (4x100 -> 400 gso_size 100; 100,100,50 ->
 *    250; 50|100; DF=0 fixed IDs -> 300; IDs 8,9,9 -> 200|100; window
 *    change; PSH on 2nd of 4 -> 200|200; bad checksum reorder; TSval
 *    5,5,6 -> 200|100; data, pure ACK, data -> 100|0|100; 4 B then 4 B
 *    padded to 60 -> 4|4 with the padded one not validated) plus an
 *    explicit FLUSH_AFTER boundary, each repeated 25 times in one run;
 *  - rx-csum: a good TCP frame is DATA_VALID (UNNECESSARY), a bad one and a
 *    non-IP frame are NONE;
 *  - the gro settings (gro_udp=forward|fraglist, vxlan=on): the bundled
 *    udp.pcap and vxlan.pcap trains, each rule's "merge" train one frame
 *    and its "apart" train two (kernel-rx.md 2.2, 3; corpus_gro_udp.c
 *    says why for each), twice the same.
 *
 * Everything needs root: when the engine's probe fails the tests print the
 * reason and pass (Check has no skip); CI runs them as root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_corpus_gen.h"
#include "ofd_gro.h"
#include "ofd_kernel.h"
#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "kernel_internal.h"
#include "kernel_test_util.h"

/* ------------------------------------------------------------------ */
/* GRO: kernel-rx.md 7.4                                               */
/* ------------------------------------------------------------------ */

#define ST(x) (OFD_CSUM_STATE_##x + 1)

const struct gro_row gro_rows[] = {
	{ "4x100 contiguous", 4, { 100, 100, 100, 100 }, { 8, 9, 10, 11 },
	  .nout = 1, .out = { 400 }, .out_seq = { 0 } },
	{ "100,100,50", 3, { 100, 100, 50 }, { 8, 9, 10 },
	  .nout = 1, .out = { 250 }, .out_seq = { 0 } },
	{ "50 then 100", 2, { 50, 100 }, { 8, 9 },
	  .nout = 2, .out = { 50, 100 }, .out_seq = { 0, 50 } },
	{ "DF=0 IDs 8,8,8", 3, { 100, 100, 100 }, { 8, 8, 8 }, .no_df = true,
	  .nout = 1, .out = { 300 }, .out_seq = { 0 } },
	{ "IDs 8,9,9", 3, { 100, 100, 100 }, { 8, 9, 9 },
	  .nout = 2, .out = { 200, 100 }, .out_seq = { 0, 200 } },
	{ "window 1000 then 999", 2, { 100, 100 }, { 8, 9 },
	  .window = { 1000, 999 },
	  .nout = 2, .out = { 100, 100 }, .out_seq = { 0, 100 } },
	{ "PSH on 2nd of 4", 4, { 100, 100, 100, 100 }, { 8, 9, 10, 11 },
	  .flags = { 0x10, 0x18, 0x10, 0x10 },
	  .nout = 2, .out = { 200, 200 }, .out_seq = { 0, 200 },
	  .out_flags = { 0x18, 0x10 } },
	{ "good, bad csum, good", 3, { 100, 100, 100 }, { 8, 9, 10 },
	  .csum = { CS_VALID, CS_BAD, CS_VALID },
	  .nout = 3, .out = { 100, 100, 100 }, .out_seq = { 100, 0, 200 } },
	{ "TSval 5,5,6", 3, { 100, 100, 100 }, { 8, 9, 10 },
	  .tsval = { 5, 5, 6 },
	  .nout = 2, .out = { 200, 100 }, .out_seq = { 0, 200 } },
	{ "data, pure ACK (same seq), data", 3, { 100, 0, 100 }, { 8, 9, 10 },
	  .nout = 3, .out = { 100, 0, 100 }, .out_seq = { 0, 100, 100 } },
	{ "4B, then 4B padded to 60", 2, { 4, 4 }, { 8, 9 },
	  .trailer = { 0, 2 },
	  .nout = 2, .out = { 4, 4 }, .out_seq = { 0, 4 },
	  .out_state = { ST(UNNECESSARY), ST(NONE) } },
	{ "FLUSH_AFTER the 2nd of 4", 4, { 100, 100, 100, 100 }, { 8, 9, 10, 11 },
	  .flush_after = 0x2,
	  .nout = 2, .out = { 200, 200 }, .out_seq = { 0, 200 } },
};

#define GRO_REPEAT 25

START_TEST(gro_rows_repeat)
{
	const struct gro_row *row = &gro_rows[_i];
	struct bench *b;
	unsigned int i, k;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_GRO));
	for (i = 0; i < GRO_REPEAT; i++)
		add_gro(b, row, OFD_OFFLOAD_GRO);
	run(b);
	for (i = 0; i < GRO_REPEAT; i++) {
		struct ofd_result *r = b->res[i];

		ck_assert_msg(r->status == OFD_RES_OK, "%s: status %u (%s)",
			      row->name, r->status, r->detail ? r->detail : "");
		ck_assert_msg(r->nframes == row->nout, "%s #%u: %u frames",
			      row->name, i, r->nframes);
		for (k = 0; k < row->nout; k++) {
			const uint8_t *f = fb(r, k);
			const struct ofd_meta *m = &r->frame[k].meta;
			uint32_t hl = 40 + (row->tsval[0] ? 12 : 0);

			ck_assert_msg(be16(f + 16) == hl + row->out[k],
				      "%s #%u frame %u: payload %u", row->name,
				      i, k, be16(f + 16) - hl);
			/* padding is not stripped for packet sockets */
			ck_assert_uint_ge(r->frame[k].len, 14 + hl + row->out[k]);
			ck_assert_uint_le(r->frame[k].len, 60 > 14 + hl + row->out[k] ?
					  60 : 14 + hl + row->out[k]);
			if (row->out_state[k])
				ck_assert_uint_eq(m->csum_state, row->out_state[k] - 1u);
			if (row->out_seq[k] >= 0)
				ck_assert_uint_eq(be32(f + L4OFF + 4),
						  (uint32_t)row->out_seq[k]);
			if (row->out_flags[k])
				ck_assert_uint_eq(f[L4OFF + 13], row->out_flags[k]);
			ck_assert(m->has & OFD_META_VNET);
			ck_assert(m->has & OFD_META_CSUM_STATE);
			if (row->out[k] > row->payload[0] &&
			    row->out[k] > row->payload[row->npkts - 1]) {
				/* an aggregate: TCPV4, gso_size = first
				 * segment, NEEDS_CSUM at the TCP header */
				ck_assert_uint_eq(m->vnet.gso_type, OFD_VNET_GSO_TCPV4);
				ck_assert_uint_eq(m->vnet.gso_size, row->payload[0]);
				ck_assert_uint_eq(m->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
				ck_assert_uint_eq(m->vnet.csum_start, 34);
				ck_assert_uint_eq(m->vnet.csum_offset, 16);
				ck_assert_uint_eq(m->csum_state, OFD_CSUM_STATE_PARTIAL);
			}
		}
	}
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* rx-csum                                                             */
/* ------------------------------------------------------------------ */

START_TEST(rx_csum_states)
{
	static const struct gro_row good = { .name = "good", .npkts = 1,
					     .payload = { 100 }, .id = { 8 } };
	static const struct gro_row bad = { .name = "bad", .npkts = 1,
					    .payload = { 100 }, .id = { 8 },
					    .csum = { CS_BAD } };
	static const uint8_t arp[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 1, 2, 0, 0, 0, 0, 1, 10, 0, 0, 1,
		0, 0, 0, 0, 0, 0, 10, 0, 0, 2,
	};
	struct bench *b;
	unsigned int i;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_RX_CSUM));
	add_gro(b, &good, OFD_OFFLOAD_RX_CSUM);
	add_gro(b, &bad, OFD_OFFLOAD_RX_CSUM);
	i = b->n++;
	b->pkts[i][0].data = arp;
	b->pkts[i][0].len = sizeof(arp);
	b->cases[i].offload = OFD_OFFLOAD_RX_CSUM;
	b->cases[i].npkts = 1;
	b->cases[i].pkts = b->pkts[i];
	run(b);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(b->res[i]->status, OFD_RES_OK);
		ck_assert_uint_eq(b->res[i]->nframes, 1);
		ck_assert_uint_eq(b->res[i]->frame[0].len, b->pkts[i][0].len);
		ck_assert_mem_eq(fb(b->res[i], 0), b->pkts[i][0].data,
				 b->pkts[i][0].len);
		ck_assert(b->res[i]->frame[0].meta.has & OFD_META_CSUM_STATE);
	}
	ck_assert_uint_eq(b->res[0]->frame[0].meta.csum_state,
			  OFD_CSUM_STATE_UNNECESSARY);
	ck_assert_uint_eq(b->res[0]->frame[0].meta.vnet.flags,
			  OFD_VNET_F_DATA_VALID);
	ck_assert_uint_eq(b->res[1]->frame[0].meta.csum_state, OFD_CSUM_STATE_NONE);
	ck_assert_uint_eq(b->res[2]->frame[0].meta.csum_state, OFD_CSUM_STATE_NONE);
	bench_free(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* gro settings: UDP and VXLAN GRO on the engine's tap                  */
/* ------------------------------------------------------------------ */

enum { GS_FWD, GS_FLIST, GS_VXLAN, GS__N };

static const struct ofd_engine_param gs_params[GS__N][1] = {
	[GS_FWD] = { { "gro_udp", "forward" } },
	[GS_FLIST] = { { "gro_udp", "fraglist" } },
	[GS_VXLAN] = { { "vxlan", "on" } },
};

#define GS_MAX_FRAMES 2048

struct gs_desc {
	char *desc[GS_MAX_FRAMES];
	uint32_t n;
};

static int gs_collect(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct gs_desc *g = ctx;

	ck_assert_uint_lt(f->index, GS_MAX_FRAMES);
	g->desc[f->index] = strdup(f->desc);
	g->n = f->index + 1;
	return 0;
}

/* What kernel-rx.md says a train "<fam>/<rule>/<merge|apart> 1/n" gives
 * under setting mode: UDP merges with rx-udp-gro-forwarding or
 * rx-gro-list (2.1), VXLAN with a VXLAN socket (3), and then every rule's
 * "merge" train is one frame and its "apart" train two; else nothing
 * merges, except the VXLAN datagrams with both outer checksums filled
 * (vx_csum's merge train), which are plain UDP to a device that
 * aggregates UDP and has no VXLAN socket (2.2: non-zero checksums, one
 * length). */
static unsigned int gs_expect(unsigned int mode, const char *d, unsigned int npkts)
{
	bool udp = !strncmp(d, "udp", 3), vx = !strncmp(d, "vxlan", 5);
	bool apart = strstr(d, "/apart ") != NULL;

	if ((udp && mode != GS_VXLAN) || (vx && mode == GS_VXLAN))
		return apart ? 2 : 1;
	if (vx && strstr(d, "/vx_csum/merge "))
		return 1;
	return npkts;
}

START_TEST(gro_settings_corpus)
{
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_GRO)->cases;
	static const unsigned int files[] = { OFD_GRO_GEN_UDP, OFD_GRO_GEN_VXLAN };
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO),
				     .params = gs_params[_i], .nparams = 1 };
	struct gs_desc *g = calloc(2, sizeof(*g));
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set = { 0 };
	struct ofd_engine *e = NULL;
	struct ofd_twice t;
	uint32_t *counts;
	char path[512], err[256];
	unsigned int f, i, fi, bad = 0, merged = 0;

	ck_assert_ptr_nonnull(g);
	if (kernel_unavailable()) {
		free(g);
		return;
	}
	for (f = 0; f < 2; f++) {
		snprintf(path, sizeof(path), OFD_TEST_ROOT "/corpus/%s",
			 oc->scenarios[files[f]].file);
		ck_assert_msg(ofd_corpus_load(&corpus, path, err, sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(oc->scenarios[files[f]].foreach(oc->scenarios[files[f]].which,
								 gs_collect, &g[f]), 0);
	}
	ck_assert_msg(ofd_cases_derive(&corpus, OFD_CAP(OFD_OFFLOAD_GRO), 1u << OFD_REQ_VNET,
				       NULL, &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(ofd_engine__open("kernel", &o, &e, err, sizeof(err)) == 0, "%s", err);
	counts = calloc(set.ncases, sizeof(*counts));
	ck_assert_ptr_nonnull(counts);
	ck_assert_msg(ofd_run_twice(e, set.cases, set.ncases,
				    ofd_cases_max_output(OFD_CAP(OFD_OFFLOAD_GRO)), counts, &t,
				    err, sizeof(err)) == 0, "%s", err);
	if (t.unsupported == t.cases) {
		fprintf(stderr, "kernel_rx: no gro on the kernel engine here: %s\n",
			t.why ? t.why : "?");
		goto out;
	}
	ck_assert_msg(t.differ == 0, "%llu trains differ between two runs",
		      (unsigned long long)t.differ);
	for (i = 0; i < set.ncases; i++) {
		const struct ofd_case *c = &set.cases[i];
		const char *d;
		unsigned int want;

		fi = c->src_file == corpus.files[0] ? 0 : 1;
		ck_assert_uint_lt(c->src_index, g[fi].n);
		d = g[fi].desc[c->src_index];
		want = gs_expect((unsigned int)_i, d, c->npkts);
		merged += counts[i] < c->npkts;
		if (counts[i] != want) {
			fprintf(stderr, "kernel_rx: %s (%s=%s): %u frames, kernel-rx.md %u\n", d,
				gs_params[_i][0].key, gs_params[_i][0].value, counts[i], want);
			bad++;
		}
	}
	ck_assert_msg(!bad, "%u trains not as kernel-rx.md says (above)", bad);
	ck_assert_uint_gt(merged, 20);
	if (_i == GS_VXLAN) {
		/* the aggregates went up the tap, where the engine reads
		 * them, and IP dropped them (no address in the namespace):
		 * the VXLAN device itself received nothing
		 * (kernel_rx_dev.c) */
		struct ofdint_kns *ns = ofdint_kernel_ns(e->priv);
		char vx[IFNAMSIZ];
		uint64_t rx = 1;

		snprintf(vx, sizeof(vx), "ov%s", ns->rx_name + 2);
		ck_assert_int_eq(ofdint_kns_dev_stat(ns, vx, 1, &rx), 0);
		ck_assert_uint_eq(rx, 0);
	}
out:
	free(counts);
	ofd_engine__close(e);
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
	for (f = 0; f < 2; f++)
		for (i = 0; i < g[f].n; i++)
			free(g[f].desc[i]);
	free(g);
}
END_TEST

static Suite *kernel_rx_suite(void)
{
	Suite *s = suite_create("kernel_rx");
	TCase *tc;

	tc = tcase_create("gro");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, gro_rows_repeat, 0, OFD_ARRAY_SIZE(gro_rows));
	tcase_add_test(tc, rx_csum_states);
	suite_add_tcase(s, tc);
	tc = tcase_create("gro_settings");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, gro_settings_corpus, 0, GS__N);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(kernel_rx_suite)
