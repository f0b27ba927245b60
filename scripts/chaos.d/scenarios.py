"""The fault scenarios of `scripts/chaos`. Each returns an Outcome; a breach is any broken promise."""

import asyncio
import concurrent.futures
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time

from harness import (PG_DIR, PG_PORT, POSTS_API, WORK, Outcome, Proxy, Reply, Service, abort, free_port, fresh_database,
                     get, http, load_with_fault, pg_start, pg_stop, post, psql, run_as_cluster_owner, timed_get)


def make_user(port, name):
    reply = post(port, "/users", {"name": name, "email": f"{name}@example.com"})
    if reply.status != 201:
        raise RuntimeError(f"creating {name}: {reply.status} {reply.body[:200]!r}")
    return reply.json()["id"]


# ---------------------------------------------------------------- 1


def database_restart_under_load():
    out = Outcome("1 database restart under load")
    url = fresh_database("chaos_restart")
    service = Service("restart", url, "--pool-size", "8", "--pool-timeout", "2", "--log-level", os.environ.get("CHAOS_LOG_LEVEL", "error")).start()
    try:
        user = make_user(service.port, "steady")
        post(service.port, f"/user/{user}/posts", {"title": "t", "body": "b"})
        marks = {}

        async def outage():
            await asyncio.sleep(4)
            marks["stopping"] = time.monotonic()
            await asyncio.to_thread(pg_stop)
            marks["down"] = time.monotonic()
            await asyncio.sleep(3)
            await asyncio.to_thread(pg_start)
            marks["up"] = time.monotonic()

        replies = load_with_fault(service.port, f"/user/{user}/combined", 16, 16, outage)
        out.record(replies)
        during = [r for r in replies if marks["down"] <= r.sent <= marks["up"]]
        recovered = [r for r in replies if r.sent >= marks["up"] + 2]
        after_up = sorted((r for r in replies if r.sent >= marks["up"] and r.status == 200), key=lambda r: r.sent)
        first_ok = (after_up[0].sent + after_up[0].elapsed - marks["up"]) if after_up else float("inf")
        out.note(f"outage {marks['up'] - marks['down']:.1f} s: {len(during)} requests sent, "
                 f"{sum(r.status == 503 for r in during)} answered 503; first 200 {first_ok:.2f} s after the restart")
        out.check(all(r.status in (200, 503) for r in replies), f"statuses other than 200/503: {out.statuses}")
        out.check(out.max_latency <= 2.0 * 1.1 + 0.3, f"a request waited {out.max_latency:.2f} s (pool timeout 2 s)")
        out.check(any(r.status == 503 for r in during), "the outage was not observed (no 503 while the database was down)")
        out.check(recovered and all(r.status == 200 for r in recovered),
                  f"{sum(r.status != 200 for r in recovered)} of {len(recovered)} requests failed 2 s after the restart")
        # No dead connection left in the pool: every pooled connection serves a query.
        _later_requests_succeed(out, service.port, f"/user/{user}/combined", 40, 8, "a request after recovery failed (dead pooled connection)")
    finally:
        service.stop()
    return out


def _later_requests_succeed(out, port, path, count, concurrency, breach):
    """Sends `count` GETs of `path`, `concurrency` at a time, records them, and breaches unless all are 200."""
    later = asyncio.run(_burst(port, path, count, concurrency))
    out.record(later)
    out.check(all(r.status == 200 for r in later), breach)


async def _burst(port, path, count, concurrency):
    semaphore = asyncio.Semaphore(concurrency)

    async def one():
        async with semaphore:
            return await http(port, "GET", path)
    return await asyncio.gather(*(one() for _ in range(count)))


# ---------------------------------------------------------------- 2


