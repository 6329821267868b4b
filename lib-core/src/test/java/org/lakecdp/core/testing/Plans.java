package org.lakecdp.core.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.aggregate.BaseAggregateExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import org.apache.spark.sql.execution.exchange.ShuffleExchangeExec;
import scala.jdk.javaapi.CollectionConverters;

/** What a query's physical plan does, for tests of how the jobs shuffle. */
public final class Plans {
  private Plans() {}

  /**
   * How many shuffles of {@code query}'s physical plan move the rows of a cached (persisted)
   * dataset, as they are or partially aggregated; shuffles of results aggregated from them
   * (below the shuffle, an aggregation's final step) do not count. Planned as at scale:
   * without adaptive execution and without broadcasting joins unless hinted, so that the
   * plan's shuffles are the ones large data would get. Materialise the cache first (as the
   * jobs do): until then its partitioning is unknown to the planner.
   */
  public static int shufflesOfCachedData(SparkSession spark, Supplier<Dataset<Row>> query) {
    String[] keys = {"spark.sql.adaptive.enabled", "spark.sql.autoBroadcastJoinThreshold"};
    String[] before = {spark.conf().get(keys[0]), spark.conf().get(keys[1])};
    spark.conf().set(keys[0], "false");
    spark.conf().set(keys[1], "-1");
    try {
      SparkPlan plan = query.get().queryExecution().executedPlan();
      int count = 0;
      Deque<SparkPlan> todo = new ArrayDeque<>();
      todo.push(plan);
      while (!todo.isEmpty()) {
        SparkPlan node = todo.pop();
        if (node instanceof ShuffleExchangeExec && readsCache(node)) {
          count++;
        }
        CollectionConverters.asJava(node.children()).forEach(todo::push);
      }
      return count;
    } finally {
      spark.conf().set(keys[0], before[0]);
      spark.conf().set(keys[1], before[1]);
    }
  }

  private static boolean readsCache(SparkPlan plan) {
    if (plan instanceof InMemoryTableScanExec) {
      return true;
    }
    if (plan instanceof BaseAggregateExec agg
        && agg.requiredChildDistributionExpressions().isDefined()) {
      return false;
    }
    for (SparkPlan child : CollectionConverters.asJava(plan.children())) {
      if (readsCache(child)) {
        return true;
      }
    }
    return false;
  }
}
