/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * robust_test_util.h - what check_robust.c and check_resume_inputs.c
 * share: a scratch directory, a stopped run to resume, and the shape of
 * an offdiff error (one line, "offdiff: ").
 */
#ifndef OFD_ROBUST_TEST_UTIL_H
#define OFD_ROBUST_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "ofd_test.h"

#define rrun(text, ...) ofd_test_run(text, true, __VA_ARGS__)

/* text is exactly one "offdiff: " line holding want. */
static inline void robust_one_line(const char *text, const char *want)
{
	ck_assert_msg(!strncmp(text, "offdiff: ", 9), "not an offdiff error: %s", text);
	ck_assert_msg(strchr(text, '\n') == text + strlen(text) - 1, "more than one line: %s",
		      text);
	ck_assert_msg(strstr(text, want), "'%s' not in: %s", want, text);
}

/* "report: DIR/" of a -q run, into dir (no trailing slash). */
static inline void robust_report_dir(const char *text, char *dir, size_t len)
{
	const char *r = strstr(text, "report: ");
	size_t n;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	r += 8;
	n = strcspn(r, " \n");
	ck_assert(n > 0 && n < len);
	memcpy(dir, r, n);
	dir[n] = '\0';
	if (dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
}

/* Run spec into root, stopped after n cases; its directory in dir. */
static inline void robust_stopped_run(const char *spec, const char *root, unsigned int n,
				      char *dir, size_t len)
{
	char *text;
	int rc = rrun(&text, "%s run %s --out %s -q --stop-after %u", ofd_test_offdiff(), spec,
		      root, n);

	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	robust_report_dir(text, dir, len);
	free(text);
}

/* Per target label, its verdict counts, from a summary.json. */
static inline json_t *robust_verdicts(const char *dir)
{
	char p[600];
	json_error_t je;
	json_t *s, *t, *out = json_object();
	size_t i;

	snprintf(p, sizeof(p), "%s/summary.json", dir);
	s = json_load_file(p, 0, &je);
	ck_assert_msg(s != NULL, "%s: %s", p, je.text);
	json_array_foreach(json_object_get(s, "targets"), i, t)
		json_object_set(out, json_string_value(json_object_get(t, "label")),
				json_object_get(t, "verdicts"));
	ck_assert_str_eq(json_string_value(json_object_get(s, "complete")), "complete");
	json_decref(s);
	return out;
}

#endif
