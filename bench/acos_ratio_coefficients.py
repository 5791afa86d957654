"""The coefficients G0..G12 of ntk.activations.InverseTrig's division-free arccos (the convolutional planes' Relu).

G(z) = (asin(sqrt z)/sqrt z - 1)/z on [0, 1/4] (so asin(t) = t + t*z*G(z), z = t^2, the reduction of fdlibm's e_asin.c),
interpolated at the 13 Chebyshev nodes of [0, 1/4] at 60 digits (mpmath), the monomial coefficients rounded to doubles.
Prints them and the largest |z*(G_double - G)| on a 2,001-point grid of [0, 1/4], the polynomial evaluated exactly
(the error it adds to asin(t)/t; an ulp of the result is 1.1e-16). Run: python3 bench/acos_ratio_coefficients.py
"""
import mpmath as mp

mp.mp.dps = 60
DEGREE = 12


def g(z):
    z = mp.mpf(z)
    if z == 0:
        return mp.mpf(1) / 6
    s = mp.sqrt(z)
    return (mp.asin(s) / s - 1) / z


a, b = mp.mpf(0), mp.mpf(1) / 4
n = DEGREE + 1
nodes = [(a + b) / 2 + (b - a) / 2 * mp.cos(mp.pi * (k + mp.mpf(1) / 2) / n) for k in range(n)]
coef = mp.lu_solve(mp.matrix([[x ** j for j in range(n)] for x in nodes]), mp.matrix([g(x) for x in nodes]))
cs = [float(coef[j]) for j in range(n)]
err = mp.mpf(0)
for i in range(2001):
    z = b * i / 2000
    p = mp.mpf(0)
    for c in reversed(cs):
        p = p * z + mp.mpf(c)
    err = max(err, abs(z * (p - g(z))))
for j, c in enumerate(cs):
    print("G%d = %r" % (j, c))
print("max |z (G_double - G)| on [0, 1/4]: %s" % mp.nstr(err, 3))
