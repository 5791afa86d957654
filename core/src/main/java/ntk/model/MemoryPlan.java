package ntk.model;

/**
 * The heap a fit and prediction will need at their peak, estimated before any kernel is computed.
 *
 * @param bytes     the estimate
 * @param what      what needs it, for a message ("the 40000 x 40000 training kernels and ...")
 * @param blockable whether the job could run in blocks on a cluster engine instead (t = ∞ alone, no covariance)
 */
public record MemoryPlan(long bytes, String what, boolean blockable) {
}
