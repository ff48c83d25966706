// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * yaml.c - YAML documents as small node trees with line:column.
 *
 * Built on libyaml's event parser (yaml-0.1) rather than its document API:
 * the events carry the marks we need, and building our own tree lets every
 * node and every map key keep its position so that spec, profile, case and
 * allow-list errors can all say "file:line:col: what is wrong".
 *
 * Deliberate restrictions, because our files are written by hand and read
 * by people: aliases are rejected, map keys must be scalars, duplicate keys
 * are errors (libyaml silently accepts them), and only the first document
 * of a stream is loaded. Tags and anchors are ignored; every scalar is kept
 * as text and typed by the getters below.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <yaml.h>

#include "ofd_safe_open.h"
#include "ofd_yaml.h"

/* Deep enough for any file we write; bounds recursion in ofd_yaml_free()
 * and keeps hostile input from eating the stack. */
#define YAML_MAX_DEPTH 128

/* ------------------------------------------------------------------ */
/* Error formatting                                                    */
/* ------------------------------------------------------------------ */

/* Longest message before escaping; err buffers are a few hundred bytes. */
#define YERR_MAX 1024

/*
 * Every message goes through ofd_one_line(): a value a caller echoes raw
 * (a key with a newline, an escape sequence) must not split the one-line
 * error or reach the terminal. Values should still be quoted and capped
 * where they are echoed (ofd_quote()); this is the net under that.
 */
static int __attribute__((format(printf, 6, 0)))
yerr_vat(char *err, size_t err_len, const char *file, int line, int col,
	 const char *fmt, va_list ap)
{
	char msg[YERR_MAX];
	int n;

	if (!err || !err_len)
		return -EINVAL;
	if (file)
		n = snprintf(msg, sizeof(msg), "%s:%d:%d: ", file, line, col);
	else
		n = 0;
	if (n < 0)
		n = 0;
	if ((size_t)n < sizeof(msg))
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	ofd_one_line(msg, err, err_len);
	return -EINVAL;
}

