// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_pcap.c - corpus input and pcap output.
 *
 * Cases: write/read round trip (bytes, lengths, order); a hand-made pcapng
 * file (SHB + IDB + EPB, the layout of the pcapng draft) loads; errors
 * name the problem: truncated record (with its packet index), non-Ethernet
 * link type, empty file, missing file, capture with no packets, snaplen-cut
 * frames.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "ofd.h"
#include "ofd_pcap.h"
#include "ofd_test.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ofd-pcap-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	fclose(f);
}

START_TEST(round_trip)
{
	struct ofd_corpus c = { 0 };
	struct ofd_pcap_writer *w;
	char path[128], err[256];
	uint8_t fr[3][1600];
	uint32_t lens[3] = { 60, 1514, 14 }, i, k;

	snprintf(path, sizeof(path), "%s/rt.pcap", dir);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	for (i = 0; i < 3; i++) {
		for (k = 0; k < lens[i]; k++)
			fr[i][k] = (uint8_t)(k * 3 + i);
		ck_assert_int_eq(ofd_pcap_writer__write(w, fr[i], lens[i], i * 1000000ull), 0);
	}
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.npkts, 3);
	ck_assert_uint_eq(c.nfiles, 1);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(c.pkts[i].len, lens[i]);
		ck_assert_uint_eq(c.pkts[i].index, i);
		ck_assert_int_eq(memcmp(c.pkts[i].data, fr[i], lens[i]), 0);
	}
	/* a second file appends */
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.npkts, 6);
	ck_assert_uint_eq(c.pkts[4].file, 1);
	ck_assert_uint_eq(c.pkts[4].index, 1);
	ofd_corpus_free(&c);
}
END_TEST

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

START_TEST(pcapng_loads)
{
	/* Section Header Block, Interface Description Block (LINKTYPE_ETHERNET),
	 * Enhanced Packet Block with a 60-byte frame. */
	uint8_t b[28 + 20 + 32 + 60];
	struct ofd_corpus c = { 0 };
	char path[128], err[256];
	uint8_t *p = b;
	int i;

	memset(b, 0, sizeof(b));
	put32le(p, 0x0a0d0d0a); put32le(p + 4, 28); put32le(p + 8, 0x1a2b3c4d);
	p[12] = 1; /* major 1, minor 0 */
	put32le(p + 16, 0xffffffff); put32le(p + 20, 0xffffffff); put32le(p + 24, 28);
	p += 28;
	put32le(p, 1); put32le(p + 4, 20); p[8] = 1; /* linktype 1 */
	put32le(p + 12, 65535); put32le(p + 16, 20);
	p += 20;
	put32le(p, 6); put32le(p + 4, 32 + 60); put32le(p + 20, 60); put32le(p + 24, 60);
	for (i = 0; i < 60; i++)
		p[28 + i] = (uint8_t)i;
	put32le(p + 28 + 60, 32 + 60);
	snprintf(path, sizeof(path), "%s/x.pcapng", dir);
	write_file(path, b, sizeof(b));
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.npkts, 1);
	ck_assert_uint_eq(c.pkts[0].len, 60);
	ck_assert_uint_eq(c.pkts[0].data[59], 59);
	ofd_corpus_free(&c);
}
END_TEST

START_TEST(truncated_record)
{
	struct ofd_corpus c = { 0 };
	struct ofd_pcap_writer *w;
	char path[128], err[256];
	uint8_t fr[100] = { 0 };
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/t.pcap", dir);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	ofd_pcap_writer__write(w, fr, 100, 0);
	ofd_pcap_writer__write(w, fr, 100, 1);
	ofd_pcap_writer__close(w);
	f = fopen(path, "r+");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	ck_assert_int_eq(truncate(path, size - 30), 0);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "packet 1"));
	ck_assert_ptr_nonnull(strstr(err, "truncated"));
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_uint_eq(c.npkts, 0);
	ofd_corpus_free(&c);
}
END_TEST

START_TEST(not_ethernet)
{
	struct ofd_corpus c = { 0 };
	char path[128], err[256];
	pcap_t *p = pcap_open_dead(DLT_RAW, 65535);
	pcap_dumper_t *d;
	struct pcap_pkthdr h = { .caplen = 20, .len = 20 };
	uint8_t pkt[20] = { 0x45 };

	snprintf(path, sizeof(path), "%s/raw.pcap", dir);
	d = pcap_dump_open(p, path);
	pcap_dump((u_char *)d, &h, pkt);
	pcap_dump_close(d);
	pcap_close(p);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "is not Ethernet"));
	ck_assert_ptr_nonnull(strstr(err, "RAW"));
}
END_TEST

START_TEST(empty_and_missing)
{
	struct ofd_corpus c = { 0 };
	char path[128], err[256];

	snprintf(path, sizeof(path), "%s/empty.pcap", dir);
	write_file(path, "", 0);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "empty file"));
	snprintf(path, sizeof(path), "%s/none.pcap", dir);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	snprintf(path, sizeof(path), "%s/junk.pcap", dir);
	write_file(path, "this is not a capture at all", 28);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not a readable capture"));
}
END_TEST

START_TEST(no_packets_and_snaplen_cut)
{
	struct ofd_corpus c = { 0 };
	char path[128], err[256];
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;
	struct pcap_pkthdr h = { .caplen = 20, .len = 60 };
	uint8_t pkt[20] = { 0 };

	snprintf(path, sizeof(path), "%s/none.pcap", dir);
	d = pcap_dump_open(p, path);
	pcap_dump_close(d);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "no packets"));
	snprintf(path, sizeof(path), "%s/cut.pcap", dir);
	d = pcap_dump_open(p, path);
	pcap_dump((u_char *)d, &h, pkt);
	pcap_dump_close(d);
	pcap_close(p);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "packet 0: captured 20 of 60"));
}
END_TEST

static Suite *pcap_suite(void)
{
	Suite *s = suite_create("pcap");
	TCase *tc = tcase_create("io");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, pcapng_loads);
	tcase_add_test(tc, truncated_record);
	tcase_add_test(tc, not_ethernet);
	tcase_add_test(tc, empty_and_missing);
	tcase_add_test(tc, no_packets_and_snaplen_cut);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(pcap_suite)
