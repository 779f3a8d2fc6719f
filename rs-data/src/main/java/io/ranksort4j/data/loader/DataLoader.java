package io.ranksort4j.data.loader;

import io.ranksort4j.data.coco.Dataset;
import io.ranksort4j.data.coco.ImageInfo;
import io.ranksort4j.data.sampler.Batching;
import io.ranksort4j.data.sampler.Sampler;
import io.ranksort4j.data.transform.ImageLoadException;
import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.data.transform.Pipeline;
import io.ranksort4j.data.transform.Sample;
import io.ranksort4j.data.transform.Target;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes batches for the training engine: sampler order → shard → batches → images decoded and transformed
 * by background workers → collated NCHW tensors, in the sampler's order whatever the worker count. Each image's
 * random choices come from (seed, epoch, position), so worker count and timing cannot change the content.
 * At most {@code prefetch} batches beyond the current one are in flight, which bounds memory.
 */
public final class DataLoader {
    private static final Logger LOG = LoggerFactory.getLogger(DataLoader.class);

    private final Dataset dataset;
    private final Sampler sampler;
    private final Pipeline pipeline;
    private final LoaderParams params;
    private final AtomicInteger skipped = new AtomicInteger();

    public DataLoader(Dataset dataset, Sampler sampler, Pipeline pipeline, LoaderParams params) {
        this.dataset = dataset;
        this.sampler = sampler;
        this.pipeline = pipeline;
        this.params = params;
    }

    public Dataset dataset() {
        return dataset;
    }

    public LoaderParams params() {
        return params;
    }

    /** Images skipped as missing or corrupt so far (only with {@code skip_bad_images}). */
    public int skippedImages() {
        return skipped.get();
    }

    /** The batches (dataset indices) this rank sees in {@code epoch}. */
    public List<int[]> plan(int epoch) {
        int[] order = sampler.indices(dataset, params.seed(), epoch);
        int[] mine = Batching.shard(order, params.rank(), params.worldSize());
        return Batching.batches(mine, dataset, params.batchSize(), params.groupByAspect(), params.dropLast());
    }

    /** Batches this rank gets in {@code epoch} (varies by epoch only with stochastic repeat-factor sampling). */
    public int batchesPerEpoch(int epoch) {
        return plan(epoch).size();
    }

    /** Iterates one epoch's batches; close it (try-with-resources) if you stop early. */
    public BatchIterator epoch(int epoch) {
        return new BatchIterator(epoch, plan(epoch), 0);
    }

    /**
     * Resumes {@code epoch} after its first {@code skipBatches} batches without decoding them; the batches that
     * follow are identical to those of an uninterrupted epoch.
     */
    public BatchIterator epoch(int epoch, int skipBatches) {
        return new BatchIterator(epoch, plan(epoch), skipBatches);
    }

    /**
     * Batches epoch after epoch from {@code startEpoch} on, without end (iteration-based schedules); the
     * current epoch is {@link Batch#epoch()}. Close it to stop the workers.
     */
    public Endless endless(int startEpoch) {
        return new Endless(startEpoch);
    }

    /** Chains epochs; an epoch that yields no batch at all is an error rather than a busy loop. */
    public final class Endless implements Iterator<Batch>, AutoCloseable {
        private int epoch;
        private BatchIterator current;

        Endless(int startEpoch) {
            this.epoch = startEpoch;
        }

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Batch next() {
            for (int tries = 0; tries < 2; tries++) {
                if (current == null) {
                    current = epoch(epoch++);
                }
                if (current.hasNext()) {
                    return current.next();
                }
                current.close();
                current = null;
            }
            throw new LoaderException("epoch " + (epoch - 1) + " produced no batch (empty dataset, or every image skipped)", null);
        }

        @Override
        public void close() {
            if (current != null) {
                current.close();
            }
        }
    }

    private static SplittableRandom sampleRandom(long seed, int epoch, int position) {
        long s = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + position * 0x94D049BB133111EBL;
        return new SplittableRandom(s);
    }

    /** One epoch's batches; a failure in a worker surfaces here as a {@link LoaderException}, never as a hang. */
    public final class BatchIterator implements Iterator<Batch>, AutoCloseable {
        private final int epoch;
        private final List<int[]> batches;
        private final ExecutorService pool;
        private final ArrayDeque<List<Future<Sample>>> inFlight = new ArrayDeque<>();
        private int submitted;
        private int delivered;
        private int position;
        private Batch next;
        private boolean closed;

