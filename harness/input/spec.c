// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * spec.c - campaign specs (specs/<name>.yaml), format in ofd_spec.h.
 *
 * The loader is strict on purpose: a spec is the record of what a campaign
 * asked for, so an unknown key, a misspelt offload or a value of the wrong
 * type is an error with the file:line:col of the offending node, never a
 * silent default. Lists are YAML sequences only (block or flow [a, b]); a
 * lone scalar where a list belongs is a type error.
 *
 * What is checked here: the shape of the document, offload and request
 * names, integer ranges of overrides (the virtio_net_hdr field widths), and
 * that corpus paths exist. What is not: engine and profile names and mask
 * field names, which belong to the registry, the emulator and the diff; the
 * targets' line:col lets those modules report errors at the right place.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "ofd_spec.h"
#include "ofd_yaml.h"
#include "spec_internal.h"


static const char *const spec_keys[] = {
	"name",	   "description", "reference", "offloads", "requests",
	"corpus",  "profile_dir", "targets",   "mask",	   "overrides",
	"gso_sizes", "gro_flush_gap_us", "gro_train_gap_us", NULL,
};

static const char *const override_keys[] = {
	"file",	    "packet",	"kind",	    "csum_start", "csum_offset",
	"flags",    "gso_type", "gso_size", "hdr_len",	  NULL,
};

static const char *const req_names[] = {
	[OFD_REQ_VNET] = "vnet",
	[OFD_REQ_LEGACY] = "legacy",
};

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n && v; i++)
		free(v[i]);
	free(v);
}

