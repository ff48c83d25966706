/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * spec_internal.h - what spec.c (the document) and spec_paths.c (the
 * paths it names) share.
 */
#ifndef OFD_SPEC_INTERNAL_H
#define OFD_SPEC_INTERNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

struct ofd_ynode;
struct ofd_spec;

/* Where relative paths in the spec are looked for. */
struct spec_ctx {
	const char *dir;    /* the spec file's directory, "." for none */
	const char *cwd;    /* the fallback: the directory the run started in */
	char hint[PATH_MAX + 32]; /* where a missing path was looked for */
	char *err;
	size_t err_len;
};

/*
 * Resolve a path named in the spec: absolute as is, relative to the spec's
 * directory, else to c->cwd. *out is NULL (and 0 returned) when none
 * exists; -ENOMEM.
 */
int ofdint_spec_resolve_path(const char *p, char **out, struct spec_ctx *c);
/* dir/p with p's leading "../" taken off dir where that names the same
 * file ("specs" + "../corpus/x.pcap" -> "corpus/x.pcap"); NULL: -ENOMEM. */
char *ofdint_spec_path_join(const char *dir, const char *p);
/* " (relative to specs/)" for a relative path that was not found. */
const char *ofdint_spec_not_found_hint(struct spec_ctx *c, const char *p);

/* Node readers that name the key and line:col in c->err (spec.c). */
int ofdint_spec_str(const struct ofd_ynode *n, const char *what, char **out,
		    struct spec_ctx *c);
int ofdint_spec_seq(const struct ofd_ynode *n, const char *what, bool nonempty,
		    struct spec_ctx *c);
int ofdint_missing_key(const struct ofd_ynode *map, const char *what, const char *key,
		       struct spec_ctx *c);
/* The spec's `targets:` (spec_targets.c). */
int ofdint_spec_load_targets(struct ofd_spec *s, const struct ofd_ynode *n,
			     struct spec_ctx *c);

#endif
