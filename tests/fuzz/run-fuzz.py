#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run libFuzzer targets for a while on their corpus.

    run-fuzz.py [--seconds N | --runs N] [--timeout S] [--parallel]
                [--keep DIR] [--bench] TARGET SEEDS [...]

TARGET is a libFuzzer binary (build-fuzz/tests/fuzz/fuzz-NAME) and SEEDS
its seed directory (tests/fuzz/corpus/NAME); several TARGET SEEDS pairs
may follow.  Each target runs N seconds (default 4), or with --runs until
it has executed N inputs, however long that takes: first every seed, then
mutations.  --parallel runs the targets at the same time.  An input that
runs longer than S seconds (default 20) is a hang.  New inputs go to DIR/NAME with --keep (so a later run
goes on from there), else to a temporary directory.  A crash, sanitizer
report, leak or timeout fails the target; its input is kept as
DIR/NAME-crash-* (or build-fuzz/fuzz-crashes/) and named in the output.

Output is TAP, one case per target, with executions per second; --bench
prints "fuzz-NAME-execs-per-s VALUE" lines for make bench instead.
"""
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run_one(target, seeds, seconds, keep, runs=0, timeout=20):
    name = os.path.basename(target)
    if keep:
        work = os.path.join(keep, name)
        os.makedirs(work, exist_ok=True)
        crashes = keep
        tmp = None
    else:
        tmp = tempfile.mkdtemp(prefix=name + '-')
        work = tmp
        crashes = os.path.join(os.path.dirname(os.path.abspath(target)),
                               'fuzz-crashes')
    os.makedirs(crashes, exist_ok=True)
    prefix = os.path.join(crashes, name + '-')
    env = dict(os.environ)
    env.setdefault('ASAN_OPTIONS', 'detect_leaks=1:abort_on_error=1:'
                   'halt_on_error=1')
    env.setdefault('UBSAN_OPTIONS', 'print_stacktrace=1:halt_on_error=1')
    supp = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                        '..', 'scripts', 'lsan.supp')
    env.setdefault('LSAN_OPTIONS', 'suppressions=' + os.path.abspath(supp))
    limit = ['-runs=%d' % runs] if runs else ['-max_total_time=%d' % seconds]
    cmd = [target] + limit + ['-timeout=%d' % timeout,
                              '-rss_limit_mb=2048', '-print_final_stats=1',
                              '-artifact_prefix=' + prefix, work, seeds]
    # A long run prints a line per new input: keep it on disk, not in memory.
    with tempfile.TemporaryFile(mode='w+', errors='replace') as log:
        try:
            p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL,
                               stderr=log, text=True,
                               timeout=None if runs else seconds + 110)
            status = p.returncode
        except subprocess.TimeoutExpired:
            status = 'hung'
        log.seek(0)
        out = log.read()
    execs = re.search(r'stat::number_of_executed_units:\s*(\d+)', out)
    took = re.search(r'Done (\d+) runs in (\d+) second', out)
    n = int(execs.group(1)) if execs else 0
    secs = max(int(took.group(2)), 1) if took else seconds
    corpus = len(os.listdir(work))
    if tmp:
        shutil.rmtree(tmp, ignore_errors=True)
    artifact = re.findall(r'Test unit written to (\S+)', out)
    return name, status, n, secs, corpus, artifact, out


def main():
    args = sys.argv[1:]
    seconds, keep, bench, runs, timeout, parallel = 4, None, False, 0, 20, False
    pairs = []
    while args:
        a = args.pop(0)
        if a == '--seconds':
            seconds = int(args.pop(0))
        elif a == '--runs':
            runs = int(args.pop(0))
        elif a == '--timeout':
            timeout = int(args.pop(0))
        elif a == '--parallel':
            parallel = True
        elif a == '--keep':
            keep = args.pop(0)
        elif a == '--bench':
            bench = True
        else:
            pairs.append((a, args.pop(0)))
    if not bench:
        print('1..%d' % len(pairs), flush=True)
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(
            max_workers=len(pairs) if parallel else 1) as pool:
        results = [pool.submit(run_one, target, seeds, seconds, keep, runs,
                               timeout) for target, seeds in pairs]
    for i, result in enumerate(results, 1):
        name, status, n, secs, corpus, artifact, out = result.result()
        rate = n // secs
        if bench:
            print('%s-execs-per-s %d' % (name, rate), flush=True)
            continue
        if status == 0 and n:
            print('ok %d %s: %d execs in %d s (%d/s), corpus %d'
                  % (i, name, n, secs, rate, corpus), flush=True)
            continue
        failed += 1
        print('not ok %d %s: %s after %d execs%s' % (
            i, name, 'no result' if status == 0 else 'exit %s' % status, n,
            ', input kept as ' + artifact[0] if artifact else ''))
        for line in out.splitlines()[-40:]:
            print('# ' + line)
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
