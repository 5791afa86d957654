/**
 * The papers' experiments, one class each (registry
 * {@link ntk.experiments.Experiments}), each computing a {@code Result} from a {@code Config} and rendering one
 * self-contained HTML report with {@code summary.json} beside it: the paper's claim quoted, what this run shows, a
 * verdict and its reason. Also the shared pieces of those reports (estimates with standard errors, line fits, SVG
 * plots). Used by the command line ({@code ntk experiment NAME}).
 */
package ntk.experiments;
