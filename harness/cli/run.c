// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * run.c - `offdiff run` (a campaign from a spec) and `offdiff replay`
 * (one reproducer from a report).
 *
 * SIGINT and SIGTERM stop a run cleanly: the batch in flight finishes, the
 * checkpoint is written, the report is closed as "stopped" with the line
 * that resumes it, and offdiff exits 128 + the signal (130, 143) as a
 * shell does for a command a signal ended. A second signal kills at once;
 * the last checkpoint still lets --resume finish the run.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ofd_cli.h"
#include "ofd_offload.h"

#define DEFAULT_SPEC "specs/default.yaml"

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
	stop_signal = sig;
}

/* Finish the batch, then stop; SA_RESETHAND: a second signal kills. */
static void catch_stop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_stop_signal,
				.sa_flags = SA_RESETHAND | SA_RESTART };

	stop_signal = 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static void default_stop_signals(void)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

/* Exit code for an engine that failed to open. */
static int open_failure_code(int err)
{
	return err == -ENOENT || err == -EINVAL ? OFD_EXIT_USAGE : OFD_EXIT_UNAVAILABLE;
}

/*
 * The report could not be written: one line naming the file and the
 * error, and OFD_EXIT_WRITE. The report wrote nothing after the error, so
 * its last checkpoint still says "killed" and --resume redoes what came
 * after it.
 */
static int write_failed(const struct ofd_report *r)
{
	char msg[PATH_MAX + 128], p[PATH_MAX + 32];

	ofd_report__error(r, msg, sizeof(msg));
	snprintf(p, sizeof(p), "%s/progress.json", ofd_report__dir(r));
	if (access(p, F_OK))
		ofd_cli_err("%s (cannot write the report)", msg);
	else
		ofd_cli_err("%s (the run stopped; `offdiff run --resume %s` finishes it)", msg,
			    ofd_report__dir(r));
	return OFD_EXIT_WRITE;
}

/*
 * The corpus is streamed (ofd_corpus_stream): memory follows a chunk, not
 * the corpus. A first pass reads it through without running anything: its
 * digest, its frames and cases counted, the spec's overrides checked
 * against every frame, so that bad input and a changed corpus still stop
 * the run before it starts, and progress knows its total. The second pass
 * derives each chunk's cases again and runs them.
 */
struct scan {
	struct ofd_corpus totals; /* files, file_info, frames_cut; npkts: all
				   * frames (no pkts) */
	uint64_t ncases, skipped;
	char digest[65];
};

static int scan_corpus(struct ofd_corpus_stream *st, const struct ofd_spec *spec,
		       struct ofd_caseset *set, struct scan *sc, char *err,
		       size_t err_len)
{
	const struct ofd_corpus *chunk = NULL;
	struct ofd_digest *dg;
	bool *seen;
	int e;

	seen = calloc(spec->noverrides + 1, sizeof(*seen));
	if (!seen || ofd_digest__new(&dg)) {
		free(seen);
		return -ENOMEM;
	}
	while ((e = ofd_corpus_stream__next(st, &chunk, err, err_len)) > 0) {
		ofd_digest__corpus(dg, chunk);
		e = ofd_overrides_check_chunk(chunk, spec, seen, err, err_len);
		if (!e)
			e = ofd_cases_derive_chunk(chunk, spec->requests, spec, sc->ncases,
						   set, err, err_len);
		if (e)
			break;
		sc->ncases += set->ncases;
		sc->skipped += set->skipped;
	}
	if (!e)
		e = ofd_overrides_check_seen(spec, seen, err, err_len);
	if (!e && ofd_digest__final(dg, sc->digest))
		e = -EIO;
	if (!e && chunk) {
		sc->totals = *chunk;
		sc->totals.npkts = (uint32_t)ofd_corpus_stream__frames(st);
		sc->totals.pkts = NULL;
	}
	ofd_digest__free(dg);
	free(seen);
	return e;
}

/* Cases [start, end) of the campaign (of total), chunk by chunk, a batch
 * at a time, with a checkpoint twice a second. The chunks before start
 * (--resume) are derived to count their cases, not run. 0, a negative
 * errno with err set for bad input, or *engine_failed. */
