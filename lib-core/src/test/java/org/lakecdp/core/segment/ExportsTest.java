package org.lakecdp.core.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.lakecdp.core.segment.SegmentRows.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.lake.CdpTable;
import org.lakecdp.core.lake.Lakehouse;
import org.lakecdp.core.segment.export.ExportReport;
import org.lakecdp.core.segment.export.Exports;
import org.lakecdp.core.segment.export.Hashing;
import org.lakecdp.core.testing.SparkTestSession;

/**
 * Exports on real Delta tables and a local folder: consent and suppression, hashed
 * identifiers, manifest and checksum, atomic publish without double publication, safety gate
 * and force, delta files.
 */
@ExtendWith(SparkTestSession.class)
class ExportsTest {
  private static final LocalDate D1 = LocalDate.of(2024, 5, 10);
  private static final LocalDate D2 = LocalDate.of(2024, 5, 11);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static Row customer(LocalDate asOf, String id, Map<String, String> consent) {
    return profile(asOf, id, "email", id + "@example.com", "phone", "+4477009001" + id.length(),
        "emails", List.of(id + "@example.com"), "order_count", 1, "consent_status", consent);
  }

  private static List<Row> people(LocalDate asOf, int extra) {
    List<Row> rows = new ArrayList<>(List.of(
        customer(asOf, "a", Map.of("email_marketing", "granted")),
        customer(asOf, "b", Map.of("email_marketing", "withdrawn")),
        profile(asOf, "c", "email", "c@example.com", "order_count", 1),
        customer(asOf, "d", Map.of("email_marketing", "granted", "all", "withdrawn")),
        customer(asOf, "e", Map.of("email_marketing", "Granted".toLowerCase())),
        customer(asOf, "g", Map.of("email_marketing", "granted", "advertising", "denied"))));
    for (int i = 0; i < extra; i++) {
      rows.add(customer(asOf, "x" + i, Map.of("email_marketing", "granted")));
    }
    return rows;
  }

  private static String sha256(List<Path> files) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (Path f : files) {
      md.update(Files.readAllBytes(f));
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static List<Path> list(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.sorted().toList();
    }
  }

