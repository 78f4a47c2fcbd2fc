#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run libFuzzer targets for a while on their corpus.

    run-fuzz.py [--seconds N] [--keep DIR] [--bench] TARGET SEEDS [...]

TARGET is a libFuzzer binary (build-fuzz/tests/fuzz/fuzz-NAME) and SEEDS
its seed directory (tests/fuzz/corpus/NAME); several TARGET SEEDS pairs
may follow.  Each target runs N seconds (default 4): first every seed,
then mutations.  New inputs go to DIR/NAME with --keep (so a later run
goes on from there), else to a temporary directory.  A crash, sanitizer
report, leak or timeout fails the target; its input is kept as
DIR/NAME-crash-* (or build-fuzz/fuzz-crashes/) and named in the output.

Output is TAP, one case per target, with executions per second; --bench
prints "fuzz-NAME-execs-per-s VALUE" lines for make bench instead.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile


def run_one(target, seeds, seconds, keep):
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
    cmd = [target, '-max_total_time=%d' % seconds, '-timeout=20',
           '-rss_limit_mb=2048', '-print_final_stats=1',
           '-artifact_prefix=' + prefix, work, seeds]
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, text=True,
                           errors='replace', timeout=seconds + 110)
        out, status = p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stderr or b'').decode(errors='replace') if isinstance(
            e.stderr, bytes) else (e.stderr or '')
        status = 'hung'
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
    seconds, keep, bench = 4, None, False
    pairs = []
    while args:
        a = args.pop(0)
        if a == '--seconds':
            seconds = int(args.pop(0))
        elif a == '--keep':
            keep = args.pop(0)
        elif a == '--bench':
            bench = True
        else:
            pairs.append((a, args.pop(0)))
    if not bench:
        print('1..%d' % len(pairs), flush=True)
    failed = 0
    for i, (target, seeds) in enumerate(pairs, 1):
        name, status, n, secs, corpus, artifact, out = run_one(
            target, seeds, seconds, keep)
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
