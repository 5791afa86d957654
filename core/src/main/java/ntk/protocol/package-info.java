/**
 * What a layer implements: {@link ntk.protocol.Layer}, its declaration
 * {@link ntk.protocol.LayerKind} (name, parameters, defaults), the kernel map over a tile of entries and the finite
 * operation over parameters ({@link ntk.protocol.Params}) and a tape. Mostly of interest to those adding a layer.
 */
package ntk.protocol;
