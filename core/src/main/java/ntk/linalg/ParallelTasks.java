package ntk.linalg;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * Independent tasks 0..count−1 on a fixed pool of threads, their results handed over in task order as they become
 * available (so sums over them do not depend on the thread count, and a consumed result can be let go). A task's
 * failure is rethrown as it was (a {@link RuntimeException} such as bad input stays what it is). Used by the Monte
 * Carlo kernel estimate (seeds) and by experiments that train many networks side by side (with
 * {@link BlasThreads#singleThreaded}).
 */
public final class ParallelTasks {
    private ParallelTasks() {
    }

    /** What receives the results, in task order. */
    @FunctionalInterface
    public interface InOrder<T> {
        /**
         * Receives task {@code task}'s result, in task order.
         * @param task the task index
         * @param result its result
         */
        void accept(int task, T result);
    }

    /**
     * Runs {@code count} tasks on {@code threads} threads and hands their results over in task order.
     * @param <T> the result type
     * @param threads worker threads
     * @param count tasks
     * @param task task i's work
     * @param inOrder receives (i, result) for i = 0, 1, …
     */
    public static <T> void run(int threads, int count, IntFunction<T> task, InOrder<T> inOrder) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, Math.max(1, count))));
        try {
            @SuppressWarnings("unchecked")
            Future<T>[] futures = new Future[count];
            for (int i = 0; i < count; i++) {
                final int k = i;
                futures[i] = pool.submit(() -> task.apply(k));
            }
            for (int i = 0; i < count; i++) {
                T r = futures[i].get();
                futures[i] = null;
                inOrder.accept(i, r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
