/**
 * What a layer implements: {@link ntk.protocol.Layer}, its declaration
 * {@link ntk.protocol.LayerKind} (name, parameters, defaults), the kernel map over a tile of entries and the finite
 * operation over parameters ({@link ntk.Params}) and a tape. Of interest to those adding a layer.
 *
 * <p><b>Internal</b>: {@code Layer}, {@code LayerKind}, {@code Binding}, {@code KernelMap}, {@code Tile}, {@code FiniteOp},
 * {@code Tape}, {@code LayerGradient} and {@code GradientSink} are the contract between the engines and the layers,
 * public only because the layers live in another package. They may change between versions without deprecation;
 * programs use {@code ntk.arch}, {@code ntk.kernels}, {@code ntk.finite}, {@code ntk.model} and {@code ntk.dynamics}.
 */
package ntk.protocol;

import ntk.Params;
