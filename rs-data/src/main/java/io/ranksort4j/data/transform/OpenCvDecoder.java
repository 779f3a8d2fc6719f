package io.ranksort4j.data.transform;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.resize;

import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;

/** OpenCV decoding, kept in its own class so that a missing native library only disables this path. */
final class OpenCvDecoder {
    private OpenCvDecoder() {}

    /** Loads the natives (throws if they are unavailable). */
    static void probe() {
        try (Mat m = new Mat()) {
            m.empty();
        }
        // The loader already runs one image per worker thread; OpenCV's own threads would only oversubscribe.
        org.bytedeco.opencv.global.opencv_core.setNumThreads(0);
    }

    /** RGB bytes, or null if OpenCV cannot read the file (missing, corrupt, unknown format). */
    static DecodedImage decode(Path file) {
        // EXIF orientation is ignored, as ImageIO does and as COCO's annotations (in the stored frame) assume.
        try (Mat m = read(file)) {
            return m == null ? null : toRgb(m);
        }
    }

    /** Decoded and resized (INTER_LINEAR) RGB bytes, or null if unreadable or not {@code w × h}. */
    static DecodedImage decodeResized(Path file, int w, int h, int ow, int oh) {
        try (Mat m = read(file)) {
            if (m == null || m.cols() != w || m.rows() != h) {
                return null;
            }
            if (ow == w && oh == h) {
                return toRgb(m);
            }
            try (Mat r = new Mat(); Size size = new Size(ow, oh)) {
                resize(m, r, size, 0, 0, INTER_LINEAR);
                return toRgb(r);
            }
        }
    }

    private static Mat read(Path file) {
        Mat m = imread(file.toString(), IMREAD_COLOR | IMREAD_IGNORE_ORIENTATION);
        if (m == null || m.empty() || m.channels() != 3 || m.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
            if (m != null) {
                m.close();
            }
            return null;
        }
        return m;
    }

    private static DecodedImage toRgb(Mat m) {
        int w = m.cols();
        int h = m.rows();
        byte[] bgr = new byte[w * h * 3];
        if (m.isContinuous()) {
            m.data().get(bgr);
        } else {
            for (int y = 0; y < h; y++) {
                m.ptr(y).get(bgr, y * w * 3, w * 3);
            }
        }
        for (int i = 0; i < bgr.length; i += 3) {
            byte t = bgr[i];
            bgr[i] = bgr[i + 2];
            bgr[i + 2] = t;
        }
        return new DecodedImage(w, h, bgr);
    }
}
