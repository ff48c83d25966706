// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * checksum_help.c - the kernel's software TX checksum.
 *
 * Models, Linux 6.18: net/core/dev.c skb_checksum_help() and
 * skb_crc32c_csum_help() (kernel-tx.md section 2.2 and 2.4):
 *  - the sum runs from csum_start to the very end of the skb (trailing
 *    padding included) over whatever the field holds (the seed);
 *  - a folded result of 0 is stored as 0xffff, for every protocol;
 *  - a start or field outside the linear data is a WARN and a drop;
 *  - CRC32c covers [csum_start, end) and is stored little endian at
 *    csum_start + 8.
 */
#include "model_internal.h"
#include "ofd_csum.h"

void model_checksum_help(const struct model_skb *skb, struct ofd_result *res)
{
	uint32_t start = skb->csum_start, pos = start + skb->csum_offset;
	struct ofd_frame *f;

	if (start >= skb->linear) {
		ofd_result_reject(res, OFD_REASON_CSUM_START_OUTSIDE, OFD_STAGE_XMIT);
		return;
	}
	if (skb->crc32c) {
		uint32_t crc;
		uint8_t le[4];

		/* The CRC lives at a fixed place in the SCTP common header;
		 * skb_crc32c_csum_help does not consult csum_offset. */
		pos = start + 8;
		if (pos + 4 > skb->linear) {
			ofd_result_reject(res, OFD_REASON_CSUM_FIELD_OUTSIDE, OFD_STAGE_XMIT);
			return;
		}
		crc = ~ofd_crc32c(0xffffffffu, skb->data + start, skb->len - start);
		le[0] = (uint8_t)crc;
		le[1] = (uint8_t)(crc >> 8);
		le[2] = (uint8_t)(crc >> 16);
		le[3] = (uint8_t)(crc >> 24);
		f = ofd_result_add_ref(res, skb->data, skb->len);
		ofd_frame_patch(f, pos, le, 4);
		return;
	}
	{
		uint16_t sum = ofd_csum_fold(ofd_csum_partial(skb->data + start,
							      skb->len - start, 0));

		if (pos + 2 > skb->linear) {
			ofd_result_reject(res, OFD_REASON_CSUM_FIELD_OUTSIDE, OFD_STAGE_XMIT);
			return;
		}
		f = ofd_result_add_ref(res, skb->data, skb->len);
		ofd_frame_patch_be16(f, pos, sum ? sum : 0xffff);
	}
}
