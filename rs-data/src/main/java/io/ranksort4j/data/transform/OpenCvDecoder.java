package io.ranksort4j.data.transform;

import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_IGNORE_ORIENTATION;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imread;

import java.nio.file.Path;
import org.bytedeco.opencv.opencv_core.Mat;

/** OpenCV decoding, kept in its own class so that a missing native library only disables this path. */
final class OpenCvDecoder {
    private OpenCvDecoder() {}

    /** Loads the natives (throws if they are unavailable). */
    static void probe() {
        try (Mat m = new Mat()) {
            m.empty();
        }
    }

    /** RGB bytes, or null if OpenCV cannot read the file (missing, corrupt, unknown format). */
    static DecodedImage decode(Path file) {
        // EXIF orientation is ignored, as ImageIO does and as COCO's annotations (in the stored frame) assume.
        try (Mat m = imread(file.toString(), IMREAD_COLOR | IMREAD_IGNORE_ORIENTATION)) {
            if (m == null || m.empty() || m.channels() != 3 || m.depth() != org.bytedeco.opencv.global.opencv_core.CV_8U) {
                return null;
            }
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
}
