// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface_rx_csum.c - rx-csum through the iface target's receive direction
 * (and rss through the virtual NIC): what can be read back, and what
 * cannot.
 *
 * rx-csum: one frame a case. iface_rx.c sends it from the peer and reads
 * what the device port hands the kernel with PACKET_VNET_HDR; the header
 * is virtio_net_hdr_from_skb(has_data_valid) of the driver's skb, so it
 * says only DATA_VALID (CHECKSUM_UNNECESSARY) or nothing (kernel-rx.md
 * 7.3). Software GRO is off on the port for rx-csum (iface.c's
 * rx_features): it would validate a NONE frame itself and hand it up
 * DATA_VALID (kernel-rx.md 1.8), making a device that validates nothing
 * look like one that does.
 *
 * What the header cannot say, and so what this answer will not claim:
 *  - csum_level: DATA_VALID is one bit. On a frame with one checksum
 *    layer (or none) the level a device means is 0 (a higher one vouches
 *    for layers the frame lacks, which the stack never consumes; that
 *    bend is invisible here). On a frame with more, a DATA_VALID frame
 *    whose outermost checksum verifies could be level 0 (right or too
 *    low) or vouch for a bad inner layer: the case is unsupported, by
 *    name. Where the outermost checksum is bad the claim is wrong at any
 *    level, and it is answered as level 0, which the judge (explain_rx_csum.c,
 *    csum-level-too-high on a bad layer: critical) names correctly.
 *  - CHECKSUM_COMPLETE: the header says nothing for it, as for NONE (no
 *    flag is set for either), and at the tap nothing has checked the sum
 *    yet. So flags 0 on a frame the model validates (some checksum
 *    verifies) is NONE (benign: declined) or COMPLETE (right if the value
 *    is): unsupported, by name, not called a difference. Flags 0 on a
 *    frame with nothing to vouch for is NONE, which a correct COMPLETE
 *    device would be equal to anyway (the judge accepts either there).
 * The answer's frame is the case's input (as the model's and qemu_rx.c's
 * are): the port may hand up the frame with its VLAN tag stripped into
 * metadata, and what rx-csum judges is the state, not the bytes.
 *
 * The virtual NIC: tun ignores DATA_VALID on write (kernel-rx.md 7.1), so
 * whatever its device claims never reaches the stack: rx-csum through it
 * is unsupported with that reason, not a NONE it did not say. rss the
 * same: tun sets no skb->hash on receive, and this kernel's tun (6.18; its
 * uapi if_tun.h has no hash-report ioctl, only TUNSETVNETHDRSZ, whose 20-
 * and 24-byte headers tun reads only for GSO, checksum and tunnel fields)
 * takes no hash from a written vnet header.
 *
 * rss on a real NIC is iface_rss.c's: the device's hash and queue read
 * back through XDP (or tp_rxhash), judged against the model configured as
 * the device is.
 */
#include <string.h>

#include "iface_internal.h"
#include "ofd_offload.h"
#include "ofd_rx_csum.h"

const char iface_vnic_csum_why[] =
	"rx-csum through the virtual NIC: tun ignores VIRTIO_NET_HDR_F_DATA_VALID on write "
	"(kernel-rx.md 7.1), so the device's checksum claim never reaches the stack";
const char iface_vnic_rss_why[] =
	"rss through the virtual NIC: tun sets no skb->hash on receive and takes no hash from a "
	"written vnet header on this kernel (kernel-rx.md 7.1), so the device's hash never "
	"reaches the stack";
const char iface_csum_gro_why[] =
	"rx-csum through iface with software GRO on the port (the campaign runs gro too, or "
	"rx-gro could not be turned off): GRO would validate the frame itself (kernel-rx.md 1.8)";
static const char level_why[] =
	"rx-csum: DATA_VALID on a frame with more than one checksum layer: its csum_level is "
	"not visible through PACKET_VNET_HDR (kernel-rx.md 7.3)";
static const char complete_why[] =
	"rx-csum: no flag on a frame whose checksum verifies: NONE (declined) and "
	"CHECKSUM_COMPLETE look alike through PACKET_VNET_HDR (kernel-rx.md 7.3), and "
	"COMPLETE's value is not visible";
static const char many_why[] = "rx-csum: the device handed up more than one frame for one";
static const char cut_why[] = "rx-csum: a case is one frame";

int iface_rx_csum_answer(const struct ofd_case *c, struct ofd_result *res)
{
	struct ofd_rxcsum a;
	struct ofd_frame *fr;
	bool valid;

	if (res->status != OFD_RES_OK)
		return 0;
	if (!res->nframes) {
		/* The marker came up, the frame did not: the device (or
		 * its driver) dropped it. */
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_WIRE);
		res->detail = "the device did not hand the frame up";
		return 0;
	}
	if (res->nframes > 1) {
		ofd_result_unsupported(res, many_why);
		return 0;
	}
	valid = (res->frame[0].meta.has & OFD_META_VNET) &&
		(res->frame[0].meta.vnet.flags & OFD_VNET_F_DATA_VALID);
	ofd_rx_csum_analyse(c->pkts[0].data, c->pkts[0].len, &a);
	if (valid && a.n > 1 && a.layer[0].status != OFD_RXCSUM_BAD) {
		ofd_result_unsupported(res, level_why);
		return 0;
	}
	if (!valid && a.nvalid > 0) {
		ofd_result_unsupported(res, complete_why);
		return 0;
	}
	ofd_result_reset(res);
	fr = ofd_result_add_ref(res, c->pkts[0].data, c->pkts[0].len);
	if (!fr) {
		ofd_result_unsupported(res, "rx-csum: no room for the frame");
		return 0;
	}
	memset(&fr->meta, 0, sizeof(fr->meta));
	fr->meta.has = OFD_META_CSUM_STATE;
	fr->meta.csum_state = valid ? OFD_CSUM_STATE_UNNECESSARY : OFD_CSUM_STATE_NONE;
	return 0;
}

bool iface_rx_csum_case_ok(const struct ofd_case *c, struct ofd_result *res)
{
	if (c->npkts != 1) {
		ofd_result_unsupported(res, cut_why);
		return false;
	}
	return true;
}
