/**
 * Networks as values: {@link ntk.arch.Network} (an ordered list of layers and a
 * parameterisation), the {@code --arch} grammar ({@code SpecParser}, after neural-tangents' {@code stax}) and
 * {@link ntk.arch.Stax}, typed builders that make the same networks without a string. Start here:
 * {@code Network.parse("Dense(512), Relu, Dense(1)", Parameterization.NTK)}.
 */
package ntk.arch;
