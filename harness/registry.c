// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * registry.c - engine lookup by name, from the X-macro list in engines.def.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ofd.h"
#include "ofd_isolate.h"

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

/* The keys every engine takes (ofd.h): taken out of the params here,
 * before the engine's own open() sees them. */
const struct ofd_engine_param_doc ofd_engine_common_params[] = {
	{ "isolate", "on|off: the engine in a child process: a crash, a hang or a malformed "
		     "result is that case's target-fault and the run goes on (default: on for plugins)" },
	{ "timeout_ms", "with isolate on: how many ms one case may take before the engine "
			"counts as hung and is killed (default 10000)" },
	{ NULL, NULL },
};

static bool common_key(const char *key)
{
	const struct ofd_engine_param_doc *d;

	for (d = ofd_engine_common_params; d->key; d++)
		if (!strcmp(d->key, key))
			return true;
	return false;
}

/*
 * The common keys' values among params: *iso (-1 when not given, else 0
 * or 1, settled by the engine's flag then) and *timeout_ms (0 when not
 * given). -EINVAL with a one-line message for a value they do not take.
 */
static int common_values(const struct ofd_engine_ops *ops,
			 const struct ofd_engine_param *params, unsigned int n, int *iso,
			 unsigned int *timeout_ms, char *msg, size_t msg_len)
{
	unsigned int i;

	*iso = -1;
	*timeout_ms = 0;
	for (i = 0; i < n; i++) {
		const char *k = params[i].key, *v = params[i].value;
		unsigned long t;
		char *end;

		if (!strcmp(k, "isolate")) {
			if (!strcasecmp(v, "on") || !strcasecmp(v, "true") || !strcasecmp(v, "yes")) {
				*iso = 1;
			} else if (!strcasecmp(v, "off") || !strcasecmp(v, "false") ||
				   !strcasecmp(v, "no")) {
				*iso = 0;
			} else {
				snprintf(msg, msg_len, "isolate is on or off, not '%s'", v);
				return -EINVAL;
			}
		} else if (!strcmp(k, "timeout_ms")) {
			errno = 0;
			t = strtoul(v, &end, 10);
			if (*v < '0' || *v > '9' || *end || errno || !t || t > 3600000) {
				snprintf(msg, msg_len,
					 "timeout_ms is a number of milliseconds from 1 to 3600000, not '%s'",
					 v);
				return -EINVAL;
			}
			*timeout_ms = (unsigned int)t;
		}
	}
	if (*iso < 0)
		*iso = !!(ops->flags & OFD_F_ISOLATE);
	/* An engine in our own process cannot be stopped: a budget for it
	 * would be a promise not kept. */
	if (*timeout_ms && !*iso) {
		snprintf(msg, msg_len, "timeout_ms is for an engine in a child process (isolate=on)");
		return -EINVAL;
	}
	return 0;
}

int ofd_engine_check_params(const struct ofd_engine_ops *ops,
			    const struct ofd_engine_param *params, unsigned int n,
			    char *msg, size_t msg_len)
{
	const struct ofd_engine_param_doc *d;
	unsigned int i, timeout_ms;
	size_t off;
	int iso;

	for (i = 0; i < n; i++) {
		if (common_key(params[i].key))
			continue;
		/* "*": the engine checks further keys itself (a plugin's own). */
		for (d = ops->params; d && d->key; d++)
			if (!strcmp(d->key, params[i].key) || !strcmp(d->key, "*"))
				break;
		if (d && d->key)
			continue;
		if (!ops->params || !ops->params[0].key) {
			snprintf(msg, msg_len, "engine %s takes no '%s' (it takes no settings of its own)",
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
	return common_values(ops, params, n, &iso, &timeout_ms, msg, msg_len);
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

static int open_here(const struct ofd_engine_ops *ops, const struct ofd_engine_opts *o,
		     struct ofd_engine *e, char *msg, size_t msg_len)
{
	ofd_print_fn old;
	int err;

	e->ops = ops;
	open_msg[0] = '\0';
	old = ofd_set_print(capture_print);
	err = ops->open(o, &e->priv);
	ofd_set_print(old);
	if (err) {
		open_msg[strcspn(open_msg, "\n")] = '\0';
		if (open_msg[0])
			snprintf(msg, msg_len, "%s", open_msg);
		else
			snprintf(msg, msg_len, "engine '%s' failed to open: %s", ops->name,
				 strerror(-err));
		return err;
	}
	if (open_msg[0])
		ofd_pr_warn("%s", open_msg);
	return 0;
}

int ofd_engine__open(const char *name, const struct ofd_engine_opts *opts,
		     struct ofd_engine **out, char *msg, size_t msg_len)
{
	const struct ofd_engine_ops *ops = ofd_engine_find(name);
	struct ofd_engine_opts o = { 0 };
	struct ofd_engine_param *kept = NULL;
	unsigned int i, timeout_ms;
	struct ofd_engine *e = NULL;
	int err, iso;

	if (!ops) {
		snprintf(msg, msg_len, "unknown engine '%s' (see `offdiff engine list`)", name);
		return -ENOENT;
	}
	err = common_values(ops, opts ? opts->params : NULL, opts ? opts->nparams : 0, &iso,
			    &timeout_ms, msg, msg_len);
	if (err)
		return err;
	/* The engine's own params: the common keys are ours. */
	if (opts) {
		o = *opts;
		o.nparams = 0;
		o.params = kept = calloc(opts->nparams ? opts->nparams : 1, sizeof(*kept));
		if (!kept)
			return -ENOMEM;
		for (i = 0; i < opts->nparams; i++)
			if (!common_key(opts->params[i].key))
				kept[o.nparams++] = opts->params[i];
	}
	if (ops->probe) {
		err = ops->probe(msg, msg_len);
		if (err)
			goto out;
	}
	e = calloc(1, sizeof(*e));
	if (!e) {
		err = -ENOMEM;
		goto out;
	}
	/* The engines read their params while they open, never after: the
	 * trimmed list can go once they are open. */
	if (iso)
		err = ofd_isolate_open(ops, opts ? &o : NULL, timeout_ms, e, msg, msg_len);
	else
		err = open_here(ops, opts ? &o : NULL, e, msg, msg_len);
	if (err)
		goto out;
	snprintf(e->info.name, sizeof(e->info.name), "%s", name);
	if (e->ops->info)
		e->ops->info(e->priv, &e->info);
	*out = e;
	e = NULL;
out:
	free(e);
	free(kept);
	return err;
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
