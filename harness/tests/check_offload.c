// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_offload.c - the offload registry (harness/offloads.def,
 * harness/offloads.c): names and ethtool aliases, and that every layer an
 * offload has is linked in (weak references fail silently otherwise).
 */
#include <string.h>

#include "ofd_offload.h"
#include "ofd_test.h"

/* The ethtool strings are net/ethtool/common.c netdev_features_strings and
 * the short names ethtool(8) -K accepts. */
START_TEST(names_and_aliases)
{
	static const struct {
		const char *name;
		int off;
	} known[] = {
		{ "tx-csum", OFD_OFFLOAD_TX_CSUM },
		{ "tx-checksumming", OFD_OFFLOAD_TX_CSUM },
		{ "tx", OFD_OFFLOAD_TX_CSUM },
		{ "tcp-segmentation-offload", OFD_OFFLOAD_TSO },
		{ "tso", OFD_OFFLOAD_TSO },
		{ "generic-receive-offload", OFD_OFFLOAD_GRO },
		{ "gro", OFD_OFFLOAD_GRO },
		{ "rx-checksumming", OFD_OFFLOAD_RX_CSUM },
		{ "rx", OFD_OFFLOAD_RX_CSUM },
		{ "rx-csum", OFD_OFFLOAD_RX_CSUM },
		{ "receive-hashing", OFD_OFFLOAD_RSS },
		{ "rxhash", OFD_OFFLOAD_RSS },
	};
	size_t i;

	for (i = 0; i < OFD_ARRAY_SIZE(known); i++)
		ck_assert_msg(ofd_offload_from_name(known[i].name) == known[i].off,
			      "%s", known[i].name);
	ck_assert_int_eq(ofd_offload_from_name("tx-checksum"), -EINVAL);
	ck_assert_int_eq(ofd_offload_from_name(""), -EINVAL);
	ck_assert_str_eq(ofd_offload_ethtool_name(OFD_OFFLOAD_TX_CSUM), "tx-checksumming");
	ck_assert_str_eq(ofd_offload_name(OFD_OFFLOAD__MAX), "?");
	ck_assert_ptr_null(ofd_offload_get(OFD_OFFLOAD__MAX));
}
END_TEST

/* Every name and alias names one offload only. */
START_TEST(names_unambiguous)
{
	unsigned int a, b;

	for (a = 0; a < OFD_OFFLOAD__MAX; a++) {
		const struct ofd_offload_ops *o = ofd_offload_get(a);

		ck_assert_uint_eq(o->id, a);
		ck_assert_int_eq(ofd_offload_from_name(o->name), (int)a);
		ck_assert_int_eq(ofd_offload_from_name(o->ethtool), (int)a);
		ck_assert_int_eq(ofd_offload_from_name(o->ethtool_short), (int)a);
		for (b = 0; b < a; b++)
			ck_assert_str_ne(o->name, ofd_offload_get(b)->name);
	}
}
END_TEST

/* tx-csum has every layer, and the engines built from per-offload files
 * (model, emu) say so: a layer lost at link time would show up here. */
START_TEST(tx_csum_layers_linked)
{
	const struct ofd_offload_ops *o = ofd_offload_get(OFD_OFFLOAD_TX_CSUM);

	ck_assert_ptr_nonnull(o->cases);
	ck_assert_ptr_nonnull(o->cases->derive);
	ck_assert_ptr_nonnull(o->cases->random);
	ck_assert_uint_gt(o->cases->nscenarios, 0);
	ck_assert_ptr_nonnull(o->judge);
	ck_assert_ptr_nonnull(o->judge->explain);
	ck_assert_ptr_nonnull(o->fuzz);
	ck_assert_ptr_nonnull(o->fuzz->decode);
	ck_assert_uint_eq(o->dir, OFD_DIR_TX);
	ck_assert(ofd_engine_caps(ofd_engine_find("model")) & OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	ck_assert(ofd_engine_caps(ofd_engine_find("emu")) & OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	/* gro and rss have models (oracles/model/gro.c, rss.c): the model
	 * claims them, and nothing past the registry */
	ck_assert(ofd_engine_caps(ofd_engine_find("model")) & OFD_CAP(OFD_OFFLOAD_GRO));
	ck_assert(ofd_engine_caps(ofd_engine_find("model")) & OFD_CAP(OFD_OFFLOAD_RSS));
	ck_assert(!(ofd_engine_caps(ofd_engine_find("model")) & ~(OFD_CAP(OFD_OFFLOAD__MAX) - 1)));
	ck_assert_uint_eq(ofd_offload_get(OFD_OFFLOAD_GRO)->dir, OFD_DIR_RX);
}
END_TEST

/* An offload without cases is a clear error, not an empty campaign: the
 * first offload that has none yet (rss had none, then rx-csum); once
 * every offload has cases, every one of them derives. */
START_TEST(derive_offload_without_cases)
{
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set;
	char err[256] = "", want[256];
	unsigned int off;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (!ofd_offload_get(off)->cases)
			break;
	if (off == OFD_OFFLOAD__MAX) {
		for (off = 0; off < OFD_OFFLOAD__MAX; off++)
			ck_assert_ptr_nonnull(ofd_offload_get(off)->cases->derive);
		return;
	}
	ck_assert_int_eq(ofd_cases_derive(&corpus, OFD_CAP(off), 3, NULL,
					  &set, err, sizeof(err)), -EOPNOTSUPP);
	snprintf(want, sizeof(want), "offload %s (%s) has no cases yet",
		 ofd_offload_get(off)->name, ofd_offload_get(off)->ethtool);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(set.ncases, 0);
}
END_TEST

static Suite *offload_suite(void)
{
	Suite *s = suite_create("offload");
	TCase *tc = tcase_create("registry");

	tcase_add_test(tc, names_and_aliases);
	tcase_add_test(tc, names_unambiguous);
	tcase_add_test(tc, tx_csum_layers_linked);
	tcase_add_test(tc, derive_offload_without_cases);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(offload_suite)
