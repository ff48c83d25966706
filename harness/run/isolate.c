// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * isolate.c - an engine in a child process (ofd_isolate.h): the parent.
 *
 * Per batch the parent copies the cases into the shared region, sends one
 * command and waits on the socket; the child runs the cases one at a time
 * and answers once. Only when the answer is slow does the parent look at
 * the child's progress (poll wakes up every quarter of the timeout): a
 * case that makes none for timeout_ms is a hang. A closed socket is a
 * death. Either way the results before the case are kept, the case is a
 * fault, a fresh child is started and the batch goes on after it.
 *
 * What comes back is checked before the diff sees it (isolate_region.c).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "isolate_internal.h"
#include "ofd_offload.h"

/* A child whose socket closed is exiting: how long it has to become
 * reapable before it is killed (it may have closed the socket itself). */
#define REAP_WAIT_MS 1000

enum { ANS_DONE, ANS_DIED, ANS_HUNG };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Opening and closing an engine (a plugin loading its SDK) may take
 * longer than one case: at least the default per-case budget. */
static unsigned int slow_budget(const struct iso *s)
{
	return s->timeout_ms > OFD_ISOLATE_TIMEOUT_MS ? s->timeout_ms : OFD_ISOLATE_TIMEOUT_MS;
}

/* ------------------------------------------------------------------ */
/* The child's life                                                    */
/* ------------------------------------------------------------------ */

static int send_cmd(struct iso *s, const struct iso_cmd *cmd)
{
	ssize_t r;

	/* MSG_NOSIGNAL: a dead child's socket is EPIPE, not our SIGPIPE.
	 * MSG_DONTWAIT: a child that stopped reading is as good as dead. */
	do
		r = send(s->sock, cmd, sizeof(*cmd), MSG_NOSIGNAL | MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	return r == (ssize_t)sizeof(*cmd) ? 0 : -EPIPE;
}

/*
 * Wait for the answer to command seq. ANS_DIED when the socket closes,
 * ANS_HUNG after budget_ms (of no progress with @progress: the count of
 * cases done moving resets the clock), or a negative errno when poll
 * itself fails. Answers to other commands (a confused child) are dropped.
 */
static int wait_answer(struct iso *s, uint32_t seq, unsigned int budget_ms, bool progress)
{
	uint32_t last = __atomic_load_n(&s->rg.ctl->done, __ATOMIC_ACQUIRE), cur, got_seq;
	int slice = budget_ms / 4 ? (int)(budget_ms / 4) : 1;
	uint64_t since = now_ms(), t;
	struct pollfd pfd;
	ssize_t got;
	int r;

	for (;;) {
		pfd.fd = s->sock;
		pfd.events = POLLIN;
		pfd.revents = 0;
		r = poll(&pfd, 1, slice);
		if (r < 0 && errno != EINTR)
			return -errno;
		if (r > 0) {
			got = recv(s->sock, &got_seq, sizeof(got_seq), MSG_DONTWAIT);
			if (got == (ssize_t)sizeof(got_seq) && got_seq == seq)
				return ANS_DONE;
			if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR))
				return ANS_DIED;
		}
		t = now_ms();
		if (progress) {
			cur = __atomic_load_n(&s->rg.ctl->done, __ATOMIC_ACQUIRE);
			if (cur != last) {
				last = cur;
				since = t;
				continue;
			}
		}
		if (t - since >= budget_ms)
			return ANS_HUNG;
	}
}

/*
 * Reap the child (killing it first with @kill_it, or when it does not
 * exit within REAP_WAIT_MS) and forget it. Returns its wait status, -1
 * when someone else reaped it (SIGCHLD ignored).
 */
static int end_child(struct iso *s, bool kill_it)
{
	struct timespec ms = { 0, 1000000 };
	uint64_t t0 = now_ms();
	int status = -1;
	pid_t r;

	if (kill_it)
		kill(s->pid, SIGKILL);
	for (;;) {
		r = waitpid(s->pid, &status, kill_it ? 0 : WNOHANG);
		if (r == s->pid)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			status = -1;
			break;
		}
		if (now_ms() - t0 >= REAP_WAIT_MS) {
			kill(s->pid, SIGKILL);
			kill_it = true;
			continue;
		}
		nanosleep(&ms, NULL);
	}
	close(s->sock);
	s->sock = -1;
	s->pid = 0;
	return status;
}

