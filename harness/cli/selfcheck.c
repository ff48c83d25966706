// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * selfcheck.c - `offdiff selfcheck`: the model is trusted only because
 * this proves it equal to the running kernel.
 *
 * The kernel engine is the reference and the model the target, on the
 * bundled corpus and on deterministic random cases (random headers,
 * lengths and requests, invalid ones included). Every disagreement is a
 * model bug and gets a reproducer in the report, replayable with
 * `offdiff replay`.
 */
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofd_cli.h"
#include "ofd_offload.h"
#include "ofd_run.h"

#define RAND_FRAME_CAP 9216

static void usage(void)
{
	fprintf(stderr,
		"usage: offdiff selfcheck [options]\n"
		"  --offload X        offload to check (default tx-csum; the only one with a model so far)\n"
		"  --random N         also N random cases (default 0)\n"
		"  --seed S           random seed (default 1)\n"
		"  --corpus FILE      corpus file, repeatable (default corpus/tx-csum/*.pcap)\n"
		"  --no-corpus        random cases only\n"
		"  --reference E      reference engine (default kernel)\n"
		"  --out DIR          report root (default reports)\n"
		"exit: 0 model == kernel, 1 disagreements, 2 usage, 3 kernel unavailable,\n"
		"      4 nothing compared (every case skipped, or no cases)\n");
}

