// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * targets.c - the targets a run names, from the spec or from `-t`.
 *
 * `-t emu:short-tail` names an engine and its profile; `-t
 * iface:port=eth1,peer=eth2` an engine and its settings (ops->params), the
 * same keys a spec's target entry takes. The label a target gets in
 * reports is the form `-t` takes, so a resumed run (which names its
 * targets by label) opens them again the same way.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_cli.h"
#include "ofd_spec.h"

static char *profile_path(const char *dir, const char *profile)
{
	char buf[PATH_MAX];

	if (!profile)
		return NULL;
	if (strchr(profile, '/') || strstr(profile, ".yaml"))
		return strdup(profile);
	snprintf(buf, sizeof(buf), "%s/%s.yaml", dir ? dir : "specs/profiles", profile);
	return strdup(buf);
}

static int add_param(struct ofd_cli_target *t, const char *key, size_t klen,
		     const char *value)
{
	struct ofd_engine_param *p = realloc(t->params, (t->nparams + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	t->params = p;
	p[t->nparams].key = strndup(key, klen);
	p[t->nparams].value = strdup(value);
	if (!p[t->nparams].key || !p[t->nparams].value)
		return -ENOMEM;
	t->nparams++;
	return 0;
}

/* "k=v,k=v": a comma separates settings; a value holding a comma cannot
 * be given on the command line (a spec entry can). */
static int parse_settings(struct ofd_cli_target *t, char *s, char *err, size_t err_len)
{
	char *item, *save = NULL;

	for (item = strtok_r(s, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		int e;

		if (!eq || eq == item) {
			snprintf(err, err_len, "'%s' is not key=value", item);
			return -EINVAL;
		}
		if (!strncmp(item, "profile", (size_t)(eq - item)) && eq - item == 7) {
			free(t->profile);
			t->profile = strdup(eq + 1);
			continue;
		}
		e = add_param(t, item, (size_t)(eq - item), eq + 1);
		if (e)
			return e;
	}
	return 0;
}

static int make_label(struct ofd_cli_target *t)
{
	size_t len = strlen(t->engine) + 2 + (t->profile ? strlen(t->profile) + 9 : 0), i;
	char *l;

	for (i = 0; i < t->nparams; i++)
		len += strlen(t->params[i].key) + strlen(t->params[i].value) + 2;
	l = malloc(len + 1);
	if (!l)
		return -ENOMEM;
	if (!t->nparams) {
		snprintf(l, len + 1, "%s%s%s", t->engine, t->profile ? ":" : "",
			 t->profile ? t->profile : "");
	} else {
		size_t off = (size_t)snprintf(l, len + 1, "%s:", t->engine);

		if (t->profile)
			off += (size_t)snprintf(l + off, len + 1 - off, "profile=%s,", t->profile);
		for (i = 0; i < t->nparams; i++)
			off += (size_t)snprintf(l + off, len + 1 - off, "%s%s=%s", i ? "," : "",
						t->params[i].key, t->params[i].value);
	}
	t->label = l;
	return 0;
}

static int check_settings(struct ofd_cli_target *t, char *err, size_t err_len)
{
	const struct ofd_engine_ops *ops = ofd_engine_find(t->engine);

	/* An unknown engine is reported when it opens, with its suggestions. */
	return ops ? ofd_engine_check_params(ops, t->params, t->nparams, err, err_len) : 0;
}

int ofd_cli_target_parse(const char *arg, const char *profile_dir,
			 struct ofd_cli_target *t, char *err, size_t err_len)
{
	char *dup = strdup(arg), *colon;
	int e = -ENOMEM;

	memset(t, 0, sizeof(*t));
	if (!dup)
		return e;
	colon = strchr(dup, ':');
	if (colon)
		*colon = '\0';
	t->engine = strdup(dup);
	if (!t->engine)
		goto out;
	if (colon && strchr(colon + 1, '='))
		e = parse_settings(t, colon + 1, err, err_len);
	else if (colon)
		e = (t->profile = strdup(colon + 1)) ? 0 : -ENOMEM;
	else
		e = 0;
	if (!e)
		e = check_settings(t, err, err_len);
	if (!e)
		e = make_label(t);
	if (!e) {
		t->path = profile_path(profile_dir, t->profile);
		if (t->profile && !t->path)
			e = -ENOMEM;
	}
out:
	free(dup);
	return e;
}

int ofd_cli_target_from_spec(const struct ofd_spec *spec, size_t i,
			     struct ofd_cli_target *t, char *err, size_t err_len)
{
	const struct ofd_spec_target *st = &spec->targets[i];
	unsigned int k;
	int e = -ENOMEM;

	memset(t, 0, sizeof(*t));
	t->engine = strdup(st->engine);
	t->profile = st->profile ? strdup(st->profile) : NULL;
	t->line = st->line;
	t->col = st->col;
	t->base_dir = spec->dir;
	if (!t->engine || (st->profile && !t->profile))
		return e;
	for (k = 0; k < st->nparams; k++) {
		e = add_param(t, st->params[k].key, strlen(st->params[k].key),
			      st->params[k].value);
		if (e)
			return e;
	}
	e = check_settings(t, err, err_len);
	if (!e)
		e = make_label(t);
	if (!e) {
		t->path = profile_path(spec->profile_dir, t->profile);
		if (t->profile && !t->path)
			e = -ENOMEM;
	}
	return e;
}

void ofd_cli_target_opts(const struct ofd_cli_target *t, const struct ofd_spec *spec,
			 struct ofd_engine_opts *eo)
{
	memset(eo, 0, sizeof(*eo));
	eo->profile = t->profile;
	eo->profile_dir = spec ? spec->profile_dir : NULL;
	eo->caps = spec ? spec->offloads : 0;
	eo->params = t->params;
	eo->nparams = (unsigned int)t->nparams;
	eo->base_dir = t->base_dir;
}

void ofd_cli_target_free(struct ofd_cli_target *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nparams; i++) {
		free((char *)t->params[i].key);
		free((char *)t->params[i].value);
	}
	free(t->params);
	free(t->engine);
	free(t->profile);
	free(t->label);
	free(t->path);
	memset(t, 0, sizeof(*t));
}
