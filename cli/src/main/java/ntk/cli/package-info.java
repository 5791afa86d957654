/**
 * The {@code ntk} command line: one picocli command per verb, each a thin adapter over
 * the core library that reads NumPy arrays, writes results atomically, maps the core's parameter names to flags in
 * its one-line error messages and exits 0 (success), 2 (bad input) or 1 (internal error).
 */
package ntk.cli;
