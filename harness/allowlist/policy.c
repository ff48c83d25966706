// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * policy.c - what evidence a permit needs (specs/allowlist-policy.yaml,
 * every key in docs/allowlist.md). Every key is required: a policy that
 * forgot one would otherwise permit on a default nobody chose.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist_internal.h"
#include "ofd_safe_open.h"
#include "ofd_yaml.h"

static int num(const struct ofd_ynode *root, const char *key, uint64_t *v, char *err,
	       size_t err_len)
{
	const struct ofd_ynode *n = ofd_ymap_get(root, key);
	uint32_t x;
	int e;

	if (!n)
		return ofd_yerr(err, err_len, root, "missing key '%s'", key);
	e = ofd_y_u32(n, key, UINT32_MAX, &x, err, err_len);
	*v = x;
	return e;
}

static int list(const struct ofd_ynode *root, const char *key, struct ofd_al_strs *s,
		char *err, size_t err_len)
{
	const struct ofd_ynode *n = ofd_ymap_get(root, key);
	size_t i;

	if (!n)
		return ofd_yerr(err, err_len, root, "missing key '%s'", key);
	if (n->type != OFD_Y_SEQ)
		return ofd_yerr(err, err_len, n, "%s: expected a list", key);
	for (i = 0; i < n->n; i++) {
		if (n->items[i]->type != OFD_Y_SCALAR)
			return ofd_yerr(err, err_len, n->items[i], "%s: expected a string", key);
		if (ofd_al_strs_add(s, n->items[i]->scalar))
			return -ENOMEM;
	}
	return 0;
}

int ofd_al_policy_load(const char *path, struct ofd_al_policy *p, char *err, size_t err_len)
{
	static const char *const keys[] = { "offdiff_allowlist_policy", "min_cases",
		"min_corpus_frames", "corpus_sha256", "min_fuzz_execs", "expiry_days",
		"references", "model_selfcheck", "min_cases_by_offload", NULL };
	struct ofd_ynode *root = NULL;
	struct ofd_al_strs refs = { 0 };
	uint64_t fmt = 0;
	char *buf = NULL;
	size_t len = 0, i;
	int e, b = 0;

	memset(p, 0, sizeof(*p));
	e = ofd_read_regular(path, OFD_MAX_YAML, &buf, &len, err, err_len);
	if (e)
		return e;
	ofd_al_sha256_hex(buf, len, p->sha256);
	e = ofd_yaml_load_string(path, buf, len, &root, err, err_len);
	free(buf);
	if (e)
		return e;
	if (root->type != OFD_Y_MAP) {
		e = ofd_yerr(err, err_len, root, "not an allow-list policy (expected a map)");
		goto out;
	}
	e = ofd_y_check_keys(root, "policy", keys, err, err_len);
	e = e ?: num(root, "offdiff_allowlist_policy", &fmt, err, err_len);
	if (!e && fmt != 1)
		e = ofd_yerr(err, err_len, ofd_ymap_get(root, "offdiff_allowlist_policy"),
			     "offdiff_allowlist_policy: format %llu, this offdiff reads 1",
			     (unsigned long long)fmt);
	e = e ?: num(root, "min_cases", &p->min_cases, err, err_len);
	if (!e && ofd_ymap_get(root, "min_cases_by_offload")) {
		const struct ofd_ynode *m = ofd_ymap_get(root, "min_cases_by_offload");

		if (m->type != OFD_Y_MAP)
			e = ofd_yerr(err, err_len, m, "min_cases_by_offload: expected a map of "
				     "offload: cases");
		for (i = 0; !e && i < m->n; i++) {
			const char *key = m->keys[i];
			int off = ofd_offload_from_name(key);

			if (p->nmin_off == OFD_ARRAY_SIZE(p->min_off) || off < 0)
				e = ofd_yerr(err, err_len, m->items[i],
					     "min_cases_by_offload: '%.24s' is not an offload", key);
			else if (!(e = num(m, key, &p->min_off_cases[p->nmin_off], err, err_len)))
				snprintf(p->min_off[p->nmin_off++], sizeof(p->min_off[0]), "%s",
					 ofd_offload_name((enum ofd_offload)off));
		}
	}
	e = e ?: num(root, "min_corpus_frames", &p->min_corpus_frames, err, err_len);
	e = e ?: list(root, "corpus_sha256", &p->corpus, err, err_len);
	e = e ?: num(root, "min_fuzz_execs", &p->min_fuzz_execs, err, err_len);
	e = e ?: num(root, "expiry_days", &p->expiry_days, err, err_len);
	if (!e && (p->expiry_days < 1 || p->expiry_days > 3650))
		e = ofd_yerr(err, err_len, ofd_ymap_get(root, "expiry_days"),
			     "expiry_days: expected 1..3650");
	e = e ?: list(root, "references", &refs, err, err_len);
	for (i = 0; !e && i < refs.n; i++) {
		if (!strcmp(refs.v[i], "kernel"))
			p->ref_kernel = true;
		else if (!strcmp(refs.v[i], "model"))
			p->ref_model = true;
		else
			e = ofd_yerr(err, err_len, ofd_ymap_get(root, "references"),
				     "references: '%.32s' is not kernel or model", refs.v[i]);
	}
	if (!e && !ofd_ymap_get(root, "model_selfcheck"))
		e = ofd_yerr(err, err_len, root, "missing key 'model_selfcheck'");
	e = e ?: ofd_y_bool(ofd_ymap_get(root, "model_selfcheck"), "model_selfcheck", &b, err,
			    err_len);
	p->model_selfcheck = b;
out:
	ofd_al_strs_free(&refs);
	ofd_yaml_free(root);
	if (e)
		ofd_al_policy_free(p);
	return e;
}

void ofd_al_policy_free(struct ofd_al_policy *p)
{
	ofd_al_strs_free(&p->corpus);
}
