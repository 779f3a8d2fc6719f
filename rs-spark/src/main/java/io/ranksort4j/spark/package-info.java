/** Multi-node training of the project's detectors with DL4J's Spark training. */
package io.ranksort4j.spark;
