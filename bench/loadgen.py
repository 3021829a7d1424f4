"""Load generator for bench_petition_intake.py (loopback only, bounded in time).

    python bench/loadgen.py flow http://127.0.0.1:8765/en/petitions/bench/ 60 32 RUN_ID
    python bench/loadgen.py bare http://127.0.0.1:8765/bench/bare-insert 20 32 RUN_ID

`flow`: each simulated signer loops: GET the page → read its form key → POST a
signature with a unique e-mail (RUN_ID, signer and counter) without following the
redirect. `bare`: each one POSTs to the bare endpoint. Prints one JSON line with the
counts and the latencies in milliseconds (successful requests only).

A small HTTP/1.1 keep-alive client on asyncio streams, so that the generator takes
as little as possible of the two cores it shares with the server.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from urllib.parse import urlencode, urlsplit

KEY = re.compile(rb'name="key" value="([^"]+)"')


class Connection:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
        for attempt in range(2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
            head = (f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
                    f"User-Agent: solidaire-bench\r\nAccept: text/html\r\n")
            if method == "POST":
                head += ("Content-Type: application/x-www-form-urlencoded\r\n"
                         f"Content-Length: {len(body)}\r\n")
            self.writer.write(head.encode() + b"\r\n" + body)
            try:
                return await self._response()
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt:
                    raise
        raise ConnectionError("unreachable")

    async def _response(self) -> tuple[int, bytes]:
        headers = await self.reader.readuntil(b"\r\n\r\n")
        lines = headers.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, chunked, close = 0, False, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding" and b"chunked" in value.lower():
                chunked = True
            elif name == b"connection" and b"close" in value.lower():
                close = True
        if chunked:
            body = b""
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).strip(), 16)
                chunk = await self.reader.readexactly(size + 2)
                if size == 0:
                    break
                body += chunk[:-2]
        else:
            body = await self.reader.readexactly(length) if length else b""
        if close:
            self.close()
        return status, body

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def flow_user(conn, path, deadline, user, run_id, out):
    n = 0
    while time.monotonic() < deadline:
        n += 1
        t0 = time.perf_counter()
        try:
            status, body = await conn.request("GET", path)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            out["errors"] += 1
            conn.close()
            continue
        t1 = time.perf_counter()
        match = KEY.search(body) if status == 200 else None
        if match is None:
            out["get_failed"] += 1
            continue
        out["get_ms"].append((t1 - t0) * 1000)
        data = urlencode({
            "name": f"Bench Signer {user}-{n}",
            "email": f"{run_id}-{user}-{n}@example.org",
            "phone": "", "postal_code": "H2X 1Y4", "city": "Montréal", "language": "en",
            "comment": "", "key": match.group(1).decode(),
        }).encode()
        try:
            status, _body = await conn.request("POST", path, data)
        except (OSError, asyncio.IncompleteReadError, ValueError):
            out["errors"] += 1
            conn.close()
            continue
        t2 = time.perf_counter()
        if status == 303:
            out["ok"] += 1
            out["post_ms"].append((t2 - t1) * 1000)
            out["pair_ms"].append((t2 - t0) * 1000)
        else:
            out["post_failed"] += 1
            out["statuses"][str(status)] = out["statuses"].get(str(status), 0) + 1


async def bare_user(conn, path, deadline, out):
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        try:
            status, _body = await conn.request("POST", path, b"")
        except (OSError, asyncio.IncompleteReadError, ValueError):
            out["errors"] += 1
            conn.close()
            continue
        if status == 204:
            out["ok"] += 1
            out["post_ms"].append((time.perf_counter() - t0) * 1000)
        else:
            out["post_failed"] += 1


async def main(mode, url, seconds, concurrency, run_id):
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load generator only targets this machine (loopback)")
    out = {"ok": 0, "errors": 0, "get_failed": 0, "post_failed": 0, "statuses": {},
           "get_ms": [], "post_ms": [], "pair_ms": []}
    conns = [Connection(parts.hostname, parts.port) for _ in range(concurrency)]
    start = time.monotonic()
    deadline = start + seconds
    if mode == "flow":
        users = [flow_user(c, parts.path, deadline, u, run_id, out) for u, c in enumerate(conns)]
    else:
        users = [bare_user(c, parts.path, deadline, out) for c in conns]
    await asyncio.gather(*users)
    out["seconds"] = time.monotonic() - start
    for conn in conns:
        conn.close()
    print(json.dumps(out))


if __name__ == "__main__":
    mode, url, seconds, concurrency, run_id = sys.argv[1:6]
    try:  # uvloop, when installed, halves the generator's own CPU use
        import uvloop
        runner = uvloop.run
    except ImportError:
        runner = asyncio.run
    runner(main(mode, url, float(seconds), int(concurrency), run_id))
