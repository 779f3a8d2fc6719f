package io.ranksort4j.detectors.model;

import io.ranksort4j.data.transform.ImageMeta;
import io.ranksort4j.detectors.head.GroundTruth;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A training or test batch: normalised NCHW images padded to the network's input size, targets and metadata. */
public record DetectionBatch(INDArray images, List<GroundTruth> targets, List<ImageMeta> metas) {}