static int __attribute__((format(printf, 6, 7)))
yerr_at(char *err, size_t err_len, const char *file, int line, int col,
	const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	yerr_vat(err, err_len, file, line, col, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int ofd_yerr(char *err, size_t err_len, const struct ofd_ynode *n,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* A NULL node (a missing value) still gets its message, unlocated. */
	yerr_vat(err, err_len, n ? n->file : NULL, n ? n->line : 0,
		 n ? n->col : 0, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* Plain error without a location: "name: msg". */
static int __attribute__((format(printf, 4, 5)))
yerr_plain(char *err, size_t err_len, int ret, const char *fmt, ...)
{
	char msg[YERR_MAX];
	va_list ap;

	if (err && err_len) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		ofd_one_line(msg, err, err_len);
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Tree building                                                       */
/* ------------------------------------------------------------------ */

/* The root node and the file name share one allocation, so every node can
 * point at the name and freeing the root frees it. */
struct yroot {
	struct ofd_ynode node;
	char name[];
};

struct yframe {
	struct ofd_ynode *node; /* a SEQ or MAP under construction */
	size_t cap;             /* allocated items (and keys) */
	char *key;              /* MAP: key waiting for its value */
	int key_line, key_col;
};

struct ybuild {
	const char *name;       /* file name as given */
	const char *text;       /* for locating reader errors */
	size_t len;
	struct ofd_ynode *root;
	bool root_empty;        /* the root is a plain empty scalar */
	const char *file;       /* the shared copy of name */
	struct yframe stack[YAML_MAX_DEPTH];
	int depth;
	char *err;
	size_t err_len;
};

static void ynode_free(struct ofd_ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		ynode_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_line);
	free(n->key_col);
	free(n->scalar);
	free(n);
}

void ofd_yaml_free(struct ofd_ynode *root)
{
	ynode_free(root);
}

const struct ofd_ynode *ofd_ymap_get(const struct ofd_ynode *map,
				     const char *key)
{
	size_t i;

	if (!map || map->type != OFD_Y_MAP || !key)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

/* libyaml marks are 0-based; ours are 1-based like every editor's. */
static int mark_line(const yaml_mark_t *m)
{
	return m->line >= (size_t)INT32_MAX ? INT32_MAX : (int)m->line + 1;
}

static int mark_col(const yaml_mark_t *m)
{
	return m->column >= (size_t)INT32_MAX ? INT32_MAX : (int)m->column + 1;
}

static char *dup_bytes(const unsigned char *s, size_t len)
{
	char *p = malloc(len + 1);

	if (!p)
		return NULL;
	if (len)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

static struct ofd_ynode *ynode_new(struct ybuild *b, int type,
				   const yaml_mark_t *m)
{
	struct ofd_ynode *n;

	if (!b->root) {
		size_t nlen = strlen(b->name) + 1;
		struct yroot *r = calloc(1, sizeof(*r) + nlen);

		if (!r)
			return NULL;
		memcpy(r->name, b->name, nlen);
		b->file = r->name;
		n = &r->node;
		b->root = n;
	} else {
		n = calloc(1, sizeof(*n));
		if (!n)
			return NULL;
	}
	n->type = type;
	n->line = mark_line(m);
	n->col = mark_col(m);
	n->file = b->file;
	return n;
}

static int frame_grow(struct yframe *f)
{
	struct ofd_ynode *n = f->node;
	size_t cap = f->cap ? f->cap * 2 : 4;
	void *p;

	if (n->n < f->cap)
		return 0;
	p = realloc(n->items, cap * sizeof(*n->items));
	if (!p)
		return -ENOMEM;
	n->items = p;
	if (n->type == OFD_Y_MAP) {
		p = realloc(n->keys, cap * sizeof(*n->keys));
		if (!p)
			return -ENOMEM;
		n->keys = p;
		p = realloc(n->key_line, cap * sizeof(*n->key_line));
		if (!p)
			return -ENOMEM;
		n->key_line = p;
		p = realloc(n->key_col, cap * sizeof(*n->key_col));
		if (!p)
			return -ENOMEM;
		n->key_col = p;
	}
	f->cap = cap;
	return 0;
}

/*
 * A new node is linked into its parent as soon as it starts, so the tree
 * under b->root always owns every node and one ynode_free() cleans up after
 * an error at any point. The only thing held outside the tree is a map key
 * waiting for its value (frame->key).
 */
static int attach(struct ybuild *b, struct ofd_ynode *n)
{
	struct yframe *f;
	struct ofd_ynode *p;
	int err;

	if (!b->depth)
		return 0; /* the root: ynode_new() made it b->root */
	f = &b->stack[b->depth - 1];
	p = f->node;
	err = frame_grow(f);
	if (err) {
		ynode_free(n);
		return err;
	}
	p->items[p->n] = n;
	if (p->type == OFD_Y_MAP) {
		p->keys[p->n] = f->key;
		p->key_line[p->n] = f->key_line;
		p->key_col[p->n] = f->key_col;
		f->key = NULL;
	}
	p->n++;
	return 0;
}

/* The shared name once the root exists, the caller's before. */
static const char *fname(const struct ybuild *b)
{
	return b->file ? b->file : b->name;
}

/* True when the innermost open node is a map waiting for a key. */
static bool want_key(const struct ybuild *b)
{
	const struct yframe *f;

	if (!b->depth)
		return false;
	f = &b->stack[b->depth - 1];
	return f->node->type == OFD_Y_MAP && !f->key;
}

/*
 * Nodes hold C strings, but libyaml gives a scalar's length: a "\0" escape
 * ("base.pcap\0/etc/shadow") would silently cut the text at the NUL, and
 * a path would name another file than the one written. Refused, located.
 */
static int check_nul(struct ybuild *b, const yaml_event_t *e, bool key)
{
	char q[OFD_QUOTE_LEN];

	if (!memchr(e->data.scalar.value, '\0', e->data.scalar.length))
		return 0;
	return yerr_at(b->err, b->err_len, fname(b), mark_line(&e->start_mark),
		       mark_col(&e->start_mark),
		       "%s %s contains a NUL character", key ? "key" : "value",
		       ofd_quote_mem(e->data.scalar.value, e->data.scalar.length,
				     q, sizeof(q)));
}

static int on_key(struct ybuild *b, const yaml_event_t *e)
{
	struct yframe *f = &b->stack[b->depth - 1];
	struct ofd_ynode *m = f->node;
	int line = mark_line(&e->start_mark), col = mark_col(&e->start_mark);
	char q[OFD_QUOTE_LEN];
	size_t i;
	char *key;
	int ret;

	ret = check_nul(b, e, true);
	if (ret)
		return ret;
	key = dup_bytes(e->data.scalar.value, e->data.scalar.length);
	if (!key)
		return -ENOMEM;
	for (i = 0; i < m->n; i++) {
		if (!strcmp(m->keys[i], key)) {
			yerr_at(b->err, b->err_len, b->file, line, col,
				"duplicate key %s (first at %d:%d)",
				ofd_quote(key, q, sizeof(q)),
				m->key_line[i], m->key_col[i]);
			free(key);
			return -EINVAL;
		}
	}
	f->key = key;
	f->key_line = line;
	f->key_col = col;
	return 0;
}

static int on_scalar(struct ybuild *b, const yaml_event_t *e)
{
	struct ofd_ynode *n;
	char *s;
	int ret;

	if (want_key(b))
		return on_key(b, e);
	ret = check_nul(b, e, false);
	if (ret)
		return ret;
	s = dup_bytes(e->data.scalar.value, e->data.scalar.length);
	if (!s)
		return -ENOMEM;
	n = ynode_new(b, OFD_Y_SCALAR, &e->start_mark);
	if (!n) {
		free(s);
		return -ENOMEM;
	}
	n->scalar = s;
	/* libyaml reports "" and "---" as a plain empty root: the implicit
	 * null. A quoted '' is a value. */
	if (!b->depth && e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    !e->data.scalar.length)
		b->root_empty = true;
	return attach(b, n);
}

static int on_start(struct ybuild *b, const yaml_event_t *e, int type)
{
	struct ofd_ynode *n;
	int err;

	if (want_key(b))
		return yerr_at(b->err, b->err_len, fname(b),
			       mark_line(&e->start_mark),
			       mark_col(&e->start_mark),
			       "map keys must be scalars");
	if (b->depth >= YAML_MAX_DEPTH)
		return yerr_at(b->err, b->err_len, fname(b),
			       mark_line(&e->start_mark),
			       mark_col(&e->start_mark),
			       "nesting deeper than %d levels",
			       YAML_MAX_DEPTH);
	n = ynode_new(b, type, &e->start_mark);
	if (!n)
		return -ENOMEM;
	err = attach(b, n);
	if (err)
		return err;
	b->stack[b->depth].node = n;
	b->stack[b->depth].cap = 0;
	b->stack[b->depth].key = NULL;
	b->depth++;
	return 0;
}

/* Locate a byte offset for libyaml reader errors, which carry no mark. */
static void offset_pos(const struct ybuild *b, size_t off, int *line, int *col)
{
	size_t i, bol = 0;
	int l = 1;

	if (off > b->len)
		off = b->len;
	for (i = 0; i < off; i++) {
		if (b->text[i] == '\n') {
			l++;
			bol = i + 1;
		}
	}
	*line = l;
	*col = (int)(off - bol) + 1;
}

static int parser_error(struct ybuild *b, const yaml_parser_t *p)
{
	int line, col;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return yerr_plain(b->err, b->err_len, -ENOMEM,
				  "%s: out of memory", b->name);
	case YAML_READER_ERROR:
		offset_pos(b, p->problem_offset, &line, &col);
		return yerr_at(b->err, b->err_len, b->name, line, col, "%s",
			       p->problem ? p->problem : "unreadable input");
	default:
		break;
	}
	line = mark_line(&p->problem_mark);
	col = mark_col(&p->problem_mark);
	if (!p->context)
		return yerr_at(b->err, b->err_len, b->name, line, col, "%s",
			       p->problem ? p->problem : "syntax error");
	/* The context mark says where the construct began ("[" of an
	 * unclosed flow sequence): worth naming when it is elsewhere. */
	if (p->context_mark.line != p->problem_mark.line ||
	    p->context_mark.column != p->problem_mark.column)
		return yerr_at(b->err, b->err_len, b->name, line, col,
			       "%s %s started at %d:%d",
			       p->problem ? p->problem : "syntax error",
			       p->context, mark_line(&p->context_mark),
			       mark_col(&p->context_mark));
	return yerr_at(b->err, b->err_len, b->name, line, col, "%s %s",
		       p->problem ? p->problem : "syntax error", p->context);
}

/* Handle one event; *done is set when the first document has ended. */
static int on_event(struct ybuild *b, const yaml_event_t *e, bool *done)
{
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		return on_scalar(b, e);
	case YAML_SEQUENCE_START_EVENT:
		return on_start(b, e, OFD_Y_SEQ);
	case YAML_MAPPING_START_EVENT:
		return on_start(b, e, OFD_Y_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth)
			b->depth--;
		return 0;
	case YAML_ALIAS_EVENT:
		return yerr_at(b->err, b->err_len, fname(b),
			       mark_line(&e->start_mark),
			       mark_col(&e->start_mark),
			       "aliases are not supported");
	case YAML_DOCUMENT_END_EVENT:
	case YAML_STREAM_END_EVENT:
		*done = true;
		return 0;
	default:
		return 0;
	}
}

int ofd_yaml_load_string(const char *name, const char *text, size_t len,
			 struct ofd_ynode **root, char *err, size_t err_len)
{
	struct ybuild b = {
		.name = name ? name : "<string>",
		.text = text,
		.len = len,
		.err = err,
		.err_len = err_len,
	};
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false;
	int ret = 0;

	*root = NULL;
	if (err && err_len)
		err[0] = '\0';
	if (!text && len)
		return yerr_plain(err, err_len, -EINVAL, "%s: no input",
				  b.name);
	if (!text)
		b.text = text = ""; /* libyaml asserts on a NULL input */
	if (!yaml_parser_initialize(&parser))
		return yerr_plain(err, err_len, -ENOMEM, "%s: out of memory",
				  b.name);
	yaml_parser_set_input_string(&parser, (const unsigned char *)text,
				     len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &ev)) {
			ret = parser_error(&b, &parser);
			break;
		}
		ret = on_event(&b, &ev, &done);
		yaml_event_delete(&ev);
		if (ret)
			break;
	}
	yaml_parser_delete(&parser);

	if (ret == -ENOMEM && err && err_len && !err[0])
		yerr_plain(err, err_len, -ENOMEM, "%s: out of memory", b.name);
	if (ret) {
		/* A map key still waiting for its value is not in the tree. */
		while (b.depth > 0)
			free(b.stack[--b.depth].key);
		ynode_free(b.root);
		return ret;
	}
	/* "", comments only and a bare "---" all parse, to no document. */
	if (!b.root || b.root_empty) {
		ynode_free(b.root);
		return yerr_plain(err, err_len, -EINVAL, "%s: empty document",
				  b.name);
	}
	*root = b.root;
	return 0;
}

int ofd_yaml_load_file(const char *path, struct ofd_ynode **root, char *err,
		       size_t err_len)
{
	char *buf;
	size_t len;
	int ret;

	*root = NULL;
	/* A regular file of bounded size: a FIFO or /dev/zero named as a
	 * spec or profile is refused, not waited on or read forever. */
	ret = ofd_read_regular(path, OFD_MAX_YAML, &buf, &len, err, err_len);
	if (ret)
		return ret;
	ret = ofd_yaml_load_string(path, buf, len, root, err, err_len);
	free(buf);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Typed access                                                        */
/* ------------------------------------------------------------------ */

static const char *ytype_name(const struct ofd_ynode *n)
{
	switch (n->type) {
	case OFD_Y_SEQ:
		return "a sequence";
	case OFD_Y_MAP:
		return "a map";
	default:
		return "a scalar";
	}
}

/* "got 'abc'" for scalars (quoted, escaped and cut by ofd_quote(), so the
 * message stays one short line), "got a map" otherwise. */
static const char *ygot(const struct ofd_ynode *n, char *buf, size_t len)
{
	if (n->type != OFD_Y_SCALAR)
		return ytype_name(n);
	return ofd_quote(n->scalar, buf, len);
}

static int ymissing(char *err, size_t err_len, const char *what)
{
	return yerr_plain(err, err_len, -EINVAL, "%s: missing value", what);
}

int ofd_y_u32(const struct ofd_ynode *n, const char *what, uint32_t max,
	      uint32_t *v, char *err, size_t err_len)
{
	const char *s;
	uint64_t x = 0;
	unsigned int base = 10;
	char got[OFD_QUOTE_LEN];

	if (!n)
		return ymissing(err, err_len, what);
	if (n->type != OFD_Y_SCALAR)
		goto bad;
	s = n->scalar;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	/* No sign, no spaces, no suffix: strtoul() would accept all three
	 * (and wrap "-1" to ULONG_MAX), so digits are checked by hand. */
	if (!*s)
		goto bad;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			goto bad;
		x = x * base + d;
		if (x > max)
			goto bad;
	}
	*v = (uint32_t)x;
	return 0;
bad:
	return ofd_yerr(err, err_len, n,
			"%s: expected an integer 0..%u, got %s", what, max,
			ygot(n, got, sizeof(got)));
}

int ofd_y_bool(const struct ofd_ynode *n, const char *what, int *v,
	       char *err, size_t err_len)
{
	static const struct {
		const char *s;
		int v;
	} words[] = {
		{ "true", 1 }, { "false", 0 }, { "yes", 1 },
		{ "no", 0 },   { "on", 1 },    { "off", 0 },
	};
	char got[OFD_QUOTE_LEN];
	size_t i;

	if (!n)
		return ymissing(err, err_len, what);
	if (n->type == OFD_Y_SCALAR) {
		for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (!strcasecmp(n->scalar, words[i].s)) {
				*v = words[i].v;
				return 0;
			}
		}
	}
	return ofd_yerr(err, err_len, n,
			"%s: expected a boolean (true/false/yes/no/on/off), got %s",
			what, ygot(n, got, sizeof(got)));
}

int ofd_y_str(const struct ofd_ynode *n, const char *what, const char **v,
	      char *err, size_t err_len)
{
	if (!n)
		return ymissing(err, err_len, what);
	if (n->type != OFD_Y_SCALAR)
		return ofd_yerr(err, err_len, n, "%s: expected a string, got %s",
				what, ytype_name(n));
	*v = n->scalar;
	return 0;
}

int ofd_y_check_keys(const struct ofd_ynode *map, const char *what,
		     const char *const *allowed, char *err, size_t err_len)
{
	char known[512], q[OFD_QUOTE_LEN];
	size_t i, j, off;

	if (!map)
		return ymissing(err, err_len, what);
	if (map->type != OFD_Y_MAP)
		return ofd_yerr(err, err_len, map, "%s: expected a map, got %s",
				what, ytype_name(map));
	for (i = 0; i < map->n; i++) {
		for (j = 0; allowed && allowed[j]; j++)
			if (!strcmp(map->keys[i], allowed[j]))
				break;
		if (allowed && allowed[j])
			continue;
		known[0] = '\0';
		for (j = 0, off = 0; allowed && allowed[j]; j++) {
			int w = snprintf(known + off, sizeof(known) - off,
					 "%s%s", j ? ", " : "", allowed[j]);

			if (w < 0 || (size_t)w >= sizeof(known) - off)
				break;
			off += (size_t)w;
		}
		return yerr_at(err, err_len, map->file, map->key_line[i],
			       map->key_col[i],
			       "unknown key %s in %s (known: %s)",
			       ofd_quote(map->keys[i], q, sizeof(q)), what,
			       known);
	}
	return 0;
}
