package io.ranksort4j.detectors.engine;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress over a list of images, in the training bar's shape: a bar redrawn in place on a terminal; elsewhere
 * (a log file, a pipe) a plain line every tenth of the way, so logs stay readable.
 */
final class ImageProgress implements AutoCloseable {
    private final PrintStream console;
    private final boolean bar;
    private final String what;
    private final int total;
    private final long start = System.nanoTime();
    private int lastTenth = -1;

    ImageProgress(PrintStream console, boolean bar, String what, int total) {
        this.console = console;
        this.bar = bar;
        this.what = what;
        this.total = total;
    }

    void update(int done) {
        double seconds = (System.nanoTime() - start) / 1e9;
        double eta = done == 0 ? Double.NaN : seconds / done * (total - done);
        String line = String.format(Locale.ROOT, "%s %s %d/%d images  %.2f s/image  eta %s", what, TrainLogger.progress(done, total), done, total,
                done == 0 ? 0 : seconds / done, Eta.format(eta));
        if (bar) {
            console.print("\r" + line + " ");
            console.flush();
            return;
        }
        int tenth = total == 0 ? 10 : done * 10 / total;
        if (tenth != lastTenth) {
            lastTenth = tenth;
            console.println(line);
        }
    }

    @Override
    public void close() {
        if (bar) {
            console.print("\r\033[K");
        }
    }
}