def database_unreachable_at_start():
    out = Outcome("2 database unreachable at start")
    fresh_database("chaos_late")
    proxy = Proxy(PG_PORT)  # not listening yet: the port is closed
    url = f"postgresql://postgres@127.0.0.1:{proxy.port}/chaos_late"
    service = Service("late", url, "--log-level", "error").start(wait_for="/health")
    try:
        replies = [get(service.port, "/ready"), get(service.port, "/users"), get(service.port, "/health")]
        out.record(replies)
        out.check([r.status for r in replies] == [503, 503, 200], f"before the database: {[r.status for r in replies]}")
        time.sleep(2.5)  # a few migration retries, then the process must still be serving
        again = get(service.port, "/ready")
        out.record([again])
        out.check(service.alive() and again.status == 503, "the service did not keep running without its database")
        appeared = time.monotonic()
        proxy.listen()
        service.wait("/ready", timeout=10)
        out.note(f"ready {time.monotonic() - appeared:.2f} s after the database appeared")
        created = post(service.port, "/users", {"name": "late", "email": "late@example.com"})
        fetched = get(service.port, f"/user/{created.json()['id']}") if created.status == 201 else created
        out.record([created, fetched])
        out.check(created.status == 201 and fetched.status == 200, "the service did not serve once the database appeared")
    finally:
        service.stop()
        proxy.close()
    return out


# ---------------------------------------------------------------- 3


# Two processes spinning on the CPU (as many as CI's cores): the pool's deadline must hold on a
# busy machine too (it once answered after 1.149 s for a 1 s timeout while other work ran).
CPU_HOG = "while True: pass"


def pool_exhaustion():
    out = Outcome("3 pool exhaustion")
    url = fresh_database("chaos_pool")
    # At info level the service logs each request's own duration (access log): the 503s' promptness
    # is checked there, from the request's arrival to its answer.
    service = Service("pool", url, "--pool-size", "2", "--pool-timeout", "1", "--debug-routes", "--log-level", "info").start()
    hogs = [subprocess.Popen([sys.executable, "-c", CPU_HOG]) for _ in range(os.cpu_count() or 2)]
    try:
        async def run():
            done = asyncio.Event()
            health = []

            async def probe():
                while not done.is_set():
                    health.append(await http(service.port, "GET", "/health", timeout=5))
                    await asyncio.sleep(0.02)

            prober = asyncio.create_task(probe())
            # On threads with kernel receive timestamps (timed_get): the bound is on when the answer
            # arrives, not on how long this CPU-starved client takes to read fifty of them.
            loop = asyncio.get_running_loop()
            with concurrent.futures.ThreadPoolExecutor(max_workers=50) as threads:
                slow = await asyncio.gather(*(
                    loop.run_in_executor(threads, timed_get, service.port, "/debug/sleep?seconds=0.5", 10)
                    for _ in range(50)))
            done.set()
            await prober
            return slow, health

        slow, health = asyncio.run(run())
        service.stop()
        out.record(slow)
        out.record(health)
        unavailable = [r for r in slow if r.status == 503]
        served = [entry.seconds for entry in service.access_log() if entry.status == 503 and entry.path == "/debug/sleep"]
        latencies = sorted(r.elapsed for r in health)
        p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else 0
        out.note(f"{len(hogs)} CPU hogs beside; 50 slow requests: {sum(r.status == 200 for r in slow)} × 200, {len(unavailable)} × 503 "
                 f"(slowest 503 after {max(served, default=0):.3f} s in the service, "
                 f"{max((r.elapsed for r in unavailable), default=0):.3f} s from send to arrival); "
                 f"/health ×{len(health)}: p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms")
        out.check(all(r.status in (200, 503) for r in slow), f"slow requests answered {out.statuses}")
        out.check(len(served) == len(unavailable), f"the service logged {len(served)} 503s, the client got {len(unavailable)}")
        out.check(all(t <= 1.1 for t in served), "the service answered a 503 later than pool timeout + 10 %")
        out.check(all(r.elapsed <= 1.5 for r in unavailable), "a 503 arrived later than pool timeout + 50 % after its send")
        out.check(all(r.status == 200 for r in health), "/health failed while the pool was exhausted")
        out.check(latencies and latencies[-1] < 0.25, f"/health took {latencies[-1] * 1000:.0f} ms while the pool was exhausted")
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
        service.stop()
    return out


# ---------------------------------------------------------------- 4


