package io.ranksort4j.detectors.rpn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import io.ranksort4j.detectors.anchor.AnchorGenerator;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.anchor.Anchors;
import io.ranksort4j.detectors.box.DeltaXywhCoder;
import java.io.File;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ProposalGenerator against a slow definitional version of mmdetection's RPN proposal steps, hand-made tie cases,
 * and a golden file from mmdet's algorithm run in torch (src/test/python/export_rpn_proposals.py).
 *
 * <p>Tie rule: equal scores are ordered by flat anchor index (level, y, x, anchor), both in the per-level top-k and
 * in NMS, as torch's stable sorts and torchvision's CPU nms order them (mmdet's unstable top-k sort leaves it
 * unspecified; the golden script sorts stably and records where mmdet's literal sort would differ).
 */
class ProposalGeneratorTest {
    private static final DeltaXywhCoder RPN_CODER = new DeltaXywhCoder(1, 1, 1, 1);
    private static final AnchorGenerator RPN_ANCHORS =
            new AnchorGenerator(new AnchorParams(8, 1, List.of(0.5, 1.0, 2.0), List.of(4, 8, 16, 32, 64)));

    /** Everything done the obvious way: one global ranking, decode all, filter, greedy NMS within a level. */
    static Proposals slow(float[] logits, float[] deltas, Anchors anchors, int w, int h, ProposalParams p,
            double[] closestIou) {
        int n = anchors.count();
        float[] s = new float[n];
        List<Integer> all = new ArrayList<>();
        for (int a = 0; a < n; a++) {
            s[a] = (float) (1 / (1 + Math.exp(-(double) logits[a])));
            all.add(a);
        }
        all.sort(Comparator.<Integer>comparingDouble(a -> -s[a]).thenComparingInt(a -> a));
        int[] taken = new int[anchors.levels()];
        List<Integer> alive = new ArrayList<>();
        float[] box = new float[4 * n];
        for (int a : all) {
            int l = anchors.levelOf(a);
            if (taken[l]++ >= p.nmsPre()) {
                continue;
            }
            RPN_CODER.decode(anchors.boxes(), a, deltas, a, box, a, w, h);
            if (box[4 * a + 2] - box[4 * a] > p.minBboxSize() && box[4 * a + 3] - box[4 * a + 1] > p.minBboxSize()) {
                alive.add(a);
            }
        }
        List<Integer> kept = new ArrayList<>();
        for (int a : alive) {
            boolean suppressed = false;
            for (int b : kept) {
                if (anchors.levelOf(a) == anchors.levelOf(b)) {
                    double iou = iou(box, a, b);
                    closestIou[0] = Math.min(closestIou[0], Math.abs(iou - p.nmsIou()));
                    suppressed |= iou > p.nmsIou();
                }
            }
            if (!suppressed) {
                kept.add(a);
            }
        }
        int k = Math.min(kept.size(), p.maxPerImg());
        float[] boxes = new float[4 * k];
        float[] scores = new float[k];
        int[] levels = new int[k];
        for (int q = 0; q < k; q++) {
            int a = kept.get(q);
            System.arraycopy(box, 4 * a, boxes, 4 * q, 4);
            scores[q] = s[a];
            levels[q] = anchors.levelOf(a);
        }
        return new Proposals(boxes, scores, levels);
    }

    static double iou(float[] b, int i, int j) {
        double iw = Math.max(0, Math.min(b[4 * i + 2], b[4 * j + 2]) - Math.max(b[4 * i], b[4 * j]));
        double ih = Math.max(0, Math.min(b[4 * i + 3], b[4 * j + 3]) - Math.max(b[4 * i + 1], b[4 * j + 1]));
        double ai = (b[4 * i + 2] - b[4 * i]) * (b[4 * i + 3] - b[4 * i + 1]);
        double aj = (b[4 * j + 2] - b[4 * j]) * (b[4 * j + 3] - b[4 * j + 1]);
        return iw * ih / (ai + aj - iw * ih);
    }

    static void assertSame(Proposals got, Proposals want) {
        assertThat(got.count()).isEqualTo(want.count());
        assertThat(got.boxes()).containsExactly(want.boxes());
        assertThat(got.scores()).containsExactly(want.scores());
        assertThat(got.levels()).containsExactly(want.levels());
    }

    @Test
    void matchesTheDefinitionOnRandomInputsWithTies() {
        Random rnd = new Random(7);
        int checked = 0;
        int ambiguous = 0;
        for (int trial = 0; trial < 60; trial++) {
            int size = 32 + 32 * (trial % 2);
            Anchors anchors = RPN_ANCHORS.generate(AnchorGenerator.featureSizes(size, size, List.of(4, 8, 16, 32, 64)));
            int n = anchors.count();
            boolean ties = trial % 3 == 0;
            float[] logits = new float[n];
            float[] deltas = new float[4 * n];
            for (int a = 0; a < n; a++) {
                // quarter steps in [-2, 2] make many exact ties
                logits[a] = ties ? (rnd.nextInt(17) - 8) / 4f : (float) rnd.nextGaussian() * 2;
            }
            for (int i = 0; i < 4 * n; i++) {
                deltas[i] = (float) (rnd.nextGaussian() * (i % 4 < 2 ? 0.5 : 1.5));
            }
            ProposalParams p = new ProposalParams(1 + rnd.nextInt(300), 1 + rnd.nextInt(400),
                    0.3 + 0.5 * rnd.nextDouble(), trial % 4 == 1 ? 3 : trial % 4 == 2 ? -1 : 0);
            int w = size - rnd.nextInt(8);
            int h = size - rnd.nextInt(8);
            double[] closest = {Double.POSITIVE_INFINITY};
            Proposals want = slow(logits, deltas, anchors, w, h, p, closest);
            if (closest[0] < 1e-5) {
                // the fast path rounds IoUs of level-shifted float boxes, as mmcv does; too close to call
                ambiguous++;
                continue;
            }
            Proposals got = new ProposalGenerator(p, RPN_CODER).generate(logits, deltas, anchors, w, h);
            assertSame(got, want);
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(50);
        System.out.println("rpn proposals vs definition: " + checked + " cases equal, " + ambiguous + " skipped");
    }

    @Test
    void exactTiesGoToTheLowerAnchorIndex() {
        AnchorGenerator g = new AnchorGenerator(new AnchorParams(8, 1, List.of(1.0), List.of(8, 16)));
        Anchors anchors = g.generate(new int[][] {{1, 2}, {1, 1}});
        // anchors: level 0 at x = 0 and x = 8 (64 wide, IoU 0.78), level 1 at x = 0 (128 wide)
        float[] logits = {1f, 1f, 1f};
        float[] deltas = new float[12];
        Proposals p = new ProposalGenerator(new ProposalParams(1000, 10, 0.7, 0), RPN_CODER)
                .generate(logits, deltas, anchors, 200, 200);
        // anchor 1 is suppressed by anchor 0 (same level); anchor 2 is another level, so it survives
        assertThat(p.levels()).containsExactly(0, 1);
        assertThat(p.boxes()).containsExactly(0, 0, 32, 32, 0, 0, 64, 64);

        // nms_pre cuts through a tie: the lower index stays
        Proposals top = new ProposalGenerator(new ProposalParams(1, 10, 0.7, 0), RPN_CODER)
                .generate(new float[] {0.5f, 0.5f, 0.1f}, deltas, anchors, 200, 200);
        assertThat(top.boxes()).containsExactly(0, 0, 32, 32, 0, 0, 64, 64);

        // max_per_img cuts through a tie across levels: the lower level stays
        Proposals one = new ProposalGenerator(new ProposalParams(1000, 1, 0.99, 0), RPN_CODER)
                .generate(new float[] {0.1f, 0.5f, 0.5f}, deltas, anchors, 200, 200);
        assertThat(one.boxes()).containsExactly(0, 0, 40, 32);
    }

    @Test
    void levelsNeverSuppressEachOtherAndDegenerateBoxesGo() {
        AnchorGenerator g = new AnchorGenerator(new AnchorParams(8, 1, List.of(1.0), List.of(8, 16)));
        Anchors anchors = g.generate(new int[][] {{1, 1}, {1, 1}});
        float[] deltas = new float[8];
        // the level-1 box shrinks onto the level-0 box: IoU 1, yet both stay
        deltas[6] = (float) Math.log(0.5);
        deltas[7] = (float) Math.log(0.5);
        Proposals p = new ProposalGenerator(ProposalParams.test(), RPN_CODER)
                .generate(new float[] {0f, 1f}, deltas, anchors, 100, 100);
        assertThat(p.levels()).containsExactly(1, 0);
        assertThat(p.scores()[0]).isEqualTo((float) (1 / (1 + Math.exp(-1))));

        // pushed wholly left of the image, the box clips to zero width and is dropped (w > 0 is required)
        deltas[4] = -10;
        Proposals q = new ProposalGenerator(ProposalParams.test(), RPN_CODER)
                .generate(new float[] {0f, 1f}, deltas, anchors, 100, 100);
        assertThat(q.levels()).containsExactly(0);
        assertThat(q.rows()).containsExactly(0, 0, 32, 32, 0.5f);
    }

    private static float[] flat(Map<String, INDArray> g, String key) {
        return g.get(key).castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }

    @Test
    void matchesMmdetGolden() throws Exception {
        Map<String, INDArray> g = Nd4j.createFromNpzFile(new File(getClass().getResource("/golden/rpn_proposals.npz").toURI()));
        Anchors anchors = RPN_ANCHORS.generate(AnchorGenerator.featureSizes(64, 64, List.of(4, 8, 16, 32, 64)));
        // torch builds anchors in float32, Java in double: the same to rounding
        assertThat(anchors.boxes()).usingComparatorWithPrecision(1e-4f).containsExactly(flat(g, "anchors"));
        float[] cfgs = flat(g, "configs");
        float[] shapes = flat(g, "img_shapes");
        double worst = 0;
        int compared = 0;
        for (int i = 0; i < shapes.length / 2; i++) {
            float[] logits = flat(g, "img" + i + "_logits");
            float[] deltas = flat(g, "img" + i + "_deltas");
            for (int j = 0; j < cfgs.length / 4; j++) {
                ProposalParams p = new ProposalParams((int) cfgs[4 * j], (int) cfgs[4 * j + 1], cfgs[4 * j + 2], cfgs[4 * j + 3]);
                Proposals got = new ProposalGenerator(p, RPN_CODER)
                        .generate(logits, deltas, anchors, (int) shapes[2 * i + 1], (int) shapes[2 * i]);
                float[] want = flat(g, "img" + i + "_cfg" + j + "_dets");
                float[] levels = flat(g, "img" + i + "_cfg" + j + "_levels");
                String tag = "img" + i + " cfg" + j;
                assertThat(got.count()).as(tag).isEqualTo(want.length / 5);
                float[] rows = got.rows();
                for (int k = 0; k < rows.length; k++) {
                    worst = Math.max(worst, Math.abs(rows[k] - want[k]));
                    assertThat((double) rows[k]).as(tag + " proposal " + k / 5 + " column " + k % 5)
                            .isCloseTo(want[k], offset(1e-4));
                }
                for (int k = 0; k < got.count(); k++) {
                    assertThat((float) got.levels()[k]).as(tag + " level of " + k).isEqualTo(levels[k]);
                }
                compared += got.count();
            }
        }
        System.out.printf("rpn proposals golden: %d proposals in order, max |delta| %.3g%n", compared, worst);
    }
}
