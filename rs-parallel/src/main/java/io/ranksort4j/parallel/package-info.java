/** Detectors trained by DL4J's own {@code fit}: serialisable recipe loss, targets in the labels, ParallelWrapper training. */
package io.ranksort4j.parallel;
