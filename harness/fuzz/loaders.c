// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * loaders.c - one fuzz input through one of the loaders of what people
 * and scripts hand offdiff: campaign specs, emulator profiles, case files
 * and checkpoints (see ofd_fuzz.h for the input layout).
 *
 * Kept in the library, like ofd_fuzz_one(), so that the Check suite runs
 * the same entry point on seeds and mutants that AFL++ runs for hours.
 * Every loader is reached the way offdiff reaches it, from the text on:
 *  - specs through ofd_spec_parse(), named specs/fuzz.yaml so that the
 *    bundled specs' relative corpus paths resolve as they do from the
 *    source tree (paths are only resolved, captures are not read);
 *  - profiles through the emulator's parser, named after their own
 *    `name:` (a profile must be named like its file, and a fuzzer cannot
 *    rename files);
 *  - case files through ofd_case_parse_yaml(), named as if they sat in
 *    harness/fuzz/tests/data/case/, beside the capture its seed uses;
 *  - checkpoints through the real `--resume` path: progress.json and
 *    findings.jsonl written into a private directory, reopened, every
 *    target registered (which restores counts, skips and classes) and
 *    the report closed, as a resumed run that ends at once would.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "emu_internal.h"
#include "ofd.h"
#include "ofd_fuzz.h"
#include "ofd_run.h"
#include "ofd_spec.h"
#include "ofd_yaml.h"

#define FUZZ_SPEC_NAME "specs/fuzz.yaml"
#define FUZZ_CASE_NAME "harness/fuzz/tests/data/case/case.yaml"
/* More targets than any checkpoint a seed starts from; bounds the work. */
#define FUZZ_MAX_TARGETS 64

static int fuzz_spec(const char *text, size_t len)
{
	struct ofd_spec *s = NULL;
	char err[512];
	int ret;

	ret = ofd_spec_parse(FUZZ_SPEC_NAME, text, len, &s, err, sizeof(err));
	if (!ret)
		ofd_spec_free(s);
	return ret;
}

static int fuzz_profile(const char *text, size_t len)
{
	struct ofdint_emu_profile p;
	const struct ofd_ynode *n;
	struct ofd_ynode *root;
	char err[512], file[128] = "fuzz.yaml";
	int ret;

	/* The file name the profile asks for, when it is a usable one. */
	if (!ofd_yaml_load_string(file, text, len, &root, err, sizeof(err))) {
		n = ofd_ymap_get(root, "name");
		if (n && n->type == OFD_Y_SCALAR && n->scalar[0] &&
		    strlen(n->scalar) < 100 && !strchr(n->scalar, '/'))
			snprintf(file, sizeof(file), "%s.yaml", n->scalar);
		ofd_yaml_free(root);
	}
	ret = ofdint_emu_profile_parse(file, text, len, &p, err, sizeof(err));
	return ret;
}

static int fuzz_case(const char *text, size_t len)
{
	struct ofd_loaded_case lc;
	char err[512];
	int ret;

	ret = ofd_case_parse_yaml(FUZZ_CASE_NAME, text, len, &lc, err, sizeof(err));
	if (!ret)
		ofd_loaded_case_free(&lc);
	return ret;
}

/* The private run directory of one input. Made and removed around each
 * one: AFL++ ends its processes without running atexit handlers. */
static char ckpt_dir[512];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	return remove(path) && errno != ENOENT ? -1 : 0;
}

static int put(const char *name, const char *data, size_t len)
{
	char path[128];
	FILE *f;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/%s", ckpt_dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	if (len && fwrite(data, 1, len, f) != len)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -EIO;
	return ret;
}

/* What `offdiff run --resume` does with the directory, up to the run. */
static int resume(void)
{
	struct ofd_report *r;
	char err[512];
	size_t i;
	int ret;

	ret = ofd_report__reopen(ckpt_dir, &r, err, sizeof(err));
	if (ret)
		return ret;
	(void)ofd_report__resume_spec(r);
	(void)ofd_report__resume_reference(r);
	(void)ofd_report__resume_corpus(r);
	(void)ofd_report__resume_done(r);
	for (i = 0; i < FUZZ_MAX_TARGETS && ofd_report__resume_target(r, i); i++) {
		struct ofd_target_desc t = {
			.label = ofd_report__resume_target(r, i),
			.engine = "emu",
		};

		if (ofd_report__target(r, &t) < 0)
			break;
	}
	(void)ofd_report__critical(r);
	return ofd_report__close(r, NULL, 0);
}

static int fuzz_checkpoint(const char *text, size_t len)
{
	const char *nul = memchr(text, '\0', len);
	size_t plen = nul ? (size_t)(nul - text) : len;
	const char *tmp = getenv("TMPDIR");
	int ret;

	/* mkdtemp's template: a fresh directory per input (see above) */
	if ((size_t)snprintf(ckpt_dir, sizeof(ckpt_dir), "%s/ofd-fuzz-ckpt-XXXXXX",
			     tmp && *tmp ? tmp : "/tmp") >= sizeof(ckpt_dir))
		return -ENAMETOOLONG;
	if (!mkdtemp(ckpt_dir))
		return -errno;
	/* progress.json, a NUL, findings.jsonl; no NUL: no findings file. */
	ret = put("progress.json", text, plen);
	if (!ret && nul)
		ret = put("findings.jsonl", nul + 1, len - plen - 1);
	if (!ret)
		ret = resume();
	nftw(ckpt_dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return ret;
}

int ofd_fuzz_loaders_one(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data + 1;
	size_t len = size ? size - 1 : 0;

	if (!size)
		return 0;
	switch (data[0] % OFD_FUZZ_LOADER__MAX) {
	case OFD_FUZZ_LOADER_SPEC:
		return fuzz_spec(text, len);
	case OFD_FUZZ_LOADER_PROFILE:
		return fuzz_profile(text, len);
	case OFD_FUZZ_LOADER_CASE:
		return fuzz_case(text, len);
	default:
		return fuzz_checkpoint(text, len);
	}
}
