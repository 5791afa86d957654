/**
 * The interface a cluster engine implements ({@link ntk.distributed.ClusterEngine}),
 * found at run time through {@link java.util.ServiceLoader}; the {@code ntk-spark} module provides the Apache Spark
 * implementation. Used by the command line only.
 */
package ntk.distributed;