static int run_cases(struct ofd_corpus_stream *st, const struct ofd_spec *spec,
		     struct ofd_caseset *set, struct ofd_runner *runner,
		     struct ofd_report *report, uint64_t start, uint64_t end,
		     uint64_t total, uint64_t *done, bool *engine_failed, char *err,
		     size_t err_len)
{
	unsigned int bs = ofd_runner__batch_size(runner), n;
	double last_checkpoint = ofd_now();
	const struct ofd_corpus *chunk;
	uint64_t base = 0, k;
	int e = 0;

	*done = start < end ? start : end;
	ofd_corpus_stream__rewind(st);
	/* A stop signal ends the run after the batch in flight. */
	while (base < end && !stop_signal &&
	       (e = ofd_corpus_stream__next(st, &chunk, err, err_len)) > 0) {
		e = ofd_cases_derive_chunk(chunk, spec->requests, spec, base, set, err,
					   err_len);
		if (e)
			return e;
		for (k = start > base ? start - base : 0;
		     k < set->ncases && base + k < end && !stop_signal; k += n) {
			n = (unsigned int)(set->ncases - k < bs ? set->ncases - k : bs);
			if (n > end - base - k)
				n = (unsigned int)(end - base - k);
			e = ofd_runner__batch(runner, &set->cases[k], n);
			/* The caller names the file that could not be written. */
			if (ofd_report__error(report, NULL, 0))
				return -EIO;
			if (e) {
				snprintf(err, err_len, "an engine failed: %s", strerror(-e));
				*engine_failed = true;
				return e;
			}
			*done = base + k + n;
			if (!ofd_g.quiet)
				ofd_runner__progress(runner, total, false);
			/* A checkpoint costs a file write: twice a second at most. */
			if (ofd_now() - last_checkpoint > 0.5) {
				if (ofd_report__checkpoint(report, base + k + n, total))
					return -EIO;
				last_checkpoint = ofd_now();
			}
		}
		base += set->ncases;
	}
	return e < 0 ? e : 0;
}

/* "offdiff run SPEC: NAME, N frames from F files -> C cases (...)" and the
 * reference line. */
static void print_header(FILE *info, const struct ofd_spec *spec,
			 const struct ofd_corpus *corpus, const struct scan *sc,
			 const char *reference, const struct ofd_engine *ref, size_t nt)
{
	size_t i;

	fprintf(info, "offdiff run %s: %s, %u frames from %zu file%s -> %llu cases (%llu frames with nothing to offload",
		spec->path, spec->name, corpus->npkts, spec->ncorpus,
		spec->ncorpus == 1 ? "" : "s", (unsigned long long)sc->ncases,
		(unsigned long long)sc->skipped);
	/* Their own warning named the files; the header keeps the total. */
	if (corpus->frames_cut)
		fprintf(info, ", %u frames cut by the capture's snaplen skipped",
			corpus->frames_cut);
	fprintf(info, ")\n");
	fprintf(info, "reference %s (%s), %zu target%s", reference, ref->info.version, nt,
		nt == 1 ? "" : "s");
	if (spec->nmask) {
		fprintf(info, ", masked:");
		for (i = 0; i < spec->nmask; i++)
			fprintf(info, " %s", spec->mask[i]);
	}
	fprintf(info, "\n");
}

struct run_opts {
	const char *reference, *out, *resume, *findings;
	struct ofd_strv targets, offloads;
	uint64_t stop_after, findings_max;
};

#define RO(key, name, kind, field, arg, help) \
	OFD_OPT(key, name, kind, struct run_opts, field, arg, help)
