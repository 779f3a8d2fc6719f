"""GroupNorm golden file for GroupNormTest: torch.nn.functional.group_norm forward and backward.

    python3 rs-detectors/src/test/python/group_norm_golden.py --out rs-detectors/src/test/resources/golden/group_norm.npz

The committed file was produced with torch 2.13 (CPU); versions go to group_norm.provenance.txt beside it because
Nd4j's .npz reader only takes numeric arrays. Two fixed-seed float32 cases:
  * "a": input 2x64x5x7, 32 groups (the head towers' GN at the quickstart width), an offset and a scale per channel
    so each group's statistics differ, random gamma and beta;
  * "b": input 3x12x4x4, 3 groups (4 channels per group), a large common offset (100) that a one-pass variance
    would lose in float.
For each case the gradients are those of sum(y * dy) with a random upstream gradient dy, i.e. group_norm's backward
applied to dy: dx, dgamma, dbeta. meta_<case> = [N, C, H, W, groups, eps].
"""
import argparse
import json

import numpy as np
import torch
import torch.nn.functional as F


def case(gen, n, c, h, w, groups, offset):
    x = gen.standard_normal((n, c, h, w)) * gen.uniform(0.5, 3.0, (1, c, 1, 1)) + gen.uniform(-2, 2, (1, c, 1, 1)) + offset
    gamma = gen.uniform(0.5, 1.5, c)
    beta = gen.standard_normal(c) * 0.1
    dy = gen.standard_normal((n, c, h, w))
    xs, gs, bs = (torch.tensor(a, dtype=torch.float32, requires_grad=True) for a in (x, gamma, beta))
    y = F.group_norm(xs, groups, gs, bs, eps=1e-5)
    dys = torch.tensor(dy, dtype=torch.float32)
    (y * dys).sum().backward()
    return {"x": xs.detach().numpy(), "gamma": gs.detach().numpy(), "beta": bs.detach().numpy(), "dy": dys.numpy(),
            "y": y.detach().numpy(), "dx": xs.grad.numpy(), "dgamma": gs.grad.numpy(), "dbeta": bs.grad.numpy(),
            "meta": np.array([n, c, h, w, groups, 1e-5], dtype=np.float64)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    gen = np.random.default_rng(20260115)
    arrays = {}
    for tag, args in (("a", (2, 64, 5, 7, 32, 0.0)), ("b", (3, 12, 4, 4, 3, 100.0))):
        for k, v in case(gen, *args).items():
            arrays[k + "_" + tag] = v
    np.savez(out, **arrays)
    prov = {"torch": torch.__version__, "numpy": np.__version__, "device": "cpu", "seed": 20260115,
            "keys": sorted(arrays)}
    with open(out[:-4] + ".provenance.txt", "w") as f:
        json.dump(prov, f, indent=1)
    print(json.dumps(prov))


if __name__ == "__main__":
    main()
