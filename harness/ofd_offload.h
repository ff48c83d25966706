/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_offload.h - the per-offload contract: what each layer of the
 * pipeline needs to know about one offload, and nothing it does not.
 *
 * A case flows input -> cases -> engines -> diff/explain -> report. Shared
 * code in each stage is offload-agnostic; where it needs offload knowledge
 * it asks the offload's table for that stage. An offload is:
 *
 *   one line in offloads.def                  identity, ethtool aliases,
 *                                             direction
 *   harness/cases/<id>.c     ofd_cases_<id>   requests from corpus frames,
 *                                             random cases, corpus scenarios
 *   harness/run/explain_<id>.c ofd_judge_<id> comparison and root-cause
 *                                             hypotheses
 *   harness/fuzz/<id>.c      ofd_fuzz_<id>    fuzz input -> case decoder
 *   oracles/model/<id>.c     ofd_model_<id>   the model of the kernel path
 *   targets/emu/<id>.c       ofd_emu_<id>     the emulated device
 *
 * Every layer is optional: a missing table is a weak reference that
 * resolves to NULL, and the stage that needs it says so ("gro has no
 * cases yet", an engine answers OFD_RES_UNSUPPORTED). Nothing switches on
 * the offload anywhere else. The kernel engine needs no per-offload file:
 * it drives the kernel's transmit or receive path by the offload's
 * direction.
 *
 * Weak references do not pull objects out of a static archive, so every
 * program links libofd whole (-Wl,--whole-archive, see the Makefile and
 * libofd's pkg-config file); the `offload` Check suite asserts that
 * tx-csum's layers are all present in the test binary.
 */
#ifndef OFD_OFFLOAD_H
#define OFD_OFFLOAD_H

#include "ofd.h"
#include "ofd_corpus_gen.h"
#include "ofd_run.h"

/* Which kernel path an offload exercises. */
enum ofd_direction {
	OFD_DIR_TX = 0, /* the stack transmits: a request goes to the device */
	OFD_DIR_RX,     /* the device receives: frames come in from the wire */
};

/* ---------------- cases/: where cases come from ---------------- */

/* A corpus file the generator writes for this offload
 * (`offdiff corpus gen`). */
struct ofd_corpus_scenario {
	const char *file;  /* relative to the corpus directory: "tx-csum/base.pcap" */
	const char *about; /* one line for `corpus stats` and the docs */
	/* Generate the frames in order; see ofd_corpus_gen.h for cb. */
	int (*foreach)(unsigned int which, ofd_corpus_gen_cb cb, void *ctx);
	unsigned int which; /* passed to foreach */
};

struct ofd_offload_cases {
	/* Request kinds this offload takes (bits 1u << enum ofd_req_kind);
	 * a spec asking for others is an error. */
	unsigned int requests;
	/*
	 * @derive: this offload's cases for every frame of @corpus and every
	 * request kind in @requests, into @set (see ofd_caseset_* in
	 * ofd_run.h): the request the kernel stack would make, with the spec's
	 * overrides applied (ofd_overrides_apply). A frame with nothing to
	 * offload counts in set->skipped.
	 *
	 * @corpus is a chunk: `offdiff run` streams the corpus and calls
	 * derive once per chunk (ofd_corpus_stream, a few thousand frames),
	 * with the same @set, emptied, every time; a loaded corpus is one
	 * chunk. So derive makes room with ofd_caseset_prepare (which reuses
	 * the previous chunk's storage) instead of allocating a set, and
	 * keeps nothing from one chunk to the next: a case must not need
	 * frames of another chunk. Its cases' ids are their index in @set
	 * (the caller renumbers them across chunks and offloads). The
	 * caller has checked the spec's overrides against the whole corpus
	 * (ofd_overrides_check*) before the first chunk. Runs before the hot
	 * path, so it may copy (e.g. a seed written into a frame copy).
	 */
	int (*derive)(const struct ofd_corpus *corpus, unsigned int requests,
		      const struct ofd_spec *spec, struct ofd_caseset *set,
		      char *err, size_t err_len);
	/*
	 * @max_output_bytes: the most bytes one case's output can hold, over
	 * all its frames, in an engine that builds output frames instead of
	 * pointing into the input (the kernel engine reads frames back; the
	 * model and the emulator give tx-csum's output as the input plus a
	 * patch and build nothing). The runner sizes result arenas by the
	 * largest bound of the campaign's offloads and allocates one only
	 * when an engine first builds a frame in its slot. 0: the output is
	 * always the input by reference, no engine needs an arena.
	 */
	uint32_t max_output_bytes;
	/*
	 * @random: build case (@seed, @index) into @buf[0, @cap) and @pkts
	 * (room for @maxpkts frames): deterministic in (seed, index) alone,
	 * so any case can be rebuilt and shards agree. 0, or -errno.
	 */
	int (*random)(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		      struct ofd_pkt *pkts, unsigned int maxpkts,
		      struct ofd_case *c);
	/* @scenarios: the bundled corpus files this offload generates. */
	const struct ofd_corpus_scenario *scenarios;
	unsigned int nscenarios;
};

/* ---------------- run/: how results are judged ---------------- */

struct ofd_offload_judge {
	/*
	 * @compare: optional. The verdict of a case when byte and metadata
	 * equality of every frame (ofd_diff_quick) is not the offload's rule,
	 * e.g. GRO, where a target may flush earlier than the kernel. On the
	 * hot path: no allocation.
	 */
	enum ofd_verdict (*compare)(const struct ofd_case *c,
				    const struct ofd_result *ref,
				    const struct ofd_result *tgt,
				    unsigned int tgt_flags);
	/*
	 * @explain: optional. Called for a discrepancy whose field diff is
	 * done: 0 with *e filled when one alternative computation reproduces
	 * the target's output exactly, -ENOENT when none does. May allocate
	 * (slow path).
	 */
	int (*explain)(const struct ofd_case *c, const struct ofd_result *ref,
		       const struct ofd_result *tgt, struct ofd_explanation *e);
	/*
	 * @frame_noun: optional, what one output frame is called in field
	 * lines ("segment": "segment 3/5: ipv4/tcp: tcp.flags.psh 0x1 !=
	 * 0x0"); "frame" without it. @unexplained: optional, the class of a
	 * discrepancy no hypothesis reproduces ("segmentation-unexplained");
	 * without it "checksum-unexplained" or "bytes-unexplained". explain
	 * is also asked about a frame-count mismatch when the offload names
	 * its frames.
	 */
	const char *frame_noun;
	const char *unexplained;
	/* @explains_meta: explain is also asked about a difference in
	 * metadata alone (gro: a merge with another gso_size). */
	bool explains_meta;
	/*
	 * @field_diff: optional, for an offload whose output frames are a
	 * record rather than a packet (dissect: the flow keys,
	 * ofd_flow_keys.h). Name the fields in which the reference's frame
	 * bytes @e and the target's @a (both @len bytes, patches applied)
	 * differ: @line(@ctx, field, values) once per field, field being
	 * the maskable name ("ports.src") and values "1000 != 0". Returns
	 * how many it named. The diff then skips its packet field walk
	 * for the frame (and applies masks to these names).
	 */
	int (*field_diff)(const uint8_t *e, const uint8_t *a, uint32_t len,
			  void (*line)(void *ctx, const char *field, const char *values),
			  void *ctx);
};

/* ---------------- fuzz/: fuzz input decoding ---------------- */

struct ofd_offload_fuzz {
	/*
	 * @decode: turn a fuzzer's bytes into a case, its frames built in
	 * @buf[0, @cap) (room for @maxpkts frames in @pkts). 0 with the case
	 * made, -ENOENT when the input holds no case this offload would ever
	 * see (the fuzzer moves on), other -errno on error. @layout documents
	 * the input format for seed writers.
	 */
	int (*decode)(const uint8_t *data, size_t size, uint8_t *buf,
		      uint32_t cap, struct ofd_pkt *pkts, unsigned int maxpkts,
		      struct ofd_case *c);
	/* Make seed @variant (0 .. @nseeds - 1) from a corpus frame into
	 * out[0, cap): its length, or 0 when the frame makes no such seed. */
	size_t (*seed)(const uint8_t *frame, uint32_t len, unsigned int variant,
		       uint8_t *out, size_t cap);
	unsigned int nseeds;
	const char *layout;
};

/* ---------------- the offload ---------------- */

struct ofd_offload_ops {
	enum ofd_offload id;
	const char *name;          /* "tx-csum" */
	const char *ethtool;       /* "tx-checksumming" */
	const char *ethtool_short; /* "tx" */
	enum ofd_direction dir;
	const struct ofd_offload_cases *cases; /* NULL: no cases yet */
	const struct ofd_offload_judge *judge; /* NULL: generic diff only */
	const struct ofd_offload_fuzz *fuzz;   /* NULL: no fuzz target */
};

/* The table of offload off, or NULL out of range. */
const struct ofd_offload_ops *ofd_offload_get(unsigned int off);

/* The per-offload tables of every layer, declared from offloads.def. */
#define OFD_OFFLOAD(ID, id, name, ethtool, ethtool_short, dir)             \
	extern const struct ofd_offload_cases ofd_cases_##id;                \
	extern const struct ofd_offload_judge ofd_judge_##id;                \
	extern const struct ofd_offload_fuzz ofd_fuzz_##id;
#include "offloads.def"
#undef OFD_OFFLOAD

/* ---------------- cases for a campaign ---------------- */

/* Cases of every offload in @offloads (OFD_CAP bits) for @corpus, in
 * offload order, case ids from 0; the spec's overrides checked against
 * @corpus. An offload without cases is an error naming it. */
int ofd_cases_derive(const struct ofd_corpus *corpus, unsigned int offloads,
		     unsigned int requests, const struct ofd_spec *spec,
		     struct ofd_caseset *set, char *err, size_t err_len);
/*
 * The same for a streamed corpus: ofd_cases_begin once (the offloads, each
 * must have cases), then ofd_cases_derive_chunk for every chunk: @set's
 * cases become @chunk's, every offload's in offload order, ids from
 * @first_id on (the cases of the chunks before), in storage reused from
 * chunk to chunk. Overrides are the caller's to check over the whole
 * corpus (ofd_overrides_check_chunk/_seen). ofd_caseset_free at the end.
 */
int ofd_cases_begin(struct ofd_caseset *set, unsigned int offloads,
		    const struct ofd_spec *spec, char *err, size_t err_len);
int ofd_cases_derive_chunk(const struct ofd_corpus *chunk, unsigned int requests,
			   const struct ofd_spec *spec, uint64_t first_id,
			   struct ofd_caseset *set, char *err, size_t err_len);
/* The most output bytes one case of any offload in @offloads can have in
 * an engine that builds its output (max_output_bytes). */
uint32_t ofd_cases_max_output(unsigned int offloads);

#endif /* OFD_OFFLOAD_H */
