package io.ranksort4j.detectors.assign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.fitting.MultivariateNormalMixtureExpectationMaximization;
import org.apache.commons.math3.exception.NumberIsTooSmallException;
import org.junit.jupiter.api.Test;

class GaussianMixture1dTest {
    /** Parameters agree with scikit-learn to this (relative to max(1, |value|)); both run in float64. */
    static final double TOL = 1e-9;

    @Test
    void fitMatchesScikitLearnGaussianMixtureOnEveryGoldenCase() throws Exception {
        int cases = 0;
        for (int k = 0; PaaGolden.has("gmm_x_" + k); k++, cases++) {
            double[] x = PaaGolden.doubles("gmm_x_" + k);
            double[] want = PaaGolden.doubles("gmm_fit_" + k);
            GaussianMixture1d.Fit fit = GaussianMixture1d.fitPaa(x, GaussianMixture1d.Settings.PAA.float64());
            double[] got = {fit.weights()[0], fit.weights()[1], fit.means()[0], fit.means()[1], fit.variances()[0], fit.variances()[1]};
            for (int q = 0; q < got.length; q++) {
                assertThat(got[q]).as("case %d parameter %d", k, q).isCloseTo(want[q], within(TOL * Math.max(1, Math.abs(want[q]))));
            }
            assertThat(fit.iterations()).as("case %d iterations", k).isEqualTo((int) want[6]);
            assertThat(fit.converged()).as("case %d converged", k).isEqualTo(want[7] == 1);
            double[] pred = PaaGolden.doubles("gmm_pred_" + k);
            double[] score = PaaGolden.doubles("gmm_score_" + k);
            for (int i = 0; i < x.length; i++) {
                assertThat(fit.predict(x[i])).as("case %d predict %d", k, i).isEqualTo((int) pred[i]);
                assertThat(fit.scoreSample(x[i])).as("case %d score %d", k, i).isCloseTo(score[i], within(TOL * Math.max(1, Math.abs(score[i]))));
            }
        }
        assertThat(cases).isEqualTo(5);
    }

    @Test
    void equalSamplesKeepAPositiveVarianceThroughRegCovar() {
        GaussianMixture1d.Fit fit = GaussianMixture1d.fitPaa(new double[] {0.7, 0.7, 0.7, 0.7, 1.9}, GaussianMixture1d.Settings.PAA.float64());
        assertThat(fit.variances()[0]).isBetween(1e-5, 1.1e-5);
        assertThat(fit.predict(0.7)).isEqualTo(0);
        assertThat(fit.predict(1.9)).isEqualTo(1);
    }

    @Test
    void fewerThanTwoSamplesIsRejected() {
        assertThatThrownBy(() -> GaussianMixture1d.fitPaa(new double[] {1.0}, GaussianMixture1d.Settings.PAA))
                .hasMessageContaining("at least 2 samples");
    }

    /** Why the EM is written here: Commons Math's mixture EM refuses one-dimensional data outright. */
    @Test
    void commonsMathMixtureEmRejectsOneDimensionalData() {
        assertThatThrownBy(() -> new MultivariateNormalMixtureExpectationMaximization(new double[][] {{0.1}, {0.2}, {1.5}, {1.7}}))
                .isInstanceOf(NumberIsTooSmallException.class);
    }
}
