package io.ranksort4j.detectors.model;

import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.config.Param;
import io.ranksort4j.core.loss.BoxLoss;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.rank.AlrpLoss;
import io.ranksort4j.detectors.anchor.AnchorParams;
import io.ranksort4j.detectors.head.RsRecipeParams;
import io.ranksort4j.detectors.head.TestParams;
import java.util.List;

/**
 * Everything a one-stage detector is made of; the detector {@code type} (rs_atss, atss, retinanet) picks the
 * training recipe, and the parts below are swapped by config (see configs/_base_/models).
 */
public record DenseDetectorParams(
        @Param(value = "number of object classes (must match the dataset's categories)", def = "80", min = 1) int numClasses,
        @Param(value = "fixed padded input [height, width] (multiples of 32); [] pads each batch to its largest image rounded up to 32", def = "[]", min = 32) List<Integer> inputSize,
        @Param(value = "ResNet backbone", def = "{}") BackboneParams backbone,
        @Param(value = "FPN neck", def = "{}") NeckParams neck,
        @Param(value = "dense head towers", def = "{}") HeadParams head,
        @Param(value = "anchor generator", def = "{}") AnchorParams anchor,
        @Param(value = "anchor assignment", def = "{type = atss}", family = "assigner") ComponentSpec assigner,
        @Param(value = "classification loss (alrp_loss: the aLRP loss)", def = "{type = focal}", family = "loss", kind = {ClassificationLoss.class, AlrpLoss.class}) ComponentSpec lossCls,
        @Param(value = "box loss", def = "{type = giou}", family = "loss", kind = {BoxLoss.class}) ComponentSpec lossBbox,
        @Param(value = "centerness loss (atss, and rs_atss with rs.centerness)", def = "{type = bce}", family = "loss", kind = {ClassificationLoss.class}) ComponentSpec lossCenterness,
        @Param(value = "rs_atss recipe switches for ablations", def = "{}") RsRecipeParams rs,
        @Param(value = "DeltaXYWH coder stds", def = "[0.1, 0.1, 0.2, 0.2]") List<Double> bboxStds,
        @Param(value = "test pipeline", def = "{}") TestParams test) {

    public DenseDetectorParams {
        inputSize = InputSize.check(inputSize);
        bboxStds = List.copyOf(bboxStds);
        if (bboxStds.size() != 4) {
            throw new IllegalArgumentException("bbox_stds must have 4 values; got " + bboxStds);
        }
        if (anchor.strides().size() != neck.numOuts()) {
            throw new IllegalArgumentException("anchor.strides has " + anchor.strides().size() + " levels but neck.num_outs is "
                    + neck.numOuts() + "; give one stride per pyramid level");
        }
    }

    /** The height the graph is configured with (any padded size runs through it). */
    public int buildHeight() {
        return InputSize.buildHeight(inputSize);
    }

    public int buildWidth() {
        return InputSize.buildWidth(inputSize);
    }
}
