/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_yaml_emit.h - writing YAML with libyaml's emitter, so that what we
 * write (case.yaml, `profile show`) is quoted and escaped by the same
 * library that reads it back, never by hand.
 *
 * Calls after an error do nothing; ofd_yemit_close() returns the first
 * error. One document per stream.
 */
#ifndef OFD_YAML_EMIT_H
#define OFD_YAML_EMIT_H

#include <stdbool.h>
#include <stdio.h>
#include <yaml.h>

struct ofd_yemit {
	yaml_emitter_t e;
	int err;
	bool live;
};

/* Start a stream and its document on f (f stays the caller's). */
int ofd_yemit_open(struct ofd_yemit *y, FILE *f);
/* End the document, flush; returns 0 or -EIO (the first error). */
int ofd_yemit_close(struct ofd_yemit *y);

/* Block or flow ([a, b], {k: v}) collections. */
void ofd_yemit_map(struct ofd_yemit *y, bool flow);
void ofd_yemit_seq(struct ofd_yemit *y, bool flow);
void ofd_yemit_end_map(struct ofd_yemit *y);
void ofd_yemit_end_seq(struct ofd_yemit *y);

/* A string: plain where a YAML 1.1 reader would still read a string,
 * quoted where it would read a number, a boolean or null ("0x10", "yes",
 * ""), so that generic parsers get the same type back. */
void ofd_yemit_str(struct ofd_yemit *y, const char *s);
/* A plain scalar written as is: integers, and enum words we define. */
void ofd_yemit_plain(struct ofd_yemit *y, const char *s);
void ofd_yemit_uint(struct ofd_yemit *y, unsigned long long v);

/* key: value pairs in the current map. */
void ofd_yemit_kv_str(struct ofd_yemit *y, const char *key, const char *v);
void ofd_yemit_kv_plain(struct ofd_yemit *y, const char *key, const char *v);
void ofd_yemit_kv_uint(struct ofd_yemit *y, const char *key,
		       unsigned long long v);

#endif
