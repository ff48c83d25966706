// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * offloads.c - the offload registry, from the X-macro list in offloads.def.
 *
 * Each offload's layers are looked up by name (ofd_cases_<id>, ...) through
 * weak references: a layer an offload does not have yet is NULL here, so
 * adding a layer is adding its file, and adding an offload is adding its
 * files and one line in offloads.def.
 */
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "ofd_offload.h"

#define OFD_OFFLOAD(ID, id, name, ethtool, ethtool_short, dir)                    \
	extern const struct ofd_offload_cases ofd_cases_##id __attribute__((weak)); \
	extern const struct ofd_offload_judge ofd_judge_##id __attribute__((weak)); \
	extern const struct ofd_offload_fuzz ofd_fuzz_##id __attribute__((weak));
#include "offloads.def"
#undef OFD_OFFLOAD

static const struct ofd_offload_ops offloads[OFD_OFFLOAD__MAX] = {
#define OFD_OFFLOAD(ID, lid, nm, et, ets, d)                                  \
	[OFD_OFFLOAD_##ID] = {                                                \
		.id = OFD_OFFLOAD_##ID,                                       \
		.name = nm,                                                   \
		.ethtool = et,                                                \
		.ethtool_short = ets,                                         \
		.dir = d,                                                     \
		.cases = &ofd_cases_##lid,                                    \
		.judge = &ofd_judge_##lid,                                    \
		.fuzz = &ofd_fuzz_##lid,                                      \
	},
#include "offloads.def"
#undef OFD_OFFLOAD
};

const struct ofd_offload_ops *ofd_offload_get(unsigned int off)
{
	return off < OFD_OFFLOAD__MAX ? &offloads[off] : NULL;
}

const char *ofd_offload_name(enum ofd_offload off)
{
	return (unsigned int)off < OFD_OFFLOAD__MAX ? offloads[off].name : "?";
}

const char *ofd_offload_ethtool_name(enum ofd_offload off)
{
	return (unsigned int)off < OFD_OFFLOAD__MAX ? offloads[off].ethtool : "?";
}

int ofd_offload_from_name(const char *name)
{
	int i;

	for (i = 0; i < OFD_OFFLOAD__MAX; i++)
		if (!strcmp(name, offloads[i].name) ||
		    !strcmp(name, offloads[i].ethtool) ||
		    !strcmp(name, offloads[i].ethtool_short))
			return i;
	return -EINVAL;
}
