// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_flowdis.c - one program, two images (issue 21): the flow
 * dissector of targets/progs/ as BPF in the running kernel and as the
 * native parser image.
 *
 * The keys each frame must give (ofd_flowdis_frames.h) are the reference
 * program's by kernel-rx.md 5.4, and what the kernel's BPF_PROG_TEST_RUN
 * returns is checked against them; the native image is then checked
 * against the kernel, byte for byte in struct bpf_flow_keys, over every
 * truncation of every frame under every input flag.
 *
 * Cases:
 *  spec_keys      every frame: the kernel's verdict, offsets, protocol,
 *                 ports and addresses are the spec's; the native image
 *                 gives the same struct bpf_flow_keys and return
 *  sweep          every frame cut at every length from 14 bytes, under
 *                 each of the 8 flag sets: both images agree
 *  engines        `bpf` and `parser` through the engine ops: the same
 *                 result record (have = BASIC|ADDRS|PORTS|FLOW_LABEL), the
 *                 same program and IR hash, the one the build wrote
 *  too_long       a frame longer than a test run takes: both skip it
 *  query          `offdiff target query parser|bpf` print the program and
 *                 the build's hash; model names its version and no program;
 *                 an unknown engine is a usage error (exit 2)
 *  hash_one_line  ir_sha256.sh on a copy elsewhere gives the build's hash
 *                 (paths do not count), a comment changes nothing, one
 *                 changed line of code changes it (needs clang)
 *
 * The kernel's side needs root (CAP_BPF); without it those tests say so
 * and pass, as the kernel engine's do.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "ofd.h"
#include "ofd_images.h"
#include "ofd_offload.h"
#include "ofd_test.h"
#include "ofd_flowdis_frames.h"

static struct ofd_bpfimg *bpfimg;
static struct ofd_nativeimg *natimg;
static char bpf_why[640], nat_why[640];

/* Once per test case, before its forks: a BPF load verifies the program
 * (about a second). */
static void images_setup(void)
{
	if (ofd_bpfimg__open(NULL, &bpfimg, bpf_why, sizeof(bpf_why)))
		bpfimg = NULL;
	if (ofd_nativeimg__open(NULL, &natimg, nat_why, sizeof(nat_why)))
		natimg = NULL;
}

static void images_teardown(void)
{
	ofd_bpfimg__free(bpfimg);
	ofd_nativeimg__free(natimg);
	bpfimg = NULL;
	natimg = NULL;
}

/* The native image must exist after `make`; the kernel may refuse us. */
static bool no_kernel(void)
{
	ck_assert_msg(natimg, "%s", nat_why);
	if (bpfimg)
		return false;
	fprintf(stderr, "flowdis: kernel side skipped: %s\n", bpf_why);
	return true;
}

static void both(const uint8_t *b, uint32_t n, uint32_t flags, struct bpf_flow_keys *kk,
		 int *kr, struct bpf_flow_keys *nk, int *nr)
{
	ck_assert_int_eq(ofd_bpfimg_run(bpfimg, b, n, flags, 1, kk, kr, NULL), 0);
	ck_assert_int_eq(ofd_nativeimg_run(natimg, b, n, flags, nk, nr), 0);
}

