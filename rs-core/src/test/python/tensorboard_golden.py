"""TensorBoard event files against the reference implementation, for TensorBoardWriterTest (rs-core/src/test/resources/tensorboard/).

    python3 tensorboard_golden.py GOLDEN_DIR      # GOLDEN_DIR: rs-core/src/test/resources/tensorboard

(a) Writes python_scalars.tfevents with PyTorch's torch.utils.tensorboard.SummaryWriter (add_scalar, as mmdetection's
    and detectron2's TensorBoard hooks call it) and python_scalars.json: every simple_value scalar as {tag: [[step, value]]},
    the value being the float32 TensorBoard stored, printed exactly. TensorBoardWriterTest reads the events file with the
    Java reader and expects the same tags, steps and values. One tag is written new-style (a tensor, not a simple_value):
    the Java reader is to pass over it, so it is not in the JSON.
(b) Reads the files TensorBoardWriter wrote (java_scalars.tfevents; java_resume/, a run killed after step 4 and resumed
    at step 3) with TensorBoard's own EventAccumulator and asserts their scalars; then flips one byte of a copy and
    checks that TensorBoard's record reader refuses it. TensorBoardWriterTest checks that the writer still writes
    these files byte for byte.

Run with Python 3.11, torch 2.13.0+cpu and tensorboard 2.21.0 (pip install tensorboard), from the repository root:

    $ python3 rs-core/src/test/python/tensorboard_golden.py rs-core/src/test/resources/tensorboard
    wrote python_scalars.tfevents (4 simple_value tags, 12 points; 1 new-style tag) and python_scalars.json
    java_scalars.tfevents: file_version brain.Event:2
      train/grad_norm  [(1, 12.25), (2, 9.5), (3, 7.0)]
      train/loss  [(1, 1.5), (2, 1.25), (3, 1.0)]
      train/loss_rank  [(1, 0.75), (2, 0.625), (3, 0.5)]
      train/lr  [(1, 0.009999999776482582), (2, 0.019999999552965164), (3, 0.019999999552965164)]
      val/AP  [(3, 0.375)]
      val/AP50  [(3, 0.612500011920929)]
      wall times 1700000001.5 .. 1700000005.5
    Detected out of order event.step likely caused by a TensorFlow restart. Purging expired events from Tensorboard
      display between the previous step: -1 (timestamp: -1) and current step: 3 (timestamp: 1700000001.5). Removing
      2 scalars, 0 histograms, 0 compressed histograms, 0 images, and 0 audio.
    java_resume/: train/loss [(1, 9.0), (2, 8.0), (3, 97.0), (4, 96.0), (5, 95.0)] (steps 3.. of the killed run purged)
    damaged copy refused: DataLossError: <copy> failed event crc32 check
    OK

(TensorBoard's own log line above is the purge of the killed run's steps 3 and 4 at the resumed file's SessionLog
START.) The run also rewrites python_scalars.tfevents; only its first event's wall time changes from run to run.
"""
import json
import os
import shutil
import struct
import sys
import tempfile

from tensorboard.backend.event_processing import event_accumulator
from tensorboard.compat.tensorflow_stub import errors
from tensorboard.compat.tensorflow_stub.pywrap_tensorflow import PyRecordReader_New
from torch.utils.tensorboard import SummaryWriter

PY_SCALARS = {
    "train/loss": [(1, 2.5), (2, 1.75), (3, 0.1), (20, 1e-7)],
    "train/lr": [(1, 0.01), (2, 0.02), (3, 0.02), (20, 0.0)],
    "val/AP": [(3, 0.3125), (20, 0.4567)],
    "train/grad_norm": [(1, -3.0), (2, 65504.0)],
}

