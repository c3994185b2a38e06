#!/usr/bin/env python3
"""Times commands against each other, interleaved: every round runs each command once, in an
order that rotates from round to round, after warm-up rounds. Each run is spawned and reaped
with wait4, which gives its wall time, its CPU time (user + system) and its peak RSS.

    timing.py [--rounds N] [--warmup N] [--label NAME] [--netns NAME] -- 'cmd one' -- 'cmd two' ...

With --netns, this process enters the network namespace /run/netns/NAME itself (setns) and
every command inherits it: no `nsenter` runs inside the measurement (it cost ~4 ms a run).

Prints one Markdown table row per command: median wall ms (with the interquartile spread),
median user+sys ms, peak RSS (GNU time, the largest of three more runs) and the ratio of its median wall time
to the first command's. Output of the commands goes to /dev/null. Bounded: a command that runs
longer than --timeout seconds is killed and the table says so.
"""

import argparse
import ctypes
import os
import shlex
import signal
import statistics
import subprocess
import sys
import time


NULL = [
    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
]


CLONE_NEWNET = 0x40000000


def enter_netns(name):
    """Moves this (single-threaded) process into the named network namespace, as
    `ip netns exec` does for the network: what it spawns from here on runs there."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = os.open(f"/run/netns/{name}", os.O_RDONLY | os.O_CLOEXEC)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"setns into {name}: {os.strerror(err)}")
    finally:
        os.close(fd)


def run_once(argv, timeout):
    """Wall and CPU ms of one run, or None if it ran past `timeout` s and was killed. The
    parent blocks in wait4 (no polling): an interval timer kills an overlong child."""
    overdue = []
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=NULL)

    def kill(_signum, _frame):
        overdue.append(True)
        os.kill(pid, signal.SIGKILL)

    previous = signal.signal(signal.SIGALRM, kill)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        _done, _status, usage = os.wait4(pid, 0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    wall = time.perf_counter() - start
    if overdue:
        return None
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def peak_rss(argv):
    """Peak RSS in kB, from GNU time: a spawned child's own ru_maxrss starts at its parent's
    (the mm it replaced at exec), and this Python is larger than what it measures."""
    if not os.path.exists("/usr/bin/time"):
        return None
    peaks = []
    for _ in range(3):
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", *argv],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        try:
            peaks.append(int(done.stderr.strip().splitlines()[-1]))
        except (ValueError, IndexError):
            return None
    return max(peaks)


def shown(command):
    """The command as the table shows it: without the `nsenter --net=…` every row has, and
    programs by their name."""
    words = shlex.split(command)
    if len(words) > 1 and words[0] == "nsenter" and words[1].startswith("--net="):
        words = words[2:]
    return " ".join(os.path.basename(w) if w.startswith("/") else w for w in words)


def quartiles(values):
    if len(values) < 4:
        return min(values), max(values)
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=21)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--label", default="")
    parser.add_argument("--netns", default="")
    parser.add_argument("commands", nargs="+")
    args = parser.parse_args()
    if args.netns:
        enter_netns(args.netns)
    commands = [c for c in args.commands if c != "--"]
    argvs = [shlex.split(c) for c in commands]
    results = [[] for _ in commands]
    killed = [False for _ in commands]
    for round_ in range(args.warmup + args.rounds):
        order = list(range(len(commands)))
        shift = round_ % len(order)
        order = order[shift:] + order[:shift]
        for i in order:
            if killed[i]:
                continue
            r = run_once(argvs[i], args.timeout)
            if r is None:
                killed[i] = True
            elif round_ >= args.warmup:
                results[i].append(r)
    base = None
    for i, command in enumerate(commands):
        label = f"{args.label} " if args.label else ""
        if killed[i] or not results[i]:
            print(f"| {label}`{shown(command)}` | killed after {args.timeout:.0f} s | | | |")
            continue
        walls = [r[0] for r in results[i]]
        cpus = [r[1] for r in results[i]]
        rss = peak_rss(argvs[i])
        rss = "—" if rss is None else f"{rss / 1024:.1f} MB"
        wall = statistics.median(walls)
        low, high = quartiles(walls)
        if base is None:
            base = wall
        print(
            f"| {label}`{shown(command)}` | {wall:.2f} ({low:.2f}–{high:.2f}) | "
            f"{statistics.median(cpus):.2f} | {rss} | {wall / base:.2f} × |"
        )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
