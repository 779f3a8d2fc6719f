"""RPN proposal golden file for ProposalGeneratorTest: mmdetection 2.x's RPNHead._get_bboxes_single and
_bbox_post_process (v2.18+ wording), with mmcv's batched_nms, copied here in torch because mmdet isn't installed.

    python export_rpn_proposals.py --out rs-detectors/src/test/resources/golden/rpn_proposals.npz

A fixed-seed case: a 64x64 padded input, RS-Faster R-CNN's RPN anchors (scale 8, ratios 0.5/1/2, strides
4..64, so 5 levels with 3 anchors per location), two images with img_shape smaller than the padded size,
random logits (with some exact ties injected) and deltas (a few beyond wh_ratio_clip), DeltaXYWHBBoxCoder with
means 0 and stds 1, and four proposal configs (test, train, one that truncates per level and per image, one
with min_bbox_size > 0). NMS is torchvision.ops.nms (same kernel semantics as mmcv's nms: IoU > thr suppresses,
offset 0, float32), applied through mmcv's batched_nms coordinate trick; torchvision.ops.batched_nms must keep the
same boxes. Run on CPU in float32. Saved with np.savez (Nd4j cannot read compressed members); everything is
float32. Versions go to a sidecar .provenance.txt.
"""
import argparse
import platform

import numpy as np
import torch

STRIDES = [4, 8, 16, 32, 64]
RATIOS = [0.5, 1.0, 2.0]
SCALES = [8.0]
PAD = 64
# (nms_pre, max_per_img, iou_threshold, min_bbox_size)
CONFIGS = [(1000, 1000, 0.7, 0.0), (2000, 1000, 0.7, 0.0), (100, 60, 0.7, 0.0), (300, 200, 0.5, 2.0)]
IMG_SHAPES = [(60, 52), (64, 47)]  # (h, w), as mmdet's img_meta['img_shape']


def base_anchors(base_size):
    """mmdet AnchorGenerator.gen_single_level_base_anchors, center_offset 0, scale_major."""
    w = h = base_size
    x_center, y_center = 0.0, 0.0
    ratios = torch.tensor(RATIOS)
    scales = torch.tensor(SCALES)
    h_ratios = torch.sqrt(ratios)
    w_ratios = 1 / h_ratios
    ws = (w * w_ratios[None, :] * scales[:, None]).view(-1)
    hs = (h * h_ratios[None, :] * scales[:, None]).view(-1)
    return torch.stack([x_center - 0.5 * ws, y_center - 0.5 * hs, x_center + 0.5 * ws, y_center + 0.5 * hs], -1)


def grid_anchors(base, featmap_size, stride):
    """mmdet AnchorGenerator.single_level_grid_priors: shifts row-major, (location, anchor) order."""
    feat_h, feat_w = featmap_size
    shift_x = torch.arange(0, feat_w) * stride
    shift_y = torch.arange(0, feat_h) * stride
    shift_xx = shift_x.repeat(len(shift_y))
    shift_yy = shift_y.view(-1, 1).repeat(1, len(shift_x)).view(-1)
    shifts = torch.stack([shift_xx, shift_yy, shift_xx, shift_yy], dim=-1).float()
    return (base[None, :, :] + shifts[:, None, :]).view(-1, 4)


def delta2bbox(rois, deltas, max_shape, means=(0., 0., 0., 0.), stds=(1., 1., 1., 1.), wh_ratio_clip=16 / 1000):
    """mmdet 2.x delta2bbox (clip_border=True, add_ctr_clamp=False)."""
    means = deltas.new_tensor(means).view(1, -1)
    stds = deltas.new_tensor(stds).view(1, -1)
    denorm_deltas = deltas * stds + means
    dxy = denorm_deltas[:, :2]
    dwh = denorm_deltas[:, 2:]
    pxy = ((rois[:, :2] + rois[:, 2:]) * 0.5)
    pwh = (rois[:, 2:] - rois[:, :2])
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
    return bboxes


def mmcv_batched_nms(boxes, scores, idxs, iou_threshold, nms):
    """mmcv.ops.batched_nms, class_agnostic=False, below split_thr (10000): the coordinate trick."""
    max_coordinate = boxes.max()
    offsets = idxs.to(boxes) * (max_coordinate + torch.tensor(1).to(boxes))
    boxes_for_nms = boxes + offsets[:, None]
    keep = nms(boxes_for_nms, scores, iou_threshold)
    dets = torch.cat([boxes[keep], scores[keep][:, None]], -1)
    return dets, keep


