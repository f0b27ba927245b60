#!/usr/bin/env python3
"""Sums bench/sites' recorded calls per request by the function holding each call's address.
Usage: sites.py FUNCTION ENDPOINT WORKDIR (with quarry.txt/.requests and floor.txt/.requests)."""
import bisect
import collections
import re
import subprocess
import sys

function, endpoint, work = sys.argv[1], sys.argv[2], sys.argv[3]
MMAP = re.compile(r"PERF_RECORD_MMAP2? \d+/\d+: \[(0x[0-9a-f]+)\((0x[0-9a-f]+)\) @ (0x[0-9a-f]+|\d+).*?\s(/\S+)$")
SITE = re.compile(r"site=(0x[0-9a-f]+)")
symbols, bases = {}, {}


def symbol_table(path):
    if path not in symbols:
        text = subprocess.run(["nm", "--defined-only", path], capture_output=True, text=True).stdout
        if not text.strip():
            text = subprocess.run(["nm", "-D", "--defined-only", path], capture_output=True, text=True).stdout
        table = []
        for line in text.splitlines():
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[1] in "tTwW":
                table.append((int(parts[0], 16), parts[2]))
        symbols[path] = sorted(table)
    return symbols[path]


def load_bias(path, offset):
    """Virtual address minus file offset of the segment holding `offset`."""
    if (path, offset) not in bases:
        bias = 0
        for line in subprocess.run(["readelf", "-lW", path], capture_output=True, text=True).stdout.splitlines():
            parts = line.split()
            if parts and parts[0] == "LOAD":
                start, address, size = int(parts[1], 16), int(parts[2], 16), int(parts[4], 16)
                if start <= offset < start + size:
                    bias = address - start
        bases[(path, offset)] = bias
    return bases[(path, offset)]


def per_function(name):
    requests = int(open(f"{work}/{name}.requests").read().strip() or 0)
    maps, counts = [], collections.Counter()
    for line in open(f"{work}/{name}.txt"):
        mapping = MMAP.search(line)
        if mapping:
            offset = mapping.group(3)
            maps.append((int(mapping.group(1), 16), int(mapping.group(2), 16),
                         int(offset, 16) if offset.startswith("0x") else int(offset), mapping.group(4)))
            continue
        site = SITE.search(line)
        if site:
            counts[int(site.group(1), 16)] += 1
    functions = collections.Counter()
    for address, count in counts.items():
        label = "?"
        for start, length, offset, path in maps:
            if start <= address < start + length:
                virtual = address - start + offset + load_bias(path, offset)
                table = symbol_table(path)
                index = bisect.bisect_right(table, (virtual, "\U0010ffff")) - 1
                # Async functions' partial functions (…TY0_, …TQ1_) are one function.
                label = re.sub(r"T[YQ]\d+_$", "", table[index][1]) if index >= 0 else path
                break
        functions[label] += count
    return requests, functions


quarry_requests, quarry = per_function("quarry")
floor_requests, floor = per_function("floor")
names = sorted(set(quarry) | set(floor), key=lambda n: -(quarry[n] / quarry_requests - floor[n] / floor_requests))
readable = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(names),
                          capture_output=True, text=True).stdout.splitlines()
print(f"{function} calls per {endpoint} request: Quarry {sum(quarry.values()) / quarry_requests:.1f}, "
      f"floor {sum(floor.values()) / floor_requests:.1f}")
print(f"{'Quarry':>7} {'floor':>7}  function")
for name, text in zip(names, readable):
    q, f = quarry[name] / quarry_requests, floor[name] / floor_requests
    if abs(q - f) >= 0.5:
        print(f"{q:7.2f} {f:7.2f}  {text[:150]}")
