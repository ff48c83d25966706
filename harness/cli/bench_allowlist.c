// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * bench_allowlist.c - `offdiff bench`'s allow-list line: the latency of one
 * ofd_allowlist_check() as a deployment tool calls it per device at boot
 * (read the list and the key, verify the Ed25519 signature, parse, find
 * the entry), on a signed list the size of the default campaign's (34
 * entries) and on one of 1000 entries. The aim is under 5 ms a check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allowlist_internal.h"
#include "ofd_cli.h"
#include "ofd_run.h"

/* A signed list of n emulator entries in dir; its size in *bytes. */
static int make_list(const char *dir, size_t n, const char *key, size_t *bytes)
{
	struct ofd_al_list l = { .version = 1 };
	struct ofd_al_sig sig;
	char path[512], err[512], *buf = NULL;
	size_t len = 0, i;
	FILE *f;
	int e;

	snprintf(l.issued, sizeof(l.issued), "2026-01-01T00:00:00Z");
	snprintf(l.expires, sizeof(l.expires), "2099-01-01T00:00:00Z");
	memset(l.policy_sha256, '0', 64);
	l.e = calloc(n, sizeof(*l.e));
	if (!l.e)
		return -1;
	for (i = 0; i < n; i++, l.n++) {
		struct ofd_al_entry *en = &l.e[i];

		en->id.kind = OFD_AL_EMU;
		snprintf(en->id.f[0], sizeof(en->id.f[0]), "profile-%05zu", i / 2);
		snprintf(en->id.f[1], sizeof(en->id.f[1]), "offdiff-emu 1");
		snprintf(en->offload, sizeof(en->offload), "%s", i % 2 ? "tx-csum" : "tso");
		snprintf(en->kernel, sizeof(en->kernel), "6.18");
		en->permit = true;
		ofd_al_strs_add(&en->ev.runs, "20261127-000000.000000-default");
		ofd_al_strs_add(&en->ev.reference, "model offdiff-model 1 (Linux 6.18 semantics)");
		ofd_al_strs_add(&en->ev.corpus,
				"a66df67ca10d22871be5fce5b10b806409162eeea0121788fc75f3f11dec3082");
		en->ev.verdicts[OFD_V_EQUAL] = 3021;
		en->ev.frames = 775;
	}
	ofd_al_list_sort(&l);
	e = ofd_al_emit(&l, NULL, &buf, &len) ||
	    ofd_al_sign(key, buf, len, &sig, err, sizeof(err));
	free(buf);
	buf = NULL;
	e = e || ofd_al_emit(&l, &sig, &buf, &len);
	snprintf(path, sizeof(path), "%s/list-%zu.yaml", dir, n);
	f = e ? NULL : fopen(path, "w");
	if (f) {
		e = fwrite(buf, 1, len, f) != len;
		e |= fclose(f) != 0;
	} else {
		e = 1;
	}
	*bytes = len;
	free(buf);
	ofd_al_list_free(&l);
	return e ? -1 : 0;
}

void ofdint_bench_allowlist(double budget)
{
	static const size_t sizes[] = { 34, 1000 };
	char dir[] = "/tmp/offdiff-bench-al-XXXXXX", pre[64], key[96], pub[96], err[512];
	size_t k;

	printf("\nallowlist check (read, Ed25519 verify, parse, look up), one core:\n");
	if (!mkdtemp(dir)) {
		printf("  unavailable: no temporary directory\n");
		return;
	}
	snprintf(pre, sizeof(pre), "%s/k", dir);
	snprintf(key, sizeof(key), "%s.key", pre);
	snprintf(pub, sizeof(pub), "%s.pub", pre);
	if (ofd_al_keygen(pre, err, sizeof(err))) {
		printf("  unavailable: %s\n", err);
		goto out;
	}
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		char path[128], dev[128], why[512];
		struct ofd_al_query q = { .list = path, .pub = pub, .device = dev,
					  .offload = "tso", .kernel = "6.18.44" };
		size_t bytes = 0;
		double t0, t;
		unsigned long n = 0;
		int rc = 0;

		snprintf(path, sizeof(path), "%s/list-%zu.yaml", dir, sizes[k]);
		/* The last entry: the lookup walks the whole list. */
		snprintf(dev, sizeof(dev), "emu:profile=profile-%05zu,version=offdiff-emu 1",
			 (sizes[k] - 1) / 2);
		if (make_list(dir, sizes[k], key, &bytes)) {
			printf("  unavailable: cannot write a signed list\n");
			break;
		}
		t0 = ofd_now();
		do {
			rc |= ofd_allowlist_check(&q, why, sizeof(why));
			n++;
			t = ofd_now() - t0;
		} while (t < budget);
		printf("  %4zu entries (%7zu B)      %9.3f ms per check%s\n", sizes[k], bytes,
		       t / (double)n * 1e3, rc ? " (denied: the bench is broken)" : "");
		unlink(path);
	}
	unlink(key);
	unlink(pub);
out:
	rmdir(dir);
}
