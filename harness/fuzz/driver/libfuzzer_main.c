// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * libfuzzer_main.c - libFuzzer-style entry point for AFL++ (`make fuzz`):
 * a disagreement between the model and emu:conformant aborts, so the
 * fuzzer keeps the input as a crash. Replay one without AFL++ with the
 * onefile driver: build/fuzz_txcsum FILE...
 */
#include <stdio.h>
#include <stdlib.h>

#include "ofd_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (ofd_fuzz_init(NULL, NULL))
		abort();
	if (ofd_fuzz_one(data, size, NULL) != 0)
		abort();
	return 0;
}
