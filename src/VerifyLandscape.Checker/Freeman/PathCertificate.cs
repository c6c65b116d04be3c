using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Freeman;

/// <summary>
/// A certified path in Ω(ℓ) = {θ : F(θ) ≤ ℓ}: beads θ_0 = θ^A, …, θ_n = θ^B (exact rationals) joined by straight
/// segments θ_k + t(θ_{k+1} − θ_k), and for each segment cuts 0 = t_0 &lt; … &lt; t_r = 1. The checker bounds F from above on
/// every piece [t_i, t_{i+1}] and requires the bound ≤ ℓ; then the whole polygon lies in Ω(ℓ), so θ^A and θ^B are in one
/// path-component of it.
///   freeman.2.2 (linear networks, every hidden width &gt; min(n_in, n_out), κ = 0): F along a segment is a polynomial of
///     degree ≤ 2K in t; the checker interpolates it exactly from 2K + 1 values of its own loss and encloses it on each
///     piece (monotone and mean-value forms, exact rationals).
///   freeman.dss (the certified string of `vl experiment dss --certify`, any plain network of the spec): F is enclosed
///     on each piece by the kernel's outward-rounded interval evaluation with θ = θ_k + [t_i, t_{i+1}]·(θ_{k+1} − θ_k).
/// </summary>
public static class PathCertificate
{
    [ChecksClaim("freeman.2.2")]
    public static string Linear(Certificate c)
    {
        var s = c.Spec;
        LinearNetworks.RequireSetting(c, "pair");
        int r = Math.Min(s.InputWidth, s.OutputWidth);
        for (int k = 1; k < s.Depth; k++)
            if (s.Widths[k] <= r) throw new Reject($"out of the claim's hypotheses: hidden width n_{k} = {s.Widths[k]} is not > min(n_in, n_out) = {r}");
        if (!s.WeightDecay.IsZero) throw new Reject("out of the claim's hypotheses: κ ≠ 0 (the claim is for κ = 0)");
        var layout = s.Layout;
        var negated = Enumerable.Range(0, s.Widths[0]).Select(i => layout.Weight(1, 0, i)).Concat(Enumerable.Range(0, s.Widths[2]).Select(o => layout.Weight(2, o, 0))).ToHashSet();
        // The instance's pair: θ^B is θ^A with unit 0 of hidden layer 1 negated (its row of W_1, its column of W_2).
        void IsThePair(Rational[] a, Rational[] b)
        {
            for (int p = 0; p < a.Length; p++)
                if (b[p] != (negated.Contains(p) ? -a[p] : a[p])) throw new Reject($"the last bead is not the first with unit 0 of layer 1 negated (at {layout.Name(p)})");
        }
        return Check(c, (from, to) =>
        {
            var polynomial = SegmentPolynomial(s, from, to); // once per segment, enclosed on each of its pieces
            return (lo, hi) => polynomial.Enclose(lo, hi).Hi;
        }, IsThePair);
    }

    [ChecksClaim("freeman.dss", Experiment = true)]
    public static string String(Certificate c)
    {
        var s = c.Spec;
        if (!c.Locus.StartsWith("string:", StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not string:PAIR, which freeman.dss speaks about");
        return Check(c, (from, to) => (lo, hi) => Rational.FromDouble(Loss.EncloseOnSegment(s, from, to, lo, hi).Hi));
    }

    /// <summary>
    /// The shared part: the level, the beads (the end points checked by <paramref name="endPoints"/> where the claim says
    /// what they are), the cuts, and one upper bound per piece from the segment's bound [lo, hi] ↦ bound.
    /// </summary>
    private static string Check(Certificate c, Func<Rational[], Rational[], Func<Rational, Rational, Rational>> segment, Action<Rational[], Rational[]>? endPoints = null)
    {
        if (!c.Certified) throw new Reject("a path certificate proves a connection; the verdict must be 'certified'");
        var level = Certificate.Number(c.Facts["level"], "level");
        var beads = Certificate.Array(c.Facts, "beads").Select((b, i) => Certificate.Point(b as JsonObject ?? throw new Reject($"beads[{i}] is not an object"), c.Spec.Layout)).ToArray();
        var segments = Certificate.Array(c.Facts, "segments");
        if (beads.Length < 2) throw new Reject("a path needs at least two beads");
        endPoints?.Invoke(beads[0], beads[^1]);
        if (segments.Count != beads.Length - 1) throw new Reject($"{beads.Length} beads need {beads.Length - 1} segments, the certificate has {segments.Count}");
        Rational worst = Rational.Zero;
        int pieces = 0;
        for (int k = 0; k < segments.Count; k++)
        {
            var cuts = Certificate.Texts(segments[k], "cuts").Select(x => Rational.TryParse(x, out var q) ? q : throw new Reject($"segments[{k}].cuts: '{x}' is not an exact number")).ToArray();
            if (cuts.Length < 2 || !cuts[0].IsZero || cuts[^1] != Rational.One) throw new Reject($"segments[{k}].cuts must run from 0 to 1");
            for (int i = 0; i + 1 < cuts.Length; i++)
                if (cuts[i + 1] <= cuts[i]) throw new Reject($"segments[{k}].cuts are not increasing at {i}");
            var upperBound = segment(beads[k], beads[k + 1]);
            for (int i = 0; i + 1 < cuts.Length; i++)
            {
                var bound = upperBound(cuts[i], cuts[i + 1]);
                if (bound > level) throw new Reject($"on segment {k}, t ∈ [{cuts[i]}, {cuts[i + 1]}], F is only bounded by {bound.ToDouble():G6} > ℓ = {level}");
                if (bound > worst || pieces == 0) worst = bound;
                pieces++;
            }
        }
        return $"θ^A and θ^B lie in one path-component of Ω({level}): {beads.Length} beads, {pieces} pieces, F ≤ {worst.ToDouble():G6} on every piece (recomputed)";
    }

    /// <summary>p(t) = F(a + t(b − a)) for a linear network: degree ≤ 2K, interpolated exactly from 2K + 1 values.</summary>
    private static Polynomial SegmentPolynomial(NetworkSpec s, Rational[] a, Rational[] b) =>
        Polynomial.Through(2 * s.Depth, t => LinearNetworks.Loss(s, a.Select((x, p) => x + t * (b[p] - x)).ToArray()));
}
