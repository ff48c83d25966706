// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * loaders_main.c - libFuzzer-style entry point of the loaders' fuzzer
 * (`make fuzz-loaders`): specs, profiles, case files and checkpoints
 * (ofd_fuzz_loaders_one). A refused input is fine; a crash, a sanitizer
 * report or a hang is the bug. Replay inputs without AFL++ with the
 * onefile driver: build/fuzz_loaders FILE...
 */
#include <stddef.h>
#include <stdint.h>

#include "ofd_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ofd_fuzz_loaders_one(data, size);
	return 0;
}
