// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile.c - the emulator's YAML profiles (specs/profiles/<name>.yaml).
 *
 * A profile is the conformant device plus a set of independent knobs, each
 * reproducing one class of real device bug from bug-catalogue.md. Every
 * mistake in a profile is an error that names file:line:col, because a
 * silently ignored knob would make a campaign test the wrong device.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

static const char *const top_keys[] = {
	"name", "description", "catalogue", "knobs", NULL,
};

/* Indexed by enum emu_knob. */
static const char *const knob_names[] = {
	[EMU_KNOB_DADDR] = "pseudo_header_daddr",
	[EMU_KNOB_EXTHDR] = "ipv6_extension_headers",
	[EMU_KNOB_ZERO] = "zero_checksum",
	[EMU_KNOB_TAIL] = "tail_window",
	[EMU_KNOB_TUNNEL] = "tunnel_checksum",
	[EMU_KNOB__MAX] = NULL,
};

_Static_assert(EMU_KNOB__MAX == OFD_EMU_NKNOBS, "knob count");

/* Largest accepted tail_window: a full-size jumbo frame. */
#define EMU_TAIL_MAX 65535u
/* bug-catalogue.md numbers its entries from 1; leave room to grow. */
#define EMU_CATALOGUE_MAX 999u

void ofdint_emu_profile_init(struct ofdint_emu_profile *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "conformant");
	p->zero_value = 0xffff;
}

int ofd_emu_profile_path(const char *profile, const char *dir, char *path,
			 size_t path_len)
{
	size_t n;
	int w;

	if (!profile || !*profile)
		return -EINVAL;
	n = strlen(profile);
	if (strchr(profile, '/') ||
	    (n >= 5 && !strcmp(profile + n - 5, ".yaml")))
		w = snprintf(path, path_len, "%s", profile);
	else
		w = snprintf(path, path_len, "%s/%s.yaml",
			     dir && *dir ? dir : OFD_EMU_PROFILE_DIR, profile);
	if (w < 0 || (size_t)w >= path_len)
		return -ENAMETOOLONG;
	return 0;
}

/* The profile name a file must carry: its base name without ".yaml". */
static void file_stem(const char *file, char *stem, size_t len)
{
	const char *b = strrchr(file, '/');
	size_t n;

	b = b ? b + 1 : file;
	n = strlen(b);
	if (n >= 5 && !strcmp(b + n - 5, ".yaml"))
		n -= 5;
	if (n >= len)
		n = len - 1;
	memcpy(stem, b, n);
	stem[n] = '\0';
}

/* A string knob: one of two spellings, the first being the default. */
static int knob_choice(const struct ofd_ynode *v, const char *knob,
		       const char *off, const char *on, bool *out, char *err,
		       size_t err_len)
{
	const char *s;
	int ret;

	ret = ofd_y_str(v, knob, &s, err, err_len);
	if (ret)
		return ret;
	if (!strcmp(s, off)) {
		*out = false;
		return 0;
	}
	if (!strcmp(s, on)) {
		*out = true;
		return 0;
	}
	return ofd_yerr(err, err_len, v, "%s: expected %s or %s, got '%s'",
			knob, off, on, s);
}

