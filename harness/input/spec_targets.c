// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * spec_targets.c - a spec's targets: each entry names an engine, maybe a
 * profile, and the settings that engine takes (iface's port and peer,
 * capture's file; isolate and timeout_ms, which every engine takes), checked against the engine's own list at their
 * line:col so a misspelt key is found before anything runs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_isolate.h"
#include "ofd_spec.h"
#include "ofd_yaml.h"
#include "spec_internal.h"

static const char *const target_keys[] = { "engine", "profile", NULL };

static void target_keys_of(const struct ofd_engine_ops *ops, const char **keys,
			   size_t cap)
{
	const struct ofd_engine_param_doc *d;
	size_t n = 0;

	for (n = 0; target_keys[n]; n++)
		keys[n] = target_keys[n];
	/* isolate and timeout_ms: every engine's (harness/registry.c) */
	for (d = ofd_engine_common_params; d->key && n + 1 < cap; d++)
		keys[n++] = d->key;
	for (d = ops ? ops->params : NULL; d && d->key && n + 1 < cap; d++)
		keys[n++] = d->key;
	keys[n] = NULL;
}

/* Every key but engine and profile is the engine's own setting: a string
 * (a number or a name is taken as written). */
static int load_target_params(const struct ofd_ynode *t, struct ofd_spec_target *tg,
			      struct spec_ctx *c)
{
	size_t k;
	int err;

	tg->params = calloc(t->n ? t->n : 1, sizeof(*tg->params));
	if (!tg->params)
		return -ENOMEM;
	for (k = 0; k < t->n; k++) {
		struct ofd_engine_param *p = &tg->params[tg->nparams];
		char *v = NULL;

		if (!strcmp(t->keys[k], "engine") || !strcmp(t->keys[k], "profile"))
			continue;
		err = ofdint_spec_str(t->items[k], t->keys[k], &v, c);
		if (err)
			return err;
		p->key = strdup(t->keys[k]);
		p->value = v;
		tg->nparams++;
		if (!p->key)
			return -ENOMEM;
	}
	return 0;
}

int ofdint_spec_load_targets(struct ofd_spec *s, const struct ofd_ynode *n,
			struct spec_ctx *c)
{
	size_t i;
	int err;

	err = ofdint_spec_seq(n, "targets", true, c);
	if (err)
		return err;
	s->targets = calloc(n->n, sizeof(*s->targets));
	if (!s->targets)
		return -ENOMEM;
	for (i = 0; i < n->n; i++) {
		const struct ofd_ynode *t = n->items[i], *e, *p;
		struct ofd_spec_target *tg = &s->targets[i];
		const struct ofd_engine_ops *ops;
		const char *keys[24];

		if (t->type != OFD_Y_MAP) /* "expected a map" */
			return ofd_y_check_keys(t, "target", target_keys, c->err, c->err_len);
		s->ntargets++;
		e = ofd_ymap_get(t, "engine");
		if (!e)
			return ofdint_missing_key(t, "target", "engine", c);
		err = ofdint_spec_str(e, "engine", &tg->engine, c);
		if (err)
			return err;
		/* The keys the named engine takes besides engine and profile;
		 * an unknown engine is reported by whoever opens it. */
		ops = ofd_engine_find(tg->engine);
		target_keys_of(ops, keys, OFD_ARRAY_SIZE(keys));
		err = ofd_y_check_keys(t, "target", keys, c->err,
				       c->err_len);
		if (err)
			return err;
		err = load_target_params(t, tg, c);
		if (err)
			return err;
		/* Point at the engine name: an unknown engine is the error
		 * the runner will most likely report here. */
		tg->line = e->line;
		tg->col = e->col;
		p = ofd_ymap_get(t, "profile");
		if (p) {
			err = ofdint_spec_str(p, "profile", &tg->profile, c);
			if (err)
				return err;
		}
	}
	return 0;
}

