// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_fuzz.c - the fuzz entry point, run deterministically in CI.
 *
 * Cases:
 *  - every bundled corpus frame, as a vnet and as a legacy input: model
 *    and emu:conformant agree;
 *  - 40,000 mutants (byte flips, cuts, random virtio_net_hdr fields) of
 *    corpus frames: never a disagreement with conformant, never a crash;
 *  - the same mutants against every bug profile: the slow path (field
 *    diff, every explanation hypothesis) runs on each one that differs and
 *    always yields a verdict, never a crash (ASan in `make SANITIZER=...`).
 */
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_fuzz.h"
#include "ofd_run.h"
#include "ofd_test.h"

static struct ofd_corpus corpus;

static void setup(void)
{
	static const char *const files[] = { "corpus/tx-csum/base.pcap",
		"corpus/tx-csum/ipv6-ext.pcap", "corpus/tx-csum/tunnels.pcap",
		"corpus/tx-csum/edge.pcap" };
	char err[256];
	size_t i;

	memset(&corpus, 0, sizeof(corpus));
	for (i = 0; i < OFD_ARRAY_SIZE(files); i++)
		ck_assert_int_eq(ofd_corpus_load(&corpus, files[i], err, sizeof(err)), 0);
}

static void teardown(void)
{
	ofd_corpus_free(&corpus);
}

/* An input: the 11-byte prefix, then the frame. */
static size_t make_input(uint8_t *in, const struct ofd_corpus_pkt *pk, int legacy)
{
	struct ofd_request req;

	memset(in, 0, 11);
	in[0] = (uint8_t)legacy;
	if (!legacy && !ofd_txcsum_request(pk->data, pk->len, OFD_REQ_VNET, &req, NULL)) {
		in[1] = req.vnet.flags;
		in[7] = (uint8_t)req.vnet.csum_start;
		in[8] = (uint8_t)(req.vnet.csum_start >> 8);
		in[9] = (uint8_t)req.vnet.csum_offset;
	}
	memcpy(in + 11, pk->data, pk->len);
	return 11 + pk->len;
}

START_TEST(corpus_inputs_agree)
{
	ck_assert_int_eq(ofd_fuzz_init("tx-csum", "conformant"), 0);
	uint8_t *in = malloc(11 + 65536);
	uint32_t i;
	int legacy;

	for (i = 0; i < corpus.npkts; i++)
		for (legacy = 0; legacy < 2; legacy++) {
			size_t n = make_input(in, &corpus.pkts[i], legacy);
			struct ofd_diff d = { 0 };
			int rc = ofd_fuzz_one(in, n, &d);

			ck_assert_msg(rc == 0, "packet %u %s: %s", i, legacy ? "legacy" : "vnet",
				      d.text ? d.text : "");
			ofd_diff_free(&d);
		}
	free(in);
}
END_TEST

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static const char *const profiles[] = { "conformant", "srv6-ipv6-dst", "ipv6-no-exthdr",
	"zero-csum-0000", "short-tail", "tunnel-outer", "smsc95xx" };

START_TEST(mutants_never_disagree)
{
	uint8_t *in = malloc(11 + 65536);
	uint64_t s = 0x5eed + (uint64_t)_i;
	int i, k, differing = 0;

	ck_assert_int_eq(ofd_fuzz_init("tx-csum", profiles[_i]), 0);

	for (i = 0; i < (_i ? 8000 : 40000); i++) {
		const struct ofd_corpus_pkt *pk = &corpus.pkts[rng(&s) % corpus.npkts];
		size_t n = make_input(in, pk, (int)(rng(&s) & 1));
		struct ofd_diff d = { 0 };
		int flips = (int)(rng(&s) % 4), rc;

		/* random request fields now and then */
		if (rng(&s) % 4 == 0)
			for (k = 1; k < 11; k++)
				in[k] = (uint8_t)rng(&s);
		for (k = 0; k < flips; k++)
			in[11 + rng(&s) % pk->len] ^= (uint8_t)(1u << (rng(&s) % 8));
		if (rng(&s) % 8 == 0)
			n = 11 + rng(&s) % pk->len;
		rc = ofd_fuzz_one(in, n, &d);
		ck_assert_msg(rc == 0, "%s mutant %d: %s", profiles[_i], i, d.text ? d.text : "");
		if (d.text) {
			differing++;
			ck_assert(d.verdict < OFD_V__MAX && d.cls[0]);
		}
		ofd_diff_free(&d);
	}
	/* a bug profile must differ somewhere, and the slow path ran */
	if (_i)
		ck_assert_int_gt(differing, 0);
	free(in);
}
END_TEST

static Suite *fuzz_suite(void)
{
	Suite *s = suite_create("fuzz");
	TCase *tc = tcase_create("txcsum");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, corpus_inputs_agree);
	tcase_add_loop_test(tc, mutants_never_disagree, 0, OFD_ARRAY_SIZE(profiles));
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(fuzz_suite)
