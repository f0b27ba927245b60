"""Plumbing for the fault scenarios: a raw HTTP client, the service under test as a process, the
throwaway PostgreSQL cluster, a TCP proxy and the result table. Standard library only."""

import asyncio
import os
import re
import socket
import struct
import subprocess
import time
from dataclasses import dataclass, field

POSTS_API = os.environ["CHAOS_POSTS_API"]
WORK = os.environ["CHAOS_WORK"]
PG_BIN = os.environ["QUARRY_PG_BIN"]
PG_DATA = os.path.join(os.environ["QUARRY_PG_DIR"], "data")
PG_DIR = os.environ["QUARRY_PG_DIR"]
PG_PORT = int(os.environ["QUARRY_PG_PORT"])
RUN_AS = os.environ.get("CHAOS_RUN_AS", "").split()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---------------------------------------------------------------- HTTP


@dataclass
class Reply:
    status: int  # 0: no response (connection refused, reset or timed out)
    body: bytes
    headers: dict
    elapsed: float
    sent: float  # monotonic time the request was sent

    def json(self):
        import json
        return json.loads(self.body)


async def http(port, method, path, body=None, headers=None, timeout=10.0):
    """One request on its own connection (`Connection: close`); never raises."""
    start = time.monotonic()
    try:
        return await asyncio.wait_for(_http(port, method, path, body, headers or {}, start), timeout)
    except (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError):
        return Reply(0, b"", {}, time.monotonic() - start, start)


async def _http(port, method, path, body, headers, start):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        if isinstance(body, str):
            body = body.encode()
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for name, value in headers.items():
            head += f"{name}: {value}\r\n"
        if body is not None:
            head += f"Content-Type: {headers.get('Content-Type', 'application/json')}\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode("latin-1") + b"\r\n")

        async def send_body():
            # Written while the response is read, as real clients do: a server may answer (413)
            # before it has read a large body, and then stop reading it.
            try:
                for offset in range(0, len(body or b""), 65536):
                    writer.write(body[offset:offset + 65536])
                    await writer.drain()
            except OSError:
                pass

        sender = asyncio.create_task(send_body())
        try:
            raw = await reader.read(-1)
        finally:
            sender.cancel()
    finally:
        writer.close()
    return _parse_response(raw, time.monotonic() - start, start)


def _parse_response(raw, elapsed, sent):
    """A `Reply` from a whole HTTP/1.1 response as read off the socket (status 0 when empty)."""
    if not raw:
        return Reply(0, b"", {}, elapsed, sent)
    header_blob, _, rest = raw.partition(b"\r\n\r\n")
    lines = header_blob.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    parsed = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        parsed[name.strip().lower()] = value.strip()
    if parsed.get("transfer-encoding") == "chunked":
        rest = _dechunk(rest)
    return Reply(status, rest, parsed, elapsed, sent)


# Linux's SO_TIMESTAMPNS (also the type of its control message), which Python's socket module does
# not name: a struct timespec of the kernel's receive time with each read.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)


def timed_get(port, path, timeout=10.0):
    """GET on a blocking socket of its own (call it from a thread). `elapsed` runs from the send to
    the kernel's receive timestamp of the response's first bytes (`SO_TIMESTAMPNS`), not to when this
    process got round to reading them: under CPU hogs a Python client reading fifty answers that
    arrive together adds up to 150 ms of its own queueing to the last one's time."""
    try:
        sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError:
        return Reply(0, b"", {}, 0.0, time.monotonic())
    with sock:
        sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        sent_wall, sent = time.time(), time.monotonic()
        try:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            first, ancillary, _, _ = sock.recvmsg(65536, socket.CMSG_SPACE(16))
            raw = first
            while chunk := sock.recv(65536):
                raw += chunk
        except OSError:
            return Reply(0, b"", {}, time.monotonic() - sent, sent)
    arrived = next((struct.unpack("qq", data[:16]) for level, kind, data in ancillary
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS), None)
    elapsed = arrived[0] + arrived[1] / 1e9 - sent_wall if arrived else time.monotonic() - sent
    return _parse_response(raw, elapsed, sent)


def _dechunk(data):
    out = b""
    while data:
        size_line, _, data = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out += data[:size]
        data = data[size + 2:]
    return out


def load_with_fault(port, path, workers, seconds, fault, timeout=10.0):
    """`workers` clients GET `path` back to back for `seconds` while the coroutine `fault()` runs
    beside them; returns every reply."""
    async def run():
        start = time.monotonic()
        replies = []

        async def worker():
            while time.monotonic() - start < seconds:
                replies.append(await http(port, "GET", path, timeout=timeout))

        await asyncio.gather(fault(), *(worker() for _ in range(workers)))
        return replies

    return asyncio.run(run())


def get(port, path, timeout=10.0):
    return asyncio.run(http(port, "GET", path, timeout=timeout))


def post(port, path, payload, timeout=10.0):
    import json
    return asyncio.run(http(port, "POST", path, json.dumps(payload), timeout=timeout))


# ---------------------------------------------------------------- the service


