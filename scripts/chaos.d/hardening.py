"""Scenarios 10-15 of `scripts/chaos`: the hostile clients and sick databases of the outside
attack (issue 14). Each returns an Outcome; a breach is any broken promise."""

import asyncio
import json
import os
import select
import signal
import socket
import subprocess
import time

from harness import PG_DIR, WORK, Outcome, Reply, Service, fresh_database, get, http, load_with_fault, post, psql

# ---------------------------------------------------------------- 10


def _connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setblocking(False)
    return sock


def _wait_closed(socks, deadline):
    """Reads every socket until the server closes it or `deadline` passes.
    Returns {sock: (bytes received, seconds until closed or None)}."""
    start = time.monotonic()
    received = {s: b"" for s in socks}
    closed = {}
    while len(closed) < len(socks) and time.monotonic() < deadline:
        open_socks = [s for s in socks if s not in closed]
        ready, _, _ = select.select(open_socks, [], [], 0.05)
        for s in ready:
            try:
                data = s.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                data = b""
            except BlockingIOError:
                continue
            if data:
                received[s] += data
            else:
                closed[s] = time.monotonic() - start
    return {s: (received[s], closed.get(s)) for s in socks}


def _open_descriptors(service):
    return len(os.listdir(f"/proc/{service.process.pid}/fd"))


def connection_limits():
    """Idle keep-alive connections, slowloris heads and a flood beyond the cap: closed or refused
    on time, and every descriptor comes back."""
    out = Outcome("10 idle/slow/excess connections")
    idle_timeout, cap = 2, 100
    service = Service("conns", f"sqlite://{WORK}/conns.db", "--idle-timeout", str(idle_timeout),
                      "--max-connections", str(cap), "--log-level", "error").start()
    try:
        baseline = _open_descriptors(service)
        # 150 clients connect and say nothing: up to `cap` are admitted, the rest refused at once.
        started = time.monotonic()
        idle = [_connect(service.port) for _ in range(150)]
        results = _wait_closed(idle, time.monotonic() + idle_timeout + 3)
        refused = [r for r in results.values() if r[0].startswith(b"HTTP/1.1 503")]
        admitted = [r for r in results.values() if not r[0]]
        slowest_refusal = max((r[1] for r in refused if r[1] is not None), default=0)
        unclosed = [r for r in results.values() if r[1] is None]
        out.record([Reply(503, b"", {}, r[1] or 0, started) for r in refused])
        out.note(f"150 idle connections, cap {cap}: {len(admitted)} admitted and closed after "
                 f"{min((r[1] for r in admitted if r[1]), default=0):.1f}-{max((r[1] for r in admitted if r[1]), default=0):.1f} s, "
                 f"{len(refused)} refused with 503 (all closed within {slowest_refusal:.2f} s)")
        out.check(len(admitted) <= cap, f"{len(admitted)} connections admitted beyond the cap of {cap}")
        out.check(len(refused) >= 150 - cap, f"only {len(refused)} of the connections beyond the cap got a 503")
        out.check(not unclosed, f"{len(unclosed)} idle connections were never closed")
        out.check(all(r[1] <= idle_timeout + 1.5 for r in admitted if r[1]), "an idle connection outlived the idle timeout by > 1.5 s")
        for s in idle:
            s.close()

        # 50 slowloris clients send a request head a byte every 0.3 s: closed by the idle timeout.
        slow = [_connect(service.port) for _ in range(50)]
        head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200
        start = time.monotonic()
        alive = set(slow)
        sent = 0
        while alive and time.monotonic() - start < idle_timeout + 4:
            for s in list(alive):
                try:
                    s.send(head[sent:sent + 1])
                except (BrokenPipeError, ConnectionResetError):
                    alive.discard(s)
                except BlockingIOError:
                    pass
            ready, _, _ = select.select(list(alive), [], [], 0.3)
            for s in ready:
                try:
                    if not s.recv(65536):
                        alive.discard(s)
                except (ConnectionResetError, BlockingIOError):
                    alive.discard(s)
            sent += 1
        slowloris_seconds = time.monotonic() - start
        out.note(f"50 slowloris heads (a byte every 0.3 s): {50 - len(alive)} closed within {slowloris_seconds:.1f} s")
        out.check(not alive, f"{len(alive)} slowloris connections were still open after {slowloris_seconds:.1f} s")
        for s in slow:
            s.close()

        # HTTP/1.0 without keep-alive: answered with Connection: close and closed.
        plain = _connect(service.port)
        plain.send(b"GET /health HTTP/1.0\r\n\r\n")
        data, closed_after = _wait_closed([plain], time.monotonic() + 2)[plain]
        plain.close()
        out.record([Reply(int(data.split()[1]) if data else 0, b"", {}, closed_after or 2, start)])
        out.check(data.startswith(b"HTTP/1.1 200") and b"connection: close" in data.lower() and closed_after is not None,
                  f"HTTP/1.0 request: {data[:80]!r}, closed after {closed_after}")

        # 200 garbage requests answered 400, in four waves of 50 (below the cap: each connection
        # is kept up to a second after its 400 so the answer is read before the close), their
        # descriptors coming back while the clients keep their sockets.
        garbage = []
        bad_requests = 0
        left = 0
        for _ in range(4):
            wave = [_connect(service.port) for _ in range(50)]
            for s in wave:
                s.send(b"NOT HTTP AT ALL\r\n\r\n")
            answered = _wait_closed(wave, time.monotonic() + idle_timeout + 3)
            bad_requests += sum(r[0].startswith(b"HTTP/1.1 400") for r in answered.values())
            garbage += wave
            # The server frees the descriptors itself (the clients keep their sockets open).
            deadline = time.monotonic() + idle_timeout + 3
            while _open_descriptors(service) > baseline + 5 and time.monotonic() < deadline:
                time.sleep(0.1)
            left = max(left, _open_descriptors(service) - baseline)
        out.note(f"200 malformed requests: {bad_requests} × 400; descriptors over baseline afterwards: {left}")
        out.check(bad_requests == 200, f"{200 - bad_requests} malformed requests got no 400")
        out.check(left <= 5, f"{left} descriptors still held after the 400s (FIN-WAIT-2 leak)")
        for s in garbage:
            s.close()
        health = get(service.port, "/health")
        out.record([health])
        out.check(health.status == 200, "the service did not answer after the floods")
    finally:
        service.stop()
    return out


