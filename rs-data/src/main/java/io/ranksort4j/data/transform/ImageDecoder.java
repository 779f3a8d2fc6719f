package io.ranksort4j.data.transform;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Decodes JPEG and PNG files to RGB bytes: with OpenCV's {@code imread} (libjpeg-turbo, 2–3× faster than ImageIO
 * on COCO JPEGs) when its natives load, else with ImageIO. {@code -Drs4j.decoder=imageio} forces ImageIO.
 * Failures are always reported through ImageIO, whose messages say what is wrong with the file.
 */
public final class ImageDecoder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ImageDecoder.class);
    private static volatile Boolean openCv;

    static {
        // The on-disk cache only slows decoding of files we read once.
        ImageIO.setUseCache(false);
    }

    private ImageDecoder() {}

    /** "opencv" or "imageio": the decoder in use. */
    public static String backend() {
        return useOpenCv() ? "opencv" : "imageio";
    }

    private static boolean useOpenCv() {
        Boolean b = openCv;
        if (b == null) {
            synchronized (ImageDecoder.class) {
                if (openCv == null) {
                    openCv = loadOpenCv();
                }
                b = openCv;
            }
        }
        return b;
    }

    private static boolean loadOpenCv() {
        if ("imageio".equals(System.getProperty("rs4j.decoder"))) {
            return false;
        }
        try {
            OpenCvDecoder.probe();
            return true;
        } catch (Throwable t) {
            // Missing natives (another platform, a stripped class path): ImageIO still works, only slower.
            LOG.warn("OpenCV image decoding unavailable, using ImageIO: {}", t.toString());
            return false;
        }
    }

    public static DecodedImage decode(Path file) {
        checkNotTruncated(file);
        if (useOpenCv() && Files.isRegularFile(file)) {
            DecodedImage d = OpenCvDecoder.decode(file);
            if (d != null) {
                return d;
            }
            // OpenCV gives no reason for a failure; ImageIO below either decodes the file or says why not.
        }
        return decodeImageIo(file);
    }

    /**
     * Decodes and resizes to {@code ow × oh} in OpenCV (bilinear, 8-bit) if OpenCV is in use and the file decodes
     * to the expected {@code w × h}; null otherwise, and the caller takes the Java path, which reports errors.
     */
    public static DecodedImage decodeResized(Path file, int w, int h, int ow, int oh) {
        if (!useOpenCv() || "java".equals(System.getProperty("rs4j.resize")) || !Files.isRegularFile(file)) {
            return null;
        }
        checkNotTruncated(file);
        return OpenCvDecoder.decodeResized(file, w, h, ow, oh);
    }

    /**
     * A JPEG cut short (an interrupted download or copy) must not train: libjpeg, under OpenCV and ImageIO alike,
     * decodes it with a warning and fills the missing rows with grey. A whole JPEG ends with the end-of-image marker
     * FF D9, which cannot occur inside entropy-coded data (a data byte FF is followed by 00); a few bytes of padding
     * after it are allowed.
     */
    static void checkNotTruncated(Path file) {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate(2);
            ch.read(head, 0);
            if (size < 4 || (head.get(0) & 0xFF) != 0xFF || (head.get(1) & 0xFF) != 0xD8) {
                return; // not a JPEG: PNG and others report truncation through their decoders
            }
            int n = (int) Math.min(64, size);
            ByteBuffer tail = ByteBuffer.allocate(n);
            ch.read(tail, size - n);
            for (int i = n - 2; i >= 0; i--) {
                if ((tail.get(i) & 0xFF) == 0xFF && (tail.get(i + 1) & 0xFF) == 0xD9) {
                    return;
                }
            }
            throw new ImageLoadException(file, "truncated JPEG (" + size + " bytes, no end-of-image marker); copy or download the file again", null);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(file, "file not found", e);
        } catch (IOException e) {
            throw new ImageLoadException(file, "cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Decodes with ImageIO only. */
    public static DecodedImage decodeImageIo(Path file) {
        BufferedImage img;
        try (InputStream in = Files.newInputStream(file)) {
            img = ImageIO.read(new java.io.BufferedInputStream(in, 1 << 16));
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(file, "file not found", e);
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(file, "corrupt or unsupported image (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new ImageLoadException(file, "not a JPEG or PNG image ImageIO can decode", null);
        }
        return toRgb(img);
    }

    /** RGB bytes of any BufferedImage; the common 3-byte BGR layout is swapped directly, others go through getRGB. */
    public static DecodedImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h * 3];
        if (img.getType() == BufferedImage.TYPE_3BYTE_BGR && img.getRaster().getDataBuffer() instanceof DataBufferByte db
                && img.getRaster().getSampleModelTranslateX() == 0 && db.getData().length == out.length) {
            byte[] bgr = db.getData();
            for (int i = 0; i < out.length; i += 3) {
                out[i] = bgr[i + 2];
                out[i + 1] = bgr[i + 1];
                out[i + 2] = bgr[i];
            }
        } else if (img.getType() == BufferedImage.TYPE_BYTE_GRAY && img.getRaster().getDataBuffer() instanceof DataBufferByte db
                && db.getData().length == w * h) {
            byte[] g = db.getData();
            for (int i = 0; i < g.length; i++) {
                out[3 * i] = g[i];
                out[3 * i + 1] = g[i];
                out[3 * i + 2] = g[i];
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int p = row[x];
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (p >> 16);
                    out[o + 1] = (byte) (p >> 8);
                    out[o + 2] = (byte) p;
                }
            }
        }
        return new DecodedImage(w, h, out);
    }
}
