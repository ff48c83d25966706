// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * datadir.c - where the bundled campaign, profiles and corpus are, so that
 * `offdiff run` with no spec works from any directory, in the source tree
 * and installed (order in ofd_spec.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ofd_spec.h"

#ifndef OFD_DATADIR
#define OFD_DATADIR "/usr/local/share/offdiff"
#endif

static bool exists(const char *dir, const char *rel)
{
	char p[PATH_MAX * 2];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return stat(p, &st) == 0;
}

/* "<dir>/<rel>", dir without its ".." (reports name the spec by it). */
static int found(const char *dir, const char *rel, char *buf, size_t len)
{
	char canon[PATH_MAX];

	if (realpath(dir, canon))
		dir = canon;
	if ((size_t)snprintf(buf, len, "%s/%s", dir, rel) >= len)
		return -ENAMETOOLONG;
	return 0;
}

int ofd_datadir_find(const char *rel, char *buf, size_t len)
{
	const char *env = getenv("OFFDIFF_DATADIR");
	char exe[PATH_MAX], dir[PATH_MAX + 32];
	ssize_t n;
	char *slash;

	snprintf(buf, len, "%s", rel);
	if (env && env[0])
		return exists(env, rel) ? found(env, rel, buf, len) : -ENOENT;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		/* build/offdiff in the tree: the tree is its parent. */
		snprintf(dir, sizeof(dir), "%s/..", exe);
		if (exists(dir, "harness/ofd.h") && exists(dir, rel))
			return found(dir, rel, buf, len);
		/* <prefix>/bin/offdiff: <prefix>/share/offdiff. */
		snprintf(dir, sizeof(dir), "%s/../share/offdiff", exe);
		if (exists(dir, rel))
			return found(dir, rel, buf, len);
	}
	if (exists(OFD_DATADIR, rel))
		return found(OFD_DATADIR, rel, buf, len);
	return -ENOENT;
}
