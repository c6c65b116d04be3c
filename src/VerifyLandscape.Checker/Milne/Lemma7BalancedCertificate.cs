using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using System.Text.Json.Nodes;

namespace VerifyLandscape.Checker.Milne;

/// <summary>milne.lemma7 by the balanced rank-one reduction: intervals of t = σ².</summary>
public static class Lemma7BalancedCertificate
{
    /// <summary>
    /// milne.lemma7, balanced reduction (any linear network without biases, scalar output; the mathematics is in
    /// BalancedLemma7's summary): every non-zero critical point has t = σ² ∈ (0, T] with P(t) = 0, and lies in U(λ) only
    /// if Q(t) &lt; 0. Checked here from the data: K(t) a(t) = d(t) b as a polynomial identity (so a/d = K⁻¹b wherever
    /// d ≠ 0), T ≥ Σf²/(4Nλ), and on every leaf d &gt; 0 and its reason: P ≠ 0 ("not critical") or Q ≥ 0 ("outside U");
    /// the leaves must tile [0, T].
    /// </summary>
    public static string Check(Certificate c)
    {
        var (spec, facts) = (Lemma7Setting.Require(c), c.Facts);
        if (spec.Depth < 2) throw new Reject("the balanced reduction needs a hidden layer (H ≥ 1)");
        int h = spec.Depth - 1, n = spec.InputWidth, count = spec.SampleCount;
        var lambda = spec.WeightDecay;
        var sigma = new Rational[n, n];
        var b = new Rational[n];
        Rational ff = 0, r2 = 0;
        foreach (var (x, y) in spec.X.Zip(spec.Y))
        {
            ff += y[0] * y[0];
            Rational xx = 0;
            for (int i = 0; i < n; i++)
            {
                xx += x[i] * x[i];
                b[i] += y[0] * x[i] / count;
                for (int j = 0; j < n; j++) sigma[i, j] += x[i] * x[j] / count;
            }
            if (xx > r2) r2 = xx;
        }
        var t = Rational.Parse((string)facts["T"]!);
        if (t < ff / (4 * count * lambda)) throw new Reject($"T = {t} is below the a-priori bound Σf²/(4Nλ) = {ff / (4 * count * lambda)} on σ²");
        var d = Polynomial.Parse(facts["determinant"]!.AsArray().Select(c => (string)c!));
        var a = facts["adjugateTimesB"]!.AsArray().Select(p => Polynomial.Parse(p!.AsArray().Select(c => (string)c!))).ToArray();
        if (a.Length != n) throw new Reject($"adj(K)b has {a.Length} entries, the input width is {n}");
        var tH = Polynomial.Monomial(1, h);
        for (int i = 0; i < n; i++)
        {
            var row = Polynomial.Zero; // (K a)_i with K = t^H Σ + λI
            for (int j = 0; j < n; j++) row += (sigma[i, j] * tH + Polynomial.Constant(i == j ? lambda : 0)) * a[j];
            var diff = row - b[i] * d;
            if (!diff.IsZero) throw new Reject($"K(t)·a(t) ≠ d(t)·b in row {i}: the stated adj(K)b and det K are wrong");
        }
        var tH1 = Polynomial.Monomial(1, h - 1);
        Polynomial aa = Polynomial.Zero, aSa = Polynomial.Zero, ba = Polynomial.Zero;
        for (int i = 0; i < n; i++)
        {
            aa += a[i] * a[i];
            ba += b[i] * a[i];
            for (int j = 0; j < n; j++) aSa += sigma[i, j] * (a[i] * a[j]);
        }
        var pCritical = tH1 * aa - d * d;                                                           // ‖β‖² = t^{H+1}, times d²/t^{H+1}
        var lossTimesD2 = Polynomial.Monomial(Rational.Half, 2 * h) * aSa - tH * d * ba + (ff / (2 * count)) * (d * d); // d²·ℓ(β)
        var qOutside = (4 * h * h * (h + 1) * (h + 1) * r2) * (tH1 * lossTimesD2) - (lambda * lambda) * (d * d); // ≥ 0: not in U(λ)
        var paths = new HashSet<string>();
        foreach (var leaf in facts["leaves"]!.AsArray())
        {
            string path = (string)leaf![0]!, reason = (string)leaf[1]!;
            if (path.Any(ch => ch is not ('L' or 'R')) || !paths.Add(path)) throw new Reject($"bad or repeated interval path '{path}'");
            Rational lo = 0, hi = t;
            foreach (var ch in path) { var mid = (lo + hi) / 2; if (ch == 'L') hi = mid; else lo = mid; }
            if (d.Enclose(lo, hi).Lo.Sign <= 0) throw new Reject($"det K(t) is not shown positive on [{lo}, {hi}]");
            bool ok = reason switch
            {
                "not critical" => pCritical.Enclose(lo, hi) is var e && (e.Lo.Sign > 0 || e.Hi.Sign < 0),
                "outside U" => qOutside.Enclose(lo, hi).Lo.Sign >= 0,
                _ => false,
            };
            if (!ok) throw new Reject($"interval '{path}' (t ∈ [{lo}, {hi}]) does not satisfy its reason '{reason}'");
        }
        if (Tiling.TilingProblem(paths) is { } gap) throw new Reject(gap);
        return ($"{paths.Count} intervals tile [0, T] in t = σ² and each satisfies its reason (exact rational polynomial enclosures; K·adj(K)b = det(K)·b verified): no non-zero critical point in U(λ)");
    }

}
