package org.lakecdp.jobs;

import java.io.PrintStream;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.config.CdpSettings;
import org.lakecdp.core.config.Suggest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cdp} command line, and the main class {@code spark-submit} runs.
 *
 * <p>Exit codes: 0 success, 1 failure (one-line cause on stderr), 2 bad usage.
 */
public final class CdpMain {
  private static final Logger LOG = LoggerFactory.getLogger(CdpMain.class);

  /** The pipeline {@code cdp nightly} runs, in order. */
  static final List<Job> PIPELINE = List.of(new IngestJob(), new IdentityJob(),
      new PrivacyJob(), new ScoreJob(), new ProfileJob(), new SegmentJob(), new ExportJob());

  /** Jobs {@code cdp run} knows besides the pipeline's. */
  static final List<Job> ON_DEMAND = List.of(new TrainJob());

  private static final Set<String> COMMON = Set.of("conf", "set");
  private static final String USAGE = """
      usage: cdp <command> [options]

      Commands:
        demo                 generate sample data if absent, run the nightly pipeline on the
                             local default, print where the results are
        run <job>            run one job: %s
        nightly              run every job in order (%s)
        privacy erase|access --email X | --phone X | --customer-id X | --source-key S:K
                             erase a person from every layer (suppressed from later
                             ingests), or write everything held about them to a JSON
                             package; prints the receipt (cdp_ops.privacy_receipts)
        sql "<query>"        query the lakehouse catalog (cdp_bronze, cdp_silver, cdp_gold,
                             cdp_ops) and print the result
        generate             write the sample data set (landing files + ground truth)
        help                 this text

      Options of run and nightly:
        --date yyyy-MM-dd    logical date: process (or reprocess) that day only. Without it,
                             the logical date is today (UTC) and everything pending is caught up
        --from D --to D      backfill: run each day from D to D inclusive, in order;
                             the later jobs (identity to export) run once, after the last day
        --force              redo the day even if it was done (replaces its previous output);
                             export: publish past the safety gate (run export needs no date)
        --source NAME        (run ingest) only this source; repeatable
        --full               (identity, profile) recompute every customer instead of only
                             those touched since the last run (cdp.identity.mode = full,
                             cdp.profile.mode = full)
        --model NAME         (run train) churn, propensity or clv; repeatable; default:
                             every enabled model
      Options of privacy:
        --request-id ID      id of the request (default: type, date and a salted hash of
                             the identifier); a request with a receipt is not redone
        --date yyyy-MM-dd    logical date of the run (default today, UTC)
      Options of sql:
        --format table|csv|json   output format (default table)
        --limit N            at most N rows (default 100 for table, no limit otherwise)
      Options of demo and generate:
        --persons N --days N --seed N --end-date yyyy-MM-dd
        --out DIR            (generate) where to write it (default: cdp.sample.root)
        --regenerate         (demo) generate the sample data again even if present
      Options of every command:
        --conf FILE          configuration file (default: $CDP_CONF, else conf/application.conf)
        --set key=value      override one configuration key, e.g. --set spark.master=local[2];
                             repeatable; the cdp. prefix is optional

      Exit codes: 0 success, 1 failure, 2 bad usage.
      """;

  private final PrintStream out;
  private final PrintStream err;

  CdpMain(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    int code = new CdpMain(System.out, System.err).run(args);
    System.out.flush();
    System.exit(code);
  }