def client_disconnects():
    out = Outcome("4 client disconnects")
    url = fresh_database("chaos_disconnect") + "?application_name=chaos_disconnect"
    service = Service("disconnect", url, "--pool-size", "10", "--debug-routes", "--log-level", "error").start()
    sleeping = ("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'chaos_disconnect' "
                "AND state = 'active' AND query LIKE '%pg_sleep%'")
    try:
        user = make_user(service.port, "stayer")
        sockets = []
        for i in range(200):
            s = socket.create_connection(("127.0.0.1", service.port))
            s.sendall(b"GET /debug/sleep?seconds=30 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            sockets.append(s)
        deadline = time.monotonic() + 15
        while int(psql(sleeping)) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)  # let the pool's overflow connections start theirs too (a figure, not a check)
        running = int(psql(sleeping))
        out.note(f"{running} queries running in pg_sleep (the pool's connections) when the clients left")
        out.check(running >= 10, f"expected at least the pool's 10 connections in pg_sleep, saw {running}")
        dropped = time.monotonic()
        for i, s in enumerate(sockets):
            abort(s) if i % 2 else s.close()
        out.requests += 200  # every one dropped by its client: no status
        cancelled_after = None
        while time.monotonic() - dropped < 5:
            if int(psql(sleeping)) == 0:
                cancelled_after = time.monotonic() - dropped
                break
            time.sleep(0.02)
        out.note(f"200 clients left mid-query; the server's queries were gone after "
                 f"{'never' if cancelled_after is None else f'{cancelled_after:.3f} s'}")
        out.check(cancelled_after is not None and cancelled_after <= 1.0, "queries were not cancelled within 1 s")
        # None of the 190 queued requests may start its query later.
        time.sleep(1)
        out.check(int(psql(sleeping)) == 0, "a request whose client left started its query afterwards")
        metrics = get(service.port, "/metrics").body.decode()
        used = [float(v) for v in re.findall(r'db_client_connection_count\{[^}]*db_client_connection_state="used"[^}]*\} ([0-9.e+-]+)', metrics)]
        out.note(f"pool connections in use afterwards: {used}")
        out.check(used and all(v == 0 for v in used), f"pool not back to zero checked out: {used}")
        _later_requests_succeed(out, service.port, f"/user/{user}/combined", 20, 5, "requests after the disconnects failed")
    finally:
        service.stop()
    return out


# ---------------------------------------------------------------- 5


def crash_durability(backend):
    out = Outcome(f"5 kill -9 durability ({backend})")
    if backend == "postgres":
        url = fresh_database("chaos_crash")
    else:
        path = os.path.join(WORK, "crash.db")
        url = f"sqlite://{path}"
    service = Service(f"crash-{backend}", url, "--log-level", "error").start()
    writers = [make_user(service.port, f"writer{i}") for i in range(8)]
    victims = []
    for i in range(12):
        uid = make_user(service.port, f"victim{i}")
        for j in range(5):
            post(service.port, f"/user/{uid}/posts", {"title": f"victim{i}-{j}", "body": "b"})
        victims.append(uid)
    acked, sent = [], []

    async def load():
        start = time.monotonic()
        replies = []

        async def writer(w, uid):
            n = 0
            while time.monotonic() - start < 30:
                title = f"crash-{w}-{n}"
                n += 1
                sent.append(title)
                reply = await http(service.port, "POST", f"/user/{uid}/posts", json.dumps({"title": title, "body": "x" * 200}), timeout=5)
                replies.append(reply)
                if reply.status == 201:
                    acked.append(title)
                if reply.status == 0:
                    return

        async def deleter():
            for uid in victims:
                reply = await http(service.port, "DELETE", f"/user/{uid}", timeout=5)
                replies.append(reply)
                if reply.status == 0:
                    return
                await asyncio.sleep(0.15)

        async def killer():
            await asyncio.sleep(1.5)
            service.process.kill()

        await asyncio.gather(killer(), deleter(), *(writer(w, uid) for w, uid in enumerate(writers)))
        return replies

    replies = asyncio.run(load())
    service.process.wait()
    out.record(replies)
    restarted = Service(f"crash-{backend}-restart", url, "--log-level", "error").start()
    restarted.stop()
    if backend == "postgres":
        titles = [line.split("|") for line in psql("SELECT title, count(*) FROM posts GROUP BY title", "chaos_crash").splitlines()]
        stored = {t: int(c) for t, c in titles}
        users = {int(u) for u in psql("SELECT id FROM users", "chaos_crash").split()}
        per_user = {int(u): int(c) for u, c in (l.split("|") for l in psql("SELECT user_id, count(*) FROM posts GROUP BY user_id", "chaos_crash").splitlines())}
    else:
        db = sqlite3.connect(path)
        stored = dict(db.execute("SELECT title, count(*) FROM posts GROUP BY title").fetchall())
        users = {u for (u,) in db.execute("SELECT id FROM users")}
        per_user = dict(db.execute("SELECT user_id, count(*) FROM posts GROUP BY user_id").fetchall())
        db.close()
    lost = [t for t in acked if t not in stored]
    doubled = [t for t, c in stored.items() if c > 1]
    torn = [u for u in victims if (u in users) != (per_user.get(u, 0) == 5) or (u not in users and per_user.get(u, 0))]
    orphans = [u for u in per_user if u not in users]
    deleted = sum(u not in users for u in victims)
    out.rows_lost = len(lost)
    out.note(f"{len(sent)} writes sent, {len(acked)} acknowledged before kill -9, {sum(t.startswith('crash-') for t in stored)} stored; "
             f"{deleted} of {len(victims)} users deleted whole; lost {len(lost)}, doubled {len(doubled)}, torn {len(torn)}")
    out.check(not lost, f"acknowledged posts lost: {lost[:5]}")
    out.check(not doubled, f"posts stored twice: {doubled[:5]}")
    out.check(not torn and not orphans, f"half-applied deletes: users {torn[:5]}, orphan posts of {orphans[:5]}")
    out.check(len(acked) > 50, "too few writes were acknowledged before the kill to mean anything")
    return out


