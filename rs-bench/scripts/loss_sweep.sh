#!/usr/bin/env bash
# Times the fast ranking losses (and, where it finishes in reasonable time, the definitional ones) over the
# sizes of issue 3 and prints a Markdown table for docs/benchmarks.md. Usage: rs-bench/scripts/loss_sweep.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-work_dirs/bench/loss}
mkdir -p "$out"
./rs4j help >/dev/null # builds once, so the timings below do not include the build
run() { # loss logits positives reference(yes|no)
  local f="$out/$1_$2_$3.json" extra=()
  [ "$4" = no ] && extra=(--no-reference)
  ./rs4j bench loss --loss "$1" --logits "$2" --positives "$3" --runs 15 "${extra[@]}" --json "$f" >/dev/null
}
for p in 200 2000 5000; do run rank_sort 200000 $p yes; done
run rank_sort 1000000 2000 yes
for p in 200 5000; do run rank_sort 1000000 $p no; done
for p in 200 2000 5000; do run rank_sort 20000000 $p no; done
for l in ap alrp; do run $l 200000 2000 yes; run $l 1000000 2000 yes; run $l 20000000 2000 no; done
echo "| loss | M (logits) | P (positives) | fast median ms | definitional median ms | speed-up | threads |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for f in "$out"/*.json; do
  python3 - "$f" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
ref = d.get("reference_median_ms")
sp = f"{ref / d['median_ms']:.0f}×" if ref else "–"
print(f"| {d['loss']} | {d['logits']:,} | {d['positives']:,} | {d['median_ms']:.1f} | {ref and f'{ref:.0f}' or '–'} | {sp} | {d['threads']} |")
PY
done
