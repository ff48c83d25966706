// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * isolate_child.c - the child of an isolated engine (ofd_isolate.h).
 *
 * It opens the engine with the parent's options and runs what the parent
 * asks, one case at a time, saying in the shared region which case it is
 * on and how many are done: when it dies or stops answering, that is how
 * the parent knows whose case it was and which results are complete.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "isolate_internal.h"

static struct iso_ctl *child_ctl;

/* While the engine opens, its warnings go to the parent, which prints
 * them, or returns the first line as the open error. */
__attribute__((format(printf, 2, 0)))
static void child_print(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	size_t n = strnlen(child_ctl->msg, sizeof(child_ctl->msg));

	if (lvl != OFD_WARN || n + 1 >= sizeof(child_ctl->msg))
		return;
	vsnprintf(child_ctl->msg + n, sizeof(child_ctl->msg) - n, fmt, ap);
}

static void answer(int sock, uint32_t seq)
{
	/* MSG_NOSIGNAL: a parent gone is PR_SET_PDEATHSIG's business. */
	while (send(sock, &seq, sizeof(seq), MSG_NOSIGNAL) < 0 && errno == EINTR)
		;
}

static void run_cases(struct iso *s, void *priv, struct ofd_result **slot,
		      uint32_t first, uint32_t n)
{
	struct iso_region *rg = &s->rg;
	uint32_t i;
	int err;

	for (i = first; i < n; i++) {
		struct ofd_result *r = slot[i];
		char *d = rg->detail[i];

		__atomic_store_n(&rg->ctl->current, i, __ATOMIC_RELAXED);
		/* The slot's tables are where the parent looks for them,
		 * whatever the engine did to the pointers last time. */
		r->frame = rg->frames + (size_t)i * OFD_MAX_FRAMES;
		r->arena = rg->arenas + (size_t)i * rg->arena_cap;
		r->arena_cap = rg->arena_cap;
		ofd_result_reset(r);
		err = s->inner->run(priv, &rg->cases[i], &slot[i], 1);
		if (err) {
			snprintf(d, ISO_DETAIL_MAX, "the engine failed: %s",
				 strerror(err < 0 ? -err : err));
			ofd_result_fault(r, OFD_REASON_FAULT_ENGINE, d);
			r->err = err < 0 ? -err : err;
		} else if (r->detail && r->detail != d) {
			/* Its string (static, or its own) into the region,
			 * the only place the parent takes one from. */
			size_t k;

			for (k = 0; k + 1 < ISO_DETAIL_MAX && r->detail[k]; k++)
				d[k] = r->detail[k];
			d[k] = '\0';
			r->detail = d;
		}
		__atomic_store_n(&rg->ctl->done, i + 1, __ATOMIC_RELEASE);
	}
}

void iso_child_main(struct iso *s, int sock, pid_t parent)
{
	struct ofd_result *slot[ISO_MAX_SLOTS];
	struct iso_region *rg = &s->rg;
	struct iso_ctl *ctl = rg->ctl;
	struct iso_cmd cmd;
	ofd_print_fn old;
	sigset_t none;
	void *priv = NULL;
	unsigned int i;
	ssize_t got;
	int err;

	/* Never outlive offdiff; it may have died before the prctl. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(1);
	/* A fresh process for the engine: whatever the forking thread had
	 * blocked, a crash must end it. ^C in a terminal goes to the whole
	 * process group: the parent decides when the campaign stops and ends
	 * the child then. */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);

	memset(ctl, 0, sizeof(*ctl));
	snprintf(ctl->info.name, sizeof(ctl->info.name), "%s", s->inner->name);
	child_ctl = ctl;
	old = ofd_set_print(child_print);
	err = s->inner->open(&s->opts, &priv);
	ofd_set_print(old);
	ctl->open_err = err;
	if (!err && s->inner->info)
		s->inner->info(priv, &ctl->info);
	answer(sock, 0);
	/* _exit everywhere: the parent's atexit handlers and stdio buffers
	 * are the parent's. */
	if (err)
		_exit(1);

	for (i = 0; i < ISO_MAX_SLOTS; i++)
		slot[i] = &rg->res[i];
	for (;;) {
		got = recv(sock, &cmd, sizeof(cmd), 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got != (ssize_t)sizeof(cmd))
			_exit(0); /* the parent is gone */
		switch (cmd.op) {
		case ISO_RUN:
			if (cmd.n <= ISO_MAX_SLOTS && cmd.first <= cmd.n)
				run_cases(s, priv, slot, cmd.first, cmd.n);
			break;
		case ISO_TALLY:
			ctl->tally[0] = '\0';
			if (s->inner->tally)
				s->inner->tally(priv, ctl->tally, sizeof(ctl->tally));
			ctl->tally[sizeof(ctl->tally) - 1] = '\0';
			break;
		case ISO_QUIT:
			if (s->inner->close)
				s->inner->close(priv);
			_exit(0);
		default:
			break;
		}
		answer(sock, cmd.seq);
	}
}
