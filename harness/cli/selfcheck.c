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
 *
 * Agreement is not enough: the kernel only finishes a checksum over the
 * seed offdiff derived (kernel-tx.md 1), so a wrong seed makes model and
 * kernel agree and both be wrong. The receive-side judge closes that
 * (selfcheck_judge.c). rx-csum, gro and dissect have checks of their own
 * (selfcheck_gro.c, selfcheck_dissect.c, and the rx-csum branch here).
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/stat.h>

#include "ofd_cli.h"
#include "ofd_csum.h"
#include "ofd_kernel.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_rx_csum.h"

#define RAND_FRAME_CAP 16384 /* one random case: a frame, or a gro train */
#define RAND_PKTS 8            /* frames of one random case (gro's trains) */

#include "selfcheck_internal.h"

struct selfcheck_opts {
	int offload;
	uint64_t nrand, seed;
	struct ofd_strv corpus, params;
	bool no_corpus, no_rx_judge, trains;
	const char *reference, *out;
};

#define SC(key, name, kind, field, arg, help) \
	OFD_OPT(key, name, kind, struct selfcheck_opts, field, arg, help)
static const struct ofd_opt selfcheck_opts[] = {
	SC('f', "offload", OFD_OPT_OFFLOAD, offload, "OFFLOAD",
	   "offload to check, ours or ethtool's name (default tx-csum)"),
	OFD_OPT_NUM('n', "random", struct selfcheck_opts, nrand, "N",
		    "also N random cases (default 0)", 0, UINT32_MAX),
	OFD_OPT_NUM('s', "seed", struct selfcheck_opts, seed, "S",
		    "random seed (default 1)", 0, UINT64_MAX),
	SC('c', "corpus", OFD_OPT_STRV, corpus, "FILE",
	   "corpus file, repeatable (default: the bundled corpus/<offload>/*.pcap)"),
	SC(0, "no-corpus", OFD_OPT_FLAG, no_corpus, NULL, "random cases only"),
	SC('r', "reference", OFD_OPT_STR, reference, "ENGINE[:KEY=VALUE,...]",
	   "reference engine (default kernel), with settings the model opens with too"),
	SC('o', "out", OFD_OPT_STR, out, "DIR", "report root (default reports)"),
	SC(0, "no-rx-judge", OFD_OPT_FLAG, no_rx_judge, NULL,
	   "skip the kernel receive-side judge of reference frames"),
	SC(0, "trains", OFD_OPT_FLAG, trains, NULL,
	   "gro: list the reference's outcome for every corpus train"),
	SC('P', "param", OFD_OPT_STRV, params, "KEY=VALUE",
	   "a setting both engines open with, repeatable; gro's device: "
	   "gro_udp=off|forward|fraglist, vxlan=on|off (`offdiff engine list`)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

/* -j: the report's summary.json, as run prints it. */
static int print_summary(const char *run_dir)
{
	char path[4200];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/summary.json", run_dir);
	j = json_load_file(path, 0, &je);
	if (!j) {
		ofd_cli_err("%s: %s", path, je.text);
		return -EINVAL;
	}
	return ofd_cli_json_print(j);
}

/* `selfcheck -f rx-csum`: the model's checksum validity, layer by
 * layer, against the kernel's receive path; its summary line and exit
 * code. */
#define RXC_RANDOM_BATCH 512
static int selfcheck_rx_csum(struct ofd_engine *ref, const struct ofd_caseset *set,
			     const struct ofd_offload_ops *oo, uint64_t nrand, uint64_t seed,
			     FILE *info)
{
	struct ofd_case *cases = NULL;
	struct ofd_pkt *pkts = NULL;
	struct ofd_rxcsum_kcheck r;
	uint8_t *buf = NULL;
	uint64_t k;
	int e;

	if (ref->ops != &ofd_engine_kernel) {
		ofd_cli_err("selfcheck: rx-csum is checked against the kernel's receive path: use --reference kernel");
		return OFD_EXIT_USAGE;
	}
	memset(&r, 0, sizeof(r));
	e = ofd_rx_csum_kernel_check(ref, set->cases, set->ncases, info, &r);
	/* random frames (rx_csum_corpus.c), a batch at a time */
	for (k = 0; !e && k < nrand; k += RXC_RANDOM_BATCH) {
		unsigned int n = nrand - k < RXC_RANDOM_BATCH ? (unsigned int)(nrand - k) :
								  RXC_RANDOM_BATCH, j;

		if (!cases) {
			cases = calloc(RXC_RANDOM_BATCH, sizeof(*cases));
			pkts = calloc(RXC_RANDOM_BATCH, sizeof(*pkts));
			buf = malloc((size_t)RXC_RANDOM_BATCH * 2048);
			if (!cases || !pkts || !buf) {
				e = -ENOMEM;
				break;
			}
		}
		for (j = 0; j < n && !e; j++)
			e = oo->cases->random(seed, k + j, buf + (size_t)j * 2048, 2048,
					      &pkts[j], 1, &cases[j]);
		if (!e)
			e = ofd_rx_csum_kernel_check(ref, cases, n, info, &r);
	}
	free(cases);
	free(pkts);
	free(buf);
	if (e) {
		ofd_cli_err("selfcheck: rx-csum: %s", strerror(-e));
		return OFD_EXIT_UNAVAILABLE;
	}
	fprintf(info, "selfcheck rx-csum: %llu frames (%llu random, seed %llu), %u checksums judged by the kernel's receive path "
		"(%u outer UDP): %u agree with the model, %u %s%s; kernel accepted %u, rejected %u, "
		"not judgeable %u\n", (unsigned long long)(set->ncases + nrand),
		(unsigned long long)nrand, (unsigned long long)seed, r.n, r.outer, r.agree, r.n - r.agree,
		ofd_cli_verdict("disagreement"), r.n - r.agree == 1 ? "" : "s", r.accepted,
		r.rejected, r.unjudgeable);
	if (!r.n)
		return ofd_cli_nothing_compared(set->ncases + nrand, "", "no checksum to judge");
	return r.agree == r.n ? OFD_EXIT_EQUAL : OFD_EXIT_DISCREPANCY;
}

static int do_selfcheck(int argc, char **argv)
{
	struct selfcheck_opts o = { .offload = OFD_OFFLOAD_TX_CSUM, .seed = 1,
				    .reference = "kernel", .out = "reports" };
	const char *out_root, *reference;
	unsigned long long nrand, seed;
	struct ofd_engine *ref = NULL, *model = NULL;
	struct ofd_runner *runner = NULL;
	struct ofd_report *report = NULL;
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set = { 0 };
	struct ofd_engine_opts eo = { 0 };
	struct ofd_engine_param *params = NULL;
	struct ofd_cli_target reft = { 0 };
	struct ofd_runner_target rt;
	struct ofd_case *rcases = NULL;
	struct ofd_pkt *rpkts = NULL;
	uint8_t *rbuf = NULL;
	char **files = NULL, err[1024] = "", run_dir[4096] = "";
	size_t nfiles = 0, i;
	bool use_corpus, use_judge, rx, nondet = false;
	struct judge judge = { 0 };
	glob_t g = { 0 };
	int e, ret = OFD_EXIT_USAGE, off;
	const struct ofd_offload_ops *oo;
	uint64_t k, disagree, compared;
	char reasons[1024] = "";
	FILE *info;
	unsigned int bs;
	double t0;

	e = ofd_cli_parse(&o, &argc, argv);
	if (e) {
		ofd_strv_free(&o.corpus);
		ofd_strv_free(&o.params);
		return ofd_cli_parse_exit(e);
	}
	/* With -j stdout carries only the summary document. */
	info = ofd_g.json ? stderr : stdout;
	off = o.offload;
	nrand = o.nrand;
	seed = o.seed;
	reference = o.reference;
	out_root = o.out;
	use_corpus = !o.no_corpus;
	use_judge = !o.no_rx_judge;
	if (ofd_cli_check_out(out_root))
		goto out;
	oo = ofd_offload_get((unsigned int)off);
	/* A receive offload runs without its model too: the reference's
	 * outcomes, its determinism, and every case a skip. */
	rx = oo->dir == OFD_DIR_RX;
	if ((!rx && !(ofd_engine_caps(ofd_engine_find("model")) & OFD_CAP(off))) ||
	    !oo->cases || (!oo->cases->random && off != OFD_OFFLOAD_RX_CSUM)) {
		ofd_cli_err("selfcheck: offload %s has no model or no random cases yet", oo->name);
		goto out;
	}
	for (i = 0; i < o.corpus.n; i++) {
		files = realloc(files, (nfiles + 1) * sizeof(*files));
		files[nfiles++] = (char *)o.corpus.v[i];
	}
	if (use_corpus && !nfiles) {
		char rel[64], pat[PATH_MAX + 16];

		/* the offload's bundled corpus: corpus/<offload>/, from any
		 * working directory (ofd_datadir_find) */
		snprintf(rel, sizeof(rel), "corpus/%s", oo->name);
		ofd_datadir_find(rel, pat, sizeof(pat) - 16);
		strcat(pat, "/*.pcap");
		if (glob(pat, 0, NULL, &g) == 0) {
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
	/* -r ENGINE:key=value,... and -P key=value: the same settings for
	 * the reference and the model, so both are the same device (gro:
	 * the tap's features, a VXLAN socket) */
	if (ofd_cli_target_parse(reference, NULL, &reft, err, sizeof(err))) {
		ofd_cli_err("selfcheck: reference %s: %s", reference, err);
		goto out;
	}
	reference = reft.engine;
	/* A reference that cannot observe the offload would turn every case
	 * into a skip and the selfcheck into nothing: say so instead (rss:
	 * tun sets no hash and the kernel has no Toeplitz, kernel-rx.md 7.1,
	 * 6; the model is rss's reference, docs/rss.md). rx-csum and dissect
	 * are checked through the kernel's receive path and rx hash instead. */
	if (ofd_engine_find(reference) &&
	    !(ofd_engine_caps(ofd_engine_find(reference)) & OFD_CAP(off)) &&
	    off != OFD_OFFLOAD_RX_CSUM && off != OFD_OFFLOAD_DISSECT) {
		ofd_cli_err("selfcheck: offload %s: the %s engine cannot observe it, so it cannot "
			    "check the model", oo->name, reference);
		goto out;
	}
	params = calloc(reft.nparams + o.params.n + 1, sizeof(*params));
	if (!params)
		goto out;
	for (i = 0; i < reft.nparams; i++)
		params[eo.nparams++] = reft.params[i];
	for (i = 0; i < o.params.n; i++) {
		const char *eq = strchr(o.params.v[i], '=');

		if (!eq || eq == o.params.v[i]) {
			ofd_cli_err("selfcheck: -P '%s' is not key=value", o.params.v[i]);
			goto out;
		}
		params[eo.nparams].key = strndup(o.params.v[i], (size_t)(eq - o.params.v[i]));
		params[eo.nparams].value = eq + 1;
		if (!params[eo.nparams].key)
			goto out;
		eo.nparams++;
	}
	eo.params = params;
	if (ofd_engine_find(reference) &&
	    (ofd_engine_check_params(ofd_engine_find(reference), params, eo.nparams, err,
				     sizeof(err)) ||
	     ofd_engine_check_params(ofd_engine_find("model"), params, eo.nparams, err,
				     sizeof(err)))) {
		ofd_cli_err("selfcheck: %s", err);
		goto out;
	}
	e = ofd_engine__open_reference(reference, &eo, &ref, err, sizeof(err));
	if (e) {
		ofd_cli_err("selfcheck: reference %s", err);
		ret = e == -ENOENT || e == -EINVAL ? OFD_EXIT_USAGE : OFD_EXIT_UNAVAILABLE;
		goto out;
	}
	if (off == OFD_OFFLOAD_RX_CSUM) {
		/* not a diff: per-layer validity (oracles/model/rx_csum_kernel.c) */
		ret = selfcheck_rx_csum(ref, &set, oo, nrand, seed, info);
		goto out;
	}
	if (off == OFD_OFFLOAD_DISSECT) {
		/* not a diff: the model's keys against the kernel's rx hash
		 * (selfcheck_dissect.c) */
		ret = ofd_selfcheck_dissect(ref, &corpus, oo, nrand, seed, info);
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
	if (rx && !ofd_g.quiet && !(ofd_engine_caps(model->ops) & OFD_CAP(off)))
		fprintf(info, "selfcheck: the model has no %s yet: every case is a skip\n",
			oo->name);
	if (rx && ofd_selfcheck_twice(ref, &set, (unsigned int)off, o.trains, info, &nondet))
		goto out;
	/* The judge needs the kernel engine's namespace and judges
	 * transmitted frames. */
	if (use_judge && !rx && ref->ops == &ofd_engine_kernel) {
		judge.ref = ref;
		judge.ops = *ref->ops;
		judge.ops.run = ofdint_judge_run;
		judge.wrap.ops = &judge.ops;
		judge.wrap.priv = &judge;
		judge.wrap.info = ref->info;
		judge.dir = strdup(ofd_report__dir(report));
		judge.seed = seed;
		judge.scratch = malloc(65536 + 1024);
		judge.tso = off == OFD_OFFLOAD_TSO;
		judge.seg = malloc(65536 + 1024);
		if (!judge.scratch || !judge.dir || !judge.seg)
			goto out;
	} else {
		use_judge = false;
	}
	rt.engine = model;
	rt.label = "model";
	rt.profile = NULL;
	rt.profile_path = NULL;
	e = ofd_runner__new(use_judge ? &judge.wrap : ref, &rt, 1, report, NULL, &runner);
	if (e)
		goto out;
	bs = ofd_runner__batch_size(runner);
	if (!ofd_g.quiet) {
		fprintf(info, "offdiff selfcheck %s: reference %s (%s) vs %s",
			ofd_offload_name(off), reference, ref->info.version, model->info.version);
		/* the device both were opened as */
		for (i = 0; i < eo.nparams; i++)
			fprintf(info, "%s%s=%s", i ? ", " : ", both with ", params[i].key,
				params[i].value);
		fprintf(info, "\n");
		fprintf(info, "cases: %u from %zu corpus file%s, %llu random (seed %llu)\n",
			set.ncases, use_corpus ? nfiles : 0, nfiles == 1 ? "" : "s", nrand, seed);
	}

	t0 = ofd_now();
	if ((e = ofd_runner__run(runner, set.cases, set.ncases, set.ncases + nrand)))
		goto engine_failed;
	rcases = calloc(bs, sizeof(*rcases));
	rpkts = calloc((size_t)bs * RAND_PKTS, sizeof(*rpkts));
	rbuf = malloc((size_t)bs * RAND_FRAME_CAP);
	if (!rcases || !rpkts || !rbuf)
		goto out;
	for (k = 0; k < nrand; k += bs) {
		unsigned int n = nrand - k < bs ? (unsigned int)(nrand - k) : bs, j;

		for (j = 0; j < n; j++)
			oo->cases->random(seed, k + j, rbuf + (size_t)j * RAND_FRAME_CAP,
					  RAND_FRAME_CAP, &rpkts[(size_t)j * RAND_PKTS],
					  RAND_PKTS, &rcases[j]);
		if ((e = ofd_runner__batch(runner, rcases, n)))
			goto engine_failed;
		if (!ofd_g.quiet)
			ofd_runner__progress(runner, set.ncases + nrand, false);
	}
	if (!ofd_g.quiet)
		ofd_runner__progress(runner, set.ncases + nrand, true);

	disagree = ofd_runner__count(runner, OFD_V_DISCREPANCY) +
		   ofd_runner__count(runner, OFD_V_ONE_REJECTED) +
		   ofd_runner__count(runner, OFD_V_TARGET_FAULT);
	compared = ofd_report__compared(report);
	ofd_report__skip_reasons(report, reasons, sizeof(reasons));
	snprintf(run_dir, sizeof(run_dir), "%s", ofd_report__dir(report));
	e = ofd_report__close_msg(report, ofd_g.quiet || ofd_g.json ? NULL : stdout,
				  ofd_now() - t0, err, sizeof(err));
	report = NULL;
	if (e) {
		ofd_cli_err("%s (cannot write the report)", err);
		ret = OFD_EXIT_WRITE;
		goto out;
	}
	fprintf(info, "selfcheck: %llu case%s, %llu %s, %llu both rejected, "
		"%llu skipped (by reason above), %llu %s%s\n",
		(unsigned long long)(set.ncases + nrand), set.ncases + nrand == 1 ? "" : "s",
		(unsigned long long)ofd_runner__count(runner, OFD_V_EQUAL),
		ofd_cli_verdict("equal"),
		(unsigned long long)ofd_runner__count(runner, OFD_V_BOTH_REJECTED),
		(unsigned long long)ofd_runner__count(runner, OFD_V_UNSUPPORTED),
		(unsigned long long)disagree, ofd_cli_verdict("disagreement"),
		disagree == 1 ? "" : "s");
	if (use_judge)
		ofdint_judge_print(&judge, info);
	if (ofd_g.json && print_summary(run_dir)) {
		ret = OFD_EXIT_USAGE;
		goto out;
	}
	ret = disagree || judge.rejected || judge.segs_bad || nondet ?
		      OFD_EXIT_DISCREPANCY : OFD_EXIT_EQUAL;
	if (!disagree && !judge.rejected && !judge.segs_bad && !nondet && !compared)
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
	free(judge.scratch);
	free(judge.seg);
	free(judge.dir);
	free(rcases);
	free(rpkts);
	free(rbuf);
	free(files);
	globfree(&g);
	/* the -P keys are ours; -r's belong to reft */
	for (i = reft.nparams; params && i < eo.nparams; i++)
		free((char *)params[i].key);
	free(params);
	ofd_cli_target_free(&reft);
	ofd_strv_free(&o.corpus);
	ofd_strv_free(&o.params);
	return ret;
}

static const struct ofd_verb selfcheck_verbs[] = {
	{ NULL, do_selfcheck, NULL,
	  "prove the model equal to the running kernel (corpus and random cases; root)",
	  "exit: 0 model == kernel and every judged frame accepted, 1 disagreements\n"
	  "      or frames the kernel's receive path rejected, 2 usage, 3 kernel unavailable,\n"
	  "      4 nothing compared (every case skipped, or no cases)\n",
	  selfcheck_opts, 0, 0, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_selfcheck = { "selfcheck", "prove the model equal to the kernel",
					      selfcheck_verbs };
