/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * build_internal.h - what the builders (build.c) and the finishing pass
 * (build_finish.c) share.
 */
#ifndef OFD_BUILD_INTERNAL_H
#define OFD_BUILD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd_pktbuild.h"

/* Record the first error in b and return it. */
int ofd_pktb__fail(struct ofd_pktb *b, int err);
/* Is a layer of this enum ofd_proto an IPv4 or IPv6 header? */
bool ofd_pktb__is_ip(uint8_t proto);

#endif
