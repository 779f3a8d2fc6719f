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
    /** One detection with the fields evaluation reads. */
    public record Dt(int id, int imageIndex, int categoryIndex, double[] bbox, double area, double score, Segmentation segmentation) {
        /** The mask on its image, decoding a compressed string once (it is needed for the area and again for the IoU). */
        public Rle rle(int h, int w) {
            return segmentation instanceof DecodedRle d ? d.rle() : segmentation.toRle(h, w);
        }

        /** The box of {@link #rle}, reusing the one computed at load time. */
        public double[] maskBox(Rle rle) {
            return segmentation instanceof DecodedRle d ? d.box() : rle.toBbox();
        }
    }

    /** A result mask decoded at load time (segm branch), kept so evaluation does not decode it again. */
    public record DecodedRle(Rle rle, double[] box) implements Segmentation.Decoded {
        @Override
        public Rle toRle(int imageHeight, int imageWidth) {
            return rle;
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
            Rle r = seg.toRle(im.height(), im.width());
            area = r.area();
            double[] mb = r.toBbox();
            if (bb == null) {
                bb = mb;
            }
            seg = new DecodedRle(r, mb);
        }
        return new Dt(id, ii, ki, bb, area, d.score(), seg);
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
