package io.ranksort4j.eval.data;

import java.util.ArrayList;
import java.util.List;

/**
 * A ground-truth set indexed the way pycocotools indexes it: images and categories sorted by id,
 * annotations per image in file order (the order matching sees).
 */
public final class GroundTruth {
    private final List<ImageInfo> images;
    private final List<Category> categories;
    private final long[] imageIds;
    private final long[] categoryIds;
    private final LongIntMap imageIndex;
    private final LongIntMap categoryIndex;
    private final List<List<GtAnnotation>> annsPerImage;
    private final int annotationCount;

    /** Builds the index; duplicate image or category ids keep their first entry. */
    public GroundTruth(List<ImageInfo> images, List<Category> categories, List<GtAnnotation> annotations) {
        List<ImageInfo> imgs = new ArrayList<>(images);
        imgs.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<ImageInfo> uniq = new ArrayList<>();
        for (ImageInfo im : imgs) {
            if (uniq.isEmpty() || uniq.get(uniq.size() - 1).id() != im.id()) {
                uniq.add(im);
            }
        }
        this.images = List.copyOf(uniq);
        List<Category> cats = new ArrayList<>(categories);
        cats.sort((a, b) -> Long.compare(a.id(), b.id()));
        List<Category> uc = new ArrayList<>();
        for (Category c : cats) {
            if (uc.isEmpty() || uc.get(uc.size() - 1).id() != c.id()) {
                uc.add(c);
            }
        }
        this.categories = List.copyOf(uc);
        imageIds = this.images.stream().mapToLong(ImageInfo::id).toArray();
        categoryIds = this.categories.stream().mapToLong(Category::id).toArray();
        imageIndex = new LongIntMap(imageIds.length);
        categoryIndex = new LongIntMap(categoryIds.length);
        for (int i = 0; i < imageIds.length; i++) {
            imageIndex.putIfAbsent(imageIds[i], i);
        }
        for (int i = 0; i < categoryIds.length; i++) {
            categoryIndex.putIfAbsent(categoryIds[i], i);
        }
        annsPerImage = new ArrayList<>(imageIds.length);
        for (int i = 0; i < imageIds.length; i++) {
            annsPerImage.add(new ArrayList<>());
        }
        int n = 0;
        for (GtAnnotation a : annotations) {
            int ii = imageIndex.get(a.imageId());
            // like pycocotools, annotations of unknown images or categories never reach evaluation
            if (ii >= 0 && categoryIndex.get(a.categoryId()) >= 0) {
                annsPerImage.get(ii).add(a);
                n++;
            }
        }
        annotationCount = n;
    }

    public List<ImageInfo> images() {
        return images;
    }

    public List<Category> categories() {
        return categories;
    }

    /** Sorted image ids. */
    public long[] imageIds() {
        return imageIds.clone();
    }

    /** Sorted category ids. */
    public long[] categoryIds() {
        return categoryIds.clone();
    }

    public int imageCount() {
        return imageIds.length;
    }

    public int categoryCount() {
        return categoryIds.length;
    }

    /** Index of an image id in sorted order, or -1. */
    public int imageIndex(long id) {
        return imageIndex.get(id);
    }

    /** Index of a category id in sorted order, or -1. */
    public int categoryIndex(long id) {
        return categoryIndex.get(id);
    }

    public ImageInfo image(int index) {
        return images.get(index);
    }

    /** The annotations of the image at {@code index}, file order, known categories only. */
    public List<GtAnnotation> annotations(int imageIndex) {
        return annsPerImage.get(imageIndex);
    }

    public int annotationCount() {
        return annotationCount;
    }

    @Override
    public String toString() {
        return "GroundTruth[" + imageIds.length + " images, " + categoryIds.length + " categories, " + annotationCount + " annotations]";
    }
}
