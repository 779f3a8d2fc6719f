package io.ranksort4j.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Binds a HOCON object to a parameter record: snake_case keys, defaults and ranges from {@link Param},
 * every problem (unknown key, wrong type, out of range, failed validation) added to a {@link Problems}.
 */
public final class ParamsBinder {

    /** Resolves and checks a nested component, and that it is one of the {@code kinds} its slot takes, while its parent is being bound. */
    @FunctionalInterface
    public interface NestedCheck {
        void check(String family, ComponentSpec spec, List<Class<?>> kinds, Problems problems);
    }

    /** Keys a component object may carry besides its parameters. */
    private static final Set<String> RESERVED = Set.of("type");

    private ParamsBinder() {}

    /**
     * Binds {@code config} (a component's object) to {@code type}. Returns null when there were problems,
     * which are then in {@code problems}.
     */
    public static <R extends Record> R bind(Class<R> type, Config config, String path, Problems problems, NestedCheck nested) {
        RecordComponent[] comps = type.getRecordComponents();
        ConfigObject root = config.root();
        int before = problems.all().size();
        Object[] args = new Object[comps.length];
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < comps.length; i++) {
            RecordComponent rc = comps[i];
            String key = Names.snake(rc.getName());
            keys.add(key);
            Param p = rc.getAnnotation(Param.class);
            ConfigValue v = root.get(key);
            String at = join(path, key);
            if (v == null) {
                if (p == null || Param.REQUIRED.equals(p.def())) {
                    problems.add(root.origin(), path, "missing required key '" + key + "'" + (p == null ? "" : " (" + p.value() + ")"),
                            "add '" + key + " = ...' to the object");
                    continue;
                }
                v = parseDefault(type, key, p.def());
            }
            args[i] = convert(v, rc.getType(), rc.getGenericType(), p, at, problems, nested);
        }
        checkUnknownKeys(root, keys, path, problems);
        if (problems.all().size() > before) {
            return null;
        }
        try {
            Class<?>[] types = Arrays.stream(comps).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<R> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            problems.add(root.origin(), path, "invalid parameters: " + cause.getMessage(), null);
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct parameter record " + type.getName(), e);
        }
    }

    /** Binds and throws a {@link ConfigException} on any problem. */
    public static <R extends Record> R bindOrThrow(Class<R> type, Config config, String path) {
        Problems problems = new Problems();
        R r = bind(type, config, path, problems, (f, s, k, p) -> {});
        problems.throwIfAny();
        return r;
    }

    /** The record built from its defaults alone (fails if a parameter is required). */
    public static <R extends Record> R defaults(Class<R> type) {
        return bindOrThrow(type, ConfigFactory.empty("defaults of " + type.getSimpleName()), "");
    }

    /** Describes the parameters of a record for listings. */
    public static List<ParamInfo> describe(Class<? extends Record> type) {
        List<ParamInfo> out = new ArrayList<>();
        for (RecordComponent rc : type.getRecordComponents()) {
            Param p = rc.getAnnotation(Param.class);
            String range = "";
            if (p != null && (p.min() != Double.NEGATIVE_INFINITY || p.max() != Double.POSITIVE_INFINITY)) {
                range = "[" + fmt(p.min()) + ", " + fmt(p.max()) + "]";
            }
            out.add(new ParamInfo(Names.snake(rc.getName()), typeName(rc.getGenericType()),
                    p == null ? Param.REQUIRED : p.def(), p == null ? "" : p.value(), range, p == null ? "" : p.family()));
        }
        return out;
    }

    private static String fmt(double d) {
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private static String typeName(Type t) {
        if (t instanceof Class<?> c) {
            if (c == ComponentSpec.class) {
                return "component";
            }
            if (c.isEnum()) {
                return String.join("|", Arrays.stream(c.getEnumConstants()).map(e -> enumKey((Enum<?>) e)).toList());
            }
            return c.isArray() ? "list<" + typeName(c.getComponentType()) + ">" : c.getSimpleName().toLowerCase(Locale.ROOT);
        }
        if (t instanceof ParameterizedType pt && pt.getRawType() == List.class) {
            return "list<" + typeName(pt.getActualTypeArguments()[0]) + ">";
        }
        return t.getTypeName();
    }

    private static ConfigValue parseDefault(Class<?> type, String key, String def) {
        try {
            return ConfigFactory.parseString("v = " + def, com.typesafe.config.ConfigParseOptions.defaults()
                    .setOriginDescription("default of " + type.getSimpleName() + "." + key)).root().get("v");
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalStateException("bad @Param default for " + type.getName() + "." + key + ": " + def, e);
        }
    }

    private static void checkUnknownKeys(ConfigObject root, Set<String> keys, String path, Problems problems) {
        ConfigValue typeValue = root.get("type");
        for (Map.Entry<String, ConfigValue> e : root.entrySet()) {
            String k = e.getKey();
            if (keys.contains(k) || RESERVED.contains(k)) {
                continue;
            }
            StringBuilder hint = new StringBuilder();
            hint.append(Names.didYouMean(k, keys)).append("accepted keys: ").append(keys.isEmpty() ? "(none)" : String.join(", ", keys));
            if (typeValue != null && !sameSource(typeValue.origin(), e.getValue().origin())) {
                hint.append("\n    note: '").append(join(path, "type")).append("' was set to '").append(typeValue.unwrapped())
                        .append("' at ").append(Problems.location(typeValue.origin()))
                        .append(" but HOCON merged the object with the one from ").append(Problems.location(e.getValue().origin()))
                        .append(", keeping its old keys. Replace the whole object: write '").append(path)
                        .append(" = null' before the new object in the file, or pass --set '").append(path)
                        .append("={type = ").append(typeValue.unwrapped()).append("}' (an object given to --set replaces, it does not merge)");
            }
            problems.add(e.getValue().origin(), path, "unknown key '" + k + "'", hint.toString());
        }
    }

    private static boolean sameSource(ConfigOrigin a, ConfigOrigin b) {
        return Objects.equals(a.filename(), b.filename()) && (a.filename() != null || Objects.equals(a.description(), b.description()));
    }

    private static String join(String path, String key) {
        return path == null || path.isEmpty() ? key : path + "." + key;
    }

    private static Object convert(ConfigValue v, Class<?> raw, Type generic, Param p, String at, Problems problems, NestedCheck nested) {
        ConfigValueType vt = v.valueType();
        ConfigOrigin o = v.origin();
        if (vt == ConfigValueType.NULL) {
            if (raw.isPrimitive()) {
                problems.add(o, at, "must not be null", "expected " + typeName(generic));
            }
            return null;
        }
        try {
            if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
                Number n = number(v, at, problems);
                if (n == null) {
                    return null;
                }
                if (n.doubleValue() != Math.rint(n.doubleValue())) {
                    problems.add(o, at, "expected an integer, got " + v.render(), null);
                    return null;
                }
                range(n.doubleValue(), p, o, at, problems);
                return raw == int.class || raw == Integer.class ? (Object) n.intValue() : (Object) n.longValue();
            }
            if (raw == double.class || raw == Double.class || raw == float.class || raw == Float.class) {
                Number n = number(v, at, problems);
                if (n == null) {
                    return null;
                }
                range(n.doubleValue(), p, o, at, problems);
                return raw == float.class || raw == Float.class ? (Object) n.floatValue() : (Object) n.doubleValue();
            }
            if (raw == boolean.class || raw == Boolean.class) {
                if (vt == ConfigValueType.BOOLEAN) {
                    return v.unwrapped();
                }
                if (vt == ConfigValueType.STRING && ("true".equals(v.unwrapped()) || "false".equals(v.unwrapped()))) {
                    return Boolean.valueOf((String) v.unwrapped());
                }
                problems.add(o, at, "expected a boolean (true or false), got " + v.render(), null);
                return null;
            }
            if (raw == String.class) {
                if (vt == ConfigValueType.OBJECT || vt == ConfigValueType.LIST) {
                    problems.add(o, at, "expected a string, got " + vt.name().toLowerCase(Locale.ROOT) + " " + v.render(), null);
                    return null;
                }
                return String.valueOf(v.unwrapped());
            }
            if (raw == Path.class) {
                if (vt != ConfigValueType.STRING) {
                    problems.add(o, at, "expected a path string, got " + v.render(), null);
                    return null;
                }
                return Path.of((String) v.unwrapped());
            }
            if (raw.isEnum()) {
                return enumValue(v, raw, at, problems);
            }
            if (raw == ComponentSpec.class) {
                return componentSpec(v, p, at, problems, nested);
            }
            if (raw == Config.class) {
                if (vt != ConfigValueType.OBJECT) {
                    problems.add(o, at, "expected an object, got " + v.render(), null);
                    return null;
                }
                return ((ConfigObject) v).toConfig();
            }
            if (raw.isRecord()) {
                if (vt != ConfigValueType.OBJECT) {
                    problems.add(o, at, "expected an object, got " + v.render(), null);
                    return null;
                }
                @SuppressWarnings("unchecked")
                Class<? extends Record> rt = (Class<? extends Record>) raw;
                return bind(rt, ((ConfigObject) v).toConfig(), at, problems, nested);
            }
            if (raw == List.class || raw.isArray()) {
                return list(v, raw, generic, p, at, problems, nested);
            }
        } catch (RuntimeException e) {
            problems.add(o, at, "cannot read value " + v.render() + ": " + e.getMessage(), null);
            return null;
        }
        throw new IllegalStateException("unsupported parameter type " + generic.getTypeName() + " at " + at);
    }

    private static Number number(ConfigValue v, String at, Problems problems) {
        if (v.valueType() == ConfigValueType.NUMBER) {
            return (Number) v.unwrapped();
        }
        if (v.valueType() == ConfigValueType.STRING) {
            try {
                return Double.valueOf(((String) v.unwrapped()).trim());
            } catch (NumberFormatException ignored) {
                // fall through to the error below
            }
        }
        problems.add(v.origin(), at, "expected a number, got " + v.valueType().name().toLowerCase(Locale.ROOT) + " " + v.render(), null);
        return null;
    }

    private static void range(double d, Param p, ConfigOrigin o, String at, Problems problems) {
        if (p == null) {
            return;
        }
        if (Double.isNaN(d) || d < p.min() || d > p.max()) {
            problems.add(o, at, "value " + (d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d))
                    + " is out of range [" + fmt(p.min()) + ", " + fmt(p.max()) + "]", p.value());
        }
    }

    private static String enumKey(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static Object enumValue(ConfigValue v, Class<?> raw, String at, Problems problems) {
        List<String> names = Arrays.stream(raw.getEnumConstants()).map(e -> enumKey((Enum<?>) e)).toList();
        String s = String.valueOf(v.unwrapped()).toLowerCase(Locale.ROOT);
        for (Object e : raw.getEnumConstants()) {
            if (enumKey((Enum<?>) e).equals(s)) {
                return e;
            }
        }
        problems.add(v.origin(), at, "unknown value '" + v.unwrapped() + "'", Names.didYouMean(s, names) + "accepted: " + String.join(", ", names));
        return null;
    }

    private static ComponentSpec componentSpec(ConfigValue v, Param p, String at, Problems problems, NestedCheck nested) {
        if (v.valueType() != ConfigValueType.OBJECT) {
            problems.add(v.origin(), at, "expected a component object with a 'type' key, got " + v.render(), "write '" + at + " { type = ... }'");
            return null;
        }
        ConfigObject obj = (ConfigObject) v;
        ConfigValue tv = obj.get("type");
        if (tv == null || tv.valueType() != ConfigValueType.STRING) {
            problems.add(v.origin(), at, "component object has no string 'type' key",
                    p != null && !p.family().isEmpty() ? "run 'rs4j components " + p.family() + "' for the accepted types" : null);
            return null;
        }
        ComponentSpec spec = new ComponentSpec((String) tv.unwrapped(), obj.toConfig(), at, v.origin());
        if (p != null && !p.family().isEmpty()) {
            nested.check(p.family(), spec, List.of(p.kind()), problems);
        }
        return spec;
    }

    private static Object list(ConfigValue v, Class<?> raw, Type generic, Param p, String at, Problems problems, NestedCheck nested) {
        if (v.valueType() != ConfigValueType.LIST) {
            problems.add(v.origin(), at, "expected a list, got " + v.render(), null);
            return null;
        }
        List<? extends ConfigValue> items = (List<? extends ConfigValue>) v;
        Class<?> elemRaw;
        Type elemGeneric;
        if (raw.isArray()) {
            elemRaw = raw.getComponentType();
            elemGeneric = elemRaw;
        } else {
            elemGeneric = generic instanceof ParameterizedType pt ? pt.getActualTypeArguments()[0] : Object.class;
            elemRaw = elemGeneric instanceof Class<?> c ? c : (Class<?>) ((ParameterizedType) elemGeneric).getRawType();
        }
        List<Object> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(convert(items.get(i), elemRaw, elemGeneric, p, at + "[" + i + "]", problems, nested));
        }
        if (!raw.isArray()) {
            return java.util.Collections.unmodifiableList(out);
        }
        Object arr = java.lang.reflect.Array.newInstance(elemRaw, out.size());
        for (int i = 0; i < out.size(); i++) {
            if (out.get(i) != null) {
                java.lang.reflect.Array.set(arr, i, out.get(i));
            }
        }
        return arr;
    }
}
