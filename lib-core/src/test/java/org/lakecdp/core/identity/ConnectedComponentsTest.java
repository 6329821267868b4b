package org.lakecdp.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.lakecdp.core.identity.ConnectedComponents.COMPONENT;
import static org.lakecdp.core.identity.ConnectedComponents.DST;
import static org.lakecdp.core.identity.ConnectedComponents.NODE;
import static org.lakecdp.core.identity.ConnectedComponents.SRC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.lakecdp.core.CdpException;
import org.lakecdp.core.testing.SparkTestSession;

@ExtendWith(SparkTestSession.class)
class ConnectedComponentsTest {
  private static final StructType EDGES = new StructType()
      .add(SRC, DataTypes.LongType).add(DST, DataTypes.LongType);
  private static final StructType NODES = new StructType().add(NODE, DataTypes.LongType);

  @TempDir
  Path dir;

  @Test
  void aPathInScrambledOrderIsOneComponent() {
    assertThat(labels(edges(4, 2, 2, 7, 7, 1, 1, 9), nodes(4, 2, 7, 1, 9), null))
        .containsOnly(entry(1L, 1L), entry(2L, 1L), entry(4L, 1L), entry(7L, 1L), entry(9L, 1L));
  }

  @Test
  void aStarTakesItsSmallestLeafNotItsCentre() {
    assertThat(labels(edges(50, 10, 80, 50, 50, 30, 60, 50, 50, 20), nodes(), null))
        .containsOnly(entry(10L, 10L), entry(20L, 10L), entry(30L, 10L), entry(50L, 10L),
            entry(60L, 10L), entry(80L, 10L));
  }

  @Test
  void twoComponentsAndAnIsolatedNode() {
    assertThat(labels(edges(3, 2, 1, 2, 11, 10), nodes(1, 2, 3, 10, 11, 42), null))
        .containsOnly(entry(1L, 1L), entry(2L, 1L), entry(3L, 1L), entry(10L, 10L),
            entry(11L, 10L), entry(42L, 42L));
  }

  @Test
  void selfLoopsDuplicatesReversedEdgesAndNodesOnlyInEdges() {
    assertThat(labels(edges(5, 5, 3, 4, 4, 3, 3, 4, 7, 6, 6, 6, 6, 7), nodes(8, 8, 3), null))
        .containsOnly(entry(3L, 3L), entry(4L, 3L), entry(5L, 5L), entry(6L, 6L), entry(7L, 6L),
            entry(8L, 8L));
  }

  @Test
  void withoutEdgesEveryNodeIsItsOwnComponent() {
    assertThat(labels(edges(), nodes(3, 1, 2), null))
        .containsOnly(entry(1L, 1L), entry(2L, 2L), entry(3L, 3L));
    assertThat(labels(edges(), nodes(), dir.toString())).isEmpty();
  }

  @Test
  void oneRoundOfLargeStarThenSmallStarTurnsAPathIntoStars() {
    Dataset<Row> path = ConnectedComponents.orientEdges(edges(1, 2, 3, 2, 3, 4, 5, 4));
    Dataset<Row> large = ConnectedComponents.largeStar(path);
    assertThat(rows(large)).containsExactlyInAnyOrder(
        "2-1", "3-1 changed", "4-2 changed", "5-3 changed");
    assertThat(rows(ConnectedComponents.dedupeEdges(ConnectedComponents.smallStar(large))))
        .containsExactlyInAnyOrder("1-2", "1-3 changed", "2-4 changed", "3-5 changed");
  }

  @Test
  void aPathOfFiveConvergesInThreeIterationsAndFailsWithFewer() {
    Dataset<Row> path = edges(1, 2, 2, 3, 3, 4, 4, 5);
    ConnectedComponents.Result result = ConnectedComponents.run(path, nodes(), null, 3);
    assertThat(result.iterations()).isEqualTo(3);
    assertThat(result.location()).isNull();
    assertThat(toMap(result.labels())).containsOnly(entry(1L, 1L), entry(2L, 1L),
        entry(3L, 1L), entry(4L, 1L), entry(5L, 1L));

    assertThatThrownBy(() -> ConnectedComponents.label(path, nodes(), dir.toString(), 2))
        .isInstanceOf(CdpException.class)
        .hasMessage("connected components did not converge in 2 iterations: 2 edges still"
            + " changing; raise maxIterations");
    assertThat(dir).isEmptyDirectory();
    assertThatThrownBy(() -> ConnectedComponents.label(path, nodes(), null, 1))
        .isInstanceOf(CdpException.class)
        .hasMessage("connected components did not converge in 1 iteration: 3 edges still"
            + " changing; raise maxIterations");
  }

  @Test
  void aLongPathInScrambledOrderMatchesUnionFindAndLeavesOnlyTheLabelsBehind()
      throws IOException {
    int n = 2_000;
    long[] ids = new SplittableRandom(7).longs(0, 1_000_000).distinct().limit(n).toArray();
    long[] ends = new long[2 * (n - 1)];
    for (int i = 0; i + 1 < n; i++) {
      ends[2 * i] = ids[i];
      ends[2 * i + 1] = ids[i + 1];
    }
    Dataset<Row> edges = edges(ends);
    // Label propagation would need about n / 2 rounds here.
    ConnectedComponents.Result result = ConnectedComponents.run(edges, nodes(), dir.toString(),
        40);

    assertThat(toMap(result.labels())).isEqualTo(unionFind(ends, new long[0]));
    assertThat(toMap(result.labels())).hasSize(n);
    Path run;
    try (Stream<Path> runs = Files.list(dir)) {
      run = runs.collect(Collectors.toList()).get(0);
    }
    try (Stream<Path> runs = Files.list(dir)) {
      assertThat(runs).containsExactly(run);
    }
    assertThat(run.getFileName().toString()).startsWith("connected-components-");
    try (Stream<Path> folders = Files.list(run)) {
      assertThat(folders).containsExactly(run.resolve("labels"));
    }
    assertThat(result.location()).isEqualTo("file:" + run.resolve("labels"));
  }

