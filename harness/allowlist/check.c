// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check.c - the library's two public calls (ofd_allowlist.h): verify a
 * signed list, and check one device's offload against it.
 *
 * Order matters: the signature is checked over the raw bytes before the
 * YAML is parsed, so a tampered list is reported as tampered (not as
 * whatever syntax error the change made) and the parser only ever reads
 * bytes the key holder wrote. Expiry and rollback come after, because
 * they read fields of the (now trusted) list.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allowlist_internal.h"
#include "ofd_offload.h"
#include "ofd_safe_open.h"

int ofd_al_verify_load(const char *list, const char *pub, const char *sig_path,
		       const char *state, time_t now, struct ofd_al_list *l, char *why,
		       size_t why_len)
{
	struct ofd_al_sig sig, emb;
	char *buf = NULL, *sbuf = NULL, err[512];
	size_t len = 0, slen = 0, signed_len;
	bool has_sig = false;
	uint64_t seen = 0;
	time_t exp;
	int rc;

	memset(l, 0, sizeof(*l));
	if (ofd_read_regular(list, OFD_MAX_YAML, &buf, &len, why, why_len))
		return OFD_AL_ERROR;
	signed_len = ofd_al_signed_len(buf, len);
	if (sig_path) {
		if (ofd_read_regular(sig_path, OFD_MAX_YAML, &sbuf, &slen, why, why_len) ||
		    ofd_al_load_sig(sig_path, sbuf, slen, &sig, why, why_len)) {
			rc = OFD_AL_ERROR;
			goto out;
		}
	} else if (signed_len == len) {
		snprintf(why, why_len, "%s: unsigned (no signature; sign it with offdiff "
			 "allowlist sign, or give the detached one with --sig)", list);
		rc = OFD_AL_UNSIGNED;
		goto out;
	}
	if (!sig_path) {
		/* The embedded signature, read on its own: the list above it
		 * is not trusted yet. */
		if (ofd_al_load_sig(list, buf + signed_len + strlen("signature:"),
				    len - signed_len - strlen("signature:"), &sig, err,
				    sizeof(err))) {
			snprintf(why, why_len, "%s: malformed signature: %s", list, err);
			rc = OFD_AL_BAD_SIG;
			goto out;
		}
	}
	rc = ofd_al_sig_verify(pub, buf, signed_len, &sig, err, sizeof(err));
	if (rc) {
		snprintf(why, why_len, "%s: %s", list, err);
		goto out;
	}
	if (ofd_al_load(list, buf, len, l, &emb, &has_sig, why, why_len)) {
		rc = OFD_AL_ERROR;
		goto out;
	}
	ofd_al_time_parse(l->expires, &exp);
	if (!now)
		now = time(NULL);
	if (now >= exp) {
		snprintf(why, why_len, "%s: expired on %s (version %llu)", list, l->expires,
			 (unsigned long long)l->version);
		rc = OFD_AL_EXPIRED;
		goto out;
	}
	if (state) {
		if (ofd_al_state_read(state, &seen, why, why_len)) {
			rc = OFD_AL_ERROR;
			goto out;
		}
		if (l->version < seen) {
			snprintf(why, why_len, "%s: version %llu is older than version %llu already "
				 "seen (%s): rollback refused", list, (unsigned long long)l->version,
				 (unsigned long long)seen, state);
			rc = OFD_AL_ROLLBACK;
			goto out;
		}
		if (l->version > seen && ofd_al_state_write(state, l->version, why, why_len)) {
			rc = OFD_AL_ERROR;
			goto out;
		}
	}
	snprintf(why, why_len, "%s: good signature, version %llu, %zu entries, expires %s", list,
		 (unsigned long long)l->version, l->n, l->expires);
	rc = OFD_AL_PERMIT;
out:
	if (rc != OFD_AL_PERMIT)
		ofd_al_list_free(l);
	free(buf);
	free(sbuf);
	return rc;
}

int ofd_allowlist_verify(const char *list, const char *pub, const char *sig,
			 const char *state, time_t now, char *why, size_t why_len)
{
	struct ofd_al_list l;
	int rc = ofd_al_verify_load(list, pub, sig, state, now, &l, why, why_len);

	ofd_al_list_free(&l);
	return rc;
}

/* The entry for id and offload that covers the kernel. A deny among the
 * matching entries wins (a series' model found a bug, or one release's
 * kernel did: either refutes the permit); otherwise the most specific
 * permit, for the message. */
