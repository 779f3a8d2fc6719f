#!/usr/bin/env python3
"""Times pycocotools against `rs4j eval` on the same generated files, in the same run.

Usage (from the repository root; needs pycocotools and numpy, e.g. the venv of make_golden.py):
    /tmp/venv-eval/bin/python rs-eval/src/test/python/bench_eval.py [--dir /tmp/rs4j-eval-bench] [--images 5000]

The case: COCO-style, 640x480 images, ~7.2 GT per image (~1% crowd), 80 categories, 100 detections
per image (perturbed GT plus false positives, scores with ties), star-shaped polygon GT and RLE
detection masks. Files are generated once (fixed seed) and reused. For each IoU type the script
times pycocotools' evaluate, accumulate and summarize and runs `./rs4j eval` (which reports its own
load and evaluate times), checks that the 12 stats agree to 1e-9 and prints a Markdown table.
"""
import argparse
import contextlib
import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import time

import numpy as np
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", ".."))


def star(rng, cx, cy, r):
    n = rng.randint(5, 12)
    pts = []
    for i in range(n):
        a = 2 * np.pi * i / n + rng.uniform(-0.2, 0.2)
        rad = r * rng.uniform(0.5, 1.0)
        pts += [round(cx + rad * np.cos(a), 2), round(cy + rad * np.sin(a), 2)]
    return pts


def generate(d, n_img, seed=2024):
    rng = random.Random(seed)
    h, w = 480, 640
    images, anns, dets_box, dets_segm = [], [], [], []
    cats = [{"id": c + 1, "name": "cat%d" % (c + 1)} for c in range(80)]
    aid = 1
    for i in range(n_img):
        img_id = i + 1
        images.append({"id": img_id, "height": h, "width": w, "file_name": "%012d.jpg" % img_id})
        gts = []
        for _ in range(rng.randint(2, 12)):
            r = rng.choice([rng.uniform(4, 16), rng.uniform(16, 50), rng.uniform(50, 160)])
            cx, cy = rng.uniform(r, w - r), rng.uniform(r, h - r)
            poly = star(rng, cx, cy, r)
            rle = mask_utils.frPyObjects([poly], h, w)[0]
            crowd = 1 if rng.random() < 0.0092 else 0
            cat = rng.randint(1, 80)
            bb = [float(v) for v in mask_utils.toBbox(rle)]
            area = float(mask_utils.area(rle))
            segm = [poly]
            if crowd:
                c = rle_str(rle)
                segm = {"counts": c["counts"], "size": [h, w]}
            anns.append({"id": aid, "image_id": img_id, "category_id": cat, "bbox": bb, "area": area, "iscrowd": crowd,
                         "segmentation": segm})
            gts.append((cat, cx, cy, r, poly))
            aid += 1
        for k in range(100):
            if gts and k < 3 * len(gts):
                cat, cx, cy, r, poly = gts[k % len(gts)]
                s = rng.uniform(0.8, 1.2)
                dx, dy = rng.uniform(-0.25, 0.25) * r, rng.uniform(-0.25, 0.25) * r
                p = [round((v - (cx if j % 2 == 0 else cy)) * s + (cx + dx if j % 2 == 0 else cy + dy), 2) for j, v in enumerate(poly)]
                if rng.random() < 0.1:
                    cat = rng.randint(1, 80)
            else:
                r = rng.uniform(5, 120)
                p = star(rng, rng.uniform(0, w), rng.uniform(0, h), r)
                cat = rng.randint(1, 80)
            rle = mask_utils.frPyObjects([p], h, w)[0]
            bb = [round(float(v), 2) for v in mask_utils.toBbox(rle)]
            score = round(rng.random(), 3)
            dets_box.append({"image_id": img_id, "category_id": cat, "bbox": bb, "score": score})
            dets_segm.append({"image_id": img_id, "category_id": cat, "segmentation": rle_str(rle), "score": score})
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "gt.json"), "w") as f:
        json.dump({"images": images, "annotations": anns, "categories": cats}, f)
    with open(os.path.join(d, "dt_bbox.json"), "w") as f:
        json.dump(dets_box, f)
    with open(os.path.join(d, "dt_segm.json"), "w") as f:
        json.dump(dets_segm, f)
    print("generated %d images, %d GT (%d crowd), %d detections" % (n_img, len(anns), sum(a["iscrowd"] for a in anns), len(dets_box)))


def rle_str(rle):
    return {"size": [int(s) for s in rle["size"]], "counts": rle["counts"].decode("ascii")}


