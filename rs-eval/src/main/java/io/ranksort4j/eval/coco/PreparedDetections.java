package io.ranksort4j.eval.coco;

import io.ranksort4j.eval.data.Detection;
import io.ranksort4j.eval.data.GroundTruth;
import io.ranksort4j.eval.data.ImageInfo;
import io.ranksort4j.eval.data.Segmentation;
import io.ranksort4j.eval.json.EvalInputException;
import io.ranksort4j.eval.mask.Rle;
import java.util.ArrayList;
import java.util.List;

/**
 * Detections after the reference's {@code loadRes}: ids 1..N in input order, area and box filled in by the
 * rule of the first detection (box present: area = w*h for all; else mask area and mask box).
 */
public final class PreparedDetections {
    /**
     * One detection with the fields evaluation reads; {@code maskBox} is the mask's box when the mask was
     * decoded at load time (segm branch), else null. Decoded masks are not kept: holding hundreds of MB of
     * run lengths through evaluation cost more in GC than decoding each mask a second time.
     */
    public record Dt(int id, int imageIndex, int categoryIndex, double[] bbox, double area, double score, Segmentation segmentation,
                     double[] maskBox) {
        /** The mask on its image. */
        public Rle rle(int h, int w) {
            return segmentation.toRle(h, w);
        }

    }

    private final List<List<Dt>> perImage;
    private final boolean boxBranch;
    private final int count;

    /** Wraps already prepared per-image lists (LVIS does its own loading). */
    public static PreparedDetections of(List<List<Dt>> perImage, boolean boxBranch, int count) {
        return new PreparedDetections(perImage, boxBranch, count);
    }

    private PreparedDetections(List<List<Dt>> perImage, boolean boxBranch, int count) {
        this.perImage = perImage;
        this.boxBranch = boxBranch;
        this.count = count;
    }

    /** Applies loadRes to {@code dets} (validated against {@code gt}). */
    public static PreparedDetections load(GroundTruth gt, List<Detection> dets) {
        List<List<Dt>> per = new ArrayList<>(gt.imageCount());
        for (int i = 0; i < gt.imageCount(); i++) {
            per.add(new ArrayList<>());
        }
        boolean box = !dets.isEmpty() && dets.get(0).bbox() != null;
        Dt[] out = new Dt[dets.size()];
        // decoding masks is the expensive part of loadRes: spread it over the cores; slots keep input order
        java.util.stream.IntStream.range(0, dets.size()).parallel().forEach(j -> out[j] = prepare(gt, dets.get(j), j, box));
        for (Dt d : out) {
            per.get(d.imageIndex()).add(d);
        }
        return new PreparedDetections(per, box, dets.size());
    }

    private static Dt prepare(GroundTruth gt, Detection d, int index, boolean box) {
        int id = index + 1;
        int ii = gt.imageIndex(d.imageId());
        int ki = gt.categoryIndex(d.categoryId());
        if (ii < 0) {
            throw new EvalInputException("result " + index + ": image_id " + d.imageId() + " is not in the annotation file");
        }
        if (ki < 0) {
            throw new EvalInputException("result " + index + ": category_id " + d.categoryId() + " is not in the annotation file");
        }
        double[] bb = d.bbox();
        double area;
        Segmentation seg = d.segmentation();
        double[] mb = null;
        if (box) {
            if (bb == null) {
                throw new EvalInputException("result " + index + " has no 'bbox' but the first result has one; "
                        + "give every result a bbox, or none (then areas come from the masks)");
            }
            area = bb[2] * bb[3];
        } else {
            if (seg == null) {
                throw new EvalInputException("result " + index + " has no 'segmentation' but the first result has no 'bbox'; "
                        + "give every result a mask or every result a box");
            }
            ImageInfo im = gt.image(ii);
            double[] ab = areaAndBox(seg, im.height(), im.width());
            area = ab[0];
            mb = new double[] {ab[1], ab[2], ab[3], ab[4]};
            if (bb == null) {
                bb = mb;
            }
        }
        return new Dt(id, ii, ki, bb, area, d.score(), seg, mb);
    }

    /** {@code [area, x, y, w, h]} of a mask, without decoding compressed strings into runs. */
    public static double[] areaAndBox(Segmentation seg, int h, int w) {
        if (seg instanceof Segmentation.RleString rs) {
            return Rle.areaAndBoxOfCompressed(rs.counts(), rs.h(), rs.w());
        }
        Rle r = seg.toRle(h, w);
        double[] b = r.toBbox();
        return new double[] {r.area(), b[0], b[1], b[2], b[3]};
    }

    /** Detections of an image in input order. */
    public List<Dt> ofImage(int imageIndex) {
        return perImage.get(imageIndex);
    }

    /** Whether areas came from boxes (the first result had a bbox). */
    public boolean boxBranch() {
        return boxBranch;
    }

    public int count() {
        return count;
    }
}
