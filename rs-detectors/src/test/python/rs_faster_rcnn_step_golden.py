"""Step-parity golden for RsFasterRcnnStepParityTest: one RS-Faster R-CNN training step of the authors' code path.

    python rs_faster_rcnn_step_golden.py ../../../../../shared/data/tiny_coco ../resources/golden/rs_faster_rcnn_step.npz

Builds, in torch, the network and loss path of the authors' RS-Faster R-CNN (kemaloksuz/RankSortLoss, mmdetection
2.8.0: configs/ranksort_loss/ranksort_faster_rcnn_r50_fpn_1x_coco.py over _base_/models/faster_rcnn_r50_fpn.py;
mmdet/models/dense_heads/rank_based_rpn_head.py, roi_heads/rankbased_standard_roi_head.py and
roi_heads/bbox_heads/convfc_bbox_head.py's RankBasedShared2FCBBoxHead) at a small size:
- torchvision's ResNet-18 at width 8, batch norm on frozen statistics (norm_eval), every stage trained;
- mmdetection's FPN over C2-C5 (16 channels, P2-P6, P6 = max_pool2d(P5, 1, stride 2), no extra convs);
- RankBasedRPNHead, one head for all levels (3x3 conv 16 + ReLU, 1x1 cls, 1x1 reg), 3 anchors per location
  (scale 8, ratios 0.5 / 1 / 2, strides 4-64). Its loss: MaxIoUAssigner 0.7 / 0.3 (min_pos_iou 0.3, low-quality
  matches to every anchor of a GT's max IoU), PseudoSampler, anchors in between ignored (-1); the RS loss over
  every anchor's objectness logit, sorting target the IoU of the predicted and target deltas both decoded about a
  unit box at the origin (the head's own delta2bbox, stds .1 .1 .2 .2), GIoU between those two boxes weighted by
  the detached score, lambda = (L_rank + L_sort) / L_bbox, all three terms x head_weight 0.2;
- training proposals as the authors' RankBasedRPNHead._get_bboxes_single does them under train_cfg.rpn_proposal
  (nms_pre 2000 per level by sigmoid score, deltas decoded about the anchors and clipped to the image, no size
  filter since min_bbox_size is 0, mmcv's batched_nms with the level as class at IoU 0.7, the first nms_post 1000),
  from detached outputs;
- RankBasedStandardRoIHead: MaxIoUAssigner 0.5 / 0.5 (min_pos_iou 0.5, no low-quality matches) on the proposals,
  then the GT boxes added as proposals (assigned to themselves), RandomSampler with num 1e10 (every RoI; the sample
  is a permutation, and these losses are sums over the set); SingleRoIExtractor over P2-P5 (level
  floor(log2(sqrt(w h) / 56 + 1e-6)), clamped) with mmcv's RoIAlign 7x7, aligned=True, sampling_ratio 0;
- RankBasedShared2FCBBoxHead (fc 32, 32; fc_cls 80 sigmoid logits, fc_reg 4 x 80 class-specific deltas,
  reg_decoded_bbox): the RS loss over RoIs x 80 logits, sorting target the IoU of each positive's detached decoded
  box (its GT class's deltas about the RoI, stds .1 .1 .2 .2, no clipping) with its GT box, GIoU on those boxes
  weighted by the max class score, lambda = (L_rank + L_sort) / L_bbox.
The total is the sum of the six loss terms, as mmdetection sums every output named loss*.

Nothing of mmdetection, mmcv or torchvision is imported (mmcv does not install here, torchvision is broken against
this torch); each piece is written from its source: RoIAlign as separable bilinear-weight matrices with the CPU
kernel's sample positions (y = y1 + ph bin_h + (iy + 0.5) bin_h / grid, grid = ceil(bin), samples outside
[-1, size] zero, clamped at 0 and size - 1), NMS as mmcv's greedy nms (offset 0, suppress when IoU > thr) through
batched_nms' coordinate offsets. The RS loss, IoU, GIoU and the box coder come from rs_atss_step_golden.py, the
anchors from export_rpn_proposals.py.

Near-ties: the proposal set is decided by comparisons (per-level top 2000, NMS at 0.7, the first 1000, the RoI
assignment at 0.5, the RPN assignment at 0.3 / 0.7 and its max-IoU equalities, the RoI level boundaries) that float
rounding could flip between torch and Java. The script measures the margin of each (printed and stored in the
provenance file) and refuses to write a golden when one is below MARGIN; the seed was chosen so that none is.

One real image (tiny_coco val 000000289393.jpg, 640 x 480, resized to 256 x 192, ImageNet mean/std, RGB; no
padding, as 256 and 192 are multiples of 32) and its boxes. Weights are seeded random and stored in the file
under the Java parameter names (the backbone under torchvision's names), with the image, the boxes, the loss
terms, the proposals and the gradient of every parameter after loss.backward(). float32 throughout.
"""
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_resnet import ResNet18  # noqa: E402  torchvision's ResNet-18 module names
from export_rpn_proposals import base_anchors, delta2bbox, grid_anchors, mmcv_batched_nms  # noqa: E402
from rs_atss_step_golden import RankSort, encode, image_and_boxes, iou, save_step  # noqa: E402

