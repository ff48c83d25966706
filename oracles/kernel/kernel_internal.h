/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * kernel_internal.h - private helpers of the kernel engine (oracles/kernel/kernel.c)
 * implemented in oracles/kernel/netns.c: the private network namespace, its
 * taps and packet sockets.
 */
#ifndef OFD_KERNEL_INTERNAL_H
#define OFD_KERNEL_INTERNAL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ofd_kernel.h"

/* tx_queue_len of the TX taps: tun_net_xmit drops what its ring cannot
 * hold, and one case can make 65535 segments (gso_size 1 on 64 KB). */
#define OFDINT_KNS_TXQLEN (OFD_MAX_FRAMES + 4096)

/* What to set up (ofdint_kns__open @want). */
#define OFDINT_KNS_TX 0x1  /* tx tap + AF_PACKET sender */
#define OFDINT_KNS_RX 0x2  /* IFF_NAPI tap + AF_PACKET receiver (gro, rx-csum) */

/*
 * One private network namespace. It has no path and no process in it: a
 * short-lived thread creates it, builds everything, and exits; from then on
 * only the file descriptors below keep it alive (each tap and socket holds a
 * reference to the namespace it was created in), so it vanishes with them,
 * on close() or when the process dies, even by SIGKILL.
 */
struct ofdint_kns {
	/* TX: tap without offloads; the kernel does the checksum and the GSO
	 * (validate_xmit_skb) before tun_net_xmit queues the result. */
	int tx_tap;          /* /dev/net/tun fd, IFF_VNET_HDR, O_NONBLOCK */
	int tx_sock;         /* AF_PACKET SOCK_RAW, PACKET_VNET_HDR, proto 0 */
	int tx_ifindex;
	char tx_name[IFNAMSIZ];
	int stats_fd;        /* /proc/net/dev of the namespace */
	bool tx_noqueue;     /* root qdisc replaced by noqueue */

	/* RX: IFF_NAPI tap in threaded-NAPI mode, read through AF_PACKET. */
	int rx_tap;          /* -1 when RX was not set up */
	int rx_sock;         /* AF_PACKET SOCK_RAW, PACKET_VNET_HDR, ETH_P_ALL */
	int rx_ifindex;
	char rx_name[IFNAMSIZ];
	pid_t napi_pid;      /* the tap's NAPI kthread ("napi/<rx_name>-0") */
	const char *rx_why;  /* static reason when RX set-up failed */
	int rx_err;

	unsigned int mtu;    /* MTU of both taps */
};

/*
 * Create the namespace and what @want asks for. RX failures are not fatal:
 * they leave rx_tap = -1 and rx_why/rx_err set. @why receives a one-line
 * message when the call fails.
 * @return 0, or -errno (-EPERM without privileges, -ENODEV without tun).
 */
int ofdint_kns__open(unsigned int want, struct ofdint_kns **out, char *why,
		     size_t why_len);
void ofdint_kns__free(struct ofdint_kns *ns);

/* TX dropped counter of the tx tap (validate_xmit_skb and tun drops). */
int ofdint_kns_tx_dropped(struct ofdint_kns *ns, uint64_t *val);
/* Column @field (OFDINT_STAT_*) of device @dev in the namespace's
 * /proc/net/dev. */
#define OFDINT_STAT_RX_DROP 3
#define OFDINT_STAT_TX_PACKETS 9
#define OFDINT_STAT_TX_DROP 11
int ofdint_kns_dev_stat(struct ofdint_kns *ns, const char *dev, int field,
			uint64_t *val);

/*
 * Put the NAPI kthread of the rx tap on @cpu under SCHED_FIFO @prio, the
 * same as the GRO writer thread (see kernel.c for why).
 */
int ofdint_kns_pin_napi(struct ofdint_kns *ns, int cpu, int prio);

/* kernel.c: batched sends (sendmmsg) on or off, for tests and benches. */
void ofdint_kernel_set_batch(void *priv, bool on);
/* kernel.c: the namespace of an open engine (tests). */
struct ofdint_kns *ofdint_kernel_ns(void *priv);

/* rxjudge.c: the receive-side judge, a tap of its own in the namespace. */
struct ofdint_rxj;
int ofdint_rxj__open(struct ofdint_kns *ns, struct ofdint_rxj **out,
		     const char **why);
void ofdint_rxj__free(struct ofdint_rxj *j);
int ofdint_rxj_judge(struct ofdint_rxj *j, const uint8_t *frame, uint32_t len,
		     enum ofd_rxjudge *verdict, const char **why);
int ofdint_rxj_judge_many(struct ofdint_rxj *j, const uint8_t *const *frames,
			  const uint32_t *lens, unsigned int n,
			  enum ofd_rxjudge *verdict, const char **why);
/* kernel.c: the judge of an open engine, set up on first call. */
int ofdint_kernel_rxj(void *priv, struct ofdint_rxj **out, const char **why);
/* The engine's consequence op (rx_consequence.c). */
int ofdint_kernel_consequence(void *priv, const struct ofd_frame *f, char *buf, size_t len);

/* `tc qdisc replace dev <ifindex> root noqueue`, from inside the
 * namespace: a drop in validate_xmit_skb becomes the sender's error. */
int ofdint_kns_noqueue(int ifindex);
/* ioctl(ctl, req) on interface `name` with *ifr: 0 or -errno. */
struct ifreq;
int ofdint_kns_ifreq(int ctl, unsigned long req, const char *name,
		     struct ifreq *ifr);
/*
 * Run fn(arg, why) in a thread that entered the namespace of socket
 * `sock`: setns() moves only the calling thread, so the caller stays
 * where it is. fn's result, or the error of getting there, with *why.
 */
int ofdint_kns_run_in(int sock, int (*fn)(void *arg, const char **why), void *arg,
		      const char **why);
/* Set IFF_UP on interface `name`. */
int ofdint_kns_link_up(int ctl, const char *name);

/* Can the engine run here? 0, or -errno with a message in @why. */
int ofdint_kns_probe(char *why, size_t why_len);

#endif /* OFD_KERNEL_INTERNAL_H */
