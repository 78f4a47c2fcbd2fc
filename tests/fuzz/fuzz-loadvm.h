/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The migration-stream loader fuzz target, shared with the corpus replay. */
#ifndef FUZZ_LOADVM_H
#define FUZZ_LOADVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Build a q35 machine with a few devices, as a destination would have. */
void fuzz_loadvm_init(void);
/*
 * Load one stream; any outcome but a crash or a sanitizer report is fine.
 * Returns whether the stream was accepted.
 */
bool fuzz_loadvm_one(const uint8_t *data, size_t size);

#endif
