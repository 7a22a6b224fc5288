#!/usr/bin/env python3
"""Run a command and tell how much of the machine it had (standard library, Linux only).

    python3 scripts/cpu_share.py [--label NAME] -- COMMAND ...

Prints one JSON line on stderr when the command ends: wall seconds, the CPU seconds of the
command's processes, the CPU seconds of every other process on the machine in the same
interval, and ``others_share``: the others' CPU as a share of the machine's capacity
(wall x cores). On a shared machine (other developers' test suites) that share says how
far the wall time is to be trusted; docs/benchmarks.md quotes it.

The command's processes are those whose environment carries a tag that this script sets
(``CPU_SHARE_TAG``), so detached children count too: the PostgreSQL server that
scripts/pg_tmp.py starts in its own session, Chromium under Playwright, pytest-xdist
workers. /proc is sampled every ``--interval`` seconds; a process that lives shorter than
that is missed (small). Exit code: the command's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: str) -> tuple[str, float] | None:
    """(start time, CPU seconds so far) of a process, or None when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # after the command name: state=0 ... utime=11 stime=12 cutime=13 cstime=14 starttime=19
    return fields[19], (int(fields[11]) + int(fields[12])) / TICKS


def _tagged(pid: str, tag: bytes) -> bool:
    try:
        return tag in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    except OSError:
        return False


class Sampler(threading.Thread):
    def __init__(self, tag: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.tag = f"CPU_SHARE_TAG={tag}".encode()
        self.interval = interval
        self.stop = threading.Event()
        self.seen: dict[tuple[str, str], tuple[bool, float]] = {}  # (pid, start) -> mine, cpu
        self.mine = 0.0
        self.others = 0.0
        self.me = str(os.getpid())
        self.baseline = True
        self.lock = threading.Lock()

    def sample(self) -> None:
        for entry in os.scandir("/proc"):
            pid = entry.name
            if not pid.isdigit() or pid == self.me:
                continue
            stat = _stat(pid)
            if stat is None:
                continue
            start, cpu = stat
            key = (pid, start)
            if key in self.seen:
                mine, before = self.seen[key]
            else:  # new since the last sample (or present from the beginning: baseline)
                mine, before = _tagged(pid, self.tag), (cpu if self.baseline else 0.0)
            delta = max(cpu - before, 0.0)
            if mine:
                self.mine += delta
            else:
                self.others += delta
            self.seen[key] = (mine, cpu)

    def begin(self) -> None:
        """Record what runs already (its CPU so far is not counted), then sample."""
        self.baseline = True
        self.sample()
        self.mine = self.others = 0.0
        self.baseline = False
        self.start()

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            with self.lock:
                self.sample()

    def end(self) -> None:
        self.stop.set()
        self.join()
        self.sample()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="")
    parser.add_argument("--interval", type=float, default=0.5)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    tag = uuid.uuid4().hex
    sampler = Sampler(tag, args.interval)
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    sampler.begin()
    code = subprocess.call(command, env=dict(os.environ, CPU_SHARE_TAG=tag))
    sampler.end()
    wall = time.monotonic() - started
    cores = os.cpu_count() or 1
    print(
        json.dumps(
            {
                "label": args.label,
                "exit": code,
                "wall_s": round(wall, 1),
                "cpu_s": round(sampler.mine, 1),
                "others_cpu_s": round(sampler.others, 1),
                "others_share": round(sampler.others / (wall * cores), 2) if wall else 0,
                "cores": cores,
                "load_before": round(load_before, 2),
                "load_after": round(os.getloadavg()[0], 2),
            }
        ),
        file=sys.stderr,
        flush=True,
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
