package io.ranksort4j.core.registry;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.spi.Message;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Creates the injector: the built-in modules every rs4j jar declares in
 * {@code META-INF/services/com.google.inject.Module}, plus a researcher's modules named by class.
 */
public final class Injection {
    private Injection() {}

    /** Built-in modules found on the classpath, in a stable order. */
    public static List<Module> builtins() {
        List<Module> out = new ArrayList<>();
        ServiceLoader.load(Module.class).forEach(out::add);
        out.sort((a, b) -> a.getClass().getName().compareTo(b.getClass().getName()));
        return out;
    }

    /** Instantiates user modules from class names ({@code --module} or the config's {@code custom_modules}). */
    public static List<Module> userModules(List<String> classNames) {
        List<Module> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String name : new LinkedHashSet<>(classNames)) {
            try {
                Class<?> c = Class.forName(name, true, Thread.currentThread().getContextClassLoader());
                if (!Module.class.isAssignableFrom(c)) {
                    errors.add(name + " is not a Guice module: make it extend com.google.inject.AbstractModule");
                    continue;
                }
                out.add((Module) c.getDeclaredConstructor().newInstance());
            } catch (ClassNotFoundException e) {
                errors.add(name + ": class not found on the classpath; add your jar with RS4J_CLASSPATH=path/to/your.jar ./rs4j ...");
            } catch (ReflectiveOperationException e) {
                errors.add(name + ": cannot instantiate (" + e + "); a module needs a public no-argument constructor");
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("cannot load custom modules:\n  " + String.join("\n  ", errors));
        }
        return out;
    }

    /** The injector over the built-ins and the given extra modules; binding errors are listed all at once. */
    public static Injector create(List<? extends Module> extra) {
        List<Module> all = new ArrayList<>();
        all.add(new RegistryModule());
        all.addAll(builtins());
        all.addAll(extra);
        try {
            return Guice.createInjector(all);
        } catch (CreationException e) {
            String msgs = e.getErrorMessages().stream().map(Injection::describe).collect(Collectors.joining("\n  "));
            throw new IllegalStateException("cannot wire components (" + e.getErrorMessages().size() + " problem(s)):\n  " + msgs, e);
        }
    }

    /** The registry of the injector over the built-ins plus the named user modules. */
    public static ComponentRegistry registry(List<String> userModuleClasses) {
        return create(userModules(userModuleClasses)).getInstance(ComponentRegistry.class);
    }

    private static String describe(Message m) {
        String text = m.getMessage();
        if (text.contains("Duplicate key")) {
            return "a component name is registered twice; each name must be bound once per family (choose a new name "
                    + "for your component): " + text.lines().findFirst().orElse(text);
        }
        return text.lines().limit(3).collect(Collectors.joining(" "));
    }
}
