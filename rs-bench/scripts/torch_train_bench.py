"""The quickstart detector's training step in PyTorch on the same CPU, for docs/benchmarks.md.

    python rs-bench/scripts/torch_train_bench.py --size 320 --batch 4 [--threads 2] [--iters 10]

Same network as configs/quickstart.conf (ResNet-18 at half width, FPN with 64 channels and P6/P7 on the
output, untied 2-conv towers per level as the DL4J graph has them, 3 anchors per location, 5 classes), a
sigmoid focal loss on all logits and L1 on the deltas, SGD with momentum. Prints the median step time and
images/s as JSON. torch installs from the local pip mirror (pip install torch); not needed by the project.
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.c1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.b1 = nn.BatchNorm2d(cout)
        self.c2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.b2 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        return F.relu(self.b2(self.c2(F.relu(self.b1(self.c1(x))))) + idt)


class Detector(nn.Module):
    def __init__(self, width=32, ch=64, convs=2, anchors=3, classes=5):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU(), nn.MaxPool2d(3, 2, 1))
        stages, cin = [], width
        for s in range(4):
            c = width << s
            stages.append(nn.Sequential(Block(cin, c, 1 if s == 0 else 2), Block(c, c, 1)))
            cin = c
        self.stages = nn.ModuleList(stages)
        self.lat = nn.ModuleList([nn.Conv2d(width << s, ch, 1) for s in (1, 2, 3)])
        self.out = nn.ModuleList([nn.Conv2d(ch, ch, 3, 1, 1) for _ in range(3)])
        self.extra = nn.ModuleList([nn.Conv2d(ch, ch, 3, 2, 1) for _ in range(2)])

        def tower():
            return nn.Sequential(*[m for _ in range(convs) for m in (nn.Conv2d(ch, ch, 3, 1, 1), nn.ReLU())])

        self.cls = nn.ModuleList([nn.Sequential(tower(), nn.Conv2d(ch, anchors * classes, 3, 1, 1)) for _ in range(5)])
        self.reg = nn.ModuleList([nn.Sequential(tower(), nn.Conv2d(ch, anchors * 4, 3, 1, 1)) for _ in range(5)])

    def forward(self, x):
        x = self.stem(x)
        feats = []
        for s in self.stages:
            x = s(x)
            feats.append(x)
        c3, c4, c5 = feats[1:]
        l5 = self.lat[2](c5)
        l4 = self.lat[1](c4) + F.interpolate(l5, scale_factor=2, mode="nearest")
        l3 = self.lat[0](c3) + F.interpolate(l4, scale_factor=2, mode="nearest")
        p = [self.out[0](l3), self.out[1](l4), self.out[2](l5)]
        p.append(self.extra[0](p[-1]))
        p.append(self.extra[1](p[-1]))
        return [c(f) for c, f in zip(self.cls, p)], [r(f) for r, f in zip(self.reg, p)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=320)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = Detector().train()
    opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(a.batch, 3, a.size, a.size)
    times = []
    for i in range(a.warmup + a.iters):
        t0 = time.perf_counter()
        cls, reg = net(x)
        logits = torch.cat([c.flatten(1) for c in cls], 1)
        deltas = torch.cat([r.flatten(1) for r in reg], 1)
        target = (torch.rand_like(logits) < 0.001).float()
        loss = torchvision_free_focal(logits, target) + deltas.abs().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    print(json.dumps({"framework": "pytorch " + torch.__version__, "size": a.size, "batch": a.batch, "threads": a.threads,
                      "median_step_s": med, "images_per_s": a.batch / med}))


def torchvision_free_focal(x, t, alpha=0.25, gamma=2.0):
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    pt = p * t + (1 - p) * (1 - t)
    w = (alpha * t + (1 - alpha) * (1 - t)) * (1 - pt) ** gamma
    return (w * ce).sum() / t.sum().clamp(min=1)


if __name__ == "__main__":
    main()