static void describe(int status, char *why, size_t len)
{
	const char *ab;

	if (status != -1 && WIFSIGNALED(status)) {
		ab = sigabbrev_np(WTERMSIG(status));
		if (ab)
			snprintf(why, len, "crashed: SIG%s (%s)", ab, strsignal(WTERMSIG(status)));
		else
			snprintf(why, len, "crashed: signal %d", WTERMSIG(status));
	} else if (status != -1 && WIFEXITED(status)) {
		snprintf(why, len, "exited with status %d", WEXITSTATUS(status));
	} else {
		snprintf(why, len, "died (its exit status was taken elsewhere)");
	}
}

static void count_crash(struct iso *s, int status)
{
	unsigned int i;

	s->st.crashes++;
	if (status == -1 || !WIFSIGNALED(status)) {
		s->exits++;
		return;
	}
	for (i = 0; i < s->nsigs; i++)
		if (s->sigs[i] == WTERMSIG(status))
			return;
	if (s->nsigs < OFD_ARRAY_SIZE(s->sigs))
		s->sigs[s->nsigs++] = WTERMSIG(status);
}

/* The first line of the child's open warnings. */
static const char *first_line(struct iso_ctl *ctl)
{
	ctl->msg[sizeof(ctl->msg) - 1] = '\0';
	ctl->msg[strcspn(ctl->msg, "\n")] = '\0';
	return ctl->msg;
}

static void sanitize_info(struct ofd_engine_info *in)
{
#define TERM(a) (a)[sizeof(a) - 1] = '\0'
	TERM(in->name);
	TERM(in->version);
	TERM(in->profile);
	TERM(in->device.port);
	TERM(in->device.netns);
	TERM(in->device.driver);
	TERM(in->device.driver_version);
	TERM(in->device.fw_version);
	TERM(in->device.bus_info);
	TERM(in->device.peer);
	TERM(in->program);
	TERM(in->program_hash);
#undef TERM
}

/* Start a child and wait until it opened the engine: 0, or a negative
 * errno with the one line why in msg. */
static int spawn(struct iso *s, char *msg, size_t msg_len)
{
	struct iso_ctl *ctl = s->rg.ctl;
	pid_t parent = getpid(), pid;
	int sv[2], st, err, status;
	char why[128];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		err = -errno;
		snprintf(msg, msg_len, "engine '%s': no socket for its process: %s",
			 s->inner->name, strerror(-err));
		return err;
	}
	/* What stdio holds now is the parent's to write, not the child's
	 * (an engine that calls exit() flushes it). */
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		err = -errno;
		close(sv[0]);
		close(sv[1]);
		snprintf(msg, msg_len, "engine '%s': cannot start its process: %s",
			 s->inner->name, strerror(-err));
		return err;
	}
	if (!pid) {
		close(sv[0]);
		iso_child_main(s, sv[1], parent);
	}
	close(sv[1]);
	s->pid = pid;
	s->sock = sv[0];
	st = wait_answer(s, 0, slow_budget(s), false);
	if (st == ANS_DONE && !ctl->open_err) {
		/* The engine's warnings once, not again with every fresh
		 * child. */
		if (first_line(ctl)[0] && !s->started)
			ofd_pr_warn("%s\n", ctl->msg);
		if (s->started)
			s->st.restarts++;
		s->started = true;
		return 0;
	}
	if (st < 0) {
		end_child(s, true);
		snprintf(msg, msg_len, "engine '%s': waiting for its process: %s", s->inner->name,
			 strerror(-st));
		return st;
	}
	if (st == ANS_DONE) {
		err = ctl->open_err < 0 ? ctl->open_err : -EINVAL;
		end_child(s, false);
		if (first_line(ctl)[0])
			snprintf(msg, msg_len, "%s", ctl->msg);
		else
			snprintf(msg, msg_len, "engine '%s' failed to open: %s", s->inner->name,
				 strerror(-err));
		return err;
	}
	status = end_child(s, st == ANS_HUNG);
	if (st == ANS_HUNG) {
		snprintf(msg, msg_len, "engine '%s' did not open within %u ms", s->inner->name,
			 slow_budget(s));
		return -ETIMEDOUT;
	}
	describe(status, why, sizeof(why));
	snprintf(msg, msg_len, "engine '%s' %s while opening", s->inner->name, why);
	return -EIO;
}

static int restart(struct iso *s)
{
	char msg[ISO_MSG_MAX];
	int err = spawn(s, msg, sizeof(msg));

	if (err)
		ofd_pr_warn("%s: a fresh process for the engine did not open: %s\n",
			    s->inner->name, msg);
	return err;
}

/* ------------------------------------------------------------------ */
/* The engine ops                                                      */
/* ------------------------------------------------------------------ */

