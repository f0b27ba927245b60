"""Runs the fault scenarios in order, prints the table and exits 1 on any breach."""

import datetime
import os
import platform
import sys
import time
import traceback

import hardening
import scenarios
from harness import Outcome

VENV = os.environ["CHAOS_VENV"]
ALL = [
    ("restart", scenarios.database_restart_under_load),
    ("late", scenarios.database_unreachable_at_start),
    ("pool", scenarios.pool_exhaustion),
    ("disconnect", scenarios.client_disconnects),
    ("crash-sqlite", lambda: scenarios.crash_durability("sqlite")),
    ("crash-postgres", lambda: scenarios.crash_durability("postgres")),
    ("fuzz-sqlite", lambda: scenarios.bad_input("sqlite", VENV)),
    ("fuzz-postgres", lambda: scenarios.bad_input("postgres", VENV)),
    ("secrets", scenarios.secrets),
    ("tls", scenarios.tls),
    ("wide-json", scenarios.wide_json),
    ("connections", hardening.connection_limits),
    ("read-only", hardening.read_only_postgres),
    ("disk-full", hardening.disk_full_postgres),
    ("hung-postgres", hardening.hung_postgres),
    ("delete-race", hardening.delete_races),
    ("sqlite-deleted", hardening.deleted_sqlite_file),
]


def record(table, outcomes, seconds):
    """Puts the table and each scenario's figures between the markers in docs/reliability.md."""
    path = os.path.join(os.environ["CHAOS_ROOT"], "docs", "reliability.md")
    with open(path) as f:
        text = f.read()
    start, end = "<!-- chaos:start -->", "<!-- chaos:end -->"
    if start not in text or end not in text:
        return
    machine = f"{os.cpu_count()} CPUs, {platform.platform()}"
    body = [f"Run {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC with `scripts/chaos` "
            f"({seconds:.0f} s, {machine}):", "", table, ""]
    for o in outcomes:
        body.append(f"- **{o.scenario}**: " + "; ".join(o.figures)
                    + ("" if not o.breaches else " — **breaches**: " + "; ".join(o.breaches)))
    head, _, rest = text.partition(start)
    _, _, tail = rest.partition(end)
    with open(path, "w") as f:
        f.write(head + start + "\n" + "\n".join(body) + "\n" + end + tail)


def main(selected):
    outcomes = []
    started = time.monotonic()
    for key, run in ALL:
        if selected and key not in selected:
            continue
        print(f"== {key}", flush=True)
        t0 = time.monotonic()
        try:
            outcome = run()
        except Exception as error:  # a scenario that cannot finish is a breach, not a crash of the run
            outcome = Outcome(key)
            outcome.breaches.append(f"scenario failed to run: {error}")
            traceback.print_exc()
        outcome.figures.append(f"{time.monotonic() - t0:.1f} s")
        for breach in outcome.breaches:
            print(f"   BREACH: {breach}", flush=True)
        outcomes.append(outcome)
    print()
    header = f"| {'scenario':<32} | {'requests':>8} | {'non-2xx by status':<46} | {'max latency':>11} | {'rows lost':>9} | result |"
    lines = [header, "|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|"]
    for o in outcomes:
        result = "pass" if not o.breaches else "FAIL"
        lines.append(f"| {o.scenario:<32} | {o.requests:>8} | {o.failures:<46} | {o.max_latency * 1000:>8.0f} ms | {o.rows_lost:>9} | {result:<6} |")
    table = "\n".join(lines)
    print(table)
    print(f"\ntotal {time.monotonic() - started:.0f} s")
    if not selected:
        record(table, outcomes, time.monotonic() - started)
    failed = [o.scenario for o in outcomes if o.breaches]
    if failed:
        print("breached: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
