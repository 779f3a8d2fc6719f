package io.ranksort4j.data.transform;

import io.ranksort4j.data.coco.Annotation;
import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.ImageInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a dataset image into a {@link Sample}: decode, choose a scale, keep-ratio resize, maybe flip,
 * normalise; ground truth follows. All randomness comes from the caller's stream, so a sample depends only
 * on (seed, epoch, position), never on which worker made it.
 */
public final class Pipeline {
    private final TransformParams p;
    private final float[] mean;
    private final float[] std;

    public Pipeline(TransformParams params) {
        this.p = params;
        this.mean = toFloats(params.mean());
        this.std = toFloats(params.std());
    }

    public TransformParams params() {
        return p;
    }

    /** Transforms image {@code index} of {@code dataset}, drawing scale and flip from {@code r}. */
    public Sample apply(Dataset dataset, int index, SplittableRandom r) {
        ImageInfo info = dataset.image(index);
        Path file = dataset.imagePath(info);
        int[] scale = chooseScale(r);
        boolean flip = p.flipProb() > 0 && r.nextDouble() < p.flipProb();
        int[] out = outputSize(info.width(), info.height(), scale);
        // Fast path: OpenCV decodes and resizes (SIMD, 8-bit as mmdetection's cv2 pipeline); Java normalises.
        DecodedImage resized = ImageDecoder.decodeResized(file, info.width(), info.height(), out[0], out[1]);
        if (resized != null) {
            float[] chw = Resize.normalize(resized, flip, mean, std);
            return finish(dataset, index, info.width(), info.height(), out[0], out[1], chw, flip);
        }
        DecodedImage img = ImageDecoder.decode(file);
        if (img.width() != info.width() || img.height() != info.height()) {
            throw new ImageLoadException(file, "decoded size " + img.width() + "×" + img.height() + " differs from the annotation's "
                    + info.width() + "×" + info.height(), null);
        }
        return transform(dataset, index, img, scale, flip);
    }

    /** The resized size of a {@code w × h} image for {@code scale}. */
    int[] outputSize(int w, int h, int[] scale) {
        return p.keepRatio() ? Resize.keepRatioSize(w, h, scale[0], scale[1]) : new int[] {scale[0], scale[1]};
    }

    /** The deterministic part with the Java resize, for tests and for callers that decode themselves. */
    public Sample transform(Dataset dataset, int index, DecodedImage img, int[] scale, boolean flip) {
        int[] out = outputSize(img.width(), img.height(), scale);
        float[] chw = Resize.resizeNormalize(img, out[0], out[1], flip, mean, std);
        return finish(dataset, index, img.width(), img.height(), out[0], out[1], chw, flip);
    }

    private Sample finish(Dataset dataset, int index, int w0, int h0, int ow, int oh, float[] chw, boolean flip) {
        ImageInfo info = dataset.image(index);
        double sx = (double) ow / w0;
        double sy = (double) oh / h0;

        List<Annotation> anns = dataset.annotations(info.id());
        float[] boxes = new float[anns.size() * 4];
        int[] labels = new int[anns.size()];
        float[] ignore = new float[anns.size() * 4];
        List<byte[]> masks = p.withMasks() ? new ArrayList<>() : null;
        int n = 0;
        int ni = 0;
        for (Annotation a : anns) {
            if (a.w() < p.minBoxSize() || a.h() < p.minBoxSize()) {
                continue;
            }
            float[] dst = a.iscrowd() ? ignore : boxes;
            int o = (a.iscrowd() ? ni : n) * 4;
            dst[o] = (float) a.x();
            dst[o + 1] = (float) a.y();
            dst[o + 2] = (float) a.x2();
            dst[o + 3] = (float) a.y2();
            if (a.iscrowd()) {
                ni++;
                continue;
            }
            labels[n++] = dataset.labelOf(a.categoryId());
            if (masks != null) {
                byte[] m = a.segmentation() == null ? boxMask(a, sx, sy, ow, oh) : Masks.toBitmap(a.segmentation(), w0, h0, ow, oh);
                if (flip) {
                    Flip.mask(m, ow, oh);
                }
                masks.add(m);
            }
        }
        boxes = Arrays.copyOf(boxes, n * 4);
        labels = Arrays.copyOf(labels, n);
        ignore = Arrays.copyOf(ignore, ni * 4);
        Resize.scaleBoxes(boxes, sx, sy, ow, oh);
        Resize.scaleBoxes(ignore, sx, sy, ow, oh);
        if (flip) {
            Flip.boxes(boxes, ow);
            Flip.boxes(ignore, ow);
        }
        ImageMeta meta = new ImageMeta(info.id(), index, dataset.imagePath(info), w0, h0, ow, oh, sx, sy, flip, ow, oh);
        return new Sample(meta, chw, new Target(boxes, labels, ignore, masks));
    }

    /** A box-shaped mask for annotations without a segmentation. */
    private static byte[] boxMask(Annotation a, double sx, double sy, int w, int h) {
        byte[] m = new byte[w * h];
        int x1 = (int) Math.max(0, Math.floor(a.x() * sx));
        int x2 = (int) Math.min(w, Math.ceil(a.x2() * sx));
        int y1 = (int) Math.max(0, Math.floor(a.y() * sy));
        int y2 = (int) Math.min(h, Math.ceil(a.y2() * sy));
        for (int y = y1; y < y2; y++) {
            Arrays.fill(m, y * w + x1, y * w + Math.max(x1, x2), (byte) 1);
        }
        return m;
    }

    /** One (long, short) scale: one of the list ("value"), or edges sampled between the first two ("range"). */
    int[] chooseScale(SplittableRandom r) {
        List<List<Integer>> s = p.scales();
        if (s.size() == 1) {
            return new int[] {s.get(0).get(0), s.get(0).get(1)};
        }
        if (p.multiScale() == TransformParams.MultiScale.VALUE) {
            List<Integer> c = s.get(r.nextInt(s.size()));
            return new int[] {c.get(0), c.get(1)};
        }
        int l0 = Math.max(s.get(0).get(0), s.get(0).get(1));
        int l1 = Math.max(s.get(1).get(0), s.get(1).get(1));
        int s0 = Math.min(s.get(0).get(0), s.get(0).get(1));
        int s1 = Math.min(s.get(1).get(0), s.get(1).get(1));
        int lo = Math.min(l0, l1) + r.nextInt(Math.abs(l1 - l0) + 1);
        int sh = Math.min(s0, s1) + r.nextInt(Math.abs(s1 - s0) + 1);
        return new int[] {lo, sh};
    }

    private static float[] toFloats(List<Double> xs) {
        float[] f = new float[xs.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = xs.get(i).floatValue();
        }
        return f;
    }
}
