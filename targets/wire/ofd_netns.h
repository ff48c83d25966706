/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_netns.h - named network namespaces, the way `ip netns add` makes them
 * (a bind mount at /run/netns/NAME), and sockets made inside one (netns.c).
 *
 * A socket keeps the namespace it was created in: the iface target, the
 * virtual NIC and ethtool all create their sockets through
 * ofd_netns_socket() once and never switch the process's namespace.
 */
#ifndef OFD_NETNS_H
#define OFD_NETNS_H

#include <stddef.h>

/* Where named namespaces live (iproute2's NETNS_RUN_DIR). */
#define OFD_NETNS_DIR "/run/netns"

/* An fd of namespace NAME (O_RDONLY|O_CLOEXEC), or of ours for NULL/"".
 * -ENOENT with "no network namespace 'NAME' (see `ip netns list`)". */
int ofd_netns_open(const char *name, int *fd, char *err, size_t err_len);

/* Run fn(arg) in a thread that joined namespace nsfd (nsfd < 0: here);
 * fn's return value, or -errno when the thread could not join it. */
int ofd_netns_run(int nsfd, int (*fn)(void *arg), void *arg);

/* socket(domain, type, proto) made inside namespace nsfd (< 0: ours);
 * the fd, or -errno. */
int ofd_netns_socket(int nsfd, int domain, int type, int proto);

/* `ip netns add NAME` / `ip netns del NAME`; compatible with iproute2 both
 * ways. -EEXIST when NAME exists. */
/* Write val to a /proc/sys or /sys file of the calling thread's namespace
 * (a sysctl, a device attribute): 0, or -errno with errno left set (EIO
 * for a short write), so a caller can let ENOENT (no IPv6 built in) pass. */
int ofd_netns_write(const char *path, const char *val);

int ofd_netns_create(const char *name, char *err, size_t err_len);
int ofd_netns_delete(const char *name);

#endif /* OFD_NETNS_H */