START_TEST(spec_keys)
{
	struct fd_case c[FD_MAX_CASES];
	unsigned int n = fd_cases(c), i;

	if (no_kernel())
		return;
	ck_assert_uint_le(n, FD_MAX_CASES);
	for (i = 0; i < n; i++) {
		struct bpf_flow_keys kk, nk;
		int kr, nr;

		both(c[i].f.b, c[i].f.n, c[i].flags, &kk, &kr, &nk, &nr);
		ck_assert_msg(kr == c[i].retval && kk.nhoff == c[i].nhoff &&
				      kk.thoff == c[i].thoff && kk.ip_proto == c[i].ip_proto &&
				      ntohs(kk.sport) == c[i].sport && ntohs(kk.dport) == c[i].dport,
			      "%s: kernel ret %d nhoff %u thoff %u proto %u ports %u %u, spec "
			      "%d %u %u %u %u %u",
			      c[i].name, kr, kk.nhoff, kk.thoff, kk.ip_proto, ntohs(kk.sport),
			      ntohs(kk.dport), c[i].retval, c[i].nhoff, c[i].thoff, c[i].ip_proto,
			      c[i].sport, c[i].dport);
		ck_assert_msg(kk.flags == c[i].flags, "%s: flags not echoed", c[i].name);
		ck_assert_msg(nr == kr && !memcmp(&nk, &kk, sizeof(kk)),
			      "%s: native image differs from the kernel (ret %d/%d)", c[i].name,
			      nr, kr);
	}
	/* Addresses and label, read from the frames' bytes. */
	{
		struct bpf_flow_keys kk, nk;
		int kr, nr;

		both(c[0].f.b, c[0].f.n, 0, &kk, &kr, &nk, &nr);
		ck_assert_uint_eq(kk.addr_proto, 0x0800);
		ck_assert_uint_eq(ntohl(kk.ipv4_src), 0xc0000201);
		ck_assert_uint_eq(ntohl(kk.ipv4_dst), 0xc6336402);
		ck_assert_uint_eq(ntohs(kk.n_proto), 0x0800);
		both(c[12].f.b, c[12].f.n, 0, &kk, &kr, &nk, &nr);
		ck_assert_str_eq(c[12].name, "ipv6/udp label");
		ck_assert_uint_eq(kk.addr_proto, 0x86dd);
		ck_assert_uint_eq(ntohl(kk.flow_label), 0x12345);
		ck_assert_uint_eq(((uint8_t *)kk.ipv6_dst)[15], 2);
		ck_assert_uint_eq(ntohl(kk.ipv6_src[0]), 0x20010db8);
	}
}
END_TEST

START_TEST(sweep)
{
	struct fd_case c[FD_MAX_CASES];
	unsigned int n = fd_cases(c), i, agree = 0, bad = 0, good = 0;
	uint32_t len, flags;

	if (no_kernel())
		return;
	for (i = 0; i < n; i++)
		for (len = OFD_IMG_MIN_LEN; len <= c[i].f.n; len++)
			for (flags = 0; flags < 8; flags++) {
				struct bpf_flow_keys kk, nk;
				int kr, nr;

				both(c[i].f.b, len, flags, &kk, &kr, &nk, &nr);
				ck_assert_msg(nr == kr && !memcmp(&nk, &kk, sizeof(kk)),
					      "%s cut at %u, flags %u: the images differ",
					      c[i].name, len, flags);
				agree++;
				kr == 0 ? good++ : bad++;
			}
	/* Truncation must end in drops, whole frames in OKs: the sweep saw
	 * both verdicts. */
	ck_assert_uint_gt(good, 100);
	ck_assert_uint_gt(bad, 100);
	printf("flowdis: %u runs (%u frames cut at every length x 8 flag sets): BPF_PROG_TEST_RUN "
	       "and the native image agree on all (%u BPF_OK, %u BPF_DROP)\n",
	       agree, n, good, bad);
}
END_TEST

