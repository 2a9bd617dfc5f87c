#!/usr/bin/env bash
# End-to-end checks of the rendered site in a real browser:
#  1. the Nu HTML checker (vnu) on every HTML page of the example site and a
#     generated 300-runbook/300-incident site, internal and public views;
#  2. `sitrep serve` on a copy of the example site, driven in headless
#     Chromium (/usr/bin/chromium via playwright-core): pages, search, dark
#     mode, keyboard tooltips, live reload and the error overlay;
#  3. axe-core (WCAG 2.0/2.1 A and AA) on every page type, light and dark;
#  4. the generated site served and driven too: status, history, an
#     incident, compliance and a report, a runbook, search and its hit, axe;
#  5. the example site in French with an active incident: the status page's
#     active view, no English theme string, search, axe (browser/french.cjs);
#  6. the search benchmark on 10,000 generated runbooks: network bytes to
#     the first results and per further query (browser/search-bench.cjs).
# npm packages are pinned in browser/package.json and package-lock.json and
# installed (without install scripts: no browser or JRE is downloaded) into
# a cache folder. Needs node, npm, java and chromium.
# Ends with one line: `browser e2e: N passed, M failed`; exit 1 on any failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bin="${SITREP_BIN:-$repo/target/release/sitrep}"
now="2026-11-23T12:00:00Z"
start_all=$(date +%s)

work="$(mktemp -d)"
pid=""
pid2=""
pid3=""
pid4=""
cleanup() {
  if [ -n "$pid3" ]; then kill "$pid3" 2>/dev/null || true; fi
  if [ -n "$pid4" ]; then kill "$pid4" 2>/dev/null || true; fi
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$pid2" ]; then kill "$pid2" 2>/dev/null || true; wait "$pid2" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  ok    $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
secs() { echo $(( $(date +%s) - $1 )); }
# Runs a browser script (SCRIPT URL RESULTS_JSON) and adds its checks to the
# totals; LABEL names it in the output. Started at $t.
run_checks() {
  local rp rf ra
  set +e
  (cd "$work" && timeout 150 node "$1" "$2" "$3")
  set -e
  if [ -f "$3" ]; then
    read -r rp rf ra < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["passed"], d["failed"], d.get("axeRuns", 0))' "$3")
    passed=$((passed + rp)); failed=$((failed + rf)); axe=$(( ${axe:-0} + ra ))
    echo "  $4: $rp passed, $rf failed; $ra axe runs; $(secs "$t") s"
  else
    fail "$4: the browser run ended without results"
  fi
}
# Starts `sitrep serve` on a site folder, logging to a file; sets
# served_pid, and served_url to the address it printed (empty when it did
# not start within 30 s).
serve_site() {
  "$bin" --root "$1" serve --port 0 --now "$now" > "$2" 2>&1 &
  served_pid=$!
  served_url=""
  for _ in $(seq 1 300); do
    served_url=$(grep -o 'http://127.0.0.1:[0-9]*/[^ ]*' "$2" | head -1 || true)
    [ -n "$served_url" ] && break
    kill -0 "$served_pid" 2>/dev/null || break
    sleep 0.1
  done
}

for tool in node npm java; do
  command -v "$tool" >/dev/null || { echo "run-browser.sh: $tool is required" >&2; exit 2; }
done
[ -x "$bin" ] || { echo "run-browser.sh: no sitrep binary at $bin (cargo build --release)" >&2; exit 2; }
[ -x "${CHROMIUM:-/usr/bin/chromium}" ] || { echo "run-browser.sh: no chromium at ${CHROMIUM:-/usr/bin/chromium}" >&2; exit 2; }

