#!/usr/bin/env python3
"""Activation bytes the R-50 backbone keeps for backward in DL4J, by arithmetic from the layer shapes.

DL4J keeps every layer's (and vertex's) training output until backward: per conv-BN(-ReLU) the conv's, the BN's and
the ReLU's outputs, per residual block the sum and its ReLU. A fused conv + frozen BN (+ ReLU) layer
(FusedConvFrozenBn, backbone.fused_norm) keeps one array per conv. Usage: r50_backbone_activations.py [H W [N]]
(default 800 1088 2, float32). The stem and layer 1 are left out of the trained total: with frozen_stages = 1 they
run in the inference-only FrozenStem.
"""
import sys

H, W = (int(sys.argv[1]), int(sys.argv[2])) if len(sys.argv) > 2 else (800, 1088)
N = int(sys.argv[3]) if len(sys.argv) > 3 else 2
BYTES = 4
KINDS = ["conv", "bn", "relu", "add", "add_relu"]


def out(size, k, s):
    # ConvolutionMode.Truncate with padding k // 2, as DetectorNetwork builds the backbone
    return (size + 2 * (k // 2) - k) // s + 1


rows = []  # (stage, kind, elements)
h, w = out(H, 7, 2), out(W, 7, 2)
rows += [(0, kind, N * 64 * h * w) for kind in ("conv", "bn", "relu")]
h, w = out(h, 3, 2), out(w, 3, 2)  # max pool 3x3/2 pad 1
rows.append((0, "pool", N * 64 * h * w))
for s, blocks in enumerate([3, 4, 6, 3]):
    width, oc = 64 << s, 256 << s
    for b in range(blocks):
        stride = 2 if b == 0 and s > 0 else 1
        oh, ow = out(h, 3, stride), out(w, 3, stride)
        if b == 0:
            rows += [(s + 1, "conv", N * oc * out(h, 1, stride) * out(w, 1, stride)), (s + 1, "bn", N * oc * oh * ow)]
        rows += [(s + 1, k, N * width * h * w) for k in ("conv", "bn", "relu")]       # c1 1x1 at the input size
        rows += [(s + 1, k, N * width * oh * ow) for k in ("conv", "bn", "relu")]     # c2 3x3, stride here
        rows += [(s + 1, k, N * oc * oh * ow) for k in ("conv", "bn", "add", "add_relu")]  # c3 1x1, the sum, its ReLU
        h, w = oh, ow


def gb(pred):
    return sum(e for st, k, e in rows if pred(st, k)) * BYTES / 1e9


print(f"R-50 backbone, input {N} x 3 x {H} x {W}, float32, GB = 1e9 bytes")
print("| stage | " + " | ".join(KINDS) + " | total |")
print("|---|" + "---:|" * (len(KINDS) + 1))
for st in range(0, 5):
    name = "stem (+ pool)" if st == 0 else f"layer{st}"
    print(f"| {name} | " + " | ".join(f"{gb(lambda s, k, st=st, kind=kind: s == st and k == kind):.3f}" for kind in KINDS)
          + f" | {gb(lambda s, k, st=st: s == st):.3f} |")
trained = lambda s, k: s >= 2
print(f"trained part (layers 2-4, frozen_stages = 1): {gb(trained):.3f} GB kept")
fused = gb(lambda s, k: s >= 2 and k in ("bn", "relu"))
print(f"fused conv + frozen BN (+ ReLU) drops the BN and ReLU outputs: -{fused:.3f} GB -> {gb(trained) - fused:.3f} GB")
print(f"a fused add + ReLU would drop the sums too: -{gb(lambda s, k: s >= 2 and k == 'add'):.3f} GB more")
print(f"whole backbone unfrozen (stem..layer4): {gb(lambda s, k: True):.3f} GB, fused -{gb(lambda s, k: k in ('bn', 'relu')):.3f} GB")
