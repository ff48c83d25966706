// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_spec.c - campaign spec loader (harness/input/spec.c).
 *
 * Fixtures are in harness/input/tests/data/spec/ (tests run from the repository
 * root). Their corpus entries name files that exist in the tree, such as
 * Makefile: the loader only checks existence.
 *
 * Cases:
 *  full:     ok.yaml sets every key; every field and every override value
 *            is checked, including 0x hex (0x22 = 34, 0x81 = TCPV4|ECN),
 *            the u32 and u16 maxima, and the line:col of targets and
 *            overrides (counted by hand in the fixture).
 *  defaults: minimal.yaml: reference "model", offloads [tx-csum],
 *            requests both, profile_dir <spec dir>/profiles, no mask and
 *            no overrides, a target without a profile.
 *  resolve:  relative corpus paths are relative to the spec's directory
 *            ("../spec/x" from spec/ named "x"), and only when missing
 *            there relative to the current directory; absolute ones as
 *            they are; a missing profile_dir kept as given. In a temp
 *            directory: a file beside the spec wins over one of the same
 *            name in the run's directory (ofd_spec_load_from's cwd), a
 *            ".." through a symlinked directory stays unshortened, and
 *            profiles default to the spec's profiles/.
 *  errors:   one fixture per error class, with the exact message and
 *            line:col: syntax (tab, unclosed [), types (offloads: 5,
 *            corpus: Makefile, a top-level sequence), unknown keys at the
 *            top level, in targets and in overrides, bad offload name, bad
 *            request kind (top level and override kind), u16 overflow
 *            (csum_start: 70000), u8 overflow (gso_type: 0x100), negative,
 *            duplicate key, missing name / engine / packet, no targets,
 *            empty file, missing file, missing corpus path.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "ofd.h"
#include "ofd_spec.h"
#include "ofd_test.h"

#define D "harness/input/tests/data/spec/"
#define ERRLEN 512

START_TEST(test_full)
{
	struct ofd_spec *s;
	const struct ofd_spec_override *o;
	char err[ERRLEN] = "";

	ck_assert_msg(ofd_spec_load(D "ok.yaml", &s, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_str_eq(s->path, D "ok.yaml");
	ck_assert_str_eq(s->name, "full");
	ck_assert_str_eq(s->description, "every key set");
	ck_assert_str_eq(s->reference, "kernel");
	ck_assert_uint_eq(s->offloads, OFD_CAP(OFD_OFFLOAD_TX_CSUM) |
					       OFD_CAP(OFD_OFFLOAD_TSO) |
					       OFD_CAP(OFD_OFFLOAD_RSS));
	ck_assert_uint_eq(s->requests, 1u << OFD_REQ_LEGACY);

	ck_assert_uint_eq(s->ncorpus, 2);
	ck_assert_str_eq(s->corpus[0], "Makefile");
	ck_assert_str_eq(s->corpus[1], D "minimal.yaml");
	ck_assert_str_eq(s->profile_dir, "harness/input/tests/data/spec");

	ck_assert_uint_eq(s->ntargets, 2);
	ck_assert_str_eq(s->targets[0].engine, "emu");
	ck_assert_str_eq(s->targets[0].profile, "conformant");
	/* "  - engine: emu" on line 13: the engine name is at column 13. */
	ck_assert_int_eq(s->targets[0].line, 13);
	ck_assert_int_eq(s->targets[0].col, 13);
	ck_assert_str_eq(s->targets[1].engine, "model");
	ck_assert_ptr_null(s->targets[1].profile);
	ck_assert_int_eq(s->targets[1].line, 15);
	ck_assert_int_eq(s->targets[1].col, 13);

	ck_assert_uint_eq(s->nmask, 2);
	ck_assert_str_eq(s->mask[0], "ipv4.id");
	ck_assert_str_eq(s->mask[1], "tcp.checksum");

	ck_assert_uint_eq(s->noverrides, 3);
	o = &s->overrides[0];
	ck_assert_str_eq(o->file, "Makefile");
	ck_assert_uint_eq(o->packet, 3);
	ck_assert_int_eq(o->kind, OFD_REQ_VNET);
	ck_assert_uint_eq(o->set, OFD_OVR_CSUM_START | OFD_OVR_CSUM_OFFSET |
					  OFD_OVR_FLAGS | OFD_OVR_GSO_TYPE |
					  OFD_OVR_GSO_SIZE | OFD_OVR_HDR_LEN);
	ck_assert_uint_eq(o->vnet.csum_start, 34);
	ck_assert_uint_eq(o->vnet.csum_offset, 16);
	ck_assert_uint_eq(o->vnet.flags, OFD_VNET_F_NEEDS_CSUM);
	ck_assert_uint_eq(o->vnet.gso_type,
			  OFD_VNET_GSO_TCPV4 | OFD_VNET_GSO_ECN);
	ck_assert_uint_eq(o->vnet.gso_size, 1448);
	ck_assert_uint_eq(o->vnet.hdr_len, 66);
	ck_assert_int_eq(o->line, 18);
	ck_assert_int_eq(o->col, 5);

	o = &s->overrides[1];
	ck_assert_ptr_null(o->file);
	ck_assert_uint_eq(o->packet, UINT32_MAX);
	ck_assert_int_eq(o->kind, OFD_REQ_LEGACY);
	ck_assert_uint_eq(o->set, 0);
	ck_assert_int_eq(o->line, 27);
	ck_assert_int_eq(o->col, 5);

	o = &s->overrides[2];
	ck_assert_uint_eq(o->packet, 7);
	ck_assert_int_eq(o->kind, -1);
	ck_assert_uint_eq(o->set, OFD_OVR_CSUM_OFFSET);
	ck_assert_uint_eq(o->vnet.csum_offset, 65535);
	ck_assert_uint_eq(o->vnet.csum_start, 0);
	ck_assert_int_eq(o->line, 29);
	ck_assert_int_eq(o->col, 5);
	ofd_spec_free(s);
}
END_TEST

START_TEST(test_defaults)
{
	struct ofd_spec *s;
	char err[ERRLEN] = "";

	ck_assert_msg(ofd_spec_load(D "minimal.yaml", &s, err, sizeof(err)) ==
			      0,
		      "%s", err);
	ck_assert_str_eq(s->name, "minimal");
	ck_assert_ptr_null(s->description);
	ck_assert_str_eq(s->reference, "model");
	ck_assert_uint_eq(s->offloads, OFD_CAP(OFD_OFFLOAD_TX_CSUM));
	ck_assert_uint_eq(s->requests,
			  (1u << OFD_REQ_VNET) | (1u << OFD_REQ_LEGACY));
	ck_assert_uint_eq(s->ncorpus, 1);
	ck_assert_str_eq(s->corpus[0], "Makefile");
	ck_assert_str_eq(s->profile_dir, D "profiles");
	ck_assert_uint_eq(s->ntargets, 1);
	ck_assert_str_eq(s->targets[0].engine, "emu");
	ck_assert_ptr_null(s->targets[0].profile);
	ck_assert_int_eq(s->targets[0].line, 4);
	ck_assert_int_eq(s->targets[0].col, 13);
	ck_assert_uint_eq(s->nmask, 0);
	ck_assert_ptr_null(s->mask);
	ck_assert_uint_eq(s->noverrides, 0);
	ck_assert_ptr_null(s->overrides);
	ofd_spec_free(s);
	ofd_spec_free(NULL);
}
END_TEST

START_TEST(test_resolve)
{
	struct ofd_spec *s;
	char err[ERRLEN] = "";

	ck_assert_msg(ofd_spec_load(D "resolve.yaml", &s, err, sizeof(err)) ==
			      0,
		      "%s", err);
	ck_assert_uint_eq(s->ncorpus, 4);
	ck_assert_str_eq(s->corpus[0], "Makefile");
	ck_assert_str_eq(s->corpus[1], D "minimal.yaml");
	ck_assert_str_eq(s->corpus[2], D "minimal.yaml");
	ck_assert_str_eq(s->corpus[3], "/dev/null");
	ck_assert_str_eq(s->profile_dir, "no-such-dir");
	/* Flow map target: "targets: [{engine: emu}]", emu at 8:20. */
	ck_assert_int_eq(s->targets[0].line, 8);
	ck_assert_int_eq(s->targets[0].col, 20);
	ofd_spec_free(s);
}
END_TEST

static void touch(const char *dir, const char *name, const char *text)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_resolve_spec_dir)
{
	char t[200], p[256], want[256], cmd[300], err[ERRLEN] = "";
	struct ofd_spec *s;

	ofd_test_mkdtemp(t, sizeof(t), "spec");
	snprintf(p, sizeof(p), "%s/s", t);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/deep", t);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/deep/l", t);
	snprintf(want, sizeof(want), "%s/s", t);
	ck_assert_int_eq(symlink(want, p), 0);
	/* a.pcap in both places, b.pcap only in the run's directory t */
	touch(t, "s/a.pcap", "");
	touch(t, "a.pcap", "");
	touch(t, "b.pcap", "");
	touch(t, "s/x.yaml", "name: x\ncorpus: [a.pcap, b.pcap, ../a.pcap]\ntargets: [{engine: emu}]\n");

	snprintf(p, sizeof(p), "%s/s/x.yaml", t);
	ck_assert_msg(ofd_spec_load_from(p, t, &s, err, sizeof(err)) == 0, "%s", err);
	snprintf(want, sizeof(want), "%s/s/a.pcap", t);
	ck_assert_str_eq(s->corpus[0], want);
	snprintf(want, sizeof(want), "%s/b.pcap", t);
	ck_assert_str_eq(s->corpus[1], want);
	snprintf(want, sizeof(want), "%s/a.pcap", t);
	ck_assert_str_eq(s->corpus[2], want);
	snprintf(want, sizeof(want), "%s/s/profiles", t);
	ck_assert_str_eq(s->profile_dir, want);
	ofd_spec_free(s);

	/* deep/l is s: its ".." is t, not deep */
	snprintf(p, sizeof(p), "%s/deep/l/x.yaml", t);
	ck_assert_msg(ofd_spec_load_from(p, t, &s, err, sizeof(err)) == 0, "%s", err);
	snprintf(want, sizeof(want), "%s/deep/l/../a.pcap", t);
	ck_assert_str_eq(s->corpus[2], want);
	ofd_spec_free(s);

	/* without the run's directory, b.pcap is nowhere */
	snprintf(p, sizeof(p), "%s/s/x.yaml", t);
	ck_assert_int_eq(ofd_spec_load_from(p, "/nonexistent", &s, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "corpus path 'b.pcap' not found (relative to "));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", t);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static const struct err_case {
	const char *file;
	int ret;
	const char *msg;
} err_cases[] = {
	{ D "syntax_tab.yaml", -EINVAL,
	  D "syntax_tab.yaml:3:1: found character that cannot start any "
	    "token while scanning for the next token" },
	{ D "syntax_bracket.yaml", -EINVAL,
	  D "syntax_bracket.yaml:3:8: did not find expected ',' or ']' "
	    "while parsing a flow sequence started at 2:9" },
	{ D "type_offloads.yaml", -EINVAL,
	  D "type_offloads.yaml:2:11: offloads: expected a sequence, got a "
	    "scalar" },
	{ D "corpus_scalar.yaml", -EINVAL,
	  D "corpus_scalar.yaml:2:9: corpus: expected a sequence, got a "
	    "scalar" },
	{ D "top_seq.yaml", -EINVAL,
	  D "top_seq.yaml:1:1: spec: expected a map, got a sequence" },
	{ D "unknown_top.yaml", -EINVAL,
	  D "unknown_top.yaml:5:1: unknown key 'colour' in spec (known: "
	    "name, description, reference, offloads, requests, corpus, "
	    "profile_dir, targets, mask, overrides, gso_sizes, gro_flush_gap_us, "
	    "gro_train_gap_us)" },
	{ D "unknown_target.yaml", -EINVAL,
	  D "unknown_target.yaml:5:5: unknown key 'profil' in target "
	    "(known: engine, profile, isolate, timeout_ms)" },
	{ D "unknown_override.yaml", -EINVAL,
	  D "unknown_override.yaml:7:5: unknown key 'csum_stat' in override "
	    "(known: file, packet, kind, csum_start, csum_offset, flags, "
	    "gso_type, gso_size, hdr_len)" },
	{ D "bad_offload.yaml", -EINVAL,
	  D "bad_offload.yaml:2:21: offloads: unknown offload 'tx-checksum' "
	    "(known: tx-csum, tso, gro, rx-csum, dissect, rss)" },
	{ D "bad_request.yaml", -EINVAL,
	  D "bad_request.yaml:4:5: requests: unknown request kind 'virtio' "
	    "(known: vnet, legacy)" },
	{ D "bad_kind.yaml", -EINVAL,
	  D "bad_kind.yaml:7:11: kind: unknown request kind 'tso' (known: "
	    "vnet, legacy)" },
	{ D "overflow.yaml", -EINVAL,
	  D "overflow.yaml:7:17: csum_start: expected an integer 0..65535, "
	    "got '70000'" },
	{ D "u8_range.yaml", -EINVAL,
	  D "u8_range.yaml:6:27: gso_type: expected an integer 0..255, got "
	    "'0x100'" },
	{ D "negative.yaml", -EINVAL,
	  D "negative.yaml:7:14: flags: expected an integer 0..255, got "
	    "'-1'" },
	{ D "duplicate.yaml", -EINVAL,
	  D "duplicate.yaml:5:1: duplicate key 'name' (first at 1:1)" },
	{ D "no_name.yaml", -EINVAL,
	  D "no_name.yaml:2:1: spec: missing required key 'name'" },
	{ D "no_engine.yaml", -EINVAL,
	  D "no_engine.yaml:5:5: target: missing required key 'engine'" },
	{ D "no_packet.yaml", -EINVAL,
	  D "no_packet.yaml:6:5: override: missing required key 'packet'" },
	{ D "no_targets.yaml", -EINVAL,
	  D "no_targets.yaml:3:10: targets: needs at least one item" },
	{ D "empty.yaml", -EINVAL, D "empty.yaml: empty document" },
	{ D "nope.yaml", -ENOENT, D "nope.yaml: No such file or directory" },
	{ D "missing_corpus.yaml", -ENOENT,
	  D "missing_corpus.yaml:4:5: corpus path 'no/such/file.pcap' not "
	    "found (relative to harness/input/tests/data/spec/)" },
};

START_TEST(test_errors)
{
	const struct err_case *c = &err_cases[_i];
	struct ofd_spec *s = (struct ofd_spec *)1;
	char err[ERRLEN] = "";
	int ret;

	ret = ofd_spec_load(c->file, &s, err, sizeof(err));
	ck_assert_msg(ret == c->ret, "%s: ret %d, want %d (%s)", c->file, ret,
		      c->ret, err);
	ck_assert_ptr_null(s);
	ck_assert_str_eq(err, c->msg);
}
END_TEST

static Suite *spec_suite(void)
{
	Suite *s = suite_create("spec");
	TCase *tc;

	tc = tcase_create("load");
	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_resolve);
	tcase_add_test(tc, test_resolve_spec_dir);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, test_errors, 0, OFD_ARRAY_SIZE(err_cases));
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(spec_suite)
