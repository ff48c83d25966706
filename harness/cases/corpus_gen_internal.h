/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * corpus_gen_internal.h - what the offloads' corpus scenario files
 * (corpus_<id>.c) share with the generator (corpus_write.c). Not installed:
 * the public side is ofd_corpus_gen.h.
 */
#ifndef OFD_CORPUS_GEN_INTERNAL_H
#define OFD_CORPUS_GEN_INTERNAL_H

#include <stdbool.h>

#include "ofd_corpus_gen.h"
#include "ofd_pktbuild.h"

/*
 * A scenario generator's state (corpus_write.c runs it): the frame being
 * built in buf and where finished frames go. Each offload's scenario file
 * writes one function per corpus file that builds frames with
 * ofd_gen_start (the frame's description, a fresh builder), the
 * ofd_pktb_* builders on g->b, and ofd_gen_emit (finish and hand it out).
 */
struct ofd_gen {
	struct ofd_pktb b;
	uint8_t *buf;
	uint32_t cap;
	const char *offload; /* for messages */
	unsigned int file;
	uint32_t index;
	ofd_corpus_gen_cb cb;
	void *ctx;
	char desc[112];
	/* gro: frames are stamped clock_us (a train's gaps, ofd_gro.h)
	 * instead of index seconds when timed. */
	bool timed;
	uint64_t clock_us;
};
typedef int (*ofd_gen_fn)(struct ofd_gen *g);

void ofd_gen_start(struct ofd_gen *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ofd_gen_emit(struct ofd_gen *g);
/* Run fns[file] (of nfns) with frames of up to cap bytes. */
int ofd_gen_run(const ofd_gen_fn *fns, unsigned int nfns, unsigned int file,
		uint32_t cap, const char *offload, ofd_corpus_gen_cb cb, void *ctx);

#endif
