package org.lakecdp.core.lake;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.lakecdp.core.CdpException;
import scala.Option;

/**
 * Aggregates a query computes on the side ({@code Dataset.observe(name, ...)}), read back once
 * the action that ran the query has finished: one name, one action.
 *
 * <p>It stands in for Spark's {@code Observation}, which in Spark 4.1 gives the session an
 * {@code ObservationManager} that cannot be serialized. From then on every task that carries
 * the session fails with "Task not serializable", and MLlib's logistic regression carries it
 * (its training summary holds the session, and its transform closes over the model): a nightly
 * run that ingests and then trains in one JVM would fail in training. This listener leaves the
 * session as it was; it is registered by {@link #listen} and removed by {@link #close}.
 */
public final class ObservedMetrics implements QueryExecutionListener, AutoCloseable {

  /** How long {@link #await} waits for Spark's listener bus to deliver the metrics. */
  private static final long WAIT_SECONDS = 300;

  private final SparkSession spark;
  private final String name;
  private final CompletableFuture<Row> metrics = new CompletableFuture<>();

  private ObservedMetrics(SparkSession spark, String name) {
    this.spark = spark;
    this.name = name;
  }

  /**
   * A listener for the metrics observed under {@code name}, which must be unique within the
   * session while it is open (e.g. with the run id in it). Close it when done.
   */
  public static ObservedMetrics listen(SparkSession spark, String name) {
    ObservedMetrics listener = new ObservedMetrics(spark, name);
    spark.listenerManager().register(listener);
    return listener;
  }

  /** {@code rows}, computing {@code metric} and {@code more} on the side under this name. */
  public Dataset<Row> observe(Dataset<Row> rows, Column metric, Column... more) {
    return rows.observe(name, metric, more);
  }

  /** The metrics by column name, once an action on the observed frame has succeeded. */
  public Map<String, Object> await() {
    try {
      Row row = metrics.get(WAIT_SECONDS, TimeUnit.SECONDS);
      Map<String, Object> out = new LinkedHashMap<>();
      for (String field : row.schema().fieldNames()) {
        out.put(field, row.getAs(field));
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CdpException("interrupted while waiting for the metrics of '" + name + "'", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new CdpException("the metrics of '" + name + "' did not arrive within "
          + WAIT_SECONDS + " s of its query finishing", e);
    }
  }

  /** Removes the listener from the session. */
  @Override
  public void close() {
    spark.listenerManager().unregister(this);
  }

  @Override
  public void onSuccess(String funcName, QueryExecution qe, long durationNs) {
    Option<Row> row = qe.observedMetrics().get(name);
    if (row.isDefined()) {
      metrics.complete(row.get());
    }
  }

  @Override
  public void onFailure(String funcName, QueryExecution qe, Exception exception) {
    // the failed action throws to its caller, who does not wait for metrics
  }
}