static void read_file(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	ck_assert_msg(f, "%s", path);
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

START_TEST(engines)
{
	struct fd_case fc[FD_MAX_CASES];
	unsigned int n = fd_cases(fc), i, e;
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_DISSECT) };
	struct ofd_engine *eng[2];
	struct ofd_pkt pk[FD_MAX_CASES];
	struct ofd_case cs[FD_MAX_CASES];
	struct ofd_result *res[2][FD_MAX_CASES];
	char msg[512], path[512], sha[80];

	if (no_kernel())
		return;
	for (i = 0; i < n; i++) {
		pk[i] = (struct ofd_pkt){ fc[i].f.b, fc[i].f.n, 0 };
		cs[i] = (struct ofd_case){ .id = i, .offload = OFD_OFFLOAD_DISSECT, .npkts = 1,
					   .pkts = &pk[i] };
		cs[i].req.rx_flags = (uint8_t)fc[i].flags;
	}
	ck_assert_int_eq(ofd_engine__open("bpf", &eo, &eng[0], msg, sizeof(msg)), 0);
	ck_assert_int_eq(ofd_engine__open("parser", &eo, &eng[1], msg, sizeof(msg)), 0);
	for (e = 0; e < 2; e++) {
		for (i = 0; i < n; i++) {
			ck_assert_int_eq(ofd_result__new(4096, &res[e][i]), 0);
			ofd_result_reset(res[e][i]);
		}
		ck_assert_int_eq(eng[e]->ops->run(eng[e]->priv, cs, res[e], n), 0);
	}
	for (i = 0; i < n; i++) {
		struct ofd_flow_keys k[2];

		for (e = 0; e < 2; e++) {
			ck_assert_uint_eq(res[e][i]->status, OFD_RES_OK);
			ck_assert_uint_eq(res[e][i]->nframes, 1);
			ck_assert_int_eq(ofd_flow_keys_get(res[e][i]->frame[0].base,
							   res[e][i]->frame[0].len, &k[e]), 0);
		}
		ck_assert_msg(!memcmp(res[0][i]->frame[0].base, res[1][i]->frame[0].base,
				      OFD_FLOW_KEYS_LEN), "%s: records differ", fc[i].name);
		ck_assert_uint_eq(k[0].have, OFD_FK_HAVE_BASIC | OFD_FK_HAVE_ADDRS |
						     OFD_FK_HAVE_PORTS | OFD_FK_HAVE_FLOW_LABEL);
		ck_assert_uint_eq(k[0].status, fc[i].retval ? OFD_FK_BAD : OFD_FK_GOOD);
		ck_assert_uint_eq(k[0].thoff, fc[i].thoff);
		ck_assert_uint_eq(k[0].sport, fc[i].sport);
	}
	/* Encapsulation and fragment flags reach the record. */
	ck_assert_str_eq(fc[26].name, "ipv4/ipip/tcp");
	{
		struct ofd_flow_keys k;

		ofd_flow_keys_get(res[0][26]->frame[0].base, OFD_FLOW_KEYS_LEN, &k);
		ck_assert_uint_eq(k.flags, OFD_FK_ENCAPSULATION);
		ofd_flow_keys_get(res[0][6]->frame[0].base, OFD_FLOW_KEYS_LEN, &k);
		ck_assert_uint_eq(k.flags, OFD_FK_IS_FRAGMENT | OFD_FK_FIRST_FRAG);
	}
	/* One program, one hash: the build's. */
	ck_assert_int_eq(ofd_img_path(OFD_IMG_FLOWDIS ".sha256", path, sizeof(path)), 0);
	read_file(path, sha, sizeof(sha));
	ck_assert_uint_eq(strlen(sha), 64);
	for (e = 0; e < 2; e++) {
		ck_assert_str_eq(eng[e]->info.program, "ofd_dissector 1");
		ck_assert_str_eq(eng[e]->info.program_hash, sha);
		for (i = 0; i < n; i++)
			ofd_result__free(res[e][i]);
		ofd_engine__close(eng[e]);
	}
}
END_TEST

START_TEST(too_long)
{
	static uint8_t big[OFD_IMG_MAX_LEN + 1];
	struct bpf_flow_keys k;
	int r;

	if (no_kernel())
		return;
	memcpy(big + 12, "\x08\x00", 2);
	big[14] = 0x45;
	/* The kernel's own limit: one page. */
	ck_assert_int_eq(ofd_bpfimg_run(bpfimg, big, OFD_IMG_MAX_LEN, 0, 1, &k, &r, NULL), 0);
	ck_assert_int_lt(ofd_bpfimg_run(bpfimg, big, sizeof(big), 0, 1, &k, &r, NULL), 0);
	ck_assert_int_eq(ofd_nativeimg_run(natimg, big, sizeof(big), 0, &k, &r), -EINVAL);
	ck_assert_int_lt(ofd_bpfimg_run(bpfimg, big, 13, 0, 1, &k, &r, NULL), 0);
	ck_assert_int_eq(ofd_nativeimg_run(natimg, big, 13, 0, &k, &r), -EINVAL);
}
END_TEST

