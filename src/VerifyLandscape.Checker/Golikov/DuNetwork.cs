using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Golikov;

/// <summary>
/// Du et al.'s setting as the checker reads it from a certificate's spec: f = m^{−1/2} Σ_r a_r relu(w_rᵀx) with every
/// a_r = W2[0,r] frozen at ±1, no biases, loss ½Σ(f − y)², no weight decay, unit inputs; and H∞ from its definition.
/// </summary>
internal static class DuNetwork
{
    /// <summary>Rejects a spec outside the setting; returns a (the frozen output signs).</summary>
    public static Rational[] Require(NetworkSpec s)
    {
        string Why() =>
            s.Depth != 2 || s.OutputWidth != 1 ? "the network is not [d, m, 1]"
            : !s.HiddenActivations[0].IsRelu ? "the hidden activation is not relu"
            : s.OutputActivation is not IdentityActivation || s.Bias ? "the output is not linear, or there are biases"
            : s.Loss != LossKind.HalfSse || !s.WeightDecay.IsZero ? "the loss is not ½Σ(f − y)² without weight decay"
            : !(s.OutputScale * s.OutputScale * s.Widths[1]).IsOne ? $"the output scale {s.OutputScale} is not m^(-1/2)"
            : s.Shared is { Length: > 0 } || s.Frozen is not { } f || f.Length != s.Widths[1] ? "the frozen parameters are not exactly a = W2[0, ·]"
            : Array.FindIndex(s.X, x => !Matrices.Dot(x, x).IsOne) is var i and >= 0 ? $"‖x_{i}‖ ≠ 1"
            : "";
        if (Why() is { Length: > 0 } why) throw new Reject("out of the claim's hypotheses: " + why);
        var a = new Rational[s.Widths[1]];
        for (int r = 0; r < a.Length; r++)
        {
            var slot = s.Layout.Weight(2, 0, r);
            if (s.Layout.FrozenValue(slot) is not { } v || !v.Abs().IsOne) throw new Reject($"out of the claim's hypotheses: a_{r} = W2[0,{r}] is not frozen at ±1");
            a[r] = v;
        }
        return a;
    }

    public static void RequireLocus(Certificate c, string kind)
    {
        if (!c.Locus.StartsWith(kind + ":", StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not {kind}:SEED");
    }

    /// <summary>
    /// H∞_ij = c(π − arccos c)/(2π), c = x_iᵀx_j: exact when every c ∈ {0, ±½, ±1} (then arccos c ∈ {π/2, π/3, 2π/3, 0, π}),
    /// else null; <paramref name="enclosure"/> always holds the interval version.
    /// </summary>
    public static Rational[,]? Gram(Rational[][] x, out Interval[,] enclosure)
    {
        int n = x.Length;
        var exact = new Rational[n, n];
        bool rational = true;
        enclosure = new Interval[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                var c = Matrices.Dot(x[i], x[j]);
                // (π − arccos c)/(2π) for the five Niven values: c = 1 → 1/2, ½ → 1/3, 0 → 1/4, −½ → 1/6, −1 → 0.
                Rational? share = c.IsOne ? Rational.Half : c == Rational.Half ? Rational.Create(1, 3) : c.IsZero ? Rational.Create(1, 4)
                    : c == -Rational.Half ? Rational.Create(1, 6) : c == -1 ? Rational.Zero : null;
                if (share is { } q) exact[i, j] = c * q; else rational = false;
                var ci = Interval.FromRational(c).Intersect(new Interval(-1, 1));
                enclosure[i, j] = ci * (Interval.Pi - ci.Acos()) / (Interval.Point(2) * Interval.Pi);
            }
        return rational ? exact : null;
    }

    /// <summary>H∞ − cI positive definite (exact LDLᵀ for a rational H∞, interval LDLᵀ otherwise).</summary>
    public static bool PositiveDefiniteAbove(Rational[,]? exact, Interval[,] enclosure, Rational c)
    {
        int n = enclosure.GetLength(0);
        if (exact is not null)
        {
            var inertia = ExactLinearAlgebra.InertiaOf(Matrices.Shift(exact, c));
            return inertia.Negative == 0 && inertia.Zero == 0;
        }
        var shifted = new Interval[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) shifted[i, j] = i == j ? enclosure[i, j] - Interval.FromRational(c) : enclosure[i, j];
        return IntervalLinearAlgebra.ProvesPositiveDefinite(shifted, out _);
    }
}
