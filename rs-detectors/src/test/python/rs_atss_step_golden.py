"""Step-parity golden for RsAtssStepParityTest: one RS-ATSS training step of the authors' code path, in PyTorch.

    python rs_atss_step_golden.py ../../../../../shared/data/tiny_coco ../resources/golden/rs_atss_step.npz

Builds, in torch, the network and loss path of the authors' RankBasedATSSHead (kemaloksuz/RankSortLoss,
mmdet/models/dense_heads/rank_based_atss_head.py, mmdetection 2.x semantics) at a small size: torchvision's
ResNet-18 at width 8 with frozen batch-norm statistics (norm_eval), mmdetection's FPN (P3-P7, extra convs on the
output), one head shared by all levels (2 GN convs per tower, 4 groups, 16 channels) with a learnable Scale per level,
3 anchors per location (octave base scale 4 x 3 scales, ratio 1) over 80 classes. The loss is the authors':
ATSSAssigner (top-9 per level by centre distance, IoU >= mean + std, centre inside the box), IoU targets of the
detached decoded boxes in the RS loss (its forward computes the identity-update gradient, returned for the ranking
output only), GIoU weighted by each positive's max class score, and lambda = (L_rank + L_sort) / L_bbox.
Nothing of mmdetection is imported (mmcv does not install here); each piece is written from its source.

One real image (tiny_coco val 000000289393.jpg, 640 x 480, resized to 256 x 192, ImageNet mean/std, RGB) and its
boxes. Weights are seeded random (torch.manual_seed), stored in the file under the Java parameter names (the
backbone under torchvision's names), with the image, the boxes, the loss terms and the gradient of every parameter
after loss.backward(). float32 throughout, as the official code runs.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_resnet import ResNet18  # noqa: E402  torchvision's ResNet-18 module names

IMAGE = "000000289393.jpg"
W, H = 256, 192
CLASSES = 80
STRIDES = [8, 16, 32, 64, 128]
CH, STACKED, GROUPS = 16, 2, 4
DELTA = 0.5
STDS = torch.tensor([0.1, 0.1, 0.2, 0.2])


class Fpn(nn.Module):
    """mmdetection's FPN, start_level 1, add_extra_convs='on_output', num_outs 5 (no ReLU before the extra convs)."""

    def __init__(self, cins):
        super().__init__()
        self.lat = nn.ModuleList([nn.Conv2d(c, CH, 1) for c in cins])
        self.out = nn.ModuleList([nn.Conv2d(CH, CH, 3, padding=1) for _ in cins])
        self.extra = nn.ModuleList([nn.Conv2d(CH, CH, 3, stride=2, padding=1) for _ in range(2)])

    def forward(self, cs):
        lat = [l(c) for l, c in zip(self.lat, cs)]
        for i in range(len(lat) - 1, 0, -1):
            lat[i - 1] = lat[i - 1] + F.interpolate(lat[i], size=lat[i - 1].shape[2:], mode="nearest")
        outs = [o(x) for o, x in zip(self.out, lat)]
        outs.append(self.extra[0](outs[-1]))
        outs.append(self.extra[1](outs[-1]))
        return outs

    def named(self):
        m = {}
        for i in range(3):
            m["fpn_lateral%d" % (i + 3)] = self.lat[i]
            m["fpn_p%d" % (i + 3)] = self.out[i]
        m["fpn_p6"], m["fpn_p7"] = self.extra[0], self.extra[1]
        return m


