/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every fuzz target provides and shares.  A target is one file
 * defining LLVMFuzzerTestOneInput (libFuzzer's entry point) and
 * fuzz_replay_check; built with clang and -fsanitize=fuzzer it is a
 * libFuzzer binary (build-fuzz/), built with the normal compiler it is
 * linked with fuzz-replay.c, which runs its seed corpus as a test.
 *
 * The device model lives in the fuzzer's process: the machine is built
 * once, from a command line, and every input then acts on it, so state
 * left by earlier inputs is part of what the code must cope with.
 */
#ifndef TESTS_FUZZ_FUZZ_H
#define TESTS_FUZZ_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "chardev/char.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * Replay of one corpus file (name: its base name): run it, and assert
 * whatever the target knows about seeds of that name.
 */
void fuzz_replay_check(const char *name, const uint8_t *data, size_t size);

/* qemu_init with argv (NULL-terminated), once per process. */
void fuzz_machine_init(const char *const *argv);
/* Run what the main loop has ready (bottom halves, idle callbacks). */
void fuzz_main_loop_drain(void);
/*
 * One session on a chardev's frontend (QMP, qtest): reopened, so the
 * frontend starts over, then data as if a client had sent it.
 */
void fuzz_chardev_session(Chardev *chr, const uint8_t *data, size_t size);
/* Switch off the QMP commands that would run programs or create files. */
void fuzz_disable_dangerous_commands(void);

/* A cursor over the input, for targets that decode operations. */
typedef struct FuzzInput {
    const uint8_t *data;
    size_t size;
    size_t pos;
} FuzzInput;

static inline bool fuzz_more(const FuzzInput *in)
{
    return in->pos < in->size;
}

/* The next n (<= 8) bytes little-endian, zero past the end. */
uint64_t fuzz_take(FuzzInput *in, unsigned n);

#endif
