"""ResNet-18 parity golden file for TorchResNetWeightsTest, and a torchvision state_dict exporter.

    python export_resnet.py golden OUT.npz        # the committed golden file (formula weights, fixed input)
    python export_resnet.py export OUT.npz        # torchvision's pretrained resnet50 state_dict -> .npz
                                                  # (needs torchvision and its weights; not possible offline)

The golden network is torchvision's ResNet-18 (BasicBlock [2, 2, 2, 2], the same module names), written out
here because torchvision is not installable from this machine's mirror. Its weights are not stored: every
tensor is filled by the formula in `fill` (splitmix64 of the tensor name's Java hashCode and the index), which
TorchResNetWeightsTest reproduces in Java, so only the input and the C3/C4/C5 outputs are committed.
Run with torch 2.x (CPU); float32.
"""
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


class BasicBlock(nn.Module):
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
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(3, 2, 1)
        chans = [64, 128, 256, 512]
        cin = 64
        for s, c in enumerate(chans):
            blocks = [BasicBlock(cin, c, 1 if s == 0 else 2), BasicBlock(c, c, 1)]
            setattr(self, "layer%d" % (s + 1), nn.Sequential(*blocks))
            cin = c
        self.fc = nn.Linear(512, 1000)

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


if __name__ == "__main__":
    {"golden": golden, "export": export}[sys.argv[1]](sys.argv[2])
