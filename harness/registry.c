// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * registry.c - engine lookup by name, from the X-macro list in engines.def.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"

#define OFD_ENGINE(n) extern const struct ofd_engine_ops ofd_engine_##n;
#include "engines.def"
#undef OFD_ENGINE

static const struct ofd_engine_ops *const engines[] = {
#define OFD_ENGINE(n) &ofd_engine_##n,
#include "engines.def"
#undef OFD_ENGINE
};

const struct ofd_engine_ops *ofd_engine_find(const char *name)
{
	size_t i;

	for (i = 0; i < OFD_ARRAY_SIZE(engines); i++)
		if (!strcmp(engines[i]->name, name))
			return engines[i];
	return NULL;
}

unsigned int ofd_engine_caps(const struct ofd_engine_ops *ops)
{
	return ops->offload_caps ? ops->offload_caps() : ops->caps;
}

const struct ofd_engine_ops *const *ofd_engine_list(size_t *n)
{
	*n = OFD_ARRAY_SIZE(engines);
	return engines;
}

const char *ofd_engine_param(const struct ofd_engine_opts *o, const char *key)
{
	const char *v = NULL;
	unsigned int i;

	for (i = 0; o && i < o->nparams; i++)
		if (!strcmp(o->params[i].key, key))
			v = o->params[i].value;
	return v;
}

int ofd_engine_check_params(const struct ofd_engine_ops *ops,
			    const struct ofd_engine_param *params, unsigned int n,
			    char *msg, size_t msg_len)
{
	const struct ofd_engine_param_doc *d;
	unsigned int i;
	size_t off;

	for (i = 0; i < n; i++) {
		/* "*": the engine checks further keys itself (a plugin's own). */
		for (d = ops->params; d && d->key; d++)
			if (!strcmp(d->key, params[i].key) || !strcmp(d->key, "*"))
				break;
		if (d && d->key)
			continue;
		if (!ops->params || !ops->params[0].key) {
			snprintf(msg, msg_len, "engine %s takes no '%s' (it takes no settings)",
				 ops->name, params[i].key);
			return -EINVAL;
		}
		off = (size_t)snprintf(msg, msg_len, "engine %s takes no '%s' (it takes",
				       ops->name, params[i].key);
		for (d = ops->params; d->key && off < msg_len; d++)
			off += (size_t)snprintf(msg + off, msg_len - off, "%s %s",
						d == ops->params ? "" : ",", d->key);
		if (off < msg_len)
			snprintf(msg + off, msg_len - off, ")");
		return -EINVAL;
	}
	return 0;
}

/* While an engine opens, its warnings become the one-line error message
 * the CLI prints (a profile's "file:line:col: ..."), not extra lines. */
static char open_msg[512];

__attribute__((format(printf, 2, 0)))
static void capture_print(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	size_t n = strlen(open_msg);

	if (lvl != OFD_WARN || n + 1 >= sizeof(open_msg))
		return;
	vsnprintf(open_msg + n, sizeof(open_msg) - n, fmt, ap);
}

int ofd_engine__open(const char *name, const struct ofd_engine_opts *opts,
		     struct ofd_engine **out, char *msg, size_t msg_len)
{
	const struct ofd_engine_ops *ops = ofd_engine_find(name);
	struct ofd_engine *e;
	int err;

	if (!ops) {
		snprintf(msg, msg_len, "unknown engine '%s' (see `offdiff engine list`)", name);
		return -ENOENT;
	}
	if (ops->probe) {
		err = ops->probe(msg, msg_len);
		if (err)
			return err;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->ops = ops;
	open_msg[0] = '\0';
	{
		ofd_print_fn old = ofd_set_print(capture_print);

		err = ops->open(opts, &e->priv);
		ofd_set_print(old);
	}
	if (err) {
		open_msg[strcspn(open_msg, "\n")] = '\0';
		if (open_msg[0])
			snprintf(msg, msg_len, "%s", open_msg);
		else
			snprintf(msg, msg_len, "engine '%s' failed to open: %s", name,
				 strerror(-err));
		free(e);
		return err;
	}
	if (open_msg[0])
		ofd_pr_warn("%s", open_msg);
	snprintf(e->info.name, sizeof(e->info.name), "%s", name);
	if (ops->info)
		ops->info(e->priv, &e->info);
	*out = e;
	return 0;
}

/* The one place that decides whether an engine may judge: run, replay and
 * selfcheck all open their reference here, so a target can never give
 * verdicts against itself (null as the reference "agrees" with anything). */
int ofd_engine__open_reference(const char *name, const struct ofd_engine_opts *opts,
			       struct ofd_engine **out, char *msg, size_t msg_len)
{
	const struct ofd_engine_ops *ops = ofd_engine_find(name);

	if (ops && !(ops->flags & OFD_F_REFERENCE)) {
		snprintf(msg, msg_len, "'%s' is a target engine, not a reference (use model or kernel)",
			 name);
		return -EINVAL;
	}
	return ofd_engine__open(name, opts, out, msg, msg_len);
}

void ofd_engine__close(struct ofd_engine *e)
{
	if (!e)
		return;
	if (e->ops->close)
		e->ops->close(e->priv);
	free(e);
}
