using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Budgets;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Claims.Freeman;

/// <summary>
/// A certified path in Ω(λ) between two points of a linear network: rational beads joined by segments on which
/// F(θ_k + t(θ_{k+1} − θ_k)) — a polynomial of degree ≤ 2K in t — is enclosed exactly on pieces [t_i, t_{i+1}] and shown
/// ≤ λ. Beads are found numerically (a bisection of the failing segment, the midpoint nudged and moved downhill by
/// gradient descent in double, then rounded to rationals); only the exact enclosures decide.
/// </summary>
public static class PolynomialPath
{
    /// <summary>The path, or null with why not (the string needed more beads or rounds than allowed).</summary>
    public static CertifiedPath? Connect(NetworkSpec s, Rational[] a, Rational[] b, Rational level, int seed, out string why)
    {
        var rng = new Random(seed);
        var beads = new List<Rational[]> { a, b };
        var target = (Loss.Evaluate(s, a) + Loss.Evaluate(s, b)) / 4 + level / 2; // new beads go well below λ
        for (int round = 0; round < 8; round++)
        {
            var cuts = new List<Rational>?[beads.Count - 1];
            for (int k = 0; k < cuts.Length; k++) cuts[k] = Cut(Segment(s, beads[k], beads[k + 1]), level);
            if (cuts.All(c => c is not null)) { why = ""; return new CertifiedPath(level, beads.ToArray(), cuts!); }
            if (beads.Count > 64) break;
            for (int k = cuts.Length - 1; k >= 0; k--)
                if (cuts[k] is null) beads.Insert(k + 1, Descend(s, beads[k], beads[k + 1], target, rng));
        }
        why = $"no certified string with at most 8 rounds of bisection ({beads.Count} beads)";
        return null;
    }

    /// <summary>p(t) = F(a + t(b − a)), exactly: degree ≤ 2K (K products of linear factors, squared), from 2K + 1 values.</summary>
    public static Polynomial Segment(NetworkSpec s, Rational[] a, Rational[] b) =>
        Polynomial.Through(2 * s.Depth, t => Loss.Evaluate(s, a.Select((x, p) => x + t * (b[p] - x)).ToArray()));

    /// <summary>Cuts of [0, 1] with p ≤ level on every piece (exact enclosures), or null when p exceeds it or 2^−20 pieces would be needed.</summary>
    public static List<Rational>? Cut(Polynomial p, Rational level)
    {
        var cuts = new List<Rational> { Rational.Zero };
        bool Split(Rational lo, Rational hi, int depth)
        {
            Budget.Check();
            if (p.Enclose(lo, hi).Hi <= level) { cuts.Add(hi); return true; }
            var mid = (lo + hi) / 2;
            if (depth >= 20 || p.Evaluate(mid) > level) return false;
            return Split(lo, mid, depth + 1) && Split(mid, hi, depth + 1);
        }
        return Split(Rational.Zero, Rational.One, 0) ? cuts : null;
    }

    /// <summary>The midpoint, nudged (a saddle such as θ = 0 has zero gradient) and moved downhill until F ≤ target, rounded to 1/1024.</summary>
    private static Rational[] Descend(NetworkSpec s, Rational[] a, Rational[] b, Rational target, Random rng)
    {
        var theta = a.Select((x, p) => 0.5 * (x.ToDouble() + b[p].ToDouble()) + 0.05 * (rng.NextDouble() - 0.5)).ToArray();
        double goal = target.ToDouble();
        for (int step = 0; step < 20_000; step++)
        {
            var net = new DenseNetwork(s, theta);
            if (net.Loss <= goal) break;
            double rate = 0.5 / (1 + net.Gradient.Sum(g => g * g));
            for (int p = 0; p < theta.Length; p++) theta[p] -= Math.Min(0.05, rate) * net.Gradient[p];
        }
        return theta.Select(x => Rational.Create((long)Math.Round(x * 1024), 1024)).ToArray();
    }
}

/// <summary>A polygon of beads in Ω(Level): segment k runs from bead k to bead k + 1 and is cut at Cuts[k] (0 = t_0 &lt; … &lt; t_r = 1).</summary>
public sealed record CertifiedPath(Rational Level, Rational[][] Beads, List<Rational>[] Cuts);

/// <summary>The certificate of a path (freeman.2.2, freeman.dss): the level, the beads and every segment's cuts.</summary>
public sealed record PathFacts(NetworkSpec Spec, CertifiedPath P) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["level"] = P.Level.ToString(),
        ["beads"] = new JsonArray(P.Beads.Select(b => (JsonNode?)Evidence.Point(Spec.Layout, b)).ToArray()),
        ["segments"] = new JsonArray(P.Cuts.Select(c => (JsonNode?)new JsonObject { ["cuts"] = new JsonArray(c.Select(t => (JsonNode?)t.ToString()).ToArray()) }).ToArray()),
    };
}

