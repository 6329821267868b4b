package org.lakecdp.core.sample;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.LocalFiles;
import org.lakecdp.core.config.SampleSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Generates the landing files of a sample omnichannel retailer, and the ground truth behind
 * them, in plain Java (no Spark).
 *
 * <p>Layout under {@code root}: {@code landing/<source>/<yyyy-MM-dd>/<file>-part-<n>.<ext>} for
 * the sources web, app, orders, pos, email, crm, support and consent, and {@code truth/} with
 * persons.csv, records.csv, cookies.csv, devices.csv, malformed.csv and a README.txt describing
 * them. The pipeline must never read {@code truth/}.
 *
 * <p>Deterministic: the same settings give byte-identical files. Every person is a pure function
 * of (seed, person index); persons are split into {@value #SHARDS} fixed shards (person i goes
 * to shard i mod {@value #SHARDS}), each shard writes only its own part files, so thread
 * scheduling cannot change a byte. History covers the {@code days} days ending at {@code endDate}
 * inclusive, UTC; the same day's file of a source receives lines in person order, then time
 * order.
 */
public final class SampleDataGenerator {
  /** Fixed number of shards; part of the output layout, so independent of the machine. */
  static final int SHARDS = 2;
  private static final Logger LOG = LoggerFactory.getLogger(SampleDataGenerator.class);
  private static final String PERSONS_HEADER = "person_id,first_name,last_name,email,phone,"
      + "date_of_birth,gender,street,city,postcode,country,crm_id,loyalty_card,signup_date,"
      + "churn_date,purchases_per_year,preferred_categories";

  private SampleDataGenerator() {}

  /**
   * Writes landing files under {@code root/landing} and the ground truth under
   * {@code root/truth}, deleting both folders first if present. Returns counts.
   *
   * @param settings sizes, dates and seed; at most 5,000,000 persons
   * @param progress receives a few coarse progress lines, from the calling thread
   * @throws CdpException when a file cannot be written or the settings are too large
   */
  public static GenerationReport generate(SampleSettings settings, Consumer<String> progress) {
    if (settings.persons() > Ids.MAX_PERSONS) {
      throw CdpException.badConfig("cdp.sample.persons", "must be at most " + Ids.MAX_PERSONS,
          settings.persons());
    }
    long started = System.nanoTime();
    Path root = Path.of(settings.root());
    Path truth = root.resolve("truth");
    Path parts = truth.resolve(".parts");
    try {
      LocalFiles.deleteTree(root.resolve("landing"));
      LocalFiles.deleteTree(root.resolve(PRIVACY_REQUESTS));
      LocalFiles.deleteTree(truth);
      Files.createDirectories(root.resolve("landing"));
      Files.createDirectories(parts);
    } catch (IOException e) {
      throw writeFailure(root, e);
    }
    HistoryCalendar calendar = new HistoryCalendar(settings.endDate(), settings.days());
    World world = new World(calendar, settings.seed());
    PersonFactory factory = new PersonFactory(settings.seed(), settings.days(), world.ids());
    progress.accept("preparing " + settings.persons() + " persons over " + settings.days()
        + " days ending " + settings.endDate());
    String[][] emails = preparePersons(factory, settings.persons(), calendar,
        truth.resolve("persons.csv"));
    progress.accept("wrote truth/persons.csv; simulating histories in " + SHARDS + " shards");
    List<ShardOutput> outputs = runShards(settings, world, factory, emails, root, parts,
        progress);
    GenerationReport report = finish(settings, outputs, root, truth, parts);
    writePrivacyRequests(settings, factory, emails[0], root, truth);
    double seconds = (System.nanoTime() - started) / 1e9;
    progress.accept(String.format(java.util.Locale.ROOT,
        "done: %d records (%d duplicates, %d malformed) in %.1f s", report.totalRecords(),
        report.duplicateRecords(), report.malformedLines(), seconds));
    LOG.info("sample data: {} persons, {} records in {} s under {}", report.persons(),
        report.totalRecords(), Math.round(seconds), root);
    return report;
  }

  /**
   * Builds every person once, in order, to make emails unique (a later person whose email is
   * taken gets a number added) and writes {@code persons.csv}. Returns main and alternative
   * email per person.
   */
  private static String[][] preparePersons(PersonFactory factory, int persons,
      HistoryCalendar calendar, Path file) {
    String[][] emails = new String[2][persons];
    Set<String> taken = new HashSet<>(persons * 2);
    Map<String, Integer> nextNumber = new HashMap<>();
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      out.write(PERSONS_HEADER);
      out.write('\n');
      for (int i = 0; i < persons; i++) {
        Person p = factory.create(i);
        emails[0][i] = unique(p.email(), taken, nextNumber);
        emails[1][i] = p.altEmail() == null ? null : unique(p.altEmail(), taken, nextNumber);
        out.write(personRow(p.withEmails(emails[0][i], emails[1][i]), calendar));
        out.write('\n');
      }
    } catch (IOException e) {
      throw writeFailure(file, e);
    }
    return emails;
  }

  private static String unique(String email, Set<String> taken, Map<String, Integer> next) {
    if (taken.add(email)) {
      return email;
    }
    int at = email.indexOf('@');
    int n = next.getOrDefault(email, 2);
    String candidate = email.substring(0, at) + n + email.substring(at);
    while (!taken.add(candidate)) {
      n++;
      candidate = email.substring(0, at) + n + email.substring(at);
    }
    next.put(email, n + 1);
    return candidate;
  }

  private static String personRow(Person p, HistoryCalendar calendar) {
    StringBuilder categories = new StringBuilder();
    for (int c : p.categories()) {
      categories.append(categories.length() == 0 ? "" : "|").append(Vocabulary.CATEGORIES[c]);
    }
    Address a = p.address();
    return Text.csvLine(p.personId(), p.firstName(), p.lastName(), p.email(),
        Noise.phone(p.mobile(), 0), p.dateOfBirth().toString(), p.female() ? "F" : "M",
        a.streetLine(), a.city(), a.postcode(), "GB", p.crmId(), p.loyaltyCard(),
        calendar.isoDate(p.signupDay()),
        p.churnDay() == Integer.MAX_VALUE ? "" : calendar.isoDate(p.churnDay()),
        Double.toString(p.purchasesPerYear()), categories.toString());
  }

  private static List<ShardOutput> runShards(SampleSettings settings, World world,
      PersonFactory factory, String[][] emails, Path root, Path parts,
      Consumer<String> progress) {
    int persons = settings.persons();
    AtomicInteger done = new AtomicInteger();
    int threads = Math.max(1, Math.min(SHARDS, Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "sample-generator");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<ShardOutput>> futures = new ArrayList<>();
      for (int shard = 0; shard < SHARDS; shard++) {
        int s = shard;
        futures.add(pool.submit(() -> {
          PersonSimulator simulator = new PersonSimulator(world, settings.seed());
          try (ShardOutput out = new ShardOutput(root, parts, s, world.calendar(),
              world.renameDay(), settings.seed())) {
            for (int i = s; i < persons; i += SHARDS) {
              Person p = factory.create(i).withEmails(emails[0][i], emails[1][i]);
              simulator.simulate(p, out);
              done.incrementAndGet();
            }
            return out;
          }
        }));
      }
      List<ShardOutput> outputs = new ArrayList<>();
      int reported = 0;
      for (Future<ShardOutput> future : futures) {
        while (true) {
          try {
            outputs.add(future.get(250, TimeUnit.MILLISECONDS));
            break;
          } catch (TimeoutException e) {
            reported = reportProgress(done.get(), persons, reported, progress);
          }
        }
      }
      reportProgress(done.get(), persons, reported, progress);
      return outputs;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof CdpException c) {
        throw c;
      }
      throw new CdpException("sample generator failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CdpException("sample generator interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static int reportProgress(int done, int persons, int reported,
      Consumer<String> progress) {
    int tenths = (int) (done * 10L / persons);
    for (int t = reported + 1; t <= tenths; t++) {
      progress.accept("simulated " + (t * 10) + "% of persons (" + done + "/" + persons + ")");
    }
    return Math.max(reported, tenths);
  }

  /** Folder (under the sample root) of the queued privacy requests. */
  public static final String PRIVACY_REQUESTS = "privacy-requests";

  /**
   * Writes {@code privacy-requests/requests.csv}: erasure requests of three persons and an
   * access request of a fourth, all by email, picked by the seed among registered persons;
   * {@code truth/privacy_requests.csv} maps each request to its person.
   */
  private static void writePrivacyRequests(SampleSettings settings, PersonFactory factory,
      String[] emails, Path root, Path truth) {
    java.util.Random rng = new java.util.Random(settings.seed() ^ 0x5eedL);
    List<Integer> picked = new ArrayList<>();
    for (int tries = 0; picked.size() < 4 && tries < 10_000; tries++) {
      int i = rng.nextInt(emails.length);
      Person p = factory.create(i);
      if (emails[i] != null && p.inCrm() && !p.junk() && !picked.contains(i)) {
        picked.add(i);
      }
    }
    List<String> requests = new ArrayList<>(List.of("request_id,type,identifier,value"));
    List<String> truthRows = new ArrayList<>(List.of("request_id,type,person_id"));
    for (int n = 0; n < picked.size(); n++) {
      String type = n < 3 ? "erase" : "access";
      String id = String.format(java.util.Locale.ROOT, "sample-%s-%d", type, n + 1);
      requests.add(id + "," + type + ",email," + emails[picked.get(n)]);
      truthRows.add(id + "," + type + "," + Ids.personId(picked.get(n)));
    }
    try {
      Files.createDirectories(root.resolve(PRIVACY_REQUESTS));
      Files.write(root.resolve(PRIVACY_REQUESTS).resolve("requests.csv"), requests,
          StandardCharsets.UTF_8);
      Files.write(truth.resolve("privacy_requests.csv"), truthRows, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw writeFailure(root, e);
    }
  }

  private static GenerationReport finish(SampleSettings settings, List<ShardOutput> outputs,
      Path root, Path truth, Path parts) {
    Map<String, Long> counts = new LinkedHashMap<>();
    long duplicates = 0;
    List<String> malformed = new ArrayList<>();
    for (Source source : Source.values()) {
      counts.put(source.dir(), outputs.stream().mapToLong(o -> o.lines(source)).sum());
    }
    for (ShardOutput out : outputs) {
      duplicates += out.duplicates();
      malformed.addAll(out.malformed());
    }
    try {
      concatenate(truth.resolve("records.csv"), "source,record_key,person_id", parts, "records");
      concatenate(truth.resolve("cookies.csv"), "cookie_id,person_id", parts, "cookies");
      concatenate(truth.resolve("devices.csv"), "device_id,person_id", parts, "devices");
      List<String> rows = new ArrayList<>();
      rows.add("source,file,reason");
      rows.addAll(malformed);
      Files.write(truth.resolve("malformed.csv"), rows, StandardCharsets.US_ASCII);
      Files.writeString(truth.resolve("README.txt"), TruthReadme.text(settings),
          StandardCharsets.US_ASCII);
      LocalFiles.deleteTree(parts);
    } catch (IOException e) {
      throw writeFailure(truth, e);
    }
    return new GenerationReport(settings.persons(), counts, malformed.size(), duplicates, root);
  }

  private static void concatenate(Path target, String header, Path parts, String name)
      throws IOException {
    try (OutputStream out = Files.newOutputStream(target)) {
      out.write((header + "\n").getBytes(StandardCharsets.US_ASCII));
      for (int shard = 0; shard < SHARDS; shard++) {
        Files.copy(parts.resolve(name + "-" + shard), out);
      }
    }
  }

  private static CdpException writeFailure(Path where, IOException e) {
    return new CdpException("sample generator: cannot write under " + where + ": " + e,
        e);
  }
}
