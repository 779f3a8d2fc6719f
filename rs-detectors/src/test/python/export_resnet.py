"""ResNet-18 parity golden file for TorchResNetWeightsTest, and a torchvision state_dict exporter.

    python export_resnet.py golden OUT.npz        # the committed golden file (formula weights, fixed input)
    python export_resnet.py export OUT.npz        # torchvision's pretrained resnet50 state_dict -> .npz
                                                  # (needs torchvision and its weights; not possible offline)
    python export_resnet.py pth OUT_DIR           # resnet18_w8_zip.pth, resnet18_w8_legacy.pth, resnet18_w8_c345.npz

The `pth` files are checkpoints written by torch.save itself, for TorchResNetWeightsTest's .pth path: a ResNet-18
with torchvision's names at an eighth of the width (base width 8), whose conv weights are all views
(offsets, transposes, steps) into one shared storage, so each file stays under 200 kB; the zip file stores that
storage as float32 under "state_dict" (mmdetection), the legacy file as float16 under "model" (the values are
float16-exact, so both are the same network), and the BN tensors mix float32, float64 and float16.

The golden network is torchvision's ResNet-18 (BasicBlock [2, 2, 2, 2], the same module names), written out
here because torchvision is not installable from this machine's mirror. Its weights are not stored: every
tensor is filled by the formula in `fill` (splitmix64 of the tensor name's Java hashCode and the index), which
TorchResNetWeightsTest reproduces in Java, so only the input and the C3/C4/C5 outputs are committed.
Run with torch 2.x (CPU); float32.
"""
import collections
import os
import sys

import numpy as np
import torch
import torch.nn as nn

MASK = (1 << 64) - 1


def java_hash(s):
    h = 0
    for c in s:
        h = (31 * h + ord(c)) & 0xFFFFFFFF
    return h - (1 << 32) if h >= 1 << 31 else h


def splitmix(x):
    x = (x + 0x9E3779B97F4A7C15) & MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def uniform(name, n):
    base = java_hash(name) & MASK
    return np.array([(splitmix((base + i) & MASK) >> 11) * 2.0 ** -53 - 0.5 for i in range(n)])


def fill(name, shape):
    n = int(np.prod(shape))
    u = uniform(name, n)
    last = name.split(".")[-1]
    if last == "running_var":
        v = 1.0 + u
    elif last == "running_mean":
        v = 0.2 * u
    elif last == "bias":
        v = 0.2 * u
    elif len(shape) == 1:  # bn weight
        v = 1.0 + 0.4 * u
    else:
        fan_in = int(np.prod(shape[1:]))
        v = u * (2.0 * np.sqrt(6.0 / fan_in))
    return v.astype(np.float32).reshape(shape)


class BasicBlock(nn.Module):  # torchvision.models.resnet.BasicBlock
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        idt = x if self.downsample is None else self.downsample(x)
        y = self.relu(self.bn1(self.conv1(x)))
        return self.relu(self.bn2(self.conv2(y)) + idt)


class ResNet18(nn.Module):
    def __init__(self, width=64):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        chans = [width, 2 * width, 4 * width, 8 * width]
        cin = width
        for s, c in enumerate(chans):
            blocks = [BasicBlock(cin, c, 1 if s == 0 else 2), BasicBlock(c, c, 1)]
            setattr(self, "layer%d" % (s + 1), nn.Sequential(*blocks))
            cin = c
        self.fc = nn.Linear(8 * width, 1000)

    def forward(self, x):
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        c2 = self.layer1(x)
        c3 = self.layer2(c2)
        c4 = self.layer3(c3)
        c5 = self.layer4(c4)
        return c3, c4, c5


def golden(out):
    net = ResNet18().eval()
    state = {k: torch.from_numpy(fill(k, tuple(v.shape))) if v.dtype.is_floating_point else v
             for k, v in net.state_dict().items()}
    net.load_state_dict(state)
    x = fill("input", (1, 3, 64, 64)) * 4.0
    with torch.no_grad():
        c3, c4, c5 = net(torch.from_numpy(x))
    np.savez(out, input=x, c3=c3.numpy(), c4=c4.numpy(), c5=c5.numpy())


def export(out):
    import torchvision
    net = torchvision.models.resnet50(weights="IMAGENET1K_V1")
    np.savez(out, **{k: v.numpy() for k, v in net.state_dict().items() if v.dtype.is_floating_point})


def shared_views(net):
    """A state_dict whose conv / fc weights are views into one float16-exact storage, BN tensors of mixed dtypes."""
    gen = torch.Generator().manual_seed(14)
    base = (torch.rand(40960, generator=gen) - 0.5).half().float()
    sd = collections.OrderedDict()
    for i, (k, v) in enumerate(net.state_dict().items()):
        n = v.numel()
        last = k.split(".")[-1]
        if k == "fc.weight":  # stride 0 along the classes: 1000 rows cost one row of storage
            t = base[:v.shape[1]].expand(v.shape)
        elif v.dim() >= 2:  # conv weights: a view of the shared storage
            off = (i * 7919) % (base.numel() - 2 * n) if 2 * n < base.numel() else (i * 13) % (base.numel() - n + 1)
            if i % 3 == 0 and v.dim() == 4:  # transposed: strides of a (in, out, kh, kw) tensor
                t = base[off:off + n].view(v.shape[1], v.shape[0], *v.shape[2:]).transpose(0, 1)
            elif i % 3 == 1 and 2 * n < base.numel():  # every other element
                t = base[off:off + 2 * n:2].view(v.shape)
            else:
                t = base[off:off + n].view(v.shape)
        elif last == "num_batches_tracked":
            t = torch.tensor(1000 + i, dtype=torch.int64)
        else:
            u = torch.rand(v.shape, generator=gen)
            if last == "running_var":  # about the conv output's variance, so activations stay O(1)
                conv = net.state_dict()[k.replace("bn", "conv").replace("downsample.1", "downsample.0").rsplit(".", 1)[0] + ".weight"]
                fan_in = conv[0].numel()
                t = (fan_in / 12.0 * (0.5 + u)).double()
            elif last == "running_mean":
                t = 0.2 * (u - 0.5)
            elif last == "weight":
                t = (1.0 + 0.4 * (u - 0.5)).half()
            else:
                t = 0.2 * (u - 0.5)
        sd[k] = t
    return base, sd


def pth(out):
    net = ResNet18(width=8).eval()
    base, sd = shared_views(net)
    net.load_state_dict(sd)
    x = fill("input", (1, 3, 64, 64)) * 4.0
    with torch.no_grad():
        c3, c4, c5 = net(torch.from_numpy(x))
    os.makedirs(out, exist_ok=True)
    torch.save({"meta": {"note": "RankSort4j test ResNet-18, base width 8"}, "state_dict": sd}, os.path.join(out, "resnet18_w8_zip.pth"))
    half = base.half()
    legacy = collections.OrderedDict()
    for k, v in sd.items():
        if v.dim() >= 2:  # the same views, of the same storage in float16
            legacy[k] = torch.as_strided(half, v.shape, v.stride(), v.storage_offset())
        else:
            legacy[k] = v
    torch.save({"model": legacy}, os.path.join(out, "resnet18_w8_legacy.pth"), _use_new_zipfile_serialization=False)
    np.savez(os.path.join(out, "resnet18_w8_c345.npz"), input=x, c3=c3.numpy(), c4=c4.numpy(), c5=c5.numpy())


if __name__ == "__main__":
    {"golden": golden, "export": export, "pth": pth}[sys.argv[1]](sys.argv[2])