/// <summary>
/// F-2.2 as the authors revised it and the notes re-index it: for a linear network with κ = 0 and every hidden width
/// &gt; min(n_in, n_out), every level set Ω(λ) is connected. Decided on instances: θ^A is a rounded numerical minimiser
/// and θ^B the same point with unit 0 of hidden layer 1 negated (row of W_1, column of W_2: F unchanged) — the pair a
/// tight width separates (freeman.2.2-printed) — at λ halfway between F(θ^A) and F(0) (the origin, a saddle, is then outside Ω(λ)). Certified when a path is found
/// and enclosed exactly; otherwise inconclusive (no counterexample is known).
/// </summary>
public sealed class RevisedConnectivity : Claim
{
    public override string Id => "freeman.2.2";
    public override string Source => "Freeman, Bruna (002), Proposition 2.2 as revised (n_j > min(n_1, n_K)), re-indexed (notes §2.2)";
    public override string Statement => "every level set Ω(λ) of a linear network (κ = 0) whose hidden widths all exceed min(n_in, n_out) is connected: θ^A and θ^B are joined by a path in Ω(λ)";
    public override IReadOnlyList<string> LocusKinds => ["pair"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [FreemanHypotheses.Linear, FreemanHypotheses.Mse, SettingHypotheses.SomeHiddenLayer, FreemanHypotheses.NoPenalty, FreemanHypotheses.WidthsAboveMin];

    /// <summary>θ^A, θ^B and λ of the instance: halfway between F(θ^A) and F(0), or F(θ^A) + 1/4 when F(0) is no higher.</summary>
    public static (Rational[] A, Rational[] B, Rational Level) Pair(NetworkSpec s, int seed)
    {
        var rng = new Random(seed);
        var theta = Enumerable.Range(0, s.ParameterCount).Select(_ => rng.NextDouble() - 0.5).ToArray();
        for (int step = 0; step < 5000; step++)
        {
            var net = new DenseNetwork(s, theta);
            for (int p = 0; p < theta.Length; p++) theta[p] -= 0.02 * net.Gradient[p];
        }
        var a = theta.Select(x => Rational.Create((long)Math.Round(x * 64), 64)).ToArray();
        var b = (Rational[])a.Clone();
        var layout = s.Layout;
        for (int i = 0; i < s.Widths[0]; i++) b[layout.Weight(1, 0, i)] = -b[layout.Weight(1, 0, i)];
        for (int o = 0; o < s.Widths[2]; o++) b[layout.Weight(2, o, 0)] = -b[layout.Weight(2, o, 0)];
        Rational fa = Loss.Evaluate(s, a), f0 = Loss.Evaluate(s, Enumerable.Repeat(Rational.Zero, s.ParameterCount).ToArray());
        return (a, b, fa < f0 ? (fa + f0) / 2 : fa + Rational.Create(1, 4)); // the origin is a minimiser too when F(θ^A) ≥ F(0)
    }

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var pair = Pair(s, c.Seed);
        if (PolynomialPath.Connect(s, pair.A, pair.B, pair.Level, c.Seed, out var why) is not { } path)
            return Verdict.Inconclusive($"no certified path found: {why}");
        var evidence = new JsonObject
        {
            ["level"] = path.Level.ToString(), ["beads"] = path.Beads.Length, ["pieces"] = path.Cuts.Sum(x => x.Count - 1),
            ["pointA"] = Evidence.Point(s.Layout, pair.A), ["pointB"] = Evidence.Point(s.Layout, pair.B),
        };
        return Verdict.Certified($"θ^A and θ^B (unit 0 of layer 1 negated) lie in one path-component of Ω({path.Level}): {path.Beads.Length} beads, " +
            $"F ≤ λ on every one of {path.Cuts.Sum(x => x.Count - 1)} pieces (exact polynomial enclosures)", evidence, new PathFacts(s, path));
    }

    /// <summary>Linear networks, K = 2 or 3, every hidden width min(n_in, n_out) + 1 or + 2, L ≥ n_in random samples.</summary>
    public override Gen<ClaimInstance> Generator =>
        from depth in Gen.Choose(2, 3)
        from nIn in Gen.Choose(1, 2)
        from nOut in Gen.Choose(1, 2)
        from extra in Gen.ArrayOf(Gen.Choose(1, 2), depth - 1)
        from samples in Gen.Choose(nIn, nIn + 2)
        from xs in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, nIn), samples)
        from ys in Gen.ArrayOf(Gen.ArrayOf(NetworkCases.SmallRational, nOut), samples)
        from seed in Gen.Choose(0, 1000)
        let r = Math.Min(nIn, nOut)
        select new ClaimInstance(Id, PrintedConnectivity.LinearSpec([nIn, .. extra.Select(e => r + e), nOut], xs, ys), [seed], Construction: "pair");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance)
    {
        foreach (var c in NetworkCases.Shrink(new NetworkCase(instance.Spec, 0)))
            yield return instance with { Spec = c.Spec };
    }
}
