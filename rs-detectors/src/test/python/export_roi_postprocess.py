"""RoI box head test-time golden file for RoiBoxPostProcessorTest: mmdetection 2.x's BBoxHead.get_bboxes with
sigmoid class scores (RS-R-CNN: no background column), delta2bbox + clip to img_shape, division by scale_factor,
and multiclass_nms with mmcv's batched_nms, copied here in torch because mmdet isn't installed.

    python export_roi_postprocess.py --out rs-detectors/src/test/resources/golden/roi_post.npz

Fixed-seed cases (see CASES): class-specific and class-agnostic regression, RS-Faster R-CNN's stds
(.1 .1 .2 .2) and Cascade stage-3 stds (.033 .033 .067 .067) with the class logits of three stages averaged as
CascadeRoIHead.simple_test does (raw logits summed in stage order and divided by the stage count, activation
applied afterwards by the last stage's get_bboxes), exact score ties injected, a few log-size deltas beyond
wh_ratio_clip, and one case with more than mmcv's split_thr (10000) candidates so batched_nms takes its per-class
branch. NMS is torchvision.ops.nms (IoU > thr suppresses, offset 0, float32); torchvision.ops.batched_nms must
keep the same boxes. CPU, float32. Saved with np.savez (Nd4j cannot read compressed members). Versions go to a
sidecar .provenance.txt.
"""
import argparse
import platform

import numpy as np
import torch

# name, rois, classes, class_agnostic, stds, img_shape (h, w), scale_factor (w, h), stages averaged,
# (score_thr, iou_thr, max_per_img)
CASES = [
    ("specific", 150, 8, False, (0.1, 0.1, 0.2, 0.2), (200, 300), (1.5, 1.25), 1, (0.05, 0.5, 100)),
    ("agnostic", 120, 5, True, (0.1, 0.1, 0.2, 0.2), (240, 180), (2.0, 2.0), 1, (0.05, 0.5, 100)),
    ("cascade3", 100, 6, False, (0.033, 0.033, 0.067, 0.067), (160, 256), (1.0, 1.0), 3, (0.05, 0.5, 100)),
    ("truncate", 200, 4, False, (0.1, 0.1, 0.2, 0.2), (256, 256), (1.6, 1.6), 1, (0.3, 0.6, 25)),
    ("split", 420, 30, False, (0.1, 0.1, 0.2, 0.2), (192, 224), (1.2, 1.2), 1, (0.05, 0.5, 100)),
]
SPLIT_THR = 10000


def delta2bbox(rois, deltas, max_shape, means=(0., 0., 0., 0.), stds=(1., 1., 1., 1.), wh_ratio_clip=16 / 1000):
    """mmdet 2.x delta2bbox (clip_border=True, add_ctr_clamp=False), deltas (N, 4) or (N, 4C)."""
    num_bboxes, num_classes = deltas.size(0), deltas.size(1) // 4
    deltas = deltas.reshape(-1, 4)
    means = deltas.new_tensor(means).view(1, -1)
    stds = deltas.new_tensor(stds).view(1, -1)
    denorm_deltas = deltas * stds + means
    dxy = denorm_deltas[:, :2]
    dwh = denorm_deltas[:, 2:]
    rois_ = rois.repeat(1, num_classes).reshape(-1, 4)
    pxy = ((rois_[:, :2] + rois_[:, 2:]) * 0.5)
    pwh = (rois_[:, 2:] - rois_[:, :2])
    dxy_wh = pwh * dxy
    max_ratio = np.abs(np.log(wh_ratio_clip))
    dwh = dwh.clamp(min=-max_ratio, max=max_ratio)
    gxy = pxy + dxy_wh
    gwh = pwh * dwh.exp()
    x1y1 = gxy - (gwh * 0.5)
    x2y2 = gxy + (gwh * 0.5)
    bboxes = torch.cat([x1y1, x2y2], dim=-1)
    bboxes[..., 0::2].clamp_(min=0, max=max_shape[1])
    bboxes[..., 1::2].clamp_(min=0, max=max_shape[0])
    return bboxes.reshape(num_bboxes, -1)


