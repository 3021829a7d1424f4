"""Load generator for the intake benches (loopback only, bounded in time).

    python bench/loadgen.py flow http://127.0.0.1:8841/en/petitions/bench/ 60 32 RUN_ID
    python bench/loadgen.py patient http://127.0.0.1:8843/en/petitions/bench/ 60 32 RUN_ID

`flow` (bench_petition_intake.py): each simulated signer loops: GET the page → read
its form key → POST a signature with a unique name and e-mail (RUN_ID, signer and
counter) without following the redirect; a failure moves on to the next signature.
`patient` (bench_intake_faults.py): the same, but as a person would when the site
fails: a page that does not come is reloaded after half a second, and a POST that
fails is sent again (same form key, same data) up to 5 times, half a second apart.
It also records when each failure happened (wall clock), and the name of every
signature that was accepted (a 2xx or 3xx answer to its POST: 303 when stored, 202
when the site kept it in its spool during a database outage).
Prints one JSON line with the counts and the latencies in milliseconds (successful
requests only).

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

    async def request(self, method: str, path: str, body: bytes = b"", *,
                      resend: bool = True) -> tuple[int, bytes]:
        # With `resend`, a request whose kept-alive connection turns out closed is sent
        # once more on a new one, as browsers do; `patient` sees every failure instead.
        for attempt in range(2 if resend else 1):
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
                if attempt or not resend:
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
        out["page_bytes"] = len(body)
        data = urlencode({
            "name": f"Bench Signer {run_id}-{user}-{n}",
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


RETRIES = 5
PAUSE = 0.5


async def patient_user(conn, path, deadline, user, run_id, out):
    def failed(kind, code):
        out["failures"].append([round(time.time(), 3), kind, code])

    n = 0
    while time.monotonic() < deadline:
        n += 1
        match = None
        while match is None and time.monotonic() < deadline:
            t0 = time.perf_counter()
            try:
                status, body = await conn.request("GET", path, resend=False)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                conn.close()
                status, body = "conn", b""
            match = KEY.search(body) if status == 200 else None
            if match is None:
                out["get_failed"] += 1
                failed("get", status)
                await asyncio.sleep(PAUSE)
        if match is None:
            break
        t1 = time.perf_counter()
        out["get_ms"].append((t1 - t0) * 1000)
        name = f"Bench Signer {run_id}-{user}-{n}"
        data = urlencode({
            "name": name, "email": f"{run_id}-{user}-{n}@example.org",
            "phone": "", "postal_code": "H2X 1Y4", "city": "Montréal", "language": "en",
            "comment": "", "key": match.group(1).decode(),
        }).encode()
        for attempt in range(1 + RETRIES):
            t2 = time.perf_counter()
            try:
                status, _body = await conn.request("POST", path, data, resend=False)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                conn.close()
                status = "conn"
            if status != "conn" and 200 <= status < 400:
                out["ok"] += 1
                out["accepted"].append(name)
                out["retried"] += bool(attempt)
                statuses = out["accepted_statuses"]
                statuses[str(status)] = statuses.get(str(status), 0) + 1
                out["post_ms"].append((time.perf_counter() - t2) * 1000)
                second = str(int(time.time()))
                out["accepted_per_second"][second] = out["accepted_per_second"].get(second, 0) + 1
                break
            out["post_failed"] += 1
            out["statuses"][str(status)] = out["statuses"].get(str(status), 0) + 1
            failed("post", status)
            await asyncio.sleep(PAUSE)
        else:
            out["abandoned"] += 1


async def main(mode, url, seconds, concurrency, run_id):
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("the load generator only targets this machine (loopback)")
    out = {"ok": 0, "errors": 0, "get_failed": 0, "post_failed": 0, "statuses": {},
           "get_ms": [], "post_ms": [], "pair_ms": [], "started": time.time()}
    if mode == "patient":
        out.update(failures=[], accepted=[], retried=0, abandoned=0, accepted_per_second={},
                   accepted_statuses={})
    conns = [Connection(parts.hostname, parts.port) for _ in range(concurrency)]
    start = time.monotonic()
    deadline = start + seconds
    if mode == "flow":
        users = [flow_user(c, parts.path, deadline, u, run_id, out) for u, c in enumerate(conns)]
    elif mode == "patient":
        users = [patient_user(c, parts.path, deadline, u, run_id, out)
                 for u, c in enumerate(conns)]
    else:
        raise SystemExit(f"unknown mode {mode!r}: flow or patient")
    await asyncio.gather(*users)
    out["seconds"] = time.monotonic() - start
    out["ended"] = time.time()
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
