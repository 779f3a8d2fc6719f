package io.ranksort4j.data.coco;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A detection dataset in memory: images in file order, their annotations, and categories with the
 * category-id ↔ contiguous-label mapping (labels 0..K−1 in ascending category-id order, as mmdetection).
 * Immutable; {@link #filterEmptyGt()} and {@link #withImageRoot(Path)} return new views.
 */
public final class Dataset {
    /** Which schema a file followed. */
    public enum Flavour { COCO, LVIS }

    private final Path source;
    private final Path imageRoot;
    private final Flavour flavour;
    private final List<ImageInfo> images;
    private final List<Category> categories;
    private final Map<Long, List<Annotation>> annotationsByImage;
    private final Map<Long, Integer> labelOfCategory;
    private final long[] categoryOfLabel;
    private final int skippedAnnotations;
    private final List<String> skipReasons;

    public Dataset(Path source, Path imageRoot, Flavour flavour, List<ImageInfo> images, List<Category> categories,
                   Map<Long, List<Annotation>> annotationsByImage, int skippedAnnotations, List<String> skipReasons) {
        this.source = source;
        this.imageRoot = imageRoot;
        this.flavour = flavour;
        this.images = List.copyOf(images);
        List<Category> sorted = new ArrayList<>(categories);
        sorted.sort(Comparator.comparingLong(Category::id));
        this.categories = Collections.unmodifiableList(sorted);
        this.annotationsByImage = Collections.unmodifiableMap(annotationsByImage);
        this.labelOfCategory = new HashMap<>();
        this.categoryOfLabel = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            labelOfCategory.put(sorted.get(i).id(), i);
            categoryOfLabel[i] = sorted.get(i).id();
        }
        this.skippedAnnotations = skippedAnnotations;
        this.skipReasons = List.copyOf(skipReasons);
    }

    /** The annotation file this came from (null for data built in memory). */
    public Path source() {
        return source;
    }

    /** Where image files are resolved from (null if not set). */
    public Path imageRoot() {
        return imageRoot;
    }

    public Flavour flavour() {
        return flavour;
    }

    public List<ImageInfo> images() {
        return images;
    }

    public int size() {
        return images.size();
    }

    public ImageInfo image(int index) {
        return images.get(index);
    }

    /** Categories in ascending id order, so {@code categories().get(label)} is the label's category. */
    public List<Category> categories() {
        return categories;
    }

    public int numClasses() {
        return categories.size();
    }

    /** The contiguous label 0..K−1 of a category id. */
    public int labelOf(long categoryId) {
        Integer l = labelOfCategory.get(categoryId);
        if (l == null) {
            throw new IllegalArgumentException("unknown category id " + categoryId);
        }
        return l;
    }

    /** The category id of a contiguous label. */
    public long categoryIdOf(int label) {
        return categoryOfLabel[label];
    }

    /** An image's annotations in file order (empty if it has none). */
    public List<Annotation> annotations(long imageId) {
        List<Annotation> l = annotationsByImage.get(imageId);
        return l == null ? List.of() : Collections.unmodifiableList(l);
    }

    /** Total number of annotations over the images of this view. */
    public long annotationCount() {
        long n = 0;
        for (ImageInfo im : images) {
            n += annotations(im.id()).size();
        }
        return n;
    }

    /** Annotations the lenient reader skipped. */
    public int skippedAnnotations() {
        return skippedAnnotations;
    }

    /** Why the first skipped annotations were skipped (at most 20 reasons kept). */
    public List<String> skipReasons() {
        return skipReasons;
    }

    /** The image file of an image, resolved against {@link #imageRoot()}. */
    public Path imagePath(ImageInfo image) {
        return imageRoot == null ? Path.of(image.fileName()) : imageRoot.resolve(image.fileName());
    }

    /** This dataset with its images resolved against {@code root}. */
    public Dataset withImageRoot(Path root) {
        return new Dataset(source, root, flavour, images, categories, annotationsByImage, skippedAnnotations, skipReasons);
    }

    /**
     * mmdetection's {@code filter_empty_gt}: drops images without any annotation (crowd ones count), so
     * that a training image always has something to learn from.
     */
    public Dataset filterEmptyGt() {
        List<ImageInfo> kept = new ArrayList<>();
        for (ImageInfo im : images) {
            if (!annotations(im.id()).isEmpty()) {
                kept.add(im);
            }
        }
        return new Dataset(source, imageRoot, flavour, kept, categories, annotationsByImage, skippedAnnotations, skipReasons);
    }

    /** The first {@code n} images (for smoke tests and benchmarks). */
    public Dataset head(int n) {
        return new Dataset(source, imageRoot, flavour, images.subList(0, Math.min(n, images.size())), categories,
                annotationsByImage, skippedAnnotations, skipReasons);
    }

    /** For each image, the distinct labels of its annotations (crowd included), sorted. */
    public int[][] labelsPerImage() {
        int[][] out = new int[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            out[i] = annotations(images.get(i).id()).stream().mapToInt(a -> labelOf(a.categoryId())).distinct().sorted().toArray();
        }
        return out;
    }

    /** Number of images each category appears in, by label. */
    public int[] imageCountsByLabel() {
        int[] counts = new int[numClasses()];
        for (int[] ls : labelsPerImage()) {
            for (int l : ls) {
                counts[l]++;
            }
        }
        return counts;
    }

    /** The run-provenance fingerprint of the annotation file (hashes the file; null for in-memory data). */
    public io.ranksort4j.core.run.DatasetFingerprint fingerprint() {
        return source == null ? null : io.ranksort4j.core.run.DatasetFingerprint.of(source, images.size());
    }

    /** Builds a dataset in memory (tests, synthetic data). */
    public static Dataset of(List<ImageInfo> images, List<Category> categories, List<Annotation> annotations) {
        Map<Long, List<Annotation>> by = new LinkedHashMap<>();
        for (Annotation a : annotations) {
            by.computeIfAbsent(a.imageId(), k -> new ArrayList<>()).add(a);
        }
        return new Dataset(null, null, Flavour.COCO, images, categories, by, 0, List.of());
    }

    @Override
    public String toString() {
        return "Dataset[" + (source == null ? "memory" : source) + ", " + flavour + ", images=" + images.size()
                + ", categories=" + categories.size() + ", annotations=" + annotationCount()
                + (skippedAnnotations > 0 ? ", skipped=" + skippedAnnotations : "") + "]";
    }
}
