// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * pcap.c - corpus input (pcap and pcapng through libpcap) and pcap output.
 *
 * A corpus is loaded once into memory: cases point into it, so the hot path
 * never copies a frame. libpcap does the format work; we add what it does
 * not say plainly: which packet was truncated, and that the link type must
 * be Ethernet.
 *
 * Frames cut by the capture's snaplen (caplen < len, `tcpdump -s 96`) are
 * how people make captures, so they do not fail the file: they are left
 * out (an offload over a partial frame says nothing about the real one),
 * counted, and named in one warning line per file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pcap/pcap.h>

#include "ofd.h"
#include "ofd_pcap.h"

static int grow(void **p, size_t elem, uint32_t n, uint32_t *cap)
{
	void *np;
	uint32_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 256;
	np = realloc(*p, (size_t)ncap * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = ncap;
	return 0;
}

int ofd_corpus_load(struct ofd_corpus *c, const char *path, char *err,
		    size_t err_len)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t file = c->nfiles, count = 0, pcap_cap = 0, i;
	uint32_t records = 0, cut = 0, first_cut = 0;
	struct ofd_corpus_file *nfi;
	struct ofd_corpus_pkt *pk = NULL;
	size_t used = 0, bcap = 0;
	uint8_t *block = NULL;
	struct stat st;
	pcap_t *p;
	int rc, ret = 0, lt;
	char **nf;
	uint8_t **nb;

	if (stat(path, &st) < 0) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (st.st_size == 0) {
		snprintf(err, err_len, "%s: empty file (not a pcap or pcapng capture)", path);
		return -EINVAL;
	}
	p = pcap_open_offline(path, ebuf);
	if (!p) {
		snprintf(err, err_len, "%s: not a readable capture: %s", path, ebuf);
		return -EINVAL;
	}
	lt = pcap_datalink(p);
	if (lt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(lt);

		snprintf(err, err_len, "%s: link type %s (%d) is not Ethernet",
			 path, name ? name : "unknown", lt);
		pcap_close(p);
		return -EINVAL;
	}

	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		records++;
		if (h->caplen < h->len) {
			if (!cut++)
				first_cut = records - 1;
			continue;
		}
		if (used + h->caplen > bcap) {
			size_t nc = bcap ? bcap * 2 : 1 << 20;
			uint8_t *nbk;

			while (nc < used + h->caplen)
				nc *= 2;
			nbk = realloc(block, nc);
			if (!nbk) {
				ret = -ENOMEM;
				goto out;
			}
			block = nbk;
			bcap = nc;
		}
		memcpy(block + used, data, h->caplen);
		if (grow((void **)&pk, sizeof(*pk), count, &pcap_cap)) {
			ret = -ENOMEM;
			goto out;
		}
		/* Offsets now, pointers once the block stops moving. */
		pk[count].data = (const uint8_t *)(uintptr_t)used;
		pk[count].len = h->caplen;
		/* The file's own numbering, so reports and overrides name the
		 * packet a capture tool shows, cut frames or not. */
		pk[count].index = records - 1;
		used += h->caplen;
		count++;
	}
	if (rc == PCAP_ERROR) {
		/* libpcap reports a short record as "truncated dump file". */
		snprintf(err, err_len, "%s: packet %u: %s", path, records,
			 pcap_geterr(p));
		ret = -EBADMSG;
		goto out;
	}
	/* A capture with no packets is still a capture (a filter that
	 * matched nothing): it adds a file and no frames. */

	nf = realloc(c->files, (c->nfiles + 1) * sizeof(*nf));
	if (!nf) {
		ret = -ENOMEM;
		goto out;
	}
	c->files = nf;
	nb = realloc(c->blocks, (c->nfiles + 1) * sizeof(*nb));
	if (!nb) {
		ret = -ENOMEM;
		goto out;
	}
	c->blocks = nb;
	nfi = realloc(c->file_info, (c->nfiles + 1) * sizeof(*nfi));
	if (!nfi) {
		ret = -ENOMEM;
		goto out;
	}
	c->file_info = nfi;
	{
		/* + 1: realloc(p, 0) of a corpus of empty captures may free p. */
		struct ofd_corpus_pkt *np = realloc(c->pkts, ((size_t)c->npkts + count + 1) * sizeof(*np));

		if (!np) {
			ret = -ENOMEM;
			goto out;
		}
		c->pkts = np;
	}
	c->files[file] = strdup(path);
	if (!c->files[file]) {
		ret = -ENOMEM;
		goto out;
	}
	c->blocks[file] = block;
	c->file_info[file] = (struct ofd_corpus_file){
		.records = records, .frames = count, .cut = cut,
		.first_cut = first_cut, .snaplen = (uint32_t)pcap_snapshot(p),
	};
	for (i = 0; i < count; i++) {
		struct ofd_corpus_pkt *d = &c->pkts[c->npkts + i];

		d->data = block + (uintptr_t)pk[i].data;
		d->len = pk[i].len;
		d->file = file;
		d->index = pk[i].index;
	}
	c->npkts += count;
	c->frames_cut += cut;
	c->nfiles++;
	block = NULL;
	if (cut)
		ofd_pr_warn("offdiff: warning: %s: %u of %u frames cut by the capture's snaplen (%u bytes) skipped; first at packet %u\n",
			    path, cut, records, c->file_info[file].snaplen, first_cut);
out:
	free(block);
	free(pk);
	pcap_close(p);
	return ret;
}

void ofd_corpus_free(struct ofd_corpus *c)
{
	uint32_t i;

	for (i = 0; i < c->nfiles; i++) {
		free(c->files[i]);
		free(c->blocks[i]);
	}
	free(c->files);
	free(c->blocks);
	free(c->file_info);
	free(c->pkts);
	memset(c, 0, sizeof(*c));
}

struct ofd_pcap_writer {
	pcap_t *p;
	pcap_dumper_t *d;
};

int ofd_pcap_writer__open(const char *path, struct ofd_pcap_writer **out)
{
	struct ofd_pcap_writer *w = calloc(1, sizeof(*w));

	if (!w)
		return -ENOMEM;
	w->p = pcap_open_dead(DLT_EN10MB, 262144);
	if (!w->p)
		goto out_free;
	w->d = pcap_dump_open(w->p, path);
	if (!w->d) {
		ofd_pr_warn("%s: %s\n", path, pcap_geterr(w->p));
		pcap_close(w->p);
		goto out_free;
	}
	*out = w;
	return 0;
out_free:
	free(w);
	return -EIO;
}

int ofd_pcap_writer__write(struct ofd_pcap_writer *w, const uint8_t *data,
			   uint32_t len, uint64_t ts_usec)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(ts_usec / 1000000);
	h.ts.tv_usec = (suseconds_t)(ts_usec % 1000000);
	h.caplen = len;
	h.len = len;
	pcap_dump((u_char *)w->d, &h, data);
	return 0;
}

int ofd_pcap_writer__close(struct ofd_pcap_writer *w)
{
	int ret = 0;

	if (!w)
		return 0;
	if (pcap_dump_flush(w->d))
		ret = -EIO;
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
	return ret;
}
