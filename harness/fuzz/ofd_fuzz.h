/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_fuzz.h - fuzz entry points that live in the library, so that the
 * Check suites run them too (harness/fuzz/ wraps them for AFL++).
 */
#ifndef OFD_FUZZ_H
#define OFD_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct ofd_diff;

/* Open the engines: the emulator with `profile`, or $OFD_FUZZ_PROFILE, or
 * conformant. Calling it again with another profile switches the target. */
int ofd_fuzz_txcsum_init(const char *profile);
/* 1 when model and emu:conformant disagree critically (a bug), 0 when
 * not, negative when an engine broke. With out, the diff is handed over
 * (free it with ofd_diff_free) when one was made. */
int ofd_fuzz_txcsum_one(const uint8_t *data, size_t size, struct ofd_diff *out);

#endif
