/**
 * The base of ntk and the vocabulary every area shares: shaped arrays ({@link ntk.NdArray}, the inputs, targets,
 * kernels and outputs of the whole API), a finite network's parameters ({@link ntk.Params}), the shape of an example
 * ({@link ntk.Shape}), the two parameterisations
 * ({@link ntk.Parameterization}), the two kernels ({@link ntk.KernelKind}: NNGP and NTK), the one exception for bad
 * input ({@link ntk.BadInputException}, whose message is one line naming the offending parameter), the heap budget
 * used to refuse jobs that cannot fit, and the check that the Vector API module is present. Depends on nothing else.
 */
package ntk;
