package io.ranksort4j.core.loss.rank;

/**
 * Read access to a float or double vector, so the fast losses run on the caller's float logits without
 * copying them into a double array (the memory budget is 4 bytes per logit beyond the gradient).
 */
interface Scores {
    double get(int i);

    int length();

    static Scores of(float[] a) {
        return new Scores() {
            @Override
            public double get(int i) {
                return a[i];
            }

            @Override
            public int length() {
                return a.length;
            }
        };
    }

    static Scores of(double[] a) {
        return new Scores() {
            @Override
            public double get(int i) {
                return a[i];
            }

            @Override
            public int length() {
                return a.length;
            }
        };
    }
}
