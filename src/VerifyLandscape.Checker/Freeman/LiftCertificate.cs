using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Freeman;

/// <summary>
/// freeman.2.2-path: the pseudo-inverse lift of the printed proof, K = 2. Facts: θᴬ, θᴮ, the curve's matrix V, and a
/// failure (or null). The checker rebuilds W₂(t) = (1−t)W₂ᴬ + tW₂ᴮ + t(1−t)V, W̃(t) = (1−t)W₂ᴬW₁ᴬ + tW₂ᴮW₁ᴮ and
/// W₁(t) = (W₂ᵀW₂)⁻¹W₂ᵀW̃ in its own exact arithmetic and verifies the hypotheses (linear, mse, K = 2, κ = 0, h &gt;
/// min(n_in, n_out)) and then:
///   refuted, "endpoint" at t ∈ {0, 1}: W₂(t)ᵀW₂(t) singular or W₁(t) ≠ the endpoint's W₁;
///   refuted, "singular-at" t ∈ (0, 1): det W₂(t)ᵀW₂(t) = 0;
///   refuted, "singular-in" (lo, hi] ⊂ (0, 1]: p = det W₂ᵀW₂ (interpolated from 4h + 1 exact values) has a root there (Sturm);
///   refuted, "product" at t ∈ (0, 1): W₂ᵀW₂ invertible and W₂(t)W₁(t) ≠ W̃(t);
///   certified: both endpoints right, p(0), p(1) ≠ 0 with no root in (0, 1] (Sturm), and W₂W₁ = W̃ at 4h + 2 points of
///   (0, 1) — a polynomial identity of degree ≤ 4h + 1 once multiplied by det G — so the path exists, joins θᴬ to θᴮ
///   and keeps the product (hence F) on the segment W̃(t).
/// </summary>
public static class LiftCertificate
{
    [ChecksClaim("freeman.2.2-path")]
    public static string Check(Certificate c)
    {
        var s = c.Spec;
        LinearNetworks.RequireSetting(c, "pair");
        if (s.Depth != 2) throw new Reject($"out of the claim's hypotheses: K = {s.Depth} (the lift is checked for K = 2)");
        if (!s.WeightDecay.IsZero) throw new Reject("out of the claim's hypotheses: κ ≠ 0");
        int nIn = s.InputWidth, h = s.Widths[1], nOut = s.OutputWidth;
        if (h <= Math.Min(nIn, nOut)) throw new Reject($"out of the claim's hypotheses: hidden width {h} ≤ min(n_in, n_out) = {Math.Min(nIn, nOut)}");

        var a = LinearChains.Weights(s, Certificate.Point(Certificate.Object(c.Facts, "pointA"), s.Layout));
        var b = LinearChains.Weights(s, Certificate.Point(Certificate.Object(c.Facts, "pointB"), s.Layout));
        var v = LinearNetworks.Matrix(c.Facts["curve"], "curve", nOut, h);
        Rational[,] W2(Rational t) => Blend(a[2], b[2], t, v);
        Rational[,] Merged(Rational t) => Blend(Matrices.Multiply(a[2], a[1]), Matrices.Multiply(b[2], b[1]), t, null);
        Rational[,] GramOf(Rational[,] w) => Matrices.Multiply(Matrices.Transpose(w), w);
        Rational[,] Gram(Rational t) => GramOf(W2(t));
        Rational[,]? W1(Rational t)
        {
            var w = W2(t);
            return Matrices.Inverse(GramOf(w)) is { } g ? Matrices.Multiply(Matrices.Multiply(g, Matrices.Transpose(w)), Merged(t)) : null;
        }
        Polynomial P() => Polynomial.Through(4 * h, t => ExactLinearAlgebra.Determinant(Gram(t)));

        if (c.Facts["failure"] is null)
        {
            if (!c.Certified) throw new Reject("no failure is named, so the verdict must be 'certified'");
            if (W1(0) is not { } start || !Matrices.AreEqual(start, a[1])) throw new Reject("W₁(0) ≠ W₁ᴬ (or W₂(0)ᵀW₂(0) is singular): the path does not start at θᴬ");
            if (W1(1) is not { } end || !Matrices.AreEqual(end, b[1])) throw new Reject("W₁(1) ≠ W₁ᴮ (or W₂(1)ᵀW₂(1) is singular): the path does not end at θᴮ");
            int roots = P().DistinctRootsBetween(0, 1);
            if (roots > 0) throw new Reject($"det W₂ᵀW₂ has {roots} root(s) in (0, 1): the pseudo-inverse is undefined somewhere");
            int points = 4 * h + 2;
            for (int j = 1; j <= points; j++)
            {
                var t = Rational.Create(j, points + 1);
                if (!Matrices.AreEqual(Matrices.Multiply(W2(t), W1(t)!), Merged(t))) throw new Reject($"W₂W₁ ≠ W̃ at t = {t}");
            }
            return $"the pseudo-inverse lift is defined on [0, 1], joins θᴬ to θᴮ and keeps W₂W₁ = W̃ (recomputed; identity at {points} points)";
        }

        if (c.Certified) throw new Reject("a failure is named, so the verdict must be 'refuted'");
        var failure = Certificate.Object(c.Facts, "failure");
        var kind = Certificate.Text(failure, "kind");
        if (kind == "singular-in")
        {
            Rational lo = Certificate.Number(failure["lo"], "failure.lo"), hi = Certificate.Number(failure["hi"], "failure.hi");
            if (lo.Sign < 0 || hi > 1 || lo >= hi) throw new Reject($"(lo, hi] = ({lo}, {hi}] is not an interval of (0, 1]");
            var p = P();
            if (p.IsZero) throw new Reject("det W₂ᵀW₂ vanishes identically: name a point (singular-at), not an interval");
            if (p.Evaluate(lo).IsZero || p.Evaluate(hi).IsZero) throw new Reject("det W₂ᵀW₂ vanishes at an end of the interval: name that point (singular-at)");
            if (p.DistinctRootsBetween(lo, hi) == 0) throw new Reject($"det W₂ᵀW₂ has no root in ({lo}, {hi}] (Sturm)");
            return $"W₂(t)ᵀW₂(t) is singular at some t in ({lo}, {hi}] (recomputed Sturm count): the pseudo-inverse path is undefined there";
        }
        var at = Certificate.Number(failure["t"], "failure.t");
        switch (kind)
        {
            case "endpoint":
                if (at != 0 && at != 1) throw new Reject($"an endpoint failure is at t = 0 or 1, not {at}");
                var w1 = W1(at);
                if (w1 is not null && Matrices.AreEqual(w1, at.IsZero ? a[1] : b[1])) throw new Reject($"W₁({at}) is defined and equals the endpoint's W₁: no endpoint failure");
                return w1 is null ? $"W₂({at})ᵀW₂({at}) is singular (recomputed): the path has no point at t = {at}" : $"W₁({at}) ≠ the endpoint's W₁ (recomputed): the path misses it";
            case "singular-at":
                if (at.Sign <= 0 || at >= 1) throw new Reject($"t = {at} is not in (0, 1)");
                if (!ExactLinearAlgebra.Determinant(Gram(at)).IsZero) throw new Reject($"W₂({at})ᵀW₂({at}) is invertible");
                return $"W₂({at})ᵀW₂({at}) is singular (recomputed): the pseudo-inverse path is undefined at t = {at}";
            case "product":
                if (at.Sign <= 0 || at >= 1) throw new Reject($"t = {at} is not in (0, 1)");
                if (W1(at) is not { } w) throw new Reject($"W₂({at})ᵀW₂({at}) is singular: name it as singular-at, not product");
                if (Matrices.AreEqual(Matrices.Multiply(W2(at), w), Merged(at))) throw new Reject($"W₂W₁ = W̃ at t = {at}");
                return $"W₂({at})W₁({at}) ≠ W̃({at}) (recomputed): W₂W₂^† ≠ I, the lift leaves the product path";
            default:
                throw new Reject($"failure.kind '{kind}' is not endpoint, singular-at, singular-in or product");
        }
    }

    private static Rational[,] Blend(Rational[,] a, Rational[,] b, Rational t, Rational[,]? v)
    {
        var m = new Rational[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) m[i, j] = (1 - t) * a[i, j] + t * b[i, j] + (v is null ? 0 : t * (1 - t) * v[i, j]);
        return m;
    }
}