# ---------------------------------------------------------------- 6


def bad_input(backend, venv):
    out = Outcome(f"6 bad input ({backend})")
    url = fresh_database("chaos_fuzz") if backend == "postgres" else f"sqlite://{os.path.join(WORK, 'fuzz.db')}"
    service = Service(f"fuzz-{backend}", url, "--log-level", "info").start()
    try:
        port = service.port
        keeper = post(port, "/users", {"name": "Keeper", "email": "keeper@example.com"}).json()
        # Hand-written cases: (method, path, body, acceptable statuses)
        injection = "x'); DROP TABLE users; -- \" OR 1=1 --"
        cases = [
            ("invalid UTF-8", "POST", "/users", b'{"name":"\xff\xfe\xfd","email":"u@example.com"}', {422}),
            ("NUL in a string", "POST", "/users", json.dumps({"name": "a\u0000b", "email": "nul@example.com"}), {422}),
            ("NUL in a post", "POST", f"/user/{keeper['id']}/posts", json.dumps({"title": "t\u0000", "body": "b"}), {422}),
            ("negative id", "GET", "/user/-1", None, {404}),
            ("overflowing id", "GET", "/user/99999999999999999999", None, {422}),
            ("negative limit", "GET", "/users?limit=-5", None, {422}),
            ("overflowing offset", "GET", "/users?offset=99999999999999999999", None, {422}),
            ("10,000 query parameters", "GET", "/users?" + "&".join(f"p{i}={i}" for i in range(10_000)), None, {200, 400, 414, 431}),
            ("100 KiB path segment", "GET", "/user/" + "9" * 102_400, None, {400, 404, 414, 422, 431}),
            ("not JSON", "POST", "/users", "{", {422}),
            ("JSON array", "POST", "/users", "[]", {422}),
            ("deep nesting", "POST", "/users", "[" * 100_000 + "]" * 100_000, {413, 422}),
        ]
        replies = []
        for name, method, path, body, expected in cases:
            reply = asyncio.run(http(port, method, path, body, timeout=10))
            replies.append(reply)
            out.check(reply.status in expected, f"{name}: {reply.status} (expected {sorted(expected)}) {reply.body[:120]!r}")
        rss_before = service.rss_mib()
        for _ in range(3):
            big = asyncio.run(http(port, "POST", "/users", b'{"name":"' + b"a" * (10 << 20) + b'"}', timeout=20))
            replies.append(big)
            out.check(big.status == 413, f"10 MiB body: {big.status}")
        rss_after = service.rss_mib()
        out.note(f"10 MiB bodies ×3 → 413; RSS {rss_before:.1f} → {rss_after:.1f} MiB")
        out.check(rss_after - rss_before < 20, f"memory grew {rss_after - rss_before:.1f} MiB on 10 MiB bodies")
        # SQL-injection strings in every string field: stored and returned verbatim, nothing else touched.
        before = get(port, "/users?limit=100").json()
        created = post(port, "/users", {"name": injection, "email": "o'brien+x@example.com"})
        replies.append(created)
        ok = out.check(created.status == 201 and created.json()["name"] == injection and created.json()["email"] == "o'brien+x@example.com",
                       f"injection user: {created.status} {created.body[:200]!r}")
        if ok:
            uid = created.json()["id"]
            written = post(port, f"/user/{uid}/posts", {"title": injection, "body": injection + "\\'; --"})
            patched = asyncio.run(http(port, "PATCH", f"/user/{uid}", json.dumps({"name": injection + "2"})))
            replies += [written, patched]
            out.check(written.status == 201 and written.json()["title"] == injection and written.json()["body"] == injection + "\\'; --",
                      "injection post not stored verbatim")
            out.check(patched.status == 200 and patched.json()["name"] == injection + "2", "injection patch not stored verbatim")
            after = [u for u in get(port, "/users?limit=100").json() if u["id"] != uid]
            out.check(after == before, "a row other than the new one changed")
        out.record(replies)
        # Schemathesis against /openapi.json.
        requests_before = len(service.access_log())
        report = os.path.join(WORK, f"schemathesis-{backend}.ndjson")
        st = subprocess.run(
            [os.path.join(venv, "bin", "schemathesis"), "run", f"http://127.0.0.1:{port}/openapi.json",
             "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance",
             "--max-examples", "120", "--seed", "1", "--workers", "1", "--generation-database", "none",
             "--request-timeout", "10", "--no-color", "--exclude-path", "/metrics", "--exclude-path", "/docs",
             "--report", "ndjson", "--report-ndjson-path", report],
            capture_output=True, text=True, timeout=600)
        answered = service.access_log()
        for entry in answered[requests_before:]:
            out.statuses[entry.status] = out.statuses.get(entry.status, 0) + 1
        generated = len(answered) - requests_before
        out.requests += generated
        tail = "\n".join(st.stdout.strip().splitlines()[-6:])
        out.note(f"schemathesis: {generated} requests (server access log), exit {st.returncode}: {tail.splitlines()[-1] if tail else ''}")
        out.check(st.returncode == 0, f"schemathesis found failures:\n{st.stdout[-4000:]}")
        out.check(generated >= 1000, f"schemathesis sent only {generated} requests")
        five = [entry for entry in answered if entry.status >= 500]
        out.check(not five, f"{len(five)} 5xx responses in the access log")
        out.check(service.alive(), "the service died")
    finally:
        service.stop()
    return out


