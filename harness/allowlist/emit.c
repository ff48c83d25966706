// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * emit.c - the canonical bytes of an allow-list, through libyaml's
 * emitter (ofd_yaml_emit.h).
 *
 * Canonical means the same list gives the same bytes, always: entries
 * sorted (identity text, offload, kernel), keys in the fixed order below,
 * evidence lists sorted, counts as integers, no time unless the list
 * carries it. That is what is signed, so `build` twice over the same
 * reports gives a list whose signature verifies either way. The signature
 * comes last, as a top-level key: the signed bytes are everything before
 * its line (ofd_al_signed_len), so signing appends and never re-formats.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist_internal.h"
#include "ofd_yaml_emit.h"

static void strs(struct ofd_yemit *y, const char *key, const struct ofd_al_strs *s)
{
	size_t i;

	ofd_yemit_plain(y, key);
	ofd_yemit_seq(y, false);
	for (i = 0; i < s->n; i++)
		ofd_yemit_str(y, s->v[i]);
	ofd_yemit_end_seq(y);
}

static void identity(struct ofd_yemit *y, const struct ofd_al_identity *id)
{
	unsigned int i;
	const char *k;

	ofd_yemit_plain(y, "identity");
	ofd_yemit_map(y, true);
	ofd_yemit_kv_plain(y, "kind", ofd_al_kind_name(id->kind));
	for (i = 0; (k = ofd_al_kind_field(id->kind, i)); i++)
		ofd_yemit_kv_str(y, k, id->f[i]);
	ofd_yemit_end_map(y);
}

static void evidence(struct ofd_yemit *y, const struct ofd_al_evidence *ev)
{
	int v;

	ofd_yemit_plain(y, "evidence");
	ofd_yemit_map(y, false);
	strs(y, "runs", &ev->runs);
	strs(y, "reference", &ev->reference);
	strs(y, "selfcheck", &ev->selfcheck);
	strs(y, "corpus_sha256", &ev->corpus);
	ofd_yemit_kv_uint(y, "corpus_frames", ev->frames);
	ofd_yemit_plain(y, "verdicts");
	ofd_yemit_map(y, true);
	for (v = 0; v < OFD_V__MAX; v++)
		ofd_yemit_kv_uint(y, ofd_verdict_name(v), ev->verdicts[v]);
	ofd_yemit_end_map(y);
	/* Absent, not 0, when no report said: 0 would claim a fuzz run. */
	if (ev->fuzz_known)
		ofd_yemit_kv_uint(y, "fuzz_execs", ev->fuzz_execs);
	ofd_yemit_end_map(y);
}

static void entry(struct ofd_yemit *y, const struct ofd_al_entry *e)
{
	ofd_yemit_map(y, false);
	identity(y, &e->id);
	ofd_yemit_kv_plain(y, "offload", e->offload);
	ofd_yemit_kv_str(y, "kernel", e->kernel);
	ofd_yemit_kv_plain(y, "decision", e->permit ? "permit" : "deny");
	if (!e->permit) {
		strs(y, "classes", &e->classes);
		ofd_yemit_kv_str(y, "reason", e->reason);
	}
	evidence(y, &e->ev);
	ofd_yemit_end_map(y);
}

static void sig_map(struct ofd_yemit *y, const struct ofd_al_sig *sig)
{
	ofd_yemit_map(y, false);
	ofd_yemit_kv_plain(y, "algorithm", "ed25519");
	ofd_yemit_kv_str(y, "key_sha256", sig->key_sha256);
	ofd_yemit_kv_str(y, "value", sig->value);
	ofd_yemit_end_map(y);
}

/* Run emit_fn into a memory buffer. */
static int to_buf(void (*fn)(struct ofd_yemit *, const void *, const void *), const void *a,
		  const void *b, char **buf, size_t *len)
{
	struct ofd_yemit y;
	FILE *f = open_memstream(buf, len);
	int err, cerr;

	if (!f)
		return -ENOMEM;
	err = ofd_yemit_open(&y, f);
	if (!err)
		fn(&y, a, b);
	err = ofd_yemit_close(&y);
	cerr = fclose(f);
	if (err || cerr) {
		free(*buf);
		*buf = NULL;
		return err ? err : -ENOMEM;
	}
	return 0;
}

static void list_fn(struct ofd_yemit *y, const void *a, const void *b)
{
	const struct ofd_al_list *l = a;
	const struct ofd_al_sig *sig = b;
	size_t i;

	ofd_yemit_map(y, false);
	ofd_yemit_kv_uint(y, "offdiff_allowlist", OFD_AL_FORMAT);
	ofd_yemit_kv_uint(y, "version", l->version);
	ofd_yemit_kv_str(y, "issued", l->issued);
	ofd_yemit_kv_str(y, "expires", l->expires);
	ofd_yemit_kv_str(y, "policy_sha256", l->policy_sha256);
	ofd_yemit_plain(y, "entries");
	ofd_yemit_seq(y, false);
	for (i = 0; i < l->n; i++)
		entry(y, &l->e[i]);
	ofd_yemit_end_seq(y);
	if (sig) {
		ofd_yemit_plain(y, "signature");
		sig_map(y, sig);
	}
	ofd_yemit_end_map(y);
}

int ofd_al_emit(const struct ofd_al_list *l, const struct ofd_al_sig *sig, char **buf,
		size_t *len)
{
	return to_buf(list_fn, l, sig, buf, len);
}

static void sig_fn(struct ofd_yemit *y, const void *a, const void *b)
{
	sig_map(y, a);
}

int ofd_al_emit_sig(const struct ofd_al_sig *sig, char **buf, size_t *len)
{
	return to_buf(sig_fn, sig, NULL, buf, len);
}
