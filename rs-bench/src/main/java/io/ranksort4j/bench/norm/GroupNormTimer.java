package io.ranksort4j.bench.norm;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GroupNormBenchmark}'s forward + backward timed per call, wall and process CPU, with the process's peak RSS:
 * on a shared machine the CPU time per call is the steadier figure, and ND4J's off-heap memory shows only in the RSS.
 * {@code java -cp ... io.ranksort4j.bench.norm.GroupNormTimer [calls] [graph|none]}.
 */
public final class GroupNormTimer {
    private GroupNormTimer() {}

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        GroupNormBenchmark b = new GroupNormBenchmark();
        b.ws = args.length > 1 ? args[1] : "graph";
        b.setup();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < Math.max(5, calls / 3); i++) {
            b.step();
        }
        double[] wall = new double[calls];
        double sink = 0;
        long cpu0 = os.getProcessCpuTime();
        for (int i = 0; i < calls; i++) {
            long t = System.nanoTime();
            sink += b.step();
            wall[i] = (System.nanoTime() - t) / 1e6;
        }
        double cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6 / calls;
        double copyMs = Double.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            long t = System.nanoTime();
            sink += b.baselineCopy();
            copyMs = Math.min(copyMs, (System.nanoTime() - t) / 1e6);
        }
        Arrays.sort(wall);
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ?").replaceAll("\\s+", " ");
        StringBuilder ws = new StringBuilder();
        for (String name : new String[] {"GN_BENCH_ACT", "GN_BENCH_WORKING", "GN_BENCH_GRAD"}) {
            if (Nd4j.getWorkspaceManager().checkIfWorkspaceExists(name)) {
                ws.append(String.format(" %s %.1f MB", name, Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(name).getCurrentSize() / 1e6));
            }
        }
        System.out.printf("GroupNorm fwd+bwd [2,256,100,136] float, ws=%s, %d calls: wall median %.1f ms (min %.1f, max %.1f), "
                + "process CPU %.1f ms/call; copy of the activation (min) %.1f ms; %s; workspaces:%s (checksum %.3g)%n",
                b.ws, calls, wall[calls / 2], wall[0], wall[calls - 1], cpuMs, copyMs, hwm, ws.length() == 0 ? " none" : ws, sink);
    }
}
