/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_fuzz.h - the fuzz entry point, kept in the library so that the Check
 * suites run it too (harness/fuzz/driver/ wraps it for AFL++/libFuzzer).
 *
 * One input goes through the whole hot path of one offload (its decoder,
 * ofd_offload_fuzz, makes the case; the model is the reference, the
 * emulator the target) and, when the two differ, through the slow path
 * (field diff and every explanation hypothesis).
 */
#ifndef OFD_FUZZ_H
#define OFD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct ofd_diff;

/* Open the engines for `offload` (NULL: $OFD_FUZZ_OFFLOAD, else tx-csum;
 * ethtool names work) against the emulator with `profile` (NULL:
 * $OFD_FUZZ_PROFILE, else conformant). Calling it again with another
 * profile or offload switches. -EOPNOTSUPP when the offload has no fuzz
 * decoder. */
int ofd_fuzz_init(const char *offload, const char *profile);

/* For decoders: c becomes a case of offload `off` with one frame, the
 * bytes data[prefix, size) copied into buf[0, cap) and pkts[0]; the
 * request is the decoder's to fill. -ENOENT when they do not fit. */
struct ofd_case;
struct ofd_pkt;
int ofd_fuzz_frame_case(const uint8_t *data, size_t size, size_t prefix, uint8_t *buf,
			uint32_t cap, struct ofd_pkt *pkts, unsigned int maxpkts,
			unsigned int off, struct ofd_case *c);
/* 1 when model and emu:conformant disagree critically (a bug), 0 when
 * not, negative when an engine broke. With out, the diff is handed over
 * (free it with ofd_diff_free) when one was made. */
int ofd_fuzz_one(const uint8_t *data, size_t size, struct ofd_diff *out);

/*
 * The loaders (harness/fuzz/loaders.c): the first byte picks one, modulo
 * OFD_FUZZ_LOADER__MAX, and the rest is the file's content:
 *   0 spec, 1 emulator profile, 2 case file (its input: is resolved beside
 *   harness/fuzz/tests/data/case/case.yaml), 3 checkpoint: progress.json,
 *   then optionally a NUL and findings.jsonl.
 * Returns the loader's 0 or negative errno (refusing an input is not a
 * failure); only a crash, a sanitizer report or a hang is a bug. Run from
 * the source tree: specs resolve their paths as specs/fuzz.yaml would.
 */
enum ofd_fuzz_loader {
	OFD_FUZZ_LOADER_SPEC,
	OFD_FUZZ_LOADER_PROFILE,
	OFD_FUZZ_LOADER_CASE,
	OFD_FUZZ_LOADER_CHECKPOINT,
	OFD_FUZZ_LOADER__MAX,
};
int ofd_fuzz_loaders_one(const uint8_t *data, size_t size);

#endif
