package org.lakecdp.jobs;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code cdp} command line in a JVM of its own, as a user or a scheduler would: the
 * test JVM's classpath, module flags and JIT flags, the working directory and environment given.
 */
final class CdpProcess {
  private CdpProcess() {}

  /** Exit code and both output streams of one command. */
  record Result(int exit, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  /** The test JVM's classpath entries. */
  static List<String> classpath() {
    return List.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator));
  }

  static Result run(Path workDir, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx2g");
    command.add("-Duser.timezone=UTC");
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-Djdk.reflect")
          || arg.startsWith("-XX:TieredStopAtLevel") || arg.startsWith("-XX:ReservedCode")) {
        command.add(arg);
      }
    }
    command.add("-cp");
    command.add(String.join(java.io.File.pathSeparator, classpath()));
    command.add(CdpMain.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().remove(CdpSession.CONF_ENV);
    pb.environment().putAll(env);
    Path outFile = Files.createTempFile(workDir, "cdp-out", ".txt");
    Path errFile = Files.createTempFile(workDir, "cdp-err", ".txt");
    pb.redirectOutput(outFile.toFile()).redirectError(errFile.toFile());
    long started = System.nanoTime();
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("cdp " + String.join(" ", args) + " did not finish");
    }
    // in the surefire report, so a slow command is easy to find
    System.out.printf("cdp %s: exit %d in %.1f s%n", String.join(" ", args), p.exitValue(),
        (System.nanoTime() - started) / 1e9);
    return new Result(p.exitValue(), Files.readString(outFile, StandardCharsets.UTF_8),
        Files.readString(errFile, StandardCharsets.UTF_8));
  }
}
