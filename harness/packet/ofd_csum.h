/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_csum.h - checksum primitives (RFC 1071, RFC 1624, RFC 3309 CRC32c).
 *
 * Conventions follow the kernel's, described in kernel-tx.md section 1:
 *  - a "partial sum" is a 32-bit ones'-complement accumulator of 16-bit
 *    big-endian words (the kernel's __wsum, but always in network-word
 *    interpretation, whatever the host order);
 *  - ofd_fold16() folds it to 16 bits with end-around carry;
 *  - ofd_csum_fold() returns the complement of that, which is what goes on
 *    the wire (the kernel's csum_fold);
 *  - an odd trailing byte is the high byte of a word padded with zero.
 */
#ifndef OFD_CSUM_H
#define OFD_CSUM_H

#include <stddef.h>
#include <stdint.h>

/* Ones'-complement add of two partial sums (end-around carry). */
static inline uint32_t ofd_csum_add(uint32_t a, uint32_t b)
{
	uint64_t s = (uint64_t)a + b;

	return (uint32_t)((s & 0xffffffffu) + (s >> 32));
}

/* Ones'-complement subtract: add the complement (RFC 1624 eqn. 3). */
static inline uint32_t ofd_csum_sub(uint32_t a, uint32_t b)
{
	return ofd_csum_add(a, ~b);
}

/* Fold to 16 bits with end-around carry, not complemented. */
static inline uint16_t ofd_fold16(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* What goes into a checksum field: ~fold (kernel csum_fold). */
static inline uint16_t ofd_csum_fold(uint32_t sum)
{
	return (uint16_t)~ofd_fold16(sum);
}

/*
 * Partial sum of len bytes at buf, added to sum. buf must be the start of
 * a word boundary of the checksummed range (offsets are relative to it).
 * This is the hot loop: it reads 8 bytes at a time and never more than len.
 */
uint32_t ofd_csum_partial(const void *buf, size_t len, uint32_t sum);

/*
 * Add a block's partial sum that starts at byte offset `off` of the
 * checksummed range: a block at an odd offset has its bytes in the other
 * half of each word (kernel csum_block_add).
 */
static inline uint32_t ofd_csum_block_add(uint32_t sum, uint32_t block,
					  size_t off)
{
	if (off & 1) {
		uint32_t f = ofd_fold16(block);

		block = (uint32_t)(((f & 0xff) << 8) | (f >> 8));
	}
	return ofd_csum_add(sum, block);
}

/* Pseudo-header sums (RFC 793 / RFC 768 for IPv4, RFC 8200 8.1 for IPv6).
 * Addresses are in network byte order as found in the packet. */
uint32_t ofd_pseudo_v4(const uint8_t saddr[4], const uint8_t daddr[4],
		       uint32_t len, uint8_t proto);
uint32_t ofd_pseudo_v6(const uint8_t saddr[16], const uint8_t daddr[16],
		       uint32_t len, uint8_t proto);

/* RFC 1071 checksum of a whole buffer: ~fold(sum(buf)). */
static inline uint16_t ofd_inet_csum(const void *buf, size_t len)
{
	return ofd_csum_fold(ofd_csum_partial(buf, len, 0));
}

/* CRC32c (Castagnoli, reflected 0x82F63B78). Start with crc = 0xffffffff,
 * finish with ~crc; the SCTP field stores ~crc little endian (RFC 3309). */
uint32_t ofd_crc32c(uint32_t crc, const void *buf, size_t len);

#endif /* OFD_CSUM_H */
