package io.ranksort4j.bench.norm;

import io.ranksort4j.detectors.model.GroupNorm;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH: one GroupNorm layer's forward + backward on the P3 head-tower shape at 800 × 1088 ([2, 256, 100, 136] float,
 * 32 groups), with the workspaces a ComputationGraph opens around a layer ({@code ws=graph}) or none ({@code ws=none});
 * beside copying an activation-sized array (the baseline), so the ratio counts passes over the activation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-Dorg.eclipse.deeplearning4j.helpers.disable=false"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class GroupNormBenchmark {
    static final int N = 2;
    static final int C = 256;
    static final int H = 100;
    static final int W = 136;
    static final int GROUPS = 32;

    @Param({"graph", "none"})
    public String ws;

    private Layer layer;
    private INDArray x;
    private INDArray dy;
    private INDArray copy;
    private LayerWorkspaceMgr mgr;

    /** Shaped like a tower conv's output (a per-channel offset and scale), γ and β away from their initial 1 and 0. */
    @Setup
    public void setup() {
        Nd4j.getRandom().setSeed(42);
        GroupNorm conf = new GroupNorm(GROUPS);
        conf.setNIn(InputType.convolutional(H, W, C), true);
        NeuralNetConfiguration nnc = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).layer(conf).build();
        INDArray params = Nd4j.create(DataType.FLOAT, 1, 2 * C);
        layer = nnc.getLayer().instantiate(nnc, List.of(), 0, params, true, DataType.FLOAT);
        layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, 2 * C));
        params.assign(Nd4j.rand(DataType.FLOAT, 1, 2 * C).addi(0.5));
        x = Nd4j.randn(DataType.FLOAT, N, C, H, W).muli(Nd4j.rand(DataType.FLOAT, 1, C, 1, 1).muli(2).addi(0.5))
                .addi(Nd4j.rand(DataType.FLOAT, 1, C, 1, 1).subi(0.5));
        dy = Nd4j.randn(DataType.FLOAT, N, C, H, W).muli(1e-3);
        copy = Nd4j.createUninitialized(DataType.FLOAT, N, C, H, W);
        mgr = "graph".equals(ws) ? graphLike() : LayerWorkspaceMgr.noWorkspaces();
    }

    /** The workspace layout ComputationGraph uses in training (its configurations copied from DL4J M2.1). */
    private static LayerWorkspaceMgr graphLike() {
        WorkspaceConfiguration all = WorkspaceConfiguration.builder().initialSize(0).overallocationLimit(0.05)
                .policyLearning(LearningPolicy.FIRST_LOOP).policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE).policyAllocation(AllocationPolicy.OVERALLOCATE).build();
        WorkspaceConfiguration perLayer = WorkspaceConfiguration.builder().initialSize(0).overallocationLimit(0.02)
                .policyLearning(LearningPolicy.OVER_TIME).cyclesBeforeInitialization(2).policyReset(ResetPolicy.BLOCK_LEFT)
                .policySpill(SpillPolicy.REALLOCATE).policyAllocation(AllocationPolicy.OVERALLOCATE).build();
        return LayerWorkspaceMgr.builder()
                .with(ArrayType.ACTIVATIONS, "GN_BENCH_ACT", all)
                .with(ArrayType.INPUT, "GN_BENCH_ACT", all)
                .with(ArrayType.FF_WORKING_MEM, "GN_BENCH_WORKING", perLayer)
                .with(ArrayType.BP_WORKING_MEM, "GN_BENCH_WORKING", perLayer)
                .with(ArrayType.ACTIVATION_GRAD, "GN_BENCH_GRAD", perLayer)
                .with(ArrayType.RNN_FF_LOOP_WORKING_MEM, "GN_BENCH_RNN", perLayer)
                .with(ArrayType.RNN_BP_LOOP_WORKING_MEM, "GN_BENCH_RNN", perLayer)
                .with(ArrayType.UPDATER_WORKING_MEM, "GN_BENCH_WORKING", perLayer)
                .build();
    }

    @Benchmark
    public float forwardBackward() {
        return step();
    }

    /** Forward then backward as ComputationGraph nests them: output in the activations workspace, ε in the gradient's. */
    float step() {
        float seen;
        try (MemoryWorkspace act = mgr.notifyScopeEntered(ArrayType.ACTIVATIONS)) {
            layer.setInput(x, mgr);
            try (MemoryWorkspace ff = mgr.notifyScopeEntered(ArrayType.FF_WORKING_MEM)) {
                seen = layer.activate(true, mgr).getFloat(0);
            }
            try (MemoryWorkspace grad = mgr.notifyScopeEntered(ArrayType.ACTIVATION_GRAD)) {
                Pair<Gradient, INDArray> p;
                try (MemoryWorkspace bp = mgr.notifyScopeEntered(ArrayType.BP_WORKING_MEM)) {
                    p = layer.backpropGradient(dy, mgr);
                }
                seen += p.getSecond().getFloat(0) + p.getFirst().getGradientFor(GroupNorm.GAMMA).getFloat(0);
            }
        }
        layer.clear();
        return seen;
    }

    @Benchmark
    public float baselineCopy() {
        return copy.assign(x).getFloat(0);
    }
}
