// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * load.c - an allow-list (and a detached signature) read back, through
 * the same YAML reader as specs and profiles (ofd_yaml.h), so every
 * malformed list is one line with file:line:column, never a crash.
 *
 * Unknown keys are errors: a verifier that skipped a key it does not know
 * would permit on a list whose meaning it did not read.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist_internal.h"
#include "ofd_offload.h"
#include "ofd_yaml.h"

static int u64(const struct ofd_ynode *n, const char *what, uint64_t *v, char *err,
	       size_t err_len)
{
	const char *s;
	char *end;

	if (!n)
		return ofd_yerr(err, err_len, n, "%s: missing", what);
	s = n->scalar;
	if (n->type != OFD_Y_SCALAR || !(s[0] >= '0' && s[0] <= '9'))
		return ofd_yerr(err, err_len, n, "%s: expected a non-negative integer", what);
	errno = 0;
	*v = strtoull(s, &end, 10);
	if (*end || errno)
		return ofd_yerr(err, err_len, n, "%s: expected a non-negative integer", what);
	return 0;
}

/* map's key as a count; a missing key is located at the map. */
static int u64_key(const struct ofd_ynode *map, const char *key, uint64_t *v, char *err,
		   size_t err_len)
{
	if (!ofd_ymap_get(map, key))
		return ofd_yerr(err, err_len, map, "missing key '%s'", key);
	return u64(ofd_ymap_get(map, key), key, v, err, err_len);
}

static int str(const struct ofd_ynode *map, const char *key, char *buf, size_t len, char *err,
	       size_t err_len)
{
	const struct ofd_ynode *n = ofd_ymap_get(map, key);
	const char *s;
	int e;

	if (!n)
		return ofd_yerr(err, err_len, map, "missing key '%s'", key);
	e = ofd_y_str(n, key, &s, err, err_len);
	if (e)
		return e;
	if (strlen(s) >= len)
		return ofd_yerr(err, err_len, n, "%s: longer than %zu characters", key, len - 1);
	snprintf(buf, len, "%s", s);
	return 0;
}

static int strs(const struct ofd_ynode *map, const char *key, struct ofd_al_strs *out,
		char *err, size_t err_len)
{
	const struct ofd_ynode *n = ofd_ymap_get(map, key);
	size_t i;

	if (!n)
		return ofd_yerr(err, err_len, map, "missing key '%s'", key);
	if (n->type != OFD_Y_SEQ)
		return ofd_yerr(err, err_len, n, "%s: expected a list", key);
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->type != OFD_Y_SCALAR)
			return ofd_yerr(err, err_len, n->items[i], "%s: expected a string", key);
		if (ofd_al_strs_add(out, n->items[i]->scalar))
			return -ENOMEM;
	}
	return 0;
}

static int identity(const struct ofd_ynode *n, struct ofd_al_identity *id, char *err,
		    size_t err_len)
{
	const char *allowed[OFD_AL_FIELDS + 2] = { "kind" }, *kind;
	const struct ofd_ynode *kn;
	unsigned int i;
	int k, e;

	if (!n || n->type != OFD_Y_MAP)
		return ofd_yerr(err, err_len, n, "identity: expected a map");
	kn = ofd_ymap_get(n, "kind");
	if (!kn)
		return ofd_yerr(err, err_len, n, "identity: missing kind");
	e = ofd_y_str(kn, "kind", &kind, err, err_len);
	if (e)
		return e;
	k = ofd_al_kind_from_name(kind);
	if (k < 0)
		return ofd_yerr(err, err_len, kn, "identity: unknown kind '%.32s'", kind);
	id->kind = (enum ofd_al_kind)k;
	for (i = 0; ofd_al_kind_field(id->kind, i); i++)
		allowed[i + 1] = ofd_al_kind_field(id->kind, i);
	e = ofd_y_check_keys(n, "identity", allowed, err, err_len);
	for (i = 0; !e && ofd_al_kind_field(id->kind, i); i++)
		e = str(n, ofd_al_kind_field(id->kind, i), id->f[i], sizeof(id->f[i]), err,
			err_len);
	return e;
}

