// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * bigcorpus.c - a large corpus for memory and throughput measurements
 * (`make rss`): the frames of the given captures, in order, repeated until
 * N frames are written to one pcap (Ethernet, microsecond timestamps, the
 * frame number as the timestamp so the file is the same on every run).
 *
 *   bigcorpus N OUT.pcap IN.pcap...
 *
 * Frames the input's snaplen cut are not copied (offdiff would skip them).
 * Only libpcap: the corpus is built without the code it measures.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

struct frame {
	uint8_t *data;
	uint32_t len;
};

static int load(const char *path, struct frame **fr, size_t *n, size_t *cap)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, ebuf);
	int rc;

	if (!p) {
		fprintf(stderr, "bigcorpus: %s: %s\n", path, ebuf);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		if (h->caplen < h->len)
			continue;
		if (*n == *cap) {
			struct frame *nf;

			*cap = *cap ? *cap * 2 : 512;
			nf = realloc(*fr, *cap * sizeof(*nf));
			if (!nf)
				goto nomem;
			*fr = nf;
		}
		(*fr)[*n].data = malloc(h->caplen ? h->caplen : 1);
		if (!(*fr)[*n].data)
			goto nomem;
		memcpy((*fr)[*n].data, data, h->caplen);
		(*fr)[*n].len = h->caplen;
		(*n)++;
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "bigcorpus: %s: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	return 0;
nomem:
	fprintf(stderr, "bigcorpus: out of memory\n");
	pcap_close(p);
	return -1;
}

int main(int argc, char **argv)
{
	struct frame *fr = NULL;
	size_t n = 0, cap = 0, i;
	unsigned long long want, k;
	pcap_dumper_t *d;
	pcap_t *dead;
	char *end;
	int a, ret = 1;

	if (argc < 4) {
		fprintf(stderr, "usage: bigcorpus N OUT.pcap IN.pcap...\n");
		return 2;
	}
	errno = 0;
	want = strtoull(argv[1], &end, 10);
	if (errno || *end || !want) {
		fprintf(stderr, "bigcorpus: N must be a positive number, not '%s'\n", argv[1]);
		return 2;
	}
	for (a = 3; a < argc; a++)
		if (load(argv[a], &fr, &n, &cap))
			goto out;
	if (!n) {
		fprintf(stderr, "bigcorpus: the inputs hold no frames\n");
		goto out;
	}
	dead = pcap_open_dead(DLT_EN10MB, 262144);
	d = dead ? pcap_dump_open(dead, argv[2]) : NULL;
	if (!d) {
		fprintf(stderr, "bigcorpus: %s: %s\n", argv[2], dead ? pcap_geterr(dead) : "pcap_open_dead failed");
		if (dead)
			pcap_close(dead);
		goto out;
	}
	for (k = 0; k < want; k++) {
		const struct frame *f = &fr[k % n];
		struct pcap_pkthdr h;

		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (time_t)(k / 1000000);
		h.ts.tv_usec = (suseconds_t)(k % 1000000);
		h.caplen = h.len = f->len;
		pcap_dump((u_char *)d, &h, f->data);
	}
	if (pcap_dump_flush(d)) {
		fprintf(stderr, "bigcorpus: %s: write error\n", argv[2]);
		pcap_dump_close(d);
		pcap_close(dead);
		goto out;
	}
	pcap_dump_close(d);
	pcap_close(dead);
	printf("bigcorpus: %llu frames (%zu distinct) -> %s\n", want, n, argv[2]);
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(fr[i].data);
	free(fr);
	return ret;
}