JAVA_SCALARS = {
    "train/loss": [(1, 1.5), (2, 1.25), (3, 1.0)],
    "train/loss_rank": [(1, 0.75), (2, 0.625), (3, 0.5)],
    "train/lr": [(1, 0.01), (2, 0.02), (3, 0.02)],
    "train/grad_norm": [(1, 12.25), (2, 9.5), (3, 7.0)],
    "val/AP": [(3, 0.375)],
    "val/AP50": [(3, 0.6125)],
}


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def write_python_golden(golden):
    tmp = tempfile.mkdtemp()
    try:
        w = SummaryWriter(log_dir=tmp)
        wall = 1_700_000_000.0
        points = sorted((step, tag, v) for tag, pts in PY_SCALARS.items() for step, v in pts)
        for i, (step, tag, v) in enumerate(points):
            w.add_scalar(tag, v, global_step=step, walltime=wall + i)
        w.add_scalar("train/new_style", 1.0, global_step=1, walltime=wall, new_style=True)
        w.close()
        (name,) = [n for n in os.listdir(tmp) if "tfevents" in n]
        shutil.copyfile(os.path.join(tmp, name), os.path.join(golden, "python_scalars.tfevents"))
    finally:
        shutil.rmtree(tmp)
    acc = event_accumulator.EventAccumulator(os.path.join(golden, "python_scalars.tfevents"))
    acc.Reload()
    stored = {tag: [[e.step, e.value] for e in acc.Scalars(tag)] for tag in acc.Tags()["scalars"]}
    assert set(stored) == set(PY_SCALARS), stored.keys()
    for tag, pts in PY_SCALARS.items():
        assert stored[tag] == [[s, f32(v)] for s, v in pts], (tag, stored[tag])
    assert "train/new_style" in acc.Tags()["tensors"]
    with open(os.path.join(golden, "python_scalars.json"), "w") as f:
        f.write("{\n" + ",\n".join(' "%s": %s' % (t, json.dumps(stored[t])) for t in sorted(stored)) + "\n}\n")
    print("wrote python_scalars.tfevents (%d simple_value tags, %d points; 1 new-style tag) and python_scalars.json"
          % (len(stored), sum(len(p) for p in stored.values())))


def check_java_golden(golden):
    path = os.path.join(golden, "java_scalars.tfevents")
    acc = event_accumulator.EventAccumulator(path)
    acc.Reload()
    print("java_scalars.tfevents: file_version brain.Event:%d" % acc.file_version)
    assert acc.file_version == 2.0
    assert sorted(acc.Tags()["scalars"]) == sorted(JAVA_SCALARS), acc.Tags()
    walls = []
    for tag in sorted(JAVA_SCALARS):
        got = [(e.step, e.value) for e in acc.Scalars(tag)]
        print("  %s  %s" % (tag, got))
        assert got == [(s, f32(v)) for s, v in JAVA_SCALARS[tag]], (tag, got)
        walls += [e.wall_time for e in acc.Scalars(tag)]
    print("  wall times %s .. %s" % (min(walls), max(walls)))
    assert min(walls) == 1700000001.5 and max(walls) == 1700000005.5

    resume = event_accumulator.EventAccumulator(os.path.join(golden, "java_resume"))
    resume.Reload()
    got = [(e.step, e.value) for e in resume.Scalars("train/loss")]
    print("java_resume/: train/loss %s (steps 3.. of the killed run purged)" % got)
    assert got == [(1, 9.0), (2, 8.0), (3, 97.0), (4, 96.0), (5, 95.0)], got

    data = bytearray(open(path, "rb").read())
    data[len(data) - 20] ^= 0x10
    tmp = tempfile.mkdtemp()
    try:
        damaged = os.path.join(tmp, "events.out.tfevents.1.damaged")
        with open(damaged, "wb") as f:
            f.write(data)
        # TensorBoard's own record reader (the one it uses without TensorFlow); its event loader stops quietly at the
        # error, taking a bad record for one still being written
        reader = PyRecordReader_New(damaged)
        try:
            while True:
                reader.GetNext()
        except errors.DataLossError as e:
            print("damaged copy refused: DataLossError: %s" % e.message.replace(damaged, "<copy>"))
        except errors.OutOfRangeError:
            raise AssertionError("TensorBoard read a damaged file")
    finally:
        shutil.rmtree(tmp)


def main():
    golden = sys.argv[1]
    write_python_golden(golden)
    check_java_golden(golden)
    print("OK")


if __name__ == "__main__":
    main()
