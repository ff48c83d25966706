/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * isolate_internal.h - what the two sides of an isolated engine share:
 * isolate.c (the parent: the child's life, the engine ops),
 * isolate_region.c (the parent: the region, checking what comes back) and
 * isolate_child.c (the child: open the engine, run cases).
 *
 * The region is one memfd mapped MAP_SHARED before the first fork, so it
 * sits at the same address in the parent and in every child it starts:
 * a pointer into it means the same bytes on both sides. Its layout, all
 * parts page aligned:
 *
 *   ctl      struct iso_ctl: progress, the open error, info, tally
 *   cases    ISO_MAX_SLOTS cases, ISO_MAX_PKTS frames, ISO_CASE_BYTES of
 *            their bytes (the parent copies each chunk in: the child
 *            cannot see memory the parent allocated after the fork)
 *   res      ISO_MAX_SLOTS result slots and a detail string each
 *   frames   ISO_MAX_SLOTS frame tables of OFD_MAX_FRAMES
 *   arenas   ISO_MAX_SLOTS arenas of arena_cap bytes
 *
 * The file is sparse: pages are committed when first written, so the
 * gigabytes of address space cost what the cases touch.
 */
#ifndef OFD_ISOLATE_INTERNAL_H
#define OFD_ISOLATE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "ofd.h"
#include "ofd_isolate.h"

#define ISO_MAX_SLOTS 64 /* the runner's batch; a larger n goes in chunks */
/* Slot tables are whole pages: trim() gives back pages past the first MB. */
_Static_assert(OFD_MAX_FRAMES % 4096 == 0, "frame tables of whole pages");
#define ISO_MAX_PKTS 16384
#define ISO_CASE_BYTES ((size_t)64 << 20)
#define ISO_DETAIL_MAX 256
#define ISO_MSG_MAX 512

enum iso_op {
	ISO_RUN = 1, /* run cases [first, n) of the region, one at a time */
	ISO_TALLY,   /* the engine's tally into ctl->tally */
	ISO_QUIT,    /* close the engine and exit */
};

/* A command (parent to child) and its answer (the same seq back): one
 * SOCK_SEQPACKET message each way per batch. */
struct iso_cmd {
	uint32_t op, seq, first, n;
};

struct iso_ctl {
	/* Written by the child as it goes (atomics): the parent reads them
	 * when the child stops answering or dies, to know whose case it was. */
	uint32_t current;
	uint32_t done;
	int open_err;
	char msg[ISO_MSG_MAX];   /* the engine's warnings while it opened */
	char tally[ISO_MSG_MAX];
	struct ofd_engine_info info;
};

struct iso_region {
	uint8_t *base;
	size_t size;
	struct iso_ctl *ctl;
	struct ofd_case *cases;
	struct ofd_pkt *pkts;
	uint8_t *bytes;
	struct ofd_result *res;
	char (*detail)[ISO_DETAIL_MAX];
	struct ofd_frame *frames; /* slot i's: frames + i * OFD_MAX_FRAMES */
	uint8_t *arenas;          /* slot i's: arenas + i * arena_cap */
	uint32_t arena_cap;
};

/* Results of an earlier chunk of a batch larger than the region, moved
 * out of it before the next chunk reuses the slots. */
struct iso_spill {
	struct iso_spill *next;
	uint8_t bytes[];
};

struct iso {
	struct ofd_engine_ops ops; /* what e->ops points at */
	const struct ofd_engine_ops *inner;
	struct ofd_engine_opts opts; /* deep copy: every child opens with it */
	struct ofd_engine_param *params;
	unsigned int timeout_ms;
	struct iso_region rg;
	pid_t pid; /* the child, 0 when none runs */
	bool started; /* a child was started: the next is a restart */
	int sock;
	uint32_t seq;
	struct ofd_engine_info info; /* the first child's */
	struct ofd_isolate_stats st;
	/* The signals children died of, for the tally ("SIGSEGV, SIGABRT"). */
	int sigs[4];
	unsigned int nsigs, exits;
	/* Where the parent copied each frame of the chunk in the region: its
	 * own record, since the child can write the region's. */
	const uint8_t *copy[ISO_MAX_PKTS];
	uint32_t pkt0[ISO_MAX_SLOTS];
	int8_t same[ISO_MAX_PKTS]; /* copy still equals the input: -1 unknown */
	/* Pages the last batch committed past what a slot keeps. */
	bool trim[ISO_MAX_SLOTS];
	size_t bytes_used;
	/* Detail strings of the caller's slots, ours to keep until the next
	 * batch (a child can rewrite the region's at any time). */
	char (*details)[ISO_DETAIL_MAX];
	unsigned int ndetails;
	struct iso_spill *spill;
};

/* isolate_region.c: map the region (0 or -errno); give back the pages the
 * last batch committed; copy cases in while they fit (how many did); take
 * slot's result out into the caller's r, checked (a fault with detail
 * when it does not check out); move a chunk's results out of the region
 * before the next chunk reuses it; free what was moved. */
int iso_region_map(struct iso_region *rg, uint32_t arena_cap);
void iso_trim(struct iso *s);
unsigned int iso_stage(struct iso *s, const struct ofd_case *cases, unsigned int n);
void iso_harvest(struct iso *s, unsigned int slot, const struct ofd_case *c,
		 struct ofd_result *r, char *detail);
int iso_spill_out(struct iso *s, struct ofd_result *const *res, unsigned int m);
void iso_spill_free(struct iso *s);
/* r becomes OFD_RES_FAULT of kind (OFD_REASON_FAULT_*) with the detail
 * written into detail (ISO_DETAIL_MAX). */
void iso_fault(struct ofd_result *r, enum ofd_reason kind, char *detail, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The child's life: open the engine, answer commands; never returns. */
__attribute__((noreturn)) void iso_child_main(struct iso *s, int sock,
					      pid_t parent);

#endif /* OFD_ISOLATE_INTERNAL_H */
