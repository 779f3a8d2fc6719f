package io.ranksort4j.core.weights;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A small pickle reader for what {@code torch.save} writes (protocols 2 to 5). It never runs code: a global is a
 * {@link Global} name, and calling one gives a {@link Call} unless {@link #reduce} knows it, so unknown classes in a
 * checkpoint's metadata cost nothing.
 */
final class Unpickler {
    /** A {@code module.name} reference from GLOBAL / STACK_GLOBAL. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A Python tuple (kept apart from lists only to read persistent ids and reduce arguments). */
    record Tuple(List<Object> items) {}

    /** An object built by calling a global this reader does not know: the call and the state BUILD gave it. */
    static final class Call {
        final Global callable;
        final List<Object> args;
        Object state;

        Call(Global callable, List<Object> args) {
            this.callable = callable;
            this.args = args;
        }
    }

    private static final Object MARK = new Object();

    private final InputStream in;
    private final Function<Object, Object> persistentLoad;
    private final Function<Call, Object> reduce;
    private final List<Object> stack = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    /**
     * @param persistentLoad turns a persistent id (BINPERSID) into an object: torch's storages
     * @param reduce gives the object a call of a known global makes, or returns the call itself to keep it opaque
     */
    Unpickler(InputStream in, Function<Object, Object> persistentLoad, Function<Call, Object> reduce) {
        this.in = in;
        this.persistentLoad = persistentLoad;
        this.reduce = reduce;
    }

    /** Reads one pickle, up to and including its STOP. */
    Object load() throws IOException {
        while (true) {
            int op = in.read();
            if (op < 0) {
                throw new EOFException("the pickle ends before its STOP opcode");
            }
            switch (op) {
                case 0x80 -> { // PROTO
                    int proto = u8();
                    if (proto > 5) {
                        throw new IOException("pickle protocol " + proto + " is newer than 5");
                    }
                }
                case 0x95 -> bytes(8) /* FRAME: frames only group opcodes */;
                case '.' -> { // STOP
                    return pop();
                }
                case '(' -> stack.add(MARK);
                case '}' -> stack.add(new LinkedHashMap<>());
                case ']' -> stack.add(new ArrayList<>());
                case ')' -> stack.add(new Tuple(List.of()));
                case 0x8f -> stack.add(new LinkedHashSet<>()); // EMPTY_SET
                case 't' -> stack.add(new Tuple(popMark()));
                case 0x85 -> stack.add(new Tuple(new ArrayList<>(List.of(pop()))));
                case 0x86 -> {
                    Object b = pop();
                    Object a = pop();
                    stack.add(new Tuple(list(a, b)));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    stack.add(new Tuple(list(a, b, c)));
                }
                case 'l' -> stack.add(popMark()); // LIST
                case 'd' -> { // DICT
                    List<Object> items = popMark();
                    Map<Object, Object> m = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        m.put(items.get(i), items.get(i + 1));
                    }
                    stack.add(m);
                }
                case 0x91 -> stack.add(new LinkedHashSet<>(popMark())); // FROZENSET
                case 0x90 -> { // ADDITEMS
                    List<Object> items = popMark();
                    asCollection(peek()).addAll(items);
                }
                case 'a' -> { // APPEND
                    Object v = pop();
                    asCollection(peek()).add(v);
                }
                case 'e' -> { // APPENDS
                    List<Object> items = popMark();
                    asCollection(peek()).addAll(items);
                }
                case 's' -> { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    asMap(peek()).put(k, v);
                }
                case 'u' -> { // SETITEMS
                    List<Object> items = popMark();
                    Map<Object, Object> m = asMap(peek());
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        m.put(items.get(i), items.get(i + 1));
                    }
                }
                case 'q' -> memo.put((long) u8(), peek()); // BINPUT
                case 'r' -> memo.put(u32(), peek()); // LONG_BINPUT
                case 'p' -> memo.put(Long.parseLong(line()), peek()); // PUT
                case 0x94 -> memo.put((long) memo.size(), peek()); // MEMOIZE
                case 'h' -> stack.add(memo((long) u8())); // BINGET
                case 'j' -> stack.add(memo(u32())); // LONG_BINGET
                case 'g' -> stack.add(memo(Long.parseLong(line()))); // GET
                case 'c' -> { // GLOBAL
                    String module = line();
                    stack.add(new Global(module, line()));
                }
                case 0x93 -> { // STACK_GLOBAL
                    String name = (String) pop();
                    stack.add(new Global((String) pop(), name));
                }
                case 'R' -> { // REDUCE
                    Object args = pop();
                    Object f = pop();
                    stack.add(call(f, args));
                }
                case 0x81 -> { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    stack.add(call(cls, args));
                }
                case 0x92 -> { // NEWOBJ_EX
                    pop(); // kwargs
                    Object args = pop();
                    Object cls = pop();
                    stack.add(call(cls, args));
                }
                case 'b' -> { // BUILD
                    Object state = pop();
                    if (peek() instanceof Call c) {
                        c.state = state;
                    }
                    // an OrderedDict's state is its attributes (a state_dict's _metadata): not needed
                }
                case 'Q' -> stack.add(persistentLoad.apply(pop())); // BINPERSID
                case 'P' -> stack.add(persistentLoad.apply(line())); // PERSID
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'J' -> stack.add((long) le(4).getInt()); // BININT
                case 'K' -> stack.add((long) u8()); // BININT1
                case 'M' -> stack.add((long) (le(2).getShort() & 0xffff)); // BININT2
                case 0x8a -> stack.add(longOf(bytes(u8()))); // LONG1
                case 0x8b -> stack.add(longOf(bytes(checkedLength(le(4).getInt())))); // LONG4
                case 'I' -> { // INT (protocol 0; "01"/"00" are bools)
                    String s = line();
                    stack.add(s.equals("01") ? Boolean.TRUE : s.equals("00") ? Boolean.FALSE : (Object) Long.parseLong(s));
                }
                case 'L' -> { // LONG (protocol 0)
                    String s = line();
                    stack.add(longOf(new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s)));
                }
                case 'G' -> stack.add(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                case 'F' -> stack.add(Double.parseDouble(line())); // FLOAT
                case 0x8c -> stack.add(utf8(bytes(u8()))); // SHORT_BINUNICODE
                case 'X' -> stack.add(utf8(bytes(checkedLength(le(4).getInt())))); // BINUNICODE
                case 0x8d -> stack.add(utf8(bytes(checkedLength(le(8).getLong())))); // BINUNICODE8
                case 'U' -> stack.add(new String(bytes(u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                case 'T' -> stack.add(new String(bytes(checkedLength(le(4).getInt())), StandardCharsets.ISO_8859_1)); // BINSTRING
                case 'C' -> stack.add(bytes(u8())); // SHORT_BINBYTES
                case 'B' -> stack.add(bytes(checkedLength(le(4).getInt()))); // BINBYTES
                case 0x8e, 0x96 -> stack.add(bytes(checkedLength(le(8).getLong()))); // BINBYTES8, BYTEARRAY8
                case 'V' -> stack.add(line()); // UNICODE (raw-unicode-escape; torch never writes escapes here)
                case '0' -> pop(); // POP
                case '1' -> popMark(); // POP_MARK
                case '2' -> stack.add(peek()); // DUP
                default -> throw new IOException(String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    private Object call(Object f, Object args) {
        List<Object> a = args instanceof Tuple t ? t.items() : args instanceof List<?> l ? new ArrayList<>(l) : list(args);
        if (!(f instanceof Global g)) {
            return new Call(new Global("?", String.valueOf(f)), a);
        }
        return reduce.apply(new Call(g, a));
    }

    private static List<Object> list(Object... xs) {
        List<Object> l = new ArrayList<>(xs.length);
        java.util.Collections.addAll(l, xs);
        return l;
    }

    private static Object longOf(byte[] littleEndianTwosComplement) {
        if (littleEndianTwosComplement.length == 0) {
            return 0L;
        }
        byte[] be = new byte[littleEndianTwosComplement.length];
        for (int i = 0; i < be.length; i++) {
            be[i] = littleEndianTwosComplement[be.length - 1 - i];
        }
        return longOf(new BigInteger(be));
    }

    private static Object longOf(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    @SuppressWarnings("unchecked")
    private static java.util.Collection<Object> asCollection(Object o) throws IOException {
        if (o instanceof java.util.Collection<?> c) {
            return (java.util.Collection<Object>) c;
        }
        throw new IOException("APPEND to a " + typeName(o));
    }

    @SuppressWarnings("unchecked")
    private static Map<Object, Object> asMap(Object o) throws IOException {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw new IOException("SETITEM on a " + typeName(o));
    }

    static String typeName(Object o) {
        return o == null ? "None" : o instanceof Call c ? c.callable.qualified() + "(...)" : o.getClass().getSimpleName();
    }

    private Object memo(long i) throws IOException {
        if (!memo.containsKey(i)) {
            throw new IOException("pickle memo " + i + " read before it was written");
        }
        return memo.get(i);
    }

    private Object pop() throws IOException {
        if (stack.isEmpty()) {
            throw new IOException("pickle stack underflow");
        }
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) {
            throw new IOException("pickle MARK where a value was expected");
        }
        return o;
    }

    private Object peek() throws IOException {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw new IOException("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() throws IOException {
        int m = stack.lastIndexOf(MARK);
        if (m < 0) {
            throw new IOException("pickle MARK missing");
        }
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private int u8() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the pickle ends inside an opcode");
        }
        return b;
    }

    private long u32() throws IOException {
        return le(4).getInt() & 0xffffffffL;
    }

    private ByteBuffer le(int n) throws IOException {
        return ByteBuffer.wrap(bytes(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int checkedLength(long n) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw new IOException("pickle string or bytes of length " + n);
        }
        return (int) n;
    }

    private byte[] bytes(int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("the pickle ends inside a " + n + "-byte value");
        }
        return b;
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new EOFException("the pickle ends inside a text argument");
            }
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
