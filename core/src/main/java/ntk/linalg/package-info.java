/**
 * The one façade over BLAS and LAPACK ({@link ntk.linalg.Linalg}: row-major GEMM,
 * symmetric eigendecomposition, Cholesky), through dev.ludovic.netlib: the system OpenBLAS when installed, pure Java
 * otherwise. Also the thread count of OpenBLAS at run time and a small runner of independent tasks in task order.
 */
package ntk.linalg;