def get_bboxes_single(cls_score_list, bbox_pred_list, mlvl_anchors, img_shape, cfg, nms, stable=True):
    """RPNHead._get_bboxes_single + _bbox_post_process, with_nms=True, use_sigmoid_cls=True.

    mmdet calls scores.sort(descending=True), whose order of exact ties torch leaves unspecified (and CPU torch
    2.x does reorder them); stable=True pins ties to the lower anchor index, the rule the Java side follows.
    """
    nms_pre, max_per_img, iou_thr, min_bbox_size = cfg
    level_ids, mlvl_scores, mlvl_bbox_preds, mlvl_valid_anchors = [], [], [], []
    for level_idx in range(len(cls_score_list)):
        rpn_cls_score = cls_score_list[level_idx].permute(1, 2, 0).reshape(-1)
        scores = rpn_cls_score.sigmoid()
        rpn_bbox_pred = bbox_pred_list[level_idx].permute(1, 2, 0).reshape(-1, 4)
        anchors = mlvl_anchors[level_idx]
        if 0 < nms_pre < scores.shape[0]:
            ranked_scores, rank_inds = scores.sort(descending=True, stable=stable)
            topk_inds = rank_inds[:nms_pre]
            scores = ranked_scores[:nms_pre]
            rpn_bbox_pred = rpn_bbox_pred[topk_inds, :]
            anchors = anchors[topk_inds, :]
        mlvl_scores.append(scores)
        mlvl_bbox_preds.append(rpn_bbox_pred)
        mlvl_valid_anchors.append(anchors)
        level_ids.append(scores.new_full((scores.size(0),), level_idx, dtype=torch.long))
    scores = torch.cat(mlvl_scores)
    anchors = torch.cat(mlvl_valid_anchors)
    rpn_bbox_pred = torch.cat(mlvl_bbox_preds)
    proposals = delta2bbox(anchors, rpn_bbox_pred, max_shape=img_shape)
    ids = torch.cat(level_ids)
    if min_bbox_size >= 0:
        w = proposals[:, 2] - proposals[:, 0]
        h = proposals[:, 3] - proposals[:, 1]
        valid_mask = (w > min_bbox_size) & (h > min_bbox_size)
        if not valid_mask.all():
            proposals = proposals[valid_mask]
            scores = scores[valid_mask]
            ids = ids[valid_mask]
    dets, keep = mmcv_batched_nms(proposals, scores, ids, iou_thr, nms)
    return dets[:max_per_img], ids[keep][:max_per_img], (proposals, scores, ids)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    import torchvision
    from torchvision.ops import batched_nms, nms

    # the NMS kernel must order exact ties by index too: of two equal boxes with equal scores, the first stays
    tie = torch.tensor([[0., 0., 10., 10.]] * 3)
    assert nms(tie, torch.tensor([0.5, 0.5, 0.5]), 0.7).tolist() == [0], "torchvision nms is not stable on ties"
    literal_differs = []
    gen = np.random.default_rng(20261125)
    sizes = [((PAD + s - 1) // s, (PAD + s - 1) // s) for s in STRIDES]
    mlvl_anchors = [grid_anchors(base_anchors(s), sz, s) for s, sz in zip(STRIDES, sizes)]
    a = len(RATIOS) * len(SCALES)
    arrays = {"anchors": torch.cat(mlvl_anchors).numpy(),
              "configs": np.array(CONFIGS, dtype=np.float32),
              "img_shapes": np.array(IMG_SHAPES, dtype=np.float32)}
    for i, img_shape in enumerate(IMG_SHAPES):
        cls = [gen.standard_normal((a, h, w)).astype(np.float32) * 2 for h, w in sizes]
        reg = [gen.standard_normal((4 * a, h, w)).astype(np.float32) for h, w in sizes]
        for r in reg:
            r.reshape(a, 4, -1)[:, :2] *= 0.3  # centre shifts of a fraction of the anchor, as a trained RPN gives
        # exact score ties, within a level (also across the nms_pre cut) and across levels
        cls[0].reshape(-1)[100:140] = cls[0].reshape(-1)[0:40]
        cls[0].reshape(-1)[7::50] = 1.5
        cls[1].reshape(-1)[5::20] = 1.5
        cls[2].reshape(-1)[:] = np.round(cls[2].reshape(-1) * 2) / 2
        # a few log-size deltas beyond wh_ratio_clip
        reg[1].reshape(-1)[2::37] = 6.0
        reg[0].reshape(-1)[3::53] = -6.0
        cls_t = [torch.from_numpy(c) for c in cls]
        reg_t = [torch.from_numpy(r) for r in reg]
        arrays[f"img{i}_logits"] = torch.cat([c.permute(1, 2, 0).reshape(-1) for c in cls_t]).numpy()
        arrays[f"img{i}_deltas"] = torch.cat([r.permute(1, 2, 0).reshape(-1, 4) for r in reg_t]).numpy()
        for j, cfg in enumerate(CONFIGS):
            dets, levels, (props, scores, ids) = get_bboxes_single(cls_t, reg_t, mlvl_anchors, img_shape, cfg, nms)
            lit, _, _ = get_bboxes_single(cls_t, reg_t, mlvl_anchors, img_shape, cfg, nms, stable=False)
            if not torch.equal(lit, dets):
                literal_differs.append(f"img{i}_cfg{j}")
            # torchvision's own batched_nms must agree (it may take its per-level path on CPU)
            keep_tv = batched_nms(props, scores, ids, cfg[2])[: cfg[1]]
            assert torch.equal(props[keep_tv], dets[:, :4]), (i, j)
            arrays[f"img{i}_cfg{j}_dets"] = dets.numpy().astype(np.float32)
            arrays[f"img{i}_cfg{j}_levels"] = levels.numpy().astype(np.float32)
            print(f"img{i} cfg{j} {cfg}: {len(props)} candidates, {len(dets)} proposals, "
                  f"levels {np.bincount(levels.numpy(), minlength=5).tolist()}")
    np.savez(out, **arrays)
    with open(out[: -len(".npz")] + ".provenance.txt", "w") as f:
        f.write(f"generated by rs-detectors/src/test/python/export_rpn_proposals.py\n"
                f"python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}, "
                f"torchvision {torchvision.__version__}, device cpu, float32\n"
                f"mmdet RPNHead._get_bboxes_single/_bbox_post_process (2.18+) and mmcv batched_nms copied in torch; "
                f"NMS = torchvision.ops.nms, cross-checked against torchvision.ops.batched_nms\n"
                f"top-k sort with stable=True (exact ties: lower anchor index first); mmdet's literal "
                f"scores.sort(descending=True) gives a different tie order in: {literal_differs or 'none'}\n")


if __name__ == "__main__":
    main()
