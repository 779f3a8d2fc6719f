package io.ranksort4j.parallel;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.detectors.engine.ScheduleParams;
import io.ranksort4j.detectors.engine.TrainData;
import io.ranksort4j.detectors.head.GroundTruth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded in-memory batches for tests (one or two coloured rectangles per image, class = colour) and a tiny RS-ATSS;
 * rs-spark's tests use them through this module's test-jar.
 */
public final class ToyBatches implements TrainData {
    /** A tiny RS-ATSS for 64 px images: about 0.3 M parameters; one head per level, as DL4J's fit needs (RecipeLoss). */
    public static final String TINY = """
            type = rs_atss
            num_classes = 2
            input_size = [64, 64]
            backbone { depth = 18, base_width = 8 }
            neck { out_channels = 16 }
            head { stacked_convs = 1, feat_channels = 16, share_levels = false }
            anchor { octave_base_scale = 4, scales_per_octave = 3 }
            loss_cls { type = rank_sort }
            """;

    private final int size;
    private final int batch;
    private final int batches;
    private final long seed;

    public ToyBatches(int size, int batch, int batches, long seed) {
        this.size = size;
        this.batch = batch;
        this.batches = batches;
        this.seed = seed;
    }

    /** The tiny detector's model spec. */
    public static ComponentSpec tinyModel() {
        return ComponentSpec.of("rs_atss", TINY);
    }

    /** A schedule section from HOCON. */
    public static ScheduleParams schedule(String hocon) {
        return ParamsBinder.bindOrThrow(ScheduleParams.class, com.typesafe.config.ConfigFactory.parseString(hocon), "schedule");
    }

    @Override
    public int batchesPerEpoch() {
        return batches;
    }

    @Override
    public Iterator<DetectionBatch> epoch(int epoch, int skip) {
        List<DetectionBatch> out = new ArrayList<>();
        for (int b = skip; b < batches; b++) {
            out.add(batch(new Random(seed * 1000003 + epoch * 7919L + b)));
        }
        return out.iterator();
    }

    private DetectionBatch batch(Random rnd) {
        float[] pix = new float[batch * 3 * size * size];
        List<GroundTruth> gts = new ArrayList<>();
        List<ImageMeta> metas = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            int n = 1 + rnd.nextInt(2);
            float[] boxes = new float[4 * n];
            int[] labels = new int[n];
            for (int k = 0; k < n; k++) {
                int w = size / 4 + rnd.nextInt(size / 3);
                int h = size / 4 + rnd.nextInt(size / 3);
                int x = rnd.nextInt(size - w);
                int y = rnd.nextInt(size - h);
                int c = rnd.nextInt(2);
                for (int yy = y; yy < y + h; yy++) {
                    for (int xx = x; xx < x + w; xx++) {
                        pix[((i * 3 + c) * size + yy) * size + xx] = 2f;
                    }
                }
                boxes[4 * k] = x;
                boxes[4 * k + 1] = y;
                boxes[4 * k + 2] = x + w;
                boxes[4 * k + 3] = y + h;
                labels[k] = c;
            }
            gts.add(new GroundTruth(boxes, labels));
            metas.add(new ImageMeta(i, i, null, size, size, size, size, 1.0, 1.0, false, size, size));
        }
        INDArray images = Nd4j.create(pix, new long[] {batch, 3, size, size});
        return new DetectionBatch(images, gts, metas);
    }
}
