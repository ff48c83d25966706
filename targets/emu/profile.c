// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile.c - the emulator's YAML profiles (specs/profiles/<name>.yaml).
 *
 * A profile is the conformant device plus a set of independent knobs, each
 * reproducing one class of real device bug from bug-catalogue.md. Every
 * mistake in a profile is an error that names file:line:col, because a
 * silently ignored knob would make a campaign test the wrong device.
 *
 * The knobs come in one section per offload (emu_internal.h): this file
 * reads the file's frame and hands each section's mapping to that
 * section's table; it knows no knob.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

/* Every section, in `show` order. */
static const struct emu_section *const sections[] = {
	&ofdint_emu_section_tx_csum,
	&ofdint_emu_section_tso,
	&ofdint_emu_section_gro,
	&ofdint_emu_section_dissect,
	&ofdint_emu_section_rx_csum,
	&ofdint_emu_section_rss,
};

static const char *const top_keys[] = {
	"name", "description", "catalogue", "knobs", "tso", "gro", "dissect", "rx-csum", "rss",
	NULL,
};

/* bug-catalogue.md numbers its entries from 1; leave room to grow. */
#define EMU_CATALOGUE_MAX 999u

void ofdint_emu_profile_init(struct ofdint_emu_profile *p)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "conformant");
	p->zero_value = 0xffff;
	/* struct emu_tso_knobs: all zero is the kernel's rules */
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

int ofdint_emu_knob_choice(const struct ofd_ynode *v, const char *knob,
			   const char *const *vals, unsigned int nvals,
			   uint8_t *out, char *err, size_t err_len)
{
	char list[160] = "";
	size_t o = 0;
	const char *s;
	unsigned int i;
	int ret;

	ret = ofd_y_str(v, knob, &s, err, err_len);
	if (ret)
		return ret;
	for (i = 0; i < nvals; i++)
		if (!strcmp(s, vals[i])) {
			*out = (uint8_t)i;
			return 0;
		}
	/* "a or b", "a, b or c" */
	for (i = 0; i < nvals && o < sizeof(list); i++)
		o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
				      i == 0 ? "" : i + 1 == nvals ? " or " : ", ",
				      vals[i]);
	return ofd_yerr(err, err_len, v, "%s: expected %s, got '%s'", knob,
			list, s);
}

static int parse_section(struct ofdint_emu_profile *p,
			 const struct emu_section *sec,
			 const struct ofd_ynode *knobs, char *err,
			 size_t err_len)
{
	size_t i;
	unsigned int k;
	int ret;

	/* `knobs:` with nothing after it is the conformant device too. */
	if (knobs->type == OFD_Y_SCALAR && !knobs->scalar[0])
		return 0;
	ret = ofd_y_check_keys(knobs, sec->key, sec->names, err, err_len);
	if (ret)
		return ret;
	/* Known keys only, and the loader refuses duplicate keys. */
	for (i = 0; i < knobs->n; i++) {
		for (k = 0; k < sec->nknobs; k++)
			if (!strcmp(knobs->keys[i], sec->names[k]))
				break;
		if (k == sec->nknobs)
			return -EINVAL;
		ret = sec->parse(p, k, knobs->items[i], err, err_len);
		if (ret)
			return ret;
		*sec->set(p) |= 1u << k;
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
	size_t i;
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

	for (i = 0; i < OFD_ARRAY_SIZE(sections); i++) {
		n = ofd_ymap_get(root, sections[i]->key);
		if (!n)
			continue;
		ret = parse_section(p, sections[i], n, err, err_len);
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
	unsigned int i, j;
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

	for (i = 0; i < OFD_ARRAY_SIZE(sections); i++) {
		const struct emu_section *sec = sections[i];
		unsigned int set = *sec->set(&p);

		for (j = 0; j < sec->nknobs && d->nknobs < OFD_EMU_MAX_KNOBS; j++) {
			k = &d->knob[d->nknobs++];
			k->section = sec->key;
			k->name = sec->names[j];
			k->is_default = !(set & (1u << j));
			sec->show(&p, j, k->value, sizeof(k->value));
		}
	}
	return 0;
}
