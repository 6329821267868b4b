package org.lakecdp.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sanity number, not a benchmark: how many candidate pairs one thread scores per second with
 * six comparisons (first name, surname, street, date of birth, postcode, e-mail). Only logged;
 * speed goals are held by the benchmarks, never by timing assertions.
 */
class ScoringThroughputTest {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringThroughputTest.class);

  private static final String[] FIRST = {"james", "john", "jon", "robert", "michael", "william",
      "david", "richard", "joseph", "thomas", "charles", "christopher", "chris", "daniel",
      "matthew", "anthony", "mark", "donald", "steven", "stephen", "paul", "andrew", "joshua",
      "kenneth", "kevin", "brian", "george", "geoff", "jeff", "timothy", "mary", "patricia",
      "jennifer", "linda", "elizabeth", "barbara", "susan", "jessica", "sarah", "karen", "lisa",
      "nancy", "betty", "margaret", "sandra", "ashley", "kimberly", "emily", "donna", "michelle",
      "catherine", "katherine", "kathy", "cathy", "carol", "amanda", "melissa", "deborah",
      "mohammed", "muhammad", "sean", "shaun", "aoife", "siobhan", "wei", "mei", "priya"};
  private static final String[] LAST = {"smith", "smyth", "jones", "williams", "taylor",
      "brown", "davies", "evans", "wilson", "thomas", "johnson", "roberts", "robinson",
      "thompson", "wright", "walker", "white", "edwards", "hughes", "green", "hall", "lewis",
      "harris", "clarke", "clark", "patel", "jackson", "wood", "turner", "martin", "cooper",
      "hill", "ward", "morris", "moore", "clarkson", "king", "watson", "baker", "harrison",
      "morgan", "young", "allen", "mitchell", "anderson", "nguyen", "tran", "li", "wang",
      "chen", "o'brien", "o'connor", "mcdonald", "macdonald", "schmidt", "schmitt", "muller",
      "kowalski", "novak", "rossi", "russo", "garcia", "martinez", "rodriguez", "lopez"};
  private static final String[] STREET = {"high street", "station road", "main street",
      "church lane", "park avenue", "victoria road", "green lane", "manor road", "church street",
      "park road", "queens road", "new road", "kings road", "london road", "mill lane",
      "kingsford smith drive", "george street", "pitt street", "elizabeth street", "oxford street"};
  private static final String[] DOMAIN = {"gmail.com", "yahoo.com", "hotmail.com",
      "outlook.com", "icloud.com", "bigpond.com"};

  private static final List<Comparison> COMPARISONS = List.of(
      Comparison.of("first_name", ComparatorKind.NAME),
      Comparison.of("last_name", ComparatorKind.NAME),
      Comparison.of("street", ComparatorKind.STRING),
      Comparison.date("dob", 30),
      Comparison.of("postcode", ComparatorKind.NUMERIC_STRING),
      Comparison.of("email", ComparatorKind.EMAIL));

  @Test
  void logsPairsScoredPerSecond() {
    SplittableRandom random = new SplittableRandom(1);
    MatchModel model = plausibleModel();
    int n = 200_000;
    String[][] left = new String[n][];
    String[][] right = new String[n][];
    for (int i = 0; i < n; i++) {
      left[i] = person(random);
      // a third of the candidate pairs are the same person with typos, the rest share a block
      right[i] = random.nextInt(3) == 0 ? noisy(random, left[i]) : sameBlock(random, left[i]);
    }

    int[] histogram = new int[3];
    score(model, left, right, histogram); // warm-up
    score(model, left, right, histogram);
    double best = 0;
    for (int round = 0; round < 5; round++) {
      long start = System.nanoTime();
      double checksum = score(model, left, right, histogram);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertThat(checksum).isFinite();
      best = Math.max(best, n / seconds);
    }
    LOG.info("scored {} candidate pairs/s on one thread ({} comparisons/s; 6 comparisons"
        + " each); probability <0.5 / 0.5-0.99 / >=0.99: {}",
        String.format(Locale.ROOT, "%,.0f", best),
        String.format(Locale.ROOT, "%,.0f", best * COMPARISONS.size()),
        Arrays.toString(histogram));
    assertThat(histogram[0]).as("some pairs are non-matches").isPositive();
    assertThat(histogram[2]).as("some pairs are matches").isPositive();
  }

  private static double score(MatchModel model, String[][] left, String[][] right,
      int[] histogram) {
    Arrays.fill(histogram, 0);
    double checksum = 0;
    int[] levels = new int[COMPARISONS.size()];
    for (int i = 0; i < left.length; i++) {
      String[] a = left[i];
      String[] b = right[i];
      for (int k = 0; k < levels.length; k++) {
        levels[k] = COMPARISONS.get(k).level(a[k], b[k]);
      }
      double w = model.matchWeight(levels);
      double p = MatchModel.probability(w);
      histogram[p < 0.5 ? 0 : p < 0.99 ? 1 : 2]++;
      checksum += w;
    }
    return checksum;
  }

  private static String[] person(SplittableRandom r) {
    String first = FIRST[r.nextInt(FIRST.length)];
    String last = LAST[r.nextInt(LAST.length)];
    return new String[] {first, last,
        r.nextInt(1, 300) + " " + STREET[r.nextInt(STREET.length)],
        String.format(Locale.ROOT, "%04d-%02d-%02d", r.nextInt(1930, 2008), r.nextInt(1, 13),
            r.nextInt(1, 29)),
        Integer.toString(r.nextInt(2000, 2300)),
        r.nextInt(5) == 0 ? null
            : first + "." + last + r.nextInt(100) + "@" + DOMAIN[r.nextInt(DOMAIN.length)]};
  }

  /** The same person with a typo or two and a missing value now and then. */
  private static String[] noisy(SplittableRandom r, String[] p) {
    String[] q = p.clone();
    for (int k = 0; k < q.length; k++) {
      if (q[k] == null || r.nextInt(4) != 0) {
        continue;
      }
      if (r.nextInt(5) == 0) {
        q[k] = null;
      } else {
        char[] c = q[k].toCharArray();
        int i = r.nextInt(c.length);
        if (k == 3 && (i == 4 || i == 7)) {
          i = 9; // keep the date's dashes
        }
        c[i] = k == 3 || k == 4 ? (char) ('0' + r.nextInt(10)) : (char) ('a' + r.nextInt(26));
        q[k] = new String(c);
      }
    }
    return q;
  }

  /** Another person who happens to share the blocking key (postcode) of p. */
  private static String[] sameBlock(SplittableRandom r, String[] p) {
    String[] q = person(r);
    q[4] = p[4];
    return q;
  }

  /** Top-heavy m and bottom-heavy u per comparison: the shape of a trained model. */
  private static MatchModel plausibleModel() {
    double[][] m = new double[COMPARISONS.size()][];
    double[][] u = new double[COMPARISONS.size()][];
    for (int k = 0; k < m.length; k++) {
      int levels = COMPARISONS.get(k).levels();
      m[k] = new double[levels];
      u[k] = new double[levels];
      for (int l = 0; l < levels; l++) {
        m[k][l] = Math.pow(4, l);
        u[k][l] = Math.pow(4, levels - 1 - l);
      }
      normalise(m[k]);
      normalise(u[k]);
    }
    return new MatchModel(COMPARISONS, m, u, 0.05);
  }

  private static void normalise(double[] row) {
    double sum = Arrays.stream(row).sum();
    for (int l = 0; l < row.length; l++) {
      row[l] /= sum;
    }
  }
}