  @Test
  void aRandomGraphMatchesUnionFind() {
    SplittableRandom random = new SplittableRandom(42);
    long[] ids = random.longs().distinct().limit(20_000).toArray();
    long[] ends = new long[2 * 15_000];
    for (int i = 0; i < ends.length; i++) {
      ends[i] = ids[random.nextInt(ids.length)];
    }
    Map<Long, Long> expected = unionFind(ends, ids);
    assertThat(expected.values().stream().distinct().count()).isBetween(5_000L, 15_000L);

    Dataset<Row> labels = ConnectedComponents.label(edges(ends), nodes(ids), null, 40);

    assertThat(toMap(labels)).isEqualTo(expected);
  }

  @Test
  void badInputIsAClearError(SparkSession spark) {
    Dataset<Row> noDst = edges(1, 2).withColumnRenamed(DST, "to");
    assertThatThrownBy(() -> ConnectedComponents.label(noDst, nodes(), null, 10))
        .isInstanceOf(CdpException.class)
        .hasMessage("connected components: edges has no column 'dst'; columns are [src, to]");
    Dataset<Row> textNodes = spark.createDataFrame(List.of(RowFactory.create("a")),
        new StructType().add(NODE, DataTypes.StringType));
    assertThatThrownBy(() -> ConnectedComponents.label(edges(1, 2), textNodes, null, 10))
        .isInstanceOf(CdpException.class)
        .hasMessage("connected components: nodes.node must be a long id: string");
    assertThatThrownBy(() -> ConnectedComponents.label(edges(1, 2), nodes(), null, 0))
        .isInstanceOf(CdpException.class)
        .hasMessage("connected components: maxIterations must be at least 1: 0");
    Dataset<Row> nullNode = spark.createDataFrame(List.of(RowFactory.create((Long) null)),
        NODES);
    assertThatThrownBy(() -> ConnectedComponents.label(edges(1, 2), nullNode, dir.toString(), 10))
        .isInstanceOf(CdpException.class)
        .hasMessage("connected components: a node id is null in nodes.node, edges.src or"
            + " edges.dst; every id must be set");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void narrowerIntegerIdsAreLabelledAsLongs(SparkSession spark) {
    Dataset<Row> edges = spark.createDataFrame(List.of(RowFactory.create(2, 1)),
        new StructType().add(SRC, DataTypes.IntegerType).add(DST, DataTypes.IntegerType));
    Dataset<Row> labels = ConnectedComponents.label(edges, nodes(3), null, 10);
    assertThat(labels.schema()).isEqualTo(new StructType()
        .add(NODE, DataTypes.LongType).add(COMPONENT, DataTypes.LongType));
    assertThat(toMap(labels)).containsOnly(entry(1L, 1L), entry(2L, 1L), entry(3L, 3L));
  }

  private static Map<Long, Long> labels(Dataset<Row> edges, Dataset<Row> nodes,
      String checkpointDir) {
    return toMap(ConnectedComponents.label(edges, nodes, checkpointDir, 20));
  }

  /** The labels as a map, failing when a node has more than one row. */
  private static Map<Long, Long> toMap(Dataset<Row> labels) {
    Map<Long, Long> map = new HashMap<>();
    for (Row row : labels.select(NODE, COMPONENT).collectAsList()) {
      Long previous = map.put(row.getLong(0), row.getLong(1));
      assertThat(previous).as("second row for node %s", row.getLong(0)).isNull();
    }
    return map;
  }

  /** Edges as {@code src, dst} rows from pairs of ends. */
  private static Dataset<Row> edges(long... ends) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < ends.length; i += 2) {
      rows.add(RowFactory.create(ends[i], ends[i + 1]));
    }
    return SparkTestSession.spark().createDataFrame(rows, EDGES);
  }

  private static Dataset<Row> nodes(long... ids) {
    List<Row> rows = new ArrayList<>();
    for (long id : ids) {
      rows.add(RowFactory.create(id));
    }
    return SparkTestSession.spark().createDataFrame(rows, NODES);
  }

  /** Edge rows as {@code "src-dst"}, with {@code " changed"} when flagged. */
  private static List<String> rows(Dataset<Row> graph) {
    return graph.collectAsList().stream()
        .map(r -> r.getLong(0) + "-" + r.getLong(1) + (r.getBoolean(2) ? " changed" : ""))
        .collect(Collectors.toList());
  }

  /** Node to smallest id of its component, by union-find with the smaller root kept. */
  private static Map<Long, Long> unionFind(long[] ends, long[] nodes) {
    Map<Long, Long> parent = new HashMap<>();
    Set<Long> all = new LinkedHashSet<>();
    for (long id : nodes) {
      all.add(id);
    }
    for (long id : ends) {
      all.add(id);
    }
    all.forEach(id -> parent.put(id, id));
    for (int i = 0; i < ends.length; i += 2) {
      long a = find(parent, ends[i]);
      long b = find(parent, ends[i + 1]);
      if (a != b) {
        parent.put(Math.max(a, b), Math.min(a, b));
      }
    }
    Map<Long, Long> labels = new HashMap<>();
    all.forEach(id -> labels.put(id, find(parent, id)));
    return labels;
  }

  private static long find(Map<Long, Long> parent, long id) {
    long root = id;
    while (parent.get(root) != root) {
      root = parent.get(root);
    }
    long node = id;
    while (node != root) {
      long next = parent.get(node);
      parent.put(node, root);
      node = next;
    }
    return root;
  }
}