# ---------------------------------------------------------------- 7


def secrets():
    out = Outcome("7 secrets stay out of logs")
    password, wrong = "Chaos-pw-7f3a9q", "Wrong-pw-55x1k"
    email = "secret.person@example.com"
    psql("DROP DATABASE IF EXISTS chaos_secret WITH (FORCE)")
    psql("DROP ROLE IF EXISTS chaos_secret")
    psql(f"CREATE ROLE chaos_secret LOGIN PASSWORD '{password}'")
    psql("CREATE DATABASE chaos_secret OWNER chaos_secret")
    hba_require("host all chaos_secret 127.0.0.1/32 scram-sha-256")
    url = f"postgresql://chaos_secret:{password}@127.0.0.1:{PG_PORT}/chaos_secret"
    service = Service("secrets", url, "--echo", "--log-level", "debug", "--debug-routes").start()
    bodies = []
    try:
        port = service.port
        calls = [
            ("POST", "/users", {"name": "Secret", "email": email}),
            ("POST", "/users", {"name": "Secret", "email": email}),  # 409
            ("GET", "/users?limit=5", None), ("GET", "/user/1", None), ("GET", "/user/1/posts", None),
            ("POST", "/user/1/posts", {"title": "t", "body": "b"}), ("GET", "/user/1/combined", None),
            ("GET", "/user/1/stats", None), ("GET", "/posts/1", None), ("PATCH", "/user/1", {"email": "new." + email}),
            ("DELETE", "/posts/1", None), ("GET", "/user/999", None), ("GET", "/user/abc", None),
            ("POST", "/users", {"name": "", "email": "not-an-email"}), ("POST", "/user/999/posts", {"title": "t", "body": "b"}),
            ("GET", "/health", None), ("GET", "/ready", None), ("GET", "/metrics", None), ("GET", "/openapi.json", None),
            ("DELETE", "/user/1", None),
        ]
        replies = []
        for method, path, body in calls:
            reply = asyncio.run(http(port, method, path, None if body is None else json.dumps(body)))
            replies.append(reply)
            if reply.status >= 400:
                bodies.append(reply.body.decode("utf-8", "replace"))
        out.record(replies)
        out.check(all(r.status < 500 for r in replies), f"server errors: {out.statuses}")
    finally:
        service.stop()
    bad = Service("secrets-wrong-password", url.replace(password, wrong), "--echo", "--log-level", "debug").start(wait_for="/health")
    try:
        failed = [get(bad.port, "/ready"), get(bad.port, "/users")]
        out.record(failed)
        out.check([r.status for r in failed] == [503, 503], f"wrong password: {[r.status for r in failed]}")
        bodies += [r.body.decode() for r in failed]
    finally:
        bad.stop()
    migrate = subprocess.run([POSTS_API, "migrate", "--database-url", url.replace(password, wrong), "--echo", "--log-level", "debug"],
                             capture_output=True, text=True, timeout=60)
    out.check(migrate.returncode != 0 and "password authentication failed" in migrate.stderr + migrate.stdout,
              f"migrate with a wrong password: exit {migrate.returncode}, no clear error:\n{migrate.stderr[-500:]}")
    logs = service.log() + bad.log() + migrate.stdout + migrate.stderr
    out.note(f"{len(logs.splitlines())} log lines checked (echo + debug), {len(bodies)} error bodies")
    for secret in (password, wrong, email, "new." + email):
        leaked = [line for line in logs.splitlines() if secret in line]
        out.check(not leaked, f"'{secret}' appears in the logs: {leaked[:2]}")
    out.check("<redacted>" in logs, "no redacted bind in the echo log (are binds logged at all?)")
    leaks = [b for b in bodies if re.search(r"SELECT|INSERT|UPDATE|DELETE|PSQL|SQLSTATE|postgres|sqlite|DatabaseError|\$1", b, re.I)]
    out.check(not leaks, f"error responses carry SQL or driver text: {leaks[:3]}")
    return out