static int evidence(const struct ofd_ynode *n, struct ofd_al_evidence *ev, char *err,
		    size_t err_len)
{
	static const char *const keys[] = { "runs", "reference", "selfcheck", "corpus_sha256",
		"corpus_frames", "verdicts", "fuzz_execs", NULL };
	const struct ofd_ynode *vn;
	int e, v;

	if (!n || n->type != OFD_Y_MAP)
		return ofd_yerr(err, err_len, n, "evidence: expected a map");
	e = ofd_y_check_keys(n, "evidence", keys, err, err_len);
	e = e ?: strs(n, "runs", &ev->runs, err, err_len);
	e = e ?: strs(n, "reference", &ev->reference, err, err_len);
	e = e ?: strs(n, "selfcheck", &ev->selfcheck, err, err_len);
	e = e ?: strs(n, "corpus_sha256", &ev->corpus, err, err_len);
	e = e ?: u64_key(n, "corpus_frames", &ev->frames, err, err_len);
	if (e)
		return e;
	vn = ofd_ymap_get(n, "verdicts");
	if (!vn || vn->type != OFD_Y_MAP)
		return ofd_yerr(err, err_len, vn ? vn : n, "verdicts: expected a map");
	for (v = 0; v < OFD_V__MAX && !e; v++)
		e = u64_key(vn, ofd_verdict_name(v), &ev->verdicts[v], err, err_len);
	if (!e && ofd_ymap_get(n, "fuzz_execs")) {
		ev->fuzz_known = true;
		e = u64(ofd_ymap_get(n, "fuzz_execs"), "fuzz_execs", &ev->fuzz_execs, err, err_len);
	}
	return e;
}

static int entry(const struct ofd_ynode *n, struct ofd_al_entry *en, char *err,
		 size_t err_len)
{
	static const char *const keys[] = { "identity", "offload", "kernel", "decision",
		"classes", "reason", "evidence", NULL };
	const struct ofd_ynode *d;
	int e;

	if (n->type != OFD_Y_MAP)
		return ofd_yerr(err, err_len, n, "entry: expected a map");
	e = ofd_y_check_keys(n, "entry", keys, err, err_len);
	if (!e && !ofd_ymap_get(n, "identity"))
		e = ofd_yerr(err, err_len, n, "missing key 'identity'");
	e = e ?: identity(ofd_ymap_get(n, "identity"), &en->id, err, err_len);
	e = e ?: str(n, "offload", en->offload, sizeof(en->offload), err, err_len);
	if (!e && ofd_offload_from_name(en->offload) < 0)
		return ofd_yerr(err, err_len, ofd_ymap_get(n, "offload"),
				"offload: unknown offload '%.24s'", en->offload);
	e = e ?: str(n, "kernel", en->kernel, sizeof(en->kernel), err, err_len);
	if (e)
		return e;
	d = ofd_ymap_get(n, "decision");
	if (!d || d->type != OFD_Y_SCALAR ||
	    (strcmp(d->scalar, "permit") && strcmp(d->scalar, "deny")))
		return ofd_yerr(err, err_len, d ? d : n, "decision: expected permit or deny");
	en->permit = !strcmp(d->scalar, "permit");
	if (!en->permit) {
		e = strs(n, "classes", &en->classes, err, err_len);
		e = e ?: str(n, "reason", en->reason, sizeof(en->reason), err, err_len);
	}
	if (!e && !ofd_ymap_get(n, "evidence"))
		e = ofd_yerr(err, err_len, n, "missing key 'evidence'");
	return e ?: evidence(ofd_ymap_get(n, "evidence"), &en->ev, err, err_len);
}

