package io.ranksort4j.cli;

import io.ranksort4j.core.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rs4j} command: train, evaluate and compare detectors with ranking-based losses. */
@Command(name = "rs4j", mixinStandardHelpOptions = true, versionProvider = Rs4j.Version.class,
        description = "RankSort4j: train and evaluate visual detectors with ranking-based losses (Rank & Sort, AP, aLRP, Focal).",
        subcommands = {
                ComponentsCommand.class,
                ConfigCommand.class,
                io.ranksort4j.cli.loss.LossCheckCommand.class,
                io.ranksort4j.cli.bench.BenchCommand.class,
                io.ranksort4j.cli.eval.EvalCommand.class,
                io.ranksort4j.cli.train.TrainCommand.class,
                io.ranksort4j.cli.train.TestCommand.class,
                io.ranksort4j.cli.train.InferCommand.class,
                io.ranksort4j.cli.train.CheckpointCommand.class,
                io.ranksort4j.cli.analyze.AnalyzeCommand.class,
                io.ranksort4j.cli.ablate.AblateCommand.class,
                io.ranksort4j.cli.data.DataCommand.class,
                io.ranksort4j.cli.weights.WeightsCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class Rs4j implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Rs4j());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("error: " + userMessage(ex)));
            if (Boolean.getBoolean("rs4j.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return ex instanceof ConfigException || ex instanceof IllegalArgumentException ? 2 : 1;
        });
        return cl.execute(args);
    }

    /** The message a user sees for a failure: config problems in full, others with their cause. */
    static String userMessage(Throwable ex) {
        if (ex instanceof ConfigException) {
            return ex.getMessage();
        }
        String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        return msg + (Boolean.getBoolean("rs4j.debug") ? "" : "\n(run with RS4J_DEBUG=1 for the stack trace)");
    }

    /** Reads the version from the jar manifest, or says it is a development build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Rs4j.class.getPackage().getImplementationVersion();
            return new String[] {"rs4j " + (v == null ? "0.1.0-SNAPSHOT" : v), "Java " + System.getProperty("java.version")};
        }
    }
}
