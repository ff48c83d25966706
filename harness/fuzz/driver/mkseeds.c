// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * mkseeds.c - fuzz seeds from pcaps: every frame twice, with a vnet
 * request derived as the stack would make it and as a legacy request
 * (the input layout of harness/fuzz/txcsum.c).
 *   mkseeds OUTDIR FILE.pcap...
 */
#include <stdio.h>
#include <string.h>

#include "ofd_run.h"

int main(int argc, char **argv)
{
	struct ofd_corpus c = { 0 };
	char err[512], path[4096];
	uint32_t i, n = 0;
	int a, legacy;

	if (argc < 3) {
		fprintf(stderr, "usage: mkseeds OUTDIR FILE.pcap...\n");
		return 2;
	}
	for (a = 2; a < argc; a++)
		if (ofd_corpus_load(&c, argv[a], err, sizeof(err))) {
			fprintf(stderr, "mkseeds: %s\n", err);
			return 2;
		}
	for (i = 0; i < c.npkts; i++)
		for (legacy = 0; legacy < 2; legacy++) {
			struct ofd_request req;
			uint8_t pre[11] = { (uint8_t)legacy };
			FILE *f;

			if (ofd_derive_request(c.pkts[i].data, c.pkts[i].len, OFD_REQ_VNET, &req, NULL))
				continue;
			pre[1] = req.vnet.flags;
			pre[7] = (uint8_t)req.vnet.csum_start;
			pre[8] = (uint8_t)(req.vnet.csum_start >> 8);
			pre[9] = (uint8_t)req.vnet.csum_offset;
			snprintf(path, sizeof(path), "%s/seed-%04u-%s", argv[1], i,
				 legacy ? "legacy" : "vnet");
			f = fopen(path, "wb");
			if (!f) {
				perror(path);
				return 2;
			}
			fwrite(pre, 1, sizeof(pre), f);
			fwrite(c.pkts[i].data, 1, c.pkts[i].len, f);
			fclose(f);
			n++;
		}
	printf("mkseeds: %u seeds in %s\n", n, argv[1]);
	ofd_corpus_free(&c);
	return 0;
}