# ---------------------------------------------------------------- 11


def read_only_postgres():
    """A demoted primary (default_transaction_read_only): writes 503 + Retry-After, reads 200,
    /ready 503; all well again once it takes writes."""
    out = Outcome("11 read-only PostgreSQL")
    url = fresh_database("chaos_ro")
    service = Service("ro", url, "--log-level", "error").start()
    try:
        uid = post(service.port, "/users", {"name": "ro", "email": "ro@example.com"}).json()["id"]
        psql("ALTER SYSTEM SET default_transaction_read_only = on")
        psql("SELECT pg_reload_conf()")
        deadline = time.monotonic() + 10
        while get(service.port, "/ready").status != 503 and time.monotonic() < deadline:
            time.sleep(0.05)
        writes = [post(service.port, "/users", {"name": "w", "email": f"w{i}@example.com"}) for i in range(20)]
        writes += [post(service.port, f"/user/{uid}/posts", {"title": "t", "body": "b"}) for _ in range(20)]
        reads = [get(service.port, f"/user/{uid}") for _ in range(20)]
        ready = get(service.port, "/ready")
        out.record(writes + reads + [ready])
        out.note(f"read-only: writes {_statuses(writes)} (Retry-After on {sum('retry-after' in r.headers for r in writes)}), "
                 f"reads {_statuses(reads)}, /ready {ready.status}")
        out.check(all(r.status == 503 and "retry-after" in r.headers for r in writes), f"writes answered {_statuses(writes)}")
        out.check(all(r.status == 200 for r in reads), f"reads answered {_statuses(reads)}")
        out.check(ready.status == 503, f"/ready answered {ready.status} while the database took no writes")
    finally:
        psql("ALTER SYSTEM RESET default_transaction_read_only")
        psql("SELECT pg_reload_conf()")
    try:
        service.wait("/ready", timeout=10)
        after = post(service.port, "/users", {"name": "after", "email": "after@example.com"})
        out.record([after])
        out.check(after.status == 201, f"a write after the database took writes again answered {after.status}")
    finally:
        service.stop()
    return out


def _statuses(replies):
    counts = {}
    for r in replies:
        counts[r.status] = counts.get(r.status, 0) + 1
    return ", ".join(f"{s}×{n}" for s, n in sorted(counts.items()))


# ---------------------------------------------------------------- 12