def hba_require(line):
    """Puts `line` at the top of pg_hba.conf (once) and reloads."""
    path = os.path.join(PG_DIR, "data", "pg_hba.conf")
    with open(path) as f:
        current = f.read()
    if line not in current:
        run_as_cluster_owner(["sh", "-c", f"printf '%s\\n' '{line}' | cat - '{path}' > '{path}.new' && mv '{path}.new' '{path}'"])
    psql("SELECT pg_reload_conf()")


# ---------------------------------------------------------------- 8


def tls():
    out = Outcome("8 TLS")
    password = "Tls-pw-93kd0s"
    certs = os.path.join(PG_DIR, "certs")
    os.makedirs(certs, exist_ok=True)

    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=certs)

    for ca in ("ca", "wrong-ca"):
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN=Quarry chaos {ca}",
                "-keyout", f"{ca}.key", "-out", f"{ca}.pem")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", "server.key", "-out", "server.csr")
    with open(os.path.join(certs, "san.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", "san.ext", "-out", "server.pem")
    os.chmod(os.path.join(certs, "server.key"), 0o600)
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "quarrypg", certs], check=True)
    psql(f"ALTER SYSTEM SET ssl_cert_file = '{certs}/server.pem'")
    psql(f"ALTER SYSTEM SET ssl_key_file = '{certs}/server.key'")
    psql("ALTER SYSTEM SET ssl = on")
    psql("SELECT pg_reload_conf()")
    psql("DROP DATABASE IF EXISTS chaos_tls WITH (FORCE)")
    psql("DROP ROLE IF EXISTS chaos_tls")
    psql(f"CREATE ROLE chaos_tls LOGIN PASSWORD '{password}'")
    psql("CREATE DATABASE chaos_tls OWNER chaos_tls")
    hba_require("hostssl all chaos_tls 127.0.0.1/32 scram-sha-256")
    hba_require("hostnossl all chaos_tls 127.0.0.1/32 reject")
    proxy = Proxy(PG_PORT).listen()
    base = f"postgresql://chaos_tls:{password}@127.0.0.1:{proxy.port}/chaos_tls"
    service = Service("tls", base + "?sslmode=require&application_name=chaos_tls", "--log-level", "error").start()
    try:
        created = post(service.port, "/users", {"name": "Tls", "email": "tls@example.com"})
        fetched = get(service.port, f"/user/{created.json()['id']}") if created.status == 201 else created
        out.record([created, fetched])
        out.check(created.status == 201 and fetched.status == 200, "requests over TLS failed")
        rows = psql("SELECT s.ssl, s.version FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) WHERE a.application_name = 'chaos_tls'")
        encrypted = [r for r in rows.splitlines() if r.startswith("t|")]
        out.note(f"sslmode=require: {len(encrypted)} of {len(rows.splitlines())} service connections encrypted ({', '.join(sorted(set(rows.split())))})")
        out.check(rows and len(encrypted) == len(rows.splitlines()), f"unencrypted connections: {rows}")
    finally:
        service.stop()

    def migrate(query):
        return subprocess.run([POSTS_API, "migrate", "--database-url", base + query], capture_output=True, text=True, timeout=60)

    wrong_ca = migrate(f"?sslmode=verify-full&sslrootcert={certs}/wrong-ca.pem")
    message = (wrong_ca.stderr + wrong_ca.stdout).strip().splitlines()
    out.note(f"verify-full with the wrong CA: exit {wrong_ca.returncode}: {message[-1][:160] if message else ''}")
    out.check(wrong_ca.returncode != 0 and re.search(r"certificate|verif|TLS|SSL", wrong_ca.stderr + wrong_ca.stdout, re.I),
              "verify-full with the wrong CA did not fail with a clear error")
    right_ca = migrate(f"?sslmode=verify-full&sslrootcert={certs}/ca.pem")
    out.check(right_ca.returncode == 0, f"verify-full with the right CA failed: {right_ca.stderr[-300:]}")
    plain = migrate("?sslmode=disable")
    out.check(plain.returncode != 0, "an unencrypted connection was accepted for a TLS-only role")
    out.requests += 3
    wire = bytes(proxy.client_bytes)
    proxy.close()
    out.note(f"{len(wire)} bytes from Quarry to the server captured; password in clear: {password.encode() in wire}")
    out.check(password.encode() not in wire, "the password crossed the wire in clear text")
    out.check(b"INSERT INTO" not in wire, "SQL crossed the wire in clear text")
    return out