/* Run the m cases staged in the region, restarting the child after each
 * one that kills or hangs it. */
static int run_chunk(struct iso *s, const struct ofd_case *cases,
		     struct ofd_result *const *results, unsigned int m,
		     char (*det)[ISO_DETAIL_MAX])
{
	struct iso_ctl *ctl = s->rg.ctl;
	struct iso_cmd cmd = { .op = ISO_RUN, .n = m };
	unsigned int first = 0, done, i;
	bool resent = false;
	char why[128];
	int st, err, status;

	while (first < m) {
		if (!s->pid && (err = restart(s)))
			return err;
		__atomic_store_n(&ctl->current, first, __ATOMIC_RELAXED);
		__atomic_store_n(&ctl->done, first, __ATOMIC_RELEASE);
		cmd.first = first;
		cmd.seq = ++s->seq;
		if (send_cmd(s, &cmd)) {
			/* It died between batches (a thread of its own, a
			 * signal from outside): none of our cases ran. A
			 * fresh child that dies before taking the command
			 * takes the blame. */
			if (!resent) {
				resent = true;
				count_crash(s, end_child(s, false));
				continue;
			}
			st = ANS_DIED;
		} else {
			st = wait_answer(s, cmd.seq, s->timeout_ms, true);
			if (st < 0)
				return st;
		}
		done = __atomic_load_n(&ctl->done, __ATOMIC_ACQUIRE);
		if (done < first || done > m)
			done = first;
		for (i = first; i < done; i++)
			iso_harvest(s, i, &cases[i], results[i], det[i]);
		if (st == ANS_DONE) {
			for (i = done; i < m; i++) {
				s->st.malformed++;
				iso_fault(results[i], OFD_REASON_FAULT_MALFORMED, det[i],
					  "malformed result: the engine's process answered "
					  "with %u of %u cases done", done, m);
			}
			return 0;
		}
		if (st == ANS_HUNG) {
			end_child(s, true);
			s->st.hangs++;
			if (done < m)
				iso_fault(results[done], OFD_REASON_FAULT_HANG, det[done],
					  "no answer within %u ms (hung); killed", s->timeout_ms);
		} else {
			status = end_child(s, false);
			count_crash(s, status);
			describe(status, why, sizeof(why));
			if (done < m)
				iso_fault(results[done], OFD_REASON_FAULT_CRASH, det[done], "%s", why);
		}
		first = done + 1;
		resent = false;
	}
	return 0;
}

static int iso_run(void *priv, const struct ofd_case *cases,
		   struct ofd_result *const *results, unsigned int n)
{
	struct iso *s = priv;
	unsigned int k = 0, m;
	int err;

	iso_spill_free(s);
	iso_trim(s);
	if (n > s->ndetails) {
		void *d = realloc(s->details, (size_t)n * ISO_DETAIL_MAX);

		if (!d)
			return -ENOMEM;
		s->details = d;
		s->ndetails = n;
	}
	while (k < n) {
		m = iso_stage(s, &cases[k], n - k);
		if (!m) {
			ofd_result_unsupported(results[k],
					       "input larger than an isolated engine's shared region");
			k++;
			continue;
		}
		err = run_chunk(s, &cases[k], &results[k], m, &s->details[k]);
		if (err)
			return err;
		k += m;
		if (k < n && (err = iso_spill_out(s, &results[k - m], m)))
			return err;
	}
	return 0;
}

static void iso_info(void *priv, struct ofd_engine_info *info)
{
	struct iso *s = priv;

	*info = s->info;
}

