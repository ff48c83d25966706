// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_isolate.c - an engine in a child process (harness/run/isolate.c).
 *
 * A test engine of its own (not in engines.def) misbehaves on the case ids
 * its params name: crash_on raises SIGSEGV, hang_on sleeps forever,
 * exit_on calls _exit(7), errno_on returns -EIO, garbage_on returns a
 * frame on the child's stack, toomany_on more frames than a result holds,
 * fail_open refuses to open, fail_open_if refuses once a file exists.
 * Otherwise it answers a mix of results: the input plus a patch, a frame
 * of new headers plus a piece of the input, a rejection, an unsupported
 * case with a detail.
 *
 * Cases:
 *  - the isolated engine gives what the engine gives in-process, and
 *    frames on the input point at the caller's input;
 *  - a crash, a hang, an exit, an engine error and malformed results are
 *    faults of their case only; the rest of the batch, and the next batch,
 *    go on (with a fresh child after a crash or a hang);
 *  - a hang costs the timeout, not more;
 *  - a child that dies between batches is replaced without blame, and
 *    offdiff does not die of SIGPIPE;
 *  - a batch larger than the region still holds every result;
 *  - the open error and info() come from the child; a fresh child that
 *    cannot open stops the run with the engine's error;
 *  - no child outlives offdiff or stays a zombie;
 *  - through the registry: isolate=on gives emu's verdicts over the
 *    bundled corpus; the common keys' values are checked.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_isolate.h"
#include "ofd_offload.h"
#include "ofd_run.h"
#include "ofd_test.h"

/* ---------------- the test engine ---------------- */

#define NONE UINT64_MAX

struct tpriv {
	uint64_t crash_on, hang_on, exit_on, errno_on, garbage_on, toomany_on;
	unsigned long ran;
};

static uint64_t num(const struct ofd_engine_opts *o, const char *key)
{
	const char *v = ofd_engine_param(o, key);

	return v ? strtoull(v, NULL, 10) : NONE;
}