static int sig_map(const struct ofd_ynode *n, struct ofd_al_sig *sig, char *err,
		   size_t err_len)
{
	static const char *const keys[] = { "algorithm", "key_sha256", "value", NULL };
	char alg[16];
	int e;

	if (!n || n->type != OFD_Y_MAP)
		return ofd_yerr(err, err_len, n, "signature: expected a map");
	e = ofd_y_check_keys(n, "signature", keys, err, err_len);
	e = e ?: str(n, "algorithm", alg, sizeof(alg), err, err_len);
	if (!e && strcmp(alg, "ed25519"))
		return ofd_yerr(err, err_len, ofd_ymap_get(n, "algorithm"),
				"signature: algorithm '%s' is not ed25519", alg);
	e = e ?: str(n, "key_sha256", sig->key_sha256, sizeof(sig->key_sha256), err, err_len);
	return e ?: str(n, "value", sig->value, sizeof(sig->value), err, err_len);
}

int ofd_al_load(const char *name, const char *buf, size_t len, struct ofd_al_list *l,
		struct ofd_al_sig *sig, bool *has_sig, char *err, size_t err_len)
{
	static const char *const keys[] = { "offdiff_allowlist", "version", "issued", "expires",
		"policy_sha256", "entries", "signature", NULL };
	struct ofd_ynode *root = NULL;
	const struct ofd_ynode *es;
	uint64_t fmt = 0;
	time_t t;
	size_t i;
	int e;

	memset(l, 0, sizeof(*l));
	*has_sig = false;
	e = ofd_yaml_load_string(name, buf, len, &root, err, err_len);
	if (e)
		return e;
	if (root->type != OFD_Y_MAP) {
		e = ofd_yerr(err, err_len, root, "not an allow-list (expected a map)");
		goto out;
	}
	e = ofd_y_check_keys(root, "allow-list", keys, err, err_len);
	e = e ?: u64_key(root, "offdiff_allowlist", &fmt, err, err_len);
	if (!e && fmt != OFD_AL_FORMAT)
		e = ofd_yerr(err, err_len, ofd_ymap_get(root, "offdiff_allowlist"),
			     "offdiff_allowlist: format %llu, this offdiff reads %d",
			     (unsigned long long)fmt, OFD_AL_FORMAT);
	e = e ?: u64_key(root, "version", &l->version, err, err_len);
	e = e ?: str(root, "issued", l->issued, sizeof(l->issued), err, err_len);
	e = e ?: str(root, "expires", l->expires, sizeof(l->expires), err, err_len);
	if (!e && ofd_al_time_parse(l->expires, &t))
		e = ofd_yerr(err, err_len, ofd_ymap_get(root, "expires"),
			     "expires: expected YYYY-MM-DDTHH:MM:SSZ");
	e = e ?: str(root, "policy_sha256", l->policy_sha256, sizeof(l->policy_sha256), err,
		     err_len);
	if (e)
		goto out;
	es = ofd_ymap_get(root, "entries");
	if (!es || es->type != OFD_Y_SEQ) {
		e = ofd_yerr(err, err_len, es ? es : root, "entries: expected a list");
		goto out;
	}
	l->e = calloc(es->n ? es->n : 1, sizeof(*l->e));
	if (!l->e) {
		e = -ENOMEM;
		goto out;
	}
	for (i = 0; i < es->n && !e; i++, l->n++)
		e = entry(es->items[i], &l->e[i], err, err_len);
	if (!e && ofd_ymap_get(root, "signature")) {
		*has_sig = true;
		e = sig_map(ofd_ymap_get(root, "signature"), sig, err, err_len);
	}
out:
	ofd_yaml_free(root);
	if (e)
		ofd_al_list_free(l);
	return e;
}

int ofd_al_load_sig(const char *name, const char *buf, size_t len, struct ofd_al_sig *sig,
		    char *err, size_t err_len)
{
	struct ofd_ynode *root = NULL;
	int e = ofd_yaml_load_string(name, buf, len, &root, err, err_len);

	if (e)
		return e;
	e = sig_map(root, sig, err, err_len);
	ofd_yaml_free(root);
	return e;
}