SEED = 20261208
CLASSES = 80
STRIDES = [4, 8, 16, 32, 64]
CH, RPN_CH, FC = 16, 16, 32
ROI = 7
HEAD_WEIGHT = 0.2
STDS = (0.1, 0.1, 0.2, 0.2)
NMS_PRE, NMS_POST, NMS_IOU = 2000, 1000, 0.7
# smallest distance from a decision threshold (relative for scores) that float rounding cannot cross: torch and
# Java agree on activations to about 1e-6 relative (float32 through ~30 layers), so 1e-5 leaves a factor of ten
MARGIN = 1e-5


def c2_to_c5(net, x):
    """The four ResNet stages' outputs (export_resnet's ResNet18 returns C3-C5 only)."""
    x = net.maxpool(net.relu(net.bn1(net.conv1(x))))
    c2 = net.layer1(x)
    c3 = net.layer2(c2)
    c4 = net.layer3(c3)
    return [c2, c3, c4, net.layer4(c4)]


class Fpn(nn.Module):
    """mmdetection's FPN, start_level 0, num_outs 5, add_extra_convs False: P6 = max_pool2d(P5, 1, stride=2)."""

    def __init__(self, cins):
        super().__init__()
        self.lat = nn.ModuleList([nn.Conv2d(c, CH, 1) for c in cins])
        self.out = nn.ModuleList([nn.Conv2d(CH, CH, 3, padding=1) for _ in cins])

    def forward(self, cs):
        lat = [l(c) for l, c in zip(self.lat, cs)]
        for i in range(len(lat) - 1, 0, -1):
            lat[i - 1] = lat[i - 1] + F.interpolate(lat[i], size=lat[i - 1].shape[2:], mode="nearest")
        outs = [o(x) for o, x in zip(self.out, lat)]
        outs.append(F.max_pool2d(outs[-1], 1, stride=2))
        return outs


class RpnHead(nn.Module):
    """RankBasedRPNHead's layers (RPNHead): rpn_conv 3x3 + ReLU, rpn_cls and rpn_reg 1x1, applied to every level."""

    def __init__(self, anchors):
        super().__init__()
        self.conv = nn.Conv2d(CH, RPN_CH, 3, padding=1)
        self.cls = nn.Conv2d(RPN_CH, anchors, 1)
        self.reg = nn.Conv2d(RPN_CH, 4 * anchors, 1)

    def forward(self, feats):
        out = []
        for x in feats:
            x = F.relu(self.conv(x))
            out.append((self.cls(x), self.reg(x)))
        return out