class Head(nn.Module):
    """RankBasedATSSHead: ConvModule(conv without bias, GN, ReLU) towers, atss_cls, atss_reg, Scale per level."""

    def __init__(self, anchors):
        super().__init__()
        self.cls = nn.ModuleList([nn.Conv2d(CH, CH, 3, padding=1, bias=False) for _ in range(STACKED)])
        self.cls_gn = nn.ModuleList([nn.GroupNorm(GROUPS, CH) for _ in range(STACKED)])
        self.reg = nn.ModuleList([nn.Conv2d(CH, CH, 3, padding=1, bias=False) for _ in range(STACKED)])
        self.reg_gn = nn.ModuleList([nn.GroupNorm(GROUPS, CH) for _ in range(STACKED)])
        self.cls_out = nn.Conv2d(CH, anchors * CLASSES, 3, padding=1)
        self.reg_out = nn.Conv2d(CH, anchors * 4, 3, padding=1)
        self.scales = nn.ParameterList([nn.Parameter(torch.tensor(1.0)) for _ in STRIDES])

    def forward(self, feats):
        out = []
        for x, s in zip(feats, self.scales):
            c, r = x, x
            for conv, gn in zip(self.cls, self.cls_gn):
                c = F.relu(gn(conv(c)))
            for conv, gn in zip(self.reg, self.reg_gn):
                r = F.relu(gn(conv(r)))
            out.append((self.cls_out(c), self.reg_out(r) * s))
        return out


def anchors_of(sizes):
    """mmdetection's AnchorGenerator (center offset 0): base anchors ratio-major then scale, grid (y, x, anchor)."""
    out = []
    scales = torch.tensor([4 * 2 ** (i / 3) for i in range(3)])
    for (h, w), stride in zip(sizes, STRIDES):
        ws = (stride * scales).view(-1)
        base = torch.stack([-0.5 * ws, -0.5 * ws, 0.5 * ws, 0.5 * ws], dim=-1)
        sx = torch.arange(0, w) * stride
        sy = torch.arange(0, h) * stride
        yy, xx = torch.meshgrid(sy, sx, indexing="ij")
        shifts = torch.stack([xx.reshape(-1), yy.reshape(-1), xx.reshape(-1), yy.reshape(-1)], dim=-1).float()
        out.append((shifts[:, None, :] + base[None, :, :]).reshape(-1, 4))
    return out


def iou(a, b, mode="iou", aligned=False, eps=1e-6):
    """mmdetection's bbox_overlaps."""
    if aligned:
        lt = torch.max(a[:, :2], b[:, :2])
        rb = torch.min(a[:, 2:], b[:, 2:])
    else:
        lt = torch.max(a[:, None, :2], b[None, :, :2])
        rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    union = (area_a + area_b - inter) if aligned else (area_a[:, None] + area_b[None, :] - inter)
    union = torch.max(union, union.new_tensor([eps]))
    ious = inter / union
    if mode == "iou":
        return ious
    elt = torch.min(a[:, :2], b[:, :2])
    erb = torch.max(a[:, 2:], b[:, 2:])
    ewh = (erb - elt).clamp(min=0)
    enclose = torch.max(ewh[:, 0] * ewh[:, 1], union.new_tensor([eps]))
    return ious - (enclose - union) / enclose


