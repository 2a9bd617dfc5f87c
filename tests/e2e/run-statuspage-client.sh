#!/usr/bin/env bash
# Serves tests/fixtures/api-live with `sitrep serve` and reads its /api/v2
# with the statuspage.io npm client (pinned in statuspage-client/package.json).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${SITREP_BIN:-$repo/target/release/sitrep}"
work="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
cp "$here/statuspage-client/package.json" "$here/statuspage-client/check.cjs" "$work/"
(cd "$work" && npm install --no-audit --no-fund --silent >/dev/null)
"$bin" --root "$repo/tests/fixtures/api-live" serve --port 0 --now 2026-11-23T12:30:00Z > "$work/serve.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.log" | head -1 || true)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/serve.log"; exit 1; }
node "$work/check.cjs" "$url"
