// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * list.c - the list in memory: sorted string sets, the canonical entry
 * order, times in the list's one form (UTC, ISO 8601, "Z").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "allowlist_internal.h"

int ofd_al_strs_add(struct ofd_al_strs *s, const char *str)
{
	size_t lo = 0, hi = s->n;
	char **v, *d;

	/* Sorted and unique as it grows: the emitted order is canonical
	 * whatever order the reports were given in. */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(s->v[mid], str);

		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	v = realloc(s->v, (s->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	s->v = v;
	d = strdup(str);
	if (!d)
		return -ENOMEM;
	memmove(v + lo + 1, v + lo, (s->n - lo) * sizeof(*v));
	v[lo] = d;
	s->n++;
	return 0;
}

void ofd_al_strs_free(struct ofd_al_strs *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

void ofd_al_list_free(struct ofd_al_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct ofd_al_entry *e = &l->e[i];

		ofd_al_strs_free(&e->classes);
		ofd_al_strs_free(&e->ev.runs);
		ofd_al_strs_free(&e->ev.corpus);
		ofd_al_strs_free(&e->ev.reference);
		ofd_al_strs_free(&e->ev.selfcheck);
	}
	free(l->e);
	memset(l, 0, sizeof(*l));
}

static int entry_cmp(const void *pa, const void *pb)
{
	const struct ofd_al_entry *a = pa, *b = pb;
	char sa[1024], sb[1024];
	int c;

	/* By the text form, which is what a person reads the list by. */
	ofd_al_identity_str(&a->id, sa, sizeof(sa));
	ofd_al_identity_str(&b->id, sb, sizeof(sb));
	if ((c = strcmp(sa, sb)))
		return c;
	if ((c = strcmp(a->offload, b->offload)))
		return c;
	return strcmp(a->kernel, b->kernel);
}

void ofd_al_list_sort(struct ofd_al_list *l)
{
	if (l->n)
		qsort(l->e, l->n, sizeof(*l->e), entry_cmp);
}

int ofd_al_time_parse(const char *s, time_t *t)
{
	struct tm tm = { 0 };
	const char *end = strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm);

	if (!end || *end)
		return -EINVAL;
	*t = timegm(&tm);
	return 0;
}

void ofd_al_time_str(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

size_t ofd_al_signed_len(const char *buf, size_t len)
{
	static const char key[] = "signature:";
	size_t i = 0;

	/* A top-level key starts a line at column 0; the emitter indents
	 * every nested one, and quotes any value that would start a line. */
	while (i < len) {
		const char *nl;

		if (len - i >= sizeof(key) - 1 && !memcmp(buf + i, key, sizeof(key) - 1))
			return i;
		nl = memchr(buf + i, '\n', len - i);
		if (!nl)
			break;
		i = (size_t)(nl - buf) + 1;
	}
	return len;
}
