package io.ranksort4j.data.loader;

import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.sampler.RandomSampler;
import io.ranksort4j.data.transform.ImageDecoder;
import io.ranksort4j.data.transform.Pipeline;
import io.ranksort4j.data.transform.TransformParams;

/** Measures loader throughput (decode + resize + flip + normalise + collate) and decode alone, in images per second. */
public final class LoaderBenchmark {
    /** One measurement. */
    public record Result(String what, int longEdge, int shortEdge, int workers, int batchSize, int images, double seconds, double imagesPerSecond) {}

    private LoaderBenchmark() {}

    /** Runs the loader over {@code images} images (after one warm-up epoch-part of {@code warmup} images). */
    public static Result loader(Dataset d, int longEdge, int shortEdge, int workers, int batchSize, int images, int warmup) {
        TransformParams tp = TransformParams.train(longEdge, shortEdge);
        DataLoader l = new DataLoader(d, new RandomSampler(), new Pipeline(tp), LoaderParams.of(batchSize, workers, 1));
        consume(l, warmup, 100);
        long t0 = System.nanoTime();
        int n = consume(l, images, 0);
        double s = (System.nanoTime() - t0) / 1e9;
        return new Result("loader", longEdge, shortEdge, workers, batchSize, n, s, n / s);
    }

    private static int consume(DataLoader l, int images, int epochBase) {
        int n = 0;
        double checksum = 0;
        for (int epoch = epochBase; n < images; epoch++) {
            try (DataLoader.BatchIterator it = l.epoch(epoch)) {
                while (it.hasNext() && n < images) {
                    Batch b = it.next();
                    n += b.size();
                    // Touch the tensor so the collation cannot be optimised away.
                    checksum += b.images().getFloat(0L);
                    b.images().close();
                }
            }
        }
        if (Double.isNaN(checksum)) {
            throw new IllegalStateException("NaN in batch");
        }
        return n;
    }

    /** Decoding alone with the loader's decoder ({@code imageIoOnly}: with ImageIO), one thread. */
    public static Result decode(Dataset d, int images, boolean imageIoOnly) {
        java.util.function.Consumer<java.nio.file.Path> dec = imageIoOnly ? ImageDecoder::decodeImageIo : ImageDecoder::decode;
        for (int i = 0; i < 60; i++) {
            dec.accept(d.imagePath(d.image(i % d.size())));
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < images; i++) {
            dec.accept(d.imagePath(d.image(i % d.size())));
        }
        double s = (System.nanoTime() - t0) / 1e9;
        String what = imageIoOnly || ImageDecoder.backend().equals("imageio") ? "decode:imageio " + jpegReader() : "decode:opencv imread";
        return new Result(what, 0, 0, 0, 1, images, s, images / s);
    }

    /** The class of the first ImageIO JPEG reader (the one ImageIO.read uses). */
    public static String jpegReader() {
        var it = javax.imageio.ImageIO.getImageReadersByFormatName("jpeg");
        return it.hasNext() ? it.next().getClass().getName() : "none";
    }
}
