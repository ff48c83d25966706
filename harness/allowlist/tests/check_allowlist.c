// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_allowlist.c - the allow-list's pieces through the library, as a
 * deployment tool links them (ofd_allowlist.h) and as build/sign use them.
 *
 * Values come from their definitions: SHA-256 of "abc" (FIPS 180-2,
 * appendix B.1), Ed25519 test vector 1 of RFC 8032 section 7.1 (key,
 * empty message, signature), the identity text form's grammar, the list's
 * canonical form as emitted then read back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "ofd_test.h"
#include "allowlist_internal.h"

static char dir[128];

static void setup(void)
{
	ofd_test_mkdtemp(dir, sizeof(dir), "al");
}

static void teardown(void)
{
	char cmd[192];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void unhex(const char *h, unsigned char *out, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned int v;

		ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
}

START_TEST(sha256_fips)
{
	char hex[65];

	ofd_al_sha256_hex("abc", 3, hex);
	ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	/* the empty string (FIPS 180-4 examples) */
	ofd_al_sha256_hex("", 0, hex);
	ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
END_TEST

/* RFC 8032 7.1 TEST 1: the vector's secret key as PEM files in dir. */
static void write_vector_keys(const char *key, const char *pub)
{
	unsigned char sk[32];
	EVP_PKEY *k;
	FILE *f;

	unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", sk, 32);
	k = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, sk, 32);
	ck_assert_ptr_nonnull(k);
	f = fopen(key, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	f = fopen(pub, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(PEM_write_PUBKEY(f, k), 1);
	fclose(f);
	EVP_PKEY_free(k);
}

START_TEST(ed25519_rfc8032_vector1)
{
	static const char want_sig[] =
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
	unsigned char pk[32], sig[64 + 2], want[64];
	char key[192], pub[192], pkhex[65], why[256];
	struct ofd_al_sig s;
	int n;

	snprintf(key, sizeof(key), "%s/v.key", dir);
	snprintf(pub, sizeof(pub), "%s/v.pub", dir);
	write_vector_keys(key, pub);
	ck_assert_int_eq(ofd_al_sign(key, "", 0, &s, why, sizeof(why)), 0);
	n = EVP_DecodeBlock(sig, (const unsigned char *)s.value, (int)strlen(s.value));
	ck_assert_int_eq(n, 66); /* 64 bytes and the two padding zeros */
	unhex(want_sig, want, 64);
	ck_assert_mem_eq(sig, want, 64);
	/* the key is named by the SHA-256 of the vector's public key */
	unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", pk, 32);
	ofd_al_sha256_hex(pk, 32, pkhex);
	ck_assert_str_eq(s.key_sha256, pkhex);
	ck_assert_int_eq(ofd_al_sig_verify(pub, "", 0, &s, why, sizeof(why)), OFD_AL_PERMIT);
	/* one more message byte: not the bytes signed */
	ck_assert_int_eq(ofd_al_sig_verify(pub, "x", 1, &s, why, sizeof(why)), OFD_AL_BAD_SIG);
}
END_TEST

START_TEST(identity_text)
{
	struct ofd_al_identity id, back;
	char s[600], err[256];

	ck_assert_int_eq(ofd_al_identity_parse("nic:driver=ixgbe,driver_version=6.18,"
					       "firmware=0x8000,bus_info=0000:03:00.0", &id,
					       err, sizeof(err)), 0);
	ck_assert_int_eq(id.kind, OFD_AL_NIC);
	ck_assert_str_eq(id.f[0], "ixgbe");
	ck_assert_str_eq(id.f[2], "0x8000");
	ck_assert_str_eq(id.f[3], "0000:03:00.0");
	/* keys in any order; ',' '=' '%' in values escaped as %XX */
	ck_assert_int_eq(ofd_al_identity_parse("plugin:identity=a%2Cb%3Dc%25,name=x", &id, err,
					       sizeof(err)), 0);
	ck_assert_str_eq(id.f[1], "a,b=c%");
	ofd_al_identity_str(&id, s, sizeof(s));
	ck_assert_str_eq(s, "plugin:name=x,identity=a%2Cb%3Dc%25");
	ck_assert_int_eq(ofd_al_identity_parse(s, &back, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_al_identity_cmp(&id, &back), 0);
	/* every key of the kind, once */
	ck_assert_int_eq(ofd_al_identity_parse("emu:profile=conformant", &id, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "missing version"));
	ck_assert_int_eq(ofd_al_identity_parse("emu:profile=a,profile=b,version=1", &id, err,
					       sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "repeated key 'profile'"));
	ck_assert_int_eq(ofd_al_identity_parse("fpga:x=1", &id, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unknown kind 'fpga'"));
	ck_assert_int_eq(ofd_al_identity_parse("program:sha256=%zz", &id, err, sizeof(err)),
			 -EINVAL);
}
END_TEST

/* Identities from summary.json targets, as docs/report-format.md defines
 * them: the iface target's device object, the emulator's profile, a
 * plugin's path setting in its label, a target with none. */
START_TEST(identity_from_report)
{
	struct ofd_al_identity id;
	char s[600], why[256];
	json_t *t;

	t = json_loads("{\"label\": \"iface:port=enp3s0f0,peer=enp3s0f1\", \"engine\": \"iface\","
		       " \"version\": \"x\", \"device\": {\"port\": \"enp3s0f0\", \"driver\": \"ixgbe\","
		       " \"driver_version\": \"6.18.44\", \"firmware_version\": \"0x800008, 1.3\","
		       " \"bus_info\": \"0000:03:00.0\"}}", 0, NULL);
	ck_assert_int_eq(ofd_al_identity_from_target(t, &id, why, sizeof(why)), 0);
	ofd_al_identity_str(&id, s, sizeof(s));
	ck_assert_str_eq(s, "nic:driver=ixgbe,driver_version=6.18.44,firmware=0x800008%2C 1.3,"
			 "bus_info=0000:03:00.0");
	json_decref(t);
	t = json_loads("{\"label\": \"emu:short-tail\", \"engine\": \"emu\", \"profile\": "
		       "\"short-tail\", \"version\": \"offdiff-emu 1\"}", 0, NULL);
	ck_assert_int_eq(ofd_al_identity_from_target(t, &id, why, sizeof(why)), 0);
	ofd_al_identity_str(&id, s, sizeof(s));
	ck_assert_str_eq(s, "emu:profile=short-tail,version=offdiff-emu 1");
	json_decref(t);
	t = json_loads("{\"label\": \"plugin:path=/opt/x/my_nic.so,isolate=off\", \"engine\": "
		       "\"plugin\", \"version\": \"my nic 7\"}", 0, NULL);
	ck_assert_int_eq(ofd_al_identity_from_target(t, &id, why, sizeof(why)), 0);
	ofd_al_identity_str(&id, s, sizeof(s));
	ck_assert_str_eq(s, "plugin:name=my_nic,identity=my nic 7");
	json_decref(t);
	t = json_loads("{\"label\": \"capture:file=w.pcap\", \"engine\": \"capture\"}", 0, NULL);
	ck_assert_int_eq(ofd_al_identity_from_target(t, &id, why, sizeof(why)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(why, "names no device identity"));
	json_decref(t);
}
END_TEST

START_TEST(kernel_versions)
{
	char k[64];

	ofd_al_kernel_of("offdiff-model 1 (Linux 6.18 semantics)", k, sizeof(k));
	ck_assert_str_eq(k, "6.18");
	ofd_al_kernel_of("Linux 6.18.44-fc-v595", k, sizeof(k));
	ck_assert_str_eq(k, "6.18.44-fc-v595");
	ofd_al_kernel_of("offdiff example HW_CSUM device 1", k, sizeof(k));
	ck_assert_str_eq(k, "");
	ck_assert(ofd_al_kernel_match("6.18", "6.18.44-fc-v595"));
	ck_assert(ofd_al_kernel_match("6.18", "6.18"));
	ck_assert(ofd_al_kernel_match("6.18", "6.18-rc1"));
	ck_assert(!ofd_al_kernel_match("6.18", "6.180"));
	ck_assert(!ofd_al_kernel_match("6.18.44", "6.18"));
	ck_assert(!ofd_al_kernel_match("", "6.18"));
}
END_TEST

/* A list of four entries: conformant permits tso on 6.18 but not on
 * 6.18.7, a bug profile denies, a program permits. */
static void two_entries(struct ofd_al_list *l, const char *expires)
{
	memset(l, 0, sizeof(*l));
	l->version = 7;
	snprintf(l->issued, sizeof(l->issued), "2026-01-01T00:00:00Z");
	snprintf(l->expires, sizeof(l->expires), "%s", expires);
	memset(l->policy_sha256, 'a', 64);
	l->e = calloc(4, sizeof(*l->e));
	ck_assert_ptr_nonnull(l->e);
	l->n = 4;
	/* given out of order: emit sorts */
	l->e[0].id.kind = OFD_AL_EMU;
	strcpy(l->e[0].id.f[0], "tso-psh-every");
	strcpy(l->e[0].id.f[1], "offdiff-emu 1");
	strcpy(l->e[0].offload, "tso");
	strcpy(l->e[0].kernel, "6.18");
	ofd_al_strs_add(&l->e[0].classes, "psh-fin-every-segment");
	strcpy(l->e[0].reason, "1407 critical cases: psh-fin-every-segment");
	ofd_al_strs_add(&l->e[0].ev.runs, "r2");
	ofd_al_strs_add(&l->e[0].ev.runs, "r1");
	l->e[0].ev.verdicts[OFD_V_DISCREPANCY] = 1407;
	l->e[1].id.kind = OFD_AL_EMU;
	strcpy(l->e[1].id.f[0], "conformant");
	strcpy(l->e[1].id.f[1], "offdiff-emu 1");
	strcpy(l->e[1].offload, "tso");
	strcpy(l->e[1].kernel, "6.18");
	l->e[1].permit = true;
	l->e[1].ev.verdicts[OFD_V_EQUAL] = 3021;
	l->e[1].ev.fuzz_known = true;
	/* one release of the series: a kernel run's deny beside the model's
	 * permit for conformant */
	l->e[3].id = l->e[1].id;
	strcpy(l->e[3].offload, "tso");
	strcpy(l->e[3].kernel, "6.18.7");
	strcpy(l->e[3].reason, "1 critical case: x");
	ofd_al_strs_add(&l->e[3].classes, "x");
	/* and a program, by its hash */
	l->e[2].id.kind = OFD_AL_PROGRAM;
	strcpy(l->e[2].id.f[0], "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
	strcpy(l->e[2].offload, "tso");
	strcpy(l->e[2].kernel, "6.18");
	l->e[2].permit = true;
	ofd_al_list_sort(l);
}

static void write_file(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
}

START_TEST(canonical_roundtrip)
{
	struct ofd_al_list l, back;
	struct ofd_al_sig sig = { .value = "x" }, got;
	char *a = NULL, *b = NULL, *s = NULL, err[512];
	size_t la, lb, ls;
	bool has;

	two_entries(&l, "2099-01-01T00:00:00Z");
	ck_assert_int_eq(ofd_al_emit(&l, NULL, &a, &la), 0);
	/* sorted by identity text: conformant first; runs sorted */
	ck_assert(strstr(a, "profile: conformant") < strstr(a, "profile: tso-psh-every"));
	ck_assert(strstr(a, "- r1") && strstr(a, "- r1") < strstr(a, "- r2"));
	/* fuzz_execs present only where known */
	ck_assert_ptr_nonnull(strstr(a, "fuzz_execs: 0"));
	ck_assert_ptr_null(strstr(strstr(a, "tso-psh-every"), "fuzz_execs"));
	ck_assert_int_eq(ofd_al_load("t.yaml", a, la, &back, &got, &has, err, sizeof(err)), 0);
	ck_assert(!has);
	ck_assert_int_eq(ofd_al_emit(&back, NULL, &b, &lb), 0);
	ck_assert_uint_eq(la, lb);
	ck_assert_mem_eq(a, b, la);
	/* signing appends: the signed bytes are the unsigned list */
	strcpy(sig.key_sha256, "00");
	ck_assert_int_eq(ofd_al_emit(&l, &sig, &s, &ls), 0);
	ck_assert_uint_eq(ofd_al_signed_len(s, ls), la);
	ck_assert_mem_eq(s, a, la);
	ck_assert_uint_eq(ofd_al_signed_len(a, la), la);
	free(a);
	free(b);
	free(s);
	ofd_al_list_free(&l);
	ofd_al_list_free(&back);
}
END_TEST

/* Malformed lists: one line naming file:line:col, never a crash. */
START_TEST(malformed_list)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "offdiff_allowlist: 1\nversion: [\n", "m.yaml:3:1:" },
		{ "offdiff_allowlist: 2\n", "m.yaml:1:20: offdiff_allowlist: format 2" },
		{ "offdiff_allowlist: 1\nversion: -3\n", "m.yaml:2:10: version: expected a non-negative" },
		{ "offdiff_allowlist: 1\nversion: 1\nissued: a\nexpires: soon\n",
		  "m.yaml:4:10: expires: expected YYYY" },
		{ "offdiff_allowlist: 1\nversion: 1\nissued: a\nexpires: 2099-01-01T00:00:00Z\n"
		  "policy_sha256: x\nentries:\n- identity: {kind: fpga}\n",
		  "m.yaml:7:20: identity: unknown kind 'fpga'" },
		{ "offdiff_allowlist: 1\nversion: 1\nissued: a\nexpires: 2099-01-01T00:00:00Z\n"
		  "policy_sha256: x\nentries: []\nbogus: 1\n", "m.yaml:7:1: unknown key 'bogus'" },
		{ "- just\n- a list\n", "m.yaml:1:1: not an allow-list" },
	};
	struct ofd_al_list l;
	struct ofd_al_sig sig;
	char err[512];
	bool has;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_int_ne(ofd_al_load("m.yaml", bad[i].text, strlen(bad[i].text), &l, &sig,
					     &has, err, sizeof(err)), 0);
		ck_assert_msg(strstr(err, bad[i].want), "%zu: got '%s', want '%s'", i, err,
			      bad[i].want);
		ck_assert_ptr_null(strchr(err, '\n'));
	}
}
END_TEST

/* Damaged lists (bytes replaced, cut, inserted; a fixed seed): the
 * loader returns a one-line located error or a list, never a crash. */
START_TEST(mutated_lists)
{
	static const char ins[][8] = { "\n- ", ": ", "{", "[", "&a ", "*a", "\n  x: y", "'" };
	struct ofd_al_list l, back;
	struct ofd_al_sig sig;
	char *base = NULL, *m, err[512];
	size_t len, i, ok = 0;
	uint64_t x = 0x9e3779b97f4a7c15ull;
	bool has;

	two_entries(&l, "2099-01-01T00:00:00Z");
	ck_assert_int_eq(ofd_al_emit(&l, NULL, &base, &len), 0);
	ofd_al_list_free(&l);
	m = malloc(len + 64);
	ck_assert_ptr_nonnull(m);
	for (i = 0; i < 3000; i++) {
		size_t n = len, k, pos;

		memcpy(m, base, len);
		for (k = 0; k < 1 + i % 3; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17; /* xorshift64 */
			pos = (size_t)(x % n);
			if (x >> 62 == 0) {
				m[pos] = (char)(x >> 40);
			} else if (x >> 62 == 1) {
				size_t cut = 1 + (x >> 20) % 40;

				cut = cut > n - pos ? n - pos : cut;
				memmove(m + pos, m + pos + cut, n - pos - cut);
				n -= cut;
			} else {
				const char *t = ins[(x >> 30) % 8];
				size_t tl = strlen(t);

				if (n + tl > len + 60)
					continue;
				memmove(m + pos + tl, m + pos, n - pos);
				memcpy(m + pos, t, tl);
				n += tl;
			}
		}
		err[0] = '\0';
		if (!ofd_al_load("m.yaml", m, n, &back, &sig, &has, err, sizeof(err))) {
			ok++;
			ofd_al_list_free(&back);
			continue;
		}
		ck_assert_msg(!strncmp(err, "m.yaml", 6) && !strchr(err, '\n'), "%zu: %s", i, err);
	}
	/* most damage is refused: a list is not read past what it says */
	ck_assert_uint_lt(ok, 3000 / 2);
	free(m);
	free(base);
}
END_TEST

START_TEST(malformed_policy)
{
	char path[192], err[512];
	struct ofd_al_policy p;

	snprintf(path, sizeof(path), "%s/p.yaml", dir);
	write_file(path, "offdiff_allowlist_policy: 1\nmin_case: 3\n", 40);
	ck_assert_int_eq(ofd_al_policy_load(path, &p, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, "p.yaml:2:1: unknown key 'min_case'"), "%s", err);
	/* the bundled policy loads, and its digest is of its bytes */
	ck_assert_int_eq(ofd_al_policy_load("specs/allowlist-policy.yaml", &p, err, sizeof(err)), 0);
	ck_assert(p.ref_kernel && p.ref_model && p.model_selfcheck);
	ck_assert_uint_gt(p.expiry_days, 0);
	/* its gro minimum (a case is a train) is read by the offload's name */
	ck_assert_uint_eq(p.nmin_off, 1);
	ck_assert_str_eq(p.min_off[0], "gro");
	ofd_al_policy_free(&p);
	/* an ethtool alias names the offload; an unknown name is an error at
	 * its value's line:column */
	snprintf(err, sizeof(err), "%s", "");
	{
		static const char base[] = "offdiff_allowlist_policy: 1\nmin_cases: 5\n"
			"min_corpus_frames: 1\ncorpus_sha256: []\nmin_fuzz_execs: 0\n"
			"expiry_days: 9\nreferences: [model]\nmodel_selfcheck: false\n";
		char text[512];

		snprintf(text, sizeof(text), "%smin_cases_by_offload: {generic-receive-offload: 2}\n", base);
		write_file(path, text, strlen(text));
		ck_assert_int_eq(ofd_al_policy_load(path, &p, err, sizeof(err)), 0);
		ck_assert_str_eq(p.min_off[0], "gro");
		ck_assert_uint_eq(p.min_off_cases[0], 2);
		ofd_al_policy_free(&p);
		snprintf(text, sizeof(text), "%smin_cases_by_offload:\n  grow: 2\n", base);
		write_file(path, text, strlen(text));
		ck_assert_int_eq(ofd_al_policy_load(path, &p, err, sizeof(err)), -EINVAL);
		ck_assert_msg(strstr(err, "p.yaml:10:9: min_cases_by_offload: 'grow' is not an offload"),
			      "%s", err);
	}
}
END_TEST

/* A signed two-entry list at path, signed with key. */
static void signed_list(const char *path, const char *key, const char *expires,
			uint64_t version)
{
	struct ofd_al_list l;
	struct ofd_al_sig sig;
	char *buf = NULL, err[512];
	size_t len;

	two_entries(&l, expires);
	l.version = version;
	ck_assert_int_eq(ofd_al_emit(&l, NULL, &buf, &len), 0);
	ck_assert_int_eq(ofd_al_sign(key, buf, len, &sig, err, sizeof(err)), 0);
	free(buf);
	ck_assert_int_eq(ofd_al_emit(&l, &sig, &buf, &len), 0);
	write_file(path, buf, len);
	free(buf);
	ofd_al_list_free(&l);
}

/* What a deployment tool does: ofd_allowlist_check() from the library. */
START_TEST(library_check)
{
	char key[192], pub[192], list[192], pre[192], why[512], state[192];
	struct ofd_al_query q = { .list = list, .pub = pub, .offload = "tcp-segmentation-offload",
				  .kernel = "6.18.44-fc-v595" };

	snprintf(pre, sizeof(pre), "%s/k", dir);
	snprintf(key, sizeof(key), "%s.key", pre);
	snprintf(pub, sizeof(pub), "%s.pub", pre);
	snprintf(list, sizeof(list), "%s/l.yaml", dir);
	snprintf(state, sizeof(state), "%s/state", dir);
	ck_assert_int_eq(ofd_al_keygen(pre, why, sizeof(why)), 0);
	ck_assert_int_eq(access(key, R_OK) | access(pub, R_OK), 0);
	signed_list(list, key, "2099-01-01T00:00:00Z", 7);

	q.device = "emu:profile=conformant,version=offdiff-emu 1";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_PERMIT);
	ck_assert_msg(!strncmp(why, "permit: ", 8), "%s", why);
	q.device = "emu:profile=tso-psh-every,version=offdiff-emu 1";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_DENY);
	ck_assert_msg(strstr(why, "psh-fin-every-segment"), "%s", why);
	/* the release a kernel run denied: the deny wins over the series */
	q.device = "emu:profile=conformant,version=offdiff-emu 1";
	q.kernel = "6.18.7";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_DENY);
	ck_assert_msg(strstr(why, "kernel 6.18.7: 1 critical case: x"), "%s", why);
	/* no kernel given: any deny of the device and offload wins */
	q.kernel = NULL;
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_DENY);
	q.kernel = "6.18.44-fc-v595";
	/* another kernel series: no entry */
	q.device = "emu:profile=conformant,version=offdiff-emu 1";
	q.kernel = "6.12.9";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_DENY);
	ck_assert_msg(strstr(why, "no entry"), "%s", why);
	q.kernel = "6.18.44";
	/* a program whose hash has no entry: denied even on a permitted device */
	q.program_hash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_DENY);
	ck_assert_msg(strstr(why, "program:sha256=e3b0"), "%s", why);
	q.program_hash = NULL;
	/* the program alone (a software device identified by its hash) */
	q.device = NULL;
	q.program_hash = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_PERMIT);
	/* with a device: both must permit */
	q.device = "emu:profile=conformant,version=offdiff-emu 1";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_PERMIT);
	q.device = "emu:profile=tso-psh-every,version=offdiff-emu 1";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_DENY);
	q.device = "emu:profile=conformant,version=offdiff-emu 1";
	q.program_hash = "D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_ERROR);
	q.program_hash = NULL;
	/* a query that cannot be asked */
	q.offload = "warp-drive";
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_ERROR);
	q.offload = "tso";

	/* rollback: version 7 seen, then 6 refused, 8 accepted and kept */
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, state, 0, why, sizeof(why)), 0);
	signed_list(list, key, "2099-01-01T00:00:00Z", 6);
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, state, 0, why, sizeof(why)),
			 OFD_AL_ROLLBACK);
	ck_assert_msg(strstr(why, "version 6 is older than version 7"), "%s", why);
	q.state = state;
	ck_assert_int_eq(ofd_allowlist_check(&q, why, sizeof(why)), OFD_AL_DENY);
	q.state = NULL;
	signed_list(list, key, "2099-01-01T00:00:00Z", 8);
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, state, 0, why, sizeof(why)), 0);
	signed_list(list, key, "2099-01-01T00:00:00Z", 7);
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, state, 0, why, sizeof(why)),
			 OFD_AL_ROLLBACK);

	/* expired: at its expiry second, and the clock given */
	signed_list(list, key, "2030-01-01T00:00:00Z", 9);
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, NULL, 1893456000 - 1, why,
					      sizeof(why)), 0);
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, NULL, 1893456000, why,
					      sizeof(why)), OFD_AL_EXPIRED);
	ck_assert_msg(strstr(why, "expired on 2030-01-01T00:00:00Z"), "%s", why);
}
END_TEST

