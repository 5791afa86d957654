/**
 * The concrete layers, each holding both of its lives as in neural-tangents'
 * {@code stax}: its kernel map (infinite width) and its finite operation (forward, backward, JVP): {@code Dense},
 * {@code Conv1D}, {@code ActivationLayer}, {@code Residual}, {@code GlobalAvgPool}, {@code Flatten}.
 * {@code AffineRule} holds the W_std/b_std rule of both parameterisations; {@code LayerKinds} is the registry.
 * A new layer kind is one class implementing {@link ntk.protocol.Layer} plus one line in {@code LayerKinds}.
 */
package ntk.layers;
