package org.lakecdp.core.ingest;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.SourceSettings;

/**
 * Lists the files of a file-based source through Hadoop's file system API, so local paths and
 * {@code s3a://} globs behave the same.
 *
 * <p>A {@code {date}} in the path matches a {@code yyyy-MM-dd} date, either one given date or
 * any date; the date found in a file's path is its logical date. Without {@code {date}}, every
 * file gets the run's logical date. Hidden files ({@code _} or {@code .} prefixed, such as
 * {@code _SUCCESS} or checksum files) are ignored.
 */
public final class FileDiscovery {
  private static final String ANY_DATE = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]";
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  private FileDiscovery() {}

  /**
   * Files of {@code source} for {@code date} (null: any date), sorted by path.
   *
   * @param runDate logical date given to files of a source without {@code {date}}
   */
  public static List<SourceFile> discover(Configuration hadoop, SourceSettings source,
      LocalDate date, LocalDate runDate) {
    String pattern = source.path();
    String glob = source.datedPath()
        ? pattern.replace(SourceSettings.DATE_PLACEHOLDER,
            date == null ? ANY_DATE : date.toString())
        : pattern;
    int dateSegmentFromEnd = source.datedPath() ? segmentFromEnd(pattern) : -1;
    List<SourceFile> files = new ArrayList<>();
    try {
      Path globPath = new Path(glob);
      FileSystem fs = globPath.getFileSystem(hadoop);
      FileStatus[] matches = fs.globStatus(globPath);
      if (matches == null) {
        return files;
      }
      for (FileStatus status : matches) {
        if (status.isDirectory()) {
          for (FileStatus child : fs.listStatus(status.getPath())) {
            add(files, child, source,
                dateSegmentFromEnd < 0 ? -1 : dateSegmentFromEnd + 1, runDate);
          }
        } else {
          add(files, status, source, dateSegmentFromEnd, runDate);
        }
      }
    } catch (IOException e) {
      throw CdpException.source(source.name(), "cannot list " + glob + ": " + e.getMessage(), e);
    }
    files.sort(Comparator.comparing(SourceFile::path));
    return files;
  }

  private static void add(List<SourceFile> files, FileStatus status, SourceSettings source,
      int dateSegmentFromEnd, LocalDate runDate) {
    String name = status.getPath().getName();
    if (!status.isFile() || name.startsWith("_") || name.startsWith(".")) {
      return;
    }
    // the form Spark gives a record's input file: file:/x, never file:///x (which a glob
    // without wildcards returns), so ledger, counts and replaceWhere all name it alike
    String uri = status.getPath().toUri().toString().replaceFirst("^file:///", "file:/");
    LocalDate logicalDate = dateSegmentFromEnd < 0 ? runDate
        : dateOf(source.name(), uri, dateSegmentFromEnd);
    files.add(new SourceFile(uri, status.getLen(),
        Instant.ofEpochMilli(status.getModificationTime()), logicalDate));
  }

  /** Index, counted from the last segment (0), of the path segment holding {@code {date}}. */
  static int segmentFromEnd(String pattern) {
    String[] segments = pattern.split("/");
    for (int i = segments.length - 1; i >= 0; i--) {
      if (segments[i].contains(SourceSettings.DATE_PLACEHOLDER)) {
        return segments.length - 1 - i;
      }
    }
    return -1;
  }

  /** The yyyy-MM-dd date in the given segment (counted from the end) of a file path. */
  static LocalDate dateOf(String source, String path, int segmentFromEnd) {
    String[] segments = path.split("/");
    int index = segments.length - 1 - segmentFromEnd;
    String segment = index >= 0 && index < segments.length ? segments[index] : "";
    Matcher m = DATE.matcher(segment);
    if (!m.find()) {
      throw CdpException.source(source, "file " + path + " has no yyyy-MM-dd date where the "
          + "path pattern has {date}");
    }
    try {
      return LocalDate.parse(m.group());
    } catch (DateTimeException e) {
      throw CdpException.source(source, "file " + path + " has an invalid date '" + m.group()
          + "' in its path");
    }
  }
}
