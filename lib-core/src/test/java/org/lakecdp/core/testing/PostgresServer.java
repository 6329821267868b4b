package org.lakecdp.core.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, started from the machine's server binaries (Debian
 * package {@code postgresql}, which .ci/run installs) in a temporary folder, listening on a
 * free port on 127.0.0.1 only, with trust authentication for user {@code postgres}. When the
 * tests run as root, the server runs as the {@code postgres} system user, as PostgreSQL
 * requires.
 */
public final class PostgresServer implements AutoCloseable {
  private final Path bin;
  private final Path dataDir;
  private final int port;
  private final boolean asPostgresUser;

  private PostgresServer(Path bin, Path dataDir, int port, boolean asPostgresUser) {
    this.bin = bin;
    this.dataDir = dataDir;
    this.port = port;
    this.asPostgresUser = asPostgresUser;
  }

  /** Initialises and starts a server; fails with an install hint when binaries are missing. */
  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = findBinaries();
    Path base = Files.createTempDirectory("cdp-pg");
    boolean root = "root".equals(System.getProperty("user.name"));
    Path data = base.resolve("data");
    if (root) {
      run(List.of("chown", "-R", "postgres:postgres", base.toString()), false);
    }
    PostgresServer server = new PostgresServer(bin, data, freePort(), root);
    server.exec(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U",
        "postgres", "--auth=trust", "--encoding=UTF8", "--no-sync"));
    server.exec(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-t",
        "60", "-l", base.resolve("server.log").toString(), "-o",
        "-p " + server.port + " -k " + base + " -c listen_addresses=127.0.0.1 -c fsync=off",
        "start"));
    return server;
  }

  /** JDBC URL of database {@code postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** A connection as user postgres. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), "postgres", "");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    exec(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate",
        "stop"));
    try (Stream<Path> files = Files.walk(dataDir.getParent())) {
      files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    }
  }

  private void exec(List<String> command) throws IOException, InterruptedException {
    run(command, asPostgresUser);
  }

  private static void run(List<String> command, boolean asPostgres)
      throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("command failed: " + String.join(" ", full) + "\n" + output);
    }
  }

  private static Path findBinaries() {
    File[] versions = new File("/usr/lib/postgresql").listFiles();
    if (versions != null) {
      return Arrays.stream(versions).map(v -> v.toPath().resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(b -> Integer.parseInt(
              b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .orElseThrow(PostgresServer::missing);
    }
    throw missing();
  }

  private static IllegalStateException missing() {
    return new IllegalStateException("PostgreSQL server binaries not found under "
        + "/usr/lib/postgresql: install the Debian package postgresql (.ci/run does)");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
