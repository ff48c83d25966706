/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * emu_internal.h - what targets/emu/emu.c and targets/emu/profile.c share, and
 * what the emulator's unit tests reach into.
 */
#ifndef OFD_EMU_INTERNAL_H
#define OFD_EMU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_emu.h"

/* Knob indices: the order of ofd_emu_profile_desc.knob[] and of `show`. */
enum emu_knob {
	EMU_KNOB_DADDR = 0,  /* pseudo_header_daddr */
	EMU_KNOB_EXTHDR,     /* ipv6_extension_headers */
	EMU_KNOB_ZERO,       /* zero_checksum */
	EMU_KNOB_TAIL,       /* tail_window */
	EMU_KNOB_TUNNEL,     /* tunnel_checksum */
	EMU_KNOB__MAX,
};

/* A loaded profile: the device's behaviour. Zero-initialised plus
 * ofdint_emu_profile_init() is the conformant device. */
struct ofdint_emu_profile {
	char name[64];
	char description[256];
	unsigned int ncatalogue;
	unsigned int catalogue[OFD_EMU_MAX_CATALOGUE];
	unsigned int set;       /* 1 << EMU_KNOB_*: given in the file */

	bool use_ipv6_dst;      /* pseudo-header uses the IPv6 daddr (#2) */
	bool ignore_exthdr;     /* L4 assumed at IPv6 + 40 (#1) */
	uint16_t zero_value;    /* what a computed 0 is sent as (#8) */
	uint32_t tail_window;   /* whole-word DMA near the frame end (#9) */
	bool tunnel_outer;      /* tunnel requests checksum the outer UDP (#3-5) */
};

/* The conformant device, named "conformant". */
void ofdint_emu_profile_init(struct ofdint_emu_profile *p);

/* Load a profile file / a profile text that claims to be file `file`
 * (the name check uses its base name). 0 or -errno with a located
 * message in err; *p is the conformant device on failure. */
int ofdint_emu_profile_load(const char *path, struct ofdint_emu_profile *p,
			    char *err, size_t err_len);
int ofdint_emu_profile_parse(const char *file, const char *text, size_t len,
			     struct ofdint_emu_profile *p, char *err,
			     size_t err_len);

/* One offload of the device (targets/emu/<id>.c exports ofd_emu_<id>, see
 * offloads.def): execute case c with profile p into r (reset by the
 * caller). */
struct emu_offload {
	void (*run)(const struct ofdint_emu_profile *p, const struct ofd_case *c,
		    struct ofd_result *r);
};

/* The tx-csum device (txcsum.c): one TX checksum case into r. */
void ofdint_emu_tx_csum(const struct ofdint_emu_profile *p,
			const struct ofd_case *c, struct ofd_result *r);

#endif /* OFD_EMU_INTERNAL_H */
