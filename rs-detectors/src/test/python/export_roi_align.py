"""RoIAlign golden file for RoiAlignTest: torchvision.ops.roi_align forward and feature gradient.

    python export_roi_align.py --out rs-detectors/src/test/resources/golden/roi_align.npz

A fixed-seed case: features 2x8x32x32, 20 RoIs (batch_index, x1, y1, x2, y2 in image coordinates of a
128x128 image, some partly or wholly outside it, one tiny and one inverted), output 7x7, spatial_scale 0.25,
for sampling_ratio in {2, 0} and aligned in {True, False}. The gradient is that of sum(out * weights) w.r.t.
the features, i.e. roi_align's backward applied to `weights`. Everything is float32 (CPU kernel), so the
Java side compares against exactly the arithmetic torchvision's CPU kernel does. Versions go to a sidecar
.txt next to the .npz because Nd4j's .npz reader only takes numeric arrays.
"""
import argparse
import json

import numpy as np
import torch
import torchvision
from torchvision.ops import roi_align


def rois(gen, k, size):
    r = np.zeros((k, 5), dtype=np.float32)
    for i in range(k):
        cx, cy = gen.uniform(-0.1 * size, 1.1 * size, 2)
        w, h = gen.uniform(2.0, 0.6 * size, 2)
        r[i] = [i % 2, cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]
    r[0, 1:] = [10.3, 12.7, 11.1, 13.2]      # smaller than one feature cell
    r[1, 1:] = [60.0, 50.0, 40.0, 30.0]      # inverted: aligned=False clamps its size to 1, aligned=True does not
    r[2, 1:] = [-40.0, -30.0, 20.0, 25.0]    # starts well outside the map
    r[3, 1:] = [100.0, 90.0, 170.0, 150.0]   # ends well outside the map
    r[4, 1:] = [0.0, 0.0, 128.0, 128.0]      # the whole image
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    gen = np.random.default_rng(20240611)
    n, c, h, w, k, oh, ow, scale = 2, 8, 32, 32, 20, 7, 7, 0.25
    feats = gen.standard_normal((n, c, h, w)).astype(np.float32)
    boxes = rois(gen, k, h / scale)
    weights = gen.standard_normal((k, c, oh, ow)).astype(np.float32)
    arrays = {"features": feats, "rois": boxes, "weights": weights,
              "meta": np.array([n, c, h, w, k, oh, ow, scale], dtype=np.float32)}
    for sr in (2, 0):
        for aligned in (True, False):
            x = torch.from_numpy(feats.copy()).requires_grad_(True)
            y = roi_align(x, torch.from_numpy(boxes), (oh, ow), spatial_scale=scale, sampling_ratio=sr,
                          aligned=aligned)
            (y * torch.from_numpy(weights)).sum().backward()
            tag = "s%d_a%d" % (sr, int(aligned))
            arrays["out_" + tag] = y.detach().numpy()
            arrays["grad_" + tag] = x.grad.numpy()
    np.savez(out, **arrays)
    prov = {"torch": torch.__version__, "torchvision": torchvision.__version__, "numpy": np.__version__,
            "device": "cpu", "seed": 20240611, "keys": sorted(arrays)}
    with open(out[:-4] + ".provenance.txt", "w") as f:
        json.dump(prov, f, indent=1)
    print(json.dumps(prov))


if __name__ == "__main__":
    main()
