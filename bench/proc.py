#!/usr/bin/env python3
"""CPU seconds and peak RSS of a process and all its descendants (uvicorn workers included).
Usage: proc.py cpu PID | proc.py rss PID"""
import os
import sys

def children(pid):
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                out.append(int(entry))
        except OSError:
            pass
    return out

def tree(pid):
    pids = [pid]
    for child in children(pid):
        pids += tree(child)
    return pids

def cpu(pid):
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            pass
    return total / ticks

def rss(pid):
    total = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024

if __name__ == "__main__":
    what, pid = sys.argv[1], int(sys.argv[2])
    print(f"{cpu(pid):.2f}" if what == "cpu" else f"{rss(pid):.1f}")