  @Test
  void exportsOnlyConsentingUnsuppressedMembersOnceAtomicallyBehindTheSafetyGate()
      throws Exception {
    Path suppression = dir.resolve("dnc.txt");
    Files.writeString(suppression, "E@EXAMPLE.COM\n\n");
    Path out = dir.resolve("out");
    CdpSettings settings = SegmentRows.settings(dir.resolve("lake"), """
        cdp.segments.buyers { where = "order_count > 0" }
        cdp.destinations.mail { purpose = email_marketing, segments = [buyers],
          columns = [customer_id, email_sha256, phone_sha256, segment], location = "%s/mail" }
        cdp.destinations.mail_delta { purpose = email_marketing, segments = [buyers],
          format = jsonl, mode = delta, columns = [customer_id], location = "%s/delta" }
        cdp.activation { max-size-change-percent = 50, gate-min-size = 1,
          suppression.list = "%s" }
        """.formatted(out, out, suppression));
    Lakehouse lake = SegmentRows.lakehouse(settings);
    SegmentRows.writeProfiles(lake, people(D1, 0));
    new Segments(lake, settings, m -> { }).run(D1);
    // a crashed publish left a half folder without a manifest: it is replaced
    Path folder = out.resolve("mail/buyers/" + D1);
    Files.createDirectories(folder);
    Files.writeString(folder.resolve("buyers-half.csv"), "customer_id\nz\n");

    ExportReport first = new Exports(lake, settings, m -> { }).run(D1, false);
    assertThat(first.exports()).extracting(ExportReport.Export::destination,
            ExportReport.Export::rows)
        .containsExactly(org.assertj.core.api.Assertions.tuple("mail", 2L),
            org.assertj.core.api.Assertions.tuple("mail_delta", 2L));
    List<Path> files = list(folder);
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("buyers-" + D1 + "-00000.csv", "manifest.json");
    assertThat(list(out.resolve("mail/buyers"))).as("no temporary folder left")
        .containsExactly(folder);
    // a (consent), g (consent for email_marketing; its denied advertising does not matter);
    // never b (withdrawn), c (no consent), d (global opt-out), e (suppression list)
    assertThat(Files.readAllLines(files.get(0))).containsExactly(
        "customer_id,email_sha256,phone_sha256,segment",
        "a," + Hashing.sha256Hex("a@example.com") + "," + Hashing.sha256Hex("+44770090011")
            + ",buyers",
        "g," + Hashing.sha256Hex("g@example.com") + "," + Hashing.sha256Hex("+44770090011")
            + ",buyers");
    JsonNode manifest = JSON.readTree(files.get(1).toFile());
    assertThat(manifest.get("row_count").asLong()).isEqualTo(2);
    assertThat(manifest.get("segment").asText()).isEqualTo("buyers");
    assertThat(manifest.get("purpose").asText()).isEqualTo("email_marketing");
    assertThat(manifest.get("run_id").asText()).startsWith("export-");
    assertThat(manifest.get("generated_at").asText()).isNotBlank();
    assertThat(manifest.get("sha256").asText()).isEqualTo(sha256(files.subList(0, 1)));
    assertThat(manifest.get("files").get(0).get("sha256").asText())
        .isEqualTo(sha256(files.subList(0, 1)));
    assertThat(Files.readAllLines(out.resolve("delta/buyers/" + D1 + "/buyers-" + D1
        + "-00000.jsonl"))).containsExactly("{\"customer_id\":\"a\",\"change\":\"entered\"}",
            "{\"customer_id\":\"g\",\"change\":\"entered\"}");

    // never published twice for the same run date
    long modified = Files.getLastModifiedTime(files.get(0)).toMillis();
    ExportReport again = new Exports(lake, settings, m -> { }).run(D1, false);
    assertThat(again.exports()).allSatisfy(e -> assertThat(e.note())
        .startsWith("already published for " + D1 + " by " + first.runId()));
    assertThat(Files.getLastModifiedTime(files.get(0)).toMillis()).isEqualTo(modified);
    assertThat(lake.read(CdpTable.GOLD_SEGMENT_EXPORTS).count()).isEqualTo(2);

    // the next day the segment grows from 6 to 12 members: the gate holds every export
    SegmentRows.writeProfiles(lake, people(D2, 6));
    new Segments(lake, settings, m -> { }).run(D2);
    assertThatThrownBy(() -> new Exports(lake, settings, m -> { }).run(D2, false))
        .isInstanceOf(CdpException.class)
        .hasMessage("safety gate: destination 'mail', segment 'buyers': size changed by"
            + " +100.0% since its export of 2024-05-10 (6 -> 12), more than the 50% allowed"
            + " (cdp.activation.max-size-change-percent) (and 1 more); nothing was exported;"
            + " check the segment, or rerun with --force to publish anyway");
    assertThat(out.resolve("mail/buyers/" + D2)).doesNotExist();
    assertThat(lake.read(CdpTable.OPS_RUNS).where("job = 'export' AND status = 'FAILED'")
        .count()).isEqualTo(1);

    ExportReport forced = new Exports(lake, settings, m -> { }).run(D2, true);
    assertThat(forced.exports()).extracting(ExportReport.Export::rows)
        .containsExactly(8L, 6L);
    assertThat(lake.read(CdpTable.GOLD_SEGMENT_EXPORTS).where("forced").count()).isEqualTo(2);
    assertThat(Files.readAllLines(out.resolve("delta/buyers/" + D2 + "/buyers-" + D2
        + "-00000.jsonl"))).hasSize(6).allMatch(l -> l.contains("\"change\":\"entered\"")
            && l.contains("\"customer_id\":\"x"));
  }

  @Test
  void anExportUsesTheConsentValidAtTheEndOfItsRunDate() {
    Path out = dir.resolve("out");
    CdpSettings settings = SegmentRows.settings(dir.resolve("lake"), """
        cdp.segments.buyers { where = "order_count > 0" }
        cdp.destinations.mail { purpose = email_marketing, segments = [buyers],
          columns = [customer_id], location = "%s/mail" }
        """.formatted(out));
    Lakehouse lake = SegmentRows.lakehouse(settings);
    // the profile shows today's consent: w has withdrawn, v has granted since
    List<Row> today = List.of(customer(D2, "s", Map.of("email_marketing", "granted")),
        customer(D2, "w", Map.of("email_marketing", "withdrawn")),
        customer(D2, "v", Map.of("email_marketing", "granted")));
    SegmentRows.writeProfiles(lake, today);
    new Segments(lake, settings, m -> { }).run(D1);
    new Segments(lake, settings, m -> { }).run(D2);
    List<Row> history = new ArrayList<>(SegmentRows.grantedAndWithdrawn("s", "w",
        "2024-05-11T08:00:00Z"));
    // v: withdrawn by e-mail until the last microsecond of D1, granted on the web after
    history.add(SegmentRows.consent("v", "email_marketing", "email", "withdrawn",
        "2024-05-01T00:00:00Z", null));
    history.add(SegmentRows.consent("v", "email_marketing", "web", "granted",
        "2024-05-11T00:00:00Z", null));
    SegmentRows.writeConsentHistory(lake, history);

    new Exports(lake, settings, m -> { }).run(D1, false);
    new Exports(lake, settings, m -> { }).run(D2, false);
    assertThat(lines(out.resolve("mail/buyers/" + D1 + "/buyers-" + D1 + "-00000.csv")))
        .containsExactly("customer_id", "s", "w");
    assertThat(lines(out.resolve("mail/buyers/" + D2 + "/buyers-" + D2 + "-00000.csv")))
        .containsExactly("customer_id", "s", "v");
  }

