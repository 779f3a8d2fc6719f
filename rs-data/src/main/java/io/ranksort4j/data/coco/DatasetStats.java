package io.ranksort4j.data.coco;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Summary of a dataset for {@code rs4j data stats}: counts, LVIS frequency groups, and box sizes
 * (COCO's small / medium / large split at areas 32² and 96², by box area).
 */
public record DatasetStats(int images, long annotations, long crowd, int categories, int imagesWithoutAnnotations,
                           int categoriesWithoutImages, Map<String, Integer> categoriesByFrequency,
                           Map<String, Long> annotationsByFrequency, long small, long medium, long large,
                           double[] sideQuantiles, double meanAnnotationsPerImage, int maxAnnotationsPerImage) {

    /** Quantiles reported for sqrt(box area): min, 10 %, 50 %, 90 %, max. */
    public static final double[] QUANTILES = {0, 0.1, 0.5, 0.9, 1};

    public static DatasetStats of(Dataset d) {
        long anns = 0;
        long crowd = 0;
        int empty = 0;
        int maxPer = 0;
        long small = 0;
        long medium = 0;
        long large = 0;
        double[] sides = new double[(int) Math.min(Integer.MAX_VALUE - 8, d.annotationCount())];
        int ns = 0;
        Map<Frequency, Long> annByFreq = new EnumMap<>(Frequency.class);
        for (ImageInfo im : d.images()) {
            var list = d.annotations(im.id());
            anns += list.size();
            empty += list.isEmpty() ? 1 : 0;
            maxPer = Math.max(maxPer, list.size());
            for (Annotation a : list) {
                crowd += a.iscrowd() ? 1 : 0;
                double area = a.w() * a.h();
                if (area < 32 * 32) {
                    small++;
                } else if (area < 96 * 96) {
                    medium++;
                } else {
                    large++;
                }
                sides[ns++] = Math.sqrt(area);
                Frequency f = d.categories().get(d.labelOf(a.categoryId())).frequency();
                if (f != null) {
                    annByFreq.merge(f, 1L, Long::sum);
                }
            }
        }
        Arrays.sort(sides, 0, ns);
        double[] q = new double[QUANTILES.length];
        for (int i = 0; i < q.length; i++) {
            q[i] = ns == 0 ? Double.NaN : sides[(int) Math.round(QUANTILES[i] * (ns - 1))];
        }
        Map<String, Integer> catByFreq = new LinkedHashMap<>();
        Map<String, Long> annByFreqS = new LinkedHashMap<>();
        for (Frequency f : Frequency.values()) {
            int c = (int) d.categories().stream().filter(x -> x.frequency() == f).count();
            if (c > 0) {
                catByFreq.put(f.code(), c);
                annByFreqS.put(f.code(), annByFreq.getOrDefault(f, 0L));
            }
        }
        int unused = (int) Arrays.stream(d.imageCountsByLabel()).filter(c -> c == 0).count();
        return new DatasetStats(d.size(), anns, crowd, d.numClasses(), empty, unused, catByFreq, annByFreqS, small, medium, large,
                q, d.size() == 0 ? 0 : (double) anns / d.size(), maxPer);
    }

    /** Human-readable lines. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("images                %d (%d without annotations)%n", images, imagesWithoutAnnotations));
        sb.append(String.format("annotations           %d (%d crowd), %.2f per image, at most %d%n", annotations, crowd,
                meanAnnotationsPerImage, maxAnnotationsPerImage));
        sb.append(String.format("categories            %d (%d in no image)%n", categories, categoriesWithoutImages));
        if (!categoriesByFrequency.isEmpty()) {
            sb.append("frequency groups      ");
            categoriesByFrequency.forEach((k, v) -> sb.append(String.format("%s: %d categories / %d annotations   ", k, v,
                    annotationsByFrequency.get(k))));
            sb.append('\n');
        }
        sb.append(String.format("box sizes             small %d, medium %d, large %d (area < 32², < 96², ≥ 96²)%n", small, medium, large));
        sb.append(String.format("sqrt(box area)        min %.1f, p10 %.1f, median %.1f, p90 %.1f, max %.1f%n",
                sideQuantiles[0], sideQuantiles[1], sideQuantiles[2], sideQuantiles[3], sideQuantiles[4]));
        return sb.toString();
    }
}
