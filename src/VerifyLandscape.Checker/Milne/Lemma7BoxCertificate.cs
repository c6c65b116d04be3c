using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using System.Text.Json.Nodes;

namespace VerifyLandscape.Checker.Milne;

/// <summary>milne.lemma7 on 1-n-1 linear networks: boxes in the invariants (p, s) of the hidden layer's rotation symmetry.</summary>
public static class Lemma7BoxCertificate
{
    /// <summary>
    /// milne.lemma7 (1-n-1 linear): the leaves must tile [−R²/2, R²/2] × [0, R²] in (p, s) = (vᵀw, ‖w‖² + ‖v‖²), and each
    /// must satisfy its reason, recomputed here in exact rational interval arithmetic from the data:
    /// ‖∇ℓ_λ‖² = (ℓ'(p)² + λ²)s + 4λℓ'(p)p with ℓ = A p² − 2B p + C; U(λ): 16 r² ℓ &lt; λ²; origin: s ≤ ε with A ε + 2|B| &lt; λ.
    /// </summary>
    public static string Check(Certificate cert)
    {
        var (spec, facts) = (Lemma7Setting.Require(cert), cert.Facts);
        if (spec.Depth != 2 || spec.InputWidth != 1) throw new Reject("the (p, s) reduction is for 1-n-1 networks");
        Rational xx = 0, xy = 0, yy = 0, r2 = 0;
        foreach (var (x, y) in spec.X.Zip(spec.Y))
        {
            xx += x[0] * x[0]; xy += x[0] * y[0]; yy += y[0] * y[0];
            if (x[0] * x[0] > r2) r2 = x[0] * x[0];
        }
        int count = spec.SampleCount;
        Rational a = xx / (2 * count), b = xy / (2 * count), c = yy / (2 * count), lambda = spec.WeightDecay;
        Rational ball = 2 * yy / (4 * count * lambda); // ‖W‖² ≤ (H+1) Σ y² / (4Nλ), H = 1
        var stated = facts["constants"]!.AsObject();
        foreach (var (name, value) in new[] { ("A", a), ("B", b), ("C", c), ("radiusSquared", r2), ("ballSquared", ball) })
            if (Rational.Parse((string)stated[name]!) != value) throw new Reject($"the certificate states {name} = {stated[name]}, the data give {value}");
        var eps = Rational.Parse((string)facts["epsilon"]!);
        if (eps.Sign > 0 && !(a * eps + 2 * b.Abs() < lambda)) throw new Reject($"ε = {eps} does not keep |ℓ'| below λ on the ball s ≤ ε");
        var paths = new HashSet<string>();
        foreach (var leaf in facts["leaves"]!.AsArray())
        {
            string path = (string)leaf![0]!, reason = (string)leaf[1]!;
            if (path.Any(ch => ch is not ('L' or 'R')) || !paths.Add(path)) throw new Reject($"bad or repeated box path '{path}'");
            // The box: halve p at even depths, s at odd ones.
            Rational pLo = -ball / 2, pHi = ball / 2, sLo = 0, sHi = ball;
            for (int i = 0; i < path.Length; i++)
            {
                if (i % 2 == 0) { var mid = (pLo + pHi) / 2; if (path[i] == 'L') pHi = mid; else pLo = mid; }
                else { var mid = (sLo + sHi) / 2; if (path[i] == 'L') sHi = mid; else sLo = mid; }
            }
            var p = new RationalInterval(pLo, pHi);
            var dl = new RationalInterval(2 * a * pLo - 2 * b, 2 * a * pHi - 2 * b); // ℓ'(p) is increasing in p (A ≥ 0)
            bool ok = reason switch
            {
                "infeasible" => sHi < 2 * p.MinAbs,
                "gradient" => LowerBoundOfGradientNorm(a, b, dl, p, sLo, lambda).Sign > 0,
                "outside-U" => 16 * r2 * LowerBoundOfLoss(a, b, c, pLo, pHi) >= lambda * lambda,
                "origin" => eps.Sign > 0 && sHi <= eps,
                _ => false,
            };
            if (!ok) throw new Reject($"box '{path}' (p ∈ [{pLo}, {pHi}], s ∈ [{sLo}, {sHi}]) does not satisfy its reason '{reason}'");
        }
        if (Tiling.TilingProblem(paths) is { } gap) throw new Reject(gap);
        return ($"{paths.Count} boxes tile the a-priori ball in (p, s) and each satisfies its reason: no non-zero critical point in U(λ)");
    }

    private static Rational LowerBoundOfGradientNorm(Rational a, Rational b, RationalInterval dl, RationalInterval p, Rational sLo, Rational lambda)
    {
        // G = (ℓ'² + λ²)·s + 4λ·ℓ'·p grows with s: take s = s_lo. Interval form, or mean-value form about the middle.
        Rational sqLo = dl.MinAbs * dl.MinAbs;
        var interval = (sqLo + lambda * lambda) * sLo + 4 * lambda * (dl * p).Lo;
        var mid = (p.Lo + p.Hi) / 2;
        var dm = 2 * a * mid - 2 * b;
        var meanValue = (dm * dm + lambda * lambda) * sLo + 4 * lambda * dm * mid
                        - (p.Hi - p.Lo) / 2 * (4 * a * sLo * dl.MaxAbs + 8 * lambda * a * p.MaxAbs + 4 * lambda * dl.MaxAbs);
        return interval > meanValue ? interval : meanValue;
    }

    private static Rational LowerBoundOfLoss(Rational a, Rational b, Rational c, Rational pLo, Rational pHi)
    {
        // ℓ(p) = A p² − 2B p + C, convex: its minimum on [pLo, pHi] is at the vertex B/A clamped to the interval.
        var at = a.IsZero ? (b.Sign >= 0 ? pHi : pLo) : b / a;
        if (at < pLo) at = pLo;
        if (at > pHi) at = pHi;
        return a * at * at - 2 * b * at + c;
    }

}
