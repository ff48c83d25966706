// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * sign.c - Ed25519 keys and signatures (OpenSSL's EVP_PKEY), SHA-256, and
 * the rollback state file.
 *
 * Ed25519 (RFC 8032) because a deployment tool verifies once per device at
 * boot: a signature is 64 bytes, a verification tens of microseconds, and
 * there are no parameters to get wrong. Keys are PEM (PKCS#8 private,
 * SubjectPublicKeyInfo public), what `openssl pkey` reads and writes. A
 * signature names its key by the SHA-256 of the raw 32-byte public key,
 * so a list signed by another key is told apart from a tampered one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/err.h>

#include "allowlist_internal.h"

void ofd_al_sha256_hex(const void *p, size_t n, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0, i;

	EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", md[i]);
	hex[64] = '\0';
}

/* OpenSSL's last error as text, for one line. */
static const char *ssl_err(void)
{
	static char buf[160];
	unsigned long e = ERR_get_error();

	if (!e)
		return "unknown error";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}

static int key_id(EVP_PKEY *k, char hex[65])
{
	unsigned char raw[32];
	size_t n = sizeof(raw);

	if (EVP_PKEY_get_raw_public_key(k, raw, &n) != 1 || n != 32)
		return -EINVAL;
	ofd_al_sha256_hex(raw, n, hex);
	return 0;
}

/*
 * An Ed25519 public key from its PEM file without OpenSSL's decoder
 * framework, which costs more than the signature check itself (a check
 * runs per device at boot): the DER of an Ed25519 SubjectPublicKeyInfo is
 * this fixed 12-byte prefix and the 32-byte key (RFC 8410, section 4).
 */
static EVP_PKEY *read_pub_fast(FILE *f)
{
	static const unsigned char spki[12] = { 0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
						0x2b, 0x65, 0x70, 0x03, 0x21, 0x00 };
	char *name = NULL, *header = NULL;
	unsigned char *der = NULL;
	EVP_PKEY *k = NULL;
	long len = 0;

	if (PEM_read(f, &name, &header, &der, &len) == 1 && !strcmp(name, "PUBLIC KEY") &&
	    len == 44 && !memcmp(der, spki, sizeof(spki)))
		k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, der + 12, 32);
	OPENSSL_free(name);
	OPENSSL_free(header);
	OPENSSL_free(der);
	ERR_clear_error();
	return k;
}

