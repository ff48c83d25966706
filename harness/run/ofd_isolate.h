/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_isolate.h - an engine in a child process (fault isolation).
 *
 * Outside code (a vendor's model, an SDK, DPDK) must not be able to take a
 * campaign down. ofd_isolate_open() forks a child that opens the engine
 * and serves its batches; the engine the caller gets back has the same
 * name and flags, so the runner and the diff never know. Cases go to the
 * child and results come back through one shared memory region mapped at
 * the same address in both processes: the child's result slots (frame
 * tables and arenas) live in it, so a result crosses without a copy and
 * the parent only checks that every pointer and length in it stays inside
 * the region before the diff reads it.
 *
 * Per case the parent gives the child timeout_ms of no progress. When the
 * child dies (a signal, an exit), stops making progress (a hang: the child
 * is killed) or returns a result that does not check out, that case's
 * result is OFD_RES_FAULT with a one-line detail ("the plugin crashed:
 * SIGSEGV", "no answer within 2000 ms", "malformed result: frame 3 ends
 * past the arena"), which the diff makes a target-fault verdict with a
 * reproducer; a fresh child is started and the batch goes on from the next
 * case.
 */
#ifndef OFD_ISOLATE_H
#define OFD_ISOLATE_H

#include "ofd.h"

/*
 * ofd_isolate_open - open @inner in a child process as engine @e.
 * @opts:       as for inner->open; deep-copied (a restarted child opens
 *              the engine again with them)
 * @timeout_ms: per-case budget, 0 for OFD_ISOLATE_TIMEOUT_MS
 * @e:          the engine being opened: on success e->ops is a table with
 *              @inner's name, desc, flags and caps whose run, info, tally
 *              and close go to the child, and e->priv its state
 * Returns 0, or a negative errno with a one-line reason in @msg (the
 * child's own open error, e.g. a plugin that failed to load).
 */
int ofd_isolate_open(const struct ofd_engine_ops *inner,
		     const struct ofd_engine_opts *opts, unsigned int timeout_ms,
		     struct ofd_engine *e, char *msg, size_t msg_len);

/* How many children the engine started and why they ended, for the
 * engine's tally line ("2 restarts: 1 crash (SIGSEGV), 1 hang"). */
struct ofd_isolate_stats {
	uint64_t restarts, crashes, hangs, malformed;
};
void ofd_isolate_stats(const struct ofd_engine *e, struct ofd_isolate_stats *st);

/* The keys every engine takes (isolate, timeout_ms; see ofd.h), with the
 * line `offdiff engine list` prints for each: the registry takes them out
 * of an engine's params, ofd_engine_check_params accepts them for every
 * engine. NULL-terminated. */
extern const struct ofd_engine_param_doc ofd_engine_common_params[];

#endif /* OFD_ISOLATE_H */
