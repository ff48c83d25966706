// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * names.c - the text of every enum that reaches a report. These strings are
 * part of the output format (summary.json, junit.xml): keep them stable.
 */
#include <errno.h>
#include <string.h>

#include "ofd.h"

static const char *const reason_text[OFD_REASON__MAX] = {
	[OFD_REASON_NONE] = "none",
	[OFD_REASON_HDR_LEN_PAST_FRAME] = "vnet hdr_len is larger than the frame",
	[OFD_REASON_FRAME_TOO_SHORT] = "frame shorter than the Ethernet header",
	[OFD_REASON_FRAME_TOO_LONG] = "non-GSO frame longer than the MTU",
	[OFD_REASON_GSO_TYPE_INVALID] = "unknown vnet gso_type",
	[OFD_REASON_GSO_SIZE_ZERO] = "gso_type set with gso_size 0",
	[OFD_REASON_GSO_SIZE_BY_FRAGS] = "gso_size 0xffff (GSO_BY_FRAGS)",
	[OFD_REASON_CSUM_PAST_FRAME] = "checksum start/offset lie past the frame",
	[OFD_REASON_CSUM_START_TOO_LARGE] = "csum_start beyond 65535 with headroom",
	[OFD_REASON_CSUM_START_TOO_SMALL] = "csum_start (transport offset) below the minimum IP header",
	[OFD_REASON_GSO_CSUM_OFFSET] = "csum_offset does not match the GSO type",
	[OFD_REASON_UDP_L4_NO_CSUM] = "UDP_L4 GSO without NEEDS_CSUM",
	[OFD_REASON_UDP_L4_ECN] = "UDP_L4 GSO with the ECN bit",
	[OFD_REASON_UDP_L4_TOO_MANY_SEGS] = "UDP_L4 GSO with more than 128 segments",
	[OFD_REASON_GSO_PROTO_MISMATCH] = "packet protocol does not match the GSO type",
	[OFD_REASON_GSO_UNPARSABLE] = "flow dissector cannot parse the GSO packet",
	[OFD_REASON_CSUM_START_OUTSIDE] = "csum_start outside the linear data (skb_checksum_help)",
	[OFD_REASON_CSUM_FIELD_OUTSIDE] = "checksum field outside the linear data (skb_checksum_help)",
	[OFD_REASON_GSO_SEGMENT_FAILED] = "GSO segmentation failed",
	[OFD_REASON_SEND_EINVAL] = "send() failed",
	[OFD_REASON_DROPPED] = "dropped at transmit (send succeeded, no frame)",
	[OFD_REASON_DEVICE] = "refused by the device",
	[OFD_REASON_GSO_PAYLOAD_TOO_SMALL] = "GSO packet whose payload is not larger than gso_size (dropped at transmit)",
	[OFD_REASON_GSO_NO_HANDLER] = "no GSO handler for a header before the transport (dropped at transmit)",
	[OFD_REASON_GSO_TYPE_MISMATCH] = "GSO type does not fit the packet (dropped at transmit)",
	[OFD_REASON_FAULT_CRASH] = "the target's process died on the case (a signal or an exit)",
	[OFD_REASON_FAULT_HANG] = "the target did not finish the case in time (killed)",
	[OFD_REASON_FAULT_MALFORMED] = "the target returned a malformed result",
	[OFD_REASON_FAULT_ENGINE] = "the target's engine failed on the case",
};

const char *ofd_reason_str(enum ofd_reason r)
{
	return (unsigned int)r < OFD_REASON__MAX && reason_text[r] ?
		       reason_text[r] : "unknown reason";
}

static const char *const verdict_names[OFD_V__MAX] = {
	[OFD_V_EQUAL] = "equal",
	[OFD_V_DISCREPANCY] = "discrepancy",
	[OFD_V_BOTH_REJECTED] = "both-rejected",
	[OFD_V_ONE_REJECTED] = "one-rejected",
	[OFD_V_TARGET_FAULT] = "target-fault",
	[OFD_V_UNSUPPORTED] = "unsupported",
};

const char *ofd_verdict_name(enum ofd_verdict v)
{
	return (unsigned int)v < OFD_V__MAX ? verdict_names[v] : "?";
}

const char *ofd_severity_name(enum ofd_severity s)
{
	switch (s) {
	case OFD_SEV_CRITICAL:
		return "critical";
	case OFD_SEV_BENIGN:
		return "benign";
	default:
		return "none";
	}
}