int ofd_cmd_selfcheck(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "offload", required_argument, NULL, 'f' },
		{ "random", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "corpus", required_argument, NULL, 'c' },
		{ "no-corpus", no_argument, NULL, 'C' },
		{ "reference", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out_root = "reports", *reference = "kernel";
	unsigned long long nrand = 0, seed = 1;
	struct ofd_engine *ref = NULL, *model = NULL;
	struct ofd_runner *runner = NULL;
	struct ofd_report *report = NULL;
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set = { 0 };
	struct ofd_engine_opts eo = { 0 };
	struct ofd_runner_target rt;
	struct ofd_case *rcases = NULL;
	struct ofd_pkt *rpkts = NULL;
	uint8_t *rbuf = NULL;
	char **files = NULL, err[1024] = "";
	size_t nfiles = 0, i;
	bool use_corpus = true;
	glob_t g = { 0 };
	int c, e, ret = OFD_EXIT_USAGE, off = OFD_OFFLOAD_TX_CSUM;
	const struct ofd_offload_ops *oo = ofd_offload_get(OFD_OFFLOAD_TX_CSUM);
	uint64_t k, disagree, compared;
	char reasons[1024] = "";
	unsigned int bs;
	double t0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			off = ofd_offload_from_name(optarg);
			if (off < 0) {
				ofd_cli_err("selfcheck: unknown offload '%s'", optarg);
				goto out;
			}
			oo = ofd_offload_get((unsigned int)off);
			if (!(ofd_engine_caps(ofd_engine_find("model")) & OFD_CAP(off)) ||
			    !oo->cases || !oo->cases->random) {
				ofd_cli_err("selfcheck: offload %s has no model or no random cases yet",
					    oo->name);
				goto out;
			}
			break;
		case 'n':
			nrand = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'c':
			files = realloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles++] = optarg;
			break;
		case 'C':
			use_corpus = false;
			break;
		case 'r':
			reference = optarg;
			break;
		case 'o':
			out_root = optarg;
			break;
		case 'h':
			usage();
			ret = OFD_EXIT_EQUAL;
			goto out;
		default:
			usage();
			goto out;
		}
	}
	if (use_corpus && !nfiles) {
		if (glob("corpus/tx-csum/*.pcap", 0, NULL, &g) == 0) {
			files = realloc(files, g.gl_pathc * sizeof(*files));
			for (i = 0; i < g.gl_pathc; i++)
				files[nfiles++] = g.gl_pathv[i];
		}
	}
	for (i = 0; use_corpus && i < nfiles; i++) {
		e = ofd_corpus_load(&corpus, files[i], err, sizeof(err));
		if (e) {
			ofd_cli_err("%s", err);
			goto out;
		}
	}
	if (corpus.npkts) {
		e = ofd_cases_derive(&corpus, OFD_CAP(off),
				     (1u << OFD_REQ_VNET) | (1u << OFD_REQ_LEGACY),
				     NULL, &set, err, sizeof(err));
		if (e) {
			ofd_cli_err("%s", err);
			goto out;
		}
	}

	eo.caps = OFD_CAP(off);
	e = ofd_engine__open(reference, &eo, &ref, err, sizeof(err));
	if (e) {
		ofd_cli_err("selfcheck: %s", err);
		ret = e == -ENOENT ? OFD_EXIT_USAGE : OFD_EXIT_UNAVAILABLE;
		goto out;
	}
	e = ofd_engine__open("model", &eo, &model, err, sizeof(err));
	if (e) {
		ofd_cli_err("selfcheck: %s", err);
		goto out;
	}
	e = ofd_report__open(out_root, NULL, "selfcheck", reference, ref->info.version, &report);
	if (e) {
		ofd_cli_err("cannot create a report under %s: %s", out_root, strerror(-e));
		goto out;
	}
	rt.engine = model;
	rt.label = "model";
	rt.profile = NULL;
	rt.profile_path = NULL;
	e = ofd_runner__new(ref, &rt, 1, report, NULL, &runner);
	if (e)
		goto out;
	bs = ofd_runner__batch_size(runner);
	printf("offdiff selfcheck %s: reference %s (%s) vs %s\n", ofd_offload_name(off),
	       reference, ref->info.version, model->info.version);
	printf("cases: %u from %zu corpus file%s, %llu random (seed %llu)\n", set.ncases,
	       use_corpus ? nfiles : 0, nfiles == 1 ? "" : "s", nrand, seed);

	t0 = ofd_now();
	if ((e = ofd_runner__run(runner, set.cases, set.ncases, set.ncases + nrand)))
		goto engine_failed;
	rcases = calloc(bs, sizeof(*rcases));
	rpkts = calloc(bs, sizeof(*rpkts));
	rbuf = malloc((size_t)bs * RAND_FRAME_CAP);
	if (!rcases || !rpkts || !rbuf)
		goto out;
	for (k = 0; k < nrand; k += bs) {
		unsigned int n = nrand - k < bs ? (unsigned int)(nrand - k) : bs, j;

		for (j = 0; j < n; j++)
			oo->cases->random(seed, k + j, rbuf + (size_t)j * RAND_FRAME_CAP,
					  RAND_FRAME_CAP, &rpkts[j], 1, &rcases[j]);
		if ((e = ofd_runner__batch(runner, rcases, n)))
			goto engine_failed;
		ofd_runner__progress(runner, set.ncases + nrand, false);
	}
	ofd_runner__progress(runner, set.ncases + nrand, true);

	disagree = ofd_runner__count(runner, OFD_V_DISCREPANCY) +
		   ofd_runner__count(runner, OFD_V_ONE_REJECTED) +
		   ofd_runner__count(runner, OFD_V_TARGET_FAULT);
	compared = ofd_report__compared(report);
	ofd_report__skip_reasons(report, reasons, sizeof(reasons));
	ofd_report__close(report, stdout, ofd_now() - t0);
	report = NULL;
	printf("selfcheck: %llu case%s, %llu equal, %llu both rejected, %llu skipped (no model), %llu disagreement%s\n",
	       (unsigned long long)(set.ncases + nrand), set.ncases + nrand == 1 ? "" : "s",
	       (unsigned long long)ofd_runner__count(runner, OFD_V_EQUAL),
	       (unsigned long long)ofd_runner__count(runner, OFD_V_BOTH_REJECTED),
	       (unsigned long long)ofd_runner__count(runner, OFD_V_UNSUPPORTED),
	       (unsigned long long)disagree, disagree == 1 ? "" : "s");
	ret = disagree ? OFD_EXIT_DISCREPANCY : OFD_EXIT_EQUAL;
	if (!disagree && !compared)
		ret = ofd_cli_nothing_compared(set.ncases + nrand, reasons,
					       "no cases (no corpus frames and no --random)");
	goto out;

engine_failed:
	ofd_cli_err("an engine failed: %s", strerror(-e));
	ret = OFD_EXIT_UNAVAILABLE;
out:
	if (report)
		ofd_report__close(report, NULL, 0);
	ofd_runner__free(runner);
	ofd_engine__close(model);
	ofd_engine__close(ref);
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
	free(rcases);
	free(rpkts);
	free(rbuf);
	free(files);
	globfree(&g);
	return ret;
}
