package io.ranksort4j.cli;

import com.typesafe.config.ConfigRenderOptions;
import io.ranksort4j.core.config.ParamInfo;
import io.ranksort4j.core.config.ParamsBinder;
import io.ranksort4j.core.registry.ComponentFactory;
import io.ranksort4j.core.registry.ComponentRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code rs4j components [FAMILY]}: every family, its names and each one's parameters with defaults. */
@Command(name = "components", mixinStandardHelpOptions = true,
        description = "List component families, their registered names and parameters with defaults.")
final class ComponentsCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "FAMILY", description = "Only this family (e.g. loss).")
    String family;

    @Mixin
    UserModules modules;

    @Override
    public Integer call() {
        ComponentRegistry registry = modules.registry(List.of());
        System.out.print(render(registry, family));
        return 0;
    }

    static String render(ComponentRegistry registry, String only) {
        StringBuilder sb = new StringBuilder();
        for (var fam : registry.families().values()) {
            if (only != null && !only.equals(fam.name())) {
                continue;
            }
            Map<String, ComponentFactory<?>> named = registry.factoriesOf(fam.name());
            sb.append(fam.name()).append(" — ").append(fam.doc()).append('\n');
            if (named.isEmpty()) {
                sb.append("  (no components registered)\n");
            }
            for (var e : named.entrySet()) {
                sb.append("  ").append(e.getKey()).append(": ").append(e.getValue().doc()).append('\n');
                var own = e.getValue().defaults().root();
                for (ParamInfo p : ParamsBinder.describe(e.getValue().paramsType())) {
                    String def = own.containsKey(p.key()) ? own.get(p.key()).render(ConfigRenderOptions.concise())
                            : p.required() ? "(required)" : p.defaultValue();
                    sb.append(String.format("      %-22s %-14s = %-14s %s%s%n", p.key(), p.type(), def, p.doc(),
                            (p.range().isEmpty() ? "" : " " + p.range()) + (p.family().isEmpty() ? "" : " (a " + p.family() + ")")));
                }
            }
            sb.append('\n');
        }
        if (only != null && sb.length() == 0) {
            registry.factoriesOf(only); // throws with the list of families and a suggestion
        }
        return sb.toString();
    }
}
