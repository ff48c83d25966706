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
 *    non-IP frame are NONE.
 *
 * Everything needs root: when the engine's probe fails the tests print the
 * reason and pass (Check has no skip); CI runs them as root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_kernel.h"
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

static Suite *kernel_rx_suite(void)
{
	Suite *s = suite_create("kernel_rx");
	TCase *tc;

	tc = tcase_create("gro");
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, gro_rows_repeat, 0, OFD_ARRAY_SIZE(gro_rows));
	tcase_add_test(tc, rx_csum_states);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(kernel_rx_suite)