        BatchIterator(int epoch, List<int[]> batches, int skip) {
            this.epoch = epoch;
            this.batches = batches;
            int start = Math.max(0, Math.min(skip, batches.size()));
            for (int b = 0; b < start; b++) {
                // Positions seed each image's random choices, so skipped batches still advance them.
                position += batches.get(b).length;
            }
            this.submitted = start;
            this.delivered = start;
            if (params.workers() == 0) {
                this.pool = null;
            } else {
                // Idle workers time out, so an iterator dropped without close() does not keep threads forever.
                java.util.concurrent.ThreadPoolExecutor tpe = new java.util.concurrent.ThreadPoolExecutor(params.workers(), params.workers(),
                        30, TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), daemonThreads());
                tpe.allowCoreThreadTimeOut(true);
                this.pool = tpe;
            }
        }

        /** Number of batches this epoch plans (skipping may make some smaller, or drop emptied ones). */
        public int plannedBatches() {
            return batches.size();
        }

        private void fill() {
            while (submitted < batches.size() && inFlight.size() <= params.prefetch()) {
                List<Future<Sample>> fs = new ArrayList<>();
                for (int idx : batches.get(submitted)) {
                    int pos = position++;
                    if (pool == null) {
                        fs.add(run(idx, pos));
                    } else {
                        fs.add(pool.submit(() -> pipeline.apply(dataset, idx, sampleRandom(params.seed(), epoch, pos))));
                    }
                }
                inFlight.add(fs);
                submitted++;
            }
        }

        private Future<Sample> run(int idx, int pos) {
            // Without workers the work happens when the batch is requested; failures are kept for get().
            CompletableFuture<Sample> f = new CompletableFuture<>();
            try {
                f.complete(pipeline.apply(dataset, idx, sampleRandom(params.seed(), epoch, pos)));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
            return f;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !closed) {
                fill();
                List<Future<Sample>> fs = inFlight.poll();
                if (fs == null) {
                    close();
                    return false;
                }
                int[] ids = batches.get(delivered);
                int b = delivered++;
                List<Sample> samples = new ArrayList<>(fs.size());
                for (int i = 0; i < fs.size(); i++) {
                    Sample s = await(fs.get(i), ids[i]);
                    if (s != null) {
                        samples.add(s);
                    }
                }
                if (!samples.isEmpty()) {
                    next = collate(epoch, b, samples, pipeline.params().padDivisor());
                }
            }
            return next != null;
        }

        private Sample await(Future<Sample> f, int idx) {
            ImageInfo info = dataset.image(idx);
            String what = "image " + info.id() + " (" + dataset.imagePath(info) + ") in epoch " + epoch;
            try {
                return f.get(params.timeoutSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                String why = cause instanceof ImageLoadException il ? il.reason() : cause.getMessage();
                if (params.skipBadImages()) {
                    int n = skipped.incrementAndGet();
                    LOG.warn("skipping {} ({} skipped so far): {}", what, n, why);
                    return null;
                }
                close();
                throw new LoaderException("cannot load " + what + ": " + why, cause);
            } catch (TimeoutException e) {
                close();
                throw new LoaderException("no result for " + what + " after " + params.timeoutSeconds() + " s; is the file on a stalled mount?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new LoaderException("interrupted while waiting for " + what, e);
            } catch (CancellationException e) {
                throw new LoaderException("loader closed while waiting for " + what, e);
            }
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Batch b = next;
            next = null;
            return b;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            for (List<Future<Sample>> fs : inFlight) {
                fs.forEach(f -> f.cancel(true));
            }
            inFlight.clear();
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "rs4j-loader-" + n.incrementAndGet());
            // Daemon, so a consumer that forgets close() cannot keep the JVM alive.
            t.setDaemon(true);
            return t;
        };
    }

    /** Pads every sample to the batch's largest size rounded up to {@code divisor} and stacks them NCHW. */
    public static Batch collate(int epoch, int index, List<Sample> samples, int divisor) {
        int maxW = 0;
        int maxH = 0;
        for (Sample s : samples) {
            maxW = Math.max(maxW, s.meta().width());
            maxH = Math.max(maxH, s.meta().height());
        }
        int pw = (maxW + divisor - 1) / divisor * divisor;
        int ph = (maxH + divisor - 1) / divisor * divisor;
        int n = samples.size();
        float[] data = new float[n * 3 * ph * pw];
        List<ImageMeta> metas = new ArrayList<>(n);
        List<Target> targets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Sample s = samples.get(i);
            int w = s.meta().width();
            int h = s.meta().height();
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < h; y++) {
                    System.arraycopy(s.chw(), (c * h + y) * w, data, ((i * 3 + c) * ph + y) * pw, w);
                }
            }
            metas.add(s.meta().withPad(pw, ph));
            targets.add(s.target());
        }
        INDArray images = Nd4j.create(data, new long[] {n, 3, ph, pw}, 'c');
        return new Batch(epoch, index, images, List.copyOf(metas), List.copyOf(targets));
    }
}