static void iso_tally(void *priv, char *buf, size_t len)
{
	struct iso *s = priv;
	struct iso_cmd cmd = { .op = ISO_TALLY };
	char inner[ISO_MSG_MAX] = "", sigs[64] = "";
	unsigned long long children = s->st.restarts + 1;
	size_t off = 0;
	unsigned int i;
	int st;

	if (s->pid && s->inner->tally) {
		cmd.seq = ++s->seq;
		st = send_cmd(s, &cmd) ? ANS_DIED : wait_answer(s, cmd.seq, s->timeout_ms, false);
		if (st == ANS_DONE) {
			s->rg.ctl->tally[sizeof(s->rg.ctl->tally) - 1] = '\0';
			snprintf(inner, sizeof(inner), "%s", s->rg.ctl->tally);
		} else {
			end_child(s, true);
		}
	}
	for (i = 0; i < s->nsigs && off < sizeof(sigs); i++)
		off += (size_t)snprintf(sigs + off, sizeof(sigs) - off, "%sSIG%s", i ? ", " : " (",
					sigabbrev_np(s->sigs[i]) ? sigabbrev_np(s->sigs[i]) : "?");
	if (s->exits && off < sizeof(sigs))
		off += (size_t)snprintf(sigs + off, sizeof(sigs) - off, "%sexit", off ? ", " : " (");
	if (off && off < sizeof(sigs))
		snprintf(sigs + off, sizeof(sigs) - off, ")");
	snprintf(buf, len,
		 "isolated: %llu child%s, %llu crash%s%s, %llu hang%s, %llu malformed result%s%s%s",
		 children, children == 1 ? "" : "ren", (unsigned long long)s->st.crashes,
		 s->st.crashes == 1 ? "" : "es", sigs, (unsigned long long)s->st.hangs,
		 s->st.hangs == 1 ? "" : "s", (unsigned long long)s->st.malformed,
		 s->st.malformed == 1 ? "" : "s", inner[0] ? "; " : "", inner);
}

static void iso_free(struct iso *s)
{
	unsigned int i;

	iso_spill_free(s);
	if (s->rg.base)
		munmap(s->rg.base, s->rg.size);
	for (i = 0; i < s->opts.nparams; i++) {
		free((char *)s->params[i].key);
		free((char *)s->params[i].value);
	}
	free(s->params);
	free((char *)s->opts.profile);
	free((char *)s->opts.profile_dir);
	free((char *)s->opts.base_dir);
	free(s->details);
	free(s);
}

static void iso_close(void *priv)
{
	struct iso *s = priv;
	struct iso_cmd cmd = { .op = ISO_QUIT };
	int st = ANS_HUNG;

	if (s->pid) {
		cmd.seq = ++s->seq;
		/* QUIT is never answered: the socket closes when it exits. */
		if (!send_cmd(s, &cmd))
			st = wait_answer(s, cmd.seq, slow_budget(s), false);
		end_child(s, st != ANS_DIED);
	}
	iso_free(s);
}

static int copy_str(const char *in, const char **out)
{
	if (!in)
		return 0;
	*out = strdup(in);
	return *out ? 0 : -ENOMEM;
}

static int copy_opts(struct iso *s, const struct ofd_engine_opts *o)
{
	unsigned int i;

	if (!o)
		return 0;
	s->opts.caps = o->caps;
	if (copy_str(o->profile, &s->opts.profile) ||
	    copy_str(o->profile_dir, &s->opts.profile_dir) ||
	    copy_str(o->base_dir, &s->opts.base_dir))
		return -ENOMEM;
	if (!o->nparams)
		return 0;
	s->params = calloc(o->nparams, sizeof(*s->params));
	if (!s->params)
		return -ENOMEM;
	s->opts.params = s->params;
	for (i = 0; i < o->nparams; i++) {
		s->opts.nparams = i + 1;
		if (copy_str(o->params[i].key, &s->params[i].key) ||
		    copy_str(o->params[i].value, &s->params[i].value))
			return -ENOMEM;
	}
	return 0;
}

int ofd_isolate_open(const struct ofd_engine_ops *inner,
		     const struct ofd_engine_opts *opts, unsigned int timeout_ms,
		     struct ofd_engine *e, char *msg, size_t msg_len)
{
	struct iso *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->inner = inner;
	s->sock = -1;
	s->timeout_ms = timeout_ms ? timeout_ms : OFD_ISOLATE_TIMEOUT_MS;
	err = copy_opts(s, opts);
	if (!err)
		err = iso_region_map(&s->rg, ofd_cases_max_output(opts && opts->caps ? opts->caps : ~0u));
	if (err) {
		snprintf(msg, msg_len, "engine '%s': no shared memory for its process: %s",
			 inner->name, strerror(-err));
		iso_free(s);
		return err;
	}
	err = spawn(s, msg, msg_len);
	if (err) {
		iso_free(s);
		return err;
	}
	s->info = s->rg.ctl->info;
	sanitize_info(&s->info);
	s->ops = *inner;
	s->ops.open = NULL; /* opened: a child opens again through spawn */
	s->ops.run = iso_run;
	s->ops.info = iso_info;
	s->ops.tally = iso_tally;
	s->ops.close = iso_close;
	e->ops = &s->ops;
	e->priv = s;
	e->info = s->info;
	return 0;
}

void ofd_isolate_stats(const struct ofd_engine *e, struct ofd_isolate_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (e && e->ops && e->ops->run == iso_run)
		*st = ((const struct iso *)e->priv)->st;
}
