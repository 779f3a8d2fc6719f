package io.ranksort4j.detectors.anchor;

import java.util.List;

/**
 * Anchors with mmdetection v2 semantics: base anchors centred on (0, 0) (center_offset 0), ratio-major then
 * scale order, shifted by stride over a row-major grid; the flat order is level, y, x, anchor, as the heads'
 * outputs are flattened.
 */
public final class AnchorGenerator {
    private final AnchorParams params;
    private final double[][] base; // per level: 4·A base anchor coordinates

    public AnchorGenerator(AnchorParams params) {
        this.params = params;
        List<Integer> strides = params.strides();
        base = new double[strides.size()][];
        int spo = params.scalesPerOctave();
        int a = params.perLocation();
        for (int l = 0; l < strides.size(); l++) {
            double size = strides.get(l);
            double[] b = new double[4 * a];
            int k = 0;
            for (double ratio : params.ratios()) {
                double hr = Math.sqrt(ratio);
                double wr = 1 / hr;
                for (int s = 0; s < spo; s++) {
                    double scale = params.octaveBaseScale() * Math.pow(2, (double) s / spo);
                    double w = size * wr * scale;
                    double h = size * hr * scale;
                    b[4 * k] = -0.5 * w;
                    b[4 * k + 1] = -0.5 * h;
                    b[4 * k + 2] = 0.5 * w;
                    b[4 * k + 3] = 0.5 * h;
                    k++;
                }
            }
            base[l] = b;
        }
    }

    public AnchorParams params() {
        return params;
    }

    public int perLocation() {
        return params.perLocation();
    }

    /** Feature map size of each level for a padded input, as stride-2 3×3 convolutions with padding 1 give. */
    public static int[][] featureSizes(int height, int width, List<Integer> strides) {
        int[][] out = new int[strides.size()][2];
        for (int l = 0; l < strides.size(); l++) {
            out[l][0] = ceilDiv(height, strides.get(l));
            out[l][1] = ceilDiv(width, strides.get(l));
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** All anchors for the given feature sizes, level by level. */
    public Anchors generate(int[][] sizes) {
        int a = perLocation();
        int total = 0;
        int[] levelStart = new int[sizes.length + 1];
        for (int l = 0; l < sizes.length; l++) {
            levelStart[l] = total;
            total += sizes[l][0] * sizes[l][1] * a;
        }
        levelStart[sizes.length] = total;
        float[] boxes = new float[4 * total];
        int k = 0;
        for (int l = 0; l < sizes.length; l++) {
            double stride = params.strides().get(l);
            for (int y = 0; y < sizes[l][0]; y++) {
                for (int x = 0; x < sizes[l][1]; x++) {
                    for (int j = 0; j < a; j++) {
                        boxes[4 * k] = (float) (base[l][4 * j] + x * stride);
                        boxes[4 * k + 1] = (float) (base[l][4 * j + 1] + y * stride);
                        boxes[4 * k + 2] = (float) (base[l][4 * j + 2] + x * stride);
                        boxes[4 * k + 3] = (float) (base[l][4 * j + 3] + y * stride);
                        k++;
                    }
                }
            }
        }
        return new Anchors(boxes, levelStart, sizes, a, params.strides().stream().mapToInt(Integer::intValue).toArray());
    }
}