def disk_full_postgres():
    """The posts table's tablespace on an 8 MB tmpfs, filled up: posts 503 (not 500), the rest of
    the service unaffected, posts 201 again once space is freed."""
    out = Outcome("12 disk-full PostgreSQL")
    mount_point = os.path.join(WORK, "tiny")
    os.makedirs(mount_point, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount_point], capture_output=True, text=True)
    if mounted.returncode != 0:
        out.note(f"not run: this machine refuses a tmpfs mount ({mounted.stderr.strip()[:80]})")
        return out
    service = None
    try:
        space = os.path.join(mount_point, "space")
        os.makedirs(space)
        owner = os.environ.get("CHAOS_RUN_AS", "").split()
        if owner:
            subprocess.run(["chown", "quarrypg", space], check=True)
        url = fresh_database("chaos_full")
        psql(f"CREATE TABLESPACE tiny LOCATION '{space}'")
        service = Service("full", url, "--log-level", "error").start()
        uid = post(service.port, "/users", {"name": "full", "email": "full@example.com"}).json()["id"]
        psql("ALTER TABLE posts SET TABLESPACE tiny", "chaos_full")
        psql("CREATE TABLE filler (x text) TABLESPACE tiny", "chaos_full")
        try:
            psql("INSERT INTO filler SELECT repeat(md5(g::text), 32) FROM generate_series(1, 100000) AS g", "chaos_full")
        except RuntimeError as error:
            out.note(f"filler stopped: {str(error).splitlines()[0][:90]}")
        posts = [post(service.port, f"/user/{uid}/posts", {"title": "t", "body": "x" * 500}) for _ in range(20)]
        others = [post(service.port, "/users", {"name": "n", "email": f"n{i}@example.com"}) for i in range(5)]
        health = get(service.port, "/health")
        out.record(posts + others + [health])
        out.note(f"disk full: posts {_statuses(posts)}, other writes {_statuses(others)}, /health {health.status}")
        out.check(all(r.status == 503 for r in posts), f"posts on a full disk answered {_statuses(posts)}")
        out.check(all(r.status == 201 for r in others), f"writes elsewhere answered {_statuses(others)}")
        out.check(health.status == 200, "/health failed on a full disk")
        psql("DROP TABLE filler", "chaos_full")
        psql("CHECKPOINT")
        after = post(service.port, f"/user/{uid}/posts", {"title": "t", "body": "b"})
        out.record([after])
        out.check(after.status == 201, f"a post after space was freed answered {after.status}")
    finally:
        if service:
            service.stop()
        try:
            psql('DROP DATABASE IF EXISTS "chaos_full" WITH (FORCE)')
            psql("DROP TABLESPACE IF EXISTS tiny")
        finally:
            subprocess.run(["umount", mount_point], capture_output=True)
    return out


# ---------------------------------------------------------------- 13


def _cluster_pids():
    with open(os.path.join(PG_DIR, "data", "postmaster.pid")) as f:
        postmaster = int(f.readline())
    children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout.split()
    return [postmaster] + [int(p) for p in children]


def hung_postgres():
    """PostgreSQL stopped (SIGSTOP) for 6 s under load: with a 2 s statement timeout every request
    is answered within about 3 s (200 or 503), and all are 200 again soon after SIGCONT."""
    out = Outcome("13 hung PostgreSQL (SIGSTOP)")
    url = fresh_database("chaos_hung")
    service = Service("hung", url, "--statement-timeout", "2", "--pool-timeout", "2", "--pool-size", "4",
                      "--log-level", "error").start()
    try:
        uid = post(service.port, "/users", {"name": "hung", "email": "hung@example.com"}).json()["id"]
        marks = {}

        async def freeze():
            await asyncio.sleep(3)
            pids = _cluster_pids()
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
            marks["stopped"] = time.monotonic()
            await asyncio.sleep(6)
            for pid in pids:
                os.kill(pid, signal.SIGCONT)
            marks["resumed"] = time.monotonic()

        replies = load_with_fault(service.port, f"/user/{uid}/combined", 8, 16, freeze, timeout=20)
        out.record(replies)
        during = [r for r in replies if marks["stopped"] <= r.sent <= marks["resumed"]]
        recovered = [r for r in replies if r.sent >= marks["resumed"] + 3]
        out.note(f"stopped 6 s: {len(during)} requests sent meanwhile, {_statuses(during)}; "
                 f"slowest {max(r.elapsed for r in replies):.2f} s; after SIGCONT + 3 s: {_statuses(recovered)}")
        out.check(all(r.status in (200, 503) for r in replies), f"statuses other than 200/503: {out.statuses}")
        out.check(out.max_latency <= 4.5, f"a request took {out.max_latency:.2f} s (statement timeout 2 s, pool timeout 2 s)")
        out.check(any(r.status == 503 for r in during), "the stop was not observed")
        out.check(recovered and all(r.status == 200 for r in recovered), f"after SIGCONT: {_statuses(recovered)}")
    finally:
        for pid in _cluster_pids():
            os.kill(pid, signal.SIGCONT)
        service.stop()
    return out


