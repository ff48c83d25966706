// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_yaml_msgs.c - YAML errors stay one short line whatever the file
 * holds, and a NUL escape never cuts a value (harness/input/yaml.c,
 * ofd_quote() in harness/input/safe_open.c).
 *
 * Cases:
 *  quote:  ofd_quote/ofd_quote_mem: plain text, quote and backslash, C0,
 *          DEL and C1 controls, NUL, bytes that are not UTF-8, the 40-byte
 *          cap (cut at a character boundary), small buffers, NULL.
 *  nul:    "\0" in a value and in a key: refused with line:col and the
 *          value escaped; in a spec's corpus path ("base.pcap\0/etc/
 *          shadow") the spec is refused instead of loading "base.pcap".
 *  lines:  a newline in a key (unknown key, duplicate key), in a value a
 *          spec echoes raw, an escape sequence in a value, a 100,000-byte
 *          key and value: exactly one line, the echoed value capped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_safe_open.h"
#include "ofd_spec.h"
#include "ofd_test.h"
#include "ofd_yaml.h"

static const struct quote_case {
	const char *in;
	size_t n;         /* 0: strlen */
	const char *want;
} quote_cases[] = {
	{ "abc", 0, "'abc'" },
	{ "", 0, "''" },
	{ "a'b\\c", 0, "'a\\'b\\\\c'" },
	{ "a\nb\r\tc", 0, "'a\\nb\\r\\tc'" },
	{ "\x1b[31mred\x7f", 0, "'\\x1b[31mred\\x7f'" },
	{ "base.pcap\0/etc/shadow", 21, "'base.pcap\\0/etc/shadow'" },
	{ "caf\xc3\xa9", 0, "'caf\xc3\xa9'" },
	{ "\xc2\x9b" "2J", 0, "'\\xc2\\x9b2J'" }, /* C1 CSI */
	{ "\xff\xc3", 0, "'\\xff\\xc3'" },       /* not UTF-8, cut sequence */
	{ "0123456789012345678901234567890123456789", 0,
	  "'0123456789012345678901234567890123456789'" },
	{ "01234567890123456789012345678901234567890", 0,
	  "'0123456789012345678901234567890123456789...'" },
	/* 39 bytes, then a 2-byte character: cut before it, not inside. */
	{ "012345678901234567890123456789012345678\xc3\xa9", 0,
	  "'012345678901234567890123456789012345678...'" },
};

START_TEST(test_quote)
{
	const struct quote_case *c = &quote_cases[_i];
	char buf[OFD_QUOTE_LEN];

	ck_assert_str_eq(ofd_quote_mem(c->in, c->n ? c->n : strlen(c->in), buf, sizeof(buf)),
			 c->want);
}
END_TEST

START_TEST(test_quote_small)
{
	char buf[12], big[OFD_QUOTE_LEN];
	char ctl[OFD_QUOTE_MAX + 1];

	ck_assert_str_eq(ofd_quote("abcdefghijkl", buf, sizeof(buf)), "'abcdef...'");
	ck_assert_str_eq(ofd_quote("\n\n\n\n", buf, sizeof(buf)), "'\\n\\n\\n...'");
	ck_assert_str_eq(ofd_quote(NULL, buf, sizeof(buf)), "''");
	ck_assert_str_eq(ofd_quote("abc", buf, 4), "");
	/* Every byte escaped still fits OFD_QUOTE_LEN. */
	memset(ctl, 1, sizeof(ctl) - 1);
	ctl[sizeof(ctl) - 1] = '\0';
	ofd_quote(ctl, big, sizeof(big));
	ck_assert_uint_eq(strlen(big), 2 + OFD_QUOTE_MAX * 4);
}
END_TEST

static int load(const char *text, size_t len, char *err, size_t err_len)
{
	struct ofd_ynode *root;
	int ret = ofd_yaml_load_string("t", text, len, &root, err, err_len);

	ofd_yaml_free(root);
	return ret;
}

