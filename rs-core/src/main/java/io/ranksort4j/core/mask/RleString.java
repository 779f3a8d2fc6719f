package io.ranksort4j.core.mask;

/**
 * COCO's compressed RLE counts string (pycocotools' {@code rleToString} / {@code rleFrString}): 6 bits per
 * character, LEB128-like, delta-coded from the fourth count on. Shared by the dataset readers and the evaluator.
 */
public final class RleString {
    private RleString() {}

    /** Encodes run lengths, read as unsigned 32-bit values as pycocotools' {@code uint} counts are. */
    public static String encode(int[] counts) {
        StringBuilder s = new StringBuilder(counts.length * 2);
        for (int i = 0; i < counts.length; i++) {
            long x = Integer.toUnsignedLong(counts[i]);
            if (i > 2) {
                x -= Integer.toUnsignedLong(counts[i - 2]);
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    /** Decodes a compressed string into its run lengths. */
    public static int[] decode(String s) {
        // one value ends at every character without the continuation bit: size the array exactly, once
        int values = 0;
        for (int p = 0; p < s.length(); p++) {
            if (((s.charAt(p) - 48) & 0x20) == 0) {
                values++;
            }
        }
        int[] counts = new int[values];
        Reader r = new Reader(s);
        for (int m = 0; r.hasNext(); m++) {
            counts[m] = r.next();
        }
        return counts;
    }

    /** Reads the run lengths one at a time, for callers that need only aggregates of them (area, box). */
    public static final class Reader {
        private final String s;
        private int p;
        private int m;
        private int prev1;
        private int prev2;

        public Reader(String s) {
            this.s = s;
        }

        public boolean hasNext() {
            return p < s.length();
        }

        /** The next run length (an unsigned 32-bit value in an int). */
        public int next() {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("truncated RLE counts string");
                }
                int c = s.charAt(p) - 48;
                x |= (long) (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (m > 2) {
                x += Integer.toUnsignedLong(prev2);
            }
            int count = (int) x;
            prev2 = prev1;
            prev1 = count;
            m++;
            return count;
        }
    }
}