static EVP_PKEY *read_key(const char *path, bool priv, char *err, size_t err_len)
{
	EVP_PKEY *k;
	FILE *f = fopen(path, "r");

	if (!f) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return NULL;
	}
	k = priv ? NULL : read_pub_fast(f);
	/* Anything else (another key type, PEM with more around it) goes
	 * through OpenSSL's own reader, for its verdict and its message. */
	if (!k) {
		rewind(f);
		k = priv ? PEM_read_PrivateKey(f, NULL, NULL, NULL) :
			   PEM_read_PUBKEY(f, NULL, NULL, NULL);
	}
	fclose(f);
	if (!k) {
		snprintf(err, err_len, "%s: not a PEM %s key (%s)", path, priv ? "private" : "public",
			 ssl_err());
		return NULL;
	}
	if (EVP_PKEY_id(k) != EVP_PKEY_ED25519) {
		snprintf(err, err_len, "%s: not an Ed25519 key", path);
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

int ofd_al_keygen(const char *prefix, char *err, size_t err_len)
{
	char kp[4096], pp[4096];
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FILE *f = NULL;
	int fd, ok;

	if (!k) {
		snprintf(err, err_len, "key generation failed: %s", ssl_err());
		return -EIO;
	}
	snprintf(kp, sizeof(kp), "%s.key", prefix);
	snprintf(pp, sizeof(pp), "%s.pub", prefix);
	/* The private key is never readable by others, not even briefly,
	 * and an existing key is never overwritten. */
	fd = open(kp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(err, err_len, "%s: %s", kp, strerror(errno));
		if (fd >= 0)
			close(fd);
		EVP_PKEY_free(k);
		return -errno;
	}
	ok = PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL);
	ok &= fclose(f) == 0;
	f = ok ? fopen(pp, "w") : NULL;
	if (f) {
		ok = PEM_write_PUBKEY(f, k);
		ok &= fclose(f) == 0;
	}
	EVP_PKEY_free(k);
	if (!ok || !f) {
		snprintf(err, err_len, "%s: cannot write the key pair", f ? pp : kp);
		return -EIO;
	}
	return 0;
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int ofd_al_sign(const char *key, const void *msg, size_t n, struct ofd_al_sig *sig,
		char *err, size_t err_len)
{
	unsigned char s[64];
	size_t slen = sizeof(s);
	EVP_PKEY *k = read_key(key, true, err, err_len);
	EVP_MD_CTX *ctx;
	int ok;

	if (!k)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	/* Ed25519 is "pure": no digest, the message in one call. */
	ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestSign(ctx, s, &slen, msg, n) == 1 && slen == 64 &&
	     !key_id(k, sig->key_sha256);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	if (!ok) {
		snprintf(err, err_len, "%s: signing failed: %s", key, ssl_err());
		return -EIO;
	}
	EVP_EncodeBlock((unsigned char *)sig->value, s, 64);
	return 0;
}

int ofd_al_sig_verify(const char *pub, const void *msg, size_t n,
		      const struct ofd_al_sig *sig, char *why, size_t why_len)
{
	unsigned char s[66 + 2];
	char id[65];
	EVP_PKEY *k = read_key(pub, false, why, why_len);
	EVP_MD_CTX *ctx;
	size_t i, vl = strlen(sig->value);
	int ok, dl;

	if (!k)
		return OFD_AL_ERROR;
	key_id(k, id);
	if (strcmp(id, sig->key_sha256)) {
		snprintf(why, why_len, "signed by another key (sha256 %.16s...), not %s (%.16s...)",
			 sig->key_sha256, pub, id);
		EVP_PKEY_free(k);
		return OFD_AL_WRONG_KEY;
	}
	for (i = 0; i < vl; i++)
		if (!strchr(b64, sig->value[i]) && sig->value[i] != '=')
			break;
	/* 64 bytes are 88 base64 characters, two of them padding. */
	dl = vl == 88 && i == vl ? EVP_DecodeBlock(s, (const unsigned char *)sig->value, 88) : -1;
	if (dl != 66) {
		snprintf(why, why_len, "the signature is not 64 bytes of base64");
		EVP_PKEY_free(k);
		return OFD_AL_BAD_SIG;
	}
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k) == 1 &&
	     EVP_DigestVerify(ctx, s, 64, msg, n) == 1;
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
	ERR_clear_error();
	if (!ok) {
		snprintf(why, why_len, "bad signature: the list's bytes are not the ones signed "
			 "(tampered)");
		return OFD_AL_BAD_SIG;
	}
	return OFD_AL_PERMIT;
}

/* The state file: "offdiff-allowlist-state 1\nversion N\n". */
int ofd_al_state_read(const char *path, uint64_t *version, char *err, size_t err_len)
{
	unsigned long long v;
	FILE *f = fopen(path, "r");
	int n;

	*version = 0;
	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	n = fscanf(f, "offdiff-allowlist-state 1 version %llu", &v);
	fclose(f);
	if (n != 1) {
		snprintf(err, err_len, "%s:1:1: not an allow-list state file", path);
		return -EINVAL;
	}
	*version = v;
	return 0;
}

int ofd_al_state_write(const char *path, uint64_t version, char *err, size_t err_len)
{
	char tmp[4200];
	FILE *f;
	int ok;

	/* Written whole, then renamed: a crash never leaves a state that
	 * forgets the version seen. */
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		snprintf(err, err_len, "%s: %s", tmp, strerror(errno));
		return -errno;
	}
	fprintf(f, "offdiff-allowlist-state 1\nversion %llu\n", (unsigned long long)version);
	ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok &= fclose(f) == 0;
	if (!ok || rename(tmp, path)) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -EIO;
	}
	return 0;
}
