package io.ranksort4j.eval.coco;

/** What the IoU is computed on. */
public enum IouType {
    BBOX, SEGM;

    /** Parses {@code bbox} / {@code segm}. */
    public static IouType parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "bbox" -> BBOX;
            case "segm" -> SEGM;
            default -> throw new IllegalArgumentException("unknown IoU type '" + s + "'; use bbox or segm");
        };
    }
}
