package org.lakecdp.core.segment.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.SegmentSettings.Format;

/**
 * Publishes one file set atomically: the rows are written into a temporary folder next to
 * the target, the Spark bookkeeping files removed and the data files renamed, the folder
 * renamed to the target, and {@value #MANIFEST} written last (through a temporary name). A
 * reader takes a folder only once its manifest exists: it then holds every file the
 * manifest lists, with the checksums given. On a local or HDFS file system the folder rename
 * is atomic as well; on S3 the manifest is the commit marker.
 */
public final class FilePublisher {
  /** Name of the manifest, the last file written. */
  public static final String MANIFEST = "manifest.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private FilePublisher() {}

  /**
   * One published data file.
   *
   * @param name file name in the folder
   * @param bytes size
   * @param sha256 SHA-256 of its bytes, lower-case hex
   */
  public record DataFile(String name, long bytes, String sha256) {}

  /**
   * A published file set.
   *
   * @param folder where it is
   * @param files data files in name order
   * @param sha256 SHA-256 of the data files' bytes concatenated in name order
   */
  public record Published(String folder, List<DataFile> files, String sha256) {}

  /** True when {@code folder} holds a manifest, i.e. it was published. */
  public static boolean isPublished(Configuration hadoop, String folder) {
    Path manifest = new Path(folder, MANIFEST);
    try {
      return manifest.getFileSystem(hadoop).exists(manifest);
    } catch (IOException e) {
      throw new CdpException("cannot read " + manifest + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes {@code rows} as {@code format} files named {@code <prefix>-<n>.<ext>} into
   * {@code folder}, then the manifest: {@code manifestFields} plus {@code files} and
   * {@code sha256}. A folder without a manifest (a crashed publish) is replaced.
   */
  public static Published publish(Dataset<Row> rows, Format format, String folder,
      String prefix, String tempName, Map<String, Object> manifestFields) {
    Configuration hadoop = rows.sparkSession().sparkContext().hadoopConfiguration();
    Path target = new Path(folder);
    Path temp = new Path(target.getParent(), tempName);
    try {
      FileSystem fs = target.getFileSystem(hadoop);
      fs.delete(temp, true);
      var writer = rows.coalesce(1).write().mode(SaveMode.ErrorIfExists);
      switch (format) {
        case CSV -> writer.option("header", "true").csv(temp.toString());
        case JSONL -> writer.json(temp.toString());
        case PARQUET -> writer.parquet(temp.toString());
        default -> throw new IllegalStateException(format.toString());
      }
      FileStatus[] listed = fs.listStatus(temp);
      Arrays.sort(listed, Comparator.comparing(s -> s.getPath().getName()));
      int n = 0;
      for (FileStatus s : listed) {
        String name = s.getPath().getName();
        if (name.startsWith("part-")) {
          fs.rename(s.getPath(), new Path(temp, String.format(java.util.Locale.ROOT,
              "%s-%05d.%s", prefix, n++, format.extension())));
        } else {
          fs.delete(s.getPath(), false);
        }
      }
      if (fs instanceof org.apache.hadoop.fs.ChecksumFileSystem checksummed) {
        FileSystem raw = checksummed.getRawFileSystem();
        for (FileStatus s : raw.listStatus(temp)) {
          if (s.getPath().getName().endsWith(".crc")) {
            raw.delete(s.getPath(), false);
          }
        }
      }
      List<DataFile> files = new ArrayList<>();
      MessageDigest all = MessageDigest.getInstance("SHA-256");
      FileStatus[] data = fs.listStatus(temp);
      Arrays.sort(data, Comparator.comparing(s -> s.getPath().getName()));
      for (FileStatus s : data) {
        if (s.getPath().getName().startsWith(".")) {
          fs.delete(s.getPath(), false);
          continue;
        }
        MessageDigest one = MessageDigest.getInstance("SHA-256");
        try (InputStream in = fs.open(s.getPath())) {
          byte[] buffer = new byte[1 << 16];
          for (int r = in.read(buffer); r > 0; r = in.read(buffer)) {
            one.update(buffer, 0, r);
            all.update(buffer, 0, r);
          }
        }
        files.add(new DataFile(s.getPath().getName(), s.getLen(),
            HexFormat.of().formatHex(one.digest())));
      }
      String sha256 = HexFormat.of().formatHex(all.digest());
      if (fs.exists(target)) {
        fs.delete(target, true);
      }
      fs.mkdirs(target.getParent());
      if (!fs.rename(temp, target)) {
        throw new CdpException("cannot rename " + temp + " to " + target);
      }
      Map<String, Object> manifest = new LinkedHashMap<>(manifestFields);
      List<Map<String, Object>> fileList = new ArrayList<>();
      for (DataFile f : files) {
        fileList.add(Map.of("name", f.name(), "bytes", f.bytes(), "sha256", f.sha256()));
      }
      manifest.put("files", fileList);
      manifest.put("sha256", sha256);
      Path pending = new Path(target, "_" + MANIFEST + ".pending");
      fs.setWriteChecksum(false);
      try (OutputStream out = fs.create(pending, true)) {
        out.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest)
            .getBytes(StandardCharsets.UTF_8));
      }
      if (!fs.rename(pending, new Path(target, MANIFEST))) {
        throw new CdpException("cannot commit the manifest of " + target);
      }
      return new Published(target.toString(), files, sha256);
    } catch (IOException e) {
      throw new CdpException("cannot publish " + folder + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
