package io.ranksort4j.detectors.rcnn;

import java.util.List;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;

/**
 * A RoI head as a DL4J network on pooled RoI features: forward on a batch of RoIs, and backward from a Java-computed
 * output gradient to the parameter gradient and the gradient w.r.t. the pooled features, which RoIAlign's backward
 * carries on into the trunk. Workspaces are off: DL4J's external-error backward needs that (see docs/design.md), and
 * no other network's workspaces may be open on the calling thread.
 */
public final class HeadNet {
    private MultiLayerNetwork net;
    private final int[] inputShape;
    private long[] outShape;
    private boolean ran;

    private HeadNet(MultiLayerNetwork net, int[] inputShape) {
        this.net = net;
        this.inputShape = inputShape;
    }

    /**
     * mmdetection's Shared2FCBBoxHead: flatten c × s × s, FC + ReLU twice, then one FC giving the C class logits
     * (C + 1 with a background logit, for softmax) followed by the 4C (or 4 class-agnostic) deltas; cls weights
     * N(0, 0.01), reg N(0, 0.001), biases 0.
     */
    public static HeadNet box(int channels, int roiSize, int fc, int numClasses, boolean background, boolean classAgnostic, long seed, DataType dtype) {
        int reg = classAgnostic ? 4 : 4 * numClasses;
        int classes = background ? numClasses + 1 : numClasses;
        MultiLayerConfiguration conf = base(seed, dtype).list()
                .layer(new DenseLayer.Builder().nOut(fc).activation(Activation.RELU).weightInit(WeightInit.XAVIER_UNIFORM).build())
                .layer(new DenseLayer.Builder().nOut(fc).activation(Activation.RELU).weightInit(WeightInit.XAVIER_UNIFORM).build())
                .layer(new DenseLayer.Builder().nOut(classes + reg).activation(Activation.IDENTITY).weightInit(WeightInit.ZERO).build())
                .setInputType(InputType.convolutional(roiSize, roiSize, channels))
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        INDArray w = net.getLayer(2).getParam("W");
        Nd4j.getRandom().setSeed(seed);
        w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, classes))
                .assign(Nd4j.randn(dtype, fc, classes).muli(0.01));
        w.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(classes, classes + reg))
                .assign(Nd4j.randn(dtype, fc, reg).muli(0.001));
        return new HeadNet(net, new int[] {channels, roiSize, roiSize});
    }

    /** mmdetection's FCNMaskHead: convs × (3×3 conv + ReLU), a 2×2 stride-2 deconvolution + ReLU, a 1×1 conv to one mask per class. */
    public static HeadNet mask(int channels, int roiSize, int convs, int convChannels, int classes, long seed, DataType dtype) {
        NeuralNetConfiguration.ListBuilder b = base(seed, dtype).list();
        for (int i = 0; i < convs; i++) {
            b.layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nOut(convChannels).activation(Activation.RELU).build());
        }
        b.layer(new Deconvolution2D.Builder().kernelSize(2, 2).stride(2, 2).nOut(convChannels).activation(Activation.RELU).build());
        b.layer(new ConvolutionLayer.Builder(1, 1).nOut(classes).activation(Activation.IDENTITY).build());
        MultiLayerNetwork net = new MultiLayerNetwork(b.setInputType(InputType.convolutional(roiSize, roiSize, channels)).build());
        net.init();
        return new HeadNet(net, new int[] {channels, roiSize, roiSize});
    }

    private static NeuralNetConfiguration.Builder base(long seed, DataType dtype) {
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dtype)
                .updater(new NoOp())
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Truncate)
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE);
    }

    public long numParams() {
        return net.numParams();
    }

    /** Re-initialises the network on a view of a larger parameter vector (its current weights copied in). */
    /** The network (its parameter table names the head's tensors). */
    MultiLayerNetwork network() {
        return net;
    }

    void bindParams(INDArray view) {
        view.assign(net.params());
        MultiLayerNetwork bound = new MultiLayerNetwork(net.getLayerWiseConfigurations());
        bound.init(view, false);
        bound.initGradientsView();
        net = bound;
    }

    /** Inference on k pooled RoIs (k × c × s × s values); returns the k output rows, flattened. */
    public float[] output(float[] pooled, int k) {
        return net.output(input(pooled, k), false).castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }

    /** Training-mode forward; keeps what {@link #backward} needs. */
    public float[] forward(float[] pooled, int k) {
        net.setInput(input(pooled, k));
        List<INDArray> acts = net.feedForward(true, false); // keeps each layer's input for the backward
        INDArray out = acts.get(acts.size() - 1);
        outShape = out.shape();
        return out.castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }

    /** Backward from dL/d(output) (same layout as {@link #forward}'s result); returns dL/d(pooled features). */
    public float[] backward(float[] gradOut, int k) {
        Pair<Gradient, INDArray> p = net.backpropGradient(Nd4j.create(gradOut, outShape).castTo(net.params().dataType()),
                LayerWorkspaceMgr.noWorkspaces());
        ran = true;
        return p.getSecond().castTo(DataType.FLOAT).reshape(-1).toFloatVector();
    }

    /** The parameter gradient of the last {@link #backward}, or null when none ran since {@link #clear}. */
    public INDArray gradient() {
        return ran ? net.getGradientsViewArray() : null;
    }

    /** Forgets the last backward (a head that saw no RoIs this step contributes no gradient). */
    public void clear() {
        ran = false;
    }

    private INDArray input(float[] pooled, int k) {
        return Nd4j.create(pooled, new long[] {k, inputShape[0], inputShape[1], inputShape[2]}).castTo(net.params().dataType());
    }
}
