package io.ranksort4j.core.loss;

import io.ranksort4j.core.registry.Family;

/** Anything registered in the {@code loss} family: classification, box or mask losses. */
public interface Loss {
    /** The {@code loss} component family; a config's {@code loss_cls { type = ... }} chooses from it. */
    Family<Loss> FAMILY = new Family<>("loss", Loss.class,
            "classification, box and mask losses (rank_sort, ap, alrp, focal, giou, l1, ...)");

    /** Casts a built loss to the kind a slot needs, with an error that names the slot and what fits it. */
    static <L extends Loss> L as(Class<L> kind, Loss loss, String slot) {
        if (!kind.isInstance(loss)) {
            throw new IllegalArgumentException(slot + ": '" + loss.getClass().getSimpleName() + "' is not a "
                    + kind.getSimpleName() + "; choose a " + kind.getSimpleName() + " type (see 'rs4j components loss')");
        }
        return kind.cast(loss);
    }
}
