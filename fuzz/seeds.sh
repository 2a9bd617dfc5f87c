#!/usr/bin/env bash
# Rebuilds fuzz/seeds/<target>/ from the repository's own files.
#   records:  incidents/**/*.y*ml and tests/fixtures/**/incidents/**/*.y*ml,
#             plus, per fixture site with several records, up to four of
#             them joined by the record target's `#8<` line.
#   runbooks: content/**/*.md and tests/fixtures/**/content/**
#   configs:  sitrep.yaml and tests/fixtures/**/sitrep.yaml
# Files are deduplicated by content (the first path wins), files over 64 KiB
# are left out, and each target keeps at most 300 files.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/seeds
rm -rf "$out"
mkdir -p "$out/record" "$out/runbook" "$out/config"

declare -A seen
add() { # add TARGET NAME FILE
    local target=$1 name=$2 file=$3 sum
    [ "$(stat -c %s "$file")" -le 65536 ] || return 0
    [ "$(find "$out/$target" -type f | wc -l)" -lt 300 ] || return 0
    sum=$(sha1sum <"$file" | cut -c1-40)
    [ -z "${seen[$target$sum]:-}" ] || return 0
    seen[$target$sum]=1
    cp "$file" "$out/$target/$name"
}
name_of() { echo "$1" | sed 's|^tests/fixtures/||; s|/|_|g'; }

find incidents tests/fixtures -type f \( -name '*.yaml' -o -name '*.yml' \) -path '*incidents/*' |
    LC_ALL=C sort | while read -r f; do add record "$(name_of "$f")" "$f"; done

# Several records of one fixture site in one input.
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
for dir in incidents $(find tests/fixtures -type d -name incidents | LC_ALL=C sort); do
    mapfile -t recs < <(find "$dir" -type f \( -name '*.yaml' -o -name '*.yml' \) | LC_ALL=C sort | head -n 4)
    [ "${#recs[@]}" -ge 2 ] || continue
    : >"$tmp"
    for i in "${!recs[@]}"; do
        [ "$i" -eq 0 ] || printf '\n#8<\n' >>"$tmp"
        cat "${recs[$i]}" >>"$tmp"
    done
    add record "multi_$(name_of "$dir")" "$tmp"
done

find content tests/fixtures -type f -path '*content/*' | LC_ALL=C sort |
    while read -r f; do add runbook "$(name_of "$f")" "$f"; done

{ echo sitrep.yaml; find tests/fixtures -type f -name sitrep.yaml | LC_ALL=C sort; } |
    while read -r f; do add config "$(name_of "$f")" "$f"; done

for t in record runbook config; do
    echo "$t: $(find "$out/$t" -type f | wc -l) files, $(du -sk "$out/$t" | cut -f1) KiB"
done
