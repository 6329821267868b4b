package org.lakecdp.jobs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * A real S3 API server for tests: s3proxy (jar-with-dependencies, copied by Maven into
 * target/test-tools) in a JVM of its own, with a file-system backend under {@code dir}, on a
 * free port of 127.0.0.1, requiring AWS signatures with a test key.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "cdp-test-key";
  static final String SECRET_KEY = "cdp-test-secret";

  private final Process process;
  private final int port;
  private final Path blobs;

  private S3ProxyServer(Process process, int port, Path blobs) {
    this.process = process;
    this.port = port;
    this.blobs = blobs;
  }

  /** Starts the server with one folder (bucket) per name in {@code buckets}. */
  static S3ProxyServer start(Path dir, String... buckets) throws Exception {
    Path jar = Path.of("target", "test-tools", "s3proxy.jar").toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("missing " + jar + ": run the build through Maven, which"
          + " copies org.gaul:s3proxy there");
    }
    Path blobs = Files.createDirectories(dir.resolve("s3-blobs"));
    for (String bucket : buckets) {
      Files.createDirectories(blobs.resolve(bucket));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path props = dir.resolve("s3proxy.properties");
    Files.writeString(props, String.join("\n",
        "s3proxy.endpoint=http://127.0.0.1:" + port,
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + ACCESS_KEY,
        "s3proxy.credential=" + SECRET_KEY,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + blobs) + "\n");
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-jar", jar.toString(), "--properties", props.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve("s3proxy.log").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
        return new S3ProxyServer(p, port, blobs);
      } catch (IOException notYet) {
        if (!p.isAlive()) {
          throw new IllegalStateException("s3proxy exited: "
              + Files.readString(dir.resolve("s3proxy.log")));
        }
        Thread.sleep(200);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("s3proxy did not open port " + port + " within 60 s");
  }

  String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** Where the backend keeps the objects of {@code bucket}. */
  Path bucketFolder(String bucket) {
    return blobs.resolve(bucket);
  }

  /** Hadoop settings for reaching this server through s3a:// from the test JVM. */
  Configuration hadoopConf() {
    Configuration conf = new Configuration();
    Map.of("fs.s3a.endpoint", endpoint(),
        "fs.s3a.endpoint.region", "us-east-1",
        "fs.s3a.path.style.access", "true",
        "fs.s3a.connection.ssl.enabled", "false",
        "fs.s3a.access.key", ACCESS_KEY,
        "fs.s3a.secret.key", SECRET_KEY,
        "fs.s3a.aws.credentials.provider",
        "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider").forEach(conf::set);
    return conf;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