START_TEST(rejects_tamper_key_unsigned)
{
	char key[192], pub[192], list[192], pre[192], why[512], other[192], cmd[600];
	char *buf;
	size_t len, i, at;
	FILE *f;

	snprintf(pre, sizeof(pre), "%s/k", dir);
	snprintf(key, sizeof(key), "%s.key", pre);
	snprintf(pub, sizeof(pub), "%s.pub", pre);
	snprintf(list, sizeof(list), "%s/l.yaml", dir);
	ck_assert_int_eq(ofd_al_keygen(pre, why, sizeof(why)), 0);
	/* an existing key is never overwritten */
	ck_assert_int_ne(ofd_al_keygen(pre, why, sizeof(why)), 0);
	snprintf(other, sizeof(other), "%s/o", dir);
	ck_assert_int_eq(ofd_al_keygen(other, why, sizeof(why)), 0);
	strcat(other, ".pub");
	signed_list(list, key, "2099-01-01T00:00:00Z", 7);
	ck_assert_int_eq(ofd_allowlist_verify(list, other, NULL, NULL, 0, why, sizeof(why)),
			 OFD_AL_WRONG_KEY);
	ck_assert_msg(strstr(why, "signed by another key"), "%s", why);

	/* every single byte of the signed part changed is caught: flip one
	 * bit at a few places across the list */
	f = fopen(list, "r");
	ck_assert_ptr_nonnull(f);
	buf = malloc(1 << 16);
	len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	at = ofd_al_signed_len(buf, len);
	ck_assert_uint_lt(at, len);
	for (i = 0; i < at; i += at / 7) {
		buf[i] ^= 0x01;
		write_file(list, buf, len);
		ck_assert_msg(ofd_allowlist_verify(list, pub, NULL, NULL, 0, why, sizeof(why)) ==
			      OFD_AL_BAD_SIG, "byte %zu: %s", i, why);
		buf[i] ^= 0x01;
	}
	write_file(list, buf, len);
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, NULL, 0, why, sizeof(why)), 0);
	/* the signature cut off: unsigned */
	write_file(list, buf, at);
	ck_assert_int_eq(ofd_allowlist_verify(list, pub, NULL, NULL, 0, why, sizeof(why)),
			 OFD_AL_UNSIGNED);
	free(buf);
	snprintf(cmd, sizeof(cmd), "test -z \"$(find %s -name k.key -perm /077)\"", dir);
	ck_assert_int_eq(system(cmd), 0); /* the private key is 0600 */
}
END_TEST

