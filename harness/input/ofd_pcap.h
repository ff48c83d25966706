/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_pcap.h - corpus input and pcap output through libpcap.
 */
#ifndef OFD_PCAP_H
#define OFD_PCAP_H

#include <stddef.h>
#include <stdint.h>

/* One frame of a loaded corpus. Bytes live in the corpus' storage. */
struct ofd_corpus_pkt {
	const uint8_t *data;
	uint32_t len;
	uint32_t file;   /* index into files[] */
	uint32_t index;  /* 0-based packet index in that file (cut frames
			  * skipped keep their numbers) */
	uint64_t ts_us;  /* the record's timestamp in microseconds: gro
			  * reads trains and flush points from its gaps */
};

/* What one file held, for `corpus stats` and run headers. */
struct ofd_corpus_file {
	uint32_t records;   /* packet records in the file */
	uint32_t frames;    /* of which loaded */
	uint32_t cut;       /* of which skipped: caplen < len (snaplen cut) */
	uint32_t first_cut; /* 0-based packet index of the first cut one */
	uint32_t snaplen;   /* the capture's (first interface's for pcapng) */
};

struct ofd_corpus {
	uint32_t nfiles;
	char **files;
	struct ofd_corpus_file *file_info; /* nfiles entries */
	uint32_t npkts;
	struct ofd_corpus_pkt *pkts;
	uint32_t frames_cut; /* sum of file_info[].cut */
	/* storage: one growing block per file */
	uint8_t **blocks;
};

/* Append every frame of a pcap or pcapng file (Ethernet link type only).
 * Frames the capture's snaplen cut (caplen < len) are skipped and counted
 * in file_info[].cut, with one ofd_pr_warn() line per file. A capture with
 * no packets is valid and adds a file with no frames.
 * On error returns -EINVAL/-ENOENT/-EBADMSG and a one-line message in err:
 * "corpus/x.pcap: packet 17: truncated record", "...: link type RAW (101)
 * is not Ethernet", "...: empty file" (0 bytes: not a capture at all). */
int ofd_corpus_load(struct ofd_corpus *c, const char *path, char *err,
		    size_t err_len);
void ofd_corpus_free(struct ofd_corpus *c);

/*
 * A corpus read a chunk at a time: the frames ofd_corpus_load would give,
 * in the same order, with the same file and packet index, at most
 * max_frames frames (0: OFD_CORPUS_CHUNK_FRAMES) and about max_bytes bytes
 * (0: OFD_CORPUS_CHUNK_BYTES; a chunk stops at the first frame that reaches
 * it) at a time.
 *
 * __next() gives the next chunk as a corpus: pkts[0, npkts) are the chunk's
 * frames; files and file_info describe every file (file_info once the file
 * was read to its end); blocks is NULL: the chunk belongs to the stream
 * (never ofd_corpus_free it) and is valid until the next call. 1 with a
 * chunk, 0 at the end, or a negative errno with the message
 * ofd_corpus_load would give in err. Snaplen warnings are printed on the
 * first pass only. __rewind() starts again from the first file; a file
 * that no longer holds what the first pass read is an error on the second.
 */
#define OFD_CORPUS_CHUNK_FRAMES 4096
#define OFD_CORPUS_CHUNK_BYTES (4u << 20)

struct ofd_corpus_stream;
int ofd_corpus_stream__open(char *const *paths, size_t npaths, uint32_t max_frames,
			    size_t max_bytes, struct ofd_corpus_stream **out);
int ofd_corpus_stream__next(struct ofd_corpus_stream *s, const struct ofd_corpus **chunk,
			    char *err, size_t err_len);
int ofd_corpus_stream__rewind(struct ofd_corpus_stream *s);
/* Frames handed out since the open or the last rewind. */
uint64_t ofd_corpus_stream__frames(const struct ofd_corpus_stream *s);
void ofd_corpus_stream__close(struct ofd_corpus_stream *s);

/* A pcap writer (Ethernet, microsecond timestamps, snaplen 262144). */
struct ofd_pcap_writer;
int ofd_pcap_writer__open(const char *path, struct ofd_pcap_writer **out);
/* ts_usec gives a deterministic timestamp (the generator uses the index). */
int ofd_pcap_writer__write(struct ofd_pcap_writer *w, const uint8_t *data,
			   uint32_t len, uint64_t ts_usec);
/* Push what was written to the file now (a reader waits on a stream). */
int ofd_pcap_writer__flush(struct ofd_pcap_writer *w);
int ofd_pcap_writer__close(struct ofd_pcap_writer *w);

#endif /* OFD_PCAP_H */