static const struct ofd_al_entry *lookup(const struct ofd_al_list *l,
					 const struct ofd_al_identity *id, const char *off,
					 const char *kernel)
{
	const struct ofd_al_entry *best = NULL;
	size_t i;

	for (i = 0; i < l->n; i++) {
		const struct ofd_al_entry *e = &l->e[i];

		if (ofd_al_identity_cmp(&e->id, id) || strcmp(e->offload, off))
			continue;
		if (kernel && !ofd_al_kernel_match(e->kernel, kernel))
			continue;
		if (!best || (best->permit && !e->permit) ||
		    (best->permit == e->permit && strlen(e->kernel) > strlen(best->kernel)))
			best = e;
	}
	return best;
}

static int decide(const struct ofd_al_list *l, const struct ofd_al_identity *id,
		  const char *off, const char *kernel, char *why, size_t why_len)
{
	const struct ofd_al_entry *e = lookup(l, id, off, kernel);
	char ids[600];

	ofd_al_identity_str(id, ids, sizeof(ids));
	if (!e) {
		snprintf(why, why_len, "deny: no entry for %s, offload %s%s%s", ids, off,
			 kernel ? ", kernel " : "", kernel ? kernel : "");
		return OFD_AL_DENY;
	}
	if (!e->permit) {
		snprintf(why, why_len, "deny: %s, offload %s, kernel %s: %s", ids, off, e->kernel,
			 e->reason);
		return OFD_AL_DENY;
	}
	snprintf(why, why_len, "permit: %s, offload %s, kernel %s: %llu cases, %zu run%s", ids,
		 off, e->kernel,
		 (unsigned long long)(e->ev.verdicts[OFD_V_EQUAL] + e->ev.verdicts[OFD_V_BOTH_REJECTED] +
				      e->ev.verdicts[OFD_V_ONE_REJECTED]),
		 e->ev.runs.n, e->ev.runs.n == 1 ? "" : "s");
	return OFD_AL_PERMIT;
}

int ofd_allowlist_check(const struct ofd_al_query *q, char *why, size_t why_len)
{
	struct ofd_al_identity id, prog;
	struct ofd_al_list l;
	const char *off;
	char err[512];
	int o, rc;

	if (!q->device && !q->program_hash) {
		snprintf(why, why_len, "no device given");
		return OFD_AL_ERROR;
	}
	if (q->device && ofd_al_identity_parse(q->device, &id, err, sizeof(err))) {
		snprintf(why, why_len, "%s", err);
		return OFD_AL_ERROR;
	}
	if (q->program_hash) {
		size_t n = strlen(q->program_hash);

		if (n != 64 || strspn(q->program_hash, "0123456789abcdef") != 64) {
			snprintf(why, why_len, "program hash '%.80s': expected 64 lowercase hex "
				 "digits (SHA-256)", q->program_hash);
			return OFD_AL_ERROR;
		}
		memset(&prog, 0, sizeof(prog));
		prog.kind = OFD_AL_PROGRAM;
		snprintf(prog.f[0], sizeof(prog.f[0]), "%s", q->program_hash);
	}
	o = q->offload ? ofd_offload_from_name(q->offload) : -1;
	if (o < 0) {
		snprintf(why, why_len, "unknown offload '%.32s'", q->offload ? q->offload : "");
		return OFD_AL_ERROR;
	}
	off = ofd_offload_name((unsigned int)o);
	rc = ofd_al_verify_load(q->list, q->pub, q->sig, q->state, q->now, &l, err, sizeof(err));
	if (rc != OFD_AL_PERMIT) {
		snprintf(why, why_len, "deny: the list does not verify: %s", err);
		return OFD_AL_DENY;
	}
	/* A device running a program is permitted when both the device and
	 * the program it runs have the evidence. */
	rc = q->device ? decide(&l, &id, off, q->kernel, why, why_len) : OFD_AL_PERMIT;
	if (rc == OFD_AL_PERMIT && q->program_hash) {
		char dev_why[512];

		snprintf(dev_why, sizeof(dev_why), "%s", q->device ? why : "");
		rc = decide(&l, &prog, off, q->kernel, why, why_len);
		if (rc == OFD_AL_PERMIT && dev_why[0])
			snprintf(why, why_len, "%s; and its program", dev_why);
	}
	ofd_al_list_free(&l);
	return rc;
}
