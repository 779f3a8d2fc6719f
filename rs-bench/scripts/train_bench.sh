#!/usr/bin/env bash
# Training-step throughput of RS-ATSS and Focal-ATSS (the quickstart network: ResNet-18 at half width, FPN 64)
# at 320 and 512 px, batch 4, against the same network in PyTorch on the same CPU. Prints a Markdown table.
# Usage: rs-bench/scripts/train_bench.sh [PYTHON_WITH_TORCH]   (torch: pip install torch, from the local mirror)
set -euo pipefail
cd "$(dirname "$0")/../.."
py=${1:-python3}
out=work_dirs/bench/train
mkdir -p "$out"
./rs4j help >/dev/null
atss=(--set model.type=atss --set 'model.loss_cls={type = focal}' --set 'model.loss_bbox={type = giou, loss_weight = 2.0}'
      --set 'model.anchor={octave_base_scale = 8, scales_per_octave = 1}')
for size in 320 512; do
  sz=(--set "model.input_size=[$size, $size]" --set "data.train.transform.scales=[[$size, $size]]")
  ./rs4j bench train configs/quickstart.conf "${sz[@]}" --iters 10 --json "$out/rs_atss_$size.json" >/dev/null
  ./rs4j bench train configs/quickstart.conf "${sz[@]}" "${atss[@]}" --iters 10 --json "$out/atss_$size.json" >/dev/null
  "$py" rs-bench/scripts/torch_train_bench.py --size "$size" --batch 4 --threads 2 > "$out/torch_$size.json"
done
echo "| model | size | batch | median step s | images/s | loss share of step |"
echo "|---|---:|---:|---:|---:|---:|"
for f in "$out"/rs_atss_*.json "$out"/atss_*.json "$out"/torch_*.json; do
  "$py" - "$f" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
name = d.get("detector") or d.get("framework")
size = d["input_size"][0] if "input_size" in d else d["size"]
batch = d.get("batch_size") or d.get("batch")
share = f"{100 * d['loss_share']:.1f} %" if "loss_share" in d else "–"
print(f"| {name} | {size} | {batch} | {d['median_step_s']:.3f} | {d['images_per_s']:.2f} | {share} |")
PY
done