class Service:
    """`posts-api serve` as a child process with its output in a log file."""

    def __init__(self, name, database_url, *extra, port=None):
        self.name = name
        self.port = port or free_port()
        self.log_path = os.path.join(WORK, f"{name}.log")
        self.args = [POSTS_API, "serve", "--port", str(self.port), "--database-url", database_url, *extra]
        self.process = None

    def start(self, wait_for="/ready", timeout=60):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.args, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        if wait_for:
            self.wait(wait_for, timeout)
        return self

    def wait(self, path, timeout=60, status=200):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{self.log()[-3000:]}")
            if get(self.port, path, timeout=2).status == status:
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name}: {path} did not answer {status} within {timeout} s:\n{self.log()[-3000:]}")

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def rss_mib(self):
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self, kill=False):
        if not self.alive():
            return
        self.process.kill() if kill else self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            import shutil
            shutil.copy(self.log_path, f"/tmp/chaos-{self.name}-hung.log")
            tail = "\n".join(line for line in self.log().splitlines() if "Request failed" not in line)[-4000:]
            raise RuntimeError(f"{self.name} ignored SIGTERM for 30 s; its log ends:\n{tail}")

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def access_log(self):
        """The requests the service answered so far, from its access log (logged at info level):
        one AccessEntry per request, in order."""
        entries = []
        for line in self.log().splitlines():
            if not _ACCESS_LINE.search(line):
                continue
            fields = dict(_LOG_FIELD.findall(line))
            entries.append(AccessEntry(fields.get("http.request.method"), fields.get("url.path"),
                                       int(fields["http.response.status_code"]), float(fields["duration_ms"]) / 1000))
        return entries


@dataclass
class AccessEntry:
    """One line of the service's access log: the request and how long the service took to answer it,
    from its arrival to the response (seconds)."""
    method: str
    path: str
    status: int
    seconds: float


# swift-log's stream handler writes `… : key=value key=value [source] message`.
_ACCESS_LINE = re.compile(r"\baccess\s*$")
_LOG_FIELD = re.compile(r"(\S+)=(\S*)")


# ---------------------------------------------------------------- PostgreSQL


def psql(sql, database="postgres", user="postgres", port=None):
    out = subprocess.run(
        ["psql", "-qtAX", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port or PG_PORT), "-U", user, "-d", database, "-c", sql],
        capture_output=True, text=True, env={**os.environ, "PGCONNECT_TIMEOUT": "5"})
    if out.returncode != 0:
        raise RuntimeError(f"psql failed: {out.stderr.strip()}\n{sql}")
    return out.stdout.strip()


def pg_ctl(*args):
    subprocess.run(RUN_AS + [os.path.join(PG_BIN, "pg_ctl"), "-D", PG_DATA, *args],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pg_stop():
    pg_ctl("stop", "-m", "fast", "-w")


def pg_start():
    pg_ctl("start", "-w", "-t", "60", "-l", os.path.join(PG_DIR, "server.log"))


def fresh_database(name, owner="postgres"):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}" OWNER "{owner}"')
    return f"postgresql://postgres@127.0.0.1:{PG_PORT}/{name}"


def run_as_cluster_owner(args, **kwargs):
    return subprocess.run(RUN_AS + args, check=True, **kwargs)


# ---------------------------------------------------------------- a TCP proxy


class Proxy:
    """A loopback TCP forwarder to PostgreSQL, in its own thread. Records every byte the client
    side sent (to prove what crossed the wire) and can start listening late (a database that
    "appears")."""

    def __init__(self, target_port, port=None):
        import threading
        self.target_port = target_port
        self.port = port or free_port()
        self.client_bytes = bytearray()
        self.loop = asyncio.new_event_loop()
        self.server = None
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def listen(self):
        async def start():
            self.server = await asyncio.start_server(self._connection, "127.0.0.1", self.port)
        asyncio.run_coroutine_threadsafe(start(), self.loop).result(10)
        return self

    async def _connection(self, client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        except OSError:
            client_writer.close()
            return

        async def pipe(reader, writer, record):
            try:
                while data := await reader.read(65536):
                    if record:
                        self.client_bytes.extend(data)
                    writer.write(data)
                    await writer.drain()
            except (OSError, asyncio.CancelledError):
                pass
            finally:
                writer.close()

        await asyncio.gather(pipe(client_reader, server_writer, True), pipe(server_reader, client_writer, False))

    def close(self):
        async def stop():
            if self.server:
                self.server.close()
        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)


def abort(sock):
    """Closes `sock` with a TCP RST instead of a FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


# ---------------------------------------------------------------- results


@dataclass
class Outcome:
    scenario: str
    requests: int = 0
    statuses: dict = field(default_factory=dict)
    max_latency: float = 0.0
    rows_lost: int = 0
    breaches: list = field(default_factory=list)
    figures: list = field(default_factory=list)

    def record(self, replies):
        for reply in replies:
            self.requests += 1
            self.statuses[reply.status] = self.statuses.get(reply.status, 0) + 1
            self.max_latency = max(self.max_latency, reply.elapsed)

    def check(self, condition, breach):
        if not condition:
            self.breaches.append(breach)
        return condition

    def note(self, text):
        self.figures.append(text)
        print(f"   {text}", flush=True)

    @property
    def failures(self):
        bad = {s: n for s, n in sorted(self.statuses.items()) if s >= 400 or s == 0}
        return ", ".join(f"{s or 'no reply'}×{n}" for s, n in bad.items()) or "none"