static int parse_knob(struct ofdint_emu_profile *p, enum emu_knob k,
		      const struct ofd_ynode *v, char *err, size_t err_len)
{
	const char *name = knob_names[k];
	uint32_t u;
	int ret;

	switch (k) {
	case EMU_KNOB_DADDR:
		return knob_choice(v, name, "final-destination",
				   "ipv6-destination", &p->use_ipv6_dst, err,
				   err_len);
	case EMU_KNOB_EXTHDR:
		return knob_choice(v, name, "parse", "ignore",
				   &p->ignore_exthdr, err, err_len);
	case EMU_KNOB_TUNNEL:
		return knob_choice(v, name, "inner", "outer", &p->tunnel_outer,
				   err, err_len);
	case EMU_KNOB_ZERO:
		/* Written as 0xffff / 0x0000; any spelling of the two
		 * numbers is fine, any other number is not. */
		if (v->type != OFD_Y_SCALAR)
			return ofd_yerr(err, err_len, v,
					"%s: expected 0xffff or 0x0000, got a %s",
					name, v->type == OFD_Y_MAP ? "map" :
					"sequence");
		if (ofd_y_u32(v, name, 0xffff, &u, NULL, 0) ||
		    (u != 0 && u != 0xffff))
			return ofd_yerr(err, err_len, v,
					"%s: expected 0xffff or 0x0000, got '%s'",
					name, v->scalar);
		p->zero_value = (uint16_t)u;
		return 0;
	case EMU_KNOB_TAIL:
		ret = ofd_y_u32(v, name, EMU_TAIL_MAX, &u, err, err_len);
		if (ret)
			return ret;
		p->tail_window = u;
		return 0;
	case EMU_KNOB__MAX:
		break;
	}
	return -EINVAL;
}

static int parse_knobs(struct ofdint_emu_profile *p,
		       const struct ofd_ynode *knobs, char *err, size_t err_len)
{
	size_t i;
	int k, ret;

	/* `knobs:` with nothing after it is the conformant device too. */
	if (knobs->type == OFD_Y_SCALAR && !knobs->scalar[0])
		return 0;
	ret = ofd_y_check_keys(knobs, "knobs", knob_names, err, err_len);
	if (ret)
		return ret;
	/* Known keys only, and the loader refuses duplicate keys. */
	for (i = 0; i < knobs->n; i++) {
		for (k = 0; k < EMU_KNOB__MAX; k++)
			if (!strcmp(knobs->keys[i], knob_names[k]))
				break;
		ret = parse_knob(p, (enum emu_knob)k, knobs->items[i], err,
				 err_len);
		if (ret)
			return ret;
		p->set |= 1u << k;
	}
	return 0;
}

static int parse_catalogue(struct ofdint_emu_profile *p,
			   const struct ofd_ynode *cat, char *err,
			   size_t err_len)
{
	size_t i;
	int ret;

	if (cat->type != OFD_Y_SEQ)
		return ofd_yerr(err, err_len, cat,
				"catalogue: expected a list of bug-catalogue entry numbers");
	if (cat->n > OFD_EMU_MAX_CATALOGUE)
		return ofd_yerr(err, err_len, cat,
				"catalogue: at most %d entries", OFD_EMU_MAX_CATALOGUE);
	for (i = 0; i < cat->n; i++) {
		uint32_t v;

		ret = ofd_y_u32(cat->items[i], "catalogue", EMU_CATALOGUE_MAX,
				&v, err, err_len);
		if (ret)
			return ret;
		if (!v)
			return ofd_yerr(err, err_len, cat->items[i],
					"catalogue: entries are numbered from 1");
		p->catalogue[p->ncatalogue++] = v;
	}
	return 0;
}

static int parse_root(const char *file, const struct ofd_ynode *root,
		      struct ofdint_emu_profile *p, char *err, size_t err_len)
{
	const struct ofd_ynode *n;
	char stem[sizeof(p->name)];
	const char *s;
	int ret;

	ret = ofd_y_check_keys(root, "profile", top_keys, err, err_len);
	if (ret)
		return ret;

	n = ofd_ymap_get(root, "name");
	if (!n)
		return ofd_yerr(err, err_len, root, "missing key 'name'");
	ret = ofd_y_str(n, "name", &s, err, err_len);
	if (ret)
		return ret;
	if (strlen(s) >= sizeof(p->name))
		return ofd_yerr(err, err_len, n,
				"name: longer than %zu characters",
				sizeof(p->name) - 1);
	file_stem(file, stem, sizeof(stem));
	if (strcmp(s, stem))
		return ofd_yerr(err, err_len, n,
				"name: '%s' does not match the file name (expected '%s')",
				s, stem);
	snprintf(p->name, sizeof(p->name), "%s", s);