  @Test
  void aDeltaExportSendsTheChangesSinceTheDestinationsOwnLastExport() throws Exception {
    LocalDate d3 = D2.plusDays(1);
    Path out = dir.resolve("out");
    String segment = """
        cdp.segments.buyers { where = "order_count > 0" }
        cdp.destinations.mail { purpose = email_marketing, segments = [buyers], format = jsonl,
          mode = delta, columns = [customer_id], location = "%s/mail" }
        """.formatted(out);
    CdpSettings settings = SegmentRows.settings(dir.resolve("lake"), segment);
    Lakehouse lake = SegmentRows.lakehouse(settings);
    // a and q: consent all along; m: consent from d3 on; w: withdraws on d3 and stays a buyer
    List<Row> history = new ArrayList<>(SegmentRows.grantedAndWithdrawn("a", "w",
        d3 + "T08:00:00Z"));
    history.add(SegmentRows.consent("q", "email_marketing", "web", "granted",
        SegmentRows.CONSENT_SINCE, null));
    history.add(SegmentRows.consent("r", "email_marketing", "web", "granted",
        SegmentRows.CONSENT_SINCE, null));
    history.add(SegmentRows.consent("m", "email_marketing", "web", "granted",
        d3 + "T00:00:00Z", null));
    Map<String, String> none = Map.of();
    // buyers: d1 a, m, w; d2 a, m, q, w (no export that day); d3 m, q, r, w
    Map<LocalDate, List<String>> buyers = Map.of(D1, List.of("a", "m", "w"),
        D2, List.of("a", "m", "q", "w"), d3, List.of("m", "q", "r", "w"));
    for (LocalDate day : List.of(D1, D2, d3)) {
      List<Row> rows = new ArrayList<>();
      for (String id : List.of("a", "m", "q", "r", "w")) {
        rows.add(buyers.get(day).contains(id) ? customer(day, id, none)
            : profile(day, id, "email", id + "@example.com", "order_count", 0));
      }
      SegmentRows.writeProfiles(lake, rows);
      SegmentRows.writeConsentHistory(lake, history);
      new Segments(lake, settings, m -> { }).run(day);
      if (!day.equals(D2)) {
        new Exports(lake, settings, m -> { }).run(day, false);
      }
    }
    // a destination added on d3 gets every member it may receive on its first export
    CdpSettings added = SegmentRows.settings(dir.resolve("lake"), segment + """
        cdp.destinations.mail_new { purpose = email_marketing, segments = [buyers],
          format = jsonl, mode = delta, columns = [customer_id], location = "%s/new" }
        """.formatted(out));
    new Exports(lake, added, m -> { }).run(d3, false);

    assertThat(lines(out.resolve("mail/buyers/" + D1 + "/buyers-" + D1 + "-00000.jsonl")))
        .containsExactly(entered("a"), entered("w"));
    // against d1, its own last export: q (entered on the missed d2) is in, m whose consent
    // came is in, a who left is out; w, who withdrew, is in no row
    Path folder = out.resolve("mail/buyers/" + d3);
    assertThat(lines(folder.resolve("buyers-" + d3 + "-00000.jsonl"))).containsExactly(
        "{\"customer_id\":\"a\",\"change\":\"exited\"}", entered("m"), entered("q"),
        entered("r"));
    assertThat(JSON.readTree(folder.resolve("manifest.json").toFile()).get("changes_since")
        .asText()).isEqualTo(D1.toString());
    Path first = out.resolve("new/buyers/" + d3);
    assertThat(lines(first.resolve("buyers-" + d3 + "-00000.jsonl")))
        .containsExactly(entered("m"), entered("q"), entered("r"));
    assertThat(JSON.readTree(first.resolve("manifest.json").toFile()).get("changes_since")
        .isNull()).isTrue();
  }

  private static String entered(String id) {
    return "{\"customer_id\":\"" + id + "\",\"change\":\"entered\"}";
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