/* A report directory dir/name holding summary.json text. */
static void report(const char *name, const char *json)
{
	char path[256];
	json_error_t je;
	json_t *j = json_loads(json, 0, &je);

	ck_assert_msg(j != NULL, "%s: %s", name, je.text);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	strcat(path, "/summary.json");
	ck_assert_int_eq(json_dump_file(j, path, 0), 0);
	json_decref(j);
}

static const struct ofd_al_entry *entry_of(const struct ofd_al_list *l, const char *idtext,
					   const char *off)
{
	char s[600];
	size_t i;

	for (i = 0; i < l->n; i++) {
		ofd_al_identity_str(&l->e[i].id, s, sizeof(s));
		if (!strcmp(s, idtext) && !strcmp(l->e[i].offload, off))
			return &l->e[i];
	}
	ck_abort_msg("no entry %s %s", idtext, off);
	return NULL;
}

#define V(eq, disc) "{\"equal\": " #eq ", \"discrepancy\": " #disc ", \"both-rejected\": 0, " \
	"\"one-rejected\": 0, \"target-fault\": 0, \"unsupported\": 0}"
#define NIC "nic:driver=ixgbe,driver_version=6.18.44,firmware=1.2,bus_info=0000:03:00.0"

/* The build rules (build.c, docs/allowlist.md) on reports written to
 * the format's definition (docs/report-format.md). */
