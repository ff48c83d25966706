/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * host_journal.h - the journal file of host_changes.c: what it holds, and
 * its reading and writing (host_journal.c).
 */
#ifndef OFD_HOST_JOURNAL_H
#define OFD_HOST_JOURNAL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#include "ofd_ethtool.h"

/* Each feature once, the link and the MTU: the kernel has under 64. */
#define MAX_CHANGES 130

enum kind { CH_FEATURE, CH_LINK, CH_MTU };
/* Their words in the file and in messages. */
extern const char *const ofdint_kind_names[];

struct change {
	int kind;                        /* enum kind */
	char name[OFD_ETHTOOL_NAME_LEN]; /* CH_FEATURE */
	unsigned int was;                /* on/up: 1, off/down: 0; the MTU */
	bool failed;                     /* restoring it failed: keep it */
};

struct journal {
	char netns[64];
	char ifname[IFNAMSIZ];
	long pid;
	unsigned long long start;
	unsigned int n;
	struct change ch[MAX_CHANGES];
};

/* Write j to path whole (temporary file, fsync, rename); exclusive: fail
 * with -EEXIST when path exists (claiming a port). */
int ofdint_journal_write(const struct journal *j, const char *path, bool exclusive);
/* Read path into j; a bad file gives file:line:col in err. */
int ofdint_journal_read(const char *path, struct journal *j, char *err, size_t len);
/* <dir>/<netns or "-">@<ifname>.yaml */
int ofdint_journal_path(const char *dir, const char *netns, const char *ifname, char *buf,
			size_t len);
/* Append a change (its value before); whether one of kind/name is in. */
int ofdint_add_change(struct journal *j, int kind, const char *name, unsigned int was);
bool ofdint_journalled(const struct journal *j, int kind, const char *name);

#endif /* OFD_HOST_JOURNAL_H */
