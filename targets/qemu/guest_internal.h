/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * guest_internal.h - the qemu target's guest mode (mode=guest): the same
 * QEMU NIC model, programmed by the real Linux e1000e driver of a small
 * Debian guest instead of by offdiff over qtest. guest.c boots the guest
 * and owns the process, guest_run.c streams cases to the guest's agent
 * (agent/agent.c, protocol in agent/ofd_agent.h) and reads the wire.
 *
 * qemu.c (the qtest mode) hands mode=guest over with a few lines: its
 * open() returns qemu_guest_open()'s state for mode=guest, and its run(),
 * info(), tally() and close() pass a state qemu_guest_owns() claims on to
 * the functions below. Nothing here needs qemu_internal.h.
 */
#ifndef GUEST_INTERNAL_H
#define GUEST_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ofd.h"
#include "ofd_rss.h"

/* The keys guest mode adds to the qemu target's (qemu.c's qemu_params). */
#define QEMU_GUEST_PARAM_DOCS                                                              \
	{ "mode", "qtest (default: offdiff writes the descriptors) or guest (a Debian guest's " \
		  "Linux driver does, scripts/qemu-guest-image.sh)" },                       \
	{ "image", "guest mode: the folder of vmlinuz and initrd.cpio.gz (default "          \
		   "~/.cache/offdiff/qemu-guest; make qemu-guest-image)" },                  \
	{ "offloads", "guest mode: on (default: the driver offloads) or off (the guest "     \
		      "kernel's software path, a second kernel)" },                          \
	OFD_RSS_PARAM_DOCS

/* The tap's name in guest mode's namespace. */
#define GUEST_TAP "ofdg0"
/* device=virtio-net: queue pairs, one tap queue each. */
#define GUEST_RSS_QUEUES 4

/* The first bytes of a guest-mode state: no qtest-mode state starts with
 * them (its first field is a pid, below PID_MAX_LIMIT 2^22). */
#define QEMU_GUEST_TAG "ofdguest"

struct qemu_guest {
	char tag[8];          /* QEMU_GUEST_TAG, unterminated */
	pid_t pid;
	int agent_fd;         /* the virtio-serial port, unix socket side */
	int tap_fd, cap_fd, ns_fd, ifindex;
	bool offloads;        /* the driver's offloads on (else the guest's
			       * software path) */
	bool dead;            /* the guest stopped answering: every later
			       * case is a fault */
	char dir[64];         /* private folder: socket, console log */
	char binary[256];
	char image[256];
	char version[96];     /* "QEMU 7.2.22 (Debian ...)" */
	char kernel[96];      /* "6.1.0-56-amd64 linux-image-6.1.0-56-amd64 6.1.192-2" */
	char release[64];     /* the guest's uname -r, from the agent */
	char device[16];      /* the NIC model: e1000e, igb or virtio-net */
	char agent_line[256]; /* the agent's ready line */
	uint8_t mac[6];       /* the guest NIC's: the markers' source */
	uint64_t seq;         /* last marker sequence used */
	uint8_t *buf;         /* one frame off the tap */
	/* the answers' bytes not yet a whole agent_ack */
	uint8_t in[64];
	size_t in_len;
	double boot_s;
	/* for tally() */
	uint64_t cases, frames, foreign, lost, submit_err;
	double busy_s;
	/* device=virtio-net (guest_rss.c): the tap's queues, the socket
	 * that writes frames into it, the configuration set in the driver
	 * (the model's form) */
	int qfd[GUEST_RSS_QUEUES];
	int tx_fd;
	struct ofd_rss_config *rss;
	bool rss_raw;         /* the agent reads the driver's skb->hash */
	uint32_t rss_rings;
	/* what the driver read back (ETHTOOL_GRSSH) after the set */
	uint8_t rb_key[40];
	uint32_t rb_indir[128];
};

/* guest.c */
static inline bool qemu_guest_owns(const void *priv)
{
	return priv && !__builtin_memcmp(priv, QEMU_GUEST_TAG, 8);
}
int qemu_guest_open(const struct ofd_engine_opts *opts, void **priv);
void qemu_guest_close(void *priv);
void qemu_guest_info(void *priv, struct ofd_engine_info *info);
void qemu_guest_tally(void *priv, char *buf, size_t len);

/* guest_run.c */
int qemu_guest_run(void *priv, const struct ofd_case *cases,
		   struct ofd_result *const *results, unsigned int n);
/* Read the agent's first line (ready or error) within timeout_ms. */
int qemu_guest_ready(struct qemu_guest *g, int timeout_ms, char *err, size_t err_len);

/* guest_rss.c: device=virtio-net, the rss offload */
static inline bool qemu_guest_is_virtio(const struct qemu_guest *g)
{
	return !__builtin_strcmp(g->device, "virtio-net");
}
/* The namespace and its multi-queue IFF_VNET_HDR tap (g->qfd), and the
 * socket that sends into it. */
int qemu_guest_rss_ns(struct qemu_guest *g, char *err, size_t err_len);
/* After the ready line: the model's configuration (opts' rss_* keys)
 * into the driver, read back and checked. */
int qemu_guest_rss_setup(struct qemu_guest *g, const struct ofd_engine_opts *opts, char *err,
			 size_t err_len);
int qemu_guest_rss_run(struct qemu_guest *g, const struct ofd_case *cases,
		       struct ofd_result *const *res, unsigned int n);

/* The ops table of guest mode alone (guest.c): what qemu.c's dispatch
 * calls, and what tests open without the qtest mode. */
extern const struct ofd_engine_ops ofd_qemu_guest_ops;

#endif /* GUEST_INTERNAL_H */
