// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * allowlist.c - `offdiff allowlist build|sign|verify|check`: reports
 * become a signed list a deployment tool checks before it turns an
 * offload on (docs/allowlist.md; the library side is harness/allowlist/).
 *
 * Exit codes are the library's enum ofd_al_status, so a script and a
 * program that links libofd read the same numbers.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allowlist_internal.h"
#include "ofd_cli.h"
#include "ofd_offload.h"
#include "ofd_safe_open.h"
#include "ofd_spec.h"

#define DEFAULT_POLICY "specs/allowlist-policy.yaml"

/* Write bytes to path whole (a temporary renamed over it), or to stdout
 * for "-" or NULL. */
static int write_out(const char *path, const char *buf, size_t len)
{
	char tmp[PATH_MAX + 8];
	FILE *f;
	int ok;

	if (!path || !strcmp(path, "-"))
		return fwrite(buf, 1, len, stdout) == len ? 0 : -EIO;
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		ofd_cli_err("%s: %s", tmp, strerror(errno));
		return -errno;
	}
	ok = fwrite(buf, 1, len, f) == len;
	ok &= fclose(f) == 0;
	if (!ok || rename(tmp, path)) {
		ofd_cli_err("%s: %s", path, strerror(errno ? errno : EIO));
		unlink(tmp);
		return -EIO;
	}
	return 0;
}

/* ---- build ---- */

struct build_opts {
	const char *policy, *out, *issued;
	uint64_t version;
};

