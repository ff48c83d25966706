// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_runner.c - the hot path's promises.
 *
 * Cases:
 *  - model vs emu:conformant over the bundled corpus: every case equal,
 *    and once the slots exist, batches hold no new memory (glibc's
 *    mallinfo2 in-use bytes and mmap'd chunks do not move; a malloc freed
 *    within the same batch would not show here, perf does);
 *  - TX checksum engines do not copy: output frames point at the input
 *    and carry a patch of the checksum field only;
 *  - the quick verdicts for each result pairing;
 *  - a frame a target copies in (ofd_result_add_copy) is its own bytes,
 *    without metadata, and a full arena says -ENOSPC instead of writing.
 */
#include <errno.h>
#include <malloc.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_test.h"

static struct ofd_corpus corpus;
static struct ofd_caseset set;
static struct ofd_engine *model, *emu;

static void setup(void)
{
	struct ofd_engine_opts eo = { .profile = "conformant", .profile_dir = "specs/profiles" };
	char err[256];

	memset(&corpus, 0, sizeof(corpus));
	ck_assert_int_eq(ofd_corpus_load(&corpus, "corpus/tx-csum/base.pcap", err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_corpus_load(&corpus, "corpus/tx-csum/tunnels.pcap", err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_cases_derive(&corpus, OFD_CAP(OFD_OFFLOAD_TX_CSUM), 3, NULL, &set,
					  err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_engine__open("model", &eo, &model, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_engine__open("emu", &eo, &emu, err, sizeof(err)), 0);
}

static void teardown(void)
{
	ofd_engine__close(emu);
	ofd_engine__close(model);
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
}

START_TEST(hot_path_allocates_nothing)
{
	struct ofd_runner_target rt = { .engine = emu, .label = "emu:conformant" };
	struct ofd_runner *r;
	struct mallinfo2 before, after;
	unsigned int bs;
	uint32_t k;
	int pass;

	ck_assert_int_eq(ofd_runner__new(model, &rt, 1, NULL, NULL, &r), 0);
	bs = ofd_runner__batch_size(r);
	for (pass = 0; pass < 3; pass++) {
		if (pass == 1)
			before = mallinfo2();
		for (k = 0; k < set.ncases; k += bs)
			ck_assert_int_eq(ofd_runner__batch(r, &set.cases[k],
							   set.ncases - k < bs ? set.ncases - k : bs), 0);
	}
	after = mallinfo2();
	ck_assert_uint_eq(ofd_runner__count(r, OFD_V_EQUAL), 3ull * set.ncases);
	ck_assert_uint_eq(ofd_runner__critical(r), 0);
#if !defined(__SANITIZE_ADDRESS__)
	/* ASan's allocator does not report through mallinfo2 */
	ck_assert_uint_eq(after.uordblks, before.uordblks);
	ck_assert_uint_eq(after.hblks, before.hblks);
#else
	(void)before;
	(void)after;
#endif
	ofd_runner__free(r);
}
END_TEST

START_TEST(copied_frames_are_owned_and_bounded)
{
	uint8_t wire[64];
	struct ofd_result *res;
	unsigned int i;
	int e = 0;

	ck_assert_int_eq(ofd_result__new(4096, &res), 0);
	for (i = 0; i < sizeof(wire); i++)
		wire[i] = (uint8_t)i;
	ck_assert_int_eq(ofd_result_add_copy(res, wire, sizeof(wire)), 0);
	memset(wire, 0xee, sizeof(wire)); /* the target's buffer, reused */
	ck_assert_uint_eq(res->nframes, 1);
	ck_assert_uint_eq(res->frame[0].len, sizeof(wire));
	ck_assert_ptr_ne(res->frame[0].base, wire);
	ck_assert_uint_eq(res->frame[0].base[63], 63);
	ck_assert_uint_eq(res->frame[0].meta.has, 0);
	for (i = 1; i <= OFD_MAX_FRAMES && !e; i++)
		e = ofd_result_add_copy(res, wire, 1);
	ck_assert_int_eq(e, -ENOSPC);
	/* the 4096-byte arena holds the 64-byte frame and 4032 of 1 byte */
	ck_assert_uint_eq(res->nframes, 1 + (4096 - sizeof(wire)));
	ck_assert_uint_eq(res->arena_used, 4096);
	ofd_result__free(res);
}
END_TEST

START_TEST(tx_csum_output_is_input_plus_patch)
{
	struct ofd_result *res;
	uint32_t i;

	ck_assert_int_eq(ofd_result__new(0, &res), 0);
	for (i = 0; i < set.ncases; i++) {
		const struct ofd_case *c = &set.cases[i];
		struct ofd_engine *e = i & 1 ? emu : model;

		ofd_result_reset(res);
		ck_assert_int_eq(e->ops->run(e->priv, c, &res, 1), 0);
		ck_assert_uint_eq(res->status, OFD_RES_OK);
		ck_assert_uint_eq(res->nframes, 1);
		ck_assert_ptr_eq(res->frame[0].base, c->pkts[0].data);
		ck_assert_uint_eq(res->frame[0].npatches, 1);
		ck_assert_uint_eq(res->frame[0].patch[0].off,
				  c->req.csum_type == OFD_CSUM_CRC32C ?
					  c->req.vnet.csum_start + 8u :
					  (uint32_t)c->req.vnet.csum_start + c->req.vnet.csum_offset);
	}
	ofd_result__free(res);
}
END_TEST

START_TEST(quick_verdicts)
{
	static const uint8_t f[60] = { 1, 2, 3 };
	struct ofd_result *a, *b;
	struct ofd_frame *fa, *fb;

	ck_assert_int_eq(ofd_result__new(0, &a), 0);
	ck_assert_int_eq(ofd_result__new(0, &b), 0);
	ofd_result_reset(a);
	ofd_result_reset(b);
	fa = ofd_result_add_ref(a, f, sizeof(f));
	fb = ofd_result_add_ref(b, f, sizeof(f));
	ofd_frame_patch_be16(fa, 40, 0x1234);
	ofd_frame_patch_be16(fb, 40, 0x1234);
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_DEVICE), OFD_V_EQUAL);
	ofd_frame_patch_be16(fb, 40, 0x1235);
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_DEVICE), OFD_V_DISCREPANCY);
	/* a patch that writes what is already there equals no patch */
	ofd_result_reset(b);
	fb = ofd_result_add_ref(b, f, sizeof(f));
	ofd_frame_patch_be16(fb, 40, 0x1234);
	ofd_frame_patch_be16(fb, 2, 0x0300); /* f[2], f[3] */
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_DEVICE), OFD_V_EQUAL);
	/* rejections */
	ofd_result_reject(a, OFD_REASON_GSO_SIZE_ZERO, OFD_STAGE_SUBMIT);
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_DEVICE), OFD_V_UNSUPPORTED);
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_REFERENCE), OFD_V_ONE_REJECTED);
	ofd_result_reject(b, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_REFERENCE), OFD_V_DISCREPANCY);
	ofd_result_reject(b, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT);
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_REFERENCE), OFD_V_BOTH_REJECTED);
	b->status = OFD_RES_FAULT;
	ck_assert_int_eq(ofd_diff_quick(a, b, OFD_F_DEVICE), OFD_V_TARGET_FAULT);
	ofd_result__free(a);
	ofd_result__free(b);
}
END_TEST

static Suite *runner_suite(void)
{
	Suite *s = suite_create("runner");
	TCase *tc = tcase_create("hot-path");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, hot_path_allocates_nothing);
	tcase_add_test(tc, tx_csum_output_is_input_plus_patch);
	tcase_add_test(tc, quick_verdicts);
	tcase_add_test(tc, copied_frames_are_owned_and_bounded);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(runner_suite)