static const struct ofd_opt run_opts[] = {
	RO('r', "reference", OFD_OPT_STR, reference, "ENGINE",
	   "reference engine: model or kernel (default from the spec)"),
	RO('t', "target", OFD_OPT_STRV, targets, "E[:PROFILE]",
	   "target engine, repeatable (replaces the spec's targets)"),
	RO('f', "offload", OFD_OPT_STRV, offloads, "OFFLOAD",
	   "only this offload of the spec's (ours or ethtool's name), repeatable"),
	RO('o', "out", OFD_OPT_STR, out, "DIR", "where run directories go (default reports)"),
	RO(0, "resume", OFD_OPT_STR, resume, "DIR", "finish a killed run in its report directory"),
	OFD_OPT_NUM(0, "stop-after", struct run_opts, stop_after, "N",
		    "stop after N cases, as if killed (for --resume)", 0, UINT32_MAX),
	OFD_OPT_NUM(0, "findings-max", struct run_opts, findings_max, "N",
		    "findings.jsonl: the first N findings of each target and class "
		    "(default 100; the rest are only counted)", 0, UINT32_MAX),
	RO(0, "findings", OFD_OPT_STR, findings, "all",
	   "findings.jsonl: every finding (all), or N like --findings-max"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_run(int argc, char **argv)
{
	struct run_opts o = { .out = "reports", .stop_after = UINT64_MAX,
			      .findings_max = UINT64_MAX };
	const char *spec_path = NULL, *reference = NULL, *out_root = "reports";
	const char *resume_dir = NULL, *resume_cwd = NULL;
	char default_spec[PATH_MAX];
	bool spec_given = false;
	char digest[65] = "";
	uint64_t start_case = 0, stop_after = UINT64_MAX, end, done;
	struct ofd_corpus_stream *stream = NULL;
	struct scan scan = { 0 };
	struct ofd_corpus *corpus = &scan.totals;
	struct ofd_caseset set = { 0 };
	bool engine_failed = false, findings_all = false;
	struct ofd_spec *spec = NULL;
	struct ofd_engine *ref = NULL;
	struct ofd_engine **tengs = NULL;
	struct ofd_runner_target *rts = NULL;
	struct ofd_runner *runner = NULL;
	struct ofd_report *report = NULL;
	struct ofd_cli_target *tg = NULL;
	char **cli_targets = NULL;
	size_t ncli = 0, nt = 0, i;
	char err[1024] = "";
	struct ofd_mask mask;
	bool quiet = false, json = false;
	FILE *info;
	char run_dir[4096], reasons[1024] = "";
	uint64_t compared = 0;
	int ret = OFD_EXIT_USAGE, e;
	double t0;

	e = ofd_cli_parse(&o, &argc, argv);
	if (e) {
		ofd_strv_free(&o.targets);
		ofd_strv_free(&o.offloads);
		return ofd_cli_parse_exit(e);
	}
	reference = o.reference;
	out_root = o.out;
	resume_dir = o.resume;
	stop_after = o.stop_after;
	/* --findings all, or a number like --findings-max */
	if (o.findings && !(findings_all = !strcmp(o.findings, "all")) &&
	    ofd_cli_u64("run", "--findings", o.findings, 0, UINT32_MAX, &o.findings_max))
		goto out;
	/* With --json the summary is the result: the table would be noise. */
	json = ofd_g.json;
	quiet = ofd_g.quiet || json;
	for (i = 0; i < o.targets.n; i++) {
		cli_targets = realloc(cli_targets, (ncli + 1) * sizeof(*cli_targets));
		cli_targets[ncli++] = (char *)o.targets.v[i];
	}
	if (argc > 1) {
		spec_path = argv[1];
		spec_given = true;
	}
	if (!resume_dir && ofd_cli_check_out(out_root))
		goto out;
	if (resume_dir) {
		/* The killed run's own spec, reference and targets. */
		if (spec_given || reference || ncli || o.offloads.n) {
			ofd_cli_err("run: --resume takes no spec, --reference, --target or --offload");
			goto out;
		}
		e = ofd_report__reopen(resume_dir, &report, err, sizeof(err));
		if (e) {
			ofd_cli_err("%s", err);
			ret = e == -EINVAL || e == -EBUSY || e == -ENOMEM ? OFD_EXIT_USAGE :
									    OFD_EXIT_WRITE;
			goto out;
		}
		spec_path = ofd_report__resume_spec(report);
		resume_cwd = ofd_report__resume_cwd(report);
		reference = ofd_report__resume_reference(report);
		start_case = ofd_report__resume_done(report);
		while (ofd_report__resume_target(report, ncli)) {
			cli_targets = realloc(cli_targets, (ncli + 1) * sizeof(*cli_targets));
			cli_targets[ncli] = (char *)ofd_report__resume_target(report, ncli);
			ncli++;
		}
	}

	if (!spec_path) {
		if (ofd_datadir_find(DEFAULT_SPEC, default_spec, sizeof(default_spec))) {
			ofd_cli_err("run: no spec given and no bundled " DEFAULT_SPEC
				    " found (set OFFDIFF_DATADIR to the directory holding specs/)");
			goto out;
		}
		spec_path = default_spec;
	}
	e = ofd_spec_load_from(spec_path, resume_cwd, &spec, err, sizeof(err));
	if (e) {
		ofd_cli_err("%s", err);
		goto out;
	}
	if (!reference)
		reference = spec->reference;
	if (o.offloads.n) {
		unsigned int only = 0;

		for (i = 0; i < o.offloads.n; i++) {
			int off = ofd_offload_from_name(o.offloads.v[i]);

			if (off < 0 || !(spec->offloads & OFD_CAP(off))) {
				ofd_cli_err("run: --offload '%s' is not one of %s's offloads",
					    o.offloads.v[i], spec->path);
				goto out;
			}
			only |= OFD_CAP(off);
		}
		spec->offloads = only;
	} else if (resume_dir && ofd_report__resume_offloads(report)) {
		/* a run narrowed with --offload resumes narrowed */
		spec->offloads &= ofd_report__resume_offloads(report);
	}
	e = ofd_corpus_stream__open(spec->corpus, spec->ncorpus, 0, 0, &stream);
	if (!e)
		e = ofd_cases_begin(&set, spec->offloads, spec, err, sizeof(err));
	if (!e)
		e = scan_corpus(stream, spec, &set, &scan, err, sizeof(err));
	if (e) {
		ofd_cli_err("%s", err[0] ? err : strerror(-e));
		goto out;
	}
	snprintf(digest, sizeof(digest), "%s", scan.digest);
	if (resume_dir && strcmp(digest, ofd_report__resume_corpus(report))) {
		ofd_cli_err("%s: cannot resume: the corpus changed since the run started (sha256 %.12s, was %.12s)",
			    resume_dir, digest, ofd_report__resume_corpus(report));
		goto out;
	}

	/* Targets: the command line replaces the spec's. */
	nt = ncli ? ncli : spec->ntargets;
	tg = calloc(nt ? nt : 1, sizeof(*tg));
	for (i = 0; i < nt; i++) {
		e = ncli ? ofd_cli_target_parse(cli_targets[i], spec->profile_dir, &tg[i], err,
						sizeof(err)) :
			   ofd_cli_target_from_spec(spec, i, &tg[i], err, sizeof(err));
		if (e == -EINVAL) {
			if (!ncli)
				ofd_cli_err("%s:%d:%d: target %s: %s", spec->path,
					    spec->targets[i].line, spec->targets[i].col,
					    spec->targets[i].engine, err);
			else
				ofd_cli_err("target %s: %s", cli_targets[i], err);
			ret = OFD_EXIT_USAGE;
			goto out;
		}
		if (e)
			goto out;
	}

	{
		struct ofd_engine_opts eo = { .profile_dir = spec->profile_dir,
					      .caps = spec->offloads };

		e = ofd_engine__open_reference(reference, &eo, &ref, err, sizeof(err));
		if (e) {
			ofd_cli_err("reference %s", err);
			ret = open_failure_code(e);
			goto out;
		}
	}
	tengs = calloc(nt ? nt : 1, sizeof(*tengs));
	rts = calloc(nt ? nt : 1, sizeof(*rts));
	for (i = 0; i < nt; i++) {
		struct ofd_engine_opts eo;

		ofd_cli_target_opts(&tg[i], spec, &eo);
		err[0] = '\0';
		e = ofd_engine__open(tg[i].engine, &eo, &tengs[i], err, sizeof(err));
		if (e) {
			if (tg[i].line)
				ofd_cli_err("%s:%d:%d: target %s: %s", spec->path, tg[i].line,
					    tg[i].col, tg[i].label, err);
			else
				ofd_cli_err("target %s: %s", tg[i].label, err);
			ret = open_failure_code(e);
			goto out;
		}
		rts[i].engine = tengs[i];
		rts[i].label = tg[i].label;
		rts[i].profile = tg[i].profile;
		rts[i].profile_path = tg[i].path;
		rts[i].params = tg[i].params;
		rts[i].nparams = tg[i].nparams;
	}

	if (!report) {
		e = ofd_report__open(out_root, NULL, spec->path, reference, ref->info.version,
				     &report);
		if (e) {
			ofd_cli_err("cannot create a report under %s: %s", out_root, strerror(-e));
			ret = OFD_EXIT_USAGE;
			goto out;
		}
	}
	/* Before the first checkpoint: a resumed run whose spec or profiles
	 * changed is refused here, before it writes anything. */
	e = ofd_report__set_inputs(report, spec, reference, rts, nt, err, sizeof(err));
	if (e) {
		ofd_cli_err("%s", err);
		goto out;
	}
	if (resume_dir && ofd_report__resume_total(report) != scan.ncases) {
		ofd_cli_err("%s/progress.json: corrupt checkpoint: cases_total %llu, but the spec and corpus give %llu cases",
			    resume_dir, (unsigned long long)ofd_report__resume_total(report),
			    (unsigned long long)scan.ncases);
		goto out;
	}
	ofd_report__set_corpus_digest(report, digest);
	ofd_report__set_corpus(report, corpus);
	if (findings_all || o.findings_max != UINT64_MAX)
		ofd_report__set_findings_max(report, o.findings_max, findings_all);
	if (resume_dir)
		ofd_report__set_ref_version(report, ref->info.version);
	mask.n = spec->nmask;
	mask.fields = spec->mask;
	ofd_report__set_mask(report, &mask);
	e = ofd_runner__new(ref, rts, nt, report, &mask, &runner);
	if (e)
		goto out;
	ofd_runner__set_offloads(runner, spec->offloads);
	/* From here a signal stops the run with a checkpoint; before, it had
	 * nothing to keep. A run that printed its header has a checkpoint. */
	catch_stop_signals();
	if (ofd_report__checkpoint(report, start_case, scan.ncases)) {
		ret = write_failed(report);
		goto out;
	}

	/* With --json, stdout carries only the summary document; -q drops
	 * the header (the resume and stop lines stay: they are results). */
	info = json ? stderr : stdout;
	if (!ofd_g.quiet)
		print_header(info, spec, corpus, &scan, reference, ref, nt);
	if (start_case)
		fprintf(info, "resuming %s at case %llu of %llu\n", resume_dir,
		       (unsigned long long)start_case, (unsigned long long)scan.ncases);

	t0 = ofd_now();
	end = stop_after < scan.ncases ? stop_after : scan.ncases;
	e = run_cases(stream, spec, &set, runner, report, start_case, end, scan.ncases,
		      &done, &engine_failed, err, sizeof(err));
	/* A write error stops the run before an engine error would. */
	if (ofd_report__error(report, NULL, 0)) {
		ret = write_failed(report);
		goto out;
	}
	if (e) {
		ofd_cli_err("%s", err[0] ? err : strerror(-e));
		ret = engine_failed ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_USAGE;
		goto out;
	}
	if (!ofd_g.quiet)
		ofd_runner__progress(runner, scan.ncases, true);
	if (!stop_signal)
		done = end;
	if (ofd_report__checkpoint(report, done, scan.ncases)) {
		ret = write_failed(report);
		goto out;
	}
	if (done < scan.ncases) {
		char *abs = realpath(ofd_report__dir(report), NULL);

		fprintf(info, "%s%sstopped after case %llu of %llu: finish with `offdiff run --resume %s`\n",
			!stop_signal ? "" : stop_signal == SIGINT ? "SIGINT" : "SIGTERM",
			stop_signal ? ": " : "", (unsigned long long)done,
			(unsigned long long)scan.ncases, abs ? abs : ofd_report__dir(report));
		free(abs);
	}
	ret = ofd_report__critical(report) ? OFD_EXIT_DISCREPANCY : OFD_EXIT_EQUAL;
	compared = ofd_report__compared(report);
	if (!compared)
		ofd_report__skip_reasons(report, reasons, sizeof(reasons));
	snprintf(run_dir, sizeof(run_dir), "%s", ofd_report__dir(report));
	if (quiet && !json)
		printf("report: %s/\n", run_dir);
	/* What the engines counted beyond verdicts (frames off a wire no case
	 * claimed), once their cases are done. */
	for (i = 0; i < nt; i++) {
		char tally[512] = "";

		if (!tengs[i]->ops->tally)
			continue;
		tengs[i]->ops->tally(tengs[i]->priv, tally, sizeof(tally));
		if (tally[0])
			ofd_report__tally(report, (int)i, tally);
	}
	e = ofd_report__close_msg(report, quiet ? NULL : stdout, ofd_now() - t0, err,
				  sizeof(err));
	report = NULL;
	if (e) {
		ofd_cli_err("%s (the run stopped; `offdiff run --resume %s` finishes it)", err,
			    run_dir);
		ret = OFD_EXIT_WRITE;
		goto out;
	}
	if (json) {
		char path[4200];
		json_error_t je;
		json_t *j;

		snprintf(path, sizeof(path), "%s/summary.json", run_dir);
		j = json_load_file(path, 0, &je);
		if (!j || ofd_cli_json_print(j)) {
			ofd_cli_err("%s: %s", path, j ? strerror(ENOMEM) : je.text);
			ret = OFD_EXIT_USAGE;
			goto out;
		}
	}
	if (ret == OFD_EXIT_EQUAL && !compared && !stop_signal) {
		char why[256];

		snprintf(why, sizeof(why), "no cases (%u frames from %zu file%s, %llu with nothing to offload, %u cut by the snaplen)",
			 corpus->npkts, spec->ncorpus, spec->ncorpus == 1 ? "" : "s",
			 (unsigned long long)scan.skipped, corpus->frames_cut);
		ret = ofd_cli_nothing_compared(done, reasons, nt ? why : "no targets");
	}
	if (stop_signal)
		ret = OFD_EXIT_SIGNAL + stop_signal;
out:
	default_stop_signals();
	if (report)
		ofd_report__close(report, NULL, 0);
	ofd_runner__free(runner);
	for (i = 0; tengs && i < nt; i++)
		ofd_engine__close(tengs[i]);
	ofd_engine__close(ref);
	for (i = 0; tg && i < nt; i++) {
		ofd_cli_target_free(&tg[i]);
	}
	free(tg);
	free(tengs);
	free(rts);
	free(cli_targets);
	ofd_strv_free(&o.targets);
	ofd_strv_free(&o.offloads);
	ofd_caseset_free(&set);
	ofd_corpus_stream__close(stream);
	ofd_spec_free(spec);
	return ret;
}

struct replay_opts {
	const char *target;
};

static const struct ofd_opt replay_opts[] = {
	OFD_OPT('t', "target", OFD_OPT_STR, struct replay_opts, target, "E[:PROFILE|:k=v,...]",
		"replay against this target instead of the recorded one (another profile, a NIC)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_replay(int argc, char **argv)
{
	struct replay_opts ro = { NULL };
	struct ofd_cli_target ct = { 0 };
	struct ofd_loaded_case lc;
	struct ofd_engine *ref = NULL, *tgt = NULL;
	struct ofd_result *rr = NULL, *tr = NULL;
	struct ofd_engine_opts eo = { 0 };
	struct ofd_mask mask;
	struct ofd_diff d;
	char err[1024] = "";
	int e, ret = OFD_EXIT_USAGE;

	e = ofd_cli_parse(&ro, &argc, argv);
	if (e)
		return ofd_cli_parse_exit(e);
	e = ofd_case_read_yaml(argv[1], &lc, err, sizeof(err));
	if (e) {
		ofd_cli_err("%s", err);
		return OFD_EXIT_USAGE;
	}
	if (ro.target) {
		e = ofd_cli_target_parse(ro.target, NULL, &ct, err, sizeof(err));
		if (e) {
			ofd_cli_err("target %s: %s", ro.target, err[0] ? err : strerror(-e));
			ofd_loaded_case_free(&lc);
			return OFD_EXIT_USAGE;
		}
		/* Another target than the recorded one: its verdict is new. */
		free(lc.engine);
		free(lc.profile);
		lc.engine = strdup(ct.engine);
		lc.profile = ct.profile ? strdup(ct.profile) : NULL;
		lc.expected = -1;
	}
	eo.caps = OFD_CAP(lc.c.offload);
	e = ofd_engine__open_reference(lc.reference, &eo, &ref, err, sizeof(err));
	if (e) {
		ofd_cli_err("reference %s", err);
		ret = open_failure_code(e);
		goto out;
	}
	eo.profile = lc.profile;
	/* The recorded target runs with its recorded settings. */
	eo.params = ro.target ? ct.params : lc.params;
	eo.nparams = (unsigned int)(ro.target ? ct.nparams : lc.nparams);
	err[0] = '\0';
	e = ofd_engine__open(lc.engine, &eo, &tgt, err, sizeof(err));
	if (e) {
		ofd_cli_err("target %s", err);
		ret = open_failure_code(e);
		goto out;
	}
	if (ofd_result__new(ofd_cases_max_output(eo.caps), &rr) ||
	    ofd_result__new(ofd_cases_max_output(eo.caps), &tr))
		goto out;
	ofd_result_reset(rr);
	ofd_result_reset(tr);
	if (ref->ops->run(ref->priv, &lc.c, &rr, 1) || tgt->ops->run(tgt->priv, &lc.c, &tr, 1)) {
		ret = OFD_EXIT_UNAVAILABLE;
		goto out;
	}
	mask.n = lc.nmask;
	mask.fields = lc.mask;
	if (ofd_diff_full(&lc.c, rr, tr, tgt->ops->flags, &mask, &d))
		goto out;
	if (ofd_g.json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s*}", "case", argv[1],
				      "reference", lc.reference, "target", lc.engine,
				      "profile", tgt->info.profile,
				      "verdict", ofd_verdict_name(d.verdict), "diff", d.text,
				      "class", d.cls[0] ? d.cls : NULL);

		if (j && lc.expected >= 0)
			json_object_set_new(j, "recorded", json_string(ofd_verdict_name(lc.expected)));
		if (ofd_cli_json_print(j))
			goto out;
	} else {
		printf("%s: %s vs %s%s%s: %s (%s)\n", argv[1], lc.reference, lc.engine,
		       tgt->info.profile[0] ? ":" : "", tgt->info.profile,
		       ofd_cli_verdict(ofd_verdict_name(d.verdict)), d.cls[0] ? d.cls : "-");
		printf("%s", d.text);
	}
	if (!ofd_g.json && lc.expected >= 0 && lc.expected != (int)d.verdict)
		printf("note: the report recorded '%s'; this replay gives '%s'\n",
		       ofd_verdict_name(lc.expected), ofd_verdict_name(d.verdict));
	ret = d.severity == OFD_SEV_CRITICAL ? OFD_EXIT_DISCREPANCY : OFD_EXIT_EQUAL;
	if (d.verdict == OFD_V_UNSUPPORTED) {
		const char *who, *why = ofd_skip_reason(rr, tr, ref->ops->name,
							tgt->ops->name, &who);
		char reason[512];

		snprintf(reason, sizeof(reason), "%s: %s", who, why);
		ret = ofd_cli_nothing_compared(1, reason, NULL);
	}
	ofd_diff_free(&d);
out:
	ofd_result__free(rr);
	ofd_result__free(tr);
	ofd_engine__close(tgt);
	ofd_engine__close(ref);
	ofd_loaded_case_free(&lc);
	ofd_cli_target_free(&ct);
	return ret;
}

static const struct ofd_verb run_verbs[] = {
	{ NULL, do_run, "[SPEC]",
	  "run a campaign: the spec's corpus through the reference and every target, diffed",
	  "  SPEC: campaign spec (default: the bundled " DEFAULT_SPEC ")\n"
	  "-q prints only the report directory; -j prints summary.json on stdout.\n"
	  "SIGINT or SIGTERM: the batch finishes, the run stops resumable.\n"
	  "exit: 0 all equal, 1 discrepancies, 2 bad input, 3 engine unavailable,\n"
	  "      4 nothing compared (every case skipped, or no cases),\n"
	  "      5 cannot write the report (--resume finishes it),\n"
	  "      130/143 stopped by SIGINT/SIGTERM (finish it with --resume)\n",
	  run_opts, 0, 1, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_run = { "run", "run a campaign (default " DEFAULT_SPEC ")",
					run_verbs };

static const struct ofd_verb replay_verbs[] = {
	{ NULL, do_replay, "CASE.yaml",
	  "re-run one reproducer from a report (reports/RUN/discrepancies/N/case.yaml)",
	  "exit: as run, for the one case\n", replay_opts, 1, 1, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_replay = { "replay", "re-run one reproducer from a report",
					   replay_verbs };
