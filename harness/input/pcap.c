// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * pcap.c - corpus input (pcap and pcapng through libpcap) and pcap output.
 *
 * A corpus is loaded into memory (ofd_corpus_load) or read as a stream of
 * chunks (ofd_corpus_stream, what `offdiff run` does: memory bounded by a
 * chunk, whatever the corpus' size): cases point into it, so the hot path
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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pcap/pcap.h>

#include "ofd.h"
#include "ofd_pcap.h"
#include "ofd_safe_open.h"

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

/* Open a capture for reading: it exists, is not empty, and holds
 * Ethernet frames. NULL with *ret and err set otherwise. */
/* A record's time in microseconds (libpcap scales nanosecond files to
 * microseconds when opened the default way, as here). A time before the
 * epoch counts as 0. */
static uint64_t ts_us(const struct pcap_pkthdr *h)
{
	if (h->ts.tv_sec < 0 || h->ts.tv_usec < 0)
		return 0;
	return (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
}

static pcap_t *open_capture(const char *path, char *err, size_t err_len, int *ret)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct stat st;
	pcap_t *p;
	FILE *f;
	int lt;

	/* Any size, but a regular file: a FIFO would block the run and a
	 * device never end. libpcap reads the stream that was checked. */
	*ret = ofd_fopen_regular(path, OFD_NO_MAX, &f, err, err_len);
	if (*ret)
		return NULL;
	if (!fstat(fileno(f), &st) && st.st_size == 0) {
		snprintf(err, err_len, "%s: empty file (not a pcap or pcapng capture)", path);
		fclose(f);
		*ret = -EINVAL;
		return NULL;
	}
	p = pcap_fopen_offline(f, ebuf);
	if (!p) {
		snprintf(err, err_len, "%s: not a readable capture: %s", path, ebuf);
		fclose(f); /* libpcap closes it only once it took it */
		*ret = -EINVAL;
		return NULL;
	}
	lt = pcap_datalink(p);
	if (lt != DLT_EN10MB) {
		const char *name = pcap_datalink_val_to_name(lt);

		snprintf(err, err_len, "%s: link type %s (%d) is not Ethernet",
			 path, name ? name : "unknown", lt);
		pcap_close(p);
		*ret = -EINVAL;
		return NULL;
	}
	return p;
}

int ofd_corpus_load(struct ofd_corpus *c, const char *path, char *err,
		    size_t err_len)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t file = c->nfiles, count = 0, pcap_cap = 0, i;
	uint32_t records = 0, cut = 0, first_cut = 0;
	struct ofd_corpus_file *nfi;
	struct ofd_corpus_pkt *pk = NULL;
	size_t used = 0, bcap = 0;
	uint8_t *block = NULL;
	pcap_t *p;
	int rc, ret = 0;
	char **nf;
	uint8_t **nb;

	p = open_capture(path, err, err_len, &ret);
	if (!p)
		return ret;

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
		pk[count].ts_us = ts_us(h);
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
		d->ts_us = pk[i].ts_us;
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

/*
 * The corpus as a stream: the same frames as ofd_corpus_load, in the same
 * order, a chunk at a time, so that a campaign over any number of frames
 * holds one chunk in memory. A chunk is a struct ofd_corpus whose pkts are
 * the chunk's frames (packet index and file as loading gives them) and
 * whose files and file_info are the whole corpus' (file_info complete for
 * the files read to the end once).
 */
struct ofd_corpus_stream {
	struct ofd_corpus chunk;    /* files, file_info: every file */
	uint32_t max_frames;
	size_t max_bytes;
	bool first_pass;
	pcap_t *p;                  /* the file being read, NULL between */
	uint32_t cur;               /* its index */
	uint32_t records, count, cut, first_cut; /* in it, this pass */
	uint8_t *block;             /* the chunk's bytes */
	size_t bcap;
	uint64_t frames;            /* handed out this pass */
};

int ofd_corpus_stream__open(char *const *paths, size_t npaths, uint32_t max_frames,
			    size_t max_bytes, struct ofd_corpus_stream **out)
{
	struct ofd_corpus_stream *s = calloc(1, sizeof(*s));
	size_t i;

	if (!s || npaths > UINT32_MAX)
		goto fail;
	s->max_frames = max_frames ? max_frames : OFD_CORPUS_CHUNK_FRAMES;
	s->max_bytes = max_bytes ? max_bytes : OFD_CORPUS_CHUNK_BYTES;
	s->first_pass = true;
	s->chunk.files = calloc(npaths + 1, sizeof(*s->chunk.files));
	s->chunk.file_info = calloc(npaths + 1, sizeof(*s->chunk.file_info));
	s->chunk.pkts = calloc(s->max_frames, sizeof(*s->chunk.pkts));
	if (!s->chunk.files || !s->chunk.file_info || !s->chunk.pkts)
		goto fail;
	for (i = 0; i < npaths; i++) {
		s->chunk.files[i] = strdup(paths[i]);
		if (!s->chunk.files[i])
			goto fail;
		s->chunk.nfiles++;
	}
	*out = s;
	return 0;
fail:
	ofd_corpus_stream__close(s);
	return -ENOMEM;
}

/* The end of file s->cur: record (first pass) or compare what it held. */
static int stream_file_done(struct ofd_corpus_stream *s, char *err, size_t err_len)
{
	struct ofd_corpus_file *fi = &s->chunk.file_info[s->cur];
	const char *path = s->chunk.files[s->cur];

	if (s->first_pass) {
		*fi = (struct ofd_corpus_file){
			.records = s->records, .frames = s->count, .cut = s->cut,
			.first_cut = s->first_cut, .snaplen = (uint32_t)pcap_snapshot(s->p),
		};
		s->chunk.frames_cut += s->cut;
		if (s->cut)
			ofd_pr_warn("offdiff: warning: %s: %u of %u frames cut by the capture's snaplen (%u bytes) skipped; first at packet %u\n",
				    path, s->cut, s->records, fi->snaplen, s->first_cut);
	} else if (fi->records != s->records || fi->frames != s->count) {
		snprintf(err, err_len, "%s: changed while being read: %u packets, %u before",
			 path, s->records, fi->records);
		return -EBADMSG;
	}
	pcap_close(s->p);
	s->p = NULL;
	s->cur++;
	return 0;
}

int ofd_corpus_stream__next(struct ofd_corpus_stream *s, const struct ofd_corpus **chunk,
			    char *err, size_t err_len)
{
	struct ofd_corpus *c = &s->chunk;
	struct pcap_pkthdr *h;
	const u_char *data;
	size_t used = 0;
	uint32_t i;
	int rc, ret = 0;

	c->npkts = 0;
	while (c->npkts < s->max_frames && used < s->max_bytes) {
		if (!s->p) {
			if (s->cur >= c->nfiles)
				break;
			s->p = open_capture(c->files[s->cur], err, err_len, &ret);
			if (!s->p)
				return ret;
			s->records = s->count = s->cut = s->first_cut = 0;
		}
		rc = pcap_next_ex(s->p, &h, &data);
		if (rc == PCAP_ERROR_BREAK) {
			ret = stream_file_done(s, err, err_len);
			if (ret)
				return ret;
			continue;
		}
		if (rc != 1) {
			/* libpcap reports a short record as "truncated dump file". */
			snprintf(err, err_len, "%s: packet %u: %s", c->files[s->cur],
				 s->records, pcap_geterr(s->p));
			return -EBADMSG;
		}
		s->records++;
		if (h->caplen < h->len) {
			if (!s->cut++)
				s->first_cut = s->records - 1;
			continue;
		}
		if (used + h->caplen > s->bcap) {
			size_t nc = s->bcap ? s->bcap * 2 : 1 << 20;
			uint8_t *nbk;

			while (nc < used + h->caplen)
				nc *= 2;
			nbk = realloc(s->block, nc);
			if (!nbk)
				return -ENOMEM;
			s->block = nbk;
			s->bcap = nc;
		}
		memcpy(s->block + used, data, h->caplen);
		/* Offsets now, pointers once the block stops moving. */
		c->pkts[c->npkts] = (struct ofd_corpus_pkt){
			.data = (const uint8_t *)(uintptr_t)used, .len = h->caplen,
			.file = s->cur, .index = s->records - 1,
			.ts_us = ts_us(h),
		};
		used += h->caplen;
		s->count++;
		c->npkts++;
	}
	for (i = 0; i < c->npkts; i++)
		c->pkts[i].data = s->block + (uintptr_t)c->pkts[i].data;
	s->frames += c->npkts;
	*chunk = c;
	return c->npkts ? 1 : 0;
}

uint64_t ofd_corpus_stream__frames(const struct ofd_corpus_stream *s)
{
	return s->frames;
}

int ofd_corpus_stream__rewind(struct ofd_corpus_stream *s)
{
	if (s->p)
		pcap_close(s->p);
	s->p = NULL;
	/* Only a pass that reached the end knows every file. */
	if (s->cur >= s->chunk.nfiles)
		s->first_pass = false;
	if (s->first_pass)
		s->chunk.frames_cut = 0;
	s->cur = 0;
	s->frames = 0;
	s->chunk.npkts = 0;
	return 0;
}

void ofd_corpus_stream__close(struct ofd_corpus_stream *s)
{
	uint32_t i;

	if (!s)
		return;
	if (s->p)
		pcap_close(s->p);
	for (i = 0; s->chunk.files && i < s->chunk.nfiles; i++)
		free(s->chunk.files[i]);
	free(s->chunk.files);
	free(s->chunk.file_info);
	free(s->chunk.pkts);
	free(s->block);
	free(s);
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

int ofd_pcap_writer__flush(struct ofd_pcap_writer *w)
{
	errno = 0;
	if (pcap_dump_flush(w->d))
		return errno ? -errno : -EIO;
	return 0;
}

int ofd_pcap_writer__close(struct ofd_pcap_writer *w)
{
	int ret = 0;

	if (!w)
		return 0;
	/* pcap_dump() reports nothing: a short write shows up here, as the
	 * stream's error, with errno saying why (ENOSPC on a full disk). */
	errno = 0;
	if (pcap_dump_flush(w->d))
		ret = errno ? -errno : ofd_stream_error(pcap_dump_file(w->d));
	else if (ferror(pcap_dump_file(w->d)))
		ret = ofd_stream_error(pcap_dump_file(w->d));
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
	return ret;
}