class BoxHead(nn.Module):
    """RankBasedShared2FCBBoxHead: flatten, shared_fcs (2 x Linear + ReLU), fc_cls (num_classes), fc_reg (4 x classes)."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(CH * ROI * ROI, FC)
        self.fc2 = nn.Linear(FC, FC)
        self.cls = nn.Linear(FC, CLASSES)
        self.reg = nn.Linear(FC, 4 * CLASSES)

    def forward(self, x):
        x = F.relu(self.fc2(F.relu(self.fc1(x.flatten(1)))))
        return self.cls(x), self.reg(x)


def rpn_unit_decode(deltas):
    """RankBasedRPNHead.delta2bbox: deltas (stds .1 .1 .2 .2, dw / dh clipped at |log(16 / 1000)|) about a unit box
    centred at the origin."""
    d = deltas * deltas.new_tensor(STDS)
    max_ratio = abs(np.log(16 / 1000))
    w = d[:, 2].clamp(min=-max_ratio, max=max_ratio).exp()
    h = d[:, 3].clamp(min=-max_ratio, max=max_ratio).exp()
    return torch.stack([d[:, 0] - 0.5 * w, d[:, 1] - 0.5 * h, d[:, 0] + 0.5 * w, d[:, 1] + 0.5 * h], dim=-1)


def roi_decode(rois, deltas):
    """mmdet 2.8 delta2bbox without max_shape, over every class's four deltas (column 4c..4c+3)."""
    stds = deltas.new_tensor(STDS).repeat(deltas.size(1) // 4)
    d = deltas * stds
    dx, dy, dw, dh = d[:, 0::4], d[:, 1::4], d[:, 2::4], d[:, 3::4]
    max_ratio = abs(np.log(16 / 1000))
    dw = dw.clamp(min=-max_ratio, max=max_ratio)
    dh = dh.clamp(min=-max_ratio, max=max_ratio)
    px = ((rois[:, 0] + rois[:, 2]) * 0.5).unsqueeze(1).expand_as(dx)
    py = ((rois[:, 1] + rois[:, 3]) * 0.5).unsqueeze(1).expand_as(dy)
    pw = (rois[:, 2] - rois[:, 0]).unsqueeze(1).expand_as(dw)
    ph = (rois[:, 3] - rois[:, 1]).unsqueeze(1).expand_as(dh)
    gw, gh = pw * dw.exp(), ph * dh.exp()
    gx, gy = px + pw * dx, py + ph * dy
    return torch.stack([gx - gw * 0.5, gy - gh * 0.5, gx + gw * 0.5, gy + gh * 0.5], dim=-1).view(deltas.size())


def max_iou_assign(overlaps, pos_thr, neg_thr, min_pos, low_quality):
    """MaxIoUAssigner.assign_wrt_overlaps (overlaps: gts x boxes): 0-based GT index, -1 negative, -2 ignored."""
    assigned = torch.full((overlaps.shape[1],), -2, dtype=torch.long)
    max_ov, argmax = overlaps.max(dim=0)
    gt_max, _ = overlaps.max(dim=1)
    assigned[(max_ov >= 0) & (max_ov < neg_thr)] = -1
    pos = max_ov >= pos_thr
    assigned[pos] = argmax[pos]
    if low_quality:
        for i in range(overlaps.shape[0]):
            if gt_max[i] >= min_pos:
                assigned[overlaps[i, :] == gt_max[i]] = i  # gt_max_assign_all
    return assigned


def nms(boxes, scores, thr, log):
    """mmcv's nms (CPU): greedy by descending score (exact ties by index), IoU with offset 0, a box is suppressed when
    its IoU with a kept one exceeds thr. Logs every IoU it compared (their distance from thr) and, for every
    suppression, the relative score gap between the kept and the suppressed box (an order rounding could swap)."""
    order = torch.sort(scores, descending=True, stable=True)[1]
    b, s = boxes[order], scores[order]
    x1, y1, x2, y2 = b[:, 0], b[:, 1], b[:, 2], b[:, 3]
    areas = (x2 - x1) * (y2 - y1)
    alive = torch.ones(len(b), dtype=torch.bool)
    keep = []
    for i in range(len(b)):
        if not alive[i]:
            continue
        keep.append(i)
        rest = torch.arange(i + 1, len(b))[alive[i + 1:]]
        if len(rest) == 0:
            continue
        w = (torch.min(x2[i], x2[rest]) - torch.max(x1[i], x1[rest])).clamp(min=0)
        h = (torch.min(y2[i], y2[rest]) - torch.max(y1[i], y1[rest])).clamp(min=0)
        inter = w * h
        ovr = inter / (areas[i] + areas[rest] - inter)
        log["iou"].append(ovr)
        gone = rest[ovr > thr]
        log["gap"].append((s[i] - s[gone]) / s[i])
        alive[gone] = False
    return order[torch.tensor(keep, dtype=torch.long)]


def proposals_of(outs, anchors_lvl, img_shape, margins):
    """RankBasedRPNHead._get_bboxes_single under train_cfg.rpn_proposal, on detached outputs; (n, 5) dets."""
    scores_l, deltas_l, anchors_l, ids_l = [], [], [], []
    for lvl, ((cls, reg), anchors) in enumerate(zip(outs, anchors_lvl)):
        scores = cls[0].detach().permute(1, 2, 0).reshape(-1).sigmoid()
        deltas = reg[0].detach().permute(1, 2, 0).reshape(-1, 4)
        if scores.shape[0] > NMS_PRE:
            ranked, inds = scores.sort(descending=True, stable=True)
            # the cut: score 2000 against 2001, relative to the score
            margins["nms_pre_cut"] = min(margins.get("nms_pre_cut", 1.0), float((ranked[NMS_PRE - 1] - ranked[NMS_PRE]) / ranked[NMS_PRE - 1]))
            inds = inds[:NMS_PRE]
            scores, deltas, anchors = ranked[:NMS_PRE], deltas[inds], anchors[inds]
        scores_l.append(scores)
        deltas_l.append(deltas)
        anchors_l.append(anchors)
        ids_l.append(torch.full((scores.shape[0],), lvl, dtype=torch.long))
    scores = torch.cat(scores_l)
    props = delta2bbox(torch.cat(anchors_l), torch.cat(deltas_l), max_shape=img_shape, stds=STDS)
    ids = torch.cat(ids_l)
    w, h = props[:, 2] - props[:, 0], props[:, 3] - props[:, 1]
    # min_bbox_size 0: the authors' head filters nothing; count what a "w > 0 and h > 0" filter would drop
    margins["degenerate_boxes"] = int(((w <= 0) | (h <= 0)).sum())
    log = {"iou": [], "gap": []}
    dets, keep = mmcv_batched_nms(props, scores, ids, NMS_IOU, lambda b, s, t: nms(b, s, t, log))
    margins["nms_iou"] = float((torch.cat(log["iou"]) - NMS_IOU).abs().min())
    margins["nms_order"] = float(torch.cat(log["gap"]).min())
    if len(dets) > NMS_POST:
        margins["nms_post_cut"] = float((dets[NMS_POST - 1, 4] - dets[NMS_POST, 4]) / dets[NMS_POST - 1, 4])
    margins["after_nms"] = len(dets)
    return dets[:NMS_POST]


def bilinear_matrix(start, bin_size, grid, size, out):
    """Per RoI, the (out x size) matrix that averages mmcv's RoIAlign bilinear samples along one axis: sample
    iy of bin p sits at start + p bin + (iy + 0.5) bin / grid; outside [-1, size] it is zero, else clamped at 0, and
    past size - 1 it takes the last cell whole."""
    k = start.shape[0]
    g = int(grid.max()) if k else 0
    m = torch.zeros(k, out, size)
    if g == 0:
        return m
    p = torch.arange(out, dtype=torch.float32).view(1, out, 1)
    i = torch.arange(g, dtype=torch.float32).view(1, 1, g)
    gf = grid.to(torch.float32).view(k, 1, 1)
    b = bin_size.view(k, 1, 1)
    y = start.view(k, 1, 1) + p * b + (i + 0.5) * b / gf
    used = (i < gf).expand(k, out, g)
    valid = used & (y >= -1.0) & (y <= size)
    y = y.clamp(min=0)
    lo = y.floor().long()
    last = lo >= size - 1
    lo = torch.where(last, torch.full_like(lo, size - 1), lo)
    hi = torch.where(last, lo, lo + 1)
    y = torch.where(last, lo.to(torch.float32), y)
    ly = y - lo.to(torch.float32)
    hy = 1 - ly
    vf = valid.to(torch.float32)
    m.scatter_add_(2, lo.view(k, out, g), (hy * vf).view(k, out, g))
    m.scatter_add_(2, hi.view(k, out, g), (ly * vf).view(k, out, g))
    return m


def roi_align(feat, rois, stride):
    """mmcv's roi_align (aligned=True, sampling_ratio 0 = ceil(roi size / 7) samples per bin side, average) of one
    image's (1, C, H, W) map: out[c] = A_y f[c] A_x^T / (grid_y grid_x), differentiable in the features."""
    _, c, hgt, wid = feat.shape
    scale = 1.0 / stride
    x1 = rois[:, 0] * scale - 0.5
    y1 = rois[:, 1] * scale - 0.5
    rw = rois[:, 2] * scale - 0.5 - x1
    rh = rois[:, 3] * scale - 0.5 - y1
    bw, bh = rw / ROI, rh / ROI
    gw, gh = torch.ceil(bw).clamp(min=0).long(), torch.ceil(bh).clamp(min=0).long()
    ay = bilinear_matrix(y1, bh, gh, hgt, ROI)
    ax = bilinear_matrix(x1, bw, gw, wid, ROI)
    count = (gh * gw).clamp(min=1).to(torch.float32).view(-1, 1, 1, 1)
    return torch.einsum("kph,chw,kqw->kcpq", ay, feat[0], ax) / count


def roi_features(maps, rois, margins):
    """SingleRoIExtractor: each RoI pooled from one of P2-P5 by its scale (finest_scale 56)."""
    scale = torch.sqrt((rois[:, 2] - rois[:, 0]) * (rois[:, 3] - rois[:, 1]))
    raw = torch.log2(scale / 56 + 1e-6)
    lvls = torch.floor(raw).clamp(min=0, max=3).long()
    # the boundaries that pick a level: log2 = 1, 2, 3 (below 1 and above 3 the clamp decides)
    near = (raw > 0.5) & (raw < 3.5)
    margins["roi_level"] = float((raw - raw.round()).abs()[near].min()) if near.any() else 1.0
    out = torch.zeros(rois.shape[0], CH, ROI, ROI)
    for l in range(4):
        idx = (lvls == l).nonzero().squeeze(1)
        if len(idx):
            out = out.index_put((idx,), roi_align(maps[l], rois[idx], STRIDES[l]))
    return out


def rs_losses(flat_logits, flat_targets, pred, target, weights):
    """The RS recipe common to both heads: RS loss, GIoU (eps 1e-6, mmdet's GIoULoss) weighted by the detached
    weights over their sum (1 below 1e-10), lambda = (L_rank + L_sort) / L_bbox as a number."""
    rank, sort = RankSort.apply(flat_logits, flat_targets, 0.5)
    loss_bbox = 1 - iou(pred, target, mode="giou", aligned=True)
    avg = torch.sum(weights)
    if avg < 1e-10:
        avg = 1
    loss_bbox = torch.sum(weights * loss_bbox) / avg
    lam = (rank + sort).detach() / float(loss_bbox.item())
    return rank, sort, loss_bbox * lam, lam


def main(root, out):
    torch.manual_seed(SEED)
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
    fpn = Fpn([8, 16, 32, 64])
    rpn = RpnHead(3)
    box = BoxHead()
    with torch.no_grad():
        # spread-out RPN scores (logits of std ~2: the authors' N(0, 0.01) would leave thousands of near-equal
        # scores at the cuts) and small deltas, so that proposals overlap as anchors do, at IoUs far from 0.7
        nn.init.normal_(rpn.conv.weight, std=0.2)
        nn.init.normal_(rpn.cls.weight, std=1.0)
        nn.init.normal_(rpn.reg.weight, std=0.01)
        nn.init.normal_(box.cls.weight, std=0.1)
        box.cls.bias.fill_(-2.0)
        nn.init.normal_(box.reg.weight, std=0.05)

    x, gt, labels = image_and_boxes(root)
    img_shape = (x.shape[2], x.shape[3])
    feats = fpn(c2_to_c5(backbone, x))
    outs = rpn(feats)
    sizes = [f.shape[2:] for f in feats]
    anchors_lvl = [grid_anchors(base_anchors(s), sz, s) for s, sz in zip(STRIDES, sizes)]
    anchors = torch.cat(anchors_lvl)
    margins = {}

    # ---- RPN loss (RankBasedRPNHead.loss) ----
    logits = torch.cat([c.permute(0, 2, 3, 1).reshape(-1) for c, _ in outs])
    deltas = torch.cat([r.permute(0, 2, 3, 1).reshape(-1, 4) for _, r in outs])
    overlaps = iou(gt, anchors)
    assigned = max_iou_assign(overlaps, 0.7, 0.3, 0.3, True)
    ov = overlaps.max(dim=0)[0]
    margins["rpn_assign"] = float(torch.min((ov - 0.7).abs().min(), (ov - 0.3).abs().min()))
    # gt_max_assign_all takes every anchor equal to a GT's max (anchors of one shape wholly holding a GT tie
    # exactly in float32): the next lower IoU must be clearly below it
    gmax = overlaps.max(dim=1, keepdim=True)[0]
    below = torch.where(overlaps < gmax, overlaps, torch.full_like(overlaps, -1.0)).max(dim=1, keepdim=True)[0]
    margins["rpn_gt_max_runner_up"] = float((gmax - below).min())
    margins["rpn_gt_max_ties"] = [int(n) for n in (overlaps == gmax).sum(dim=1)]
    pos = (assigned >= 0).nonzero().squeeze(1)
    flat = torch.zeros(len(anchors))
    flat[assigned == -2] = -1
    flat[pos] = 1
    pos_pred = rpn_unit_decode(deltas[pos])
    pos_target = rpn_unit_decode(encode(anchors[pos], gt[assigned[pos]]))
    flat[pos] = iou(pos_pred.detach(), pos_target, aligned=True)
    rpn_rank, rpn_sort, rpn_bbox, rpn_lam = rs_losses(logits, flat, pos_pred, pos_target, logits.detach().sigmoid()[pos])

    # ---- proposals, assignment, GT as proposals (RankBasedStandardRoIHead.forward_train) ----
    props = proposals_of(outs, anchors_lvl, img_shape, margins)[:, :4]
    ov_p = iou(gt, props)
    a_p = max_iou_assign(ov_p, 0.5, 0.5, 0.5, False)
    margins["roi_assign"] = float((ov_p.max(dim=0)[0] - 0.5).abs().min())
    rois = torch.cat([gt, props])
    gt_of = torch.cat([torch.arange(len(gt)), a_p])
    roi_labels = torch.where(gt_of >= 0, labels[gt_of.clamp(min=0)], torch.full_like(gt_of, CLASSES))

    # ---- RoI head (RankBasedShared2FCBBoxHead.loss) ----
    cls, reg = box(roi_features(feats[:4], rois, margins))
    rpos = (gt_of >= 0).nonzero().squeeze(1)
    decoded = roi_decode(rois, reg).view(len(rois), CLASSES, 4)
    pos_box = decoded[rpos, roi_labels[rpos]]
    pos_gt = gt[gt_of[rpos]]
    flat_r = torch.zeros(len(rois), CLASSES)
    flat_r[rpos, roi_labels[rpos]] = 1
    flat_r = flat_r.reshape(-1)
    flat_r[flat_r == 1] = iou(pos_box.detach(), pos_gt, aligned=True)
    roi_rank, roi_sort, roi_bbox, roi_lam = rs_losses(cls.reshape(-1), flat_r, pos_box, pos_gt, cls.detach().sigmoid().max(dim=1)[0][rpos])

    total = HEAD_WEIGHT * (rpn_rank + rpn_sort + rpn_bbox) + roi_rank + roi_sort + roi_bbox
    total.backward()

    print("margins:", margins)
    low = {k: v for k, v in margins.items() if isinstance(v, float) and v < MARGIN}
    if low or margins["degenerate_boxes"]:
        raise SystemExit("near-ties that rounding could flip: %s; choose another seed" % margins)

    named = {}
    for n, p in backbone.named_parameters():
        if not n.startswith("fc"):
            named["backbone." + n] = p
    for n, b in backbone.named_buffers():
        if "running" in n:
            named["backbone." + n] = b
    for i in range(4):
        named["fpn_lateral%d_W" % (i + 2)], named["fpn_lateral%d_b" % (i + 2)] = fpn.lat[i].weight, fpn.lat[i].bias
        named["fpn_p%d_W" % (i + 2)], named["fpn_p%d_b" % (i + 2)] = fpn.out[i].weight, fpn.out[i].bias
    for t in ["conv", "cls", "reg"]:
        named["rpn0_%s_W" % t], named["rpn0_%s_b" % t] = getattr(rpn, t).weight, getattr(rpn, t).bias
    # Java's box head: DL4J dense layers (W is in x out) and one output layer holding the class logits, then the deltas
    box_params = {"fc1_W": box.fc1.weight, "fc1_b": box.fc1.bias, "fc2_W": box.fc2.weight, "fc2_b": box.fc2.bias,
                  "cls_W": box.cls.weight, "cls_b": box.cls.bias, "reg_W": box.reg.weight, "reg_b": box.reg.bias}
    arrays = {"input.image": x.numpy(), "input.boxes": gt.numpy(), "input.labels": labels.numpy().astype(np.float32),
              "proposals": props.numpy()}
    terms = {"loss_rpn_ranking": HEAD_WEIGHT * rpn_rank, "loss_rpn_sorting": HEAD_WEIGHT * rpn_sort,
             "loss_rpn_bbox": HEAD_WEIGHT * rpn_bbox, "rpn_lambda": rpn_lam, "rpn_num_pos": len(pos),
             "loss_roi_ranking": roi_rank, "loss_roi_sorting": roi_sort, "loss_roi_bbox": roi_bbox,
             "roi_lambda": roi_lam, "roi_num_pos": len(rpos)}
    terms = {k: (v.item() if torch.is_tensor(v) else float(v)) for k, v in terms.items()}
    for k, v in terms.items():
        arrays["loss." + k] = np.float32([v])
    named.update({"box_head." + k: v for k, v in box_params.items()})
    print("terms:", terms)
    save_step(out, arrays, named, {"image": "000000289393.jpg", "size": [x.shape[3], x.shape[2]], "seed": SEED, "proposals": len(props),
                                   "rois": len(rois), "margins": margins, "terms": terms})


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
