/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * parse_internal.h - what the parser's files share: the protocol table
 * (parse.c walks with it, parse_fields.c names fields with it) and the
 * header layouts both read.
 */
#ifndef OFD_PARSE_INTERNAL_H
#define OFD_PARSE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd_parse.h"

#define SRH_TYPE 4
#define SRH_SEG_OFF 8
#define SRH_SEG_LEN 16

/* What a step found out about the header at hand. */
struct step {
	uint8_t proto;  /* what to record (a routing header may become SRH) */
	uint8_t next;   /* enum ofd_proto of the next header, NONE: stop */
	uint8_t stop;   /* with next == NONE: why the walk ends here */
	bool tunnel;    /* next is the first header of a tunnel's payload */
	uint32_t hlen;  /* full header length */
};

/*
 * A step sees at least min_len bytes at h (the caller checked) and fills
 * *st. It returns 0, or a stop reason when the header is unusable (it is
 * then not recorded): MALFORMED leaves the rest as trailer, UNKNOWN makes
 * it payload.
 */
typedef int (*step_fn)(const uint8_t *h, unsigned int flags,
		       struct step *st);

/*
 * A named field of a header. off is the offset in the header, or FD_NEXT
 * for "right after the previous field" (GRE's optional words, SRH TLVs);
 * len 0 means "to the end of the header" (options), absent when empty.
 */
struct fdesc {
	const char *name;
	uint8_t off;
	uint8_t len;
	uint8_t flags;
	uint16_t when; /* present only if the header's first 16 bits have it */
};

#define FD_NEXT 0xff
#define FD_CSUM 0x1 /* a checksum field */
#define FD_SEGS 0x2 /* SRH segment list: last_entry + 1 addresses */
#define FD_W1EQ 0x4 /* .when: present only if the second 16 bits equal it */
#define FD_W1NE 0x8 /* .when: present only if they do not */

#define FDW(n, o, l, fl, w) \
	{ .name = n, .off = o, .len = l, .flags = fl, .when = w }
#define FDF(n, o, l, fl) FDW(n, o, l, fl, 0)
#define FD(n, o, l) FDW(n, o, l, 0, 0)

struct proto_def {
	const char *name;
	uint8_t min_len;
	uint8_t is_l3 : 1, is_l4 : 1;
	uint8_t pseudo_proto; /* IP protocol number for the pseudo-header */
	step_fn step;
	const struct fdesc *fields;
	uint8_t nfields;
};

#define FIELDS(t) .fields = t, .nfields = OFD_ARRAY_SIZE(t)

/* Indexed by enum ofd_proto. */
extern const struct proto_def ofd_proto_defs[OFD_P__MAX];

/* Does layer l lie inside a frame of len bytes? */
static inline bool ofd_layer_ok(const struct ofd_layer *l, uint32_t len)
{
	return l->off <= len && l->len <= len - l->off;
}

#endif
