"""Mask-paste golden file for MaskPasteTest: mmdetection's test-time mask paste and COCO RLE of the result.

Two stages, because the torch environment and the pycocotools environment are separate:

    python export_mask_paste.py --stage paste --out rs-detectors/src/test/resources/golden/mask_paste/mask_paste.npz.gz
    python export_mask_paste.py --stage rle   --out rs-detectors/src/test/resources/golden/mask_paste/mask_paste.npz.gz

Stage `paste` (needs torch only; torchvision is not imported) builds a fixed-seed case: N mask-head outputs of
M x M probabilities and N boxes (x0, y0, x1, y1) in a H x W image, some partly or wholly outside it, one
smaller than a pixel, one of zero width, one larger than the image. It pastes each with a copy of
mmdet's `_do_paste_mask(masks, boxes, H, W, skip_empty=False)` (mmdet/models/roi_heads/mask_heads/
fcn_mask_head.py) and thresholds at mask_thr_binary = 0.5 with `>=` as `_get_seg_masks` does. Everything
is float32 on the CPU, so the Java side can compare against the exact arithmetic of torch's CPU grid_sample.

Stage `rle` (needs pycocotools and numpy only) reads the binary masks back, encodes each with
`pycocotools.mask.encode` (Fortran-ordered uint8, as mmdet's results2json does) and stores the `counts`
byte strings as code points (`counts_chars`, concatenated) with `counts_offsets` (N + 1 prefix sums), since
Nd4j's .npz reader only takes numeric arrays. It also stores pycocotools' area and toBbox per mask.
The .npz is gzipped whole (Nd4j reads only stored members); versions go to a sidecar .provenance.txt.
"""
import argparse
import gzip
import io
import json
import os

import numpy as np

SEED = 20261125
N, M, H, W = 12, 28, 120, 160
THR = 0.5


def make_masks(gen):
    masks = np.empty((N, M, M), dtype=np.float32)
    yy, xx = np.mgrid[0:M, 0:M].astype(np.float64)
    for i in range(N):
        if i % 3 == 0:
            # raw noise: every pixel's neighbours differ, so every bilinear corner matters
            masks[i] = gen.random((M, M))
        else:
            # a blob with a soft edge, like a trained mask head's output: many values pass near 0.5
            cy, cx = gen.uniform(6, M - 6, 2)
            ry, rx = gen.uniform(4, 12, 2)
            d = ((yy - cy) / ry) ** 2 + ((xx - cx) / rx) ** 2
            logits = 4.0 * (1.0 - d) + 0.8 * gen.standard_normal((M, M))
            masks[i] = 1.0 / (1.0 + np.exp(-logits))
    masks[1] = 1.0
    masks[3] = 0.75  # the sub-pixel box covers one pixel centre: make it foreground
    return masks


def make_boxes(gen):
    b = np.zeros((N, 4), dtype=np.float32)
    for i in range(N):
        cx, cy = gen.uniform(-0.1 * W, 1.1 * W), gen.uniform(-0.1 * H, 1.1 * H)
        bw, bh = gen.uniform(3.0, 0.7 * W), gen.uniform(3.0, 0.7 * H)
        b[i] = [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2]
    b[0] = [10.3, 12.7, 83.9, 97.1]        # inside, fractional
    b[1] = [-30.25, -12.5, 40.75, 33.0]    # starts outside (all-ones mask)
    b[2] = [110.6, 70.2, 180.4, 150.9]     # ends outside
    b[3] = [50.2, 60.3, 50.9, 60.8]        # smaller than a pixel
    b[4] = [-20.0, -15.0, 180.0, 140.0]    # larger than the image
    b[5] = [50.5, 20.0, 50.5, 70.0]        # zero width: infinities become grid 0, 0/0 at x = 50 stays NaN
    b[6] = [170.0, 10.0, 220.0, 60.0]      # wholly outside
    b[7] = [0.0, 0.0, 160.0, 120.0]        # exactly the image
    return b


