// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * matrix.c - the compliance matrix (`offdiff report matrix`): device x
 * offload x kernel, with the cases that passed (equal, or refused by both
 * sides), were benign (a difference the kernel tolerates: one side
 * refusing, an earlier GRO flush), critical (different bytes on the wire,
 * a target fault) or skipped, summed over the reports. A vendor reads
 * where each firmware stands; an operator reads what may be turned on.
 *
 * Rows are the allow-list's identities (identity.c), so a row and an
 * allow-list entry name a device the same way; a target with no identity
 * (the null device, a capture) is named by its label.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist_internal.h"

struct row {
	char device[600], offload[24], kernel[64];
	uint64_t pass, benign, critical, skipped;
	struct ofd_al_strs runs;
};

static int row_cmp(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	int c = strcmp(a->device, b->device);

	if (!c)
		c = strcmp(a->offload, b->offload);
	return c ? c : strcmp(a->kernel, b->kernel);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

static struct row *get_row(struct row **rows, size_t *n, const char *dev, const char *off,
			   const char *kernel)
{
	struct row *r;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*rows)[i].device, dev) && !strcmp((*rows)[i].offload, off) &&
		    !strcmp((*rows)[i].kernel, kernel))
			return &(*rows)[i];
	r = realloc(*rows, (*n + 1) * sizeof(*r));
	if (!r)
		return NULL;
	*rows = r;
	r = &r[(*n)++];
	memset(r, 0, sizeof(*r));
	snprintf(r->device, sizeof(r->device), "%s", dev);
	snprintf(r->offload, sizeof(r->offload), "%s", off);
	snprintf(r->kernel, sizeof(r->kernel), "%s", kernel);
	return r;
}

static const char *status(const struct row *r)
{
	if (r->critical)
		return "critical";
	if (!r->pass && !r->benign)
		return "not compared";
	return r->benign ? "benign" : "pass";
}

static char *markdown(const struct row *rows, size_t n)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	fprintf(f, "| device | offload | kernel | pass | benign | critical | skipped | status |\n"
		   "|---|---|---|---:|---:|---:|---:|---|\n");
	for (i = 0; i < n; i++) {
		const char *p;

		/* A '|' in a device string would end a cell. */
		fputs("| `", f);
		for (p = rows[i].device; *p; p++)
			fputs(*p == '|' ? "\\|" : (char[]){ *p, 0 }, f);
		fprintf(f, "` | %s | %s | %llu | %llu | %llu | %llu | %s |\n", rows[i].offload,
			rows[i].kernel, (unsigned long long)rows[i].pass,
			(unsigned long long)rows[i].benign, (unsigned long long)rows[i].critical,
			(unsigned long long)rows[i].skipped, status(&rows[i]));
	}
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int ofd_al_matrix(char *const *dirs, size_t ndirs, json_t **json, char **md, char *err,
		  size_t err_len)
{
	struct ofd_al_strs seen = { 0 };
	struct row *rows = NULL;
	size_t n = 0, i, k, j;
	json_t *arr, *t, *o;
	int e = 0;

	for (i = 0; i < ndirs && !e; i++) {
		json_t *sum = ofd_al_load_summary(dirs[i], err, err_len);
		char ks[64], id[256];
		size_t had = seen.n;

		if (!sum) {
			e = -EINVAL;
			break;
		}
		/* A run given twice counts once. */
		ofd_al_strs_add(&seen, ofd_al_run_id(dirs[i], id, sizeof(id)));
		if (seen.n == had) {
			json_decref(sum);
			continue;
		}
		/* A selfcheck's target is the model, judged by the kernel:
		 * evidence about the reference, not a device. */
		if (!strcmp(jstr(sum, "spec"), "selfcheck")) {
			json_decref(sum);
			continue;
		}
		ofd_al_kernel_of(jstr(json_object_get(sum, "reference"), "version"), ks, sizeof(ks));
		json_array_foreach(json_object_get(sum, "targets"), k, t) {
			struct ofd_al_identity ident;
			char dev[600], why[256];

			if (ofd_al_identity_from_target(t, &ident, why, sizeof(why)))
				snprintf(dev, sizeof(dev), "%s", jstr(t, "label"));
			else
				ofd_al_identity_str(&ident, dev, sizeof(dev));
			json_array_foreach(json_object_get(sum, "offloads"), j, o) {
				const char *off = jstr(o, "name");
				uint64_t c[OFD_V__MAX] = { 0 };
				struct row *r = get_row(&rows, &n, dev, off, ks[0] ? ks : "unknown");

				if (!r) {
					e = -ENOMEM;
					break;
				}
				ofd_al_offload_counts(sum, t, off, c);
				r->pass += c[OFD_V_EQUAL] + c[OFD_V_BOTH_REJECTED];
				r->benign += ofd_al_class_cases(t, off, "benign", NULL);
				r->critical += ofd_al_class_cases(t, off, "critical", NULL);
				r->skipped += c[OFD_V_UNSUPPORTED];
				ofd_al_strs_add(&r->runs, id);
			}
		}
		json_decref(sum);
	}
	if (!e) {
		qsort(rows, n, sizeof(*rows), row_cmp);
		*json = json_pack("{s:s, s:s, s:o}", "schema", "offdiff.matrix.v1", "version",
				  OFD_VERSION, "rows", json_array());
		arr = json_object_get(*json, "rows");
		for (i = 0; i < n; i++) {
			json_t *runs = json_array();

			for (k = 0; k < rows[i].runs.n; k++)
				json_array_append_new(runs, json_string(rows[i].runs.v[k]));
			json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:o}",
				"device", rows[i].device, "offload", rows[i].offload,
				"kernel", rows[i].kernel, "pass", (json_int_t)rows[i].pass,
				"benign", (json_int_t)rows[i].benign,
				"critical", (json_int_t)rows[i].critical,
				"skipped", (json_int_t)rows[i].skipped, "status", status(&rows[i]),
				"runs", runs));
		}
		*md = markdown(rows, n);
		if (!*md) {
			json_decref(*json);
			e = -ENOMEM;
		}
	}
	for (i = 0; i < n; i++)
		ofd_al_strs_free(&rows[i].runs);
	free(rows);
	ofd_al_strs_free(&seen);
	if (e == -ENOMEM)
		snprintf(err, err_len, "%s", strerror(ENOMEM));
	return e;
}
