"""HTTP load on 127.0.0.1 only: wrk (Debian's package) when it is installed, else a Python
load generator of threads with http.client. A scenario measures its view and its baseline
with the same tool, so their ratio holds whichever is used. Every run is bounded in time."""

import http.client
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class LoadResult:
    requests: int
    seconds: float
    ok: int  # answered with the expected status
    errors: int
    p50_ms: float

    @property
    def per_second(self):
        return self.ok / self.seconds if self.seconds else 0.0


def tool():
    """wrk when installed, unless BENCH_LOAD_TOOL=python asks for the Python generator."""
    if os.environ.get("BENCH_LOAD_TOOL") == "python":
        return "python"
    return "wrk" if shutil.which("wrk") else "python"


def tool_version():
    if tool() == "wrk":
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True)
        first = (out.stdout or out.stderr).strip().splitlines()
        return first[0] if first else "wrk"
    forced = os.environ.get("BENCH_LOAD_TOOL") == "python"
    return "Python http.client threads" + ("" if forced else " (wrk not installed)")


def multipart(fields, boundary="----ppidbench7MA4YWxkTrZu0gW"):
    lines = []
    for name, value in fields.items():
        lines += [f"--{boundary}", f'Content-Disposition: form-data; name="{name}"', "", value]
    lines += [f"--{boundary}--", ""]
    return "\r\n".join(lines), f"multipart/form-data; boundary={boundary}"


def post(port, path, body, headers, duration, connections=8, threads=2, expect=302):
    """POST ``body`` to 127.0.0.1:``port``/``path`` as fast as ``connections`` clients can for
    ``duration`` seconds."""
    if tool() == "wrk":
        return _wrk(port, path, body, headers, duration, connections, threads)
    return _python(port, path, body, headers, duration, connections, expect)


def _lua_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\n", "\\n") + '"'


def _wrk(port, path, body, headers, duration, connections, threads):
    script = ["wrk.method = \"POST\"", f"wrk.body = {_lua_string(body)}"]
    script += [f"wrk.headers[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write("\n".join(script) + "\n")
        lua = f.name
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s",
             "-s", lua, f"http://127.0.0.1:{port}{path}"],
            capture_output=True, text=True, timeout=duration + 30,
        ).stdout
    finally:
        Path(lua).unlink(missing_ok=True)
    total = re.search(r"(\d+) requests in ([\d.]+)(ms|s|m)", out)
    if not total:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    requests = int(total[1])
    seconds = float(total[2]) * {"ms": 0.001, "s": 1, "m": 60}[total[3]]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad[1]) if bad else 0) + (sum(int(x) for x in socket.groups()) if socket else 0)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", out)
    p50_ms = float(p50[1]) * {"us": 0.001, "ms": 1, "s": 1000}[p50[2]] if p50 else float("nan")
    return LoadResult(requests, seconds, requests - (int(bad[1]) if bad else 0), errors, p50_ms)


def _python(port, path, body, headers, duration, connections, expect):
    payload = body.encode()
    deadline = time.monotonic() + duration
    lock = threading.Lock()
    counts = {"requests": 0, "ok": 0, "errors": 0}
    latencies = []

    def client():
        mine = {"requests": 0, "ok": 0, "errors": 0}
        lat = []
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("POST", path, body=payload, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                mine["ok" if response.status == expect else "errors"] += 1
            except OSError:
                mine["errors"] += 1
            mine["requests"] += 1
            lat.append(time.perf_counter() - started)
        with lock:
            for k, v in mine.items():
                counts[k] += v
            latencies.extend(lat)

    started = time.monotonic()
    workers = [threading.Thread(target=client) for _ in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(duration + 30)
    seconds = time.monotonic() - started
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    return LoadResult(counts["requests"], seconds, counts["ok"], counts["errors"], p50)


def get_once(port, path, cookie=None, headers=None):
    """One GET; returns (status, seconds, body, response headers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    h = dict(headers or {})
    if cookie:
        h["Cookie"] = cookie
    started = time.perf_counter()
    conn.request("GET", path, headers=h)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, elapsed, body, response.getheaders()
