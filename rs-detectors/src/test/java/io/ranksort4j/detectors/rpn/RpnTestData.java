package io.ranksort4j.detectors.rpn;

import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.head.GroundTruth;
import io.ranksort4j.detectors.head.HeadOutputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random RPN inputs shared by the RPN recipes' tests: 3 levels of anchors over 64 × 64, 2 images of 1–3 GTs. */
final class RpnTestData {
    private RpnTestData() {}

    static Anchors anchors() {
        return new AnchorGenerator(new AnchorParams(4, 1, List.of(0.5, 1.0, 2.0), List.of(8, 16, 32)))
                .generate(AnchorGenerator.featureSizes(64, 64, List.of(8, 16, 32)));
    }

    static List<GroundTruth> gts(Random rnd) {
        List<GroundTruth> out = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int g = 1 + rnd.nextInt(3);
            float[] b = new float[4 * g];
            for (int j = 0; j < g; j++) {
                float x = rnd.nextFloat() * 40;
                float y = rnd.nextFloat() * 40;
                b[4 * j] = x;
                b[4 * j + 1] = y;
                b[4 * j + 2] = x + 6 + rnd.nextFloat() * 40;
                b[4 * j + 3] = y + 6 + rnd.nextFloat() * 40;
            }
            out.add(new GroundTruth(b, new int[g]));
        }
        return out;
    }

    /** Per image N(logitMean, 1) logits and N(0, 0.5²) deltas for every anchor. */
    static List<HeadOutputs> outputs(Random rnd, Anchors anchors, int images, double logitMean) {
        int n = anchors.count();
        List<HeadOutputs> out = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            float[] l = new float[n];
            float[] d = new float[4 * n];
            for (int q = 0; q < n; q++) {
                l[q] = (float) (rnd.nextGaussian() + logitMean);
            }
            for (int q = 0; q < d.length; q++) {
                d[q] = (float) (0.5 * rnd.nextGaussian());
            }
            out.add(new HeadOutputs(l, d, null));
        }
        return out;
    }
}
