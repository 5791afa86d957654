#!/usr/bin/env python3
"""An independent computation of the edge of chaos for Sigmoid and Silu, to check `ntk eoc`.

EOC (Schoenholz et al. 2017 §3; Hayou et al. 2019 Def. 2): a variance fixed point
    q* = sigma_w^2 E[phi(sqrt(q*) Z)^2] + sigma_b^2   that attracts (V'(q*) < 1)
with chi1 = sigma_w^2 E[phi'(sqrt(q*) Z)^2] = 1. Written with SciPy's adaptive quadrature (not ntk's
Gauss-Legendre rules) and brentq; the slope V'(q) by a central difference; and, as a third check,
2000 layers of the variance map iterated from q0 = 1.

Output used by EocCommandTest (run 2026-11-29):
  Sigmoid sigma_b=0: q*=45.6242777974 sigma_w=10.14926371,    V'=0.0603 (attracts)
  Sigmoid sigma_b=0.2: q*=45.7124527717 sigma_w=10.1540302742, V'=0.0601
  Silu sigma_b=0.2: the only chi1 = 1 fixed point, q=0.689452502914 sigma_w=1.67953160069, repels (V'=1.0987)
  Silu: the EOC attracts from V'(q*) = 1 at q=14.320174, sigma_b=0.7450793 (sigma_w=1.4099662) upwards

usage: python3 bench/eoc_check.py
"""
import numpy as np
from scipy import integrate, optimize, special


def expect(f, q):
    g = lambda z: f(np.sqrt(q) * z) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi)
    return integrate.quad(g, -40, 40, limit=400, epsabs=1e-14, epsrel=1e-12)[0]


ACTS = {
    'Sigmoid': (special.expit, lambda x: special.expit(x) * (1 - special.expit(x))),
    'Silu': (lambda x: x * special.expit(x), lambda x: special.expit(x) * (1 + x * (1 - special.expit(x)))),
}


def main():
    qs = np.logspace(-6, 4, 121)
    for name, (phi, dphi) in ACTS.items():
        e2 = lambda q: expect(lambda x: phi(x) ** 2, q)
        d2 = lambda q: expect(lambda x: dphi(x) ** 2, q)
        sb2 = lambda q: q - e2(q) / d2(q)            # sigma_b^2 on the EOC, as a function of q*

        def slope(q):                                # V'(q) at the EOC point of q
            eps = 1e-6 * q
            return (e2(q + eps) - e2(q - eps)) / (2 * eps) / d2(q)

        h = np.array([sb2(q) for q in qs])
        for sb in [0.0, 0.2, 0.5, 1.0]:
            found = []
            for k in range(len(qs) - 1):
                a, b = h[k] - sb * sb, h[k + 1] - sb * sb
                if a == 0 or (a < 0) != (b < 0):
                    q = optimize.brentq(lambda t: sb2(t) - sb * sb, qs[k], qs[k + 1], xtol=1e-14, rtol=1e-14)
                    sw2 = 1 / d2(q)
                    it = 1.0
                    for _ in range(2000):
                        it = min(sw2 * e2(it) + sb * sb, 1e300)
                    found.append("q*=%.12g sigma_w=%.12g V'=%.8f %s; iterated from q0=1: %.6g"
                                 % (q, np.sqrt(sw2), slope(q), 'attracts' if slope(q) < 1 else 'repels', it))
            print('%s sigma_b=%.1f: %s' % (name, sb, '; '.join(found) or 'no q* with chi1 = 1'))
        # where the EOC starts to attract (the grid ends of q < 1e-5 are left out: there V' = 1 to rounding)
        st = [h[k] >= 0 and slope(q) < 1 for k, q in enumerate(qs)]
        for k in range(len(qs) - 1):
            if st[k] != st[k + 1] and qs[k] > 1e-5 and h[k] >= 0 and h[k + 1] >= 0:
                qc = optimize.brentq(lambda q: slope(q) - 1, qs[k], qs[k + 1], xtol=1e-12, rtol=1e-12)
                print("%s: V'(q*) = 1 at q=%.8g, sigma_b=%.8g, sigma_w=%.8g"
                      % (name, qc, np.sqrt(max(sb2(qc), 0)), np.sqrt(1 / d2(qc))))


if __name__ == '__main__':
    main()
