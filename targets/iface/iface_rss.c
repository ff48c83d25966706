// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface_rss.c - rss through the iface target on a real NIC (issue 21):
 * one frame a case, sent from the peer port, its receive hash, hash type
 * and rx queue read back on the device port (iface_rss_read.c), answered
 * as the rss record (ofd_rss.h) the judge compares with the model's.
 *
 * The device is what it is configured as: at open its RSS configuration
 * is read back (rss_readback.c: key, table, field sets, input transform,
 * rings) and turned into the model's (iface_rss_config.c). The judge
 * compares the device's records against the reference's, and `offdiff
 * run` opens the model without settings: the reference is the model's
 * default device, which the judge's hypotheses assume as well. So the
 * device must be configured as that default; when it is not, the target
 * refuses to open and prints the ethtool commands that make it so (it
 * changes nothing itself: a fleet host's RSS key and table are the
 * operator's). A run either compares like with like or does not start.
 *
 * What is not run, by name: a device with no RSS (veth, a tap: the
 * read-back's reason), a configuration the model cannot represent, a
 * flow type whose field set the driver would not report, and on the
 * TPACKET_V3 fallback the hashes it cannot attribute (iface_rss_answer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "iface_internal.h"
#include "iface_rss.h"
#include "ofd_netns.h"
#include "ofd_offload.h"
#include "ofd_port.h"

struct iface_rss {
	struct iface_rss_dev dev;
	struct iface_rss_reader *rd;
	int promisc_fd;    /* holds the port promiscuous: cases carry any address */
	bool fell_back;    /* XDP answered -EOPNOTSUPP: now TPACKET_V3 */
	char why[320];     /* set: every rss case is unsupported with it */
	char flow_why[OFD_RSS_NFLOWS][160];
	uint64_t others;   /* records of other frames seen */
};

static int hold_promisc(struct iface *f, struct iface_rss *r)
{
	struct packet_mreq mr = { .mr_ifindex = f->port_ifindex, .mr_type = PACKET_MR_PROMISC };
	/* protocol 0: the socket receives nothing, it only holds the mode */
	int fd = ofd_netns_socket(f->port_ns, AF_PACKET, SOCK_RAW, 0);

	if (fd < 0)
		return fd;
	r->promisc_fd = fd;
	return setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof(mr)) ? -errno : 0;
}

/*
 * The device's configuration against the reference's: `offdiff run`
 * opens the model without settings, so the reference is the model's
 * default device (ofd_rss_config_shared), which the judge's hypotheses
 * assume too. 0: the same; -EINVAL after printing the ethtool commands
 * that make it so; 0 with r->why set when no command can (fewer rings
 * than the model's queues, a key too short).
 */
static int check_reference(struct iface *f, struct iface_rss *r)
{
	const struct ofd_rss_config *want = ofd_rss_config_shared();
	char why[256] = "", fix[1024];

	if (iface_rss_config_same(&r->dev.cfg, want, r->dev.flows_unread, why, sizeof(why)))
		return 0;
	if (r->dev.cfg.nqueues < want->nqueues ||
	    !iface_rss_ethtool_fix(&r->dev, want, f->port, fix, sizeof(fix))) {
		snprintf(r->why, sizeof(r->why),
			 "rss: %s's RSS configuration is not the model's (%s), and cannot be made "
			 "so (%u rx rings for the model's %u queues, a %u-byte key)",
			 f->port, why, r->dev.cfg.nqueues, want->nqueues, r->dev.cfg.keylen);
		ofd_pr_info("iface: %s\n", r->why);
		return 0;
	}
	ofd_pr_warn("iface: %s's RSS configuration is not the model's, which the reference runs "
		    "(%s). Save it (ethtool -x %s; ethtool -n %s rx-flow-hash FLOW), configure the "
		    "model's with: %s\n",
		    f->port, why, f->port, f->port, fix);
	return -EINVAL;
}

/*
 * A probe frame through a freshly attached XDP read-back: attaching
 * reconfigures some NICs' rings (a pause of up to a second or two), and
 * the first record says whether the driver has the kfunc at all. Up to
 * PROBE_TRIES sends, PROBE_MS apart. 1: XDP answers; 0: the driver lacks
 * the kfunc (-EOPNOTSUPP) or nothing came (said once).
 */
#define PROBE_TRIES 10
#define PROBE_MS 200
static int probe_xdp(struct iface *f, struct iface_rss *r)
{
	/* UDP/IPv4 from a locally administered address naming the probe */
	static const uint8_t probe[60] = {
		0x02, 'o', 'f', 'd', 'r', 's', 0x02, 'o', 'f', 'd', 'r', 's', 0x08, 0x00,
		0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2,
		0x30, 0x39, 0x30, 0x39, 0, 8, 0, 0,
	};
	struct iface_rss_rec rec;
	struct ofd_vnet_hdr zero;
	int i, e;

	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < PROBE_TRIES; i++) {
		e = ofd_port_send(f->ptx_fd, &zero, probe, sizeof(probe));
		if (e)
			break;
		e = iface_rss_reader_next(r->rd, probe, sizeof(probe), PROBE_MS, &rec, NULL);
		if (e < 0)
			break;
		if (e > 0)
			return rec.err != -EOPNOTSUPP;
	}
	ofd_pr_info("iface: %s: no probe frame came up through XDP (%s); cases will say so\n",
		    f->port, e < 0 ? strerror(-e) : "within 2 s");
	return 1;
}

/*
 * The read-back: rss_read=xdp, tpacket or auto (the default: XDP, unless
 * the campaign runs gro too, whose software GRO an attached XDP program
 * turns off on the port (netif_elide_gro, kernel-rx.md 1): then
 * TPACKET_V3). XDP that cannot load or attach falls back with a line.
 */
static int open_reader(struct iface *f, struct iface_rss *r, const struct ofd_engine_opts *o)
{
	const char *mode = ofd_engine_param(o, "rss_read");
	char why[256] = "";
	bool xdp;
	int e;

	if (mode && strcmp(mode, "auto") && strcmp(mode, "xdp") && strcmp(mode, "tpacket")) {
		ofd_pr_warn("iface: rss_read is auto, xdp or tpacket, not '%s'\n", mode);
		return -EINVAL;
	}
	xdp = mode ? strcmp(mode, "tpacket") != 0 : true;
	if (xdp && (!mode || !strcmp(mode, "auto")) && (f->caps & OFD_CAP(OFD_OFFLOAD_GRO))) {
		ofd_pr_info("iface: %s: rss reads tp_rxhash (TPACKET_V3), not XDP: an XDP program "
			    "would turn the port's GRO off for the campaign's gro cases\n",
			    f->port);
		xdp = false;
	}
	if (xdp) {
		e = iface_rss_reader_xdp(f->port_ns, f->port_ifindex, &r->rd, why, sizeof(why));
		if (!e && probe_xdp(f, r))
			return 0;
		if (!e) {
			snprintf(why, sizeof(why), "the driver has no XDP rx-hash kfunc");
			iface_rss_reader_close(r->rd);
			r->rd = NULL;
			r->fell_back = true;
		}
		ofd_pr_info("iface: %s: %s; reading tp_rxhash (TPACKET_V3) instead\n", f->port,
			    why);
		why[0] = '\0';
	}
	e = iface_rss_reader_fanout(f->port_ns, f->port_ifindex, r->dev.cfg.nqueues, &r->rd, why,
				    sizeof(why));
	if (e)
		snprintf(r->why, sizeof(r->why), "%s", why);
	return 0;
}

int iface_rss_open_readback(struct iface *f, const struct ofd_rss_readback *rb, int rb_err,
			    const char *rb_why, const struct ofd_engine_opts *o)
{
	struct iface_rss *r = calloc(1, sizeof(*r));
	int e = rb_err, i;

	if (!r)
		return -ENOMEM;
	r->promisc_fd = -1;
	f->rss = r;
	if (e)
		snprintf(r->why, sizeof(r->why), "%s", rb_why);
	else if (iface_rss_config_from(rb, &r->dev, r->why, sizeof(r->why)))
		e = -EOPNOTSUPP;
	for (i = 0; !e && i < OFD_RSS_NFLOWS; i++)
		if (r->dev.flows_unread & 1u << i)
			snprintf(r->flow_why[i], sizeof(r->flow_why[i]),
				 "rss: ETHTOOL_GRXFH %s on %s: %s: what the device hashes for it is "
				 "not known",
				 ofd_rss_rb_flow_name[i], f->port, strerror(-rb->fields_err[i]));
	if (e) {
		/* Not a device to run rss on: its cases say why. */
		ofd_pr_info("iface: %s\n", r->why);
		return 0;
	}
	e = check_reference(f, r);
	if (e || r->why[0])
		return e;
	e = hold_promisc(f, r);
	return e ? e : open_reader(f, r, o);
}

int iface_rss_open(struct iface *f, const struct ofd_engine_opts *o)
{
	struct ofd_rss_readback *rb;
	char why[320] = "";
	int s, e;

	if (!(f->caps & OFD_CAP(OFD_OFFLOAD_RSS)) || f->have_vnic || f->remote_peer)
		return 0; /* iface_rx.c says why those are not run */
	rb = malloc(sizeof(*rb));
	if (!rb)
		return -ENOMEM;
	s = ofd_netns_socket(f->port_ns, AF_INET, SOCK_DGRAM, 0);
	if (s < 0) {
		free(rb);
		return s;
	}
	e = ofd_rss_readback(s, f->port, rb, why, sizeof(why));
	close(s);
	e = iface_rss_open_readback(f, rb, e, why, o);
	free(rb);
	return e;
}

void iface_rss_close(struct iface *f)
{
	struct iface_rss *r = f->rss;

	if (!r)
		return;
	if (r->others)
		ofd_pr_debug("iface: rss: %llu records of other frames ignored\n",
			     (unsigned long long)r->others);
	iface_rss_reader_close(r->rd);
	if (r->promisc_fd >= 0)
		close(r->promisc_fd);
	free(r);
	f->rss = NULL;
}

static const char rss_pad_why[] =
	"rss: a frame shorter than 60 bytes is padded on the wire: the device parses padding "
	"the reference does not see";
static const char rss_mtu_why[] = "rss: the frame is longer than the peer port's MTU";
static const char rss_queue_why[] = "rss: the peer port's queue refused the frame: not the device's doing";

/* Send the case's frame from the peer and read its record: 1 read, 0
 * answered in res already, -errno. */
static int send_and_read(struct iface *f, struct iface_rss *r, const struct ofd_pkt *p,
			 struct iface_rss_rec *rec, struct ofd_result *res)
{
	struct ofd_vnet_hdr zero;
	int e;

	iface_rss_reader_drain(r->rd);
	memset(&zero, 0, sizeof(zero));
	e = ofd_port_send(f->ptx_fd, &zero, p->data, p->len);
	if (e == -EMSGSIZE || e == -ENOBUFS || e == -ENOMEM) {
		ofd_result_unsupported(res, e == -EMSGSIZE ? rss_mtu_why : rss_queue_why);
		return 0;
	}
	if (e)
		return e;
	e = iface_rss_reader_next(r->rd, p->data, p->len, f->wait_ms, rec, &r->others);
	if (e < 0)
		return e;
	if (!e) {
		f->dropped++;
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_WIRE);
		res->detail = "the device did not hand the frame up within the wait (wait_ms)";
		return 0;
	}
	f->rx_frames++;
	return 1;
}

