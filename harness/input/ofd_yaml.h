/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_yaml.h - YAML documents as small node trees (libyaml underneath),
 * with the line and column of every node, so that every error in a spec,
 * profile, case or allow-list can say "file:line:col: what is wrong".
 */
#ifndef OFD_YAML_H
#define OFD_YAML_H

#include <stddef.h>
#include <stdint.h>

enum ofd_ytype { OFD_Y_SCALAR = 0, OFD_Y_SEQ, OFD_Y_MAP };

struct ofd_ynode {
	int type;          /* enum ofd_ytype */
	int line, col;     /* 1-based, where the node starts */
	char *scalar;      /* OFD_Y_SCALAR: the text ("" for an empty value) */
	size_t n;          /* SEQ: items; MAP: pairs */
	struct ofd_ynode **items; /* SEQ items; MAP values */
	char **keys;       /* MAP keys (scalar keys only) */
	int *key_line, *key_col;  /* MAP: where each key is */
	const char *file;  /* the file name given to the loader (shared) */
};

/* Load the first document of a file/string. An empty document is an error
 * ("file: empty document"). Syntax errors name line:column. A scalar (key
 * or value) holding a NUL character ("a\0b") is an error: nodes are C
 * strings. The file must be a regular file of at most OFD_MAX_YAML bytes
 * (ofd_safe_open.h). Returns 0 or -EINVAL/-ENOENT/-EISDIR/-EFBIG with a
 * one-line message in err; every message is one line whatever the input
 * holds (control characters escaped, echoed values cut). */
int ofd_yaml_load_file(const char *path, struct ofd_ynode **root, char *err,
		       size_t err_len);
int ofd_yaml_load_string(const char *name, const char *text, size_t len,
			 struct ofd_ynode **root, char *err, size_t err_len);
void ofd_yaml_free(struct ofd_ynode *root);

/* Map lookup; NULL if absent or n is not a map. */
const struct ofd_ynode *ofd_ymap_get(const struct ofd_ynode *map,
				     const char *key);

/* Format "file:line:col: <msg>" into err and return -EINVAL. */
int ofd_yerr(char *err, size_t err_len, const struct ofd_ynode *n,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Typed scalar access: -EINVAL with a located message on a type error
 * ("specs/x.yaml:4:12: csum_offset: expected an integer 0..65535, got
 * 'abc'"). `what` names the key for the message. Integers accept decimal
 * and 0x hex. Booleans: true/false/yes/no/on/off. */
int ofd_y_u32(const struct ofd_ynode *n, const char *what, uint32_t max,
	      uint32_t *v, char *err, size_t err_len);
int ofd_y_bool(const struct ofd_ynode *n, const char *what, int *v,
	       char *err, size_t err_len);
int ofd_y_str(const struct ofd_ynode *n, const char *what, const char **v,
	      char *err, size_t err_len);
/* A map whose keys must all be in allowed[] (NULL-terminated); the first
 * unknown key is an error: "file:l:c: unknown key 'x' in <what> (known: a,
 * b, c)". */
int ofd_y_check_keys(const struct ofd_ynode *map, const char *what,
		     const char *const *allowed, char *err, size_t err_len);

#endif