	n = ofd_ymap_get(root, "description");
	if (n) {
		ret = ofd_y_str(n, "description", &s, err, err_len);
		if (ret)
			return ret;
		if (strchr(s, '\n'))
			return ofd_yerr(err, err_len, n,
					"description: must be one line");
		if (strlen(s) >= sizeof(p->description))
			return ofd_yerr(err, err_len, n,
					"description: longer than %zu characters",
					sizeof(p->description) - 1);
		snprintf(p->description, sizeof(p->description), "%s", s);
	}

	n = ofd_ymap_get(root, "catalogue");
	if (n) {
		ret = parse_catalogue(p, n, err, err_len);
		if (ret)
			return ret;
	}

	n = ofd_ymap_get(root, "knobs");
	if (n) {
		ret = parse_knobs(p, n, err, err_len);
		if (ret)
			return ret;
	}
	return 0;
}

static int load(const char *file, const char *text, size_t len,
		struct ofdint_emu_profile *p, char *err, size_t err_len)
{
	struct ofd_ynode *root = NULL;
	int ret;

	ofdint_emu_profile_init(p);
	if (text)
		ret = ofd_yaml_load_string(file, text, len, &root, err, err_len);
	else
		ret = ofd_yaml_load_file(file, &root, err, err_len);
	if (ret)
		return ret;
	ret = parse_root(file, root, p, err, err_len);
	ofd_yaml_free(root);
	if (ret)
		ofdint_emu_profile_init(p);
	return ret;
}

int ofdint_emu_profile_load(const char *path, struct ofdint_emu_profile *p,
			    char *err, size_t err_len)
{
	return load(path, NULL, 0, p, err, err_len);
}

int ofdint_emu_profile_parse(const char *file, const char *text, size_t len,
			     struct ofdint_emu_profile *p, char *err,
			     size_t err_len)
{
	return load(file, text, len, p, err, err_len);
}

int ofd_emu_profile_check(const char *path, char *err, size_t err_len)
{
	struct ofdint_emu_profile p;

	return ofdint_emu_profile_load(path, &p, err, err_len);
}

int ofd_emu_profile_describe(const char *path,
			     struct ofd_emu_profile_desc *d, char *err,
			     size_t err_len)
{
	struct ofdint_emu_profile p;
	struct ofd_emu_knob_desc *k;
	unsigned int i;
	int ret;

	memset(d, 0, sizeof(*d));
	ret = ofdint_emu_profile_load(path, &p, err, err_len);
	if (ret)
		return ret;
	snprintf(d->name, sizeof(d->name), "%s", p.name);
	snprintf(d->description, sizeof(d->description), "%s", p.description);
	d->ncatalogue = p.ncatalogue;
	for (i = 0; i < p.ncatalogue; i++)
		d->catalogue[i] = p.catalogue[i];

	for (i = 0; i < EMU_KNOB__MAX; i++) {
		k = &d->knob[i];
		k->name = knob_names[i];
		k->is_default = !(p.set & (1u << i));
	}
	snprintf(d->knob[EMU_KNOB_DADDR].value, sizeof(k->value), "%s",
		 p.use_ipv6_dst ? "ipv6-destination" : "final-destination");
	snprintf(d->knob[EMU_KNOB_EXTHDR].value, sizeof(k->value), "%s",
		 p.ignore_exthdr ? "ignore" : "parse");
	snprintf(d->knob[EMU_KNOB_ZERO].value, sizeof(k->value), "0x%04x",
		 p.zero_value);
	snprintf(d->knob[EMU_KNOB_TAIL].value, sizeof(k->value), "%u",
		 p.tail_window);
	snprintf(d->knob[EMU_KNOB_TUNNEL].value, sizeof(k->value), "%s",
		 p.tunnel_outer ? "outer" : "inner");
	return 0;
}
