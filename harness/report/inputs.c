// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * inputs.c - what determines a run's cases and verdicts, recorded when it
 * starts and checked when it resumes.
 *
 * The corpus has its own digest (corpus_sha256); everything else that
 * decides which cases exist and what their verdicts are is here: the
 * resolved spec (offloads, request kinds, mask, overrides, its targets),
 * the reference, each target with the SHA-256 of its profile file's
 * content, and the offdiff version. It is a canonical form of the loaded
 * spec, not the spec file's bytes: a comment or a reordered key changes
 * nothing, a changed knob or request kind does. progress.json keeps it
 * readable ("inputs") with its digest ("inputs_sha256"), so a refused
 * resume can say what changed instead of mixing results of two campaigns.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "ofd_safe_open.h"
#include "ofd_spec.h"
#include "report_internal.h"

static void sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	hex[0] = '\0';
	if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
		return;
	for (i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

/* The profile's bytes: a knob changed in place changes the verdicts. */
static int profile_sha256(const char *path, char hex[65], char *err, size_t err_len)
{
	EVP_MD_CTX *ctx;
	unsigned char md[EVP_MAX_MD_SIZE], buf[8192];
	unsigned int n = 0, i;
	size_t got;
	FILE *f;
	int ok;

	if (ofd_fopen_regular(path, OFD_MAX_YAML, &f, err, err_len))
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	while (ok && (got = fread(buf, 1, sizeof(buf), f)) > 0)
		ok = EVP_DigestUpdate(ctx, buf, got);
	ok = ok && !ferror(f) && EVP_DigestFinal_ex(ctx, md, &n);
	EVP_MD_CTX_free(ctx);
	fclose(f);
	if (!ok) {
		snprintf(err, err_len, "%s: cannot read it", path);
		return -EIO;
	}
	for (i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

static json_t *bits_json(unsigned int bits, unsigned int max, const char *(*name)(int))
{
	json_t *a = json_array();
	unsigned int i;

	for (i = 0; i < max; i++)
		if (bits & (1u << i))
			json_array_append_new(a, json_string(name((int)i)));
	return a;
}

static const char *offload_name(int i)
{
	return ofd_offload_name((enum ofd_offload)i);
}

static const char *request_name(int i)
{
	return i == OFD_REQ_LEGACY ? "legacy" : "vnet";
}

static json_t *overrides_json(const struct ofd_spec *s)
{
	static const struct { uint32_t bit; const char *name; } fields[] = {
		{ OFD_OVR_CSUM_START, "csum_start" }, { OFD_OVR_CSUM_OFFSET, "csum_offset" },
		{ OFD_OVR_FLAGS, "flags" }, { OFD_OVR_GSO_TYPE, "gso_type" },
		{ OFD_OVR_GSO_SIZE, "gso_size" }, { OFD_OVR_HDR_LEN, "hdr_len" },
	};
	json_t *a = json_array();
	size_t i, k;

	for (i = 0; i < s->noverrides; i++) {
		const struct ofd_spec_override *o = &s->overrides[i];
		const uint32_t v[] = { o->vnet.csum_start, o->vnet.csum_offset, o->vnet.flags,
				       o->vnet.gso_type, o->vnet.gso_size, o->vnet.hdr_len };
		json_t *j = json_pack("{s:s, s:I, s:s}", "file", o->file ? o->file : "",
				      "packet", (json_int_t)o->packet, "kind",
				      o->kind < 0 ? "any" : request_name(o->kind));

		for (k = 0; j && k < OFD_ARRAY_SIZE(fields); k++)
			if (o->set & fields[k].bit)
				json_object_set_new(j, fields[k].name, json_integer(v[k]));
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *inputs_json(const struct ofd_spec *s, const char *reference,
			   const struct ofd_runner_target *t, size_t nt, char *err,
			   size_t err_len)
{
	json_t *j = json_object(), *mask = json_array(), *st = json_array();
	json_t *targets = json_array();
	size_t i;

	json_object_set_new(j, "version", json_string(OFD_VERSION));
	json_object_set_new(j, "reference", json_string(reference ? reference : ""));
	json_object_set_new(j, "offloads", bits_json(s->offloads, OFD_OFFLOAD__MAX, offload_name));
	json_object_set_new(j, "requests", bits_json(s->requests, 2, request_name));
	for (i = 0; i < s->nmask; i++)
		json_array_append_new(mask, json_string(s->mask[i]));
	json_object_set_new(j, "mask", mask);
	json_object_set_new(j, "overrides", overrides_json(s));
	if (s->ngso_sizes) {
		/* Only when set: the inputs of a spec without it are as before. */
		json_t *g = json_array();

		for (i = 0; i < s->ngso_sizes; i++)
			json_array_append_new(g, s->gso_sizes[i] == OFD_SPEC_GSO_PAYLOAD ?
					      json_string("payload") :
					      s->gso_sizes[i] == OFD_SPEC_GSO_PAYLOAD_PLUS1 ?
					      json_string("payload+1") :
					      json_integer(s->gso_sizes[i]));
		json_object_set_new(j, "gso_sizes", g);
	}
	{
		/* Which corpus files feed which offloads decides the cases:
		 * recorded only when a spec scopes one, as gso_sizes, by the
		 * files' order (a resumed run may see them under other paths). */
		json_t *scoped = json_array();
		bool any = false;

		for (i = 0; i < s->ncorpus; i++) {
			unsigned int bits = s->corpus_offloads ? s->corpus_offloads[i] : 0;

			any |= bits != 0;
			json_array_append_new(scoped, bits ? bits_json(bits, OFD_OFFLOAD__MAX,
								       offload_name) :
						      json_string("all"));
		}
		if (any)
			json_object_set_new(j, "corpus_offloads", scoped);
		else
			json_decref(scoped);
	}
	for (i = 0; i < s->ntargets; i++)
		json_array_append_new(st, json_pack("{s:s, s:s?}", "engine", s->targets[i].engine,
						    "profile", s->targets[i].profile));
	json_object_set_new(j, "spec_targets", st);
	json_object_set_new(j, "targets", targets);
	for (i = 0; i < nt; i++) {
		char hex[65] = "";

		if (t[i].profile_path && profile_sha256(t[i].profile_path, hex, err, err_len)) {
			json_decref(j);
			return NULL;
		}
		json_array_append_new(targets, json_pack("{s:s, s:s?}", "label", t[i].label,
							 "profile_sha256", hex[0] ? hex : NULL));
	}
	return j;
}

static void inputs_digest(json_t *inputs, char hex[65])
{
	char *s = json_dumps(inputs, JSON_COMPACT | JSON_SORT_KEYS);

	hex[0] = '\0';
	if (s)
		sha256_hex(s, strlen(s), hex);
	free(s);
}

/* What differs between the recorded inputs and now, for the refusal. */
static void name_change(json_t *was, json_t *now, char *what, size_t len)
{
	static const struct { const char *key, *what; } parts[] = {
		{ "version", "the offdiff version" }, { "reference", "the reference" },
		{ "offloads", "the spec's offloads" }, { "requests", "the spec's requests" },
		{ "mask", "the spec's mask" }, { "overrides", "the spec's overrides" },
		{ "spec_targets", "the spec's targets" }, { "gso_sizes", "the spec's gso_sizes" },
		{ "corpus_offloads", "which offloads the spec's corpus files feed" },
	};
	json_t *wt = json_object_get(was, "targets"), *nt = json_object_get(now, "targets");
	size_t i;

	for (i = 0; i < OFD_ARRAY_SIZE(parts); i++) {
		json_t *a = json_object_get(was, parts[i].key);
		json_t *b = json_object_get(now, parts[i].key);

		/* gso_sizes is absent from a spec without it */
		if ((a || b) && !json_equal(a, b)) {
			snprintf(what, len, "%s", parts[i].what);
			return;
		}
	}
	for (i = 0; i < json_array_size(nt) && i < json_array_size(wt); i++) {
		json_t *a = json_array_get(wt, i), *b = json_array_get(nt, i);

		if (json_equal(json_object_get(a, "label"), json_object_get(b, "label")) &&
		    !json_equal(a, b)) {
			snprintf(what, len, "target %.64s's profile",
				 json_string_value(json_object_get(b, "label")) ?: "?");
			return;
		}
	}
	snprintf(what, len, "the targets");
}

int ofd_report__set_inputs(struct ofd_report *r, const struct ofd_spec *spec,
			   const char *reference, const struct ofd_runner_target *t,
			   size_t nt, char *err, size_t err_len)
{
	json_t *now = inputs_json(spec, reference, t, nt, err, err_len), *was;
	const char *was_hex;
	char hex[65], what[128];

	if (!now)
		return -EINVAL;
	json_decref(r->inputs);
	r->inputs = now;
	if (!r->resume_progress)
		return 0;
	was = json_object_get(r->resume_progress, "inputs");
	was_hex = json_string_value(json_object_get(r->resume_progress, "inputs_sha256"));
	if (!json_is_object(was) || !was_hex) {
		snprintf(err, err_len, "%s/progress.json: corrupt checkpoint: no inputs and inputs_sha256 (what the run started with)",
			 r->dir);
		return -EINVAL;
	}
	/* The readable part must be what the digest was taken of. */
	inputs_digest(was, hex);
	if (strcmp(hex, was_hex)) {
		snprintf(err, err_len, "%s/progress.json: corrupt checkpoint: inputs do not match inputs_sha256",
			 r->dir);
		return -EINVAL;
	}
	inputs_digest(now, hex);
	if (strcmp(hex, was_hex)) {
		name_change(was, now, what, sizeof(what));
		snprintf(err, err_len, "cannot resume %s: %s changed since the run started",
			 r->dir, what);
		return -EINVAL;
	}
	return 0;
}

void ofdint_report_inputs_json(struct ofd_report *r, json_t *progress)
{
	char hex[65];

	inputs_digest(r->inputs, hex);
	json_object_set(progress, "inputs", r->inputs);
	json_object_set_new(progress, "inputs_sha256", json_string(hex));
}
