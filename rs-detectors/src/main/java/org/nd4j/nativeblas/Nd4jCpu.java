package org.nd4j.nativeblas;

/**
 * Restores the class DL4J M2.1's layer helpers probe to decide whether oneDNN is usable
 * ({@code BaseMKLDNNHelper.mklDnnEnabled()} reflects on this pre-M1 name); without it ComputationGraph never
 * uses oneDNN and runs 4–5× slower on CPU. Forwards by reflection so the CUDA build compiles too.
 */
public class Nd4jCpu {
    /** The probed environment: answers whether the loaded native library has oneDNN switched on. */
    public static class Environment {
        private static final Environment INSTANCE = new Environment();

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            try {
                Class<?> env = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = env.getMethod("getInstance").invoke(null);
                return (Boolean) env.getMethod("isUseONEDNN").invoke(instance);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return false;
            }
        }
    }
}