START_TEST(test_nul)
{
	char err[512];

	ck_assert_int_eq(load("v: \"base.pcap\\0/etc/shadow\"\n", 28, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "t:1:4: value 'base.pcap\\0/etc/shadow' contains a NUL character");
	ck_assert_int_eq(load("m:\n  \"a\\0b\": 1\n", 15, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "t:2:3: key 'a\\0b' contains a NUL character");
	ck_assert_int_eq(load("- [\"\\0\"]\n", 9, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "t:1:4: value '\\0' contains a NUL character");
	/* Other escapes are fine. */
	ck_assert_int_eq(load("v: \"a\\tb\\x01\"\n", 14, err, sizeof(err)), 0);
}
END_TEST

static char dir[64];

static void setup(void)
{
	ofd_test_mkdtemp(dir, sizeof(dir), "ymsg");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Load a spec with this text; its error in err. */
static int spec_err(const char *text, char *err, size_t len)
{
	struct ofd_spec *s;
	char path[128];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/s.yaml", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	/* The corpus path must exist if the NUL cut it. */
	snprintf(path, sizeof(path), "%s/base.pcap", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/s.yaml", dir);
	ret = ofd_spec_load(path, &s, err, len);
	if (!ret)
		ofd_spec_free(s);
	return ret;
}

static void assert_one_line(const char *err)
{
	const char *p;

	for (p = err; *p; p++)
		ck_assert_msg((unsigned char)*p >= 0x20 && *p != 0x7f,
			      "control byte 0x%02x in '%s'", (unsigned char)*p, err);
}

START_TEST(test_spec_nul)
{
	char err[512], want[256];

	ck_assert_int_eq(spec_err("name: s\ncorpus: [\"base.pcap\\0/etc/shadow\"]\n"
				  "targets: [{engine: emu}]\n", err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s/s.yaml:2:10: value 'base.pcap\\0/etc/shadow' contains a NUL character", dir);
	ck_assert_str_eq(err, want);
}
END_TEST

START_TEST(test_one_line)
{
	static const char ovr[] = "name: s\ncorpus: [base.pcap]\ntargets: [{engine: emu}]\n"
				  "overrides:\n  - packet: 0\n    csum_start: ";
	char err[512], *text;
	size_t i, n = 100000;

	/* A newline in a key: unknown, then duplicate. */
	ck_assert_int_eq(spec_err("name: s\n\"a\\nb\": 1\n", err, sizeof(err)), -EINVAL);
	assert_one_line(err);
	ck_assert_ptr_nonnull(strstr(err, ":2:1: unknown key 'a\\nb' in spec (known: "));
	ck_assert_int_eq(load("\"x\\ny\": 1\n\"x\\ny\": 2\n", 20, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "t:2:1: duplicate key 'x\\ny' (first at 1:1)");

	/* A value the spec echoes itself, and a terminal escape sequence. */
	ck_assert_int_eq(spec_err("name: s\noffloads: [\"tx\\ncsum\\e[2J\"]\n", err,
				  sizeof(err)), -EINVAL);
	assert_one_line(err);
	ck_assert_ptr_nonnull(strstr(err, "tx\\ncsum\\x1b[2J"));

	/* 100,000 bytes as a key and as a value: one line, 40 bytes echoed. */
	text = malloc(n + 64);
	ck_assert_ptr_nonnull(text);
	/* libyaml allows 1024 bytes for a simple key: this one is explicit. */
	strcpy(text, "name: s\n? ");
	for (i = 10; i < n; i++)
		text[i] = (char)('a' + i % 26);
	strcpy(text + n, "\n: 1\n");
	ck_assert_int_eq(spec_err(text, err, sizeof(err)), -EINVAL);
	assert_one_line(err);
	ck_assert_msg(strlen(err) < 300, "%zu bytes: %s", strlen(err), err);
	ck_assert_msg(strstr(err, ":2:3: unknown key 'klmnopqrstuvwxyzabcdefghijklmnopqrstuvwx...' in spec"),
		      "%s", err);

	/* The value, in a spec's override: echoed cut to 40 bytes. */
	memcpy(text, ovr, strlen(ovr));
	text[n] = '\0';
	ck_assert_int_eq(spec_err(text, err, sizeof(err)), -EINVAL);
	assert_one_line(err);
	ck_assert_msg(strlen(err) < 300, "%zu bytes: %s", strlen(err), err);
	ck_assert_ptr_nonnull(strstr(err, ":6:17: csum_start: expected an integer 0..65535, got '"));
	ck_assert_ptr_nonnull(strstr(err, "...'"));
	free(text);
}
END_TEST

static Suite *yaml_msgs_suite(void)
{
	Suite *s = suite_create("yaml_msgs");
	TCase *tc = tcase_create("quote");

	tcase_add_loop_test(tc, test_quote, 0, OFD_ARRAY_SIZE(quote_cases));
	tcase_add_test(tc, test_quote_small);
	tcase_add_test(tc, test_nul);
	suite_add_tcase(s, tc);

	tc = tcase_create("lines");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_spec_nul);
	tcase_add_test(tc, test_one_line);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(yaml_msgs_suite)
