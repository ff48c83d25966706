// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * spec_paths.c - where the paths a spec names point: relative to the spec
 * file's directory, tidied so reports show "corpus/x.pcap" rather than
 * "specs/../corpus/x.pcap", with the directory the run started in as the
 * fallback older specs expect.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ofd.h"
#include "spec_internal.h"

static char *join(const char *dir, const char *p)
{
	char *out;

	/* Keep "corpus/x.pcap" rather than "./corpus/x.pcap" in reports. */
	if (!strcmp(dir, "."))
		return strdup(p);
	if (asprintf(&out, "%s/%s", dir, p) < 0)
		return NULL;
	return out;
}

static bool same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

/*
 * dir/p, where each leading "../" of p takes a name off the end of dir, so
 * "specs" and "../corpus/x.pcap" give "corpus/x.pcap" as reports show it.
 * Only when both name the same file: through a symlinked directory ".." is
 * the link target's parent, and the path stays as joined.
 */
char *ofdint_spec_path_join(const char *dir, const char *p)
{
	char *raw = join(dir, p), *d = strdup(dir), *tidy = NULL;
	const char *q = p;

	if (!raw || !d)
		goto out;
	while (!strncmp(q, "../", 3)) {
		char *slash = strrchr(d, '/');
		const char *last = slash ? slash + 1 : d;

		if (slash == d || !strcmp(last, ".") || !strcmp(last, "..") || !last[0])
			break;
		if (slash)
			*slash = '\0';
		else
			strcpy(d, ".");
		q += 3;
	}
	if (q == p)
		goto out;
	tidy = join(d, q);
	if (tidy && same_file(raw, tidy)) {
		free(raw);
		raw = tidy;
		tidy = NULL;
	}
out:
	free(tidy);
	free(d);
	return raw;
}

static bool path_exists(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0;
}

/* " (relative to specs/)" for a relative path that was not found. */
const char *ofdint_spec_not_found_hint(struct spec_ctx *c, const char *p)
{
	if (p[0] == '/')
		return "";
	snprintf(c->hint, sizeof(c->hint), " (relative to %s/)", c->dir);
	return c->hint;
}

/*
 * Resolve a path named in the spec. An absolute path is taken as is; a
 * relative one is relative to the spec file's directory, so a campaign
 * finds its files from any working directory (the bundled one names
 * "../corpus/tx-csum/base.pcap"). Specs written before that rule named
 * paths relative to the directory offdiff ran in: when the spec's
 * directory has no such file, that directory (c->cwd) is tried last.
 * *out is NULL (and 0 returned) when none exists.
 */
int ofdint_spec_resolve_path(const char *p, char **out, struct spec_ctx *c)
{
	const char *bases[] = { c->dir, c->cwd };
	size_t i;

	*out = NULL;
	if (p[0] == '/') {
		if (!path_exists(p))
			return 0;
		*out = strdup(p);
		return *out ? 0 : -ENOMEM;
	}
	for (i = 0; i < OFD_ARRAY_SIZE(bases); i++) {
		char *q = ofdint_spec_path_join(bases[i], p);

		if (!q)
			return -ENOMEM;
		if (path_exists(q)) {
			*out = q;
			return 0;
		}
		free(q);
	}
	return 0;
}