START_TEST(build_rules)
{
	struct ofd_al_build_opts o = { .issued = "2026-01-01T00:00:00Z" };
	struct ofd_al_policy p;
	struct ofd_al_list l;
	const struct ofd_al_entry *e;
	char err[512], d1[192], d2[192], d3[192], d4[192], *dirs[4] = { d1, d2, d3, d4 };

	ck_assert_int_eq(ofd_al_policy_load("specs/allowlist-policy.yaml", &p, err, sizeof(err)), 0);
	ck_assert_uint_eq(p.min_cases, 500); /* the values below are chosen around it */
	/* the kernel as the reference, a NIC through iface: 600 tx-csum
	 * cases pass, 100 tso cases are too few */
	report("r1", "{\"complete\": \"complete\", \"spec\": \"x.yaml\", \"finished\": "
	       "\"2026-01-01T00:00:00Z\", \"corpus_sha256\": \"ab\", \"corpus\": {\"frames\": 700},"
	       " \"reference\": {\"engine\": \"kernel\", \"version\": \"Linux 6.18.44-x\"},"
	       " \"offloads\": [{\"name\": \"tx-csum\"}, {\"name\": \"tso\"}], \"targets\": ["
	       "{\"label\": \"iface:port=p0,peer=p1\", \"engine\": \"iface\", \"version\": \"v\","
	       " \"device\": {\"driver\": \"ixgbe\", \"driver_version\": \"6.18.44\","
	       " \"firmware_version\": \"1.2\", \"bus_info\": \"0000:03:00.0\"},"
	       " \"verdicts_by_offload\": {\"tx-csum\": " V(600, 0) ", \"tso\": " V(100, 0) "},"
	       " \"classes\": []},"
	       "{\"label\": \"null\", \"engine\": \"null\", \"classes\": []}]}");
	/* a stopped run still denies what it found */
	report("r2", "{\"complete\": \"stopped\", \"spec\": \"x.yaml\", \"finished\": "
	       "\"2026-01-02T00:00:00Z\", \"corpus\": {\"frames\": 700},"
	       " \"reference\": {\"engine\": \"kernel\", \"version\": \"Linux 6.18.44-x\"},"
	       " \"offloads\": [{\"name\": \"tx-csum\"}], \"targets\": ["
	       "{\"label\": \"emu:short-tail\", \"engine\": \"emu\", \"profile\": \"short-tail\","
	       " \"version\": \"offdiff-emu 1\", \"verdicts_by_offload\": {\"tx-csum\": " V(5, 3) "},"
	       " \"classes\": [{\"class\": \"wrong-length\", \"offload\": \"tx-csum\", \"severity\":"
	       " \"critical\", \"count\": 3}, {\"class\": \"b\", \"offload\": \"tx-csum\","
	       " \"severity\": \"benign\", \"count\": 9}]}]}");
	/* the model without a selfcheck; a report without per-offload
	 * counts over two offloads */
	report("r3", "{\"complete\": \"complete\", \"spec\": \"x.yaml\", \"finished\": "
	       "\"2026-01-01T00:00:00Z\", \"corpus\": {\"frames\": 700},"
	       " \"reference\": {\"engine\": \"model\", \"version\": \"offdiff-model 1 (Linux 6.18 semantics)\"},"
	       " \"offloads\": [{\"name\": \"tx-csum\"}], \"targets\": ["
	       "{\"label\": \"emu:conformant\", \"engine\": \"emu\", \"profile\": \"conformant\","
	       " \"version\": \"offdiff-emu 1\", \"verdicts_by_offload\": {\"tx-csum\": " V(900, 0) "},"
	       " \"classes\": []}]}");
	report("r4", "{\"complete\": \"complete\", \"spec\": \"x.yaml\", \"finished\": "
	       "\"2026-01-01T00:00:00Z\", \"corpus\": {\"frames\": 700},"
	       " \"reference\": {\"engine\": \"kernel\", \"version\": \"Linux 6.18.44-x\"},"
	       " \"offloads\": [{\"name\": \"tx-csum\"}, {\"name\": \"tso\"}], \"targets\": ["
	       "{\"label\": \"plugin:path=m.so\", \"engine\": \"plugin\", \"version\": \"m 1\","
	       " \"verdicts\": " V(900, 0) ", \"classes\": []}]}");
	snprintf(d1, sizeof(d1), "%s/r4", dir); /* given out of order */
	snprintf(d2, sizeof(d2), "%s/r2/", dir);
	snprintf(d3, sizeof(d3), "%s/r1", dir);
	snprintf(d4, sizeof(d4), "%s/r3", dir);
	ck_assert_int_eq(ofd_al_build(&p, dirs, 4, &o, &l, err, sizeof(err)), 0);

	e = entry_of(&l, NIC, "tx-csum");
	ck_assert(e->permit);
	ck_assert_str_eq(e->kernel, "6.18.44-x");
	ck_assert_uint_eq(e->ev.verdicts[OFD_V_EQUAL], 600);
	ck_assert_str_eq(e->ev.runs.v[0], "r1");
	e = entry_of(&l, NIC, "tso");
	ck_assert(!e->permit);
	ck_assert_str_eq(e->reason, "policy: 100 compared cases, min_cases is 500");
	e = entry_of(&l, "emu:profile=short-tail,version=offdiff-emu 1", "tx-csum");
	ck_assert(!e->permit);
	ck_assert_uint_eq(e->classes.n, 1); /* the benign class is not a reason */
	ck_assert_str_eq(e->classes.v[0], "wrong-length");
	ck_assert_str_eq(e->reason, "3 critical cases: wrong-length");
	e = entry_of(&l, "emu:profile=conformant,version=offdiff-emu 1", "tx-csum");
	ck_assert(!e->permit);
	ck_assert_str_eq(e->kernel, "6.18");
	ck_assert_msg(strstr(e->reason, "no passing tx-csum selfcheck on Linux 6.18"), "%s",
		      e->reason);
	e = entry_of(&l, "plugin:name=m,identity=m 1", "tso");
	ck_assert(!e->permit);
	ck_assert_msg(strstr(e->reason, "no per-offload counts"), "%s", e->reason);
	/* the null device has no identity: 2 + 1 + 1 + 2 entries */
	ck_assert_uint_eq(l.n, 6);
	ck_assert_str_eq(l.issued, "2026-01-01T00:00:00Z");
	ck_assert_str_eq(l.expires, "2026-04-01T00:00:00Z"); /* 90 days */
	ck_assert_uint_eq(l.version, 1767225600);             /* the issue time */
	ofd_al_list_free(&l);

	/* with the model's selfcheck on a 6.18 kernel among the reports */
	report("s1", "{\"complete\": \"complete\", \"spec\": \"selfcheck\", \"finished\": "
	       "\"2026-01-01T00:00:00Z\", \"reference\": {\"engine\": \"kernel\", \"version\":"
	       " \"Linux 6.18.44-x\"}, \"offloads\": [{\"name\": \"tx-csum\"}], \"targets\": ["
	       "{\"label\": \"model\", \"engine\": \"model\", \"version\": \"offdiff-model 1 (Linux"
	       " 6.18 semantics)\", \"verdicts_by_offload\": {\"tx-csum\": " V(892, 0) "},"
	       " \"classes\": []}]}");
	snprintf(d1, sizeof(d1), "%s/s1", dir);
	ck_assert_int_eq(ofd_al_build(&p, dirs + 3, 1, &o, &l, err, sizeof(err)), 0);
	ck_assert(!l.e[0].permit);
	ofd_al_list_free(&l);
	dirs[1] = d4;
	ck_assert_int_eq(ofd_al_build(&p, dirs, 2, &o, &l, err, sizeof(err)), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_msg(l.e[0].permit, "%s", l.e[0].reason);
	ck_assert_str_eq(l.e[0].ev.selfcheck.v[0], "s1: 892 cases equal to Linux 6.18.44-x");
	ofd_al_list_free(&l);
	ofd_al_policy_free(&p);
}
END_TEST

static Suite *allowlist_suite(void)
{
	Suite *s = suite_create("allowlist");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sha256_fips);
	tcase_add_test(tc, ed25519_rfc8032_vector1);
	tcase_add_test(tc, identity_text);
	tcase_add_test(tc, identity_from_report);
	tcase_add_test(tc, kernel_versions);
	tcase_add_test(tc, canonical_roundtrip);
	tcase_add_test(tc, malformed_list);
	tcase_add_test(tc, mutated_lists);
	tcase_add_test(tc, malformed_policy);
	tcase_add_test(tc, build_rules);
	tcase_add_test(tc, library_check);
	tcase_add_test(tc, rejects_tamper_key_unsigned);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(allowlist_suite)
