#!/usr/bin/env python3
"""The scaling runs and the non-blocking proof of bench/run, for the Quarry service on PostgreSQL.
Writes one TSV row per measurement (section, name, rps, p50_ms, p99_ms, errors, peak_rss_mib,
note) for report.py.

Scaling: `/user/{id}/posts` for users with 10, 100 and 1,000 posts (a fresh server per run, so
peak RSS is that run's), and `/user/{id}` at 16, 64 and 256 connections.

Non-blocking (a latency-injecting proxy adds DELAY ms to every chunk sent to PostgreSQL, so every
query round trip takes that much longer): (a) `/user/{id}` throughput at 64 connections against
Little's law, pool capacity / round-trip time; (b) `/health` p99 while every pooled connection is
held by a slow query; (c) `/user/{id}/combined` p50 against `/user/{id}` p50 at low concurrency,
which is 2x when the two queries run one after the other and 1x when they overlap.

The proxy is bench/latency-proxy (Swift NIO, exact timers). The asyncio proxy it replaced added
1-2 ms of its own per round trip under load, which counted against (a): 446 req/s through it
against 468 through this one, same server and data.

Environment: POSTS_API, LATENCY_PROXY, PG_PORT, EXTRA_OUT, DURATION, WARMUP, WORK, USERS (the seeded
user ids).
"""
import os
import re
import subprocess
import threading
import time
import urllib.request

BENCH = os.path.dirname(os.path.abspath(__file__))
POSTS_API = os.environ["POSTS_API"]
LATENCY_PROXY = os.environ["LATENCY_PROXY"]
PG_PORT = int(os.environ["PG_PORT"])
OUT = os.environ["EXTRA_OUT"]
DURATION = int(os.environ.get("DURATION", "10"))
WARMUP = int(os.environ.get("WARMUP", "3"))
WORK = os.environ["WORK"]
USERS = int(os.environ.get("USERS", "10000"))
DELAY_MS = 20
POOL = 10


def free_port():
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def port_open(port):
    import socket
    try:
        socket.create_connection(("127.0.0.1", port), 0.2).close()
        return True
    except OSError:
        return False


def fetch(port, path, timeout=2):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status, r.read().decode()
    except Exception:
        return 0, ""


class Server:
    def __init__(self, database_url, *extra):
        self.port = free_port()
        self.log = open(os.path.join(WORK, f"extra-{self.port}.log"), "wb")
        self.process = subprocess.Popen(
            [POSTS_API, "serve", "--port", str(self.port), "--database-url", database_url, "--pool-size", str(POOL),
             "--log-level", "warning", *extra], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while fetch(self.port, "/ready")[0] != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server on {database_url} did not become ready")
            time.sleep(0.1)

    def peak_rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def pool_capacity(self):
        _, text = fetch(self.port, "/metrics")
        values = re.findall(r'db_client_connection_max\{[^}]*pool="primary"[^}]*\} ([0-9.e+]+)', text)
        return int(float(values[0])) if values else POOL

    def stop(self):
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def wrk(port, path, connections, duration, fixed_id=None, max_id=None):
    env = {**os.environ, "WRK_PATH": path, "WRK_MAX_ID": str(max_id or USERS)}
    if fixed_id is not None:
        env["WRK_FIXED_ID"] = str(fixed_id)
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "-s", os.path.join(BENCH, "random-ids.lua"),
                          f"http://127.0.0.1:{port}"], capture_output=True, text=True, env=env).stdout
    line = next((l for l in out.splitlines() if l.startswith("RESULT")), "")
    fields = dict(item.split("=") for item in line.split()[1:])
    return {k: float(v) for k, v in fields.items()}


rows = []


def record(section, name, result, rss=0.0, note=""):
    row = (section, name, f"{result.get('rps', 0):.1f}", f"{result.get('p50_ms', 0):.3f}", f"{result.get('p99_ms', 0):.3f}",
           str(int(result.get("errors", 0))), f"{rss:.1f}", note)
    rows.append(row)
    print("\t".join(row), flush=True)


def psql(sql):
    return subprocess.run(["psql", "-qtAX", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "-d", "postgres",
                           "-c", sql], capture_output=True, text=True, check=True).stdout.strip()


def posts_scaling(url):
    for n in (10, 100, 1000):
        user = psql(f"INSERT INTO users (name, email, created_at) VALUES ('scale{n}', 'scale{n}@example.com', now()) RETURNING id").split()[0]
        psql(f"INSERT INTO posts (user_id, title, body, created_at) SELECT {user}, 'post ' || g, repeat('x', 200), now() FROM generate_series(1, {n}) g")
        server = Server(url)
        wrk(server.port, "/user/{id}/posts", 64, WARMUP, fixed_id=user)
        result = wrk(server.port, "/user/{id}/posts", 64, DURATION, fixed_id=user)
        record("posts-scaling", f"{n} posts", result, server.peak_rss_mib())
        server.stop()


def connection_scaling(url):
    server = Server(url)
    for c in (16, 64, 256):
        wrk(server.port, "/user/{id}", c, WARMUP)
        record("connections", f"{c} connections", wrk(server.port, "/user/{id}", c, DURATION), server.peak_rss_mib())
    server.stop()


def non_blocking():
    proxy_port = free_port()
    proxy = subprocess.Popen([LATENCY_PROXY, str(proxy_port), str(PG_PORT), str(DELAY_MS)], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not port_open(proxy_port):
            if proxy.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the latency proxy did not start")
            time.sleep(0.05)
        server = Server(f"postgresql://postgres@127.0.0.1:{proxy_port}/postgres", "--debug-routes")
        capacity = server.pool_capacity()
        bound = capacity / (DELAY_MS / 1000)
        wrk(server.port, "/user/{id}", 64, WARMUP)
        a = wrk(server.port, "/user/{id}", 64, DURATION)
        record("non-blocking", "a: /user/{id}, 64 connections", a, server.peak_rss_mib(),
               f"bound {bound:.0f} req/s = {capacity} connections / {DELAY_MS} ms")

        # (b) every pooled connection held by a 200 ms query while /health is measured.
        held = {}

        def hold():
            held["result"] = wrk(server.port, "/debug/sleep?seconds=0.2", 64, DURATION + 2)

        holder = threading.Thread(target=hold)
        holder.start()
        time.sleep(1)
        _, metrics = fetch(server.port, "/metrics")
        used = re.findall(r'db_client_connection_count\{[^}]*db_client_connection_state="used"[^}]*\} ([0-9.e+]+)', metrics)
        b = wrk(server.port, "/health", 4, DURATION)
        holder.join()
        record("non-blocking", "b: /health while the pool is held", b, server.peak_rss_mib(),
               f"{int(float(used[0])) if used else '?'} of {capacity} connections in use")

        single = wrk(server.port, "/user/{id}", 4, DURATION)
        combined = wrk(server.port, "/user/{id}/combined", 4, DURATION)
        record("non-blocking", "c: /user/{id}, 4 connections", single, server.peak_rss_mib())
        record("non-blocking", "c: /user/{id}/combined, 4 connections", combined, server.peak_rss_mib())
        server.stop()
    finally:
        proxy.terminate()
        proxy.wait(10)


if __name__ == "__main__":
    url = f"postgresql://postgres@127.0.0.1:{PG_PORT}/postgres"
    posts_scaling(url)
    connection_scaling(url)
    non_blocking()
    with open(OUT, "w") as f:
        f.write("section\tname\trps\tp50_ms\tp99_ms\terrors\tpeak_rss_mib\tnote\n")
        for row in rows:
            f.write("\t".join(row) + "\n")
