/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_consumers.h - a report checked by the programs that read it: the
 * JUnit schema of Jenkins' xUnit plugin through xmllint, the kernel's
 * kunit.py parse, tshark with checksum validation, a generic YAML parser.
 * An optional consumer that is not installed skips its check and prints
 * why (never a silent pass).
 */
#ifndef OFD_CONSUMERS_H
#define OFD_CONSUMERS_H

#include <stdbool.h>

/* JUnit totals, as xmllint reads them from junit.xml. */
struct ofd_junit_totals {
	long tests, failures, errors, skipped;
};

/* xmllint --schema tests/data/junit.xsd on run_dir/junit.xml must pass; *out gets
 * the totals over every testsuite (XPath sums). */
void ofd_consumer_junit(const char *run_dir, struct ofd_junit_totals *out);
/* kunit.py parse of run_dir/results.ktap: no parse error, the same totals
 * as *junit. Returns false (with the reason printed) when the kernel's
 * kunit tool is not available. */
bool ofd_consumer_ktap(const char *run_dir, const struct ofd_junit_totals *junit);

#endif