# ---------------------------------------------------------------- npm deps
t=$(date +%s)
lockhash=$(cat "$here/browser/package.json" "$here/browser/package-lock.json" | sha256sum | cut -c1-16)
deps="${SITREP_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sitrep-e2e-browser}/$lockhash"
if [ ! -f "$deps/.installed" ]; then
  rm -rf "$deps" && mkdir -p "$deps"
  cp "$here/browser/package.json" "$here/browser/package-lock.json" "$deps/"
  (cd "$deps" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 timeout 180 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  touch "$deps/.installed"
fi
cp "$here/browser/e2e.cjs" "$here/browser/generated.cjs" "$here/browser/harness.cjs" "$here/browser/french.cjs" "$here/browser/search-bench.cjs" "$work/"
ln -s "$deps/node_modules" "$work/node_modules"
vnu="$deps/node_modules/vnu-jar/build/dist/vnu.jar"
echo "== npm deps in $deps ($(secs "$t") s)"

# ------------------------------------------------------- 1. HTML validity
echo "== Nu HTML checker ($(java -jar "$vnu" --version 2>/dev/null || echo vnu))"
t=$(date +%s)
sites=("example:$repo")
if [ -f "$repo/../shared/bench/gen_corpus.py" ]; then
  gen="$work/generated"
  python3 "$repo/../shared/bench/gen_corpus.py" --pages 300 --incidents 300 --flavor sitrep --out "$gen" >/dev/null
  # A few generated records send notices back in time: input errors, which
  # stop a build. Drop exactly the files `check` reports as input errors.
  "$bin" --root "$gen" --now "$now" check --format json > "$work/gen-check.json" || true
  python3 - "$work/gen-check.json" "$gen" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
bad = sorted({x["file"] for x in d["diagnostics"] if x["family"] == "input"})
for f in bad:
    os.remove(os.path.join(sys.argv[2], f))
print(f"  generated site: removed {len(bad)} record(s) with input errors: {' '.join(bad)}")
EOF
  sites+=("generated:$gen")
else
  echo "  (../shared/bench/gen_corpus.py not found: example site only)"
fi
# The example site in French, with an incident still open at --now and its
# open child (tests/e2e/french/): vnu here, Chromium and axe in part 5.
fr="$work/french"
mkdir -p "$fr"
cp -R "$repo/sitrep.yaml" "$repo/content" "$repo/incidents" "$fr/"
sed -i 's/^language: en$/language: fr/' "$fr/sitrep.yaml"
cp "$here/french/"*.yaml "$fr/incidents/2026/"
sites+=("french:$fr")
outs=()
for s in "${sites[@]}"; do
  name="${s%%:*}"; root="${s#*:}"
  for view in internal public; do
    out="$work/out-$name-$view"
    flag=(); [ "$view" = public ] && flag=(--public)
    if "$bin" --root "$root" --now "$now" build "${flag[@]}" --output "$out" > "$work/build.log" 2>&1; then
      outs+=("$name-$view:$out")
    else
      fail "build $name ($view)"; sed 's/^/      /' "$work/build.log" | head -20
    fi
  done
done
total_pages=0
if [ "${#outs[@]}" -gt 0 ]; then
  dirs=(); for o in "${outs[@]}"; do dirs+=("${o#*:}"); done
  # vnu writes its JSON report to stderr and exits 1 when it finds errors.
  timeout 180 java -jar "$vnu" --errors-only --skip-non-html --format json "${dirs[@]}" 2> "$work/vnu.json" >/dev/null || true
  for o in "${outs[@]}"; do
    label="${o%%:*}"; dir="${o#*:}"
    pages=$(find "$dir" -name '*.html' | wc -l)
    total_pages=$((total_pages + pages))
    errs=$(python3 - "$work/vnu.json" "$dir" <<'EOF'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception as e:
    print(f"-1 vnu gave no JSON report: {e}"); sys.exit()
prefix = "file:" + sys.argv[2].rstrip("/") + "/"
ms = [m for m in d["messages"] if m.get("type") in ("error", "non-document-error") and m.get("url", "").startswith(prefix)]
print(len(ms))
for m in ms[:15]:
    print(f"      {m['url'][len(prefix):]}:{m.get('lastLine', '?')}: {m['message']}")
EOF
)
    n="${errs%%$'\n'*}"
    if [ "$n" = "0" ]; then
      pass "vnu $label: $pages pages, 0 errors"
    else
      fail "vnu $label: $pages pages, $n errors"; echo "${errs#*$'\n'}"
    fi
  done
fi
echo "  $total_pages pages validated in $(secs "$t") s"

# ------------------------------------------------- 2 and 3. in the browser
echo "== sitrep serve + Chromium"
t=$(date +%s)
site="$work/site"
mkdir -p "$site"
cp -R "$repo/sitrep.yaml" "$repo/content" "$repo/incidents" "$site/"
[ -d "$repo/themes" ] && cp -R "$repo/themes" "$site/"
serve_site "$site" "$work/serve.log"
pid=$served_pid url=$served_url
if [ -z "$url" ]; then
  fail "sitrep serve did not print its address"; sed 's/^/      /' "$work/serve.log" | head -20
else
  echo "  serving $site at $url"
  set +e
  (cd "$work" && timeout 200 node e2e.cjs "$url" "$site" "$work/browser.json")
  rc=$?
  set -e
  if [ -f "$work/browser.json" ]; then
    read -r bp bf axe < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["passed"], d["failed"], d["axeRuns"])' "$work/browser.json")
    passed=$((passed + bp)); failed=$((failed + bf))
    echo "  browser: $bp passed, $bf failed; $axe axe runs; $(secs "$t") s"
  else
    fail "browser run ended without results (exit $rc)"
  fi
  if [ "$rc" -ne 0 ] && [ "${bf:-1}" = 0 ]; then fail "browser run exited $rc"; fi
  kill -0 "$pid" 2>/dev/null || fail "sitrep serve died during the run"
