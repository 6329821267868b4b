package org.lakecdp.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Work the driver does for several items at once (reads that mostly wait, small commits). */
public final class Parallel {
  private Parallel() {}

  /**
   * Applies {@code fn} to every item with at most {@code threads} threads; results in item
   * order. When any fails, the first failure in item order is thrown once every item has
   * ended, so nothing is still running when the caller reacts (e.g. undoes writes): as is when
   * it is a RuntimeException, else in a {@link CdpException}.
   *
   * @param what what the work is, for the message when the waiting thread is interrupted
   */
  public static <T, R> List<R> map(List<T> items, int threads, Function<T, R> fn,
      String what) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1,
        Math.min(threads, items.size())));
    try {
      List<Future<R>> futures = new ArrayList<>();
      for (T item : items) {
        futures.add(pool.submit(() -> fn.apply(item)));
      }
      List<R> results = new ArrayList<>();
      RuntimeException failure = null;
      for (Future<R> f : futures) {
        try {
          results.add(f.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause() instanceof RuntimeException r ? r
                : new CdpException(e.getCause().getMessage(), e.getCause());
          }
        }
      }
      if (failure != null) {
        throw failure;
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CdpException("interrupted while " + what, e);
    } finally {
      pool.shutdownNow();
    }
  }
}
