#!/usr/bin/env python3
"""The anchor of `vl experiment du-lambda0`: the same λ0 = λ_min(H∞) with mpmath at 50 digits.

Reads du-lambda0.json (written by `vl experiment du-lambda0 --out DIR`: the exact unit inputs), builds
H∞_ij = c (π − acos c)/(2π), c = x_iᵀx_j, in 50-digit arithmetic, and prints λ_min (mpmath.eigsy) with its time.
Needs python3-mpmath (Debian); benchmarks/du-lambda0.sh installs it.
"""
import json, sys, time
from fractions import Fraction
import mpmath

mpmath.mp.dps = 50
data = json.load(open(sys.argv[1]))
x = [[Fraction(v) for v in row] for row in data["x"]]
n = len(x)
start = time.perf_counter()
h = mpmath.matrix(n, n)
for i in range(n):
    for j in range(i + 1):
        c = sum(a * b for a, b in zip(x[i], x[j]))
        c = mpmath.mpf(c.numerator) / c.denominator
        h[i, j] = h[j, i] = c * (mpmath.pi - mpmath.acos(c)) / (2 * mpmath.pi)
eigenvalues = mpmath.eigsy(h, eigvals_only=True)
seconds = time.perf_counter() - start
print(json.dumps({"anchor": "mpmath", "digits": 50, "samples": n, "lambda0": mpmath.nstr(min(eigenvalues), 20), "seconds": round(seconds, 3)}))
