package org.lakecdp.core.identity;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import org.lakecdp.core.CdpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connected components of a large undirected graph on Spark, without collecting the graph to
 * the driver: the alternating Large-Star / Small-Star algorithm of Kiveris et al.,
 * "Connected Components in MapReduce and Beyond" (SoCC 2014), run on the edge list with the
 * Column API. It needs O(log² n) rounds, typically a dozen or two even for long chains, where
 * label propagation needs as many rounds as the longest shortest path.
 *
 * <p>Each round keeps every edge oriented from its smaller to its larger id and partitioned by
 * the smaller id. Large-Star links every neighbour {@code v > u} of a node {@code u} to the
 * smallest id of {@code u}'s neighbourhood; Small-Star links {@code u} and every smaller
 * neighbour of {@code u} to the smallest of them. Both emit exactly one edge per input edge, so
 * a high-degree node never causes a quadratic blow-up. A round costs three shuffles (one of
 * them pre-aggregated, one row per node) and one small aggregate job that counts the edges the
 * round changed; the graph has converged, to one star per component centred on its smallest
 * id, when a round changes no edge.
 *
 * <p>Unlike most library steps this one runs Spark jobs itself, because it iterates: every
 * round is materialised (persisted, and every {@value #CHECKPOINT_INTERVAL} rounds
 * checkpointed to cut the lineage), and so is the result.
 */
public final class ConnectedComponents {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectedComponents.class);

  /** Column names. */
  public static final String SRC = "src", DST = "dst", NODE = "node", COMPONENT = "component";

  /** Rounds between two checkpoints; the rounds between are persisted. */
  static final int CHECKPOINT_INTERVAL = 4;

  /** Prefix of the folder one {@link #run} call writes under its checkpoint directory. */
  static final String RUN_FOLDER_PREFIX = "connected-components-";

  /** The folder, under a run's folder, holding the labels. */
  static final String LABELS_FOLDER = "labels";

  /** Whether a round changed the edge. */
  static final String CHANGED = "changed";

  private static final String MIN = "min_id";
  private static final String ANY_CHANGED = "any_changed";

  private ConnectedComponents() {}

  /**
   * The labels of one {@link #run}, with how it went.
   *
   * @param labels columns {@code node} and {@code component} (both long), one row per node;
   *     materialised, see {@link #label}
   * @param iterations the Large-Star / Small-Star rounds run, the last one being the round that
   *     changed nothing
   * @param elapsed wall-clock time of the call
   * @param location the folder the labels are stored in (under the checkpoint directory), or
   *     null when they are a local checkpoint
   */
  public record Result(Dataset<Row> labels, int iterations, Duration elapsed, String location) {}

  /**
   * Labels every node of an undirected graph with the smallest node id of its connected
   * component.
   *
   * <p>The result is materialised: with a {@code checkpointDir} it is stored as Parquet in a
   * folder {@code connected-components-<uuid>/labels} under it, and the intermediate rounds
   * written there are deleted before this returns (all of the call's folder is, when it
   * fails); keep the folder while the result is in use and delete it after. Without one it is
   * a local checkpoint kept by the executors, gone when an executor is lost. Either way
   * callers can count, join and write it repeatedly without recomputing the graph.
   *
   * <p>{@code edges} and {@code nodes} are read twice (for the graph and for the node set);
   * persist them first when they are expensive to compute. Node ids must not be null.
   *
   * @param edges columns {@code src} and {@code dst} (long, or a narrower integer type); the
   *     edge direction does not matter, self-loops and duplicates are allowed
   * @param nodes column {@code node} (long, or a narrower integer type): every node, including
   *     isolated ones, which label themselves; nodes that only appear in {@code edges} are
   *     labelled too, and duplicates are allowed
   * @param checkpointDir a folder (local path or URI such as {@code s3a://bucket/tmp}) for
   *     reliable checkpoints, or null to use {@link Dataset#localCheckpoint()} instead
   * @param maxIterations the most rounds to run, at least 1
   * @return columns {@code node} and {@code component} (long), exactly one row per node
   * @throws CdpException when a required column is missing or not an integer, when a node id
   *     is null, or when the graph has not converged after {@code maxIterations} rounds; the
   *     message names the rounds and the number of edges still changing
   */
  public static Dataset<Row> label(Dataset<Row> edges, Dataset<Row> nodes, String checkpointDir,
      int maxIterations) {
    return run(edges, nodes, checkpointDir, maxIterations).labels();
  }

  /** {@link #label}, also telling how many rounds it took and how long. */
  public static Result run(Dataset<Row> edges, Dataset<Row> nodes, String checkpointDir,
      int maxIterations) {
    Objects.requireNonNull(edges, "edges");
    Objects.requireNonNull(nodes, "nodes");
    if (maxIterations < 1) {
      throw new CdpException("connected components: maxIterations must be at least 1: "
          + maxIterations);
    }
    requireIdColumn(edges, "edges", SRC);
    requireIdColumn(edges, "edges", DST);
    requireIdColumn(nodes, "nodes", NODE);
    long start = System.nanoTime();
    Checkpoints checkpoints = new Checkpoints(edges.sparkSession(), checkpointDir);
    Dataset<Row> persisted = null;
    boolean succeeded = false;
    try {
      Dataset<Row> graph = orientEdges(edges);
      int iteration = 0;
      long changing;
      do {
        iteration++;
        Dataset<Row> next = dedupeEdges(smallStar(largeStar(graph)));
        boolean checkpoint = iteration % CHECKPOINT_INTERVAL == 0;
        next = checkpoint ? checkpoints.write(next, "iteration-" + iteration)
            : next.persist(StorageLevel.MEMORY_AND_DISK());
        Row stats = next.agg(count(lit(1)), count_if(col(CHANGED))).first();
        changing = stats.getLong(1);
        LOG.debug("connected components: iteration {}: {} edges, {} changed", iteration,
            stats.getLong(0), changing);
        if (persisted != null) {
          persisted.unpersist(false);
        }
        persisted = checkpoint ? null : next;
        graph = next;
      } while (changing > 0 && iteration < maxIterations);
      if (changing > 0) {
        throw new CdpException("connected components did not converge in " + iteration
            + plural(iteration, " iteration") + ": " + changing + plural(changing, " edge")
            + " still changing; raise maxIterations");
      }
      Dataset<Row> labels = checkpoints.write(labelNodes(graph, allNodes(edges, nodes)),
          LABELS_FOLDER);
      Row stats = labels.agg(count(lit(1)), count_if(col(NODE).isNull()),
          count_if(col(NODE).equalTo(col(COMPONENT)))).first();
      if (stats.getLong(1) > 0) {
        throw new CdpException("connected components: a node id is null in nodes." + NODE
            + ", edges." + SRC + " or edges." + DST + "; every id must be set");
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      LOG.info("connected components: {} nodes, {} components, {} iterations, {} ms",
          stats.getLong(0), stats.getLong(2), iteration, elapsed.toMillis());
      succeeded = true;
      return new Result(labels, iteration, elapsed, checkpoints.location(LABELS_FOLDER));
    } finally {
      if (persisted != null) {
        persisted.unpersist(false);
      }
      checkpoints.cleanUp(succeeded ? LABELS_FOLDER : null);
    }
  }

  /**
   * Every edge once, from its smaller to its larger end, partitioned by the smaller; self-loops
   * and edges with a null end dropped. Columns {@code src}, {@code dst}, {@code changed}.
   */
  static Dataset<Row> orientEdges(Dataset<Row> edges) {
    Dataset<Row> oriented = edges.select(
        least(col(SRC), col(DST)).cast(DataTypes.LongType).as(SRC),
        greatest(col(SRC), col(DST)).cast(DataTypes.LongType).as(DST))
        .filter(col(SRC).notEqual(col(DST)))
        .withColumn(CHANGED, lit(false));
    return dedupeEdges(oriented);
  }

  /**
   * Large-Star: for every edge {@code (u, v)} with {@code u < v}, the edge {@code (v, m)} where
   * {@code m} is the smallest id of {@code u} and its neighbours, changed when {@code m != u}.
   * Input oriented small to large (as {@link #orientEdges} leaves it); output oriented large to
   * small, one row per input row.
   */
  static Dataset<Row> largeStar(Dataset<Row> graph) {
    // A node's neighbours above it cannot lower its minimum, so the edges into it suffice.
    Dataset<Row> smallest = graph.groupBy(col(DST).as(NODE)).agg(min(col(SRC)).as(MIN));
    return graph.join(smallest, col(SRC).equalTo(col(NODE)), "left_outer")
        .select(col(DST).as(SRC), coalesce(col(MIN), col(SRC)).as(DST),
            col(MIN).isNotNull().as(CHANGED));
  }

  /**
   * Small-Star: for every node {@code u} with smaller neighbours, whose smallest is {@code m},
   * the edge {@code (m, w)} for each other smaller neighbour {@code w} (changed) and the edge
   * {@code (m, u)} (changed when any edge of {@code u} was). Input oriented large to small (as
   * {@link #largeStar} leaves it); output oriented small to large, one row per distinct input
   * edge.
   */
  static Dataset<Row> smallStar(Dataset<Row> graph) {
    WindowSpec byNode = Window.partitionBy(col(SRC));
    Dataset<Row> edges = graph.repartition(col(SRC))
        .groupBy(col(SRC), col(DST)).agg(max(col(CHANGED)).as(CHANGED))
        .withColumn(MIN, min(col(DST)).over(byNode))
        .withColumn(ANY_CHANGED, max(col(CHANGED)).over(byNode));
    Column isMin = col(DST).equalTo(col(MIN));
    return edges.select(col(MIN).as(SRC),
        when(isMin, col(SRC)).otherwise(col(DST)).as(DST),
        when(isMin, col(ANY_CHANGED)).otherwise(lit(true)).as(CHANGED));
  }

  /** Each edge once, partitioned by {@code src}; changed when any of its copies is. */
  static Dataset<Row> dedupeEdges(Dataset<Row> graph) {
    return graph.repartition(col(SRC))
        .groupBy(col(SRC), col(DST)).agg(max(col(CHANGED)).as(CHANGED));
  }

  /** The distinct ids of {@code nodes} and of both ends of {@code edges}, as {@code node}. */
  static Dataset<Row> allNodes(Dataset<Row> edges, Dataset<Row> nodes) {
    return nodes.select(col(NODE).cast(DataTypes.LongType).as(NODE))
        .union(edges.select(col(SRC).cast(DataTypes.LongType).as(NODE)))
        .union(edges.select(col(DST).cast(DataTypes.LongType).as(NODE)))
        .distinct();
  }

  /**
   * Labels {@code nodes} from a converged graph, a star {@code (component, node)} per
   * component: a node that is no star's leaf is its component's smallest id, or isolated.
   */
  static Dataset<Row> labelNodes(Dataset<Row> converged, Dataset<Row> nodes) {
    return nodes.join(converged, nodes.col(NODE).equalTo(converged.col(DST)), "left_outer")
        .select(nodes.col(NODE), coalesce(converged.col(SRC), nodes.col(NODE)).as(COMPONENT));
  }

  private static void requireIdColumn(Dataset<Row> data, String name, String column) {
    StructField field = Arrays.stream(data.schema().fields())
        .filter(f -> f.name().equals(column)).findFirst()
        .orElseThrow(() -> new CdpException("connected components: " + name + " has no column '"
            + column + "'; columns are " + Arrays.toString(data.columns())));
    DataType type = field.dataType();
    if (!type.equals(DataTypes.LongType) && !type.equals(DataTypes.IntegerType)
        && !type.equals(DataTypes.ShortType) && !type.equals(DataTypes.ByteType)) {
      throw new CdpException("connected components: " + name + "." + column
          + " must be a long id: " + type.simpleString());
    }
  }

  private static String plural(long n, String word) {
    return n == 1 ? word : word + "s";
  }

  /**
   * Where materialised rounds go: Parquet folders under one run folder of the checkpoint
   * directory, or local checkpoints when there is none.
   */
  private static final class Checkpoints {
    private final SparkSession spark;
    private final Path root;
    private final List<String> written = new ArrayList<>();

    Checkpoints(SparkSession spark, String checkpointDir) {
      this.spark = spark;
      if (checkpointDir == null) {
        this.root = null;
      } else {
        Path run = new Path(new Path(checkpointDir), RUN_FOLDER_PREFIX + UUID.randomUUID());
        try {
          this.root = run.getFileSystem(spark.sparkContext().hadoopConfiguration())
              .makeQualified(run);
        } catch (IOException e) {
          throw new CdpException("connected components: cannot use checkpoint directory "
              + checkpointDir + ": " + e.getMessage(), e);
        }
      }
    }

    /**
     * Materialises {@code data} under {@code name} and deletes the folder written before it,
     * which nothing reads any longer.
     */
    Dataset<Row> write(Dataset<Row> data, String name) {
      if (root == null) {
        return data.localCheckpoint(true);
      }
      String path = location(name);
      data.write().parquet(path);
      Dataset<Row> stored = spark.read().parquet(path);
      if (!written.isEmpty()) {
        delete(new Path(location(written.remove(written.size() - 1))));
      }
      written.add(name);
      return stored;
    }

    String location(String name) {
      return root == null ? null : new Path(root, name).toString();
    }

    /** Deletes what this run wrote, except the folder {@code keep} (when not null). */
    void cleanUp(String keep) {
      if (root == null) {
        return;
      }
      if (keep == null) {
        delete(root);
      } else {
        written.stream().filter(name -> !name.equals(keep))
            .forEach(name -> delete(new Path(location(name))));
      }
    }

    /** Deletes a folder; a failure only leaves files behind, so it is logged, not thrown. */
    private void delete(Path path) {
      try {
        FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
        fs.delete(path, true);
      } catch (IOException e) {
        LOG.warn("connected components: cannot delete checkpoint {}: {}", path, e.toString());
      }
    }
  }
}