def atss_assign(anchors_per_level, gt, topk=9):
    """mmdetection 2.x ATSSAssigner: returns, per anchor, the 0-based index of its GT or -1."""
    anchors = torch.cat(anchors_per_level)
    overlaps = iou(anchors, gt)
    gcx = (gt[:, 0] + gt[:, 2]) / 2.0
    gcy = (gt[:, 1] + gt[:, 3]) / 2.0
    acx = (anchors[:, 0] + anchors[:, 2]) / 2.0
    acy = (anchors[:, 1] + anchors[:, 3]) / 2.0
    dist = ((acx[:, None] - gcx[None, :]) ** 2 + (acy[:, None] - gcy[None, :]) ** 2).sqrt()
    cand, start = [], 0
    for lvl in anchors_per_level:
        end = start + lvl.shape[0]
        k = min(topk, lvl.shape[0])
        _, idx = dist[start:end].topk(k, dim=0, largest=False)
        cand.append(idx + start)
        start = end
    cand = torch.cat(cand, dim=0)
    cand_ov = overlaps[cand, torch.arange(gt.shape[0])]
    thr = cand_ov.mean(0) + cand_ov.std(0)
    is_pos = cand_ov >= thr[None, :]
    n = anchors.shape[0]
    for g in range(gt.shape[0]):
        cand[:, g] += g * n
    ex = acx.view(1, -1).expand(gt.shape[0], n).contiguous().view(-1)
    ey = acy.view(1, -1).expand(gt.shape[0], n).contiguous().view(-1)
    cand = cand.view(-1)
    l_ = ex[cand].view(-1, gt.shape[0]) - gt[:, 0]
    t_ = ey[cand].view(-1, gt.shape[0]) - gt[:, 1]
    r_ = gt[:, 2] - ex[cand].view(-1, gt.shape[0])
    b_ = gt[:, 3] - ey[cand].view(-1, gt.shape[0])
    is_pos = is_pos & (torch.stack([l_, t_, r_, b_], dim=1).min(dim=1)[0] > 0.01)
    inf = torch.full_like(overlaps, -float("inf")).t().contiguous().view(-1)
    index = cand.view(-1)[is_pos.view(-1)]
    inf[index] = overlaps.t().contiguous().view(-1)[index]
    inf = inf.view(gt.shape[0], -1).t()
    best, arg = inf.max(dim=1)
    return torch.where(best != -float("inf"), arg, torch.full_like(arg, -1))


def encode(a, g):
    px, py = (a[:, 0] + a[:, 2]) * 0.5, (a[:, 1] + a[:, 3]) * 0.5
    pw, ph = a[:, 2] - a[:, 0], a[:, 3] - a[:, 1]
    gx, gy = (g[:, 0] + g[:, 2]) * 0.5, (g[:, 1] + g[:, 3]) * 0.5
    gw, gh = g[:, 2] - g[:, 0], g[:, 3] - g[:, 1]
    d = torch.stack([(gx - px) / pw, (gy - py) / ph, torch.log(gw / pw), torch.log(gh / ph)], dim=-1)
    return d / STDS


def decode(a, d, max_ratio=abs(np.log(16 / 1000))):
    d = d * STDS
    dw = d[:, 2].clamp(min=-max_ratio, max=max_ratio)
    dh = d[:, 3].clamp(min=-max_ratio, max=max_ratio)
    px, py = (a[:, 0] + a[:, 2]) * 0.5, (a[:, 1] + a[:, 3]) * 0.5
    pw, ph = a[:, 2] - a[:, 0], a[:, 3] - a[:, 1]
    gw, gh = pw * dw.exp(), ph * dh.exp()
    gx, gy = px + pw * d[:, 0], py + ph * d[:, 1]
    return torch.stack([gx - gw * 0.5, gy - gh * 0.5, gx + gw * 0.5, gy + gh * 0.5], dim=-1)


