/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_kernel.h - the kernel engine's public extras.
 *
 * The engine itself is reached through the registry (ofd_engine_find
 * ("kernel")); these are the few things the CLI, `make bench` and the tests
 * need beyond the ops table.
 */
#ifndef OFD_KERNEL_H
#define OFD_KERNEL_H

#include <stddef.h>

#include "ofd.h"

/* The ops table (oracles/kernel/kernel.c), listed in harness/engines.def. */
extern const struct ofd_engine_ops ofd_engine_kernel;

/*
 * ofd_kernel_version - "Linux <release>" of the running kernel (uname -r).
 * @return 0, -errno from uname(), or -ENAMETOOLONG when @len is too small
 *         (@buf then holds a truncated, terminated string).
 */
int ofd_kernel_version(char *buf, size_t len);

/*
 * ofd_kernel_bench_floor - the bare cost of the kernel engine's data path.
 *
 * Opens a private namespace like the engine does, then sends @n fixed
 * 64-byte frames (no checksum or GSO request) one at a time through the
 * AF_PACKET socket and reads each back from the tap. *@pps receives frames
 * per second. This is the ceiling for any TX case rate of the engine.
 *
 * @return 0, -EINVAL for n == 0, -EPERM/-ENODEV/... when the namespace
 *         cannot be set up (see the engine's probe()), -EIO when a frame
 *         does not come back.
 */
int ofd_kernel_bench_floor(unsigned int n, double *pps);

#endif /* OFD_KERNEL_H */
