package io.ranksort4j.cli.train;

import io.ranksort4j.cli.UserModules;
import io.ranksort4j.core.config.ConfigLoader;
import io.ranksort4j.detectors.engine.Experiment;
import io.ranksort4j.detectors.engine.ImageInference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rs4j infer CONFIG --checkpoint DIR --images FILE|DIR}: runs trained weights on images and draws what it finds. */
@Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Run a checkpoint on an image or a folder of images (jpg, jpeg, png): COCO results plus a drawn copy of each image.")
public final class InferCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "The config the checkpoint was trained with.")
    Path config;

    @Option(names = "--checkpoint", required = true, paramLabel = "PATH",
            description = "A checkpoints/iter_* directory (or its weights.bin).")
    Path checkpoint;

    @Option(names = "--images", required = true, paramLabel = "FILE|DIR",
            description = "One image, or a folder whose .jpg/.jpeg/.png files are taken in name order (subfolders are not searched).")
    Path images;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where results.json, images.json and the drawn images go (default: <work dir>/infer).")
    Path out;

    @Option(names = "--score-thr", paramLabel = "T", defaultValue = "0.3",
            description = "Draw detections scoring at least T (default ${DEFAULT-VALUE}); results.json keeps them all, for evaluation later.")
    double scoreThr;

    @Option(names = "--device", paramLabel = "cpu|gpu", defaultValue = "cpu",
            description = "Where to run: the ND4J backend this rs4j was built with decides (the default build is cpu; mvn -Pcuda builds gpu).")
    String device;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--work-dir", paramLabel = "DIR", description = "The run directory whose infer/ folder is the default --out.")
    Path workDir;

    @Mixin
    UserModules modules;

    @Override
    public Integer call() {
        if (scoreThr < 0 || scoreThr > 1) {
            throw new IllegalArgumentException("--score-thr " + scoreThr + " is not a score; give a value from 0 to 1, e.g. --score-thr 0.3");
        }
        // ND4J binds its backend when the classes load, so the device is a property of the build, not of a run
        String backend = org.nd4j.linalg.factory.Nd4j.getBackend().getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT).contains("cuda")
                ? "gpu" : "cpu";
        if (!device.equals(backend)) {
            throw new IllegalArgumentException("--device " + device + ": this rs4j runs ND4J's " + backend + " backend; "
                    + (device.equals("gpu") ? "build it with mvn -Pcuda -DskipTests package to run on a GPU" : "use the default build (mvn -DskipTests package)")
                    + ", or drop --device");
        }
        Experiment e = Experiment.of(ConfigLoader.load(config, overrides), modules::registry, config, workDir, System.out);
        ImageInference.Result r = e.infer(checkpoint, images, out, scoreThr);
        System.out.printf("%d image%s, %d detections; drawn images (score >= %s) in %s%n", r.images(), r.images() == 1 ? "" : "s", r.detections(),
                scoreThr, r.outDir().toAbsolutePath());
        System.out.println("results: " + r.resultsFile().toAbsolutePath() + " (image ids: " + r.imagesFile().getFileName() + ")");
        if (!r.skipped().isEmpty()) {
            System.out.printf("skipped %d unreadable file%s (listed above and in %s)%n", r.skipped().size(), r.skipped().size() == 1 ? "" : "s",
                    r.imagesFile().getFileName());
        }
        return 0;
    }
}
