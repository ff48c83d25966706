// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_yaml.c - YAML node trees (harness/input/yaml.c).
 *
 * Cases:
 *  load:   valid documents, empty documents ("", comments only, "---"),
 *          aliases, non-scalar keys (block "?" and flow), duplicate keys
 *          (top level and nested; same key in sibling maps is fine),
 *          libyaml syntax errors (unclosed [, tab indentation, "a: b: c",
 *          invalid UTF-8), nesting limit, only the first document is read,
 *          len bounds the input, NULL input and name;
 *          every error with the exact message and line:col.
 *  tree:   line:col of every node and key in a small document (counted
 *          by hand), scalar texts, the shared file name, ofd_ymap_get.
 *  file:   ofd_yaml_load_file on a fixture, a missing file, a directory
 *          (not a regular file; the rest in check_safe_open.c).
 *  u32:    decimal, 0x hex, range edges, overflow, negative, trailing
 *          junk, empty, sign, non-scalars; exact messages.
 *  bool:   the six words in any case; non-words and non-scalars.
 *  str:    scalars (also empty), non-scalars.
 *  keys:   ofd_y_check_keys known/unknown keys, non-map.
 *  misc:   ofd_yerr formatting and truncation, NULL nodes.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "ofd.h"
#include "ofd_yaml.h"
#include "ofd_test.h"

#define ERRLEN 256

/* ------------------------------------------------------------------ */
/* load                                                                */
/* ------------------------------------------------------------------ */

static const struct load_case {
	const char *text;
	int ret;
	const char *msg; /* expected err ("" for success) */
} load_cases[] = {
	{ "a: 1\n", 0, "" },
	{ "''\n", 0, "" }, /* a quoted empty string is a value */
	{ "a: 1\n---\nb: [\n", 0, "" }, /* later documents are not read */
	{ "", -EINVAL, "t: empty document" },
	{ "# only a comment\n\n", -EINVAL, "t: empty document" },
	{ "---\n", -EINVAL, "t: empty document" },
	{ "a: &x 1\nb: *x\n", -EINVAL, "t:2:4: aliases are not supported" },
	{ "? [a, b]\n: 1\n", -EINVAL, "t:1:3: map keys must be scalars" },
	{ "{[a]: 1}\n", -EINVAL, "t:1:2: map keys must be scalars" },
	{ "a: 1\nb: 2\na: 3\n", -EINVAL,
	  "t:3:1: duplicate key 'a' (first at 1:1)" },
	{ "m:\n  x: 1\n  y: 2\n  x: 3\n", -EINVAL,
	  "t:4:3: duplicate key 'x' (first at 2:3)" },
	{ "a: {x: 1}\nb: {x: 2}\n", 0, "" },
	{ "a: [1, 2\n", -EINVAL,
	  "t:2:1: did not find expected ',' or ']' while parsing a flow "
	  "sequence started at 1:4" },
	{ "\ta: 1\n", -EINVAL,
	  "t:1:1: found character that cannot start any token while "
	  "scanning for the next token" },
	{ "a: b: c\n", -EINVAL,
	  "t:1:5: mapping values are not allowed in this context" },
	{ "a: \xff\n", -EINVAL, "t:1:4: invalid leading UTF-8 octet" },
};

START_TEST(test_load)
{
	const struct load_case *c = &load_cases[_i];
	struct ofd_ynode *root = (struct ofd_ynode *)1;
	char err[ERRLEN];
	int ret;

	ret = ofd_yaml_load_string("t", c->text, strlen(c->text), &root, err,
				   sizeof(err));
	ck_assert_msg(ret == c->ret, "case %d: ret %d, want %d (%s)", _i, ret,
		      c->ret, err);
	if (c->ret) {
		ck_assert_str_eq(err, c->msg);
		ck_assert_ptr_null(root);
	} else {
		ck_assert_ptr_nonnull(root);
	}
	ofd_yaml_free(root);
}
END_TEST

START_TEST(test_first_document_only)
{
	static const char text[] = "a: 1\n---\nb: 2\n";
	struct ofd_ynode *root;
	char err[ERRLEN];

	ck_assert_int_eq(ofd_yaml_load_string("t", text, strlen(text), &root,
					      err, sizeof(err)), 0);
	ck_assert_uint_eq(root->n, 1);
	ck_assert_str_eq(root->keys[0], "a");
	ck_assert_ptr_null(ofd_ymap_get(root, "b"));
	ofd_yaml_free(root);
}
END_TEST

START_TEST(test_nesting_limit)
{
	char text[300], err[ERRLEN];
	struct ofd_ynode *root;
	int i;

	/* 129 '[': the 129th opens level 129, one past the limit of 128. */
	for (i = 0; i < 129; i++)
		text[i] = '[';
	text[i] = '\0';
	ck_assert_int_eq(ofd_yaml_load_string("t", text, strlen(text), &root,
					      err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "t:1:129: nesting deeper than 128 levels");
	ck_assert_ptr_null(root);

	/* 128 levels are fine. */
	for (i = 0; i < 128; i++) {
		text[i] = '[';
		text[128 + i] = ']';
	}
	text[256] = '\0';
	ck_assert_int_eq(ofd_yaml_load_string("t", text, strlen(text), &root,
					      err, sizeof(err)), 0);
	ofd_yaml_free(root);
}
END_TEST

START_TEST(test_load_null)
{
	struct ofd_ynode *root;
	char err[ERRLEN];

	ck_assert_int_eq(ofd_yaml_load_string(NULL, NULL, 0, &root, err,
					      sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "<string>: empty document");
}
END_TEST

/* Not NUL-terminated input: len is the only bound. */
START_TEST(test_load_len)
{
	static const char text[] = "a: 1\nb: 2\n";
	struct ofd_ynode *root;
	char err[ERRLEN];

	ck_assert_int_eq(ofd_yaml_load_string("t", text, 5, &root, err,
					      sizeof(err)), 0);
	ck_assert_uint_eq(root->n, 1);
	ofd_yaml_free(root);
}
END_TEST

/* ------------------------------------------------------------------ */
/* tree                                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_tree)
{
	static const char text[] =
		"# comment\n"         /* 1 */
		"top:\n"              /* 2 */
		"  - x\n"             /* 3 */
		"  - k: 1\n"          /* 4 */
		"    j:\n"            /* 5 */
		"b: [1, \"two\"]\n"   /* 6 */
		"c: {}\n"             /* 7 */
		"d: |\n"              /* 8 */
		"  text\n";           /* 9 */
	const struct ofd_ynode *top, *it, *b, *c, *d;
	struct ofd_ynode *root;
	char name[] = "doc.yaml", err[ERRLEN];

	ck_assert_int_eq(ofd_yaml_load_string(name, text, strlen(text), &root,
					      err, sizeof(err)), 0);
	/* The tree keeps its own copy of the name. */
	name[0] = 'X';
	ck_assert_int_eq(root->type, OFD_Y_MAP);
	ck_assert_int_eq(root->line, 2);
	ck_assert_int_eq(root->col, 1);
	ck_assert_str_eq(root->file, "doc.yaml");
	ck_assert_uint_eq(root->n, 4);
	ck_assert_str_eq(root->keys[0], "top");
	ck_assert_int_eq(root->key_line[0], 2);
	ck_assert_int_eq(root->key_col[0], 1);
	ck_assert_str_eq(root->keys[1], "b");
	ck_assert_int_eq(root->key_line[1], 6);
	ck_assert_str_eq(root->keys[3], "d");
	ck_assert_int_eq(root->key_line[3], 8);

	top = ofd_ymap_get(root, "top");
	ck_assert_ptr_eq(top, root->items[0]);
	ck_assert_int_eq(top->type, OFD_Y_SEQ);
	ck_assert_int_eq(top->line, 3);
	ck_assert_int_eq(top->col, 3);
	ck_assert_uint_eq(top->n, 2);
	ck_assert_ptr_eq(top->file, root->file);

	it = top->items[0];
	ck_assert_int_eq(it->type, OFD_Y_SCALAR);
	ck_assert_str_eq(it->scalar, "x");
	ck_assert_int_eq(it->line, 3);
	ck_assert_int_eq(it->col, 5);

	it = top->items[1];
	ck_assert_int_eq(it->type, OFD_Y_MAP);
	ck_assert_int_eq(it->line, 4);
	ck_assert_int_eq(it->col, 5);
	ck_assert_uint_eq(it->n, 2);
	ck_assert_str_eq(it->keys[0], "k");
	ck_assert_int_eq(it->key_line[0], 4);
	ck_assert_int_eq(it->key_col[0], 5);
	ck_assert_str_eq(it->items[0]->scalar, "1");
	ck_assert_int_eq(it->items[0]->line, 4);
	ck_assert_int_eq(it->items[0]->col, 8);
	ck_assert_str_eq(it->keys[1], "j");
	ck_assert_int_eq(it->key_line[1], 5);
	ck_assert_int_eq(it->key_col[1], 5);
	/* An absent value is an empty scalar right after the colon. */
	ck_assert_int_eq(it->items[1]->type, OFD_Y_SCALAR);
	ck_assert_str_eq(it->items[1]->scalar, "");
	ck_assert_int_eq(it->items[1]->line, 5);
	ck_assert_int_eq(it->items[1]->col, 7);

	b = ofd_ymap_get(root, "b");
	ck_assert_int_eq(b->type, OFD_Y_SEQ);
	ck_assert_int_eq(b->line, 6);
	ck_assert_int_eq(b->col, 4);
	ck_assert_uint_eq(b->n, 2);
	ck_assert_str_eq(b->items[0]->scalar, "1");
	ck_assert_int_eq(b->items[0]->col, 5);
	ck_assert_str_eq(b->items[1]->scalar, "two");
	ck_assert_int_eq(b->items[1]->col, 8); /* the opening quote */

	c = ofd_ymap_get(root, "c");
	ck_assert_int_eq(c->type, OFD_Y_MAP);
	ck_assert_uint_eq(c->n, 0);
	ck_assert_int_eq(c->line, 7);
	ck_assert_int_eq(c->col, 4);

	d = ofd_ymap_get(root, "d");
	ck_assert_str_eq(d->scalar, "text\n");
	ck_assert_int_eq(d->line, 8);
	ck_assert_int_eq(d->col, 4);

	ck_assert_ptr_null(ofd_ymap_get(root, "nope"));
	ck_assert_ptr_null(ofd_ymap_get(top, "x"));
	ck_assert_ptr_null(ofd_ymap_get(NULL, "x"));
	ofd_yaml_free(root);
	ofd_yaml_free(NULL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* file                                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_file)
{
	struct ofd_ynode *root;
	char err[ERRLEN];

	ck_assert_int_eq(ofd_yaml_load_file("harness/input/tests/data/spec/minimal.yaml",
					    &root, err, sizeof(err)), 0);
	ck_assert_int_eq(root->type, OFD_Y_MAP);
	ck_assert_str_eq(root->file, "harness/input/tests/data/spec/minimal.yaml");
	ck_assert_str_eq(ofd_ymap_get(root, "name")->scalar, "minimal");
	ofd_yaml_free(root);

	ck_assert_int_eq(ofd_yaml_load_file("harness/input/tests/data/spec/nope.yaml",
					    &root, err, sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "harness/input/tests/data/spec/nope.yaml: No such "
			      "file or directory");
	ck_assert_ptr_null(root);

	ck_assert_int_eq(ofd_yaml_load_file("harness/input/tests/data/spec", &root,
					    err, sizeof(err)), -EISDIR);
	ck_assert_str_eq(err, "harness/input/tests/data/spec: not a regular file "
			      "(directory)");

	ck_assert_int_eq(ofd_yaml_load_file("harness/input/tests/data/spec/empty.yaml",
					    &root, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "harness/input/tests/data/spec/empty.yaml: empty "
			      "document");
}
END_TEST

/* ------------------------------------------------------------------ */
/* Typed getters: each case is the value of key "v" in "v: <text>",     */
/* so a located error is always at 1:4.                                 */
/* ------------------------------------------------------------------ */

static struct ofd_ynode *load_v(const char *text, struct ofd_ynode **root)
{
	char err[ERRLEN];
	int ret;

	ret = ofd_yaml_load_string("t", text, strlen(text), root, err,
				   sizeof(err));
	ck_assert_msg(ret == 0, "load '%s': %s", text, err);
	return (struct ofd_ynode *)ofd_ymap_get(*root, "v");
}

static const struct u32_case {
	const char *text;
	uint32_t max;
	int ret;
	uint32_t want;
	const char *msg;
} u32_cases[] = {
	{ "v: 0", 65535, 0, 0, NULL },
	{ "v: 34", 65535, 0, 34, NULL },
	{ "v: 0x22", 65535, 0, 34, NULL },
	{ "v: 0X1f", 255, 0, 31, NULL },
	{ "v: 0xFFFF", 65535, 0, 65535, NULL },
	{ "v: 65535", 65535, 0, 65535, NULL },
	{ "v: '16'", 65535, 0, 16, NULL }, /* quoting does not matter */
	{ "v: 4294967295", UINT32_MAX, 0, UINT32_MAX, NULL },
	{ "v: 0xffffffff", UINT32_MAX, 0, UINT32_MAX, NULL },
	{ "v: 65536", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '65536'" },
	{ "v: 70000", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '70000'" },
	{ "v: 0x100", 255, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..255, got '0x100'" },
	{ "v: 4294967296", UINT32_MAX, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..4294967295, got '4294967296'" },
	{ "v: 0x100000000", UINT32_MAX, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..4294967295, got '0x100000000'" },
	{ "v: 184467440737095516160", UINT32_MAX, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..4294967295, got "
	  "'184467440737095516160'" },
	{ "v: -1", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '-1'" },
	{ "v: +1", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '+1'" },
	{ "v: abc", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got 'abc'" },
	{ "v: 12abc", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '12abc'" },
	{ "v: 1.5", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '1.5'" },
	{ "v: 0x", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '0x'" },
	{ "v: 0xg", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '0xg'" },
	{ "v: ''", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got ''" },
	{ "v: '1 '", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got '1 '" },
	{ "v: [1]", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got a sequence" },
	{ "v: {a: 1}", 65535, -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got a map" },
	{ "v: 'a very long value that goes on and on and on'", 65535,
	  -EINVAL, 0,
	  "t:1:4: v: expected an integer 0..65535, got "
	  "'a very long value that goes on and on an...'" },
};

START_TEST(test_u32)
{
	const struct u32_case *c = &u32_cases[_i];
	struct ofd_ynode *root;
	const struct ofd_ynode *v = load_v(c->text, &root);
	uint32_t x = 0xdeadbeef;
	char err[ERRLEN] = "";
	int ret;

	ret = ofd_y_u32(v, "v", c->max, &x, err, sizeof(err));
	ck_assert_msg(ret == c->ret, "'%s': ret %d (%s)", c->text, ret, err);
	if (c->ret) {
		ck_assert_str_eq(err, c->msg);
		ck_assert_uint_eq(x, 0xdeadbeef); /* untouched on error */
	} else {
		ck_assert_uint_eq(x, c->want);
	}
	ofd_yaml_free(root);
}
END_TEST

static const struct bool_case {
	const char *text;
	int ret;
	int want;
	const char *msg;
} bool_cases[] = {
	{ "v: true", 0, 1, NULL },   { "v: false", 0, 0, NULL },
	{ "v: yes", 0, 1, NULL },    { "v: no", 0, 0, NULL },
	{ "v: on", 0, 1, NULL },     { "v: off", 0, 0, NULL },
	{ "v: True", 0, 1, NULL },   { "v: OFF", 0, 0, NULL },
	{ "v: 1", -EINVAL, 0,
	  "t:1:4: v: expected a boolean (true/false/yes/no/on/off), got '1'" },
	{ "v: maybe", -EINVAL, 0,
	  "t:1:4: v: expected a boolean (true/false/yes/no/on/off), got "
	  "'maybe'" },
	{ "v: [true]", -EINVAL, 0,
	  "t:1:4: v: expected a boolean (true/false/yes/no/on/off), got a "
	  "sequence" },
};

START_TEST(test_bool)
{
	const struct bool_case *c = &bool_cases[_i];
	struct ofd_ynode *root;
	const struct ofd_ynode *v = load_v(c->text, &root);
	char err[ERRLEN] = "";
	int x = -1, ret;

	ret = ofd_y_bool(v, "v", &x, err, sizeof(err));
	ck_assert_msg(ret == c->ret, "'%s': ret %d (%s)", c->text, ret, err);
	if (c->ret)
		ck_assert_str_eq(err, c->msg);
	else
		ck_assert_int_eq(x, c->want);
	ofd_yaml_free(root);
}
END_TEST

static const struct str_case {
	const char *text;
	int ret;
	const char *want;
} str_cases[] = {
	{ "v: hello", 0, "hello" },
	{ "v: \"two words\"", 0, "two words" },
	{ "v: 34", 0, "34" },
	{ "v: ''", 0, "" },
	{ "v:", 0, "" },
	{ "v: [a]", -EINVAL, "t:1:4: v: expected a string, got a sequence" },
	{ "v: {a: b}", -EINVAL, "t:1:4: v: expected a string, got a map" },
};

START_TEST(test_str)
{
	const struct str_case *c = &str_cases[_i];
	struct ofd_ynode *root;
	const struct ofd_ynode *v = load_v(c->text, &root);
	const char *s = NULL;
	char err[ERRLEN] = "";
	int ret;

	ret = ofd_y_str(v, "v", &s, err, sizeof(err));
	ck_assert_msg(ret == c->ret, "'%s': ret %d (%s)", c->text, ret, err);
	if (c->ret)
		ck_assert_str_eq(err, c->want);
	else
		ck_assert_str_eq(s, c->want);
	ofd_yaml_free(root);
}
END_TEST

static const struct keys_case {
	const char *text;
	int ret;
	const char *msg;
} keys_cases[] = {
	{ "v: {a: 1, b: 2}", 0, NULL },
	{ "v: {}", 0, NULL },
	{ "v: {a: 1, d: 2}", -EINVAL,
	  "t:1:11: unknown key 'd' in thing (known: a, b, c)" },
	{ "v:\n  c: 1\n  bb: 2\n", -EINVAL,
	  "t:3:3: unknown key 'bb' in thing (known: a, b, c)" },
	{ "v: [a]", -EINVAL, "t:1:4: thing: expected a map, got a sequence" },
	{ "v: a", -EINVAL, "t:1:4: thing: expected a map, got a scalar" },
};

START_TEST(test_check_keys)
{
	static const char *const allowed[] = { "a", "b", "c", NULL };
	const struct keys_case *c = &keys_cases[_i];
	struct ofd_ynode *root;
	const struct ofd_ynode *v = load_v(c->text, &root);
	char err[ERRLEN] = "";
	int ret;

	ret = ofd_y_check_keys(v, "thing", allowed, err, sizeof(err));
	ck_assert_msg(ret == c->ret, "'%s': ret %d (%s)", c->text, ret, err);
	if (c->ret)
		ck_assert_str_eq(err, c->msg);
	ofd_yaml_free(root);
}
END_TEST

/* ------------------------------------------------------------------ */
/* misc                                                                */
/* ------------------------------------------------------------------ */

START_TEST(test_yerr)
{
	static const char text[] = "a:\n  b: 7\n";
	struct ofd_ynode *root;
	const struct ofd_ynode *b;
	char err[ERRLEN], small[12];
	uint32_t u;
	int x;
	const char *s;

	ck_assert_int_eq(ofd_yaml_load_string("specs/x.yaml", text,
					      strlen(text), &root, err,
					      sizeof(err)), 0);
	b = ofd_ymap_get(ofd_ymap_get(root, "a"), "b");
	ck_assert_int_eq(ofd_yerr(err, sizeof(err), b, "%s is %d", "b", 7),
			 -EINVAL);
	ck_assert_str_eq(err, "specs/x.yaml:2:6: b is 7");

	/* Truncated, still terminated. */
	memset(small, 'Z', sizeof(small));
	ck_assert_int_eq(ofd_yerr(small, sizeof(small), b, "long message"),
			 -EINVAL);
	ck_assert_str_eq(small, "specs/x.yam");
	/* No buffer at all is allowed. */
	ck_assert_int_eq(ofd_yerr(NULL, 0, b, "x"), -EINVAL);

	/* A missing value (NULL node) is an error, unlocated. */
	ck_assert_int_eq(ofd_y_u32(NULL, "packet", 10, &u, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "packet: missing value");
	ck_assert_int_eq(ofd_y_bool(NULL, "on", &x, err, sizeof(err)),
			 -EINVAL);
	ck_assert_int_eq(ofd_y_str(NULL, "name", &s, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "name: missing value");
	ofd_yaml_free(root);
}
END_TEST

static Suite *yaml_suite(void)
{
	Suite *s = suite_create("yaml");
	TCase *tc;

	tc = tcase_create("load");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_load, 0, OFD_ARRAY_SIZE(load_cases));
	tcase_add_test(tc, test_first_document_only);
	tcase_add_test(tc, test_nesting_limit);
	tcase_add_test(tc, test_load_len);
	tcase_add_test(tc, test_load_null);
	suite_add_tcase(s, tc);

	tc = tcase_create("tree");
	tcase_add_test(tc, test_tree);
	tcase_add_test(tc, test_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("getters");
	tcase_add_loop_test(tc, test_u32, 0, OFD_ARRAY_SIZE(u32_cases));
	tcase_add_loop_test(tc, test_bool, 0, OFD_ARRAY_SIZE(bool_cases));
	tcase_add_loop_test(tc, test_str, 0, OFD_ARRAY_SIZE(str_cases));
	tcase_add_loop_test(tc, test_check_keys, 0,
			    OFD_ARRAY_SIZE(keys_cases));
	tcase_add_test(tc, test_yerr);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(yaml_suite)
