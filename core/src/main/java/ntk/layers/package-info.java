/**
 * The concrete layers, each holding both of its lives as in neural-tangents'
 * {@code stax}: its kernel map (infinite width) and its finite operation (forward, backward, JVP): {@code Dense},
 * {@code Conv1D}, {@code ActivationLayer}, {@code Residual}, {@code GlobalAvgPool}, {@code Flatten}.
 * {@code AffineRule} holds the W_std/b_std rule of both parameterisations; {@code LayerKinds} is the registry.
 * A new layer kind is one class implementing {@link ntk.protocol.Layer} plus one line in {@code LayerKinds}.
 *
 * <p><b>Internal</b>: programs build layers with {@code ntk.arch.Stax} or a spec string ({@code Network.parse}) and
 * never call a layer's kernel map or finite operation themselves; these classes may change without deprecation.
 */
package ntk.layers;
