using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Freeman;

/// <summary>
/// freeman.2.3-gaussian: eq. (7) for X ~ N(0, I) over α ∈ [0, π), where [w1,w2]_Z = k(α) = (sin α + (π − α)cos α)/(2π),
/// ‖w_m‖²_Z = ½ and ‖Σ_X‖ = 1. Facts: δ, cuts of the upper gap's range and of the lower gap's. The checker verifies:
///   0 &lt; δ ≤ 3 and the series constants 1/8 − δ/(6π) − δ²/96 and 3/8 − δ²/32 are &gt; 0 with π ≥ 3.14159
///   (on (0, δ]: 1 − cos α ≥ α²/2 − α⁴/24 and α³/3 − α⁵/30 ≤ sin α − α cos α ≤ α³/3, so both gaps are ≥ c·α² there);
///   the upper cuts run from δ up to ≥ 1.5708 &gt; π/2 (the upper gap is symmetric under α ↦ π − α, so this covers
///   [δ, π − δ]) and the lower cuts from δ up to ≥ 3.1416 &gt; π, each strictly increasing;
///   on every piece, the outward-rounded interval enclosure of (1 + cos α)/4 − k(α), resp. k(α) − (1 + cos α)/4 +
///   2((1 − cos α)/2 + sin²α), computed here, is &gt; 0.
/// </summary>
public static class GaussianKernelCertificate
{
    [ChecksClaim("freeman.2.3-gaussian")]
    public static string Check(Certificate c)
    {
        var s = c.Spec;
        if (s.Depth != 2 || s.Widths[1] != 2 || s.Bias || !s.HiddenActivations[0].IsRelu || s.InputWidth < 2)
            throw new Reject("out of the claim's hypotheses: the spec is not a bias-free relu layer of 2 units on d ≥ 2 inputs");
        if (!c.Locus.StartsWith("gaussian:", StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not gaussian:SEED");
        if (!c.Certified) throw new Reject("the certificate proves (7); the verdict must be 'certified'");

        var delta = Certificate.Number(c.Facts["delta"], "delta");
        if (delta.Sign <= 0 || delta > 3) throw new Reject($"δ = {delta} is not in (0, 3], where the series bounds hold");
        Rational piLo = Rational.Create(314159, 100000);
        if ((Rational.Create(1, 8) - delta / (6 * piLo) - delta * delta / 96).Sign <= 0 || (Rational.Create(3, 8) - delta * delta / 32).Sign <= 0)
            throw new Reject($"the series bounds are not positive at δ = {delta}: the gaps are not shown > 0 on (0, δ]");

        var two = new Interval(2, 2);
        Interval K(Interval a) => (a.Sin() + (Interval.Pi - a) * a.Cos()) / (two * Interval.Pi);
        Interval Top(Interval a) => (Interval.One + a.Cos()) / new Interval(4, 4);
        Interval Bottom(Interval a) => Top(a) - two * ((Interval.One - a.Cos()) / two + a.Sin().Square());
        int upper = Pieces(c, "upperCuts", delta, Rational.Create(15708, 10000), a => Top(a) - K(a));
        int lower = Pieces(c, "lowerCuts", delta, Rational.Create(31416, 10000), a => K(a) - Bottom(a));
        return $"(7) holds for X ~ N(0, I) at every α ∈ [0, π) (recomputed: series on (0, {delta}], {upper} + {lower} interval pieces)";
    }

    /// <summary>Checks the cuts cover [from, ≥ to] and the gap's enclosure is &gt; 0 on each piece; returns the piece count.</summary>
    private static int Pieces(Certificate c, string name, Rational from, Rational to, Func<Interval, Interval> gap)
    {
        var cuts = Certificate.Texts(c.Facts, name).Select((t, i) => Rational.TryParse(t, out var q) ? q : throw new Reject($"{name}[{i}] is not an exact number")).ToArray();
        if (cuts.Length < 2 || cuts[0] != from || cuts[^1] < to) throw new Reject($"{name} must run from δ = {from} to at least {to}");
        for (int i = 0; i + 1 < cuts.Length; i++)
        {
            if (cuts[i + 1] <= cuts[i]) throw new Reject($"{name} is not increasing at {i}");
            var g = gap(new Interval(Interval.FromRational(cuts[i]).Lo, Interval.FromRational(cuts[i + 1]).Hi));
            if (!(g.Lo > 0)) throw new Reject($"the gap is only enclosed in [{g.Lo}, {g.Hi}] on [{cuts[i]}, {cuts[i + 1]}], not shown > 0");
        }
        return cuts.Length - 1;
    }
}
