/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_emu.h - the emulator's profiles, for the CLI (`offdiff profile`).
 *
 * The engine itself is reached through the registry (ofd_engine_emu in
 * targets/emu/emu.c); this header only lets a caller find, validate and
 * describe profile files without opening an engine. It depends on nothing
 * but libc.
 *
 * A profile is a YAML file specs/profiles/<name>.yaml:
 *
 *	name: srv6-ipv6-dst          # must equal the file's base name
 *	description: one line
 *	catalogue: [2]               # bug-catalogue.md entries (optional)
 *	knobs:                       # optional; every knob has a default
 *	  pseudo_header_daddr: ipv6-destination
 *
 * Knobs have one section per offload (defaults first):
 *  knobs: (tx-csum) pseudo_header_daddr final-destination |
 *    ipv6-destination; ipv6_extension_headers parse | ignore;
 *    zero_checksum 0xffff | 0x0000; tail_window <bytes>, 0 = off;
 *    tunnel_checksum inner | outer.
 *  tso: psh_fin last-segment | every-segment; cwr first-segment |
 *    every-segment; ipv4_id increment | fixed | inner-only;
 *    ipv6_extension_headers parse | refuse; pseudo_header_length
 *    replaced | kept | removed-twice; last_segment_length actual |
 *    full-size; outer_udp_length update | stale; outer_udp_checksum
 *    update | stale.
 */
#ifndef OFD_EMU_H
#define OFD_EMU_H

#include <stddef.h>

#define OFD_EMU_PROFILE_DIR "specs/profiles"

#define OFD_EMU_MAX_CATALOGUE 8
#define OFD_EMU_MAX_KNOBS 64

/* One knob as text: the value in the file, or the default. */
struct ofd_emu_knob_desc {
	const char *section; /* its section's key: "knobs", "tso" (static) */
	const char *name;  /* "tail_window" (static) */
	char value[24];    /* "4", "ipv6-destination" */
	int is_default;    /* not given in the file */
};

struct ofd_emu_profile_desc {
	char name[64];
	char description[256];
	unsigned int ncatalogue;
	unsigned int catalogue[OFD_EMU_MAX_CATALOGUE];
	unsigned int nknobs;
	/* every knob of every section, sections in a fixed order, each
	 * section's knobs together in a fixed order */
	struct ofd_emu_knob_desc knob[OFD_EMU_MAX_KNOBS];
};

/*
 * Resolve a profile argument to a file path: a name is looked up as
 * <dir>/<name>.yaml (dir NULL: OFD_EMU_PROFILE_DIR); an argument that
 * contains '/' or ends in ".yaml" is a path and used as is.
 * Returns 0, -EINVAL for an empty argument, -ENAMETOOLONG.
 */
int ofd_emu_profile_path(const char *profile, const char *dir, char *path,
			 size_t path_len);

/*
 * Load and validate the profile file at path. Returns 0, or -EINVAL /
 * -ENOENT with a one-line message in err ("file:line:col: what is wrong"
 * for anything inside the file).
 */
int ofd_emu_profile_check(const char *path, char *err, size_t err_len);

/* As ofd_emu_profile_check, and describe the profile with every knob's
 * effective value (defaults filled in). */
int ofd_emu_profile_describe(const char *path,
			     struct ofd_emu_profile_desc *desc, char *err,
			     size_t err_len);

#endif /* OFD_EMU_H */
