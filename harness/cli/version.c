// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * version.c - `offdiff version` and `offdiff -V`: our version, the commit
 * it was built from, and the versions of the libraries it runs with (the
 * shared objects loaded now, which can differ from the headers it was
 * built against: that is what a bug report needs).
 *
 * OFD_GIT_DESCRIBE comes from the Makefile (`git describe --always
 * --dirty` at build time, for this file only, so a commit does not
 * rebuild the tree).
 */
#include <stdio.h>

#include <jansson.h>
#include <openssl/crypto.h>
#include <pcap/pcap.h>
#include <yaml.h>

#include "ofd.h"
#include "ofd_cli.h"

#ifndef OFD_GIT_DESCRIBE
#define OFD_GIT_DESCRIBE "not built from git"
#endif

const char *ofd_cli_version(void)
{
	return OFD_VERSION " (" OFD_GIT_DESCRIBE ")";
}

static int do_version(int argc, char **argv)
{
	int e = ofd_cli_parse(NULL, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (ofd_g.json) {
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "offdiff", OFD_VERSION,
				      "git", OFD_GIT_DESCRIBE, "libpcap", pcap_lib_version(),
				      "libyaml", yaml_get_version_string(), "openssl",
				      OpenSSL_version(OPENSSL_VERSION), "jansson",
				      jansson_version_str());

		return ofd_cli_json_print(j) ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
	}
	printf("offdiff %s\n", ofd_cli_version());
	/* pcap and OpenSSL name themselves: "libpcap version 1.10.3 ...". */
	printf("%s\n", pcap_lib_version());
	printf("libyaml %s\n", yaml_get_version_string());
	printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("jansson %s\n", jansson_version_str());
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb version_verbs[] = {
	{ NULL, do_version, NULL,
	  "offdiff's version and commit, and the libpcap, libyaml, OpenSSL and jansson it runs with",
	  NULL, NULL, 0, 0, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_version = { "version", "offdiff's and its libraries' versions",
					    version_verbs };
