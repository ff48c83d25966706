// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * matrix.c - `offdiff report matrix RUN_DIR...`: the compliance matrix,
 * device x offload x kernel with pass/benign/critical/skipped cases
 * (harness/allowlist/matrix.c computes it), printed as markdown and
 * written as PREFIX.md and PREFIX.json; -j prints the JSON instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist_internal.h"
#include "ofd_cli.h"

struct matrix_opts {
	const char *out;
};

const struct ofd_opt ofd_cli_matrix_opts[] = {
	OFD_OPT('o', "out", OFD_OPT_STR, struct matrix_opts, out, "PREFIX",
		"write PREFIX.md and PREFIX.json (default compliance-matrix)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int write_file(const char *prefix, const char *ext, const char *text)
{
	char path[4200];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s.%s", prefix, ext);
	f = fopen(path, "w");
	if (!f) {
		ofd_cli_err("%s: %s", path, strerror(errno));
		return -errno;
	}
	ok = fputs(text, f) >= 0;
	ok &= fclose(f) == 0;
	if (!ok) {
		ofd_cli_err("%s: %s", path, strerror(errno ? errno : EIO));
		return -EIO;
	}
	return 0;
}

int ofd_cli_report_matrix(int argc, char **argv)
{
	struct matrix_opts o = { .out = "compliance-matrix" };
	char err[1024], *md = NULL, *js;
	json_t *j = NULL;
	int e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (ofd_al_matrix(argv + 1, (size_t)argc - 1, &j, &md, err, sizeof(err))) {
		ofd_cli_err("report matrix: %s", err);
		return OFD_EXIT_USAGE;
	}
	js = json_dumps(j, JSON_INDENT(2) | JSON_SORT_KEYS);
	e = js ? write_file(o.out, "json", js) : -ENOMEM;
	if (!e)
		e = write_file(o.out, "md", md);
	free(js);
	if (ofd_g.json)
		ofd_cli_json_print(json_incref(j));
	else
		fputs(md, stdout);
	json_decref(j);
	free(md);
	return e ? OFD_EXIT_WRITE : OFD_EXIT_EQUAL;
}