static const struct ofd_opt build_opts[] = {
	OFD_OPT(0, "policy", OFD_OPT_STR, struct build_opts, policy, "FILE",
		"the policy (default: the bundled " DEFAULT_POLICY ")"),
	OFD_OPT('o', "out", OFD_OPT_STR, struct build_opts, out, "LIST",
		"write the list here (default: stdout)"),
	OFD_OPT(0, "issued", OFD_OPT_STR, struct build_opts, issued, "TIME",
		"issue time, YYYY-MM-DDTHH:MM:SSZ (default: the newest report's finish)"),
	OFD_OPT_NUM(0, "list-version", struct build_opts, version, "N",
		    "the list's version, above every list deployed before (default: "
		    "the issue time in seconds)", 1, UINT64_MAX),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_build(int argc, char **argv)
{
	struct build_opts o = { 0 };
	struct ofd_al_build_opts bo = { 0 };
	struct ofd_al_policy p;
	struct ofd_al_list l;
	char err[1024], policy[PATH_MAX], *buf = NULL;
	size_t len = 0, i, permit = 0;
	int e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (o.policy)
		snprintf(policy, sizeof(policy), "%s", o.policy);
	else
		ofd_datadir_find(DEFAULT_POLICY, policy, sizeof(policy));
	if (ofd_al_policy_load(policy, &p, err, sizeof(err))) {
		ofd_cli_err("%s", err);
		return OFD_EXIT_USAGE;
	}
	bo.version = o.version;
	bo.issued = o.issued;
	bo.notes = ofd_g.quiet ? NULL : stderr;
	e = ofd_al_build(&p, argv + 1, (size_t)argc - 1, &bo, &l, err, sizeof(err));
	ofd_al_policy_free(&p);
	if (e) {
		ofd_cli_err("%s", err);
		return OFD_EXIT_USAGE;
	}
	e = ofd_al_emit(&l, NULL, &buf, &len);
	if (!e)
		e = write_out(o.out, buf, len);
	for (i = 0; i < l.n; i++)
		permit += l.e[i].permit;
	if (!e && o.out && !ofd_g.quiet)
		printf("%s: version %llu, %zu entries (%zu permit, %zu deny), expires %s\n", o.out,
		       (unsigned long long)l.version, l.n, permit, l.n - permit, l.expires);
	free(buf);
	ofd_al_list_free(&l);
	return e ? OFD_EXIT_WRITE : OFD_EXIT_EQUAL;
}

/* ---- sign ---- */

struct sign_opts {
	const char *key, *out, *detached;
};

static const struct ofd_opt sign_opts[] = {
	OFD_OPT('k', "key", OFD_OPT_STR, struct sign_opts, key, "KEY",
		"the Ed25519 private key (PEM, from offdiff key gen)"),
	OFD_OPT('o', "out", OFD_OPT_STR, struct sign_opts, out, "FILE",
		"write the signed list here (default: LIST, replaced)"),
	OFD_OPT(0, "detached", OFD_OPT_STR, struct sign_opts, detached, "SIG",
		"write the signature to SIG and leave the list as it is"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_sign(int argc, char **argv)
{
	struct sign_opts o = { 0 };
	struct ofd_al_list l;
	struct ofd_al_sig sig, old;
	char err[1024], *buf = NULL, *out = NULL;
	size_t len = 0, olen = 0;
	bool has_sig;
	int e = ofd_cli_parse(&o, &argc, argv), rc = OFD_EXIT_USAGE;

	if (e)
		return ofd_cli_parse_exit(e);
	if (!o.key) {
		ofd_cli_err("allowlist sign: --key KEY is required (offdiff key gen makes one)");
		return OFD_EXIT_USAGE;
	}
	if (ofd_read_regular(argv[1], OFD_MAX_YAML, &buf, &len, err, sizeof(err)) ||
	    ofd_al_load(argv[1], buf, len, &l, &old, &has_sig, err, sizeof(err))) {
		ofd_cli_err("%s", err);
		free(buf);
		return OFD_EXIT_USAGE;
	}
	/* What is signed is the canonical form: a list edited by hand is
	 * refused rather than signed as it reads. */
	ofd_al_list_sort(&l);
	e = ofd_al_emit(&l, NULL, &out, &olen);
	if (e || olen != ofd_al_signed_len(buf, len) || memcmp(out, buf, olen)) {
		ofd_cli_err("%s: not in canonical form (edited?): build it again with offdiff "
			    "allowlist build", argv[1]);
		goto done;
	}
	if (ofd_al_sign(o.key, out, olen, &sig, err, sizeof(err))) {
		ofd_cli_err("%s", err);
		goto done;
	}
	free(out);
	out = NULL;
	if (o.detached)
		e = ofd_al_emit_sig(&sig, &out, &olen) ?: write_out(o.detached, out, olen);
	else
		e = ofd_al_emit(&l, &sig, &out, &olen) ?: write_out(o.out ? o.out : argv[1], out,
								     olen);
	rc = e ? OFD_EXIT_WRITE : OFD_EXIT_EQUAL;
	if (!e && !ofd_g.quiet)
		printf("%s: signed (ed25519, key sha256 %.16s...), version %llu%s%s\n",
		       o.detached ? o.detached : o.out ? o.out : argv[1], sig.key_sha256,
		       (unsigned long long)l.version, o.detached ? ", detached from " : "",
		       o.detached ? argv[1] : "");
done:
	free(out);
	free(buf);
	ofd_al_list_free(&l);
	return rc;
}

/* ---- verify ---- */

struct verify_opts {
	const char *pub, *sig, *state;
};

static const struct ofd_opt verify_opts[] = {
	OFD_OPT(0, "pub", OFD_OPT_STR, struct verify_opts, pub, "PUB",
		"the Ed25519 public key (PEM)"),
	OFD_OPT(0, "sig", OFD_OPT_STR, struct verify_opts, sig, "SIG",
		"a detached signature (default: the one in the list)"),
	OFD_OPT(0, "state", OFD_OPT_STR, struct verify_opts, state, "FILE",
		"remembers the highest version seen; an older list is refused"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

#define VERIFY_CODES \
	"exit codes: 0 good; 2 unreadable or malformed list, key or state; 10 unsigned;\n" \
	"  11 bad signature (the bytes changed); 12 signed by another key; 13 expired;\n" \
	"  14 rollback (older than the version in --state)\n"

static int do_verify(int argc, char **argv)
{
	struct verify_opts o = { 0 };
	char why[1024];
	int e = ofd_cli_parse(&o, &argc, argv), rc;

	if (e)
		return ofd_cli_parse_exit(e);
	if (!o.pub) {
		ofd_cli_err("allowlist verify: --pub PUB is required");
		return OFD_EXIT_USAGE;
	}
	rc = ofd_allowlist_verify(argv[1], o.pub, o.sig, o.state, 0, why, sizeof(why));
	if (rc == OFD_AL_PERMIT) {
		if (!ofd_g.quiet)
			printf("%s\n", why);
	} else {
		ofd_cli_err("%s", why);
	}
	return rc;
}

/* ---- check ---- */

struct check_opts {
	struct ofd_al_query q;
	int offload; /* the parser's offload names and suggestions */
};

static const struct ofd_opt check_opts[] = {
	OFD_OPT('l', "list", OFD_OPT_STR, struct check_opts, q.list, "LIST", "the signed list"),
	OFD_OPT(0, "pub", OFD_OPT_STR, struct check_opts, q.pub, "PUB",
		"the Ed25519 public key (PEM)"),
	OFD_OPT(0, "sig", OFD_OPT_STR, struct check_opts, q.sig, "SIG", "a detached signature"),
	OFD_OPT(0, "state", OFD_OPT_STR, struct check_opts, q.state, "FILE",
		"rollback state, as for verify"),
	OFD_OPT('d', "device", OFD_OPT_STR, struct check_opts, q.device, "ID",
		"the device: KIND:key=value,... (docs/allowlist.md)"),
	OFD_OPT('f', "offload", OFD_OPT_OFFLOAD, struct check_opts, offload, "OFFLOAD",
		"the offload to turn on"),
	OFD_OPT(0, "program-hash", OFD_OPT_STR, struct check_opts, q.program_hash, "SHA256",
		"the program the device runs: its entry must permit too"),
	OFD_OPT(0, "kernel", OFD_OPT_STR, struct check_opts, q.kernel, "RELEASE",
		"the running kernel (default: uname -r)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_check(int argc, char **argv)
{
	struct check_opts o = { .offload = -1 };
	char why[1024], rel[128];
	int e = ofd_cli_parse(&o, &argc, argv), rc;
	FILE *f;

	if (e)
		return ofd_cli_parse_exit(e);
	if (o.offload >= 0)
		o.q.offload = ofd_offload_name((unsigned int)o.offload);
	if (!o.q.list || !o.q.pub || !o.q.offload || (!o.q.device && !o.q.program_hash)) {
		ofd_cli_err("allowlist check: --list, --pub, --offload and --device (or "
			    "--program-hash) are required");
		return OFD_EXIT_USAGE;
	}
	if (!o.q.kernel && (f = fopen("/proc/sys/kernel/osrelease", "r"))) {
		if (fgets(rel, sizeof(rel), f)) {
			rel[strcspn(rel, "\n")] = '\0';
			o.q.kernel = rel;
		}
		fclose(f);
	}
	rc = ofd_allowlist_check(&o.q, why, sizeof(why));
	if (rc == OFD_AL_ERROR) {
		ofd_cli_err("allowlist check: %s", why);
		return OFD_EXIT_USAGE;
	}
	if (!ofd_g.quiet)
		printf("%s\n", why);
	return rc;
}

static const struct ofd_verb allowlist_verbs[] = {
	{ "build", do_build, "REPORT_DIR...",
	  "an allow-list from reports: permit where the policy's evidence holds, deny naming "
	  "the classes where a run found a critical discrepancy",
	  "Same reports, same policy: the same bytes. A model reference counts when a\n"
	  "selfcheck report of that model on a kernel of its series is among the REPORT_DIRs.\n",
	  build_opts, 1, OFD_ARGS_ANY, 0 },
	{ "sign", do_sign, "LIST", "sign a list with an Ed25519 key (embedded, or --detached)",
	  NULL, sign_opts, 1, 1, 0 },
	{ "verify", do_verify, "LIST",
	  "check a list's signature, key, expiry and (with --state) that it is not a rollback",
	  VERIFY_CODES, verify_opts, 1, 1, 0 },
	{ "check", do_check, NULL,
	  "may this device turn this offload on? one line, exit 0 permit, 1 deny",
	  "exit codes: 0 permit; 1 deny (no entry, a deny entry, or a list that does not\n"
	  "  verify: the line says which); 2 usage (a malformed --device, an unknown offload)\n"
	  "devices (every key, values with , = % written %2C %3D %25):\n"
	  "  nic:driver=D,driver_version=V,firmware=F,bus_info=B   emu:profile=P,version=V\n"
	  "  qemu:version=V,model=M   plugin:name=N,identity=I   program:sha256=H\n",
	  check_opts, 0, 0, 0 },
	{ 0 },
};

const struct ofd_object ofd_obj_allowlist = { "allowlist",
	"signed allow-lists of device x offload x kernel from reports", allowlist_verbs };