START_TEST(query)
{
	char path[512], sha[80], want[160], *out = NULL;
	int st;

	ck_assert_int_eq(ofd_img_path(OFD_IMG_FLOWDIS ".sha256", path, sizeof(path)), 0);
	read_file(path, sha, sizeof(sha));
	snprintf(want, sizeof(want), "program sha256  %s\n", sha);
	st = ofd_test_run(&out, false, "%s target query parser", ofd_test_offdiff());
	ck_assert_int_eq(st, 0);
	ck_assert_msg(strstr(out, "program         ofd_dissector 1\n") && strstr(out, want), "%s",
		      out);
	free(out);
	if (!no_kernel()) {
		st = ofd_test_run(&out, false, "%s -j target query bpf", ofd_test_offdiff());
		ck_assert_int_eq(st, 0);
		snprintf(want, sizeof(want), "\"program_sha256\":\"%s\"", sha);
		ck_assert_msg(strstr(out, want) && strstr(out, "\"engine\":\"bpf\""), "%s", out);
		free(out);
	}
	st = ofd_test_run(&out, false, "%s target query model", ofd_test_offdiff());
	ck_assert_int_eq(st, 0);
	ck_assert_msg(strstr(out, "version         offdiff-model") && !strstr(out, "program"), "%s",
		      out);
	free(out);
	st = ofd_test_run(&out, true, "%s target query nosuch", ofd_test_offdiff());
	ck_assert_int_eq(st, 2);
	free(out);
	/* a run's summary.json names the program a target ran, by the hash
	 * the build stored: the identity the allow-list keys it by */
	st = ofd_test_run(&out, false, "d=$(mktemp -d) && %s run specs/dissect.yaml -f dissect -t parser "
			  "--stop-after 40 -q --out $d >/dev/null; cat $d/*/summary.json; rm -rf $d",
			  ofd_test_offdiff());
	ck_assert_int_eq(st, 0);
	snprintf(want, sizeof(want), "\"program_sha256\": \"%s\"", sha);
	ck_assert_msg(strstr(out, want), "%s", out);
	free(out);
}
END_TEST

/* A shell command's exit status, its output dropped. */
__attribute__((format(printf, 1, 2))) static int sh(const char *fmt, ...)
{
	char cmd[1024], *text = NULL;
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = ofd_test_run(&text, true, "%s", cmd);
	free(text);
	return st;
}

/* ir_sha256.sh over a copy of the program in @dir. */
static void hash_copy(const char *dir, char *out, size_t len)
{
	char *text = NULL;
	int st;

	st = ofd_test_run(&text, false, "targets/progs/ir_sha256.sh %s/flow_dissector.c -I%s "
			  "-I/usr/include/$(cc -print-multiarch)", dir, dir);
	ck_assert_int_eq(st, 0);
	snprintf(out, len, "%s", text);
	out[strcspn(out, "\n")] = '\0';
	free(text);
	ck_assert_uint_eq(strlen(out), 64);
}

START_TEST(hash_one_line)
{
	char dir[256], path[512], built[80], copy[80], comment[80], changed[80];
	int st;

	if (system("command -v clang >/dev/null 2>&1")) {
		fprintf(stderr, "flowdis: hash_one_line skipped: no clang to compile the IR\n");
		return;
	}
	ck_assert_int_eq(ofd_img_path(OFD_IMG_FLOWDIS ".sha256", path, sizeof(path)), 0);
	read_file(path, built, sizeof(built));
	ofd_test_mkdtemp(dir, sizeof(dir), "flowdis");
	st = sh("cp targets/progs/flow_dissector.c targets/progs/ofd_prog.h %s/", dir);
	ck_assert_int_eq(st, 0);
	hash_copy(dir, copy, sizeof(copy));
	ck_assert_str_eq(copy, built);
	/* A comment is not the program. */
	st = sh("sed -i 's|^/\\* One step per program|/* 1 step per program|' "
		"%s/flow_dissector.c && grep -q '1 step per program' %s/flow_dissector.c", dir, dir);
	ck_assert_int_eq(st, 0);
	hash_copy(dir, comment, sizeof(comment));
	ck_assert_str_eq(comment, built);
	/* One line of code: IPv4 headers of 20 bytes become too short. */
	st = sh("sed -i 's|if (ihl < 5)|if (ihl < 6)|' %s/flow_dissector.c && "
		"grep -q 'ihl < 6' %s/flow_dissector.c", dir, dir);
	ck_assert_int_eq(st, 0);
	hash_copy(dir, changed, sizeof(changed));
	ck_assert_str_ne(changed, built);
	printf("flowdis: IR sha256 %s; with ihl < 6: %s\n", built, changed);
	sh("rm -rf %s", dir);
}
END_TEST

static Suite *flowdis_suite(void)
{
	Suite *s = suite_create("flowdis");
	TCase *tc = tcase_create("images");

	tcase_add_unchecked_fixture(tc, images_setup, images_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, spec_keys);
	tcase_add_test(tc, sweep);
	tcase_add_test(tc, engines);
	tcase_add_test(tc, too_long);
	tcase_add_test(tc, query);
	suite_add_tcase(s, tc);
	tc = tcase_create("hash");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, hash_one_line);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(flowdis_suite)
