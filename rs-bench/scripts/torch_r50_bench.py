"""The R-50 RS-ATSS COCO network's training step in PyTorch on the same CPU, for docs/benchmarks.md.

    python rs-bench/scripts/torch_r50_bench.py [--height 800 --width 1344] [--batch 2] [--threads 2] [--iters 3] [--head-norm group]

The same network as configs/rs_atss_r50_fpn_1x_coco.conf builds in DL4J: ResNet-50 (torchvision layout) with the
stem and layer1 frozen (no gradient, batch norm in eval mode) and every batch norm on its running statistics
(norm_eval), FPN with 256 channels and P6/P7 from P5's output, untied 4-conv towers per level (without norm, or with
GroupNorm 32 after each conv with --head-norm group, as the config now builds them), 3 anchors x 80 classes per location. The loss stands in for the RS recipe (about 1 % of the
step in DL4J): sigmoid BCE on every logit and L1 on the deltas. SGD with momentum. Prints median step seconds and
peak resident memory (ru_maxrss) as JSON. torch installs from the local pip mirror; the project does not need it.
"""
import argparse
import json
import resource
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Bottleneck(nn.Module):
    def __init__(self, cin, width, stride):
        super().__init__()
        cout = 4 * width
        self.conv1 = nn.Conv2d(cin, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, cout, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(cout)
        self.down = None
        if stride != 1 or cin != cout:
            self.down = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.down is None else self.down(x)
        y = F.relu(self.bn1(self.conv1(x)), inplace=True)
        y = F.relu(self.bn2(self.conv2(y)), inplace=True)
        return F.relu(self.bn3(self.conv3(y)) + idt, inplace=True)


class Detector(nn.Module):
    def __init__(self, classes=80, anchors=3, ch=256, convs=4, head_norm="none"):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 64, 7, 2, 3, bias=False), nn.BatchNorm2d(64), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, 1))
        stages, cin = [], 64
        for s, n in enumerate([3, 4, 6, 3]):
            blocks = []
            for b in range(n):
                blocks.append(Bottleneck(cin, 64 << s, 2 if (b == 0 and s > 0) else 1))
                cin = 4 * (64 << s)
            stages.append(nn.Sequential(*blocks))
        self.layers = nn.ModuleList(stages)
        self.lat = nn.ModuleList([nn.Conv2d(c, ch, 1) for c in (512, 1024, 2048)])
        self.out = nn.ModuleList([nn.Conv2d(ch, ch, 3, 1, 1) for _ in range(3)])
        self.extra = nn.ModuleList([nn.Conv2d(ch, ch, 3, 2, 1) for _ in range(2)])

        def tower():
            if head_norm == "group":
                # the authors' ATSS-family heads: conv (no bias) -> GN(32) -> ReLU, as model.head.norm = group
                return nn.Sequential(*[m for _ in range(convs) for m in (nn.Conv2d(ch, ch, 3, 1, 1, bias=False), nn.GroupNorm(32, ch),
                                                                         nn.ReLU(inplace=True))])
            return nn.Sequential(*[m for _ in range(convs) for m in (nn.Conv2d(ch, ch, 3, 1, 1), nn.ReLU(inplace=True))])

        self.cls = nn.ModuleList([nn.Sequential(tower(), nn.Conv2d(ch, anchors * classes, 3, 1, 1)) for _ in range(5)])
        self.reg = nn.ModuleList([nn.Sequential(tower(), nn.Conv2d(ch, anchors * 4, 3, 1, 1)) for _ in range(5)])
        for p in list(self.stem.parameters()) + list(self.layers[0].parameters()):
            p.requires_grad = False

    def train(self, mode=True):
        super().train(mode)
        for m in self.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.eval()
        return self

    def forward(self, x):
        x = self.stem(x)
        c = []
        for layer in self.layers:
            x = layer(x)
            c.append(x)
        lat = [l(t) for l, t in zip(self.lat, c[1:])]
        for i in (1, 0):
            lat[i] = lat[i] + F.interpolate(lat[i + 1], scale_factor=2, mode="nearest")
        p = [o(t) for o, t in zip(self.out, lat)]
        p.append(self.extra[0](p[-1]))
        p.append(self.extra[1](p[-1]))
        return [(h(f), r(f)) for h, r, f in zip(self.cls, self.reg, p)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--height", type=int, default=800)
    ap.add_argument("--width", type=int, default=1344)
    ap.add_argument("--batch", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--iters", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--head-norm", choices=["none", "group"], default="none", help="tower normalisation (group: as configs/rs_atss_*)")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = Detector(head_norm=a.head_norm).train()
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.001, momentum=0.9, weight_decay=1e-4)
    x = torch.randn(a.batch, 3, a.height, a.width)
    times = []
    for i in range(a.warmup + a.iters):
        t0 = time.perf_counter()
        outs = model(x)
        loss = sum(F.binary_cross_entropy_with_logits(c, torch.zeros_like(c)) + r.abs().mean() for c, r in outs)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 35)
        opt.step()
        if i >= a.warmup:
            times.append(time.perf_counter() - t0)
    params = sum(p.numel() for p in model.parameters())
    print(json.dumps({"framework": f"pytorch {torch.__version__}", "input": [a.height, a.width], "batch": a.batch, "threads": a.threads,
                      "parameters": params, "median_step_s": statistics.median(times),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, indent=1))


if __name__ == "__main__":
    main()