void ofd_spec_free(struct ofd_spec *s)
{
	size_t i, k;

	if (!s)
		return;
	free(s->path);
	free(s->name);
	free(s->description);
	free(s->reference);
	free_strv(s->corpus, s->ncorpus);
	free(s->corpus_offloads);
	for (i = 0; i < s->ntargets; i++) {
		free(s->targets[i].engine);
		free(s->targets[i].profile);
		for (k = 0; k < s->targets[i].nparams; k++) {
			free((char *)s->targets[i].params[k].key);
			free((char *)s->targets[i].params[k].value);
		}
		free(s->targets[i].params);
	}
	free(s->targets);
	free_strv(s->mask, s->nmask);
	for (i = 0; i < s->noverrides; i++)
		free(s->overrides[i].file);
	free(s->overrides);
	free(s->profile_dir);
	free(s->dir);
	free(s->gso_sizes);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

int ofdint_spec_str(const struct ofd_ynode *n, const char *what, char **out,
		    struct spec_ctx *c)
{
	const char *v;
	int err;

	err = ofd_y_str(n, what, &v, c->err, c->err_len);
	if (err)
		return err;
	if (!v[0])
		return ofd_yerr(c->err, c->err_len, n,
				"%s: must not be empty", what);
	*out = strdup(v);
	return *out ? 0 : -ENOMEM;
}

/* A sequence, with at least one item when nonempty is set. */
int ofdint_spec_seq(const struct ofd_ynode *n, const char *what,
		    bool nonempty, struct spec_ctx *c)
{
	if (n->type != OFD_Y_SEQ)
		return ofd_yerr(c->err, c->err_len, n,
				"%s: expected a sequence, got %s", what,
				n->type == OFD_Y_MAP ? "a map" : "a scalar");
	if (nonempty && !n->n)
		return ofd_yerr(c->err, c->err_len, n,
				"%s: needs at least one item", what);
	return 0;
}

int ofdint_missing_key(const struct ofd_ynode *map, const char *what,
		       const char *key, struct spec_ctx *c)
{
	return ofd_yerr(c->err, c->err_len, map,
			"%s: missing required key '%s'", what, key);
}

/* ------------------------------------------------------------------ */
/* Keys                                                                */
/* ------------------------------------------------------------------ */

/* A sequence of offload names (ours or ethtool's) as OFD_CAP bits. */
static int offload_bits(const struct ofd_ynode *n, const char *what,
			unsigned int *bits, struct spec_ctx *c)
{
	char known[128];
	size_t i, off;
	int err;

	err = ofdint_spec_seq(n, what, true, c);
	if (err)
		return err;
	*bits = 0;
	for (i = 0; i < n->n; i++) {
		const char *name;
		int o, k;

		err = ofd_y_str(n->items[i], what, &name, c->err,
				c->err_len);
		if (err)
			return err;
		o = ofd_offload_from_name(name);
		if (o >= 0 && o < OFD_OFFLOAD__MAX) {
			*bits |= OFD_CAP(o);
			continue;
		}
		known[0] = '\0';
		for (k = 0, off = 0; k < OFD_OFFLOAD__MAX; k++) {
			const char *kn = ofd_offload_name((enum ofd_offload)k);
			int w = snprintf(known + off, sizeof(known) - off,
					 "%s%s", k ? ", " : "", kn ? kn : "?");

			if (w < 0 || (size_t)w >= sizeof(known) - off)
				break;
			off += (size_t)w;
		}
		return ofd_yerr(c->err, c->err_len, n->items[i],
				"%s: unknown offload '%s' (known: %s)",
				what, name, known);
	}
	return 0;
}

static int load_offloads(struct ofd_spec *s, const struct ofd_ynode *n,
			 struct spec_ctx *c)
{
	return offload_bits(n, "offloads", &s->offloads, c);
}

static int req_kind(const struct ofd_ynode *n, const char *what, int *kind,
		    struct spec_ctx *c)
{
	const char *name;
	size_t k;
	int err;

	err = ofd_y_str(n, what, &name, c->err, c->err_len);
	if (err)
		return err;
	for (k = 0; k < OFD_ARRAY_SIZE(req_names); k++) {
		if (!strcmp(name, req_names[k])) {
			*kind = (int)k;
			return 0;
		}
	}
	return ofd_yerr(c->err, c->err_len, n,
			"%s: unknown request kind '%s' (known: vnet, legacy)",
			what, name);
}

static int load_requests(struct ofd_spec *s, const struct ofd_ynode *n,
			 struct spec_ctx *c)
{
	size_t i;
	int err, kind;

	err = ofdint_spec_seq(n, "requests", true, c);
	if (err)
		return err;
	s->requests = 0;
	for (i = 0; i < n->n; i++) {
		err = req_kind(n->items[i], "requests", &kind, c);
		if (err)
			return err;
		s->requests |= 1u << kind;
	}
	return 0;
}

/*
 * corpus: items are paths, or {file: path, offloads: [tso]} for a capture
 * that only some offloads derive cases from (a super-packet corpus means
 * nothing to a checksum engine that the MTU refuses it).
 */
static const char *const corpus_keys[] = { "file", "offloads", NULL };

static int load_corpus(struct ofd_spec *s, const struct ofd_ynode *n,
		       struct spec_ctx *c)
{
	size_t i;
	int err;

	err = ofdint_spec_seq(n, "corpus", true, c);
	if (err)
		return err;
	s->corpus = calloc(n->n, sizeof(*s->corpus));
	s->corpus_offloads = calloc(n->n, sizeof(*s->corpus_offloads));
	if (!s->corpus || !s->corpus_offloads)
		return -ENOMEM;
	for (i = 0; i < n->n; i++) {
		const struct ofd_ynode *item = n->items[i], *f = item;
		const char *p;

		if (item->type == OFD_Y_MAP) {
			err = ofd_y_check_keys(item, "corpus entry", corpus_keys,
					       c->err, c->err_len);
			if (err)
				return err;
			f = ofd_ymap_get(item, "file");
			if (!f)
				return ofdint_missing_key(item, "corpus entry", "file", c);
			if (ofd_ymap_get(item, "offloads")) {
				err = offload_bits(ofd_ymap_get(item, "offloads"),
						   "corpus offloads", &s->corpus_offloads[i], c);
				if (err)
					return err;
			}
		}
		err = ofd_y_str(f, "corpus", &p, c->err, c->err_len);
		if (err)
			return err;
		if (!p[0])
			return ofd_yerr(c->err, c->err_len, f,
					"corpus: empty path");
		err = ofdint_spec_resolve_path(p, &s->corpus[i], c);
		if (err)
			return err;
		if (!s->corpus[i]) {
			ofd_yerr(c->err, c->err_len, f,
				 "corpus path '%s' not found%s", p, ofdint_spec_not_found_hint(c, p));
			return -ENOENT;
		}
		s->ncorpus++;
	}
	return 0;
}

unsigned int ofd_spec_file_offloads(const struct ofd_spec *s, const char *path)
{
	size_t i;

	for (i = 0; s && i < s->ncorpus; i++)
		if (!strcmp(s->corpus[i], path))
			return s->corpus_offloads[i] ? s->corpus_offloads[i] : ~0u;
	return ~0u;
}

bool ofd_mask_entry_known(const char *entry)
{
	const char *colon = strchr(entry, ':');
	char off[32];

	if (colon) {
		if ((size_t)(colon - entry) >= sizeof(off))
			return false;
		memcpy(off, entry, (size_t)(colon - entry));
		off[colon - entry] = '\0';
		if (ofd_offload_from_name(off) < 0)
			return false;
		entry = colon + 1;
	}
	return ofd_parse_field_known(entry);
}

static int load_mask(struct ofd_spec *s, const struct ofd_ynode *n,
		     struct spec_ctx *c)
{
	size_t i;
	int err;

	err = ofdint_spec_seq(n, "mask", false, c);
	if (err)
		return err;
	if (!n->n)
		return 0;
	s->mask = calloc(n->n, sizeof(*s->mask));
	if (!s->mask)
		return -ENOMEM;
	for (i = 0; i < n->n; i++) {
		err = ofdint_spec_str(n->items[i], "mask", &s->mask[i], c);
		if (err)
			return err;
		s->nmask++;
		/* A misspelt field would mask nothing, silently. */
		if (!ofd_mask_entry_known(s->mask[i]))
			return ofd_yerr(c->err, c->err_len, n->items[i],
					"mask: unknown field '%s' (e.g. ipv4.id, tcp.flags.psh, srh.segment[0], payload, or one offload's: tso:ipv4.id)",
					s->mask[i]);
	}
	return 0;
}

/* The request fields an override may set, with their virtio_net_hdr
 * widths (include/uapi/linux/virtio_net.h: u8 flags and gso_type, u16 the
 * rest). */
static const struct {
	const char *key;
	uint32_t bit;
	uint32_t max;
} ovr_fields[] = {
	{ "csum_start", OFD_OVR_CSUM_START, UINT16_MAX },
	{ "csum_offset", OFD_OVR_CSUM_OFFSET, UINT16_MAX },
	{ "flags", OFD_OVR_FLAGS, UINT8_MAX },
	{ "gso_type", OFD_OVR_GSO_TYPE, UINT8_MAX },
	{ "gso_size", OFD_OVR_GSO_SIZE, UINT16_MAX },
	{ "hdr_len", OFD_OVR_HDR_LEN, UINT16_MAX },
};

static void ovr_store(struct ofd_vnet_hdr *h, uint32_t bit, uint32_t v)
{
	switch (bit) {
	case OFD_OVR_CSUM_START:
		h->csum_start = (uint16_t)v;
		break;
	case OFD_OVR_CSUM_OFFSET:
		h->csum_offset = (uint16_t)v;
		break;
	case OFD_OVR_FLAGS:
		h->flags = (uint8_t)v;
		break;
	case OFD_OVR_GSO_TYPE:
		h->gso_type = (uint8_t)v;
		break;
	case OFD_OVR_GSO_SIZE:
		h->gso_size = (uint16_t)v;
		break;
	case OFD_OVR_HDR_LEN:
		h->hdr_len = (uint16_t)v;
		break;
	}
}

static int load_override(struct ofd_spec_override *o,
			 const struct ofd_ynode *m, struct spec_ctx *c)
{
	const struct ofd_ynode *v;
	size_t i;
	int err;

	err = ofd_y_check_keys(m, "override", override_keys, c->err,
			       c->err_len);
	if (err)
		return err;
	o->kind = -1;
	o->line = m->line;
	o->col = m->col;

	v = ofd_ymap_get(m, "packet");
	if (!v)
		return ofdint_missing_key(m, "override", "packet", c);
	err = ofd_y_u32(v, "packet", UINT32_MAX, &o->packet, c->err,
			c->err_len);
	if (err)
		return err;

	v = ofd_ymap_get(m, "file");
	if (v) {
		const char *p;

		err = ofd_y_str(v, "file", &p, c->err, c->err_len);
		if (err)
			return err;
		/* Resolved like corpus paths so the runner can compare
		 * it with them; a file that does not exist could never
		 * match, which is a mistake worth reporting. */
		err = ofdint_spec_resolve_path(p, &o->file, c);
		if (err)
			return err;
		if (!o->file) {
			ofd_yerr(c->err, c->err_len, v,
				 "override file '%s' not found%s", p,
				 ofdint_spec_not_found_hint(c, p));
			return -ENOENT;
		}
	}

	v = ofd_ymap_get(m, "kind");
	if (v) {
		err = req_kind(v, "kind", &o->kind, c);
		if (err)
			return err;
	}

	for (i = 0; i < OFD_ARRAY_SIZE(ovr_fields); i++) {
		uint32_t x;

		v = ofd_ymap_get(m, ovr_fields[i].key);
		if (!v)
			continue;
		err = ofd_y_u32(v, ovr_fields[i].key, ovr_fields[i].max, &x,
				c->err, c->err_len);
		if (err)
			return err;
		ovr_store(&o->vnet, ovr_fields[i].bit, x);
		o->set |= ovr_fields[i].bit;
	}
	return 0;
}

static int load_overrides(struct ofd_spec *s, const struct ofd_ynode *n,
			  struct spec_ctx *c)
{
	size_t i;
	int err;

	err = ofdint_spec_seq(n, "overrides", false, c);
	if (err)
		return err;
	if (!n->n)
		return 0;
	s->overrides = calloc(n->n, sizeof(*s->overrides));
	if (!s->overrides)
		return -ENOMEM;
	for (i = 0; i < n->n; i++) {
		/* Counted first so ofd_spec_free() sees a file set by a
		 * failing override. */
		s->noverrides++;
		err = load_override(&s->overrides[i], n->items[i], c);
		if (err)
			return err;
	}
	return 0;
}

/* gso_sizes: [1, 1448, payload, payload+1, 65534]: integers of the
 * virtio_net_hdr field's width, or the words for the frame's payload. */
static int load_gso_sizes(struct ofd_spec *s, const struct ofd_ynode *n,
			  struct spec_ctx *c)
{
	size_t i;
	int err;

	err = ofdint_spec_seq(n, "gso_sizes", true, c);
	if (err)
		return err;
	if (n->n > OFD_SPEC_MAX_GSO_SIZES)
		return ofd_yerr(c->err, c->err_len, n,
				"gso_sizes: at most %d sizes", OFD_SPEC_MAX_GSO_SIZES);
	s->gso_sizes = calloc(n->n, sizeof(*s->gso_sizes));
	if (!s->gso_sizes)
		return -ENOMEM;
	for (i = 0; i < n->n; i++) {
		const struct ofd_ynode *v = n->items[i];

		if (v->type == OFD_Y_SCALAR &&
		    !strcmp(v->scalar, "payload")) {
			s->gso_sizes[i] = OFD_SPEC_GSO_PAYLOAD;
		} else if (v->type == OFD_Y_SCALAR &&
			   !strcmp(v->scalar, "payload+1")) {
			s->gso_sizes[i] = OFD_SPEC_GSO_PAYLOAD_PLUS1;
		} else {
			err = ofd_y_u32(v, "gso_sizes", UINT16_MAX, &s->gso_sizes[i],
					c->err, c->err_len);
			if (err) {
				ofd_yerr(c->err, c->err_len, v,
					 "gso_sizes: expected 0..65535, payload or payload+1");
				return err;
			}
		}
		s->ngso_sizes++;
	}
	return 0;
}

static int load_profile_dir(struct ofd_spec *s, const struct ofd_ynode *n,
			    struct spec_ctx *c)
{
	const char *p;
	int err;

	if (!n) {
		s->profile_dir = ofdint_spec_path_join(c->dir, "profiles");
		return s->profile_dir ? 0 : -ENOMEM;
	}
	err = ofd_y_str(n, "profile_dir", &p, c->err, c->err_len);
	if (err)
		return err;
	if (!p[0])
		return ofd_yerr(c->err, c->err_len, n,
				"profile_dir: must not be empty");
	err = ofdint_spec_resolve_path(p, &s->profile_dir, c);
	if (err)
		return err;
	/* A campaign without emulator targets never opens the directory,
	 * so a missing one is left for the emulator to report. */
	if (!s->profile_dir)
		s->profile_dir = strdup(p);
	return s->profile_dir ? 0 : -ENOMEM;
}

/*
 * The directory part of a path, for which "." and ".." are names too: "a/b"
 * gives "a", "b" gives ".", "." gives "..", "../x" gives "..", ".." gives
 * "../..".
 */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *last = slash ? slash + 1 : path;
	char *out;

	if (!strcmp(last, ".") || !strcmp(last, "..")) {
		if (!strcmp(path, "."))
			return strdup("..");
		return asprintf(&out, "%s/..", path) < 0 ? NULL : out;
	}
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */
/* ------------------------------------------------------------------ */

static int load_spec(struct ofd_spec *s, const struct ofd_ynode *root,
		     struct spec_ctx *c)
{
	const struct ofd_ynode *n;
	int err;

	if (root->type != OFD_Y_MAP)
		return ofd_yerr(c->err, c->err_len, root,
				"spec: expected a map, got %s",
				root->type == OFD_Y_SEQ ? "a sequence" :
							  "a scalar");
	err = ofd_y_check_keys(root, "spec", spec_keys, c->err, c->err_len);
	if (err)
		return err;

	n = ofd_ymap_get(root, "name");
	if (!n)
		return ofdint_missing_key(root, "spec", "name", c);
	err = ofdint_spec_str(n, "name", &s->name, c);
	if (err)
		return err;

	n = ofd_ymap_get(root, "description");
	if (n) {
		const char *d;

		/* May be empty: it is prose. */
		err = ofd_y_str(n, "description", &d, c->err, c->err_len);
		if (err)
			return err;
		s->description = strdup(d);
		if (!s->description)
			return -ENOMEM;
	}

	n = ofd_ymap_get(root, "reference");
	if (n)
		err = ofdint_spec_str(n, "reference", &s->reference, c);
	else
		err = (s->reference = strdup("model")) ? 0 : -ENOMEM;
	if (err)
		return err;

	s->offloads = OFD_CAP(OFD_OFFLOAD_TX_CSUM);
	n = ofd_ymap_get(root, "offloads");
	if (n) {
		err = load_offloads(s, n, c);
		if (err)
			return err;
	}

	s->requests = 1u << OFD_REQ_VNET | 1u << OFD_REQ_LEGACY;
	n = ofd_ymap_get(root, "requests");
	if (n) {
		err = load_requests(s, n, c);
		if (err)
			return err;
	}

	n = ofd_ymap_get(root, "corpus");
	if (!n)
		return ofdint_missing_key(root, "spec", "corpus", c);
	err = load_corpus(s, n, c);
	if (err)
		return err;

	err = load_profile_dir(s, ofd_ymap_get(root, "profile_dir"), c);
	if (err)
		return err;

	n = ofd_ymap_get(root, "targets");
	if (!n)
		return ofdint_missing_key(root, "spec", "targets", c);
	err = ofdint_spec_load_targets(s, n, c);
	if (err)
		return err;

	n = ofd_ymap_get(root, "mask");
	if (n) {
		err = load_mask(s, n, c);
		if (err)
			return err;
	}

	n = ofd_ymap_get(root, "overrides");
	if (n) {
		err = load_overrides(s, n, c);
		if (err)
			return err;
	}

	n = ofd_ymap_get(root, "gso_sizes");
	if (n) {
		err = load_gso_sizes(s, n, c);
		if (err)
			return err;
	}
	/* gro's gaps: 1 µs and up (0 is "the default" inside). */
	n = ofd_ymap_get(root, "gro_flush_gap_us");
	if (n && (err = ofd_y_u32(n, "gro_flush_gap_us", UINT32_MAX,
				  &s->gro_flush_gap_us, c->err, c->err_len)))
		return err;
	if (n && !s->gro_flush_gap_us) {
		ofd_yerr(c->err, c->err_len, n, "gro_flush_gap_us: expected 1 or more");
		return -EINVAL;
	}
	n = ofd_ymap_get(root, "gro_train_gap_us");
	if (n && (err = ofd_y_u32(n, "gro_train_gap_us", UINT32_MAX,
				  &s->gro_train_gap_us, c->err, c->err_len)))
		return err;
	if (n && !s->gro_train_gap_us) {
		ofd_yerr(c->err, c->err_len, n, "gro_train_gap_us: expected 1 or more");
		return -EINVAL;
	}
	return 0;
}

/* text NULL: read the file at path; else parse text, named path. */
static int spec_load(const char *path, const char *cwd, const char *text,
		     size_t len, struct ofd_spec **out, char *err,
		     size_t err_len)
{
	struct spec_ctx c = { .cwd = cwd ? cwd : ".", .err = err, .err_len = err_len };
	struct ofd_ynode *root = NULL;
	struct ofd_spec *s = NULL;
	char *dir;
	int ret;

	*out = NULL;
	if (err && err_len)
		err[0] = '\0';
	/* Relative paths are relative to "specs" for "specs/a.yaml". */
	ret = -ENOMEM;
	dir = dir_of(path);
	if (!dir)
		return ret;
	c.dir = dir;

	s = calloc(1, sizeof(*s));
	if (!s)
		goto out_free_dirs;
	s->path = strdup(path);
	s->dir = strdup(dir);
	if (!s->path || !s->dir) {
		ret = -ENOMEM;
		goto out_free_spec;
	}
	if (text)
		ret = ofd_yaml_load_string(path, text, len, &root, err, err_len);
	else
		ret = ofd_yaml_load_file(path, &root, err, err_len);
	if (ret)
		goto out_free_spec;
	ret = load_spec(s, root, &c);
	ofd_yaml_free(root);
	if (ret)
		goto out_free_spec;
	*out = s;
	goto out_free_dirs;

out_free_spec:
	if (ret == -ENOMEM && err && err_len && !err[0])
		snprintf(err, err_len, "%s: out of memory", path);
	ofd_spec_free(s);
out_free_dirs:
	free(dir);
	return ret;
}

int ofd_spec_load(const char *path, struct ofd_spec **out, char *err,
		  size_t err_len)
{
	return spec_load(path, NULL, NULL, 0, out, err, err_len);
}

int ofd_spec_load_from(const char *path, const char *cwd, struct ofd_spec **out,
		       char *err, size_t err_len)
{
	return spec_load(path, cwd, NULL, 0, out, err, err_len);
}

int ofd_spec_parse(const char *path, const char *text, size_t len,
		   struct ofd_spec **out, char *err, size_t err_len)
{
	return spec_load(path, NULL, text ? text : "", len, out, err, err_len);
}
