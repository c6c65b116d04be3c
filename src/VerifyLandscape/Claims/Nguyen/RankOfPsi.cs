using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Nguyen;

/// <summary>
/// N-3.2 (Lemma 3.2): under Assumption 3.1, rank Ψ(U) = N for almost every U. Certified by one point (notes §1.2):
/// a rigorously non-singular N×N minor of Ψ at U0 makes det Ψ_S a non-zero analytic function of U, whose zero set
/// is null. Two routes to U0: the instance's seeded point, and the proof's own construction (notes §1.3 A3: distinct
/// first-layer projections, one-hot higher layers, each designated unit's bias centring it on "its" sample, and the
/// designated units' scale λ raised until the minor is near-triangular — the paper's eq. (9) bounds the λ needed;
/// here λ is doubled until the interval certificate succeeds, within a budget).
/// </summary>
public class RankOfPsi : Claim
{
    public override string Id => "nguyen.3.2";
    public override string Source => "Nguyen, Mukkamala, Hein (001), Lemma 3.2";
    public override string Statement => "rank Ψ(U) = N for almost every U (Ψ_ik = f_{p_k}(x_i), the units the output reads)";
    public override IReadOnlyList<string> LocusKinds => [SkipNetworks.Kind];
    /// <summary>001's layered DAGs with shared weights: the single-point certificate holds for any wiring; the construction needs plain hidden layers.</summary>
    public override Wiring Accepts => Wiring.General;

    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [NguyenHypotheses.Biases, NguyenHypotheses.OwnBiases, NguyenHypotheses.HiddenInputsOnly, NguyenHypotheses.AnalyticIncreasing,
         NguyenHypotheses.EnoughGoodSkipUnits, NguyenHypotheses.DistinctPatches];

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var seeded = SkipNetworks.Point(c);
        if (Certify(s, seeded, "the seeded point") is { } v) return v;
        foreach (var (theta, lambda) in Construction(s, c.Seed))
            if (Certify(s, theta, $"the construction of the proof (λ = {lambda})") is { } built) return built;
        foreach (var theta in SkipNetworks.SeededPoints(s, c.Seed).Skip(1))
            if (Certify(s, theta, "a further seeded point") is { } found) return found;
        return Verdict.Inconclusive($"no N×N minor of Ψ was proved non-singular at 12 seeded points or along the construction " +
            $"({(s.HasReads || s.IsTied ? "not applicable to DAG or tied wiring" : $"λ up to 2^{MaxDoublings}")}; budget) (instance: {c})");
    }

    protected const int MaxDoublings = 24;

    /// <summary>A certified verdict if Ψ has a rigorously non-singular N×N minor at θ.</summary>
    protected static Verdict? Certify(NetworkSpec s, Rational[] theta, string where)
    {
        var psi = SkipNetworks.PsiEnclosure(s, theta);
        if (SkipNetworks.CertifyFullRowRank(psi) is not { } rank) return null;
        var evidence = new JsonObject
        {
            ["point"] = Evidence.Point(s.Layout, theta),
            ["minorColumns"] = new JsonArray(rank.Columns.Select(j => (JsonNode?)s.OutputSources[j].ToString()).ToArray()),
            ["contraction"] = rank.Beta,
        };
        return Verdict.Certified(
            $"at {where}, the N×N minor of Ψ on units {string.Join(" ", rank.Columns.Select(j => s.OutputSources[j]))} is non-singular " +
            $"(interval enclosure, ‖I − RΨ_S‖∞ ≤ {rank.Beta:G3} < 1); det Ψ_S is analytic in U and not identically 0, so rank Ψ = N off a null set",
            evidence, new FullRankFacts(s.Layout, theta, rank.Columns.Select(j => s.OutputSources[j]).ToArray()));
    }

    /// <summary>Notes §1.3 A3 in floating point (it only proposes U0; the interval certificate decides), for λ = 1, 4, 16, …</summary>
    public static IEnumerable<(Rational[] Theta, long Lambda)> Construction(NetworkSpec s, int seed)
    {
        if (s.HasReads || s.IsTied) yield break; // the steps below set the weights of plain layers
        var layout = s.Layout;
        var skip = s.OutputSources;
        int n = s.SampleCount;
        var designated = Enumerable.Range(0, skip.Length).Where(j => s.HiddenActivations[skip[j].Layer - 1] is SigmoidActivation or Softplus).Take(n).ToArray();
        if (designated.Length < n) yield break;
        // Step 1: first-layer weights with pairwise distinct projections ⟨x_i, u_j⟩ (checked exactly).
        var theta = new Rational[layout.Count];
        Array.Fill(theta, Rational.Zero);
        for (int u = 0; u < s.Widths[1]; u++)
        {
            Rational[]? w = null;
            for (int attempt = 0; attempt < 50 && w is null; attempt++)
            {
                var candidate = SeededRationals.Draw(s.InputWidth, seed * 7919 + u * 101 + attempt);
                var projections = s.X.Select(x => x.Zip(candidate, (a, b) => a * b).Aggregate(Rational.Zero, (p, q) => p + q)).ToArray();
                if (projections.Distinct().Count() == n) w = candidate;
            }
            if (w is null) yield break;
            for (int j = 0; j < s.InputWidth; j++) theta[layout.Weight(1, u, j)] = w[j];
        }
        // Step 2: a higher unit reads one unit of the layer below, preferring one the output does not read (case b's path).
        for (int k = 2; k < s.Depth; k++)
        {
            int chain = Enumerable.Range(0, s.Widths[k - 1]).FirstOrDefault(u => !skip.Contains(new HiddenUnit(k - 1, u)), 0);
            for (int u = 0; u < s.Widths[k]; u++) theta[layout.Weight(k, u, chain)] = 1;
        }
        for (long lambda = 1, step = 0; step <= MaxDoublings; step += 2, lambda *= 4)
        {
            var scaled = (Rational[])theta.Clone();
            var owner = new int[n];
            var assigned = new bool[n];
            // Layer by layer: the designated units' unbiased pre-activations g_j(x_i) (double), the greedy relabelling
            // π(j) = argmax over unassigned samples of g_j, then weights × λ and bias μ − λ g_j(x_π(j)) with μ = 0.
            for (int k = 1; k < s.Depth; k++)
                foreach (int j in designated.Where(j => skip[j].Layer == k))
                {
                    var g = Unbiased(s, scaled, skip[j]);
                    int best = Enumerable.Range(0, n).Where(i => !assigned[i]).MaxBy(i => g[i]);
                    assigned[best] = true;
                    owner[Array.IndexOf(designated, j)] = best;
                    for (int q = 0; q < s.Widths[k - 1]; q++)
                    {
                        int p = layout.Weight(k, skip[j].Unit, q);
                        scaled[p] = theta[p] * lambda;
                    }
                    scaled[layout.BiasIndex(k, skip[j].Unit)] = Rational.FromDouble(-lambda * g[best]);
                }
            yield return (scaled, lambda);
        }
    }

    /// <summary>g(x_i) = Σ_q w_q f_q(x_i), a unit's pre-activation without its bias, for every sample (double): the forward pass with that bias at 0.</summary>
    private static double[] Unbiased(NetworkSpec s, Rational[] theta, HiddenUnit unit)
    {
        var values = theta.Select(Scalars.F64.FromRational).ToArray();
        values[s.Layout.BiasIndex(unit.Layer, unit.Unit)] = Scalars.F64.Zero;
        var (z, _) = SkipFeatures.Forward(s, values, unit.Layer);
        return z.Select(sample => sample[unit.Layer][unit.Unit].Value).ToArray();
    }

    /// <remarks>
    /// Drawn until Assumption 3.1 holds (about one in four draws), so trials test the lemma, not its hypotheses; one
    /// draw in five is a small convolutional DAG (shared weights, own biases, no border patch), certified at the
    /// seeded point only (the construction sets the weights of plain layers).
    /// </remarks>
    public override Gen<ClaimInstance> Generator => SkipNetworks.Instances(Id, Gen.Frequency(
        (4, LemmaSpecs),
        (1, SkipNetworks.ConvolutionSpecs(Gen.Elements<Activation>(Activation.Sigmoid, Activation.Tanh), Gen.Constant(false), border: false)
            .Where(s => Hypothesis.FirstBroken(Lemma.Hypotheses, s) is null))));

    public static Gen<NetworkSpec> LemmaSpecs =>
        SkipNetworks.Specs(Gen.Elements<Activation>(Activation.Sigmoid, Activation.Sigmoid, new Softplus(2), Activation.Tanh), maxSamples: 6)
            .Where(s => Hypothesis.FirstBroken(Lemma.Hypotheses, s) is null);

    private static readonly RankOfPsi Lemma = new();

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance instance) => SkipNetworks.ShrinkInstance(instance);
}

/// <summary>The point and the minor's units; the checker recomputes Ψ_S in intervals and proves it non-singular itself.</summary>
public sealed record FullRankFacts(ParameterLayout Layout, Rational[] Point, HiddenUnit[] MinorUnits) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["point"] = Evidence.Point(Layout, Point),
        ["minorUnits"] = new JsonArray(MinorUnits.Select(u => (JsonNode?)new JsonArray(u.Layer, u.Unit)).ToArray()),
    };
}