def do_paste_mask(torch, F, masks, boxes, img_h, img_w):
    """mmdet's _do_paste_mask with skip_empty=False, verbatim apart from the ONNX check."""
    device = masks.device
    x0_int, y0_int = 0, 0
    x1_int, y1_int = img_w, img_h
    x0, y0, x1, y1 = torch.split(boxes, 1, dim=1)  # each is Nx1
    n = masks.shape[0]
    img_y = torch.arange(y0_int, y1_int, device=device).to(torch.float32) + 0.5
    img_x = torch.arange(x0_int, x1_int, device=device).to(torch.float32) + 0.5
    img_y = (img_y - y0) / (y1 - y0) * 2 - 1
    img_x = (img_x - x0) / (x1 - x0) * 2 - 1
    if torch.isinf(img_x).any():
        inds = torch.where(torch.isinf(img_x))
        img_x[inds] = 0
    if torch.isinf(img_y).any():
        inds = torch.where(torch.isinf(img_y))
        img_y[inds] = 0
    gx = img_x[:, None, :].expand(n, img_y.size(1), img_x.size(1))
    gy = img_y[:, :, None].expand(n, img_y.size(1), img_x.size(1))
    grid = torch.stack([gx, gy], dim=3)
    img_masks = F.grid_sample(masks.to(dtype=torch.float32), grid, align_corners=False)
    return img_masks[:, 0]


def stage_paste(out):
    import torch
    import torch.nn.functional as F
    gen = np.random.default_rng(SEED)
    masks = make_masks(gen)
    boxes = make_boxes(gen)
    with torch.no_grad():
        probs = do_paste_mask(torch, F, torch.from_numpy(masks)[:, None], torch.from_numpy(boxes), H, W).numpy()
    binary = probs >= THR
    near = int((np.abs(probs - THR) <= 1e-6).sum())
    arrays = {"masks": masks, "boxes": boxes, "probs": probs.astype(np.float32),
              "binary": binary.astype(np.int32), "meta": np.array([N, M, H, W, THR], dtype=np.float32)}
    save(out, arrays)
    prov = {"stage_paste": {"torch": torch.__version__, "numpy": np.__version__, "device": "cpu",
                            "cpu_capability": torch.backends.cpu.get_cpu_capability(), "seed": SEED,
                            "pixels_within_1e-6_of_threshold": near,
                            "foreground_pixels": [int(x) for x in binary.reshape(N, -1).sum(1)]}}
    write_prov(out, prov)


def stage_rle(out):
    import pycocotools
    from pycocotools import mask as mask_util
    from importlib.metadata import version
    with gzip.open(out, "rb") as f, np.load(io.BytesIO(f.read())) as z:
        arrays = {k: z[k] for k in z.files}
    binary = arrays["binary"].astype(np.uint8)
    chars, offsets, areas, bboxes = [], [0], [], []
    for i in range(binary.shape[0]):
        rle = mask_util.encode(np.asfortranarray(binary[i][:, :, None]))[0]
        assert (mask_util.decode(rle) == binary[i]).all()
        chars.extend(rle["counts"])
        offsets.append(len(chars))
        areas.append(float(mask_util.area(rle)))
        bboxes.append(mask_util.toBbox(rle).astype(np.float64))
    arrays["counts_chars"] = np.array(chars, dtype=np.int32)
    arrays["counts_offsets"] = np.array(offsets, dtype=np.int32)
    arrays["areas"] = np.array(areas, dtype=np.float64)
    arrays["bboxes"] = np.array(bboxes, dtype=np.float64)
    save(out, arrays)
    write_prov(out, {"stage_rle": {"pycocotools": version("pycocotools"), "numpy": np.__version__,
                                   "keys": sorted(arrays)}})


def save(out, arrays):
    # Nd4j's .npz reader takes stored (not deflated) members only, so the whole file is gzipped instead
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    with gzip.GzipFile(out, "wb", compresslevel=9, mtime=0) as f:
        f.write(buf.getvalue())


def write_prov(out, update):
    path = out[:-len(".npz.gz")] + ".provenance.txt"
    prov = {}
    if os.path.exists(path):
        with open(path) as f:
            prov = json.load(f)
    prov.update(update)
    with open(path, "w") as f:
        json.dump(prov, f, indent=1)
    print(json.dumps(update))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--stage", choices=["paste", "rle"], required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if a.stage == "paste":
        stage_paste(a.out)
    else:
        stage_rle(a.out)


if __name__ == "__main__":
    main()
