/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * agent_rss.h - the guest agent's pieces shared by agent.c (boot, the
 * transmit cases) and agent_rss.c (the rss mode on virtio-net).
 */
#ifndef AGENT_RSS_H
#define AGENT_RSS_H

#include <stddef.h>

/* 0, or -EIO when the port is gone. */
int agent_write_all(int fd, const void *p, size_t n);
/* 0, or -EPIPE at the end of the stream. */
int agent_read_all(int fd, void *p, size_t n);
/* Say what stopped the agent on the port and the console; power off. */
void agent_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* The rss mode, after the ready line: returns when the port closes. */
void agent_rss_main(int port_fd, int sock, const char *ifname, int ifindex);

#endif