def mmcv_batched_nms(boxes, scores, idxs, iou_threshold, nms, stable=True):
    """mmcv.ops.batched_nms, class_agnostic=False: coordinate trick below split_thr, per-class NMS at or above.

    The per-class branch re-sorts the kept scores with an unspecified tie order; stable=True pins it to the lower
    flat index, the rule the Java side follows.
    """
    if boxes.numel() == 0:
        return boxes.new_zeros((0, 5)), idxs.new_zeros((0,))
    if boxes.shape[0] < SPLIT_THR:
        max_coordinate = boxes.max()
        offsets = idxs.to(boxes) * (max_coordinate + torch.tensor(1).to(boxes))
        boxes_for_nms = boxes + offsets[:, None]
        keep = nms(boxes_for_nms, scores, iou_threshold)
    else:
        total_mask = scores.new_zeros(scores.size(), dtype=torch.bool)
        for id in torch.unique(idxs):
            mask = (idxs == id).nonzero(as_tuple=False).view(-1)
            k = nms(boxes[mask], scores[mask], iou_threshold)
            total_mask[mask[k]] = True
        keep = total_mask.nonzero(as_tuple=False).view(-1)
        _, inds = scores[keep].sort(descending=True, stable=stable)
        keep = keep[inds]
    dets = torch.cat([boxes[keep], scores[keep][:, None]], -1)
    return dets, keep


def multiclass_nms(multi_bboxes, multi_scores, score_thr, iou_thr, max_num, nms, stable=True):
    """mmdet 2.x multiclass_nms, score_factors None, for sigmoid scores without a background column."""
    num_classes = multi_scores.size(1)
    if multi_bboxes.shape[1] > 4:
        bboxes = multi_bboxes.view(multi_scores.size(0), -1, 4)
    else:
        bboxes = multi_bboxes[:, None].expand(multi_scores.size(0), num_classes, 4)
    scores = multi_scores
    labels = torch.arange(num_classes, dtype=torch.long).view(1, -1).expand_as(scores)
    bboxes = bboxes.reshape(-1, 4)
    scores = scores.reshape(-1)
    labels = labels.reshape(-1)
    valid_mask = scores > score_thr
    inds = valid_mask.nonzero(as_tuple=False).squeeze(1)
    bboxes, scores, labels = bboxes[inds], scores[inds], labels[inds]
    dets, keep = mmcv_batched_nms(bboxes, scores, labels, iou_thr, nms, stable)
    if max_num > 0:
        dets = dets[:max_num]
        keep = keep[:max_num]
    return dets, labels[keep], keep, (bboxes, scores, labels)


def get_bboxes(rois, cls_score, bbox_pred, img_shape, scale_factor, stds, cfg, nms, stable=True):
    """BBoxHead.get_bboxes, rescale=True, sigmoid activation (RS-R-CNN)."""
    scores = cls_score.sigmoid()
    bboxes = delta2bbox(rois, bbox_pred, max_shape=img_shape, stds=stds)
    sf = bboxes.new_tensor([scale_factor[0], scale_factor[1], scale_factor[0], scale_factor[1]])
    bboxes = (bboxes.view(bboxes.size(0), -1, 4) / sf).view(bboxes.size()[0], -1)
    return multiclass_nms(bboxes, scores, cfg[0], cfg[1], cfg[2], nms, stable)