int iface_rss_run(struct iface *f, const struct ofd_case *c, struct ofd_result *res)
{
	struct iface_rss *r = f->rss;
	struct iface_rss_rec rec;
	struct ofd_rss_out m, o;
	struct ofd_frame *fr;
	const char *why = NULL;
	uint8_t *out;
	int e, k;

	if (!r || !r->rd) {
		ofd_result_unsupported(res, r && r->why[0] ? r->why :
					    "rss: the iface target was opened without rss");
		return 0;
	}
	if (c->npkts != 1 || !c->pkts || (!c->pkts[0].data && c->pkts[0].len)) {
		ofd_result_unsupported(res, "rss takes exactly one frame");
		return 0;
	}
	/* A frame the model cannot hash (shorter than Ethernet) is the
	 * model's answer too: rejected at submit. */
	if (ofd_rss_compute(&r->dev.cfg, NULL, c->pkts[0].data, c->pkts[0].len, &m) ||
	    c->pkts[0].len < 14) {
		ofd_rss_case(&r->dev.cfg, NULL, c, res);
		return 0;
	}
	/* A physical wire pads to ETH_ZLEN; a veth pair carries the frame
	 * as it is. */
	if (c->pkts[0].len < ETH_ZLEN && strcmp(f->dev.driver, "veth")) {
		ofd_result_unsupported(res, rss_pad_why);
		return 0;
	}
	k = ofd_rss_flow_index((enum ofd_rss_flow_type)m.flow_type);
	if (k >= 0 && (r->dev.flows_unread & 1u << k)) {
		ofd_result_unsupported(res, r->flow_why[k]);
		return 0;
	}
	f->rx_cases++;
	e = send_and_read(f, r, &c->pkts[0], &rec, res);
	if (e <= 0)
		return e;
	if (rec.has_type && rec.err == -EOPNOTSUPP && !r->fell_back) {
		/* The driver lacks the kfunc: the kernel answered -EOPNOTSUPP.
		 * Read tp_rxhash from now on, this case again. */
		char w[256] = "";

		r->fell_back = true;
		iface_rss_reader_close(r->rd);
		r->rd = NULL;
		ofd_pr_info("iface: %s: the driver has no XDP rx-hash kfunc; reading tp_rxhash (TPACKET_V3)\n",
			    f->port);
		e = iface_rss_reader_fanout(f->port_ns, f->port_ifindex, r->dev.cfg.nqueues,
					    &r->rd, w, sizeof(w));
		if (e) {
			snprintf(r->why, sizeof(r->why), "%s", w);
			ofd_result_unsupported(res, r->why);
			return 0;
		}
		e = send_and_read(f, r, &c->pkts[0], &rec, res);
		if (e <= 0)
			return e;
	}
	if (rec.has_type && rec.err && rec.err != -ENODATA) {
		ofd_result_unsupported(res, "rss: the XDP rx-hash kfunc failed on the frame");
		return 0;
	}
	if (!iface_rss_answer(&rec, &m, &o, &why)) {
		ofd_result_unsupported(res, why);
		return 0;
	}
	fr = ofd_result_add_new(res, OFD_RSS_REC_LEN, &out);
	if (!fr) {
		ofd_result_unsupported(res, "no room for the rss record in the result slot");
		return 0;
	}
	ofd_rss_out_put(&o, out);
	memset(&fr->meta, 0, sizeof(fr->meta));
	return 0;
}
