"""REST API under load: POST /api/v1/analyze with the default analyzer, 50 concurrent local clients.

Starts ``uvicorn`` in a subprocess on a free localhost port (the app as ``tumar serve`` runs it), warms the
model up, then lets N clients post realistic messages (the held-out set and the project's dev split, ky/ru/kk/en,
each distinct so that the analyzer's cache of repeats does not help) for a number of seconds. Prints latency
p50/p95/p99, requests/s and messages/s; asserts nothing.

Usage: python benchmarks/api.py [--clients 50] [--seconds 30] [--batch 1]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import statistics
import subprocess
import sys
import time

import httpx
from _data import dev_records, heldout_records


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def messages() -> list[str]:
    texts = [r["text"] for r in heldout_records()] + [r["text"] for r in dev_records()]
    unique = list(dict.fromkeys(t for t in texts if 1 <= len(t) <= 20_000))
    random.Random(7).shuffle(unique)
    return unique


def start_server(port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        "tumar.interfaces.web:create_app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    return subprocess.Popen(command, env={**os.environ, "PYTHONWARNINGS": "ignore"})


def wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 60) -> float:
    """Seconds until the first analysis answered (start-up plus model load)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        if process.poll() is not None:
            raise SystemExit("the server exited during start-up")
        try:
            response = httpx.post(f"{base}/api/v1/analyze", json={"text": "салам, кандайсың?"}, timeout=30)
            if response.status_code == 200:
                return time.perf_counter() - t0
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer in time")


async def run(base: str, texts: list[str], clients: int, seconds: float, batch: int) -> dict[str, object]:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sent = 0
    next_text = 0
    stop_at = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(http: httpx.AsyncClient) -> None:
        nonlocal sent, next_text
        while time.perf_counter() < stop_at:
            chunk = [texts[(next_text + i) % len(texts)] for i in range(batch)]
            next_text += batch
            body = (
                {"text": chunk[0]}
                if batch == 1
                else {"items": [{"id": i, "text": t} for i, t in enumerate(chunk)]}
            )
            t0 = time.perf_counter()
            response = await http.post("/api/v1/analyze", json=body)
            latencies.append(time.perf_counter() - t0)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code == 200:
                sent += batch

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as http:
        t0 = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        elapsed = time.perf_counter() - t0
    return {
        "latencies": sorted(latencies),
        "statuses": statuses,
        "messages": sent,
        "elapsed": elapsed,
        "distinct": min(next_text, len(texts)),
        "requested": next_text,
    }


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--batch", type=int, default=1, help="texts per request (1: {'text'}, more: {'items'})"
    )
    args = parser.parse_args()

    texts = messages()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = start_server(port)
    try:
        ready = wait_ready(base, process)
        result = asyncio.run(run(base, texts, args.clients, args.seconds, args.batch))
    finally:
        process.terminate()
        process.wait(timeout=20)

    lat: list[float] = result["latencies"]  # type: ignore[assignment]
    elapsed: float = result["elapsed"]  # type: ignore[assignment]
    requests = len(lat)
    print(
        f"== POST /api/v1/analyze, default analyzer, {args.clients} concurrent clients, {args.seconds:.0f} s, "
        f"{args.batch} text(s) per request, {os.cpu_count()} CPU cores"
    )
    print(f"server start-up and first analysis (model load): {ready:.1f} s")
    print(
        f"messages: {len(texts)} distinct real messages (held-out + dev), mean "
        f"{statistics.mean(len(t) for t in texts):.0f} chars; {result['requested']} sent"
        + ("" if result["requested"] <= len(texts) else " (some repeated: the cache helped)")
    )
    print(f"status codes: {result['statuses']}")
    if not lat:
        return
    print(
        f"latency p50 {1000 * percentile(lat, 0.50):.0f} ms, p95 {1000 * percentile(lat, 0.95):.0f} ms, "
        f"p99 {1000 * percentile(lat, 0.99):.0f} ms, max {1000 * lat[-1]:.0f} ms"
    )
    print(f"throughput {requests / elapsed:.1f} requests/s, {result['messages'] / elapsed:.1f} messages/s")


if __name__ == "__main__":
    main()
