using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Budgets;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using Interval = VerifyLandscape.Intervals.Interval;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>
/// Prop 2.3, eq. (7), for X ~ N(0, I_d) and unit w1, w2 at angle α. By rotation invariance everything depends on α only:
///   [w1,w2]_Z = k(α) = (sin α + (π − α) cos α)/(2π)   (the arc-cosine kernel of degree 1),
///   ‖w_m‖²_Z = E[relu(g)²] = ½,   Σ_X = I, so ‖Σ_X‖ = 1,
/// and (7) reads lower(α) = (1 + cos α)/4 − 2((1 − cos α)/2 + sin²α) ≤ k(α) ≤ upper(α) = (1 + cos α)/4.
/// Both gaps vanish at α = 0, where interval branch-and-bound cannot close, so [0, δ] is done by hand-checkable series:
/// with s(α) = sin α − α cos α, the gaps are u = upper − k = (1 − cos α)/4 − s/(2π) and ℓ = k − lower =
/// (3/4)(1 − cos α) + 2 sin²α + s/(2π), and the alternating series
///   1 − cos α ≥ α²/2 − α⁴/24 (every α),   α³/3 − α⁵/30 ≤ s(α) ≤ α³/3 (0 ≤ α ≤ 3, terms decreasing)
/// give u ≥ α²(1/8 − α/(6π) − α²/96) and ℓ ≥ α²(3/8 − α²/32) on (0, δ]: positive when those constants are at α = δ.
/// u also vanishes at α = π, but u(π − α) = u(α) (cos(π − α) = −cos α, sin(π − α) = sin α), so covering [δ, 2] ⊇ [δ, π/2]
/// covers [π − 2, π − δ] too. Between, each gap is enclosed on boxes of α, in the claim's own form (upper − k, k − lower),
/// by outward-rounded interval arithmetic; a box whose enclosure is not > 0 is split.
/// </summary>
public static class GaussianKernel
{
    public static readonly Rational Delta = Rational.Create(1, 2);
    /// <summary>Where the boxes for the upper gap end (≥ π/2, see above) and for the lower gap (≥ π).</summary>
    public static readonly Rational UpperEnd = 2, LowerEnd = Rational.Create(16, 5);
    /// <summary>π's rational enclosure for the series constants.</summary>
    public static readonly Rational PiLo = Rational.Create(314159, 100000), PiHi = Rational.Create(314160, 100000);

    public static Interval Kernel(Interval a) => (a.Sin() + (Interval.Pi - a) * a.Cos()) / (new Interval(2, 2) * Interval.Pi);
    public static Interval Upper(Interval a) => (Interval.One + a.Cos()) / new Interval(4, 4);
    public static Interval Lower(Interval a) =>
        Upper(a) - new Interval(2, 2) * ((Interval.One - a.Cos()) / new Interval(2, 2) + a.Sin().Square());

    /// <summary>The series constants at δ: u/α² ≥ 1/8 − δ/(6π) − δ²/96 and ℓ/α² ≥ 3/8 − δ²/32 (π ≥ PiLo).</summary>
    public static (Rational Upper, Rational Lower) SeriesConstants(Rational delta) =>
        (Rational.Create(1, 8) - delta / (6 * PiLo) - delta * delta / 96, Rational.Create(3, 8) - delta * delta / 32);

    /// <summary>Cuts lo = c_0 &lt; … &lt; c_n = hi with gap &gt; 0 enclosed on every [c_i, c_{i+1}], or null (depth 30 reached).</summary>
    public static List<Rational>? Cover(Func<Interval, Interval> gap, Rational lo, Rational hi, out double margin)
    {
        var cuts = new List<Rational> { lo };
        double least = double.PositiveInfinity;
        bool Split(Rational a, Rational b, int depth)
        {
            Budget.Check();
            var g = gap(new Interval(Interval.FromRational(a).Lo, Interval.FromRational(b).Hi));
            if (g.Lo > 0) { cuts.Add(b); least = Math.Min(least, g.Lo); return true; }
            if (depth >= 30) return false;
            var mid = (a + b) / 2;
            return Split(a, mid, depth + 1) && Split(mid, b, depth + 1);
        }
        bool ok = Split(lo, hi, 0);
        margin = least;
        return ok ? cuts : null;
    }
}

