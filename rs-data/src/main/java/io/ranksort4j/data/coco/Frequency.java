package io.ranksort4j.data.coco;

/** LVIS category frequency group: rare (1–10 training images), common (11–100) or frequent (over 100). */
public enum Frequency {
    RARE("r"), COMMON("c"), FREQUENT("f");

    private final String code;

    Frequency(String code) {
        this.code = code;
    }

    /** The one-letter code LVIS files use. */
    public String code() {
        return code;
    }

    /** Parses "r", "c" or "f"; null for anything else. */
    public static Frequency ofCode(String s) {
        for (Frequency f : values()) {
            if (f.code.equals(s)) {
                return f;
            }
        }
        return null;
    }

    /** The LVIS group of a category seen in {@code imageCount} training images. */
    public static Frequency ofImageCount(int imageCount) {
        return imageCount <= 10 ? RARE : imageCount <= 100 ? COMMON : FREQUENT;
    }
}