fi

# ------------------------------------------ 4. the generated larger site
if [ -n "${gen:-}" ] && [ -d "$gen" ]; then
  echo "== the generated site in Chromium"
  t=$(date +%s)
  serve_site "$gen" "$work/serve-gen.log"
  pid2=$served_pid gurl=$served_url
  if [ -z "$gurl" ]; then
    fail "sitrep serve did not start on the generated site"
  else
    run_checks generated.cjs "$gurl" "$work/generated.json" "generated site"
  fi
  kill "$pid2" 2>/dev/null || true
fi

# ------------------------------------------------- 5. the site in French
echo "== the example site in French, with an active incident"
t=$(date +%s)
serve_site "$fr" "$work/serve-fr.log"
pid3=$served_pid furl=$served_url
if [ -z "$furl" ]; then
  fail "sitrep serve did not start on the French site"; sed 's/^/      /' "$work/serve-fr.log" | head -20
else
  run_checks french.cjs "$furl" "$work/french.json" "French site"
fi
kill "$pid3" 2>/dev/null || true

# ------------------------------------ 6. search at scale, network bytes
# SITE.md "Search at scale" on 10,000 generated runbooks (and 1,000
# records), served as static files: bytes the browser receives to open
# /search/ and see the first results, then per further query.
# The shared corpus generator when it is there, else the project's own
# (benches/gen_site.py, a 40-word vocabulary); either way one runbook holds
# a word no other page has.
echo "== search benchmark: 10,000 runbooks"
t=$(date +%s)
big="$work/big"
if [ -f "$repo/../shared/bench/gen_corpus.py" ]; then
  python3 "$repo/../shared/bench/gen_corpus.py" --pages 10000 --incidents 1000 --flavor sitrep --out "$big" >/dev/null
else
  python3 "$repo/benches/gen_site.py" --runbooks 10000 --incidents 1000 --out "$big" >/dev/null
fi
mkdir -p "$big/content/e2e"
printf -- '---\ntitle: Where the needle is\n---\nThe word quillwort is on this page only.\n' > "$big/content/e2e/needle.md"
"$bin" --root "$big" --now "$now" check --format json > "$work/big-check.json" || true
python3 - "$work/big-check.json" "$big" <<'EOF'
import json, os, sys
d = json.load(open(sys.argv[1]))
for f in sorted({x["file"] for x in d["diagnostics"] if x["family"] == "input"}):
  os.remove(os.path.join(sys.argv[2], f))
EOF
if "$bin" --root "$big" --now "$now" build --output "$work/big-out" > "$work/big-build.log" 2>&1; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  (cd "$work/big-out" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
  pid4=$!
  for _ in $(seq 1 50); do python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1])' "http://127.0.0.1:$port/search/" >/dev/null 2>&1 && break; sleep 0.1; done
  run_checks search-bench.cjs "http://127.0.0.1:$port/" "$work/search-bench.json" "search benchmark"
  kill "$pid4" 2>/dev/null || true
else
  fail "build of the 10,000-runbook site"; sed 's/^/      /' "$work/big-build.log" | head -20
fi

echo "== summary: $total_pages pages validated, ${axe:-0} axe runs, $(secs "$start_all") s in all"
echo "browser e2e: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
