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

/* A pcap writer (Ethernet, microsecond timestamps, snaplen 262144). */
struct ofd_pcap_writer;
int ofd_pcap_writer__open(const char *path, struct ofd_pcap_writer **out);
/* ts_usec gives a deterministic timestamp (the generator uses the index). */
int ofd_pcap_writer__write(struct ofd_pcap_writer *w, const uint8_t *data,
			   uint32_t len, uint64_t ts_usec);
int ofd_pcap_writer__close(struct ofd_pcap_writer *w);

#endif /* OFD_PCAP_H */
