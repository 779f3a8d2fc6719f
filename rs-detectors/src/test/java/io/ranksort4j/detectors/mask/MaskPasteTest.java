package io.ranksort4j.detectors.mask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ranksort4j.eval.mask.Rle;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class MaskPasteTest {

    /**
     * grid_sample's definition in double precision: the sample point of a pixel centre in mask cell coordinates,
     * then the sum over every mask cell of its value times the tent weights, zero outside the mask.
     */
    private static double[] definitional(float[] m, int mh, int mw, float[] box, int h, int w) {
        double[] out = new double[h * w];
        for (int y = 0; y < h; y++) {
            double v = sample(y, box[1], box[3], mh);
            for (int x = 0; x < w; x++) {
                double u = sample(x, box[0], box[2], mw);
                double sum = 0;
                for (int j = 0; j < mh; j++) {
                    double wy = Math.max(0, 1 - Math.abs(v - j));
                    for (int i = 0; i < mw; i++) {
                        double wx = Math.max(0, 1 - Math.abs(u - i));
                        sum += m[j * mw + i] * wy * wx;
                    }
                }
                out[y * w + x] = Double.isNaN(u) || Double.isNaN(v) ? Double.NaN : sum;
            }
        }
        return out;
    }

    private static double sample(int pixel, double a, double b, int n) {
        double g = (pixel + 0.5 - a) / (b - a) * 2 - 1;
        if (Double.isInfinite(g)) {
            g = 0; // mmdet replaces the infinities of zero-size boxes by 0
        }
        return (g + 1) * n / 2 - 0.5;
    }

    private static float[] randomMask(Random r, int n) {
        float[] m = new float[n];
        for (int i = 0; i < n; i++) {
            m[i] = r.nextFloat();
        }
        return m;
    }

    private static float[] randomBox(Random r, int h, int w) {
        float cx = (float) (w * (r.nextDouble() * 1.4 - 0.2));
        float cy = (float) (h * (r.nextDouble() * 1.4 - 0.2));
        // log-uniform sizes: sub-pixel boxes up to boxes larger than the image
        float bw = (float) (Math.exp(r.nextDouble() * Math.log(150 * w)) / 100);
        float bh = (float) (Math.exp(r.nextDouble() * Math.log(150 * h)) / 100);
        return new float[] {cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2};
    }

    @Test
    void matchesTheDefinitionalBilinearPasteOnRandomMasksAndBoxes() {
        Random r = new Random(6);
        int h = 37, w = 53;
        int closeToThreshold = 0;
        for (int t = 0; t < 300; t++) {
            int mh = t % 5 == 0 ? 14 : 28, mw = t % 5 == 0 ? 20 : 28;
            float[] m = randomMask(r, mh * mw);
            float[] box = randomBox(r, h, w);
            if (t % 17 == 0) {
                box = new float[] {box[2], box[3], box[0], box[1]}; // inverted: the mask is mirrored
            }
            double[] ref = definitional(m, mh, mw, box, h, w);
            float[] p = MaskPaster.probabilities(m, 0, mh, mw, box, h, w);
            MaskPaster.Pasted pasted = MaskPaster.paste(m, 0, mh, mw, box, h, w, 0.5f);
            int[] win = MaskPaster.window(box, mh, mw, h, w, 0.5f);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = y * w + x;
                    // float grid arithmetic moves a sample point by a few 1e-6 cells, hence the tolerance
                    String where = "case " + t + " box " + java.util.Arrays.toString(box) + " pixel (" + y + ", " + x + ")";
                    assertThat((double) p[i]).as(where).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-5));
                    if (ref[i] != 0) {
                        assertThat(y >= win[0] && y < win[1] && x >= win[2] && x < win[3]).as("window holds " + where).isTrue();
                    }
                    if (Math.abs(ref[i] - 0.5) > 1e-5) {
                        assertThat(pasted.get(y, x)).as(where).isEqualTo(ref[i] >= 0.5);
                    } else {
                        closeToThreshold++;
                    }
                }
            }
        }
        System.out.println("definitional paste: pixels within 1e-5 of the threshold, binary not compared: " + closeToThreshold);
    }

    @Test
    void zeroSizeBoxesFollowMmdetsInfinityRule() {
        float[] m = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                m[y * 28 + x] = x == 13 || x == 14 ? 1f : 0.25f;
            }
        }
        // x0 == x1 on a pixel centre: that column is 0/0 = NaN (never foreground), the rest sample the mask's
        // middle (grid 0 lies between columns 13 and 14), so whole rows light up across the image
        float[] box = {10.5f, 4f, 10.5f, 20f};
        MaskPaster.Pasted p = MaskPaster.paste(m, 28, box, 30, 40);
        float[] prob = MaskPaster.probabilities(m, 0, 28, 28, box, 30, 40);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                boolean inRows = y >= 4 && y < 20;
                assertThat(p.get(y, x)).as("(%d, %d)", y, x).isEqualTo(inRows && x != 10);
                if (x == 10) {
                    assertThat(prob[y * 40 + x]).isNaN();
                }
            }
        }
        double[] ref = definitional(m, 28, 28, box, 30, 40);
        for (int i = 0; i < ref.length; i++) {
            if (Double.isNaN(ref[i])) {
                assertThat(prob[i]).isNaN();
                continue;
            }
            assertThat((double) prob[i]).isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-6));
        }
    }

    @Test
    void aNonPositiveThresholdCoversTheWholeImage() {
        float[] m = randomMask(new Random(1), 28 * 28);
        MaskPaster.Pasted p = MaskPaster.paste(m, 0, 28, 28, new float[] {5, 5, 9, 9}, 20, 30, 0f);
        assertThat(p.area()).isEqualTo(600);
        assertThat(MaskPaster.paste(m, 0, 28, 28, new float[] {50, 50, 60, 60}, 20, 30, 0.5f).area()).isZero();
        assertThatThrownBy(() -> MaskPaster.paste(m, 10, 28, 28, new float[] {5, 5, 9, 9}, 20, 30, 0.5f))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rleRoundTripGivesTheSameMaskAreaAndBox() {
        Random r = new Random(66);
        int h = 45, w = 61;
        for (int t = 0; t < 200; t++) {
            float[] m = randomMask(r, 28 * 28);
            MaskPaster.Pasted p = MaskPaster.paste(m, 28, randomBox(r, h, w), h, w);
            boolean[] rowMajor = p.toRowMajor();
            boolean[] colMajor = new boolean[h * w];
            long area = 0;
            int xs = w, ys = h, xe = -1, ye = -1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    boolean b = rowMajor[y * w + x];
                    assertThat(b).isEqualTo(p.get(y, x));
                    colMajor[x * h + y] = b;
                    if (b) {
                        area++;
                        xs = Math.min(xs, x);
                        xe = Math.max(xe, x);
                        ys = Math.min(ys, y);
                        ye = Math.max(ye, y);
                    }
                }
            }
            Rle rle = p.toRle();
            assertThat(rle).isEqualTo(Rle.encode(colMajor, h, w));
            String s = rle.toCompressedString();
            Rle back = Rle.fromCompressedString(s, h, w);
            assertThat(back).isEqualTo(rle);
            assertThat(back.decode()).isEqualTo(colMajor);
            assertThat(back.area()).isEqualTo(area).isEqualTo(p.area());
            double[] bbox = area == 0 ? new double[4] : new double[] {xs, ys, xe - xs + 1, ye - ys + 1};
            assertThat(back.toBbox()).containsExactly(bbox);
            double[] ab = Rle.areaAndBoxOfCompressed(s, h, w);
            assertThat(ab).containsExactly(area, bbox[0], bbox[1], bbox[2], bbox[3]);
        }
    }

    /** Nd4j reads only stored .npz members, so the golden file is gzipped whole and unpacked here. */
    private Map<String, INDArray> readGzippedNpz(String resource) throws Exception {
        Path tmp = Files.createTempFile("mask_paste", ".npz");
        try (InputStream in = new GZIPInputStream(getClass().getResourceAsStream(resource))) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return Nd4j.createFromNpzFile(tmp.toFile());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static float[] flat(Map<String, INDArray> m, String key) {
        return Nd4j.toFlattened('c', m.get(key).castTo(DataType.FLOAT)).toFloatVector();
    }

    private static int[] ints(Map<String, INDArray> m, String key) {
        return Nd4j.toFlattened('c', m.get(key).castTo(DataType.INT)).toIntVector();
    }

    private static double[] doubles(Map<String, INDArray> m, String key) {
        return Nd4j.toFlattened('c', m.get(key).castTo(DataType.DOUBLE)).toDoubleVector();
    }

    @Test
    void matchesTorchPasteAndPycocotoolsCountsStrings() throws Exception {
        Map<String, INDArray> g = readGzippedNpz("/golden/mask_paste/mask_paste.npz.gz");
        float[] meta = flat(g, "meta");
        int n = (int) meta[0], m = (int) meta[1], h = (int) meta[2], w = (int) meta[3];
        float thr = meta[4];
        float[] masks = flat(g, "masks");
        float[] boxes = flat(g, "boxes");
        float[] probs = flat(g, "probs");
        int[] binary = ints(g, "binary");
        int[] chars = ints(g, "counts_chars");
        int[] offsets = ints(g, "counts_offsets");
        double[] areas = doubles(g, "areas");
        double[] bboxes = doubles(g, "bboxes");
        int near = 0;
        for (int k = 0; k < n; k++) {
            float[] box = java.util.Arrays.copyOfRange(boxes, 4 * k, 4 * k + 4);
            float[] p = MaskPaster.probabilities(masks, k * m * m, m, m, box, h, w);
            MaskPaster.Pasted pasted = MaskPaster.paste(masks, k * m * m, m, m, box, h, w, thr);
            for (int i = 0; i < h * w; i++) {
                float want = probs[k * h * w + i];
                // bit-identical, NaN included: the FMA placement mirrors torch's CPU kernel
                assertThat(Float.floatToIntBits(p[i])).as("mask %d pixel %d: %s vs torch %s", k, i, p[i], want)
                        .isEqualTo(Float.floatToIntBits(want));
                if (Math.abs(want - thr) <= 1e-6f) {
                    near++;
                } else {
                    assertThat(pasted.get(i / w, i % w)).as("mask %d pixel %d", k, i).isEqualTo(binary[k * h * w + i] != 0);
                }
            }
            StringBuilder counts = new StringBuilder();
            for (int j = offsets[k]; j < offsets[k + 1]; j++) {
                counts.append((char) chars[j]);
            }
            Rle rle = pasted.toRle();
            assertThat(rle.toCompressedString()).as("mask %d counts", k).isEqualTo(counts.toString());
            assertThat((double) rle.area()).isEqualTo(areas[k]);
            assertThat(rle.toBbox()).containsExactly(java.util.Arrays.copyOfRange(bboxes, 4 * k, 4 * k + 4));
        }
        System.out.println("mask paste golden: " + n + " masks bit-identical to torch; pixels within 1e-6 of the threshold: " + near);
    }
}
