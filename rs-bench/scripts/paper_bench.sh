#!/usr/bin/env bash
# Seconds per training step and peak resident memory of the paper's R-50 configs at 1333 x 800, batch 2, on real
# tiny_coco images, against the same RS-ATSS network in PyTorch on the same CPU. Prints a Markdown table.
# Usage: rs-bench/scripts/paper_bench.sh [PYTHON_WITH_TORCH] [TINY_COCO_DIR]   (torch: pip install torch)
set -euo pipefail
cd "$(dirname "$0")/../.."
py=${1:-python3}
tiny=${2:-../shared/data/tiny_coco}
out=work_dirs/bench/paper
mkdir -p "$out"
./rs4j help >/dev/null
data=(--set "data.train.dataset.ann_file=$tiny/annotations/instances_train2017.json" --set "data.train.dataset.img_prefix=$tiny/train2017"
      --set "data.val.dataset.ann_file=$tiny/annotations/instances_val2017.json" --set "data.val.dataset.img_prefix=$tiny/val2017"
      --set "model.backbone.pretrained=\"\"")
run() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%M" -o "$out/$name.rss" "$@" > "$out/$name.json"
}
run rs_atss ./rs4j bench train configs/rs_atss_r50_fpn_1x_coco.conf "${data[@]}" --warmup 1 --iters 3
RS4J_JAVA_OPTS=-Xmx2g run rs_atss_2g ./rs4j bench train configs/rs_atss_r50_fpn_1x_coco.conf "${data[@]}" --warmup 1 --iters 3
run rs_atss_1344 ./rs4j bench train configs/rs_atss_r50_fpn_1x_coco.conf "${data[@]}" --set "model.input_size=[1344, 1344]" --warmup 1 --iters 3
run rs_mask_rcnn ./rs4j bench train configs/rs_mask_rcnn_r50_fpn_1x_coco.conf "${data[@]}" --warmup 1 --iters 3
run torch_800x1344 "$py" rs-bench/scripts/torch_r50_bench.py --height 800 --width 1344 --batch 2
run torch_1344x1344 "$py" rs-bench/scripts/torch_r50_bench.py --height 1344 --width 1344 --batch 2
# the paper config's head (GN towers) at the largest tiny_coco batch shape the DL4J rows meet
run torch_gn_1216x800 "$py" rs-bench/scripts/torch_r50_bench.py --height 1216 --width 800 --batch 2 --head-norm group
echo "| run | padding | median step s | peak RSS GB |"
echo "|---|---|---:|---:|"
for name in rs_atss rs_atss_2g rs_atss_1344 rs_mask_rcnn torch_800x1344 torch_1344x1344 torch_gn_1216x800; do
  "$py" - "$out/$name.json" "$out/$name.rss" "$name" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
rss = int(open(sys.argv[2]).read().split()[-1]) / 1024 / 1024
name = sys.argv[3]
pad = "1344 x 1344" if "1344x1344" in name or name == "rs_atss_1344" else "per batch (x32)" if not name.startswith("torch") else name.split("_")[-1]
label = d.get("detector") or d.get("framework")
print(f"| {label} ({name}) | {pad} | {d['median_step_s']:.1f} | {rss:.1f} |")
PY
done
