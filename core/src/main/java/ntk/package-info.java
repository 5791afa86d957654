/**
 * The base of ntk: the shape of an example ({@link ntk.Shape}), the two parameterisations
 * ({@link ntk.Parameterization}), the two kernels ({@link ntk.KernelKind}: NNGP and NTK), the one exception for bad
 * input ({@link ntk.BadInputException}, whose message is one line naming the offending parameter), the heap budget
 * used to refuse jobs that cannot fit, and the check that the Vector API module is present. Depends on nothing else.
 */
package ntk;
