"""Small PyTorch checkpoints for TorchCheckpointTest (rs-core/src/test/resources/weights/).

    python export_pth.py OUT_DIR

Writes, with torch 2.x (CPU):
  mmdet_zip.pth      torch.save's zip format, an mmdetection-style {"meta", "state_dict", "optimizer"} checkpoint
  mmdet_legacy.pth   the same object with _use_new_zipfile_serialization=False (the pre-1.6 format)
  detectron_zip.pth  a detectron2-style {"model": ..., "iteration": ...} checkpoint with DataParallel's "module." prefix
  golden.json        every tensor of the state_dict: shape, dtype and its values in C order (exact as JSON floats)

The state_dict covers what a reader gets wrong: a transposed view, a view with a storage offset and a step,
an expanded (stride 0) view, two tensors sharing one storage, float16, bfloat16, float64, int32, an int64
scalar (num_batches_tracked) and an nn.Parameter. The values are exact in every dtype used.
"""
import collections
import json
import os
import sys

import torch


def state_dict():
    sd = collections.OrderedDict()
    sd["conv.weight"] = (torch.arange(12, dtype=torch.float32) * 0.25 - 1.5).reshape(2, 3, 2)
    base = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.5
    sd["fc.weight_t"] = base.t()  # shape (4, 3), strides (1, 4)
    grid = torch.arange(15, dtype=torch.float32).reshape(3, 5) - 7
    sd["fc.sliced"] = grid[1:, ::2]  # offset 5, strides (5, 2)
    sd["fc.expanded"] = torch.tensor([1.5, -2.0]).expand(3, 2)  # strides (0, 1)
    shared = torch.linspace(-1, 1, 9)
    sd["shared.a"] = shared[:4]
    sd["shared.b"] = shared[4:].view(5, 1)
    sd["bn.weight"] = torch.tensor([1.0, 0.5, -0.25, 65504.0], dtype=torch.float16)
    sd["bn.bias"] = torch.tensor([1.0, -3.5, 0.0078125, 256.0], dtype=torch.bfloat16)
    sd["bn.running_var"] = torch.tensor([0.1, 1e-300, 2.0 ** 0.5], dtype=torch.float64)
    sd["bn.num_batches_tracked"] = torch.tensor(1234567890123, dtype=torch.int64)
    sd["ids"] = torch.tensor([[-7, 0], [2 ** 31 - 1, 3]], dtype=torch.int32)
    sd["param"] = torch.nn.Parameter(torch.tensor([0.125, -0.375]))
    return sd


def value_list(t):
    if t.dtype.is_floating_point:
        return [float(v) for v in t.double().contiguous().reshape(-1).tolist()]
    return [int(v) for v in t.contiguous().reshape(-1).tolist()]


def main(out):
    os.makedirs(out, exist_ok=True)
    sd = state_dict()
    mmdet = {"meta": {"epoch": 12, "iter": 87960, "CLASSES": ("person", "car"), "mmdet_version": "2.28.2", "lr": 0.01},
             "state_dict": sd,
             "optimizer": {"state": {}, "param_groups": [{"lr": 0.02, "momentum": 0.9, "params": [0, 1]}]}}
    torch.save(mmdet, os.path.join(out, "mmdet_zip.pth"))
    torch.save(mmdet, os.path.join(out, "mmdet_legacy.pth"), _use_new_zipfile_serialization=False)
    detectron = {"model": collections.OrderedDict(("module." + k, v) for k, v in sd.items()), "iteration": 90000}
    torch.save(detectron, os.path.join(out, "detectron_zip.pth"))
    golden = collections.OrderedDict(
        (k, {"shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", ""), "values": value_list(v)}) for k, v in sd.items())
    with open(os.path.join(out, "golden.json"), "w") as f:
        json.dump({"torch": torch.__version__, "tensors": golden}, f)


if __name__ == "__main__":
    main(sys.argv[1])
