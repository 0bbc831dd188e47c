package dev.relay.localstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code java} command line on this JVM's own runtime. */
final class JavaCommand {

    private JavaCommand() {
    }

    static List<String> of(List<String> jvmOptions, Path classpathDir, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpathDir.resolve("*").toString());
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
