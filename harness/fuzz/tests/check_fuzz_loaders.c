// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_fuzz_loaders.c - a short smoke of the loaders' fuzzer
 * (harness/fuzz/loaders.c) in every test run; `make fuzz-loaders` is the
 * long one.
 *
 * Cases:
 *  - every seed `make fuzz-loaders` starts from (bundled specs and
 *    profiles, the spec tests' files, the sample case and checkpoints)
 *    goes through its loader; the bundled ones load (0), so the entry
 *    point really reaches the loaders;
 *  - 4,000 deterministic mutants of them (byte flips, cuts, inserted
 *    YAML/JSON tokens, spliced halves, another loader's byte): never a
 *    crash or a sanitizer report (`make SANITIZER=address check`), each
 *    done in well under a second;
 *  - what the fuzzer found: a checkpoint without a string reference, a
 *    finding without a layer path after one with (was a hang).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofd.h"
#include "ofd_fuzz.h"
#include "ofd_safe_open.h"
#include "ofd_test.h"

#define MAX_SEEDS 256 /* every bundled spec and profile, and more */
#define MUTANTS 4000

struct seed {
	uint8_t *data;
	size_t len;
	bool must_load;
	char name[160];
};

static struct seed seeds[MAX_SEEDS];
static size_t nseeds;

static void add(uint8_t loader, const char *path, const char *path2, bool must_load)
{
	char err[256], *a, *b = NULL;
	size_t la, lb = 0;
	struct seed *s;

	ck_assert_uint_lt(nseeds, MAX_SEEDS);
	ck_assert_msg(!ofd_read_regular(path, 1 << 20, &a, &la, err, sizeof(err)), "%s", err);
	if (path2)
		ck_assert_msg(!ofd_read_regular(path2, 1 << 20, &b, &lb, err, sizeof(err)),
			      "%s", err);
	s = &seeds[nseeds++];
	s->len = 1 + la + (path2 ? 1 + lb : 0);
	s->data = malloc(s->len);
	ck_assert_ptr_nonnull(s->data);
	s->data[0] = loader;
	memcpy(s->data + 1, a, la);
	if (path2) {
		s->data[1 + la] = '\0';
		memcpy(s->data + 2 + la, b, lb);
	}
	s->must_load = must_load;
	snprintf(s->name, sizeof(s->name), "%s%s", path, path2 ? "+findings" : "");
	free(a);
	free(b);
}

static void add_dir(uint8_t loader, const char *dir, bool must_load)
{
	struct dirent **ents;
	char path[512];
	int i, n = scandir(dir, &ents, NULL, alphasort);

	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++) {
		size_t l = strlen(ents[i]->d_name);

		/* specs/allowlist-*.yaml are the allow-list's policies, not
		 * campaign specs (the allowlist suite fuzzes their loader) */
		if (l > 5 && !strcmp(ents[i]->d_name + l - 5, ".yaml") &&
		    strncmp(ents[i]->d_name, "allowlist-", 10)) {
			snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
			add(loader, path, NULL, must_load);
		}
		free(ents[i]);
	}
	free(ents);
}

/* The seeds of `make fuzz-loaders` (fuzz-loaders-seeds). */
static void setup(void)
{
	static const char *const ckpt[] = { "harness/fuzz/tests/data/checkpoint/progress.json",
		"harness/fuzz/tests/data/checkpoint/progress-skips.json" };
	size_t i;

	nseeds = 0;
	add_dir(OFD_FUZZ_LOADER_SPEC, "specs", true);
	add_dir(OFD_FUZZ_LOADER_SPEC, "harness/input/tests/data/spec", false);
	add_dir(OFD_FUZZ_LOADER_PROFILE, "specs/profiles", true);
	add(OFD_FUZZ_LOADER_CASE, "harness/fuzz/tests/data/case/case.yaml", NULL, true);
	for (i = 0; i < OFD_ARRAY_SIZE(ckpt); i++) {
		add(OFD_FUZZ_LOADER_CHECKPOINT, ckpt[i], NULL, true);
		add(OFD_FUZZ_LOADER_CHECKPOINT, ckpt[i],
		    "harness/fuzz/tests/data/checkpoint/findings.jsonl", true);
	}
}

static void teardown(void)
{
	size_t i;

	for (i = 0; i < nseeds; i++)
		free(seeds[i].data);
	nseeds = 0;
}

START_TEST(seeds_load)
{
	size_t i;

	for (i = 0; i < nseeds; i++) {
		int ret = ofd_fuzz_loaders_one(seeds[i].data, seeds[i].len);

		if (seeds[i].must_load)
			ck_assert_msg(ret == 0, "%s: %d", seeds[i].name, ret);
	}
}
END_TEST

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* What a hand-edited or damaged file holds where a value was. */
static const char *const tokens[] = {
	"", "\n", ": ", "- ", "[", "]", "{", "}", "\"", "'", "\\0", "\"\\0\"", "&a ", "*a",
	"? ", "#", "\t", "---\n", "-1", "0x", "4294967296", "99999999999999999999",
	"1e308", "null", "true", "[]", "{}", "\"\"", "...", "\xff", "\xc2\x9b",
	"/dev/zero", "..", "srh.segment[-1]", "ipv4.id", "reference", "label",
	"\"path\": \"\"", "\"case\": -1", "\"count\": -5", "\"reproducer\": \"../\"",
};

static size_t mutate(uint64_t *s, const struct seed *sd, uint8_t *out, size_t cap)
{
	size_t n = sd->len, i, k, pos;
	int op = (int)(rng(s) % 6);

	memcpy(out, sd->data, n);
	switch (op) {
	case 0: /* flips */
		for (k = 1 + rng(s) % 8; k; k--)
			if (n > 1)
				out[1 + rng(s) % (n - 1)] ^= (uint8_t)(1u << (rng(s) % 8));
		break;
	case 1: /* cut */
		n = 1 + (n > 1 ? rng(s) % (n - 1) : 0);
		break;
	case 2: /* a token in, replacing a few bytes */
	case 3: {
		const char *t = tokens[rng(s) % OFD_ARRAY_SIZE(tokens)];
		size_t tl = strlen(t), del;

		pos = 1 + (n > 1 ? rng(s) % (n - 1) : 0);
		del = rng(s) % 8;
		if (pos + del > n)
			del = n - pos;
		if (n - del + tl > cap)
			break;
		memmove(out + pos + tl, out + pos + del, n - pos - del);
		memcpy(out + pos, t, tl);
		n = n - del + tl;
		break;
	}
	case 4: { /* splice: the second half of another seed */
		const struct seed *o = &seeds[rng(s) % nseeds];
		size_t from = o->len > 1 ? 1 + rng(s) % (o->len - 1) : 1;

		pos = 1 + (n > 1 ? rng(s) % (n - 1) : 0);
		if (pos + (o->len - from) <= cap) {
			memcpy(out + pos, o->data + from, o->len - from);
			n = pos + (o->len - from);
		}
		break;
	}
	default: /* the text to another loader */
		out[0] = (uint8_t)rng(s);
		break;
	}
	/* Now and then a line duplicated: duplicate keys, repeated items. */
	if (rng(s) % 8 == 0 && n > 2) {
		pos = 1 + rng(s) % (n - 1);
		for (i = pos; i < n && out[i] != '\n'; i++)
			;
		if (i < n && n + (i - pos + 1) <= cap) {
			k = i - pos + 1;
			memmove(out + i + 1 + k, out + i + 1, n - i - 1);
			memcpy(out + i + 1, out + pos, k);
			n += k;
		}
	}
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(mutants_never_crash)
{
	size_t cap = 1 << 20, i, n;
	uint8_t *in = malloc(cap);
	uint64_t s = 0x10adull;

	ck_assert_ptr_nonnull(in);
	for (i = 0; i < MUTANTS; i++) {
		const struct seed *sd = &seeds[rng(&s) % nseeds];
		double t0;

		n = mutate(&s, sd, in, cap);
		t0 = now();
		ofd_fuzz_loaders_one(in, n);
		ck_assert_msg(now() - t0 < 1.0, "mutant %zu of %s: %.2f s", i, sd->name,
			      now() - t0);
	}
	free(in);
}
END_TEST

/* What the fuzzer found, kept: a progress.json without a string reference
 * (strdup(NULL) in ofd_report__reopen), and a class whose findings have a
 * layer path and then none (strstr() of "" never moved on in the path
 * list: a hang). */
START_TEST(found_by_fuzzing)
{
	static const char no_ref[] = "\003{\"spec\": \"s.yaml\", \"reference\": 1,"
		" \"cases_done\": 1, \"targets\": []}";
	static const char no_path[] = "\003{\"spec\": \"s.yaml\", \"reference\": \"model\","
		" \"cases_done\": 9, \"cases_total\": 9, \"targets\": [{\"label\": \"emu:x\","
		" \"verdicts\": {\"discrepancy\": 9}}]}\0"
		"{\"case\": 1, \"class\": \"c\", \"path\": \"ipv4/udp\", \"target\": \"emu:x\"}\n"
		"{\"case\": 2, \"class\": \"c\", \"target\": \"emu:x\"}\n";
	double t0 = now();

	ck_assert_int_eq(ofd_fuzz_loaders_one((const uint8_t *)no_ref, sizeof(no_ref) - 1),
			 -EINVAL);
	ck_assert_int_eq(ofd_fuzz_loaders_one((const uint8_t *)no_path, sizeof(no_path) - 1), 0);
	ck_assert_msg(now() - t0 < 1.0, "%.2f s", now() - t0);
}
END_TEST

static Suite *fuzz_loaders_suite(void)
{
	Suite *s = suite_create("fuzz_loaders");
	TCase *tc = tcase_create("smoke");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, seeds_load);
	tcase_add_test(tc, mutants_never_crash);
	tcase_add_test(tc, found_by_fuzzing);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(fuzz_loaders_suite)
