package io.ranksort4j.parallel;

import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;

/**
 * PyTorch's (and mmdetection's) SGD with plain, non-Nesterov momentum as a DL4J updater: {@code v ← μv + g;
 * update = lr·v}. DL4J ships only Nesterov momentum ({@code Nesterovs}); weight decay comes before it as DL4J's
 * L2 regularisation ({@code g + λw}, torch's coupled weight decay).
 */
@org.nd4j.shade.jackson.annotation.JsonAutoDetect(fieldVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.ANY,
        getterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE,
        isGetterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE,
        setterVisibility = org.nd4j.shade.jackson.annotation.JsonAutoDetect.Visibility.NONE)
public final class TorchSgd implements IUpdater {
    private static final long serialVersionUID = 1L;

    private double learningRate;
    private ISchedule learningRateSchedule;
    private double momentum;

    /** For DL4J's JSON deserialisation. */
    public TorchSgd() {}

    public TorchSgd(ISchedule learningRateSchedule, double momentum) {
        this(Double.NaN, learningRateSchedule, momentum);
    }

    public TorchSgd(double learningRate, ISchedule learningRateSchedule, double momentum) {
        this.learningRate = learningRate;
        this.learningRateSchedule = learningRateSchedule;
        this.momentum = momentum;
    }

    public double momentum() {
        return momentum;
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        Updater u = new Updater(this);
        u.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return u;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        Updater u = new Updater(this);
        u.setState(updaterState, initializeStateArrays);
        return u;
    }

    @Override
    public TorchSgd clone() {
        return new TorchSgd(learningRate, learningRateSchedule == null ? null : learningRateSchedule.clone(), momentum);
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRateSchedule != null ? learningRateSchedule.valueAt(iteration, epoch) : learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        this.learningRate = lr;
        this.learningRateSchedule = lrSchedule;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorchSgd t && Double.compare(learningRate, t.learningRate) == 0 && Double.compare(momentum, t.momentum) == 0
                && Objects.equals(learningRateSchedule, t.learningRateSchedule);
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, learningRateSchedule, momentum);
    }

    @Override
    public String toString() {
        return "TorchSgd(lr=" + (learningRateSchedule != null ? learningRateSchedule : learningRate) + ", momentum=" + momentum + ")";
    }

    /** The momentum buffer over one block of parameters. */
    static final class Updater implements GradientUpdater<TorchSgd> {
        static final String V_STATE = "V";
        private final TorchSgd config;
        private INDArray v;

        Updater(TorchSgd config) {
            this.config = config;
        }

        @Override
        public TorchSgd getConfig() {
            return config;
        }

        @Override
        public void setState(Map<String, INDArray> stateMap, boolean initialize) {
            if (!stateMap.containsKey(V_STATE) || stateMap.size() != 1) {
                throw new IllegalStateException("TorchSgd state holds only [" + V_STATE + "], got " + stateMap.keySet());
            }
            v = stateMap.get(V_STATE);
            if (initialize) {
                v.assign(0);
            }
        }

        @Override
        public Map<String, INDArray> getState() {
            return Map.of(V_STATE, v);
        }

        @Override
        public void setStateViewArray(INDArray viewArray, long[] gradientShape, char gradientOrder, boolean initialize) {
            if (initialize) {
                viewArray.assign(0);
            }
            v = viewArray.reshape(gradientOrder, gradientShape);
        }

        @Override
        public void applyUpdater(INDArray gradient, int iteration, int epoch) {
            double lr = config.getLearningRate(iteration, epoch);
            INDArray g = gradient.reshape(v.shape());
            v.muli(config.momentum).addi(g);
            g.assign(v).muli(lr);
        }
    }
}