class RankSort(torch.autograd.Function):
    """ranking_losses.RankSort: the forward computes the gradient (identity update), the backward hands it back
    scaled by the ranking output's upstream gradient; the sorting output has no gradient path of its own."""

    @staticmethod
    def forward(ctx, logits, targets, delta=0.5, eps=1e-10):
        grads = torch.zeros_like(logits)
        fg = targets > 0.0
        fg_logits, fg_targets = logits[fg], targets[fg]
        fg_num = len(fg_targets)
        thr = torch.min(fg_logits) - delta
        rel = (targets == 0) & (logits >= thr)
        bg_logits = logits[rel]
        bg_grad = torch.zeros(len(bg_logits))
        rank_err = torch.zeros(fg_num)
        sort_err = torch.zeros(fg_num)
        fg_grad = torch.zeros(fg_num)
        for ii in torch.argsort(fg_logits):
            fg_rel = torch.clamp((fg_logits - fg_logits[ii]) / (2 * delta) + 0.5, min=0, max=1)
            bg_rel = torch.clamp((bg_logits - fg_logits[ii]) / (2 * delta) + 0.5, min=0, max=1)
            rank_pos = torch.sum(fg_rel)
            fp_num = torch.sum(bg_rel)
            rank = rank_pos + fp_num
            rank_err[ii] = fp_num / rank
            current = torch.sum(fg_rel * (1 - fg_targets)) / rank_pos
            iou_rel = fg_targets >= fg_targets[ii]
            target_order = iou_rel * fg_rel
            target = torch.sum(target_order * (1 - fg_targets)) / torch.sum(target_order)
            sort_err[ii] = current - target
            if fp_num > eps:
                fg_grad[ii] -= rank_err[ii]
                bg_grad += bg_rel * (rank_err[ii] / fp_num)
            missorted = (~iou_rel) * fg_rel
            denom = torch.sum(missorted)
            if denom > eps:
                fg_grad[ii] -= sort_err[ii]
                fg_grad += missorted * (sort_err[ii] / denom)
        grads[fg] = fg_grad / fg_num
        grads[rel] = bg_grad / fg_num
        ctx.save_for_backward(grads)
        return rank_err.mean(), sort_err.mean()

    @staticmethod
    def backward(ctx, g1, g2):
        (grads,) = ctx.saved_tensors
        return grads * g1, None, None, None


def image_and_boxes(root):
    ann = json.load(open(os.path.join(root, "annotations", "instances_val2017.json")))
    img = next(i for i in ann["images"] if i["file_name"] == IMAGE)
    cats = sorted(c["id"] for c in ann["categories"])
    sx, sy = W / img["width"], H / img["height"]
    boxes, labels = [], []
    for a in ann["annotations"]:
        if a["image_id"] == img["id"] and not a.get("iscrowd", 0):
            x, y, w, h = a["bbox"]
            boxes.append([x * sx, y * sy, (x + w) * sx, (y + h) * sy])
            labels.append(cats.index(a["category_id"]))
    pil = Image.open(os.path.join(root, "val2017", IMAGE)).convert("RGB").resize((W, H), Image.BILINEAR)
    x = np.asarray(pil, dtype=np.float32)
    x = (x - np.array([123.675, 116.28, 103.53], np.float32)) / np.array([58.395, 57.12, 57.375], np.float32)
    return torch.from_numpy(x.transpose(2, 0, 1).copy())[None], torch.tensor(boxes, dtype=torch.float32), torch.tensor(labels)


