// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * key.c - `offdiff key gen -o PREFIX`: an Ed25519 key pair for signing
 * allow-lists, PREFIX.key (PKCS#8 PEM, mode 0600, never overwritten) and
 * PREFIX.pub (SubjectPublicKeyInfo PEM), what `openssl pkey` reads too.
 */
#include <stdio.h>

#include "allowlist_internal.h"
#include "ofd_cli.h"

struct gen_opts {
	const char *out;
};

static const struct ofd_opt gen_opts[] = {
	OFD_OPT('o', "out", OFD_OPT_STR, struct gen_opts, out, "PREFIX",
		"write PREFIX.key and PREFIX.pub"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_gen(int argc, char **argv)
{
	struct gen_opts o = { 0 };
	char err[1024];
	int e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (!o.out) {
		ofd_cli_err("key gen: -o PREFIX is required");
		return OFD_EXIT_USAGE;
	}
	if (ofd_al_keygen(o.out, err, sizeof(err))) {
		ofd_cli_err("key gen: %s", err);
		return OFD_EXIT_WRITE;
	}
	if (!ofd_g.quiet)
		printf("%s.key (private, keep it offline) and %s.pub (give it to verifiers)\n",
		       o.out, o.out);
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb key_verbs[] = {
	{ "gen", do_gen, NULL, "a new Ed25519 key pair for offdiff allowlist sign",
	  "exit codes: 0 written; 2 usage; 5 the files could not be written (PREFIX.key\n"
	  "  exists already, or the directory is not writable)\n", gen_opts, 0, 0, 0 },
	{ 0 },
};

const struct ofd_object ofd_obj_key = { "key", "signing keys for allow-lists", key_verbs };