# ---------------------------------------------------------------- 14


def delete_races():
    """Deletes racing post creation and the background stats refresh: never 409 or 500, a post to a
    deleted user is 404, no orphans, stats exact once the background work drained."""
    out = Outcome("14 delete vs post vs refresh")
    url = fresh_database("chaos_delete")
    service = Service("delete", url, "--debug-routes", "--log-level", "error").start()
    try:
        async def run():
            replies = []

            async def call(method, path, body=None):
                reply = await http(service.port, method, path, json.dumps(body) if body is not None else None, timeout=20)
                replies.append((method, path, reply))
                return reply

            for i in range(100):  # the sequence that answered 409 in 37 of 100 runs
                uid = (await call("POST", "/users", {"name": "s", "email": f"seq{i}@example.com"})).json()["id"]
                await call("POST", f"/user/{uid}/posts", {"title": "t", "body": "b"})
                await call("DELETE", f"/user/{uid}")
            for i in range(10):  # four posters hammering a user while it is deleted
                uid = (await call("POST", "/users", {"name": "c", "email": f"conc{i}@example.com"})).json()["id"]
                stop = asyncio.Event()

                async def poster():
                    while not stop.is_set():
                        await call("POST", f"/user/{uid}/posts", {"title": "t", "body": "b"})

                posters = [asyncio.create_task(poster()) for _ in range(4)]
                await asyncio.sleep(0.2)
                await call("DELETE", f"/user/{uid}")
                await asyncio.sleep(0.1)
                stop.set()
                await asyncio.gather(*posters)
            await call("GET", "/debug/background-idle")
            return replies

        calls = asyncio.run(run())
        out.record([r for _, _, r in calls])
        deletes = [r for m, _, r in calls if m == "DELETE"]
        posts = [r for m, p, r in calls if m == "POST" and p.endswith("/posts")]
        orphans = psql("SELECT (SELECT count(*) FROM posts p WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = p.user_id))"
                       " + (SELECT count(*) FROM user_stats s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id))",
                       "chaos_delete")
        wrong = psql("SELECT count(*) FROM user_stats s WHERE post_count <> (SELECT count(*) FROM posts p WHERE p.user_id = s.user_id)",
                     "chaos_delete")
        out.note(f"deletes {_statuses(deletes)}; posts {_statuses(posts)}; orphans {orphans}; wrong stats {wrong}")
        out.check(all(r.status == 204 for r in deletes), f"deletes answered {_statuses(deletes)}")
        out.check(all(r.status in (201, 404) for r in posts), f"posts answered {_statuses(posts)}")
        out.check(orphans == "0", f"{orphans} orphan rows")
        out.check(wrong == "0", f"{wrong} users' stats differ from their posts after the background work drained")
    finally:
        service.stop()
    return out


# ---------------------------------------------------------------- 15


def deleted_sqlite_file():
    """The SQLite file deleted under the running service: no write is acknowledged into the
    unlinked file, no empty database appears in its place, /ready says 503."""
    out = Outcome("15 SQLite file deleted")
    directory = os.path.join(WORK, "deleted")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "posts.db")
    service = Service("deleted", f"sqlite://{path}", "--log-level", "error").start()
    try:
        before = [post(service.port, "/users", {"name": "b", "email": f"before{i}@example.com"}) for i in range(10)]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        after = [post(service.port, "/users", {"name": "a", "email": f"after{i}@example.com"}) for i in range(20)]
        reads = [get(service.port, "/users") for _ in range(5)]
        ready = get(service.port, "/ready")
        out.record(before + after + reads + [ready])
        out.note(f"after deletion: writes {_statuses(after)}, reads {_statuses(reads)}, /ready {ready.status}; "
                 f"file recreated: {os.path.exists(path)}")
        out.check(all(r.status == 201 for r in before), "writes before the deletion failed")
        out.check(not any(r.status == 201 for r in after), f"{sum(r.status == 201 for r in after)} writes acknowledged into a deleted file")
        out.check(all(r.status == 503 for r in after + reads), f"after the deletion: writes {_statuses(after)}, reads {_statuses(reads)}")
        out.check(ready.status == 503, f"/ready answered {ready.status}")
        out.check(not os.path.exists(path), "an empty database was created in place of the deleted one")
        out.check(service.alive(), "the service exited")
    finally:
        service.stop()
    return out
