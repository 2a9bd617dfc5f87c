#!/usr/bin/env python3
"""Deterministic generator of large sitrep sites, for benchmarks.

    python3 benches/gen_site.py --runbooks N --incidents K --out DIR [--seed S]

Writes sitrep.yaml (20 services in 4 groups, the five recipients),
content/<section>/_index.md and N runbooks (front matter, 4-8 sections of
Markdown with lists, a table and links to other runbooks and their
headings), and K records: incidents of levels 1-3 whose lifecycle, lists
and notices are in time order (so the input rules pass), some escalated,
some children of a parent, and one maintenance window per 50 incidents.
The same seed gives the same bytes. Standard library only.
"""
import argparse
import datetime as dt
import os
import random

SECTIONS = ["database", "network", "storage", "identity", "payments", "edge", "observability", "release"]
SERVICES = [f"svc-{i:02d}" for i in range(20)]
WORDS = ("replica failover latency queue backlog certificate rotation quorum shard index cache eviction "
         "rollback deploy canary throughput saturation timeout retry breaker snapshot restore disk "
         "memory pool connection lease leader follower region zone partition consumer producer").split()
BASE = dt.datetime(2024, 1, 1, 8, 0)


def words(r, n):
    return " ".join(r.choice(WORDS) for _ in range(n))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runbooks", type=int, default=1000)
    ap.add_argument("--incidents", type=int, default=1000)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    r = random.Random(a.seed)
    groups = ["Customer facing", "Platform", "Data", "Partners"]
    services = "\n".join(f"  - {{ id: {s}, name: Service {i}, group: {groups[i % 4]}, owner: Team {i % 7} }}" for i, s in enumerate(SERVICES))
    write(os.path.join(a.out, "sitrep.yaml"),
          f"title: Generated Operations\ntimezone: UTC\nservices:\n{services}\nrecipients:\n"
          "  service-owner: Owner of the affected service\n  om-team: Operations team\n"
          "  rd-leader: R&D leader\n  customers: Customers\n  leadership: IT leadership\n")
    slugs = []
    for i, sec in enumerate(SECTIONS):
        write(os.path.join(a.out, "content", sec, "_index.md"), f"---\ntitle: {sec.title()}\nweight: {i}\n---\nRunbooks for {sec}.\n")
    for i in range(a.runbooks):
        sec = SECTIONS[i % len(SECTIONS)]
        slugs.append((sec, f"{sec}-{i:05d}"))
    for i, (sec, name) in enumerate(slugs):
        n_sections = r.randint(4, 8)
        body = [f"{words(r, 30)}.\n"]
        for k in range(n_sections):
            body.append(f"## Step {k + 1}: {words(r, 3)}\n")
            body.extend(f"{j + 1}. {words(r, 12)}." for j in range(r.randint(3, 6)))
            body.append("")
            if k == 1:
                body.append("| Check | Expected |\n|---|---|\n" + "".join(f"| {words(r, 2)} | {words(r, 3)} |\n" for _ in range(4)))
            other_sec, other = slugs[r.randrange(len(slugs))]
            rel = f"{other}.md" if other_sec == sec else f"../{other_sec}/{other}.md"
            body.append(f"See [{other}]({rel}).\n")
        day = (BASE + dt.timedelta(days=r.randrange(600))).strftime("%Y-%m-%d")
        svc = ", ".join(sorted(r.sample(SERVICES, 2)))
        write(os.path.join(a.out, "content", sec, f"{name}.md"),
              f"---\ntitle: {words(r, 4).capitalize()} ({name})\ndescription: {words(r, 8)}\nservices: [{svc}]\n"
              f"levels: [1, 2]\nowner: Team {i % 7}\nlast_reviewed: {day}\ntags: [{r.choice(WORDS)}]\nweight: {i % 10}\n---\n\n" + "\n".join(body))
    fmt = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    parents = []
    for i in range(a.incidents):
        iid = f"INC-{i:06d}"
        level = r.choice([1, 2, 2, 3, 3, 3])
        rep = BASE + dt.timedelta(minutes=r.randrange(700 * 24 * 60))
        resp = rep + dt.timedelta(minutes=r.randint(2, 40))
        rec = resp + dt.timedelta(minutes=r.randint(20, 400))
        res = rec + dt.timedelta(hours=r.randint(1, 48))
        closed = res + dt.timedelta(hours=r.randint(1, 72))
        sec, slug = slugs[r.randrange(len(slugs))] if slugs else ("", "")
        lines = [f"id: {iid}", f"title: {words(r, 5).capitalize()}", f"severity: {level}",
                 f"impact: {r.choice(['degraded_performance', 'partial_outage', 'major_outage'])}",
                 f"services: [{r.choice(SERVICES)}]"]
        if slug:
            lines.append(f"runbook: {sec}/{slug}")
        if parents and r.random() < 0.1:
            lines.append(f"parent: {r.choice(parents)}")
        elif level == 1 and r.random() < 0.3:
            parents.append(iid)
        lines += ["roles:", f"  incident_manager: Person {r.randrange(50)}",
                  f"reported_at: {fmt(rep)}", f"responded_at: {fmt(resp)}", f"recovered_at: {fmt(rec)}",
                  f"resolved_at: {fmt(res)}"]
        if r.random() < 0.8:
            lines.append(f"closed_at: {fmt(closed)}")
        t = rep + dt.timedelta(minutes=r.randint(5, 25))
        lines.append("notifications:")
        lines += [f"  - at: {fmt(t)}", "    kind: initial", "    channels: [sms, email]", "    to: [service-owner, om-team]", f"    summary: {words(r, 6)}"]
        while t + dt.timedelta(minutes=55) < rec:
            t += dt.timedelta(minutes=r.randint(40, 70))
            lines += [f"  - at: {fmt(t)}", "    kind: progress", "    channels: [sms, email]", "    to: [service-owner, om-team]", f"    summary: {words(r, 6)}"]
        t = max(t, rec) + dt.timedelta(minutes=r.randint(5, 50))
        lines += [f"  - at: {fmt(t)}", "    kind: rectification", "    channels: [sms, email]", "    to: [service-owner, om-team]", f"    summary: {words(r, 6)}"]
        lines.append("timeline:")
        t = resp
        for _ in range(r.randint(2, 6)):
            lines += [f"  - at: {fmt(t)}", f"    by: Person {r.randrange(50)}", f"    text: {words(r, 10)}"]
            t += dt.timedelta(minutes=r.randint(1, 20))
        lines += ["updates:", f"  - at: {fmt(rep + dt.timedelta(minutes=3))}", "    status: investigating", f"    text: {words(r, 12)}",
                  f"  - at: {fmt(rec)}", "    status: resolved", f"    text: {words(r, 8)}"]
        if level == 1:
            lines += ["report:", f"  conditions: {words(r, 15)}", f"  actions: {words(r, 15)}", f"  needs: {words(r, 10)}"]
        write(os.path.join(a.out, "incidents", f"{rep.year}", f"{iid.lower()}.yaml"), "\n".join(lines) + "\n")
        if i % 50 == 0:
            start = rep + dt.timedelta(days=3)
            write(os.path.join(a.out, "incidents", "maintenance", f"mnt-{i:06d}.yaml"),
                  f"kind: maintenance\nid: MNT-{i:06d}\ntitle: {words(r, 4).capitalize()}\nservices: [{r.choice(SERVICES)}]\n"
                  f"scheduled_start: {fmt(start)}\nscheduled_end: {fmt(start + dt.timedelta(hours=2))}\n")
    print(f"wrote {a.runbooks} runbooks and {a.incidents} incidents to {a.out}")


if __name__ == "__main__":
    main()
