#!/usr/bin/env python3
"""Anchor for the exact-derivative benchmark: SymPy differentiates the sse loss of a
tanh network symbolically, substitutes the generic core point core:1,2 (free
parameters stay symbols) and simplifies every gradient and Hessian entry.

usage: sympy_exact_hessian.py SPEC.json   -> prints 'seconds=<t> hessian_nonzero=<k> b_last=<value>'
"""
import json, sys, time
from fractions import Fraction
import sympy as sp

def main(path):
    spec = json.load(open(path))
    widths = spec["widths"]
    depth = len(widths) - 1
    X = [[sp.Rational(str(Fraction(v))) for v in row] for row in spec["data"]["x"]]
    Y = [[sp.Rational(str(Fraction(v))) for v in row] for row in spec["data"]["y"]]
    W, B, params = {}, {}, []
    for k in range(1, depth + 1):
        W[k] = sp.Matrix(widths[k], widths[k - 1], lambda i, j: sp.Symbol(f"W{k}_{i}_{j}"))
        params += list(W[k])
        B[k] = sp.Matrix(widths[k], 1, lambda i, j: sp.Symbol(f"b{k}_{i}"))
        params += list(B[k])
    t0 = time.perf_counter()
    L = 0
    for x, y in zip(X, Y):
        a = sp.Matrix(x)
        for k in range(1, depth + 1):
            z = W[k] * a + B[k]
            a = z.applyfunc(sp.tanh) if k < depth else z
        L += sum((a[o] - y[o]) ** 2 for o in range(widths[-1]))
    # generic point of C_{1,2}: W_l = 0, b_l = ybar, W_1 = W_2 = 0, b_1..b_{l-1} = 0; the rest free
    ybar = [sum(Y[i][o] for i in range(len(Y))) / len(Y) for o in range(widths[-1])]
    at = {}
    for k in (1, 2, depth):
        at.update({s: 0 for s in W[k]})
    for k in range(1, depth):
        at.update({s: 0 for s in B[k]})
    at.update({B[depth][o]: ybar[o] for o in range(widths[-1])})
    grad = [sp.diff(L, p) for p in params]
    hess = [[sp.diff(g, q) for q in params] for g in grad]
    grad_at = [sp.simplify(g.subs(at)) for g in grad]
    hess_at = [[sp.simplify(h.subs(at)) for h in row] for row in hess]
    seconds = time.perf_counter() - t0
    nonzero = sum(1 for row in hess_at for h in row if h != 0)
    assert all(g == 0 for g in grad_at), "gradient not zero at the core point"
    print(f"seconds={seconds:.3f} hessian_nonzero={nonzero} b_last={hess_at[-1][-1]}")

if __name__ == "__main__":
    main(sys.argv[1])
