// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_iface_rx.c - gro through the iface target on the virtual NIC
 * (iface_rx.c, vnic_rx.c): the trains of kernel-rx.md 7.4 (gro_rows, the
 * kernel engine's own rows in check_kernel_rx.c) go onto the vnic's wire,
 * and what its device port hands the kernel is read back.
 *
 *  - `conformant` (the kernel's rules): every row comes back with the
 *    payload sizes, sequence numbers, flags and checksum states 7.4 gives
 *    (4x100 -> one aggregate of 400, TCPV4, gso_size 100, NEEDS_CSUM at
 *    the TCP header's checksum, csum_start 34, offset 16; PSH on the 2nd
 *    of 4 -> 200|200; a bad checksum overtakes the held segments; a padded
 *    frame stays unvalidated ...), and the diff calls it equal to the
 *    kernel engine's result on the same case;
 *  - `gro-psh-merge` (its YAML: "PSH does not end an aggregate; segments
 *    after it are merged in"): PSH on the 2nd of 4 comes back as one
 *    aggregate of 400 with PSH set, where the kernel gives 200|200; the
 *    diff finds the discrepancy and the gro judge names the class
 *    merged-across-psh;
 *  - random trains (random_gro.c: up to 8 frames of 1..3 TCP flows with
 *    one mutation, batch boundaries included) through `conformant`: each
 *    equal to the kernel engine's result on the same train.
 *
 * Root only (the kernel engine and the vnic's namespace): without root the
 * tests print why and pass, as the kernel suites do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_test_util.h"
#include "ofd_gro.h"
#include "ofd_offload.h"
#include "ofd_run.h"

extern const struct ofd_engine_ops ofd_engine_iface;

/* The rows of check_kernel_rx.c; how many there are. */
#define NROWS 12

static void *iface_open_vnic(const char *profile)
{
	struct ofd_engine_param p[] = { { "vnic", profile } };
	struct ofd_engine_opts o = { .caps = OFD_CAP(OFD_OFFLOAD_GRO),
				     .profile_dir = "specs/profiles",
				     .params = p, .nparams = 1 };
	void *priv = NULL;

	ck_assert_int_eq(ofd_engine_iface.open(&o, &priv), 0);
	return priv;
}

/* The bench's cases through the iface target into res. */
static void run_iface(void *priv, struct bench *b, struct ofd_result **res)
{
	unsigned int i;

	for (i = 0; i < b->n; i++)
		ofd_result_reset(res[i]);
	ck_assert_int_eq(ofd_engine_iface.run(priv, b->cases, res, b->n), 0);
}

/* A result against a 7.4 row: payload per frame, first sequence number,
 * flags, checksum state, and an aggregate's virtio_net_hdr. */
static void check_row(const struct gro_row *row, const struct ofd_result *r)
{
	unsigned int k;

	ck_assert_msg(r->status == OFD_RES_OK, "%s: status %u (%s)", row->name, r->status,
		      r->detail ? r->detail : "");
	ck_assert_msg(r->nframes == row->nout, "%s: %u frames, 7.4 says %u", row->name,
		      r->nframes, row->nout);
	for (k = 0; k < row->nout; k++) {
		const uint8_t *f = fb(r, k);
		const struct ofd_meta *m = &r->frame[k].meta;
		uint32_t hl = 40 + (row->tsval[0] ? 12 : 0);

		ck_assert_uint_ge(r->frame[k].len, 14 + hl);
		ck_assert_msg(be16(f + 16) == hl + row->out[k], "%s frame %u: payload %u",
			      row->name, k, be16(f + 16) - hl);
		if (row->out_seq[k] >= 0)
			ck_assert_uint_eq(be32(f + L4OFF + 4), (uint32_t)row->out_seq[k]);
		if (row->out_flags[k])
			ck_assert_uint_eq(f[L4OFF + 13], row->out_flags[k]);
		if (row->out_state[k])
			ck_assert_uint_eq(m->csum_state, row->out_state[k] - 1u);
		ck_assert(m->has & OFD_META_VNET);
		if (row->out[k] > row->payload[0] && row->out[k] > row->payload[row->npkts - 1]) {
			ck_assert_uint_eq(m->vnet.gso_type, OFD_VNET_GSO_TCPV4);
			ck_assert_uint_eq(m->vnet.gso_size, row->payload[0]);
			ck_assert_uint_eq(m->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
			ck_assert_uint_eq(m->vnet.csum_start, L4OFF);
			ck_assert_uint_eq(m->vnet.csum_offset, 16);
		} else {
			ck_assert_uint_eq(m->vnet.gso_type, OFD_VNET_GSO_NONE);
		}
	}
}

START_TEST(conformant_equals_kernel)
{
	struct ofd_result *res[NROWS];
	struct bench *b;
	void *priv;
	unsigned int i;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_GRO));
	for (i = 0; i < NROWS; i++) {
		add_gro(b, &gro_rows[i], OFD_OFFLOAD_GRO);
		ck_assert_int_eq(ofd_result__new(ARENA, &res[i]), 0);
	}
	run(b);
	priv = iface_open_vnic("conformant");
	/* Twice: a second run on the same device gives the same frames. */
	for (int pass = 0; pass < 2; pass++) {
		run_iface(priv, b, res);
		for (i = 0; i < NROWS; i++) {
			check_row(&gro_rows[i], res[i]);
			ck_assert_msg(ofd_diff_case(&b->cases[i], b->res[i], res[i],
						    OFD_F_DEVICE) == OFD_V_EQUAL,
				      "%s: not equal to the kernel engine", gro_rows[i].name);
		}
	}
	ofd_engine_iface.close(priv);
	for (i = 0; i < NROWS; i++)
		ofd_result__free(res[i]);
	bench_free(b);
}
END_TEST

START_TEST(psh_merge_found)
{
	const struct gro_row *row = NULL;
	const struct ofd_offload_ops *o = ofd_offload_get(OFD_OFFLOAD_GRO);
	struct ofd_explanation e;
	struct ofd_result *res;
	struct bench *b;
	const uint8_t *f;
	void *priv;
	unsigned int i;

	if (kernel_unavailable())
		return;
	for (i = 0; i < NROWS; i++)
		if (!strcmp(gro_rows[i].name, "PSH on 2nd of 4"))
			row = &gro_rows[i];
	ck_assert_ptr_nonnull(row);
	b = bench_new(OFD_CAP(OFD_OFFLOAD_GRO));
	add_gro(b, row, OFD_OFFLOAD_GRO);
	run(b);
	check_row(row, b->res[0]); /* the kernel: 200|200 */
	ck_assert_int_eq(ofd_result__new(ARENA, &res), 0);
	priv = iface_open_vnic("gro-psh-merge");
	run_iface(priv, b, &res);
	/* The profile: PSH joins the aggregate and it stays open. */
	ck_assert_uint_eq(res->nframes, 1);
	f = fb(res, 0);
	ck_assert_uint_eq(be16(f + 16), 40 + 400);
	ck_assert_uint_eq(be32(f + L4OFF + 4), 0);
	ck_assert_uint_eq(f[L4OFF + 13] & 0x08, 0x08);
	ck_assert_uint_eq(res->frame[0].meta.vnet.gso_type, OFD_VNET_GSO_TCPV4);
	ck_assert_uint_eq(res->frame[0].meta.vnet.gso_size, 100);
	ck_assert_int_eq(ofd_diff_case(&b->cases[0], b->res[0], res, OFD_F_DEVICE),
			 OFD_V_DISCREPANCY);
	ck_assert_ptr_nonnull(o->judge);
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(o->judge->explain(&b->cases[0], b->res[0], res, &e), 0);
	ck_assert_str_eq(e.id, "merged-across-psh");
	ck_assert(!e.benign);
	ofd_engine_iface.close(priv);
	ofd_result__free(res);
	bench_free(b);
}
END_TEST

#define NRANDOM 200

START_TEST(random_trains_conformant)
{
	struct ofd_result *res[NRANDOM];
	struct bench *b;
	void *priv;
	unsigned int i, k, equal = 0;

	if (kernel_unavailable())
		return;
	b = bench_new(OFD_CAP(OFD_OFFLOAD_GRO));
	for (i = 0; i < NRANDOM; i++) {
		uint8_t *buf = calloc(1, OFD_GRO_RANDOM_PKTS * OFD_GRO_RANDOM_FRAME);

		ck_assert_ptr_nonnull(buf);
		/* the bench frees frames[i][0..7]: the buffer is the first */
		b->frames[i][0] = buf;
		ck_assert_int_eq(ofd_gro_random(1, i, buf, OFD_GRO_RANDOM_PKTS * OFD_GRO_RANDOM_FRAME,
						b->pkts[i], 8, &b->cases[i]), 0);
		b->cases[i].id = i;
		b->cases[i].pkts = b->pkts[i];
		ck_assert_int_eq(ofd_result__new(ARENA, &res[i]), 0);
		b->n++;
	}
	run(b);
	priv = iface_open_vnic("conformant");
	run_iface(priv, b, res);
	for (i = 0; i < NRANDOM; i++) {
		enum ofd_verdict v = ofd_diff_case(&b->cases[i], b->res[i], res[i], OFD_F_DEVICE);

		/* The kernel engine cannot take every random train (a write it
		 * refuses); where it does, the device must be equal. */
		if (b->res[i]->status != OFD_RES_OK)
			continue;
		ck_assert_msg(v == OFD_V_EQUAL, "random train %u (%u frames): verdict %d", i,
			      b->cases[i].npkts, v);
		for (k = 0; k < res[i]->nframes; k++)
			ck_assert(res[i]->frame[k].meta.has & OFD_META_VNET);
		equal++;
	}
	ck_assert_uint_gt(equal, NRANDOM * 9 / 10);
	ofd_engine_iface.close(priv);
	for (i = 0; i < NRANDOM; i++)
		ofd_result__free(res[i]);
	bench_free(b);
}
END_TEST

static Suite *iface_rx_suite(void)
{
	Suite *s = suite_create("iface_rx");
	TCase *tc = tcase_create("gro");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, conformant_equals_kernel);
	tcase_add_test(tc, psh_merge_found);
	tcase_add_test(tc, random_trains_conformant);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(iface_rx_suite);
