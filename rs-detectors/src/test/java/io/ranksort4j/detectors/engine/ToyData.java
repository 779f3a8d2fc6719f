package io.ranksort4j.detectors.engine;

import io.ranksort4j.detectors.model.DetectionBatch;
import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.detectors.head.GroundTruth;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded in-memory batches for tests: one or two coloured rectangles per image, class = colour, with their masks
 * (rs-parallel's and rs-spark's tests use them through this module's test-jar).
 */
public final class ToyData implements TrainData {
    private final int size;
    private final int batch;
    private final int batches;
    private final long seed;

    public ToyData(int size, int batch, int batches, long seed) {
        this.size = size;
        this.batch = batch;
        this.batches = batches;
        this.seed = seed;
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

    public DetectionBatch batch(Random rnd) {
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
            List<byte[]> masks = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                byte[] m = new byte[size * size];
                for (int yy = (int) boxes[4 * k + 1]; yy < boxes[4 * k + 3]; yy++) {
                    for (int xx = (int) boxes[4 * k]; xx < boxes[4 * k + 2]; xx++) {
                        m[yy * size + xx] = 1;
                    }
                }
                masks.add(m);
            }
            gts.add(new GroundTruth(boxes, labels, masks, size, size));
            metas.add(new ImageMeta(i, i, null, size, size, size, size, 1.0, 1.0, false, size, size));
        }
        INDArray images = Nd4j.create(pix, new long[] {batch, 3, size, size});
        return new DetectionBatch(images, gts, metas);
    }
}
