// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * digest.c - a corpus' identity: SHA-256 (OpenSSL EVP) over every frame in
 * load order, each preceded by its length, so that reports (and later the
 * allow-list's evidence) say exactly which packets were tested, and a
 * resumed run can refuse a corpus that changed.
 */
#include <errno.h>
#include <stdio.h>
#include <openssl/evp.h>

#include "ofd_run.h"

int ofd_corpus_sha256(const struct ofd_corpus *c, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (!ctx)
		return -ENOMEM;
	ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
	for (i = 0; ok && i < c->npkts; i++) {
		uint8_t len[4] = { (uint8_t)(c->pkts[i].len >> 24), (uint8_t)(c->pkts[i].len >> 16),
				   (uint8_t)(c->pkts[i].len >> 8), (uint8_t)c->pkts[i].len };

		ok = EVP_DigestUpdate(ctx, len, 4) &&
		     EVP_DigestUpdate(ctx, c->pkts[i].data, c->pkts[i].len);
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &mdlen);
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return -EIO;
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}
