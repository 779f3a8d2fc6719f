"""PAA assignment golden file for PaaAssignerTest / GaussianMixture1dTest: the official routine on fixed inputs.

    python3 rs-detectors/src/test/python/paa_golden.py --out rs-detectors/src/test/resources/golden/paa.npz

Re-states, in torch + scikit-learn, what mmdetection 2.x's PAAHead (and the authors' RankBasedPAAHead, which is the
same there) does between its first assignment and the final labels: MaxIoUAssigner(pos_iou_thr=0.1,
neg_iou_thr=0.1, min_pos_iou=0, gt_max_assign_all) candidates, get_pos_loss (sigmoid focal summed over classes,
reduction 'none', plus loss_weight * GIoU loss, eps 1e-6, both in float32), paa_reassign (per GT and level topk
lowest losses, sort, sklearn GaussianMixture(2, weights_init=[.5,.5], means_init=[min,max],
precisions_init=[[1],[1]], covariance_type='diag', reg_covar=1e-5) fitted on the float32 losses, predict,
score_samples) and gmm_separation_scheme. Versions go to paa.provenance.txt (Nd4j's .npz reader takes numeric
arrays only).

Arrays, per assignment case c in 0..: anchors_c [n,4], level_start_c [L+1], gt_c [g,4], labels_c [g], logits_c
[n,C], pred_c [n,4] (decoded predicted boxes, given directly so the test needs no coder), meta_c = [box_weight,
topk], candidates_c [n] (first stage, 0 bg, k>0 GT k-1), cost_c [n] (0 where not a candidate), assigned_c [n]
(final), fit_c [m, 9] one row per fitted GT: gt, w0, w1, mu0, mu1, var0, var1, n_iter, converged.
Per pure mixture case k: gmm_x_k [m] (float64 data), gmm_fit_k [8] = w0, w1, mu0, mu1, var0, var1, n_iter,
converged, gmm_pred_k [m], gmm_score_k [m].
"""
import argparse
import platform

import numpy as np
import sklearn
import sklearn.mixture as skm
import torch


def max_iou_assign(overlaps, thr):
    """mmdetection's MaxIoUAssigner.assign_wrt_overlaps with pos = neg = thr, min_pos_iou = 0, gt_max_assign_all."""
    n, g = overlaps.shape
    assigned = torch.full((n,), -1, dtype=torch.long)
    max_ov, argmax_ov = overlaps.max(dim=1)
    gt_max_ov, _ = overlaps.max(dim=0)
    assigned[(max_ov >= 0) & (max_ov < thr)] = 0
    pos = max_ov >= thr
    assigned[pos] = argmax_ov[pos] + 1
    for i in range(g):
        if gt_max_ov[i] >= 0:
            assigned[overlaps[:, i] == gt_max_ov[i]] = i + 1
    return assigned