  /** Runs one command and returns its exit code; never exits the JVM. */
  int run(String... args) {
    List<String> list = Arrays.asList(args);
    try {
      if (list.isEmpty() || list.get(0).equals("help") || list.get(0).equals("--help")
          || list.get(0).equals("-h")) {
        out.print(usage());
        return list.isEmpty() ? 2 : 0;
      }
      if (list.contains("--help") || list.contains("-h")) {
        out.print(usage());
        return 0;
      }
      String command = list.get(0);
      List<String> rest = list.subList(1, list.size());
      switch (command) {
        case "run" -> runJob(rest);
        case "nightly" -> nightly(rest);
        case "demo" -> Demo.run(this, parse("demo", rest, Set.of("persons", "days", "seed",
            "end-date"), Set.of("regenerate")));
        case "sql" -> sql(rest);
        case "privacy" -> privacy(rest);
        case "generate" -> SampleData.generate(this, parse("generate", rest,
            Set.of("persons", "days", "seed", "end-date", "out"), Set.of()));
        default -> {
          String suggestion = Suggest.closest(command,
              List.of("demo", "run", "nightly", "privacy", "sql", "generate", "help"));
          throw new UsageException("unknown command '" + command + "'"
              + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)"));
        }
      }
      return 0;
    } catch (UsageException e) {
      err.println("cdp: " + e.getMessage());
      err.println("Run 'cdp --help' for usage.");
      return 2;
    } catch (CdpException e) {
      err.println("cdp: error: " + oneLine(e.getMessage()));
      LOG.debug("failure", e);
      return 1;
    } catch (Exception | Error e) {
      err.println("cdp: error: " + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
      LOG.error("unexpected failure", e);
      return 1;
    }
  }

  private static String usage() {
    String jobs = String.join(", ", PIPELINE.stream().map(Job::name).toList());
    return String.format(Locale.ROOT, USAGE, jobNames(), jobs);
  }

  static String oneLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  PrintStream out() {
    return out;
  }

  /** Progress lines go to stderr, so stdout stays clean for results. */
  void progress(String line) {
    err.println(line);
  }

  static CommandLine parse(String command, List<String> args, Set<String> valued,
      Set<String> flags) {
    Set<String> allValued = new java.util.HashSet<>(valued);
    allValued.addAll(COMMON);
    return CommandLine.parse(command, args, allValued, flags);
  }

  CdpSession open(CommandLine cl) {
    return open(cl, Map.of());
  }

  CdpSession open(CommandLine cl, Map<String, String> extra) {
    Map<String, String> overrides = new LinkedHashMap<>(extra);
    overrides.putAll(cl.overrides());
    CdpSettings settings = CdpSession.loadSettings(cl.path("conf"), overrides);
    return new CdpSession(settings, this::progress);
  }

  private void runJob(List<String> args) {
    CommandLine cl = parse("run", args, Set.of("date", "from", "to", "source", "model"),
        Set.of("force", "full"));
    if (cl.positional().size() != 1) {
      throw new UsageException("run: name one job: " + jobNames());
    }
    Job job = job(cl.positional().get(0));
    if (!cl.values("source").isEmpty() && !job.name().equals("ingest")) {
      throw new UsageException("run: --source applies to ingest only");
    }
    if (!cl.values("model").isEmpty() && !job.name().equals("train")) {
      throw new UsageException("run: --model applies to train only");
    }
    for (String model : cl.values("model")) {
      if (!org.lakecdp.core.config.MlSettings.MODEL_NAMES.contains(model)) {
        throw new UsageException("run: unknown model '" + model + "'; models are "
            + String.join(", ", org.lakecdp.core.config.MlSettings.MODEL_NAMES));
      }
    }
    boolean forceAlone = job.name().equals("export") && cl.flag("force")
        && cl.value("date") == null && cl.value("from") == null;
    List<JobOptions> runs = forceAlone ? List.of(new JobOptions(LocalDate.now(ZoneOffset.UTC),
        false, true, List.of())) : schedule(cl, "run");
    try (CdpSession session = open(cl, fullRebuild(cl))) {
      for (JobOptions options : runs) {
        out.println(job.run(session, options.withModels(cl.values("model"))));
      }
    }
  }

  private void nightly(List<String> args) {
    CommandLine cl = parse("nightly", args, Set.of("date", "from", "to"),
        Set.of("force", "full"));
    if (!cl.positional().isEmpty()) {
      throw new UsageException("nightly: unexpected argument '" + cl.positional().get(0) + "'");
    }
    try (CdpSession session = open(cl, fullRebuild(cl))) {
      runPipeline(session, schedule(cl, "nightly"));
    }
  }

  /** {@code --full}: identity and profile recompute every customer. */
  private static Map<String, String> fullRebuild(CommandLine cl) {
    return cl.flag("full") ? Map.of("cdp.identity.mode", "full", "cdp.profile.mode", "full")
        : Map.of();
  }

  void runPipeline(CdpSession session, List<JobOptions> days) {
    for (int i = 0; i < days.size(); i++) {
      JobOptions options = days.get(i);
      boolean last = i == days.size() - 1;
      for (Job job : PIPELINE) {
        if (!job.perDay() && !last) {
          continue;
        }
        progress("== " + job.name() + " (" + (options.dateGiven() ? options.date()
            : "catch-up, " + options.date()) + ")");
        out.println(job.run(session, options));
      }
    }
  }

  /** The runs a command asks for: one catch-up run, one date, or each day of a range. */
  static List<JobOptions> schedule(CommandLine cl, String command) {
    LocalDate date = cl.date("date");
    LocalDate from = cl.date("from");
    LocalDate to = cl.date("to");
    boolean force = cl.flag("force");
    List<String> sources = cl.values("source");
    if (date != null && (from != null || to != null)) {
      throw new UsageException(command + ": use either --date or --from/--to");
    }
    if ((from == null) != (to == null)) {
      throw new UsageException(command + ": --from and --to go together");
    }
    List<JobOptions> runs = new ArrayList<>();
    if (from != null) {
      if (to.isBefore(from)) {
        throw new UsageException(command + ": --to " + to + " is before --from " + from);
      }
      for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
        runs.add(new JobOptions(d, true, force, sources));
      }
    } else if (date != null) {
      runs.add(new JobOptions(date, true, force, sources));
    } else {
      if (force) {
        throw new UsageException(command + ": --force needs --date or --from/--to");
      }
      runs.add(new JobOptions(LocalDate.now(ZoneOffset.UTC), false, false, sources));
    }
    return runs;
  }