static int t_open(const struct ofd_engine_opts *o, void **priv)
{
	const char *f = ofd_engine_param(o, "fail_open");
	const char *unless = ofd_engine_param(o, "fail_open_if");
	struct tpriv *p;

	if (unless && !access(unless, F_OK))
		f = "its file is there";
	if (f) {
		ofd_pr_warn("isotest: cannot open: %s\n", f);
		return -ENODEV;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->crash_on = num(o, "crash_on");
	p->hang_on = num(o, "hang_on");
	p->exit_on = num(o, "exit_on");
	p->errno_on = num(o, "errno_on");
	p->garbage_on = num(o, "garbage_on");
	p->toomany_on = num(o, "toomany_on");
	*priv = p;
	return 0;
}

static int t_one(struct tpriv *p, const struct ofd_case *c, struct ofd_result *r)
{
	const struct ofd_pkt *in = &c->pkts[0];
	struct ofd_frame *f;
	uint8_t *d;

	if (c->id == p->crash_on) {
		/* a plain crash, also under a sanitizer's handler */
		signal(SIGSEGV, SIG_DFL);
		raise(SIGSEGV);
	}
	if (c->id == p->hang_on)
		for (;;)
			pause();
	if (c->id == p->exit_on)
		_exit(7);
	if (c->id == p->errno_on)
		return -EIO;
	if (c->id == p->garbage_on) {
		static uint8_t *volatile keep;
		uint8_t local[16] = { 0 };

		/* the child's stack: the same address in the parent, and
		 * outside the region */
		keep = local;
		ofd_result_add_ref(r, keep, sizeof(local));
		return 0;
	}
	if (c->id == p->toomany_on) {
		ofd_result_add_ref(r, in->data, in->len);
		r->nframes = OFD_MAX_FRAMES + 5;
		return 0;
	}
	switch (c->id % 5) {
	case 2:
		f = ofd_result_add_split(r, 8, in->data + 8, in->len - 8, &d);
		if (!f)
			return -ENOSPC;
		memset(d, (int)c->id, 8);
		break;
	case 3:
		ofd_result_unsupported(r, "isotest: not this one");
		break;
	case 4:
		ofd_result_reject(r, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
		r->err = EINVAL;
		break;
	default:
		f = ofd_result_add_ref(r, in->data, in->len);
		if (!f)
			return -ENOSPC;
		ofd_frame_patch_be16(f, 2, (uint16_t)c->id);
		f->meta.has = OFD_META_RXHASH;
		f->meta.rxhash = (uint32_t)c->id * 7;
	}
	return 0;
}

static int t_run(void *priv, const struct ofd_case *cases,
		 struct ofd_result *const *results, unsigned int n)
{
	struct tpriv *p = priv;
	unsigned int i;
	int err;

	for (i = 0; i < n; i++) {
		err = t_one(p, &cases[i], results[i]);
		if (err)
			return err;
		p->ran++;
	}
	return 0;
}

static void t_info(void *priv, struct ofd_engine_info *info)
{
	snprintf(info->version, sizeof(info->version), "isotest pid %d", (int)getpid());
}

static void t_tally(void *priv, char *buf, size_t len)
{
	snprintf(buf, len, "isotest: %lu cases", ((struct tpriv *)priv)->ran);
}

static void t_close(void *priv)
{
	free(priv);
}

static const struct ofd_engine_ops t_ops = {
	.name = "isotest",
	.desc = "check_isolate's misbehaving engine",
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM),
	.open = t_open,
	.run = t_run,
	.info = t_info,
	.close = t_close,
	.tally = t_tally,
};

/* ---------------- cases and helpers ---------------- */

#define NCASES 200
#define FLEN 96

static uint8_t frames[NCASES][FLEN];
static struct ofd_pkt pkts[NCASES];
static struct ofd_case cases[NCASES];
static struct ofd_result *got[NCASES], *want[NCASES];

static void setup(void)
{
	unsigned int i, k;

	for (i = 0; i < NCASES; i++) {
		for (k = 0; k < FLEN; k++)
			frames[i][k] = (uint8_t)(i * 31 + k);
		pkts[i] = (struct ofd_pkt){ .data = frames[i], .len = FLEN };
		cases[i] = (struct ofd_case){ .id = i, .offload = OFD_OFFLOAD_TX_CSUM,
					      .npkts = 1, .pkts = &pkts[i],
					      .src_file = i & 1 ? "odd.pcap" : NULL,
					      .src_index = i };
		ck_assert_int_eq(ofd_result__new(4096, &got[i]), 0);
		ck_assert_int_eq(ofd_result__new(4096, &want[i]), 0);
	}
}

static void teardown(void)
{
	unsigned int i;

	for (i = 0; i < NCASES; i++) {
		ofd_result__free(got[i]);
		ofd_result__free(want[i]);
	}
}

/* "k=v,k=v" into opts (strings live in buf). */
static void make_opts(struct ofd_engine_opts *o, struct ofd_engine_param *p, char *buf,
		      const char *params)
{
	char *item, *save = NULL;

	memset(o, 0, sizeof(*o));
	o->params = p;
	snprintf(buf, 256, "%s", params);
	for (item = strtok_r(buf, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');

		*eq = '\0';
		p[o->nparams].key = item;
		p[o->nparams++].value = eq + 1;
	}
}

static int open_iso(struct ofd_engine *e, const char *params, unsigned int timeout_ms,
		    char *msg, size_t len)
{
	struct ofd_engine_param p[8];
	struct ofd_engine_opts o;
	char buf[256];

	make_opts(&o, p, buf, params);
	memset(e, 0, sizeof(*e));
	return ofd_isolate_open(&t_ops, &o, timeout_ms, e, msg, len);
}

static void close_iso(struct ofd_engine *e)
{
	e->ops->close(e->priv);
}

static void run_batch(struct ofd_engine *e, unsigned int first, unsigned int n)
{
	unsigned int i;

	for (i = first; i < first + n; i++)
		ofd_result_reset(got[i]);
	ck_assert_int_eq(e->ops->run(e->priv, &cases[first], &got[first], n), 0);
}

/* What the well-behaved engine gives in this process. */
static void run_here(unsigned int first, unsigned int n)
{
	struct ofd_engine_opts o = { 0 };
	void *priv;
	unsigned int i;

	ck_assert_int_eq(t_ops.open(&o, &priv), 0);
	for (i = first; i < first + n; i++) {
		ofd_result_reset(want[i]);
		ck_assert_int_eq(t_ops.run(priv, &cases[i], &want[i], 1), 0);
	}
	t_ops.close(priv);
}

static void assert_same(unsigned int i)
{
	const struct ofd_result *a = want[i], *b = got[i];
	uint32_t k;

	ck_assert_msg(b->status == a->status, "case %u: status %u, want %u (%s)", i, b->status,
		      a->status, b->detail ? b->detail : "");
	ck_assert_uint_eq(b->stage, a->stage);
	ck_assert_uint_eq(b->reason, a->reason);
	ck_assert_int_eq(b->err, a->err);
	ck_assert_uint_eq(!b->detail, !a->detail);
	if (a->detail)
		ck_assert_str_eq(b->detail, a->detail);
	ck_assert_uint_eq(b->nframes, a->nframes);
	for (k = 0; k < a->nframes; k++) {
		const struct ofd_frame *fa = &a->frame[k], *fb = &b->frame[k];

		ck_assert_uint_eq(fb->len, fa->len);
		ck_assert_uint_eq(fb->tail_len, fa->tail_len);
		ck_assert_uint_eq(fb->npatches, fa->npatches);
		ck_assert_uint_eq(fb->meta.has, fa->meta.has);
		if (fa->meta.has & OFD_META_RXHASH)
			ck_assert_uint_eq(fb->meta.rxhash, fa->meta.rxhash);
		ck_assert_msg(ofd_frame_equal(fa, fb), "case %u frame %u differs", i, k);
		/* the input itself, not the region's copy of it */
		if (fa->base == cases[i].pkts[0].data)
			ck_assert_ptr_eq(fb->base, fa->base);
		if (fa->tail)
			ck_assert_ptr_eq(fb->tail, fa->tail);
	}
}

static void assert_fault(unsigned int i, const char *text)
{
	ck_assert_msg(got[i]->status == OFD_RES_FAULT, "case %u: status %u, not a fault", i,
		      got[i]->status);
	ck_assert_ptr_nonnull(got[i]->detail);
	ck_assert_msg(strstr(got[i]->detail, text), "case %u: '%s' does not say '%s'", i,
		      got[i]->detail, text);
	ck_assert_uint_eq(got[i]->nframes, 0);
}

/* Every child we started was reaped. */
static void assert_no_children(void)
{
	int st;

	errno = 0;
	ck_assert_int_eq(waitpid(-1, &st, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static pid_t child_pid(const struct ofd_engine *e)
{
	int pid = 0;

	ck_assert_int_eq(sscanf(e->info.version, "isotest pid %d", &pid), 1);
	return pid;
}

/* ---------------- tests ---------------- */

START_TEST(same_as_in_process)
{
	struct ofd_isolate_stats st;
	struct ofd_engine e;
	char msg[256], tally[512];
	unsigned int i;

	ck_assert_msg(!open_iso(&e, "", 0, msg, sizeof(msg)), "%s", msg);
	ck_assert_str_eq(e.ops->name, "isotest");
	ck_assert_uint_eq(e.ops->caps, t_ops.caps);
	run_here(0, 64);
	run_batch(&e, 0, 64);
	for (i = 0; i < 64; i++)
		assert_same(i);
	e.ops->tally(e.priv, tally, sizeof(tally));
	ck_assert_str_eq(tally, "isolated: 1 child, 0 crashes, 0 hangs, 0 malformed results; "
				"isotest: 64 cases");
	ofd_isolate_stats(&e, &st);
	ck_assert_uint_eq(st.restarts + st.crashes + st.hangs + st.malformed, 0);
	close_iso(&e);
	assert_no_children();
}
END_TEST

START_TEST(crash_is_the_case_fault)
{
	struct ofd_isolate_stats st;
	struct ofd_engine e;
	char msg[256], tally[512];
	unsigned int i;

	ck_assert_msg(!open_iso(&e, "crash_on=6", 0, msg, sizeof(msg)), "%s", msg);
	run_here(0, 128);
	run_batch(&e, 0, 64);
	for (i = 0; i < 64; i++)
		if (i == 6)
			assert_fault(i, "crashed: SIGSEGV (Segmentation fault)");
		else
			assert_same(i);
	/* a fresh child for the next batch */
	run_batch(&e, 64, 64);
	for (i = 64; i < 128; i++)
		assert_same(i);
	ofd_isolate_stats(&e, &st);
	ck_assert_uint_eq(st.crashes, 1);
	ck_assert_uint_eq(st.restarts, 1);
	ck_assert_uint_eq(st.hangs, 0);
	e.ops->tally(e.priv, tally, sizeof(tally));
	/* the inner tally is the fresh child's: 57 after the crash, 64 */
	ck_assert_str_eq(tally, "isolated: 2 children, 1 crash (SIGSEGV), 0 hangs, "
				"0 malformed results; isotest: 121 cases");
	close_iso(&e);
	assert_no_children();
}
END_TEST

START_TEST(hang_costs_the_timeout)
{
	struct ofd_isolate_stats st;
	struct ofd_engine e;
	char msg[256];
	unsigned int i;
	double t0, dt;

	ck_assert_msg(!open_iso(&e, "hang_on=5", 200, msg, sizeof(msg)), "%s", msg);
	run_here(0, 64);
	t0 = now_s();
	run_batch(&e, 0, 64);
	dt = now_s() - t0;
	ck_assert_msg(dt >= 0.2 && dt < 1.0, "a 200 ms hang took %.3f s", dt);
	for (i = 0; i < 64; i++)
		if (i == 5)
			assert_fault(i, "no answer within 200 ms (hung); killed");
		else
			assert_same(i);
	ofd_isolate_stats(&e, &st);
	ck_assert_uint_eq(st.hangs, 1);
	ck_assert_uint_eq(st.restarts, 1);
	close_iso(&e);
	assert_no_children();
}
END_TEST

START_TEST(exit_error_and_malformed_results)
{
	struct ofd_isolate_stats st;
	struct ofd_engine e;
	char msg[256], tally[512];
	unsigned int i;

	ck_assert_msg(!open_iso(&e, "garbage_on=2,toomany_on=7,exit_on=4,errno_on=9", 0, msg,
				sizeof(msg)), "%s", msg);
	run_here(0, 20);
	run_batch(&e, 0, 20);
	for (i = 0; i < 20; i++)
		if (i == 2)
			assert_fault(i, "malformed result: frame 0: its 16 bytes of base lie "
					"outside the shared region");
		else if (i == 7)
			assert_fault(i, "malformed result: 65541 frames, more than 65536");
		else if (i == 4)
			assert_fault(i, "exited with status 7");
		else if (i == 9)
			assert_fault(i, "the engine failed: Input/output error");
		else
			assert_same(i);
	ofd_isolate_stats(&e, &st);
	ck_assert_uint_eq(st.malformed, 2);
	/* the exit only: a malformed result is checked, the child goes on */
	ck_assert_uint_eq(st.crashes, 1);
	ck_assert_uint_eq(st.restarts, 1);
	e.ops->tally(e.priv, tally, sizeof(tally));
	ck_assert_msg(strstr(tally, "1 crash (exit), 0 hangs, 2 malformed results"), "%s", tally);
	close_iso(&e);
	assert_no_children();
}
END_TEST

START_TEST(death_between_batches)
{
	struct ofd_isolate_stats st;
	struct ofd_engine e;
	char msg[256];
	unsigned int i;

	ck_assert_msg(!open_iso(&e, "", 0, msg, sizeof(msg)), "%s", msg);
	run_here(0, 64);
	ck_assert_int_eq(kill(child_pid(&e), SIGKILL), 0);
	usleep(50000);
	/* no case ran in it: nothing to blame, and no SIGPIPE for us */
	run_batch(&e, 0, 64);
	for (i = 0; i < 64; i++)
		assert_same(i);
	ofd_isolate_stats(&e, &st);
	ck_assert_uint_eq(st.crashes, 1);
	ck_assert_uint_eq(st.restarts, 1);
	close_iso(&e);
	assert_no_children();
}
END_TEST

START_TEST(batch_larger_than_the_region)
{
	struct ofd_engine e;
	char msg[256];
	unsigned int i;

	ck_assert_msg(!open_iso(&e, "crash_on=150", 0, msg, sizeof(msg)), "%s", msg);
	run_here(0, NCASES);
	run_batch(&e, 0, NCASES);
	for (i = 0; i < NCASES; i++)
		if (i == 150)
			assert_fault(i, "crashed: SIGSEGV");
		else
			assert_same(i);
	close_iso(&e);
	assert_no_children();
}
END_TEST

START_TEST(open_error_and_info_from_the_child)
{
	struct ofd_engine e;
	char msg[256] = "";

	ck_assert_int_eq(open_iso(&e, "fail_open=no licence", 0, msg, sizeof(msg)), -ENODEV);
	ck_assert_str_eq(msg, "isotest: cannot open: no licence");
	assert_no_children();

	ck_assert_msg(!open_iso(&e, "", 0, msg, sizeof(msg)), "%s", msg);
	ck_assert_str_eq(e.info.name, "isotest");
	ck_assert_int_ne(child_pid(&e), getpid());
	close_iso(&e);
	assert_no_children();
}
END_TEST

static char warned[512];

__attribute__((format(printf, 2, 0)))
static void keep_warning(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	size_t n = strlen(warned);

	if (lvl == OFD_WARN)
		vsnprintf(warned + n, sizeof(warned) - n, fmt, ap);
}

START_TEST(fresh_child_cannot_open)
{
	struct ofd_engine e;
	char dir[256], path[300], params[400], msg[256];
	ofd_print_fn old;
	unsigned int i;
	FILE *f;

	ofd_test_mkdtemp(dir, sizeof(dir), "isolate");
	snprintf(path, sizeof(path), "%s/licence-gone", dir);
	snprintf(params, sizeof(params), "crash_on=3,fail_open_if=%s", path);
	ck_assert_msg(!open_iso(&e, params, 0, msg, sizeof(msg)), "%s", msg);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	run_here(0, 8);
	for (i = 0; i < 8; i++)
		ofd_result_reset(got[i]);
	warned[0] = '\0';
	old = ofd_set_print(keep_warning);
	ck_assert_int_eq(e.ops->run(e.priv, cases, got, 8), -ENODEV);
	ofd_set_print(old);
	ck_assert_str_eq(warned, "isotest: a fresh process for the engine did not open: "
				 "isotest: cannot open: its file is there\n");
	for (i = 0; i < 3; i++)
		assert_same(i);
	assert_fault(3, "crashed: SIGSEGV");
	close_iso(&e);
	assert_no_children();
	unlink(path);
	rmdir(dir);
}
END_TEST

/* offdiff killed: its child follows (PR_SET_PDEATHSIG). */
START_TEST(no_child_outlives_offdiff)
{
	int fd[2], pid = 0, st;
	pid_t runner;
	char path[64], stat[256];
	double t0;

	ck_assert_int_eq(pipe(fd), 0);
	runner = fork();
	ck_assert_int_ge(runner, 0);
	if (!runner) {
		struct ofd_engine e;
		char msg[256];

		if (open_iso(&e, "", 0, msg, sizeof(msg)))
			_exit(1);
		pid = child_pid(&e);
		if (write(fd[1], &pid, sizeof(pid)) != sizeof(pid))
			_exit(1);
		pause(); /* until SIGKILL: no close, no cleanup */
		_exit(0);
	}
	close(fd[1]);
	ck_assert_int_eq(read(fd[0], &pid, sizeof(pid)), sizeof(pid));
	close(fd[0]);
	ck_assert_int_eq(kill(runner, SIGKILL), 0);
	ck_assert_int_eq(waitpid(runner, &st, 0), runner);
	/* gone, or a zombie of whoever adopted it */
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (t0 = now_s(); now_s() - t0 < 2.0; usleep(10000)) {
		FILE *f = fopen(path, "r");
		char *rp;

		if (!f)
			break;
		stat[0] = '\0';
		rp = fgets(stat, sizeof(stat), f);
		fclose(f);
		rp = rp ? strrchr(stat, ')') : NULL;
		if (rp && rp[1] == ' ' && (rp[2] == 'Z' || rp[2] == 'X'))
			break;
	}
	ck_assert_msg(now_s() - t0 < 2.0, "the isolated child %d outlived its parent", pid);
}
END_TEST

/* ---------------- through the registry ---------------- */

static void open_emu(const char *params, struct ofd_engine **e)
{
	struct ofd_engine_param p[8];
	struct ofd_engine_opts o;
	char buf[256], msg[256];

	make_opts(&o, p, buf, params);
	o.profile = "conformant";
	o.profile_dir = "specs/profiles";
	ck_assert_msg(!ofd_engine__open("emu", &o, e, msg, sizeof(msg)), "%s", msg);
}

static void verdicts(struct ofd_engine *model, struct ofd_engine *tgt,
		     const struct ofd_caseset *set, uint64_t *counts)
{
	struct ofd_runner_target rt = { .engine = tgt, .label = "emu" };
	struct ofd_runner *r;
	int v;

	ck_assert_int_eq(ofd_runner__new(model, &rt, 1, NULL, NULL, &r), 0);
	ck_assert_int_eq(ofd_runner__run(r, set->cases, set->ncases, 0), 0);
	for (v = 0; v < OFD_V__MAX; v++)
		counts[v] = ofd_runner__count(r, v);
	ofd_runner__free(r);
}

START_TEST(registry_isolate_on)
{
	static const char *const files[] = { "corpus/tx-csum/base.pcap",
					     "corpus/tx-csum/tunnels.pcap",
					     "corpus/tso/base.pcap" };
	struct ofd_engine_opts eo = { .profile_dir = "specs/profiles" };
	uint64_t here[OFD_V__MAX], iso[OFD_V__MAX];
	struct ofd_engine *model, *emu, *emu_iso;
	struct ofd_result *a[64], *b[64];
	struct ofd_isolate_stats st;
	struct ofd_corpus corpus;
	struct ofd_caseset set;
	char err[256];
	unsigned int f, i, k;
	uint32_t j;
	int v;

	ck_assert_int_eq(ofd_engine__open("model", &eo, &model, err, sizeof(err)), 0);
	open_emu("", &emu);
	open_emu("isolate=on,timeout_ms=5000", &emu_iso);
	ck_assert_ptr_ne(emu_iso->ops, emu->ops);
	ck_assert_str_eq(emu_iso->ops->name, "emu");
	ck_assert_str_eq(emu_iso->info.name, "emu");
	ck_assert_str_eq(emu_iso->info.version, emu->info.version);
	ck_assert_str_eq(emu_iso->info.profile, emu->info.profile);
	for (i = 0; i < 64; i++) {
		ck_assert_int_eq(ofd_result__new(ofd_cases_max_output(~0u), &a[i]), 0);
		ck_assert_int_eq(ofd_result__new(ofd_cases_max_output(~0u), &b[i]), 0);
	}
	for (f = 0; f < OFD_ARRAY_SIZE(files); f++) {
		unsigned int off = strstr(files[f], "tso") ? OFD_OFFLOAD_TSO : OFD_OFFLOAD_TX_CSUM;

		memset(&corpus, 0, sizeof(corpus));
		memset(&set, 0, sizeof(set));
		ck_assert_int_eq(ofd_corpus_load(&corpus, files[f], err, sizeof(err)), 0);
		ck_assert_int_eq(ofd_cases_derive(&corpus, OFD_CAP(off), 3, NULL, &set, err,
						  sizeof(err)), 0);
		ck_assert_uint_gt(set.ncases, 0);
		verdicts(model, emu, &set, here);
		verdicts(model, emu_iso, &set, iso);
		for (v = 0; v < OFD_V__MAX; v++)
			ck_assert_msg(here[v] == iso[v], "%s: %s: %llu in-process, %llu isolated",
				      files[f], ofd_verdict_name(v), (unsigned long long)here[v],
				      (unsigned long long)iso[v]);
		ck_assert_uint_eq(iso[OFD_V_TARGET_FAULT], 0);
		/* and frame for frame */
		for (k = 0; k < set.ncases; k += 64) {
			unsigned int n = set.ncases - k < 64 ? set.ncases - k : 64;

			for (i = 0; i < n; i++) {
				ofd_result_reset(a[i]);
				ofd_result_reset(b[i]);
			}
			ck_assert_int_eq(emu->ops->run(emu->priv, &set.cases[k], a, n), 0);
			ck_assert_int_eq(emu_iso->ops->run(emu_iso->priv, &set.cases[k], b, n), 0);
			for (i = 0; i < n; i++) {
				ck_assert_uint_eq(b[i]->status, a[i]->status);
				ck_assert_uint_eq(b[i]->stage, a[i]->stage);
				ck_assert_uint_eq(b[i]->reason, a[i]->reason);
				ck_assert_uint_eq(b[i]->nframes, a[i]->nframes);
				for (j = 0; j < a[i]->nframes; j++)
					ck_assert(ofd_frame_equal(&a[i]->frame[j], &b[i]->frame[j]));
			}
		}
		ofd_caseset_free(&set);
		ofd_corpus_free(&corpus);
	}
	for (i = 0; i < 64; i++) {
		ofd_result__free(a[i]);
		ofd_result__free(b[i]);
	}
	ofd_isolate_stats(emu_iso, &st);
	ck_assert_uint_eq(st.restarts + st.crashes + st.hangs + st.malformed, 0);
	ofd_engine__close(emu_iso);
	ofd_engine__close(emu);
	ofd_engine__close(model);
	assert_no_children();
}
END_TEST

START_TEST(registry_common_keys)
{
	static const struct {
		const char *params, *msg;
	} bad[] = {
		{ "isolate=maybe", "isolate is on or off, not 'maybe'" },
		{ "isolate=on,timeout_ms=0",
		  "timeout_ms is a number of milliseconds from 1 to 3600000, not '0'" },
		{ "isolate=on,timeout_ms=12x",
		  "timeout_ms is a number of milliseconds from 1 to 3600000, not '12x'" },
		{ "isolate=on,timeout_ms=-5",
		  "timeout_ms is a number of milliseconds from 1 to 3600000, not '-5'" },
		{ "timeout_ms=100", "timeout_ms is for an engine in a child process (isolate=on)" },
	};
	const struct ofd_engine_param ok[] = { { "isolate", "on" }, { "timeout_ms", "20" } };
	const struct ofd_engine_param unknown[] = { { "isolat", "on" } };
	struct ofd_engine_param p[8];
	struct ofd_engine_opts o;
	struct ofd_engine *e;
	char buf[256], msg[256];
	unsigned int i;

	for (i = 0; i < OFD_ARRAY_SIZE(bad); i++) {
		make_opts(&o, p, buf, bad[i].params);
		msg[0] = '\0';
		ck_assert_int_eq(ofd_engine__open("null", &o, &e, msg, sizeof(msg)), -EINVAL);
		ck_assert_str_eq(msg, bad[i].msg);
	}
	/* isolate=off: in this process, no child */
	make_opts(&o, p, buf, "isolate=off");
	ck_assert_msg(!ofd_engine__open("null", &o, &e, msg, sizeof(msg)), "%s", msg);
	ck_assert_ptr_eq(e->ops, ofd_engine_find("null"));
	ofd_engine__close(e);
	assert_no_children();
	/* every engine takes them, and nothing else it does not know */
	ck_assert_int_eq(ofd_engine_check_params(ofd_engine_find("null"), ok, 2, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ofd_engine_check_params(ofd_engine_find("emu"), ok, 2, msg, sizeof(msg)), 0);
	ck_assert_int_eq(ofd_engine_check_params(ofd_engine_find("null"), unknown, 1, msg,
						 sizeof(msg)), -EINVAL);
	ck_assert_str_eq(msg, "engine null takes no 'isolat' (it takes no settings of its own)");
}
END_TEST

static Suite *isolate_suite(void)
{
	Suite *s = suite_create("isolate");
	TCase *tc = tcase_create("child");
	TCase *reg = tcase_create("registry");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, same_as_in_process);
	tcase_add_test(tc, crash_is_the_case_fault);
	tcase_add_test(tc, hang_costs_the_timeout);
	tcase_add_test(tc, exit_error_and_malformed_results);
	tcase_add_test(tc, death_between_batches);
	tcase_add_test(tc, batch_larger_than_the_region);
	tcase_add_test(tc, open_error_and_info_from_the_child);
	tcase_add_test(tc, fresh_child_cannot_open);
	tcase_add_test(tc, no_child_outlives_offdiff);
	suite_add_tcase(s, tc);
	tcase_add_checked_fixture(reg, setup, teardown);
	tcase_set_timeout(reg, 60);
	tcase_add_test(reg, registry_isolate_on);
	tcase_add_test(reg, registry_common_keys);
	suite_add_tcase(s, reg);
	return s;
}

OFD_TEST_SUITE(isolate_suite)
