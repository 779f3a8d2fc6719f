package io.ranksort4j.cli.loss;

import com.fasterxml.jackson.databind.JsonNode;
import io.ranksort4j.core.config.ComponentSpec;
import io.ranksort4j.core.io.Json;
import io.ranksort4j.core.loss.ClassificationLoss;
import io.ranksort4j.core.loss.ClassificationLossResult;
import io.ranksort4j.core.loss.Loss;
import io.ranksort4j.core.loss.rank.AlrpLoss;
import io.ranksort4j.core.loss.rank.AlrpParams;
import io.ranksort4j.core.loss.rank.AlrpReference;
import io.ranksort4j.core.loss.rank.AlrpResult;
import io.ranksort4j.core.loss.rank.ApLoss;
import io.ranksort4j.core.loss.rank.ApReference;
import io.ranksort4j.core.loss.rank.ApResult;
import io.ranksort4j.core.loss.rank.RankSortLoss;
import io.ranksort4j.core.loss.rank.RankSortReference;
import io.ranksort4j.core.loss.rank.RankSortResult;
import io.ranksort4j.core.registry.ComponentRegistry;
import io.ranksort4j.core.registry.Injection;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code rs4j loss-check}: a loss's value and per-logit gradient on JSON cases, to cross-check a port. */
@Command(name = "loss-check", mixinStandardHelpOptions = true,
        description = "Compute a loss and its gradient for JSON cases {\"logits\":[...],\"targets\":[...]} and print them as JSON.")
public final class LossCheckCommand implements Callable<Integer> {
    /** Which implementation of a ranking loss to run. */
    public enum Impl { fast, reference }

    @Option(names = "--loss", required = true, description = "Loss name: rank_sort, ap, alrp, focal, bce, quality_focal, ...")
    String loss;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "One case or a JSON array of cases.")
    Path input;

    @Option(names = "--impl", defaultValue = "fast", description = "fast (default) or reference (rank_sort, ap, alrp only).")
    Impl impl;

    @Override
    public Integer call() throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(input.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException(input + ": not valid JSON (" + e.getMessage() + ")");
        }
        ComponentRegistry registry = Injection.registry(List.of());
        if (!registry.names("loss").contains(loss)) {
            registry.build(Loss.FAMILY, ComponentSpec.of(loss)); // throws with the accepted names and a suggestion
        }
        Object out;
        if (root.isArray()) {
            List<Object> all = new ArrayList<>();
            for (int i = 0; i < root.size(); i++) {
                all.add(run(root.get(i), input + "[" + i + "]", registry));
            }
            out = all;
        } else {
            out = run(root, input.toString(), registry);
        }
        System.out.println(Json.pretty(out));
        return 0;
    }

    private Map<String, Object> run(JsonNode c, String where, ComponentRegistry registry) {
        double[] logits = doubles(c, "logits", where, true);
        double[] targets = doubles(c, "targets", where, true);
        if (logits.length != targets.length) {
            throw new IllegalArgumentException(where + ": 'logits' has " + logits.length + " values but 'targets' has " + targets.length);
        }
        Map<String, Object> o = new LinkedHashMap<>();
        switch (loss) {
            case "rank_sort" -> {
                double delta = number(c, "delta", 0.5, where);
                double eps = number(c, "eps", 1e-10, where);
                RankSortResult r = impl == Impl.fast ? new RankSortLoss(delta, eps).compute(logits, targets)
                        : new RankSortReference(delta, eps).compute(logits, targets);
                o.put("loss", r.loss());
                o.put("ranking_loss", r.rankingLoss());
                o.put("sorting_loss", r.sortingLoss());
                o.put("grad", r.grad());
                o.put("num_pos", r.numPositives());
            }
            case "ap" -> {
                double delta = number(c, "delta", 1.0, where);
                ApResult r = impl == Impl.fast ? new ApLoss(delta).compute(logits, targets) : new ApReference(delta).compute(logits, targets);
                o.put("loss", r.loss());
                o.put("grad", r.grad());
                o.put("num_pos", r.numPositives());
            }
            case "alrp" -> {
                double delta = number(c, "delta", 1.0, where);
                double eps = number(c, "eps", 1e-5, where);
                double[] e = doubles(c, "regression_losses", where, false);
                AlrpResult r = impl == Impl.fast ? new AlrpLoss(new AlrpParams(delta, eps, 50, "epoch")).compute(logits, targets, e)
                        : new AlrpReference(delta, eps).compute(logits, targets, e);
                o.put("loss", r.clsLoss());
                o.put("loc_loss", r.locLoss());
                o.put("grad", r.grad());
                o.put("loc_grad", r.locGrad());
                o.put("num_pos", r.numPositives());
            }
            default -> {
                if (impl == Impl.reference) {
                    throw new IllegalArgumentException("--impl reference exists for rank_sort, ap and alrp only; '" + loss + "' has one implementation");
                }
                Loss built = registry.build(Loss.FAMILY, ComponentSpec.of(loss));
                ClassificationLoss cls = Loss.as(ClassificationLoss.class, built, "--loss " + loss);
                float[] l = new float[logits.length];
                float[] t = new float[targets.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (float) logits[i];
                    t[i] = (float) targets[i];
                }
                ClassificationLossResult r = cls.compute(l, t);
                o.put("loss", r.loss());
                o.put("grad", r.grad());
                o.put("num_pos", r.numPositives());
                o.putAll(r.terms());
            }
        }
        return o;
    }

    private static double[] doubles(JsonNode c, String field, String where, boolean required) {
        JsonNode n = c.get(field);
        if (n == null) {
            if (required) {
                throw new IllegalArgumentException(where + ": missing field '" + field + "' (a list of numbers)");
            }
            return new double[0];
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a list of numbers, got " + n.getNodeType());
        }
        double[] out = new double[n.size()];
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isNumber()) {
                throw new IllegalArgumentException(where + "." + field + "[" + i + "]: expected a number, got " + n.get(i));
            }
            out[i] = n.get(i).asDouble();
        }
        return out;
    }

    private static double number(JsonNode c, String field, double def, String where) {
        JsonNode n = c.get(field);
        if (n == null) {
            return def;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(where + "." + field + ": expected a number, got " + n);
        }
        return n.asDouble();
    }
}
