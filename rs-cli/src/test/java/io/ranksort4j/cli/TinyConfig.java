package io.ranksort4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The quickstart shrunk for tests: 16 synthetic 128 px images, a tiny network, validation on the training images. */
public final class TinyConfig {
    private TinyConfig() {}

    public static Path write(Path dir, int iters) throws Exception {
        Path quickstart = Path.of("..", "configs", "quickstart.conf").toAbsolutePath().normalize();
        String data = dir.resolve("synth").toString().replace("\\", "/");
        String synth = "dir = \"" + data + "\", train_images = 16, val_images = 4, categories = 2, size = 128";
        Path cfg = dir.resolve("tiny.conf");
        Files.writeString(cfg, "include file(\"" + quickstart + "\")\n"
                + "model { num_classes = 2, input_size = [128, 128], backbone { base_width = 8 }, neck { out_channels = 16 },"
                + " head { stacked_convs = 1, feat_channels = 16 } }\n"
                // validation on the training images: the tests ask whether learning happens, not whether it generalises
                + "data.train.dataset { " + synth + ", split = train }\n"
                + "data.val.dataset { " + synth + ", split = train, filter_empty_gt = false }\n"
                + "data.train.transform.scales = [[128, 128]]\n"
                + "data.val.transform.scales = [[128, 128]]\n"
                + "data.train.loader { batch_size = 4, workers = 1 }\n"
                + "schedule { lr = 0.02, warmup_iters = 5, policy = fixed, max_iters = " + iters + " }\n"
                + "runtime { log_interval = 8, checkpoint_interval = 24 }\n");
        return cfg;
    }
}
