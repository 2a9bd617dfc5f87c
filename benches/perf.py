#!/usr/bin/env python3
"""Side-by-side performance of sitrep (and Hugo and Zola when installed).

Generates corpora with ../shared/bench/gen_corpus.py, then measures, each
run median of --runs, wall time and peak memory (GNU time), output on tmpfs
(/dev/shm) unless --disk:

  build-runbooks  N runbooks: sitrep build vs hugo and zola (same Markdown)
  build-full      N runbooks + N incident records: every page of SITE.md
  check           K incident records: sitrep check vs the parse-only floor
                  (examples/parse_only.rs: read + serde-saphyr, nothing else)
  scaling         check and build of K records at 1k, 10k (and 100k with --big)

    python3 benches/perf.py [--pages 10000] [--records 100000] [--runs 3] [--big] [--disk]

Generated records whose notifications go back in time (the generator's own
quirk) fail sitrep's time-order rule; they are removed before building.
Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")
OWN_GEN = os.path.join(HERE, "gen_site.py")
SITREP = os.path.join(REPO, "target", "release", "sitrep")
PARSE = os.path.join(REPO, "target", "release", "examples", "parse_only")
NOW = "2026-11-23T12:00:00Z"


def timed(cmd, cwd=None):
    """(wall seconds, peak MB) of one run: the wall clock from Python (GNU
    time prints hundredths, too coarse for a 40 ms run), the peak from GNU
    time."""
    started = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    kb = out.stderr.strip().splitlines()[-1]
    return wall, int(kb) / 1024.0


def median_of(runs, cmd, cwd=None, before=None):
    walls, mems = [], []
    for _ in range(runs):
        if before:
            before()
        w, m = timed(cmd, cwd)
        walls.append(w)
        mems.append(m)
    return statistics.median(walls), statistics.median(mems)


USE_OWN = False


def gen(out, pages, incidents, flavor="sitrep"):
    if USE_OWN and flavor == "sitrep":
        subprocess.run([sys.executable, OWN_GEN, "--runbooks", str(pages), "--incidents", str(incidents), "--out", out],
                       check=True, stdout=subprocess.DEVNULL)
        return
    args = [sys.executable, GEN, "--pages", str(pages), "--out", out, "--flavor", flavor]
    if flavor == "sitrep":
        args += ["--incidents", str(incidents)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    if flavor == "sitrep":
        out_json = subprocess.run([SITREP, "--root", out, "check", "--format", "json", "--now", NOW], capture_output=True, text=True).stdout
        for f in {d["file"] for d in json.loads(out_json)["diagnostics"] if d["family"] == "input" and d["file"].startswith("incidents/")}:
            os.remove(os.path.join(out, f))


def report(name, a, b=None, bname=None):
    line = f"{name:38s} sitrep {a[0]:7.3f} s {a[1]:7.0f} MB"
    if b:
        line += f"   {bname} {b[0]:7.3f} s {b[1]:7.0f} MB   ratio time {a[0] / b[0]:.2f} mem {a[1] / b[1]:.2f}"
    print(line, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--records", type=int, default=100000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--big", action="store_true", help="scaling up to 100k")
    ap.add_argument("--disk", action="store_true", help="output on disk instead of /dev/shm")
    ap.add_argument("--zola", default=os.environ.get("ZOLA") or shutil.which("zola"),
                    help="a zola binary (not in the registries: build it from getzola/zola); also $ZOLA")
    ap.add_argument("--own", action="store_true",
                    help="sitrep sites from benches/gen_site.py (seeded, in this repository) instead of the shared generator; Hugo still uses the shared one")
    a = ap.parse_args()
    global USE_OWN
    USE_OWN = a.own
    for p in (GEN, SITREP, PARSE):
        if not os.path.exists(p):
            sys.exit(f"missing {p} (cargo build --release --example parse_only; ../shared present?)")
    work = tempfile.mkdtemp(prefix="sitrep-perf-")
    outroot = work if a.disk else tempfile.mkdtemp(prefix="sitrep-perf-out-", dir="/dev/shm")
    hugo = shutil.which("hugo")
    try:
        # Build, runbooks only, side by side with Hugo.
        site = os.path.join(work, "rb")
        gen(site, a.pages, 0)
        out = os.path.join(outroot, "rb-out")
        s = median_of(a.runs, [SITREP, "--root", site, "build", "--now", NOW, "--output", out])
        swap = subprocess.run([SITREP, "--root", site, "build", "--now", NOW, "--output", out], capture_output=True, text=True).stdout
        h = None
        if hugo:
            hsite = os.path.join(work, "hugo")
            gen(hsite, a.pages, 0, "hugo")
            hout = os.path.join(outroot, "hugo-out")
            h = median_of(a.runs, [hugo, "--quiet", "--destination", hout], cwd=hsite, before=lambda: shutil.rmtree(hout, ignore_errors=True))
        report(f"build {a.pages} runbooks", s, h, "hugo")
        z = None
        if a.zola:
            zsite = os.path.join(work, "zola")
            gen(zsite, a.pages, 0, "zola")
            zout = os.path.join(outroot, "zola-out")
            z = median_of(a.runs, [a.zola, "build", "--output-dir", zout, "--force"], cwd=zsite)
            report(f"build {a.pages} runbooks", s, z, "zola")
        m = re.search(r"in (\d+) ms \(swap (\d+) ms: renames ([\d.]+) ms, removing the previous output (\d+) ms\)", swap)
        if m:
            total, sw, ren, rem = int(m.group(1)), int(m.group(2)), float(m.group(3)), int(m.group(4))
            print(f"{'':38s} atomic swap {sw} ms of {total} ms ({100 * sw / max(1, total):.1f}%): "
                  f"renames {ren} ms, removing the previous output {rem} ms")
        # What atomicity costs: the same rebuild done the non-atomic way (remove
        # the old output, then write in its place, as `zola build --force`
        # does), alternating with the atomic one.
        clean = os.path.join(outroot, "rb-clean")
        subprocess.run([SITREP, "--root", site, "build", "--now", NOW, "--output", clean], capture_output=True)
        atomic_w, clean_w = [], []
        for _ in range(max(5, a.runs)):
            atomic_w.append(timed([SITREP, "--root", site, "build", "--now", NOW, "--output", out])[0])
            clean_w.append(timed(["sh", "-c", f"rm -rf '{clean}' && '{SITREP}' --root '{site}' build --now {NOW} --output '{clean}' >/dev/null"])[0])
        am, cm = statistics.median(atomic_w), statistics.median(clean_w)
        print(f"{'':38s} atomic rebuild {am:.3f} s vs remove-then-write {cm:.3f} s "
              f"(medians of {len(atomic_w)}, alternating): atomicity costs {100 * (am / cm - 1):+.1f}%")

        # Full site.
        full = os.path.join(work, "full")
        gen(full, a.pages, a.pages)
        f = median_of(a.runs, [SITREP, "--root", full, "build", "--now", NOW, "--output", os.path.join(outroot, "full-out")])
        if z:
            report(f"build {a.pages} runbooks + {a.pages} records", f, z, f"zola ({a.pages} runbooks)")
        else:
            report(f"build {a.pages} runbooks + {a.pages} records", f)

        # Check against the parse-only floor.
        chk = os.path.join(work, "chk")
        gen(chk, 10, a.records)
        c = median_of(a.runs, [SITREP, "--root", chk, "check", "--now", NOW, "--format", "json"])
        p = median_of(a.runs, [PARSE, chk])
        report(f"check {a.records} records", c, p, "parse-only")
        # The parser alone, and sitrep's positioned tree, for reference.
        for mode in ("--events", "--spanned"):
            report(f"  parse-only {mode}", median_of(a.runs, [PARSE, chk, mode]))

        # Scaling. The sizes take turns, run by run, so that a slow minute of
        # a shared machine does not land on one size only.
        sizes = [1000, 10000] + ([100000] if a.big else [])
        dirs = {}
        for n in sizes:
            dirs[n] = os.path.join(work, f"scale-{n}")
            gen(dirs[n], 10, n)
        times = {(n, k): [] for n in sizes for k in ("check", "build")}
        for _ in range(a.runs):
            for n in sizes:
                d = dirs[n]
                times[(n, "check")].append(timed([SITREP, "--root", d, "check", "--now", NOW, "--format", "json"]))
                # Every page of the records: history pages, per-service
                # uptime, search index, feeds, API.
                out = os.path.join(outroot, f"scale-out-{n}")
                times[(n, "build")].append(timed([SITREP, "--root", d, "build", "--now", NOW, "--output", out]))
        for kind in ("check", "build"):
            prev = None
            for n in sizes:
                runs = times[(n, kind)]
                c = (statistics.median(w for w, _ in runs), statistics.median(m for _, m in runs))
                note = f"  x{c[0] / prev[0]:.1f} time, x{c[1] / prev[1]:.1f} memory" if prev else ""
                print(f"{kind + ' ' + str(n) + ' records':38s} {c[0]:7.3f} s {c[1]:7.0f} MB{note}", flush=True)
                prev = c
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if outroot != work:
            shutil.rmtree(outroot, ignore_errors=True)


if __name__ == "__main__":
    main()
