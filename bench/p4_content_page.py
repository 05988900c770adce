"""P4 content page: a published resource page (cached) against a bare constant view, same server, same run.

    .venv/bin/python -m bench.p4_content_page                  # wrk, 32 connections, 15 s each
    .venv/bin/python -m bench.p4_content_page --seconds 5 --connections 16
    .venv/bin/python -m bench.p4_content_page --smoke

The load comes from wrk (Debian package `wrk`; installed with apt-get if missing), on loopback, for a
fixed time. The baseline is bench.urls' constant view, served by the same uvicorn with the same
middleware (BENCH_BARE_VIEW=1 under bench.settings; not reachable in production).
Targets: ≥ 0.7x the bare view's requests/s and ≥ 2,000 req/s; page ≤ 30 KB transferred with its CSS
and JS (as a browser asking for gzip/br gets them).

The stack runs with PUBLIC_PAGE_CACHE_HIT_HEADER=1, so a page answered by the front cache
(resources/page_cache.py) says so; the run checks, before and after the measurement, that the page it
measures is served from there, and reports it.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import urllib.request
from html.parser import HTMLParser
from typing import Any

from bench.common import (
    CpuMeter,
    Profiler,
    Report,
    Stack,
    add_common_arguments,
    command_line,
    options_from,
    print_profile,
    run,
    time_limit,
)

MODULE = "bench.p4_content_page"


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("[P4] wrk is not installed; installing Debian's package (apt-get install -y wrk)", flush=True)
    if subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], capture_output=True, check=False)
        subprocess.run(["apt-get", "install", "-y", "wrk"], capture_output=True, check=True)
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk could not be installed: apt-get install -y wrk")
    return found


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict[str, float]:
    """Requests/s, p50/p99 latency (ms) and error count from `wrk --latency` output."""

    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        return float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "errors": errors + (int(non2xx.group(1)) if non2xx else 0),
    }


def run_wrk(wrk: str, url: str, seconds: int, connections: int, threads: int) -> dict[str, float]:
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s", url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse_wrk(done.stdout)


class Assets(HTMLParser):
    """The page's own stylesheets and scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and (found.get("rel") or "") == "stylesheet" and found.get("href"):
            self.urls.append(str(found["href"]))
        if tag == "script" and found.get("src"):
            self.urls.append(str(found["src"]))


def fetch(url: str) -> tuple[int, int, dict[str, str], bytes]:
    """(bytes on the wire, bytes decoded, headers, raw body) as a browser asking for gzip/br gets it."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request, timeout=10) as response:
        body = response.read()
        headers = {k.lower(): v for k, v in response.headers.items()}
    wire = len(body)
    encoding = headers.get("content-encoding", "")
    if encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    elif encoding == "br":
        try:
            import brotli

            body = brotli.decompress(body)
        except ImportError:
            pass
    return wire, len(body), headers, body


def served_by_front_cache(url: str) -> bool:
    """Whether resources.page_cache answered (the hit header is on for benchmark stacks only)."""
    _, _, headers, _ = fetch(url)
    return headers.get("x-public-page-cache") == "hit"


def page_weight(base_url: str, path: str) -> dict[str, Any]:
    wire, raw, headers, body = fetch(base_url + path)
    parser = Assets()
    parser.feed(body.decode("utf-8", errors="replace"))
    parts = [{"url": path, "wire": wire, "raw": raw, "encoding": headers.get("content-encoding", "")}]
    for asset in parser.urls:
        if asset.startswith(("http:", "https:", "//")):
            parts.append({"url": asset, "third_party": True, "wire": 0, "raw": 0})
            continue
        a_wire, a_raw, a_headers, _ = fetch(base_url + asset)
        parts.append(
            {"url": asset, "wire": a_wire, "raw": a_raw, "encoding": a_headers.get("content-encoding", "")}
        )
    return {"parts": parts, "wire": sum(p["wire"] for p in parts), "raw": sum(p["raw"] for p in parts)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per URL (default 15)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (default 1: the box has 2 cores)")
    parser.add_argument("--slug", default="", help="resource to fetch (default: the first published)")
    add_common_arguments(parser)
    args = parser.parse_args()
    if args.smoke:
        args.seconds, args.connections = 3, 8
    wrk = ensure_wrk()
    report = Report("P4 content page", command_line(MODULE))
    report.details["parameters"] = vars(args)
    args.env.append("PUBLIC_PAGE_CACHE_HIT_HEADER=1")
    with time_limit(args.time_limit), Stack(options_from(args, bare_view=True)) as stack:
        from resources.demo import load_demo_content
        from resources.models import Resource

        load_demo_content()
        slug = args.slug or Resource.objects.published().order_by("id").values_list("slug", flat=True)[0]
        page = f"/en/self-help/{slug}/"
        weight = page_weight(stack.base_url, page)
        front_before = served_by_front_cache(stack.base_url + page)
        results: dict[str, dict[str, float]] = {}
        for name, path in (("bare", "/bench/bare/"), ("page", page)):
            run_wrk(wrk, stack.base_url + path, 2, args.connections, args.threads)  # warm-up
            meter = CpuMeter(stack)
            meter.start()
            profiler = Profiler(f"p4-{name}", stack.server_pids(), args.seconds)
            if args.profile and name == "page":
                profiler.start()
            results[name] = run_wrk(wrk, stack.base_url + path, args.seconds, args.connections, args.threads)
            results[name]["cpu_cores"] = meter.stop()  # type: ignore[assignment]
            if args.profile and name == "page":
                print_profile(profiler.stop())
        front_after = served_by_front_cache(stack.base_url + page)
        stack.check_alive()
    bare, result = results["bare"], results["page"]
    ratio = result["rps"] / bare["rps"] if bare["rps"] else 0.0
    report.details.update(
        results=results, weight=weight, page=page, front_cache={"before": front_before, "after": front_after}
    )
    report.add(
        "requests/s",
        "≥ 0.7x bare and ≥ 2000",
        f"{bare['rps']:.0f}/s",
        f"{result['rps']:.0f}/s ({ratio:.2f}x)",
        ratio >= 0.7 and result["rps"] >= 2000,
    )
    report.add(
        "page from the front cache",
        "-",
        "-",
        f"before the run {'yes' if front_before else 'no'}, after {'yes' if front_after else 'no'}",
        None,
    )
    report.add("p50", "-", f"{bare['p50_ms']:.1f} ms", f"{result['p50_ms']:.1f} ms", None)
    report.add("p99", "-", f"{bare['p99_ms']:.1f} ms", f"{result['p99_ms']:.1f} ms", None)
    report.add("errors", "0", f"{bare['errors']:.0f}", f"{result['errors']:.0f}", result["errors"] == 0)
    report.add(
        "page + CSS + JS transferred",
        "≤ 30 KB",
        "-",
        f"{weight['wire'] / 1024:.1f} KB ({weight['raw'] / 1024:.1f} KB uncompressed)",
        weight["wire"] <= 30 * 1024,
    )
    for part in weight["parts"]:
        print(f"[P4] {part['url']}: {part['wire']} B on the wire {part.get('encoding') or ''}", flush=True)
    print(f"[P4] CPU in cores: bare {bare['cpu_cores']}, page {result['cpu_cores']}", flush=True)
    report.print_and_save()


if __name__ == "__main__":
    run(main)
