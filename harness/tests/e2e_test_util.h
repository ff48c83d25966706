/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * e2e_test_util.h - what the end-to-end suites share: a scratch directory
 * per test, running the binary, reading a run's summary.json.
 */
#ifndef OFD_E2E_TEST_UTIL_H
#define OFD_E2E_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "ofd_test.h"

static char out[64];

#define run(text, ...) ofd_test_run(text, true, __VA_ARGS__)

static inline void setup(void)
{
	ofd_test_mkdtemp(out, sizeof(out), "e2e");
}

static inline void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", out);
	ck_assert_int_eq(system(cmd), 0);
}


static inline json_t *load_summary(const char *text)
{
	const char *r = strstr(text, "report: ");
	char dir[512], path[600];
	json_error_t je;
	json_t *j;
	int n;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	n = sscanf(r + 8, "%511s", dir);
	ck_assert_int_eq(n, 1);
	if (dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	j = json_load_file(path, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", path, je.text);
	return j;
}

/* The summary's target with this label, or NULL. */
static inline json_t *target_or_null(json_t *sum, const char *label)
{
	json_t *ts = json_object_get(sum, "targets"), *t;
	size_t i;

	json_array_foreach(ts, i, t)
		if (!strcmp(json_string_value(json_object_get(t, "label")), label))
			return t;
	return NULL;
}

static inline json_t *target(json_t *sum, const char *label)
{
	json_t *t = target_or_null(sum, label);

	if (!t)
		ck_abort_msg("target %s not in summary", label);
	return t;
}

static inline long long verdict(json_t *t, const char *v)
{
	return json_integer_value(json_object_get(json_object_get(t, "verdicts"), v));
}

#endif