  private static Job job(String name) {
    List<Job> all = new ArrayList<>(PIPELINE);
    all.addAll(ON_DEMAND);
    return all.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() -> {
      String suggestion = Suggest.closest(name, all.stream().map(Job::name).toList());
      return new UsageException("run: unknown job '" + name + "'"
          + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
          + "; jobs are " + jobNames());
    });
  }

  private static String jobNames() {
    List<Job> all = new ArrayList<>(PIPELINE);
    all.addAll(ON_DEMAND);
    return String.join(", ", all.stream().map(Job::name).toList());
  }

  private void privacy(List<String> args) {
    CommandLine cl = parse("privacy", args, Set.of("email", "phone", "customer-id",
        "source-key", "request-id", "date"), Set.of());
    if (cl.positional().size() != 1 || !List.of("erase", "access")
        .contains(cl.positional().get(0))) {
      throw new UsageException("privacy: say erase or access, then one identifier");
    }
    List<String> given = new ArrayList<>();
    for (String kind : List.of("email", "phone", "customer-id", "source-key")) {
      if (cl.value(kind) != null) {
        given.add(kind);
      }
    }
    if (given.size() != 1) {
      throw new UsageException("privacy: give exactly one of --email, --phone, --customer-id,"
          + " --source-key");
    }
    org.lakecdp.core.privacy.PrivacyRequest.Type type =
        org.lakecdp.core.privacy.PrivacyRequest.Type.valueOf(
            cl.positional().get(0).toUpperCase(Locale.ROOT));
    org.lakecdp.core.privacy.Identifier id = org.lakecdp.core.privacy.Identifier.of(
        given.get(0), cl.value(given.get(0)));
    LocalDate date = cl.date("date") != null ? cl.date("date") : LocalDate.now(ZoneOffset.UTC);
    try (CdpSession session = open(cl)) {
      String requestId = cl.value("request-id") != null ? cl.value("request-id")
          : new org.lakecdp.core.privacy.Privacy(session.lakehouse(), session.settings(),
              this::progress).commandLineRequestId(type, id, date);
      out.println(PrivacyJob.runOne(session, new org.lakecdp.core.privacy.PrivacyRequest(
          requestId, type, id, "command line"), new JobOptions(date, true, false, List.of())));
    }
  }

  private void sql(List<String> args) {
    CommandLine cl = parse("sql", args, Set.of("format", "limit"), Set.of());
    if (cl.positional().size() != 1) {
      throw new UsageException("sql: give one query, quoted: cdp sql \"SELECT ...\"");
    }
    ResultPrinter.Format format = ResultPrinter.format(cl.value("format"));
    Integer limit = cl.integer("limit");
    int rows = limit != null ? limit : format == ResultPrinter.Format.TABLE ? 100
        : Integer.MAX_VALUE - 1;
    try (CdpSession session = open(cl)) {
      session.lakehouse();
      ResultPrinter.print(session.spark().sql(cl.positional().get(0)), format, rows, out);
    }
  }
}