# ---------------------------------------------------------------- 9


def wide_json():
    """A 1 MB body with 100,000 distinct keys (the quadratic duplicate-key check once took 22.5 s of
    CPU for 90,000): each is answered quickly, and /health stays fast while four run at once."""
    out = Outcome("9 wide JSON bodies")
    url = fresh_database("chaos_wide")
    service = Service("wide", url, "--log-level", "error").start()
    try:
        def body(n, keys=100_000):
            members = ",".join(f'"{i:x}":0' for i in range(keys))  # 100,000: just under the 1 MiB upload limit
            return '{' + members + f',"name":"Wide {n}","email":"wide{n}@example.com"' + '}'

        bodies = [body(n) for n in range(5)]
        # A tenth of the keys first (after a request that opens the pool's connection): the full body
        # must take about ten times as long, not a hundred (the quadratic check).
        warm = asyncio.run(http(service.port, "POST", "/users", body(5, keys=10), timeout=30))
        tenth = asyncio.run(http(service.port, "POST", "/users", body(6, keys=10_000), timeout=30))
        alone = asyncio.run(http(service.port, "POST", "/users", bodies[0], timeout=30))
        out.record([warm, tenth, alone])

        # /health is probed from its own process (blocking requests every 2 ms), so the
        # uploader's event loop in this one cannot delay or stretch the probes it measures.
        stop = os.path.join(WORK, "wide-json.stop")
        probe = subprocess.Popen(
            [sys.executable, "-c", HEALTH_PROBE, str(service.port), stop], stdout=subprocess.PIPE, text=True
        )

        async def run():
            return await asyncio.gather(*(http(service.port, "POST", "/users", b, timeout=30) for b in bodies[1:]))

        def probed(line):
            status, elapsed = line.split()
            return Reply(int(status), b"", {}, float(elapsed), 0.0)

        def p99_of(replies):
            latencies = sorted(r.elapsed for r in replies)
            return latencies[int(len(latencies) * 0.99) - 1] if latencies else 0

        # The probe's first 200 requests (about half a second) run before the uploads start: the
        # host's own /health latency, printed beside the loaded one.
        idle = [probed(probe.stdout.readline()) for _ in range(200)]
        wide = asyncio.run(run())
        open(stop, "w").close()
        health = [probed(line) for line in probe.communicate(timeout=30)[0].splitlines()]
        out.record(wide)
        out.record(idle + health)
        p99 = p99_of(health)
        out.note(f"{len(bodies[0]):,} bytes, 100,000 keys: alone {alone.status} in {alone.elapsed * 1000:.0f} ms "
                 f"(10,000 keys: {tenth.elapsed * 1000:.0f} ms); "
                 f"four at once: {[r.status for r in wide]}, slowest {max(r.elapsed for r in wide) * 1000:.0f} ms; "
                 f"/health ×{len(health)} meanwhile: p99 {p99 * 1000:.1f} ms, max {max(r.elapsed for r in health) * 1000:.1f} ms "
                 f"(×{len(idle)} before: p99 {p99_of(idle) * 1000:.1f} ms)")
        out.check(all(r.status == 201 for r in [warm, tenth, alone, *wide]), f"wide bodies answered {out.statuses}")
        out.check(all(r.status == 200 for r in idle + health), "/health failed while wide bodies were parsed")
        # The promise is the release build's (`scripts/chaos --release wide-json`). CI runs the debug
        # build, five to ten times slower and more on a busy host, so there the time is checked
        # against the same run's tenth-size body: linear work takes about 10×, the quadratic 100×.
        # Likewise /health: a parse that held the event loop or the cooperative threads would make
        # probes wait for a whole body (`alone`), so the debug build's p99 must stay under a
        # twentieth of that, and under 10 ms wherever a body parses in 200 ms or less. (On a host
        # with 2 vCPUs losing up to 20 % to steal, the debug p99 was 9.7-18 ms with bodies of
        # 0.9-1.1 s, where a 237 ms host had 3.6 ms.)
        release = "/release/" in POSTS_API
        p99_limit = 0.005 if release else max(0.010, alone.elapsed / 20)
        if release:
            out.check(alone.elapsed < 0.1, f"one wide body took {alone.elapsed * 1000:.0f} ms (want < 100)")
        else:
            out.check(alone.elapsed < 20 * tenth.elapsed,
                      f"one wide body took {alone.elapsed * 1000:.0f} ms, {alone.elapsed / tenth.elapsed:.0f}× the "
                      f"10,000-key body's {tenth.elapsed * 1000:.0f} ms (want < 20×)")
        out.check(p99 < p99_limit, f"/health p99 {p99 * 1000:.1f} ms while wide bodies were parsed (want < {p99_limit * 1000:.1f} ms)")
    finally:
        service.stop()
    return out


# A /health prober in its own process: GET every 2 ms until the stop file exists; prints
# "status seconds" per request.
HEALTH_PROBE = """
import http.client, os, sys, time
port, stop = int(sys.argv[1]), sys.argv[2]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
while not os.path.exists(stop):
    start = time.monotonic()
    connection.request("GET", "/health")
    response = connection.getresponse()
    response.read()
    print(response.status, time.monotonic() - start, flush=True)
    time.sleep(0.002)
"""