/// <summary>The certificate: δ and the cuts of [δ, 2] (upper gap) and [δ, 16/5] (lower gap).</summary>
public sealed record GaussianKernelFacts(Rational Delta, List<Rational> UpperCuts, List<Rational> LowerCuts) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["delta"] = Delta.ToString(),
        ["upperCuts"] = new JsonArray(UpperCuts.Select(c => (JsonNode?)c.ToString()).ToArray()),
        ["lowerCuts"] = new JsonArray(LowerCuts.Select(c => (JsonNode?)c.ToString()).ToArray()),
    };
}

/// <summary>F-2.3 = Prop 2.3, eq. (7), for Gaussian X over every angle α ∈ [0, π): rigorous (series on [0, δ], interval branch-and-bound elsewhere).</summary>
public sealed class GaussianKernelBounds : Claim
{
    public override string Id => "freeman.2.3-gaussian";
    public override string Source => "Freeman, Bruna (002), Proposition 2.3, eq. (7), for X ~ N(0, I) (notes F-2.3)";
    public override string Statement => "for X ~ N(0, I_d) and every α ∈ [0, π): (1+cos α)/2·½ − 2((1−cos α)/2 + sin²α) ≤ (sin α + (π−α)cos α)/(2π) ≤ (1+cos α)/2·½";
    public override IReadOnlyList<string> LocusKinds => ["gaussian"];
    public override IReadOnlyList<Hypothesis> Hypotheses => [ReluKernelClaim.TwoReluUnits with
        { Wording = "w1, w2 the two relu units of a bias-free [d, 2, 1] layer, d ≥ 2; X ~ N(0, I_d) (the spec's data are not used)" }];

    protected override Verdict Decide(ClaimInstance c)
    {
        var (upperSeries, lowerSeries) = GaussianKernel.SeriesConstants(GaussianKernel.Delta);
        if (upperSeries.Sign <= 0 || lowerSeries.Sign <= 0)
            return Verdict.Inconclusive($"the series bounds are not positive at δ = {GaussianKernel.Delta}");
        var upper = GaussianKernel.Cover(a => GaussianKernel.Upper(a) - GaussianKernel.Kernel(a), GaussianKernel.Delta, GaussianKernel.UpperEnd, out var upperMargin);
        var lower = GaussianKernel.Cover(a => GaussianKernel.Kernel(a) - GaussianKernel.Lower(a), GaussianKernel.Delta, GaussianKernel.LowerEnd, out var lowerMargin);
        if (upper is null || lower is null)
            return Verdict.Inconclusive("a box of width 2⁻³⁰ did not separate a gap of (7) from 0 (budget: depth 30)");
        var evidence = new JsonObject
        {
            ["delta"] = GaussianKernel.Delta.ToString(), ["upperBoxes"] = upper.Count - 1, ["lowerBoxes"] = lower.Count - 1,
            ["upperGapAtLeastOnBoxes"] = upperMargin, ["lowerGapAtLeastOnBoxes"] = lowerMargin,
            ["upperSeriesConstant"] = upperSeries.ToString(), ["lowerSeriesConstant"] = lowerSeries.ToString(),
        };
        return Verdict.Certified($"(7) holds for every α ∈ [0, π) (equality at α = 0): on (0, {GaussianKernel.Delta}] by series bounds " +
            $"(gaps ≥ {upperSeries.ToDouble():G4}·α² and {lowerSeries.ToDouble():G4}·α²), elsewhere on {upper.Count - 1} + {lower.Count - 1} boxes of α " +
            "(outward-rounded intervals; the upper gap's symmetry u(π − α) = u(α) covers [π − 2, π))", evidence,
            new GaussianKernelFacts(GaussianKernel.Delta, upper, lower));
    }

    /// <summary>One statement: trials vary d only (the answer cannot depend on it), so they re-run the same proof.</summary>
    public override Gen<ClaimInstance> Generator =>
        from d in Gen.Choose(2, 6)
        select new ClaimInstance(Id, ReluKernelClaim.Distribution([Enumerable.Repeat(Rational.One, d).ToArray()]), [0], Construction: "gaussian");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance) => [];
}
