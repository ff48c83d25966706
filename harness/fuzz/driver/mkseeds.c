// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * mkseeds.c - fuzz seeds from pcaps, in the input layout of the offload's
 * decoder (ofd_offload_fuzz.seed): every frame once per seed variant.
 *   mkseeds [-o OFFLOAD] OUTDIR FILE.pcap...     (default tx-csum)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_offload.h"

#define SEED_CAP (11 + 65536)

int main(int argc, char **argv)
{
	const struct ofd_offload_ops *o;
	struct ofd_corpus c = { 0 };
	const char *offload = "tx-csum";
	char err[512], path[4096];
	uint32_t i, n = 0;
	unsigned int v;
	uint8_t *seed;
	int a, opt, off;

	while ((opt = getopt(argc, argv, "o:")) != -1) {
		if (opt != 'o') {
			fprintf(stderr, "usage: mkseeds [-o OFFLOAD] OUTDIR FILE.pcap...\n");
			return 2;
		}
		offload = optarg;
	}
	if (argc - optind < 2) {
		fprintf(stderr, "usage: mkseeds [-o OFFLOAD] OUTDIR FILE.pcap...\n");
		return 2;
	}
	off = ofd_offload_from_name(offload);
	o = off < 0 ? NULL : ofd_offload_get((unsigned int)off);
	if (!o || !o->fuzz || !o->fuzz->seed) {
		fprintf(stderr, "mkseeds: %s: no such offload or no fuzz seeds for it\n", offload);
		return 2;
	}
	for (a = optind + 1; a < argc; a++)
		if (ofd_corpus_load(&c, argv[a], err, sizeof(err))) {
			fprintf(stderr, "mkseeds: %s\n", err);
			return 2;
		}
	seed = malloc(SEED_CAP);
	if (!seed)
		return 2;
	for (i = 0; i < c.npkts; i++)
		for (v = 0; v < o->fuzz->nseeds; v++) {
			size_t len = o->fuzz->seed(c.pkts[i].data, c.pkts[i].len, v, seed,
						   SEED_CAP);
			FILE *f;

			if (!len)
				continue;
			snprintf(path, sizeof(path), "%s/seed-%04u-%u", argv[optind], i, v);
			f = fopen(path, "wb");
			if (!f || fwrite(seed, 1, len, f) != len || fclose(f)) {
				perror(path);
				return 2;
			}
			n++;
		}
	printf("mkseeds: %u %s seeds in %s\n", n, o->name, argv[optind]);
	free(seed);
	ofd_corpus_free(&c);
	return 0;
}
