#!/usr/bin/env python3
"""Edit-to-visible latency of `sitrep serve` (and optionally `hugo server`).

Generates a site with ../shared/bench/gen_corpus.py (N runbooks + K
incident records), starts the preview server on a free port, then R times
appends a unique marker to one runbook and polls its page until the marker
is served. Prints every latency, the median and the 90th percentile.

    python3 benches/serve_latency.py [--pages 1000] [--incidents 1000] [--runs 30] [--peer hugo]

The corpus generator writes a few records whose notifications go back in
time; sitrep rejects those (time-order), so they are removed before serving.
Standard library only; loopback only; every loop is bounded.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except (urllib.error.URLError, ConnectionError, socket.timeout, OSError):
        return None, ""


def percentile(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1)))))
    return s[k]


def measure(name, cmd, cwd, file, url_path, runs, pause):
    port = free_port()
    cmd = [c.replace("{port}", str(port)) for c in cmd]
    url = f"http://127.0.0.1:{port}{url_path}"
    path = os.path.join(cwd, file)
    original = open(path, encoding="utf-8").read()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    lat = []
    try:
        t0 = time.monotonic()
        while fetch(url)[0] != 200:
            if proc.poll() is not None or time.monotonic() - t0 > 600:
                sys.exit(f"{name}: server did not start")
            time.sleep(0.05)
        print(f"{name}: startup {time.monotonic() - t0:.3f} s")
        time.sleep(pause)
        for i in range(runs):
            marker = f"EDITMARKER{i}x{int(time.time() * 1000)}"
            with open(path, "a", encoding="utf-8") as f:
                f.write(f"\n\n{marker}\n")
            t1 = time.monotonic()
            while True:
                st, body = fetch(url)
                if st == 200 and marker in body:
                    break
                if time.monotonic() - t1 > 60:
                    sys.exit(f"{name}: edit {i} never became visible")
                time.sleep(0.002)
            lat.append((time.monotonic() - t1) * 1000)
            time.sleep(pause)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)
        with open(path, "w", encoding="utf-8") as f:
            f.write(original)
    print(f"{name}: " + " ".join(f"{x:.0f}" for x in lat) + " ms")
    print(f"{name}: median {statistics.median(lat):.1f} ms, p90 {percentile(lat, 90):.1f} ms, runs {len(lat)}")
    return lat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--incidents", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--pause", type=float, default=0.5)
    ap.add_argument("--bin", default=os.path.join(REPO, "target", "release", "sitrep"))
    ap.add_argument("--peer", choices=["hugo"], help="also measure this peer on the same Markdown")
    a = ap.parse_args()
    if not os.path.isfile(GEN):
        sys.exit(f"no corpus generator at {GEN}")
    work = tempfile.mkdtemp(prefix="sitrep-serve-bench-")
    try:
        site = os.path.join(work, "sitrep")
        subprocess.run([sys.executable, GEN, "--pages", str(a.pages), "--incidents", str(a.incidents),
                        "--out", site, "--flavor", "sitrep"], check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([a.bin, "--root", site, "check", "--format", "json"], capture_output=True, text=True)
        bad = {d["file"] for d in json.loads(out.stdout)["diagnostics"] if d["family"] == "input" and d["file"].startswith("incidents/")}
        for f in bad:
            os.remove(os.path.join(site, f))
        print(f"sitrep: removed {len(bad)} generated records with input errors")
        md = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(site, "content")) for f in fs
                    if f.endswith(".md") and f != "_index.md")
        rel = os.path.relpath(md[len(md) // 2], site)
        slug = rel[len("content/"):-3]
        measure("sitrep", [a.bin, "serve", "--port", "{port}"], site, rel, f"/runbooks/{slug}/", a.runs, a.pause)
        if a.peer == "hugo":
            hsite = os.path.join(work, "hugo")
            subprocess.run([sys.executable, GEN, "--pages", str(a.pages), "--out", hsite, "--flavor", "hugo"],
                           check=True, stdout=subprocess.DEVNULL)
            hrel = os.path.join("content", slug + ".md")
            if not os.path.isfile(os.path.join(hsite, hrel)):
                sys.exit(f"hugo corpus has no {hrel}")
            measure("hugo", ["hugo", "server", "--port", "{port}", "--bind", "127.0.0.1", "--disableLiveReload"],
                    hsite, hrel, f"/{slug}/", a.runs, a.pause)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