def time_pycocotools(d, iou_type):
    t = {}
    with contextlib.redirect_stdout(io.StringIO()):
        t0 = time.perf_counter()
        gt = COCO(os.path.join(d, "gt.json"))
        dt = gt.loadRes(os.path.join(d, "dt_%s.json" % iou_type))
        t1 = time.perf_counter()
        c1 = time.process_time()
        ev = COCOeval(gt, dt, iou_type)
        ev.evaluate()
        t2 = time.perf_counter()
        ev.accumulate()
        t3 = time.perf_counter()
        ev.summarize()
        t4 = time.perf_counter()
        c4 = time.process_time()
    t.update(load=t1 - t0, evaluate=t2 - t1, accumulate=t3 - t2, summarize=t4 - t3, cpu=c4 - c1)
    return t, [float(s) for s in ev.stats]


def time_rs4j(d, iou_type, threads):
    out = os.path.join(d, "rs4j_%s.json" % iou_type)
    cmd = [os.path.join(ROOT, "rs4j"), "eval", "--ann", os.path.join(d, "gt.json"), "--results",
           os.path.join(d, "dt_%s.json" % iou_type), "--iou-type", iou_type, "--threads", str(threads), "--json", out]
    t0 = time.perf_counter()
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, RS4J_NO_BUILD="1"))
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if p.returncode != 0:
        sys.exit("rs4j eval failed:\n" + p.stdout + p.stderr)
    m = re.search(r"load ([0-9.]+) s, evaluate ([0-9.]+) s \(CPU ([0-9.]+) s\)", p.stdout)
    stats = json.load(open(out))
    keys = ["AP", "AP50", "AP75", "APs", "APm", "APl", "AR1", "AR10", "AR100", "ARs", "ARm", "ARl"]
    return {"load": float(m.group(1)), "evaluate": float(m.group(2)), "eval_cpu": float(m.group(3)), "wall": wall, "cpu": cpu}, [stats[k] for k in keys], " ".join(cmd)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", default="/tmp/rs4j-eval-bench")
    ap.add_argument("--images", type=int, default=5000)
    ap.add_argument("--types", default="bbox,segm")
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="rs4j runs per IoU type; the fastest counts (the machine is shared)")
    ap.add_argument("--py-repeat", type=int, default=1, help="pycocotools runs per IoU type; the fastest counts")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.dir, "dt_segm.json")):
        generate(args.dir, args.images)
    rows = []
    for iou_type in args.types.split(","):
        runs = [time_rs4j(args.dir, iou_type, args.threads) for _ in range(args.repeat)]
        rt, rstats, cmd = min(runs, key=lambda x: x[0]["evaluate"])
        pruns = [time_pycocotools(args.dir, iou_type) for _ in range(args.py_repeat)]
        pt, pstats = min(pruns, key=lambda x: x[0]["evaluate"] + x[0]["accumulate"])
        print("  rs4j evaluate times: " + ", ".join("%.2f" % r[0]["evaluate"] for r in runs), flush=True)
        delta = max(abs(a - b) for a, b in zip(pstats, rstats))
        py_ea = pt["evaluate"] + pt["accumulate"] + pt["summarize"]
        rows.append((iou_type, pt, py_ea, rt, delta))
        print("%s: pycocotools load %.1f s, evaluate %.1f s, accumulate %.1f s, summarize %.3f s; rs4j load %.1f s, "
              "evaluate+accumulate+summarize %.2f s (CPU %.2f s), process wall %.1f s (CPU %.1f s); speed-up %.1fx; "
              "pycocotools CPU in evaluate+accumulate+summarize %.1f s, CPU ratio %.1fx; max |delta| stats %.2g"
              % (iou_type, pt["load"], pt["evaluate"], pt["accumulate"], pt["summarize"], rt["load"], rt["evaluate"], rt["eval_cpu"],
                 rt["wall"], rt["cpu"], py_ea / rt["evaluate"], pt["cpu"], pt["cpu"] / rt["eval_cpu"], delta), flush=True)
        print("  command: " + cmd)
    print()
    print("| IoU | pycocotools evaluate + accumulate + summarize: wall (CPU) | rs4j eval, same steps: wall (CPU) | speed-up wall (CPU) | pycocotools load | rs4j load | rs4j process wall (CPU) | max abs delta of the 12 stats |")
    print("|---|---|---|---|---|---|---|---|")
    for iou_type, pt, py_ea, rt, delta in rows:
        print("| %s | %.1f s (%.1f s) | %.2f s (%.2f s) | %.1fx (%.1fx) | %.1f s | %.1f s | %.1f s (%.1f s) | %.1g |" % (
            iou_type, py_ea, pt["cpu"], rt["evaluate"], rt["eval_cpu"], py_ea / rt["evaluate"], pt["cpu"] / rt["eval_cpu"],
            pt["load"], rt["load"], rt["wall"], rt["cpu"], delta))


if __name__ == "__main__":
    main()