def make_rois(gen, n, img_shape):
    """Proposals in clusters, so NMS has overlaps to suppress, clipped to the image as the RPN leaves them."""
    h, w = img_shape
    centres = gen.uniform([0.1 * w, 0.1 * h], [0.9 * w, 0.9 * h], size=(max(3, n // 15), 2))
    c = centres[gen.integers(0, len(centres), n)] + gen.normal(0, 4, size=(n, 2))
    wh = gen.uniform(8, 0.5 * min(h, w), size=(n, 2))
    boxes = np.concatenate([c - wh / 2, c + wh / 2], 1)
    boxes[:, 0::2] = boxes[:, 0::2].clip(0, w)
    boxes[:, 1::2] = boxes[:, 1::2].clip(0, h)
    return boxes.astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--python-nms", action="store_true", help="smoke test without torchvision")
    args = ap.parse_args()
    if args.python_nms:
        def nms(b, s, thr):
            order = s.sort(descending=True, stable=True)[1]
            b = b[order]
            area = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
            lt = torch.max(b[:, None, :2], b[None, :, :2])
            rb = torch.min(b[:, None, 2:], b[None, :, 2:])
            inter = (rb - lt).clamp(min=0).prod(-1)
            over = (inter / (area[:, None] + area[None, :] - inter) > thr).tolist()
            keep, dead = [], [False] * len(order)
            for i in range(len(order)):
                if dead[i]:
                    continue
                keep.append(i)
                for j in range(i + 1, len(order)):
                    dead[j] = dead[j] or over[i][j]
            return order[torch.tensor(keep, dtype=torch.long)]
        batched_nms, tv_version = None, "none (python nms smoke test)"
    else:
        import torchvision
        from torchvision.ops import batched_nms, nms
        tv_version = torchvision.__version__
        tie = torch.tensor([[0., 0., 10., 10.]] * 3)
        assert nms(tie, torch.tensor([0.5, 0.5, 0.5]), 0.7).tolist() == [0], "torchvision nms is not stable on ties"
    gen = np.random.default_rng(20261125)
    literal_differs, tv_tie_order = [], []
    arrays = {}
    for name, n, ncls, agnostic, stds, img_shape, scale, stages, cfg in CASES:
        rois = make_rois(gen, n, img_shape)
        shift = -1.0 if name != "split" else 1.5  # split: most pairs over score_thr, more than split_thr
        logits = [(gen.standard_normal((n, ncls)) * 2 + shift).astype(np.float32) for _ in range(stages)]
        # exact score ties: across classes of a RoI, across RoIs of a class, and of overlapping duplicates
        for lg in logits:
            lg[3, :] = 1.25
            lg[10:20, 1] = 0.75
            lg[30:40] = lg[20:30]
        rois[30:40] = rois[20:30]
        d = gen.standard_normal((n, 4 if agnostic else 4 * ncls)).astype(np.float32)
        d.reshape(n, -1, 4)[:, :, :2] *= 0.5
        d.reshape(-1)[2::41] = 30.0  # dw * std beyond log(1000/16)
        d.reshape(-1)[3::43] = -30.0
        d[30:40] = d[20:30]
        lt = [torch.from_numpy(x) for x in logits]
        avg = sum(lt) / float(len(lt))  # CascadeRoIHead.simple_test: python sum from 0, then / num_stages
        rt, dt = torch.from_numpy(rois), torch.from_numpy(d)
        dets, labels, keep, (cand, cscores, clabels) = get_bboxes(rt, avg, dt, img_shape, scale, stds, cfg, nms)
        lit, lit_labels, _, _ = get_bboxes(rt, avg, dt, img_shape, scale, stds, cfg, nms, stable=False)
        if not (torch.equal(lit, dets) and torch.equal(lit_labels, labels)):
            literal_differs.append(name)
        if batched_nms is not None:
            # torchvision's own batched_nms (its per-class path above 4000 boxes on CPU) re-sorts unstably, so
            # only exact-tie reorderings are tolerated, and recorded
            keep_tv = batched_nms(cand, cscores, clabels, cfg[1])[: cfg[2]]
            if not torch.equal(cand[keep_tv], dets[:, :4]):
                assert torch.equal(cscores[keep_tv], dets[:, 4]), name
                assert sorted(keep_tv.tolist()) == sorted(keep.tolist()), name
                tv_tie_order.append(name)
        arrays[f"{name}_rois"] = rois
        for s, x in enumerate(logits):
            arrays[f"{name}_logits{s}"] = x
        arrays[f"{name}_avg_logits"] = avg.numpy()
        arrays[f"{name}_deltas"] = d
        arrays[f"{name}_meta"] = np.array([ncls, float(agnostic), stages, img_shape[0], img_shape[1], scale[0],
                                           scale[1], *cfg, *stds], dtype=np.float64)
        arrays[f"{name}_dets"] = dets.numpy().astype(np.float32)
        arrays[f"{name}_labels"] = labels.numpy().astype(np.int64)
        print(f"{name}: {n} rois x {ncls} classes, {len(cand)} candidates, {len(dets)} detections, "
              f"labels {np.bincount(labels.numpy(), minlength=ncls).tolist()}")
    np.savez(args.out, **arrays)
    with open(args.out[: -len(".npz")] + ".provenance.txt", "w") as f:
        f.write(f"generated by rs-detectors/src/test/python/export_roi_postprocess.py\n"
                f"python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}, "
                f"torchvision {tv_version}, device cpu, float32\n"
                f"mmdet 2.x BBoxHead.get_bboxes (sigmoid, rescale) + delta2bbox + multiclass_nms and mmcv "
                f"batched_nms (split_thr {SPLIT_THR}) copied in torch; NMS = torchvision.ops.nms, cross-checked "
                f"against torchvision.ops.batched_nms\n"
                f"cascade logits averaged as CascadeRoIHead.simple_test: sum of raw stage logits / num_stages\n"
                f"per-class branch re-sort with stable=True (exact ties: lower (roi, class) flat index first); "
                f"mmcv's literal sort gives a different order in: {literal_differs or 'none'}\n"
                f"torchvision.ops.batched_nms orders exact ties differently in: {tv_tie_order or 'none'}\n")


if __name__ == "__main__":
    main()