def main(root, out):
    torch.manual_seed(20261207)
    backbone = ResNet18(width=8)
    for name, t in backbone.state_dict().items():
        if name.endswith("running_mean"):
            t.copy_(torch.randn_like(t) * 0.1)
        elif name.endswith("running_var"):
            t.copy_(torch.rand_like(t) + 0.5)
        elif name.startswith("bn") or ".bn" in name or "downsample.1" in name:
            if name.endswith("weight"):
                t.copy_(torch.rand_like(t) + 0.5)
            elif name.endswith("bias"):
                t.copy_(torch.randn_like(t) * 0.1)
    backbone.eval()  # norm_eval: batch norm on its running statistics
    fpn = Fpn([16, 32, 64])
    head = Head(3)
    with torch.no_grad():
        for m in [head.cls_out, head.reg_out]:
            nn.init.normal_(m.weight, std=0.05)
        head.cls_out.bias.fill_(-4.595)
        for gn in list(head.cls_gn) + list(head.reg_gn):
            gn.weight.uniform_(0.5, 1.5)
            gn.bias.uniform_(-0.2, 0.2)
        for i, s in enumerate(head.scales):
            s.fill_(1.0 + 0.1 * (i - 2))

    x, gt, labels = image_and_boxes(root)
    feats = fpn(backbone(x))
    outs = head(feats)
    sizes = [f.shape[2:] for f in feats]
    anchors_lvl = anchors_of(sizes)
    anchors = torch.cat(anchors_lvl)
    assigned = atss_assign(anchors_lvl, gt)
    cls = torch.cat([c.permute(0, 2, 3, 1).reshape(-1, CLASSES) for c, _ in outs])
    deltas = torch.cat([r.permute(0, 2, 3, 1).reshape(-1, 4) for _, r in outs])
    pos = (assigned >= 0).nonzero().squeeze(1)
    pos_gt = gt[assigned[pos]]
    bbox_weights = cls.detach().sigmoid().max(dim=1)[0][pos]
    pos_pred = decode(anchors[pos], deltas[pos])
    pos_target = decode(anchors[pos], encode(anchors[pos], pos_gt))
    loss_bbox = 1 - iou(pos_pred, pos_target, mode="giou", aligned=True)
    flat = torch.zeros(cls.shape[0], CLASSES)
    flat[pos, labels[assigned[pos]]] = 1
    flat = flat.reshape(-1)
    flat[flat == 1] = iou(pos_pred.detach(), pos_target, aligned=True)
    rank, sort = RankSort.apply(cls.reshape(-1), flat, DELTA)
    avg = torch.sum(bbox_weights)
    if avg < 1e-12:
        avg = 1
    losses_bbox = torch.sum(bbox_weights * loss_bbox) / avg
    lam = (rank + sort).detach() / float(losses_bbox.item())
    losses_bbox = losses_bbox * lam
    (rank + sort + losses_bbox).backward()

    named = {}
    for n, p in backbone.named_parameters():
        if not n.startswith("fc"):
            named["backbone." + n] = p
    for n, b in backbone.named_buffers():
        if "running" in n:
            named["backbone." + n] = b
    for n, m in fpn.named().items():
        named[n + "_W"], named[n + "_b"] = m.weight, m.bias
    for t in ["cls", "reg"]:
        for i in range(STACKED):
            named["l0_%s%d_W" % (t, i)] = getattr(head, t)[i].weight
            named["l0_%s%d_gn_gamma" % (t, i)] = getattr(head, t + "_gn")[i].weight
            named["l0_%s%d_gn_beta" % (t, i)] = getattr(head, t + "_gn")[i].bias
    named["l0_cls_out_W"], named["l0_cls_out_b"] = head.cls_out.weight, head.cls_out.bias
    named["l0_reg_out_W"], named["l0_reg_out_b"] = head.reg_out.weight, head.reg_out.bias
    for i, s in enumerate(head.scales):
        named["l%d_scale_scale" % i] = s
    arrays = {"input.image": x.numpy(), "input.boxes": gt.numpy(), "input.labels": labels.numpy().astype(np.float32),
              "loss.rank": np.float32([rank.item()]), "loss.sort": np.float32([sort.item()]),
              "loss.bbox": np.float32([losses_bbox.item()]), "loss.lambda": np.float32([lam.item()]),
              "loss.num_pos": np.float32([len(pos)])}
    print("positives %d, rank %.6f, sort %.6f, bbox %.6f, lambda %.6f" % (len(pos), rank.item(), sort.item(), losses_bbox.item(), lam.item()))
    save_step(out, arrays, named, {"image": IMAGE, "size": [W, H], "seed": 20261207, "positives": len(pos)})


def save_step(out, arrays, named, meta):
    """Writes the goldens (arrays plus each named tensor's weight and gradient) and the provenance file beside them."""
    arrays = dict(arrays)
    for n, t in named.items():
        arrays["weight." + n] = t.detach().numpy().astype(np.float32)
        if t.grad is not None:
            arrays["grad." + n] = t.grad.numpy().astype(np.float32)
    np.savez_compressed(out, **arrays)
    meta = {"torch": torch.__version__, "numpy": np.__version__, **meta, "keys": sorted(arrays)}
    with open(os.path.splitext(out)[0] + ".provenance.txt", "w") as f:
        json.dump(meta, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
