// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * digest.c - a corpus' identity: SHA-256 (OpenSSL EVP) over every frame in
 * load order, each preceded by its length, so that reports (and later the
 * allow-list's evidence) say exactly which packets were tested, and a
 * resumed run can refuse a corpus that changed.
 *
 * The digest is taken incrementally (ofd_digest), chunk after chunk of a
 * streamed corpus: the same bytes in the same order as over a loaded one,
 * so both give the same hex.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <openssl/evp.h>

#include "ofd_run.h"

struct ofd_digest {
	EVP_MD_CTX *ctx;
	bool ok;
};

int ofd_digest__new(struct ofd_digest **out)
{
	struct ofd_digest *d = calloc(1, sizeof(*d));

	if (!d)
		return -ENOMEM;
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx) {
		free(d);
		return -ENOMEM;
	}
	d->ok = EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL);
	*out = d;
	return 0;
}

void ofd_digest__corpus(struct ofd_digest *d, const struct ofd_corpus *c)
{
	uint32_t i;

	for (i = 0; d->ok && i < c->npkts; i++) {
		uint8_t len[4] = { (uint8_t)(c->pkts[i].len >> 24), (uint8_t)(c->pkts[i].len >> 16),
				   (uint8_t)(c->pkts[i].len >> 8), (uint8_t)c->pkts[i].len };

		d->ok = EVP_DigestUpdate(d->ctx, len, 4) &&
			EVP_DigestUpdate(d->ctx, c->pkts[i].data, c->pkts[i].len);
	}
}

int ofd_digest__final(struct ofd_digest *d, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;

	if (!d->ok || !EVP_DigestFinal_ex(d->ctx, md, &mdlen))
		return -EIO;
	d->ok = false; /* finished: no more updates */
	for (i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return 0;
}

void ofd_digest__free(struct ofd_digest *d)
{
	if (!d)
		return;
	EVP_MD_CTX_free(d->ctx);
	free(d);
}

int ofd_corpus_sha256(const struct ofd_corpus *c, char hex[65])
{
	struct ofd_digest *d;
	int err = ofd_digest__new(&d);

	if (err)
		return err;
	ofd_digest__corpus(d, c);
	err = ofd_digest__final(d, hex);
	ofd_digest__free(d);
	return err;
}