def iou_matrix(a, b):
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    lt = torch.max(a[:, None, :2], b[None, :, :2])
    rb = torch.min(a[:, None, 2:], b[None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    union = torch.clamp(area_a[:, None] + area_b[None, :] - inter, min=1e-6)
    return inter / union


def giou_loss(p, t, eps=1e-6):
    ap = (p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1])
    ag = (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    wh = (torch.min(p[:, 2:], t[:, 2:]) - torch.max(p[:, :2], t[:, :2])).clamp(min=0)
    inter = wh[:, 0] * wh[:, 1]
    union = torch.clamp(ap + ag - inter, min=eps)
    ewh = (torch.max(p[:, 2:], t[:, 2:]) - torch.min(p[:, :2], t[:, :2])).clamp(min=0)
    enclose = torch.clamp(ewh[:, 0] * ewh[:, 1], min=eps)
    return 1 - (inter / union - (enclose - union) / enclose)


def focal(logits, labels, alpha=0.25, gamma=2.0):
    """mmdetection's py_sigmoid_focal_loss with reduction 'none', summed over classes as get_pos_loss does."""
    target = torch.nn.functional.one_hot(labels, logits.shape[1]).to(logits.dtype)
    p = logits.sigmoid()
    pt = (1 - p) * target + p * (1 - target)
    w = (alpha * target + (1 - alpha) * (1 - target)) * pt.pow(gamma)
    return (torch.nn.functional.binary_cross_entropy_with_logits(logits, target, reduction="none") * w).sum(-1)


def fit_gmm(x):
    """Exactly the official call (float32 data, float64 inits)."""
    x = x.reshape(-1, 1)
    means_init = np.array([x.min(), x.max()]).reshape(2, 1)
    gmm = skm.GaussianMixture(2, weights_init=np.array([0.5, 0.5]), means_init=means_init,
                              precisions_init=np.array([1.0, 1.0]).reshape(2, 1), covariance_type="diag", reg_covar=1e-5)
    gmm.fit(x)
    return gmm


def fit_row(gmm):
    return [gmm.weights_[0], gmm.weights_[1], gmm.means_[0, 0], gmm.means_[1, 0], gmm.covariances_[0, 0],
            gmm.covariances_[1, 0], gmm.n_iter_, float(gmm.converged_)]


def paa_case(gen, levels, strides, img, num_gt, classes, box_weight, topk):
    anchors, level_start = [], [0]
    for s, size in zip(strides, levels):
        ys, xs = np.meshgrid(np.arange(size), np.arange(size), indexing="ij")
        cx, cy = (xs.ravel() + 0.5) * s, (ys.ravel() + 0.5) * s
        half = 4 * s / 2
        anchors.append(np.stack([cx - half, cy - half, cx + half, cy + half], 1))
        level_start.append(level_start[-1] + size * size)
    anchors = np.concatenate(anchors).astype(np.float32)
    n = len(anchors)
    gts = []
    for _ in range(num_gt):
        w, h = gen.uniform(12, img * 0.6, 2)
        x1, y1 = gen.uniform(0, img - w), gen.uniform(0, img - h)
        gts.append([x1, y1, x1 + w, y1 + h])
    gt = np.array(gts, dtype=np.float32)
    labels = gen.integers(0, classes, num_gt)
    logits = (gen.standard_normal((n, classes)) * 2 - 1).astype(np.float32)
    aw = anchors[:, 2:] - anchors[:, :2]
    pred = (anchors + np.concatenate([aw, aw], 1) * gen.normal(0, 0.15, (n, 4))).astype(np.float32)
    pred[:, 2:] = np.maximum(pred[:, 2:], pred[:, :2] + 1)

    t_anchors, t_gt = torch.from_numpy(anchors), torch.from_numpy(gt)
    cand = max_iou_assign(iou_matrix(t_anchors, t_gt), 0.1)
    pos_inds = (cand > 0).nonzero().view(-1)
    pos_gt = cand[pos_inds] - 1
    t_logits, t_pred = torch.from_numpy(logits), torch.from_numpy(pred)
    pos_losses = focal(t_logits[pos_inds], torch.from_numpy(labels)[pos_gt]) + box_weight * giou_loss(t_pred[pos_inds], t_gt[pos_gt])
    cost = np.zeros(n, dtype=np.float32)
    cost[pos_inds.numpy()] = pos_losses.numpy()

    # paa_reassign, as the official code
    lvl = np.array(level_start)
    pos_level_mask = [(pos_inds >= lvl[i]) & (pos_inds < lvl[i + 1]) for i in range(len(levels))]
    after, fits = [], []
    for g in range(int(pos_gt.max()) + 1 if len(pos_gt) else 0):
        gt_mask = pos_gt == g
        inds_gmm, loss_gmm = [], []
        for level in range(len(levels)):
            m = pos_level_mask[level] & gt_mask
            value, topk_inds = pos_losses[m].topk(min(int(m.sum()), topk), largest=False)
            inds_gmm.append(pos_inds[m][topk_inds])
            loss_gmm.append(value)
        inds_gmm, loss_gmm = torch.cat(inds_gmm), torch.cat(loss_gmm)
        if len(inds_gmm) < 2:
            continue
        loss_gmm, sort_inds = loss_gmm.sort()
        inds_gmm = inds_gmm[sort_inds]
        x = loss_gmm.view(-1, 1).numpy()
        gmm = fit_gmm(x)
        assignment = torch.from_numpy(gmm.predict(x))
        scores = torch.from_numpy(gmm.score_samples(x))
        fgs = assignment == 0
        if fgs.nonzero().numel():
            _, thr_ind = scores[fgs].topk(1)
            after.append(inds_gmm[fgs][:thr_ind + 1])
        fits.append([g] + fit_row(gmm))
    assigned = torch.where(cand < 0, cand, torch.zeros_like(cand))
    for inds in after:
        assigned[inds] = cand[inds]
    return {"anchors": anchors, "level_start": np.array(level_start, dtype=np.float64), "gt": gt,
            "labels": labels.astype(np.float64), "logits": logits, "pred": pred,
            "meta": np.array([box_weight, topk], dtype=np.float64), "candidates": cand.numpy().astype(np.float64),
            "cost": cost, "assigned": assigned.numpy().astype(np.float64),
            "fit": np.array(fits, dtype=np.float64).reshape(-1, 9)}


def gmm_case(x):
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    gmm = fit_gmm(x)
    return {"x": x.ravel(), "fit": np.array(fit_row(gmm)), "pred": gmm.predict(x).astype(np.float64), "score": gmm.score_samples(x)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    out = ap.parse_args().out
    gen = np.random.default_rng(20261207)
    arrays = {}
    cases = [paa_case(gen, [16, 8, 4], [8, 16, 32], 128, 3, 5, 1.3, 9),
             paa_case(gen, [16, 8, 4], [8, 16, 32], 128, 5, 4, 1.0, 9),
             paa_case(gen, [20, 10, 5, 3], [8, 16, 32, 64], 160, 4, 3, 1.0, 4)]
    for c, case in enumerate(cases):
        for k, v in case.items():
            arrays[f"{k}_{c}"] = v
    mixtures = [gen.normal(0, 1, 12) * 0.3 + np.r_[np.zeros(6), np.ones(6) * 2.5],  # two clear modes
                np.r_[gen.gamma(2.0, 0.2, 20) + 0.4, gen.gamma(2.0, 0.4, 7) + 1.8],  # PAA-like skewed losses
                [0.7, 0.7, 0.7, 0.7, 1.9],  # ties: a component of equal samples lives on reg_covar
                [1.0, 3.0],  # two samples
                gen.uniform(0.2, 2.2, 40)]  # no structure
    for k, x in enumerate(mixtures):
        for name, v in gmm_case(x).items():
            arrays[f"gmm_{name}_{k}"] = v
    np.savez(out, **arrays)
    with open(out.replace(".npz", ".provenance.txt"), "w") as f:
        f.write(f"paa_golden.py: python {platform.python_version()}, numpy {np.__version__}, torch {torch.__version__}, "
                f"scikit-learn {sklearn.__version__}\n")
        for c, case in enumerate(cases):
            f.write(f"case {c}: {len(case['anchors'])} anchors, {len(case['gt'])} GTs, "
                    f"{int((case['candidates'] > 0).sum())} candidates, {int((case['assigned'] > 0).sum())} positives, "
                    f"{len(case['fit'])} mixtures\n")


if __name__ == "__main__":
    main()
