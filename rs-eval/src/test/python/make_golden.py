#!/usr/bin/env python3
"""Writes the golden files of rs-eval's parity tests with PyPI pycocotools 2.0.x (and LVIS rules on top of it).

Usage (from the repository root):
    python3 -m venv /tmp/venv-eval && /tmp/venv-eval/bin/pip install pycocotools numpy
    /tmp/venv-eval/bin/python rs-eval/src/test/python/make_golden.py [--tiny-coco ../shared/data/tiny_coco]

Every case directory under rs-eval/src/test/resources/golden/coco/ holds the inputs (gt.json.gz,
dt_*.json.gz) and expected_*.json: the 12 stats and the per-category AP / AR exactly as pycocotools
computes them. mask.json.gz holds rasterisations, areas, boxes, merges and IoUs of maskApi.
Everything is generated from fixed seeds, so re-running reproduces the files byte for byte.
"""
import argparse
import contextlib
import copy
import gzip
import io
import json
import os
import random
from collections import defaultdict

import numpy as np
import pycocotools
from pycocotools import mask as mask_utils
from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "resources", "golden"))


def dump_gz(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = json.dumps(obj, separators=(",", ":")).encode()
    with open(path, "wb") as f:
        # mtime=0 keeps the bytes reproducible
        with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
            g.write(data)


def load_gz(path):
    with gzip.open(path, "rb") as f:
        return json.loads(f.read())


def nan_to_none(v):
    return None if (v is None or (isinstance(v, float) and v != v)) else float(v)


def run_cocoeval(gt_json, dt_list, iou_type, max_dets=None):
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO()
        gt.dataset = copy.deepcopy(gt_json)
        gt.createIndex()
        dt = gt.loadRes(copy.deepcopy(dt_list))
        ev = COCOeval(gt, dt, iou_type)
        if max_dets is not None:
            ev.params.maxDets = list(max_dets)
        ev.evaluate()
        ev.accumulate()
        ev.summarize()
    prec = ev.eval["precision"]
    rec = ev.eval["recall"]
    per_ap, per_ar, per_ap50 = [], [], []
    for k in range(len(ev.params.catIds)):
        p = prec[:, :, k, 0, -1]
        p = p[p > -1]
        per_ap.append(float(np.mean(p)) if p.size else None)
        p50 = prec[0, :, k, 0, -1]
        p50 = p50[p50 > -1]
        per_ap50.append(float(np.mean(p50)) if p50.size else None)
        r = rec[:, k, 0, -1]
        r = r[r > -1]
        per_ar.append(float(np.mean(r)) if r.size else None)
    return {
        "pycocotools": pycocotools.__version__ if hasattr(pycocotools, "__version__") else "2.0.x",
        "iou_type": iou_type,
        "max_dets": list(ev.params.maxDets),
        "stats": [float(s) for s in ev.stats],
        "category_ids": [int(c) for c in ev.params.catIds],
        "per_category_ap": per_ap,
        "per_category_ap50": per_ap50,
        "per_category_ar": per_ar,
    }


def poly_of_box(x, y, w, h):
    return [[x, y, x, y + h, x + w, y + h, x + w, y]]


def rle_str(rle):
    r = dict(rle)
    r["counts"] = r["counts"].decode("ascii") if isinstance(r["counts"], bytes) else r["counts"]
    r["size"] = [int(s) for s in r["size"]]
    return r


def mask_of(segm, h, w):
    if isinstance(segm, list):
        return mask_utils.merge(mask_utils.frPyObjects(segm, h, w))
    if isinstance(segm["counts"], list):
        return mask_utils.frPyObjects(segm, h, w)
    return segm


# ----------------------------------------------------------------------------- synthetic cases

def case_edge():
    """Hand-placed GT and detections hitting every branch of evaluateImg / accumulate."""
    images = [{"id": i, "height": 200, "width": 300} for i in (1, 2, 3, 4, 5)]
    cats = [{"id": c, "name": "c%d" % c} for c in (1, 2, 3, 7)]
    anns = []

    def gt(aid, img, cat, box, crowd=0, area=None, segm=None, ignore=None):
        x, y, w, h = box
        a = {"id": aid, "image_id": img, "category_id": cat, "bbox": [x, y, w, h],
             "area": float(w * h) if area is None else area, "iscrowd": crowd,
             "segmentation": segm if segm is not None else poly_of_box(x, y, w, h)}
        if ignore is not None:
            a["ignore"] = ignore
        anns.append(a)

    # image 1: small / medium / large of cat 1, a crowd region (RLE) of cat 1, area exactly 1024
    gt(10, 1, 1, [10, 10, 20, 20])
    gt(11, 1, 1, [50, 50, 60, 60])
    gt(12, 1, 1, [120, 20, 150, 150])
    crowd_mask = np.zeros((200, 300), dtype=np.uint8, order="F")
    crowd_mask[150:190, 10:100] = 1
    crowd_rle = mask_utils.encode(crowd_mask)
    crowd_counts = []
    # uncompressed counts, as COCO stores crowd regions
    flat = crowd_mask.flatten(order="F")
    run, val = 0, 0
    for px in flat:
        if px != val:
            crowd_counts.append(run)
            run, val = 0, px
        run += 1
    crowd_counts.append(run)
    gt(13, 1, 1, [10, 150, 90, 40], crowd=1, area=float(mask_utils.area(crowd_rle)),
       segm={"counts": crowd_counts, "size": [200, 300]})
    gt(14, 1, 2, [200, 100, 32, 32], area=1024.0)
    # "ignore": 1 without iscrowd has no effect in pycocotools
    gt(15, 1, 2, [10, 60, 30, 30], ignore=1)
    # image 2: two overlapping GT of cat 2 (IoU ties), GT with id 0
    gt(20, 2, 2, [10, 10, 40, 40])
    gt(21, 2, 2, [10, 10, 40, 40])
    gt(0, 2, 3, [100, 100, 50, 50])
    # image 3: no GT at all (false positives only); image 4: GT without detections
    gt(40, 4, 1, [10, 10, 100, 100])
    gt(41, 4, 3, [150, 50, 96, 96], area=9216.0)
    # image 5: polygons with several parts (concave) for segm
    gt(50, 5, 7, [20, 20, 100, 80], area=4000.0,
       segm=[[20, 20, 120, 20, 120, 40, 40, 40, 40, 100, 20, 100], [60, 60, 100, 60, 100, 90, 60, 90]])
    dts = []

    def dt(img, cat, box, score):
        dts.append({"image_id": img, "category_id": cat, "bbox": [float(v) for v in box], "score": score})

    dt(1, 1, [11, 11, 20, 19], 0.9)
    dt(1, 1, [11, 11, 20, 19], 0.9)  # duplicate with the same score (tie)
    dt(1, 1, [52, 49, 58, 62], 0.8)
    dt(1, 1, [125, 25, 140, 150], 0.5)
    dt(1, 1, [20, 155, 30, 30], 0.7)  # on the crowd region
    dt(1, 1, [40, 160, 30, 25], 0.7)  # a second one on the crowd region
    dt(1, 1, [250, 10, 20, 20], 0.95)  # false positive, small
    dt(1, 1, [200, 150, 99, 45], 0.3)  # false positive, medium
    dt(1, 2, [200, 100, 32, 32], 0.6)  # area exactly 1024
    dt(1, 2, [10, 60, 30, 30], 0.4)
    dt(2, 2, [10, 10, 40, 40], 0.5)  # IoU tie between GT 20 and 21
    dt(2, 2, [12, 12, 40, 40], 0.5)
    dt(2, 3, [100, 100, 50, 50], 0.99)  # matches GT id 0: counted as FP
    dt(3, 1, [10, 10, 50, 50], 0.6)
    dt(3, 2, [10, 10, 50, 50], 0.6)
    dt(5, 7, [20, 20, 100, 80], 0.8)
    dt(5, 7, [55, 55, 50, 40], 0.7)
    for d in dts:
        h, w = 200, 300
        x, y, bw, bh = d["bbox"]
        d["segmentation"] = rle_str(mask_utils.frPyObjects(poly_of_box(x, y, bw, bh), h, w)[0])
    gt_json = {"images": images, "annotations": anns, "categories": cats}
    return gt_json, dts


def random_box(rng, w, h):
    bw = rng.choice([rng.uniform(2, 30), rng.uniform(30, 100), rng.uniform(100, 250)])
    bh = bw * rng.uniform(0.5, 2.0)
    x = rng.uniform(-5, w - 5)
    y = rng.uniform(-5, h - 5)
    return [round(x, 2), round(y, 2), round(min(bw, w), 2), round(min(bh, h), 2)]


def star_polygon(rng, cx, cy, r, n=None):
    n = n or rng.randint(3, 12)
    pts = []
    for i in range(n):
        ang = 2 * np.pi * i / n + rng.uniform(-0.2, 0.2)
        rad = r * rng.uniform(0.4, 1.0)
        pts += [round(cx + rad * np.cos(ang), 2), round(cy + rad * np.sin(ang), 2)]
    return pts


def case_random(seed, n_img=40, n_cat=6, crowd_p=0.05):
    rng = random.Random(seed)
    images, anns, dts = [], [], []
    cats = [{"id": 1 + 2 * c, "name": "k%d" % c} for c in range(n_cat)]
    aid = 1
    for i in range(n_img):
        h, w = rng.choice([(240, 320), (480, 640), (333, 500)])
        img_id = 1000 + 7 * i
        images.append({"id": img_id, "height": h, "width": w})
        for _ in range(rng.randint(0, 8)):
            cat = rng.choice(cats)["id"]
            cx, cy = rng.uniform(0, w), rng.uniform(0, h)
            r = rng.choice([rng.uniform(3, 15), rng.uniform(15, 50), rng.uniform(50, 150)])
            parts = [star_polygon(rng, cx, cy, r)]
            if rng.random() < 0.15:
                parts.append(star_polygon(rng, cx + r, cy, r / 2))
            crowd = 1 if rng.random() < crowd_p else 0
            rle = mask_utils.merge(mask_utils.frPyObjects(parts, h, w))
            bb = [float(v) for v in mask_utils.toBbox(rle)]
            area = float(mask_utils.area(rle)) + round(rng.uniform(-0.5, 0.5), 3)
            segm = rle_str(rle) if crowd else parts
            if crowd:
                m = mask_utils.decode(rle)
                flat = m.flatten(order="F")
                counts, run, val = [], 0, 0
                for px in flat:
                    if px != val:
                        counts.append(run)
                        run, val = 0, px
                    run += 1
                counts.append(run)
                segm = {"counts": counts, "size": [h, w]}
            anns.append({"id": aid, "image_id": img_id, "category_id": cat, "bbox": bb, "area": area,
                         "iscrowd": crowd, "segmentation": segm})
            aid += 1
            # detections of this GT: perturbed, sometimes twice
            for rep in range(rng.choice([0, 1, 1, 1, 2])):
                dx, dy = rng.uniform(-0.2, 0.2) * r, rng.uniform(-0.2, 0.2) * r
                s = rng.uniform(0.8, 1.2)
                dparts = [[round((v - (cx if j % 2 == 0 else cy)) * s + (cx + dx if j % 2 == 0 else cy + dy), 2)
                           for j, v in enumerate(p)] for p in parts]
                drle = mask_utils.merge(mask_utils.frPyObjects(dparts, h, w))
                dbb = [round(float(v) + rng.uniform(-1, 1), 2) for v in mask_utils.toBbox(drle)]
                dbb[2], dbb[3] = max(dbb[2], 0.5), max(dbb[3], 0.5)
                dcat = cat if rng.random() < 0.9 else rng.choice(cats)["id"]
                dts.append({"image_id": img_id, "category_id": dcat, "bbox": dbb,
                            "score": round(rng.uniform(0.05, 1.0), 2), "segmentation": rle_str(drle)})
        for _ in range(rng.randint(0, 6)):
            bb = random_box(rng, w, h)
            cx, cy = bb[0] + bb[2] / 2, bb[1] + bb[3] / 2
            drle = mask_utils.merge(mask_utils.frPyObjects([star_polygon(rng, cx, cy, max(bb[2], bb[3]) / 2)], h, w))
            dts.append({"image_id": img_id, "category_id": rng.choice(cats)["id"], "bbox": bb,
                        "score": round(rng.uniform(0.0, 0.9), 2), "segmentation": rle_str(drle)})
    rng.shuffle(dts)
    return {"images": images, "annotations": anns, "categories": cats}, dts


def case_dense(seed):
    """Many detections per image and category, so that maxDets caps bite (score ties too)."""
    rng = random.Random(seed)
    images = [{"id": i + 1, "height": 300, "width": 300} for i in range(6)]
    cats = [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]
    anns, dts = [], []
    aid = 1
    for im in images:
        for _ in range(rng.randint(5, 30)):
            bb = random_box(rng, 300, 300)
            anns.append({"id": aid, "image_id": im["id"], "category_id": rng.choice([1, 2]), "bbox": bb,
                         "area": bb[2] * bb[3], "iscrowd": 0, "segmentation": poly_of_box(*bb)})
            aid += 1
        for _ in range(rng.randint(80, 160)):
            if anns and rng.random() < 0.6:
                g = rng.choice([a for a in anns if a["image_id"] == im["id"]] or anns)
                bb = [round(v + rng.uniform(-4, 4), 1) for v in g["bbox"]]
                bb[2], bb[3] = max(bb[2], 1), max(bb[3], 1)
                cat = g["category_id"]
            else:
                bb = random_box(rng, 300, 300)
                cat = rng.choice([1, 2])
            dts.append({"image_id": im["id"], "category_id": cat, "bbox": bb, "score": round(rng.random(), 1)})
    return {"images": images, "annotations": anns, "categories": cats}, dts


# ----------------------------------------------------------------------------- tiny_coco

def tiny_coco_case(path, seed):
    gt_json = json.load(open(path))
    rng = random.Random(seed)
    imgs = {im["id"]: im for im in gt_json["images"]}
    cat_ids = [c["id"] for c in gt_json["categories"]]
    dts = []
    for a in gt_json["annotations"]:
        im = imgs[a["image_id"]]
        h, w = im["height"], im["width"]
        if rng.random() < 0.15:
            continue  # missed
        for rep in range(2 if rng.random() < 0.12 else 1):
            x, y, bw, bh = a["bbox"]
            s = rng.uniform(0.85, 1.15)
            dx, dy = rng.uniform(-0.12, 0.12) * bw, rng.uniform(-0.12, 0.12) * bh
            cx, cy = x + bw / 2, y + bh / 2
            nb = [round(cx + dx - bw * s / 2, 2), round(cy + dy - bh * s / 2, 2), round(bw * s, 2), round(bh * s, 2)]
            if isinstance(a["segmentation"], list):
                parts = [[(v - (cx if j % 2 == 0 else cy)) * s + (cx + dx if j % 2 == 0 else cy + dy) for j, v in enumerate(p)]
                         for p in a["segmentation"] if len(p) >= 6]
                rle = mask_utils.merge(mask_utils.frPyObjects(parts, h, w)) if parts else \
                    mask_utils.frPyObjects(poly_of_box(*nb), h, w)[0]
            else:
                rle = mask_utils.frPyObjects(poly_of_box(*nb), h, w)[0]
            cat = a["category_id"] if rng.random() < 0.92 else rng.choice(cat_ids)
            score = round(rng.uniform(0.3, 1.0) if rep == 0 else rng.uniform(0.05, 0.5), 2)
            dts.append({"image_id": a["image_id"], "category_id": cat, "bbox": nb, "score": score,
                        "segmentation": rle_str(rle)})
    for im in gt_json["images"]:
        h, w = im["height"], im["width"]
        for _ in range(rng.randint(0, 5)):
            bb = random_box(rng, w, h)
            rle = mask_utils.frPyObjects(poly_of_box(*bb), h, w)[0]
            dts.append({"image_id": im["id"], "category_id": rng.choice(cat_ids), "bbox": bb,
                        "score": round(rng.uniform(0.0, 0.6), 2), "segmentation": rle_str(rle)})
    rng.shuffle(dts)
    return gt_json, dts


def write_case(name, gt_json, dts, variants):
    d = os.path.join(OUT, "coco", name)
    dump_gz(os.path.join(d, "gt.json.gz"), gt_json)
    files = {}
    bbox_only = [{k: v for k, v in x.items() if k != "segmentation"} for x in dts]
    files["dt_bbox.json.gz"] = bbox_only
    if any("segmentation" in x for x in dts):
        files["dt_segm.json.gz"] = dts
        files["dt_segm_nobox.json.gz"] = [{k: v for k, v in x.items() if k != "bbox"} for x in dts]
    for f, data in files.items():
        dump_gz(os.path.join(d, f), data)
    expected = []
    for dt_file, iou_type, max_dets in variants:
        if dt_file not in files:
            continue
        res = run_cocoeval(gt_json, files[dt_file], iou_type, max_dets)
        res["dt_file"] = dt_file
        expected.append(res)
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(name, len(gt_json["annotations"]), "gt", len(dts), "dt", [e["stats"][0] for e in expected])


STD = [("dt_bbox.json.gz", "bbox", None), ("dt_segm.json.gz", "bbox", None), ("dt_segm.json.gz", "segm", None),
       ("dt_segm_nobox.json.gz", "segm", None), ("dt_bbox.json.gz", "segm", None)]


# ----------------------------------------------------------------------------- mask API

def mask_cases():
    rng = random.Random(7)
    out = []
    for i in range(150):
        h, w = rng.choice([(20, 30), (64, 48), (100, 100), (37, 53)])
        kind = rng.choice(["poly", "poly", "multi", "box", "wild"])
        if kind == "box":
            bb = [round(rng.uniform(-5, w), 3), round(rng.uniform(-5, h), 3), round(rng.uniform(0, w), 3), round(rng.uniform(0, h), 3)]
            rle = mask_utils.frPyObjects(np.array([bb], dtype=np.double), h, w)[0]
            src = {"box": bb}
        else:
            n = 1 if kind != "multi" else rng.randint(2, 3)
            parts = []
            for _ in range(n):
                if kind == "wild":
                    parts.append([round(rng.uniform(-10, w + 10), 3) if j % 2 == 0 else round(rng.uniform(-10, h + 10), 3)
                                  for j in range(2 * rng.randint(3, 9))])
                else:
                    parts.append(star_polygon(rng, rng.uniform(0, w), rng.uniform(0, h), rng.uniform(1, max(h, w) / 2)))
            rle = mask_utils.merge(mask_utils.frPyObjects(parts, h, w))
            src = {"polygons": parts}
        m = mask_utils.decode(rle)
        flat = m.flatten(order="F")
        counts, run, val = [], 0, 0
        for px in flat:
            if px != val:
                counts.append(run)
                run, val = 0, px
            run += 1
        counts.append(run)
        out.append(dict(src, h=h, w=w, counts=counts, string=rle["counts"].decode("ascii"),
                        area=int(mask_utils.area(rle)), bbox=[float(v) for v in mask_utils.toBbox(rle)]))
    # pairwise IoUs among masks of the same size, with and without crowd
    ious = []
    for i in range(0, len(out) - 1):
        a, b = out[i], out[i + 1]
        ra = {"size": [a["h"], a["w"]], "counts": a["string"]}
        rb = {"size": [b["h"], b["w"]], "counts": b["string"]}
        for crowd in (0, 1):
            v = mask_utils.iou([ra], [rb], [crowd])
            ious.append({"a": i, "b": i + 1, "crowd": crowd, "iou": float(np.asarray(v).reshape(-1)[0]) if np.asarray(v).size else None})
        rm = mask_utils.merge([ra, rb]) if a["h"] == b["h"] and a["w"] == b["w"] else None
        ri = mask_utils.merge([ra, rb], intersect=True) if rm is not None else None
        if rm is not None:
            ious.append({"a": i, "b": i + 1, "union": rm["counts"].decode("ascii"), "intersection": ri["counts"].decode("ascii")})
    # box IoUs
    box_ious = []
    for _ in range(200):
        d = [round(rng.uniform(0, 50), 2), round(rng.uniform(0, 50), 2), round(rng.uniform(0, 40), 2), round(rng.uniform(0, 40), 2)]
        g = [round(rng.uniform(0, 50), 2), round(rng.uniform(0, 50), 2), round(rng.uniform(0, 40), 2), round(rng.uniform(0, 40), 2)]
        crowd = rng.randint(0, 1)
        box_ious.append({"d": d, "g": g, "crowd": crowd, "iou": float(mask_utils.iou([d], [g], [crowd])[0][0])})
    dump_gz(os.path.join(OUT, "mask.json.gz"), {"masks": out, "pairs": ious, "boxes": box_ious})
    print("mask cases", len(out))


# ----------------------------------------------------------------------------- LVIS (from the rules)

class LvisRulesEval(COCOeval):
    """lvis-api's LVISEval written from its rules (lvis-api cannot be installed here) on top of pycocotools:
    pycocotools' IoU and accumulate are reused, the LVIS-specific loading, federated filtering and matching
    are re-implemented here independently of the Java code."""

    def __init__(self, gt_json, dt_list, iou_type, max_dets=300):
        gt_json = copy.deepcopy(gt_json)
        dts = copy.deepcopy(dt_list)
        if max_dets >= 0:  # per image, across categories, before anything else; stable on ties
            by_img = {}
            for d in dts:
                by_img.setdefault(d["image_id"], []).append(d)
            for k, v in by_img.items():
                if len(v) > max_dets:
                    by_img[k] = sorted(v, key=lambda d: d["score"], reverse=True)[:max_dets]
            dts = [d for v in by_img.values() for d in v]
        imgs = {im["id"]: im for im in gt_json["images"]}
        box = "bbox" in dts[0]
        for i, d in enumerate(dts):
            if box:
                x, y, w, h = d["bbox"]
                d.setdefault("segmentation", [[x, y, x, y + h, x + w, y + h, x + w, y]])
                d["area"] = w * h
            else:
                d["area"] = float(mask_utils.area(d["segmentation"]))
                d.setdefault("bbox", [float(v) for v in mask_utils.toBbox(d["segmentation"])])
            d["id"] = i + 1
            d["iscrowd"] = 0
        for a in gt_json["annotations"]:
            a["iscrowd"] = 0  # lvis-api never reads iscrowd
        with contextlib.redirect_stdout(io.StringIO()):
            gt = COCO()
            gt.dataset = gt_json
            gt.createIndex()
            dt = COCO()
            dt.dataset = {"images": gt_json["images"], "categories": gt_json["categories"], "annotations": dts}
            dt.createIndex()
        super().__init__(gt, dt, iou_type)
        self.params.maxDets = [10 ** 9]
        self.imgs = imgs

    def _prepare(self):
        p = self.params
        cat_ids = set(p.catIds)
        keep = lambda a: a["category_id"] in cat_ids and 0 < a["area"] < float("inf")
        gts = [a for i in p.imgIds for a in self.cocoGt.imgToAnns[i] if keep(a)]
        dts = [a for i in p.imgIds for a in self.cocoDt.imgToAnns[i] if keep(a)]
        if p.iouType == "segm":
            for a in gts + dts:
                im = self.imgs[a["image_id"]]
                seg = a["segmentation"]
                if isinstance(seg, list):
                    a["segmentation"] = mask_utils.merge(mask_utils.frPyObjects(seg, im["height"], im["width"]))
                elif isinstance(seg["counts"], list):
                    a["segmentation"] = mask_utils.frPyObjects(seg, im["height"], im["width"])
        self._gts = defaultdict(list)
        self._dts = defaultdict(list)
        present = defaultdict(set)
        for g in gts:
            g["_base_ignore"] = int(g.get("ignore", 0))
            self._gts[g["image_id"], g["category_id"]].append(g)
            present[g["image_id"]].add(g["category_id"])
        for d in dts:
            i, c = d["image_id"], d["category_id"]
            if c in present[i] or c in self.imgs[i].get("neg_category_ids", []):
                self._dts[i, c].append(d)
        self.evalImgs = defaultdict(list)
        self.eval = {}

    def evaluateImg(self, imgId, catId, aRng, maxDet):
        gt, dt = self._gts[imgId, catId], self._dts[imgId, catId]
        if not gt and not dt:
            return None
        g_ig = [1 if (g["_base_ignore"] or g["area"] < aRng[0] or g["area"] > aRng[1]) else 0 for g in gt]
        gorder = np.argsort(g_ig, kind="mergesort")
        gt = [gt[i] for i in gorder]
        g_ig = [g_ig[i] for i in gorder]
        dorder = np.argsort([-d["score"] for d in dt], kind="mergesort")
        dt = [dt[i] for i in dorder]
        ious = self.ious[imgId, catId]
        ious = ious[:, gorder] if len(ious) > 0 else ious
        T = len(self.params.iouThrs)
        gtm = np.zeros((T, len(gt)))
        dtm = np.zeros((T, len(dt)))
        dtIg = np.zeros((T, len(dt)))
        for ti, t in enumerate(self.params.iouThrs):
            if len(ious) == 0:
                break
            for di in range(len(dt)):
                best, m = min(t, 1 - 1e-10), -1
                for gi in range(len(gt)):
                    if gtm[ti, gi] > 0:
                        continue  # every GT matches once: no crowd in LVIS
                    if m > -1 and g_ig[m] == 0 and g_ig[gi] == 1:
                        break
                    if ious[di, gi] < best:
                        continue
                    best, m = ious[di, gi], gi
                if m == -1:
                    continue
                dtIg[ti, di] = g_ig[m]
                dtm[ti, di] = gt[m]["id"]
                gtm[ti, m] = dt[di]["id"]
        nel = self.imgs[imgId].get("not_exhaustive_category_ids", [])
        out = np.array([d["area"] < aRng[0] or d["area"] > aRng[1] or d["category_id"] in nel for d in dt]).reshape((1, len(dt)))
        dtIg = np.logical_or(dtIg, np.logical_and(dtm == 0, np.repeat(out, T, 0)))
        return {"image_id": imgId, "category_id": catId, "aRng": aRng, "maxDet": maxDet,
                "dtIds": [d["id"] for d in dt], "gtIds": [g["id"] for g in gt], "dtMatches": dtm, "gtMatches": gtm,
                "dtScores": [d["score"] for d in dt], "gtIgnore": np.array(g_ig), "dtIgnore": dtIg}

    def lvis_results(self, cats):
        prec = self.eval["precision"][..., 0]  # T R K A
        rec = self.eval["recall"][..., 0]  # T K A
        groups = {f: [k for k, c in enumerate(cats) if c.get("frequency") == f] for f in "rcf"}

        def mean(s):
            s = s[s > -1]
            return float(np.mean(s)) if s.size else -1.0

        t50 = np.where(0.5 == self.params.iouThrs)[0]
        t75 = np.where(0.75 == self.params.iouThrs)[0]
        r = {"AP": mean(prec[:, :, :, 0]), "AP50": mean(prec[t50][:, :, :, 0]), "AP75": mean(prec[t75][:, :, :, 0]),
             "APs": mean(prec[:, :, :, 1]), "APm": mean(prec[:, :, :, 2]), "APl": mean(prec[:, :, :, 3])}
        for f in "rcf":
            r["AP" + f] = mean(prec[:, :, groups[f], 0])
        r.update({"AR": mean(rec[:, :, 0]), "ARs": mean(rec[:, :, 1]), "ARm": mean(rec[:, :, 2]), "ARl": mean(rec[:, :, 3])})
        per = []
        for k in range(prec.shape[2]):
            per.append(mean(prec[:, :, k, 0]))
        return r, [None if v == -1.0 else v for v in per]


def run_lvis(gt_json, dt_list, iou_type, max_dets=300):
    with contextlib.redirect_stdout(io.StringIO()):
        ev = LvisRulesEval(gt_json, dt_list, iou_type, max_dets)
        ev.evaluate()
        ev.accumulate()
    cats = sorted(gt_json["categories"], key=lambda c: c["id"])
    stats, per = ev.lvis_results(cats)
    return {"iou_type": iou_type, "max_dets": max_dets, "stats": stats, "category_ids": [c["id"] for c in cats],
            "per_category_ap": per}


def lvis_case(path, seed):
    gt_json, dts = tiny_coco_case(path, seed)
    rng = random.Random(seed + 100)
    for c in gt_json["categories"]:
        c["frequency"] = "rcf"[c["id"] % 3]
    cat_ids = [c["id"] for c in gt_json["categories"]]
    present = defaultdict(set)
    for a in gt_json["annotations"]:
        present[a["image_id"]].add(a["category_id"])
        if rng.random() < 0.03:
            a["ignore"] = 1
    for im in gt_json["images"]:
        absent = [c for c in cat_ids if c not in present[im["id"]]]
        im["neg_category_ids"] = sorted(rng.sample(absent, min(len(absent), rng.randint(0, 20))))
        pres = sorted(present[im["id"]])
        im["not_exhaustive_category_ids"] = sorted(rng.sample(pres, rng.randint(0, min(2, len(pres)))))
    # three crowded images: more than 300 results, many on unverified categories, plus zero-area boxes
    imgs = [im for im in gt_json["images"] if present[im["id"]]][:3]
    for im in imgs:
        for j in range(320):
            bb = random_box(rng, im["width"], im["height"])
            if j % 40 == 0:
                bb[2] = 0.0
            rle = mask_utils.frPyObjects(poly_of_box(*bb), im["height"], im["width"])[0]
            dts.append({"image_id": im["id"], "category_id": rng.choice(cat_ids), "bbox": bb,
                        "score": round(rng.uniform(0.0, 1.0), 2), "segmentation": rle_str(rle)})
    rng.shuffle(dts)
    return gt_json, dts


def write_lvis_case(name, gt_json, dts):
    d = os.path.join(OUT, "lvis", name)
    dump_gz(os.path.join(d, "gt.json.gz"), gt_json)
    files = {"dt_bbox.json.gz": [{k: v for k, v in x.items() if k != "segmentation"} for x in dts],
             "dt_segm_nobox.json.gz": [{k: v for k, v in x.items() if k != "bbox"} for x in dts]}
    for f, data in files.items():
        dump_gz(os.path.join(d, f), data)
    expected = []
    for dt_file, iou_type, md in (("dt_bbox.json.gz", "bbox", 300), ("dt_bbox.json.gz", "bbox", -1),
                                  ("dt_segm_nobox.json.gz", "segm", 300)):
        e = run_lvis(gt_json, files[dt_file], iou_type, md)
        e["dt_file"] = dt_file
        expected.append(e)
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(name, [round(e["stats"]["AP"], 4) for e in expected])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tiny-coco", default=os.path.join(HERE, "..", "..", "..", "..", "..", "shared", "data", "tiny_coco"))
    args = ap.parse_args()
    mask_cases()
    g, d = case_edge()
    write_case("edge", g, d, STD + [("dt_bbox.json.gz", "bbox", [1, 2, 3]), ("dt_bbox.json.gz", "bbox", [2, 100, 300])])
    g, d = case_random(11)
    write_case("random", g, d, STD + [("dt_bbox.json.gz", "bbox", [1, 5, 20]), ("dt_bbox.json.gz", "bbox", [100, 1, 10]), ("dt_segm.json.gz", "segm", [100, 300, 1000])])
    g, d = case_dense(5)
    write_case("dense", g, d, [("dt_bbox.json.gz", "bbox", None), ("dt_bbox.json.gz", "bbox", [10, 50, 100]),
                               ("dt_bbox.json.gz", "bbox", [100, 300, 1000]), ("dt_bbox.json.gz", "segm", None)])
    for split, seed in (("val2017", 1), ("train2017", 2)):
        p = os.path.join(args.tiny_coco, "annotations", "instances_%s.json" % split)
        g, d = tiny_coco_case(p, seed)
        write_case("tiny_coco_" + split, g, d, STD)
    g, d = lvis_case(os.path.join(args.tiny_coco, "annotations", "instances_val2017.json"), 3)
    write_lvis_case("tiny_coco_val2017_lvis", g, d)


if __name__ == "__main__":
    main()
