using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Claims.Nguyen;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using Interval = VerifyLandscape.Intervals.Interval;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>
/// G-nh-3.5 (Nguyen–Hein 2017, Lemma 3.5, as the essay tells it): F_0 = X, F_l = σ(W_lF_{l−1} + b_l1ᵀ) for l &lt; H, a
/// linear output F_H, L = ½‖F_H − Y‖²_F. If σ' &gt; 0, rank F_k = N and W_l has full row rank for l = k+2..H, then
/// ∇_{W_{k+1}}L = 0 ⇒ L = 0. The proof is linear in the residual E = F_H − Y at a fixed point θ:
///   ∇_{W_{k+1}}L = Δ_{k+1}F_kᵀ,  Δ_H = E,  Δ_l = σ'(Z_l) ⊙ (W_{l+1}ᵀΔ_{l+1}),
/// so ∇_{W_{k+1}}L = T_θ E with T_θ independent of Y. At a point where the hypotheses hold, T_θ of full column rank is the
/// lemma's conclusion for every Y at once (∇ = 0 ⇒ E = 0 ⇒ L = 0), and σ_min(T_θ) is its quantitative form.
/// </summary>
public static class GradientLemma
{
    public static readonly Hypothesis Increasing = Hypothesis.OnSpec("σ' > 0 and smooth (sigmoid, tanh, softplus)",
        s => s.HiddenActivations.FirstOrDefault(a => a is not (SigmoidActivation or TanhActivation or Softplus)) is { } a ? $"σ is {a.Name}" : null);

    public static IReadOnlyList<Hypothesis> Network(Hypothesis sigma, Hypothesis layer) =>
        [SettingHypotheses.Biases("Nguyen–Hein's layers have biases"), sigma, SettingHypotheses.AffineOutput, SettingHypotheses.Loss(LossKind.HalfSse),
         SettingHypotheses.NoWeightDecay, WideLayerRank.DistinctInputs, layer];

    /// <summary>
    /// The largest k ≤ maxK with d_k ≥ N (rank X = N when k = 0: F_0 = X does not depend on θ) and, when
    /// <paramref name="narrowingAbove"/>, d_l ≤ d_{l−1} for l = k+2..H; or null.
    /// </summary>
    public static int? Layer(NetworkSpec s, int maxK, bool narrowingAbove)
    {
        for (int k = maxK; k >= 0; k--)
            if (s.Widths[k] >= s.SampleCount && (k > 0 || ExactLinearAlgebra.Rank(LinearChains.Columns(s.X)) == s.SampleCount) && (!narrowingAbove || Enumerable.Range(k + 2, Math.Max(0, s.Depth - k - 1)).All(l => s.Widths[l] <= s.Widths[l - 1])))
                return k;
        return null;
    }

    /// <summary>F_k as N × d_k intervals (rows: samples), and the pre-activations Z_l of every layer, at θ.</summary>
    public static (Interval[,] F, Interval[][][] Z) Features(NetworkSpec s, IReadOnlyList<Rational> theta, int k)
    {
        var (z, a) = SkipFeatures.Forward(s, theta.Select(Interval.FromRational).ToArray(), s.Depth);
        var f = new Interval[s.SampleCount, s.Widths[k]];
        for (int i = 0; i < s.SampleCount; i++) for (int j = 0; j < s.Widths[k]; j++) f[i, j] = a[i][k][j];
        return (f, z);
    }

    /// <summary>
    /// T_θᵀ as a (d_H·N) × (d_{k+1}·d_k) interval matrix: row (o, i) is ∇_{W_{k+1}}L for the residual E = e_o e_iᵀ,
    /// entry (u, j) = δ_{k+1}[u]·F_k[i, j] with δ_H = e_o and δ_l = σ'(z_l(x_i)) ⊙ W_{l+1}ᵀδ_{l+1}.
    /// </summary>
    public static Interval[,] ResidualToGradient(NetworkSpec s, IReadOnlyList<Rational> theta, int k, Interval[,] f, Interval[][][] z)
    {
        int depth = s.Depth, n = s.SampleCount, m = s.OutputWidth, rows = s.Widths[k + 1], cols = s.Widths[k];
        var t = new Interval[m * n, rows * cols];
        for (int o = 0; o < m; o++)
            for (int i = 0; i < n; i++)
            {
                var delta = Enumerable.Range(0, m).Select(q => q == o ? Interval.FromRational(1) : Interval.FromRational(0)).ToArray();
                for (int l = depth - 1; l >= k + 1; l--)
                {
                    var sigma = s.ActivationOf(l);
                    var below = new Interval[s.Widths[l]];
                    for (int u = 0; u < below.Length; u++)
                    {
                        var sum = Interval.FromRational(0);
                        for (int q = 0; q < delta.Length; q++) sum += Interval.FromRational(theta[s.Layout.Weight(l + 1, q, u)]) * delta[q];
                        below[u] = sigma.Apply(z[i][l][u], $"layer {l} unit {u}, sample {i}").First * sum;
                    }
                    delta = below;
                }
                for (int u = 0; u < rows; u++) for (int j = 0; j < cols; j++) t[o * n + i, u * cols + j] = delta[u] * f[i, j];
            }
        return t;
    }

    /// <summary>Layers l = k+2..H whose W_l (exact) has rank below d_l, or none.</summary>
    public static int[] RowRankDeficient(NetworkSpec s, IReadOnlyList<Rational> theta, int k)
    {
        var w = LinearChains.Weights(s, theta);
        return Enumerable.Range(k + 2, Math.Max(0, s.Depth - k - 1)).Where(l => ExactLinearAlgebra.Rank(w[l]) < s.Widths[l]).ToArray();
    }

    /// <summary>Networks [d_0, …, m] with biases, N = 1..3 distinct inputs, hidden widths around N (some layers narrowing above).</summary>
    public static Gen<NetworkSpec> Specs(Gen<Activation> sigma) =>
        from n in Gen.Choose(1, 3)
        from d in Gen.Choose(1, 2)
        from depth in Gen.Choose(2, 3)
        from hidden in Gen.ArrayOf(Gen.Choose(1, n + 1), depth - 1)
        from m in Gen.Choose(1, 2)
        from xs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-3, 3).Select(v => (Rational)v), d), n)
        from ys in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-3, 3).Select(v => (Rational)v), m), n)
        from act in sigma
        let x = xs.DistinctBy(r => string.Join(",", r)).ToArray()
        select new NetworkSpec
        {
            Widths = [d, .. hidden.Select((w, l) => l == 0 ? Math.Max(w, x.Length) : w), m], HiddenActivations = Enumerable.Repeat(act, depth - 1).ToArray(),
            OutputActivation = Activation.Identity, Bias = true, Loss = LossKind.HalfSse, WeightDecay = Rational.Zero, X = x, Y = ys.Take(x.Length).ToArray(),
        };

    public static IEnumerable<ClaimInstance> Shrink(ClaimInstance c)
    {
        var s = c.Spec;
        var smaller = SmallerNetworks.WithoutEachSample(s).Concat(SmallerNetworks.WithoutLastHiddenLayer(s)).Concat(SmallerNetworks.InputsTowardsSign(s));
        for (int k = 1; k <= s.Depth; k++)
            if (s.Widths[k] > 1)
                smaller = smaller.Append(k == s.Depth ? s.With(widths: [.. s.Widths[..^1], s.Widths[^1] - 1], y: s.Y.Select(r => r[..^1]).ToArray())
                    : s.With(widths: s.Widths.Select((w, j) => j == k ? w - 1 : w).ToArray()));
        return smaller.Select(spec => c with { Spec = spec });
    }

    public static Gen<ClaimInstance> Instances(string id, Gen<Activation> sigma) =>
        from s in Specs(sigma)
        from seed in Gen.Choose(1, 100_000)
        select new ClaimInstance(id, s, [seed], Construction: "random");
}

/// <summary>
/// golikov.nh35 at a seeded point (the first of 12 where the hypotheses are proved): W_l of full row rank (exact rank),
/// rank F_k = N (a non-singular N×N minor, intervals), σ' &gt; 0 (the activation); then T_θ has full column rank (a
/// non-singular minor of T_θᵀ, intervals), so at this point ∇_{W_{k+1}}L = 0 ⇒ L = 0 for every target Y.
/// </summary>
public sealed class GradientLemmaClaim : Claim
{
    public override string Id => "golikov.nh35";
    public override string Source => "Golikov (003), §2.1: Nguyen & Hein (2017), Lemma 3.5";
    public override string Statement => "σ' > 0, rank F_k = N, W_l of full row rank for l ≥ k+2: ∇_{W_{k+1}}L = 0 ⇒ L = 0 (at the point, for every Y)";
    public override IReadOnlyList<string> LocusKinds => ["random"];
    public override IReadOnlyList<Hypothesis> Hypotheses => GradientLemma.Network(GradientLemma.Increasing,
        Hypothesis.OnSpec("a layer k with d_k ≥ N and d_H ≤ … ≤ d_{k+1} above it", s => GradientLemma.Layer(s, s.Depth - 1, narrowingAbove: true) is null ? "no such layer" : null));

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        int k = GradientLemma.Layer(s, s.Depth - 1, narrowingAbove: true)!.Value;
        foreach (var theta in SkipNetworks.SeededPoints(s, c.Seed))
        {
            if (GradientLemma.RowRankDeficient(s, theta, k).Length > 0) continue;
            var (f, z) = GradientLemma.Features(s, theta, k);
            if (SkipNetworks.CertifyFullRowRank(f) is not { } features) continue;
            var t = GradientLemma.ResidualToGradient(s, theta, k, f, z);
            if (SkipNetworks.CertifyFullRowRank(t) is not { } injective) continue;
            double bound = IntervalLinearAlgebra.SmallestSingularValueLowerBound(IntervalLinearAlgebra.Columns(t, injective.Columns));
            return Verdict.Certified($"at a seeded point, k = {k}: W_l has full row rank for l ≥ k+2 (exact), rank F_{k} = N (minor on units {string.Join(" ", features.Columns)}, intervals), " +
                $"σ' > 0; the map E ↦ ∇_{{W_{k + 1}}}L is injective (a non-singular minor of T_θ, ‖I − RT_S‖∞ ≤ {injective.Beta:G3}), so ∇_{{W_{k + 1}}}L = 0 forces F_H = Y, " +
                $"L = 0, for every Y; quantitatively ‖∇_{{W_{k + 1}}}L‖_F ≥ {bound:G3}·‖F_H − Y‖_F",
                new JsonObject { ["k"] = k, ["point"] = Evidence.Point(s.Layout, theta), ["sigmaMinLowerBound"] = bound },
                new GradientLemmaFacts(s.Layout, theta, k, features.Columns, injective.Columns));
        }
        return Verdict.Inconclusive($"no seeded point where W_l (l ≥ k+2) has full row rank and rank F_{k} = N and T_θ is injective were all proved (instance: {c})");
    }

    public override Gen<ClaimInstance> Generator => GradientLemma.Instances(Id, Gen.Elements<Activation>(Activation.Sigmoid, Activation.Tanh, new Softplus(1)));
    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => GradientLemma.Shrink(c);
}

/// <summary>
/// golikov.nh35 without the full-row-rank hypothesis, known false: W_{k+2} = 0 at an otherwise seeded point makes
/// every path from W_{k+1} to the output pass through a zero matrix, so ∇_{W_{k+1}}L = 0 exactly, while F_H no longer
/// depends on x and L &gt; 0 (intervals) when the targets differ; rank F_k = N still holds (intervals).
/// </summary>
public sealed class GradientLemmaRankDropped : Claim
{
    public override string Id => "golikov.nh35-rank-dropped";
    public override string Source => "Golikov (003), §2.1: Nguyen & Hein's Lemma 3.5 without full row rank (notes §3.2)";
    public override string Statement => "σ' > 0, rank F_k = N (no condition on W_l above): ∇_{W_{k+1}}L = 0 ⇒ L = 0";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => ["random"];
    public override IReadOnlyList<Hypothesis> Hypotheses => GradientLemma.Network(GradientLemma.Increasing,
        Hypothesis.OnSpec("a layer k ≤ H − 2 with d_k ≥ N", s => GradientLemma.Layer(s, s.Depth - 2, narrowingAbove: false) is null ? "no such layer" : null));

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        int k = GradientLemma.Layer(s, s.Depth - 2, narrowingAbove: false)!.Value;
        foreach (var seeded in SkipNetworks.SeededPoints(s, c.Seed))
        {
            var theta = ZeroLayer(s, seeded, k + 2);
            var (f, _) = GradientLemma.Features(s, theta, k);
            if (SkipNetworks.CertifyFullRowRank(f) is not { } features) continue;
            var loss = Loss.Evaluate(s, theta.Select(Interval.FromRational).ToArray());
            if (loss.Lo <= 0) continue;
            return Verdict.Refuted($"W_{k + 2} = 0 at the point: ∇_{{W_{k + 1}}}L = 0 exactly (every path from W_{k + 1} passes through W_{k + 2}), rank F_{k} = N " +
                $"(minor on units {string.Join(" ", features.Columns)}, intervals), yet L ∈ {loss} > 0",
                new JsonObject { ["k"] = k, ["point"] = Evidence.Point(s.Layout, theta), ["loss"] = loss.ToString() },
                new GradientLemmaFacts(s.Layout, theta, k, features.Columns, []));
        }
        return Verdict.Inconclusive($"no seeded point with rank F_{k} = N proved and L > 0 (instance: {c})");
    }

    /// <summary>The point with W_l set to 0.</summary>
    public static Rational[] ZeroLayer(NetworkSpec s, Rational[] theta, int l)
    {
        var copy = (Rational[])theta.Clone();
        for (int u = 0; u < s.Widths[l]; u++) for (int j = 0; j < s.Widths[l - 1]; j++) copy[s.Layout.Weight(l, u, j)] = 0;
        return copy;
    }

    public override Gen<ClaimInstance> Generator => GradientLemma.Instances(Id, Gen.Elements<Activation>(Activation.Sigmoid, Activation.Tanh, new Softplus(1)));
    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => GradientLemma.Shrink(c);
}

/// <summary>
/// golikov.nh35 with relu (σ' = 0 on dead units), known false: at a seeded point with the biases of layer k+1 set below
/// every pre-activation, every unit of layer k+1 is dead, so Δ_{k+1} = 0 and ∇_{W_{k+1}}L = 0 exactly, while rank F_k = N
/// and the W_l above have full row rank (exact) and L &gt; 0 (exact).
/// </summary>
public sealed class GradientLemmaRelu : Claim
{
    public override string Id => "golikov.nh35-relu";
    public override string Source => "Golikov (003), §2.1: Nguyen & Hein's Lemma 3.5 with relu (notes §3.2)";
    public override string Statement => "σ = relu, rank F_k = N, W_l of full row rank for l ≥ k+2: ∇_{W_{k+1}}L = 0 ⇒ L = 0";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => ["random"];
    public override IReadOnlyList<Hypothesis> Hypotheses => GradientLemma.Network(SettingHypotheses.Relu,
        Hypothesis.OnSpec("a layer k ≤ H − 2 with d_k ≥ N and d_H ≤ … ≤ d_{k+1} above it", s => GradientLemma.Layer(s, s.Depth - 2, narrowingAbove: true) is null ? "no such layer" : null));

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        int k = GradientLemma.Layer(s, s.Depth - 2, narrowingAbove: true)!.Value;
        // 128 independent draws: a relu layer below k+1 is all dead at a draw with probability 2^(−width), and scaling a draw does not revive it.
        foreach (var seeded in Enumerable.Range(0, 128).Select(j => SeededRationals.Draw(s.ParameterCount, c.Seed + j * 1_000_003)))
        {
            var theta = WideLayerRankRelu.DeadLayer(s, seeded, k + 1);
            if (GradientLemma.RowRankDeficient(s, theta, k).Length > 0) continue;
            var (_, a) = SkipFeatures.Forward(s, theta, k, valuesAtKinks: true);
            var f = new Rational[s.SampleCount, s.Widths[k]];
            for (int i = 0; i < s.SampleCount; i++) for (int j = 0; j < s.Widths[k]; j++) f[i, j] = a[i][k][j];
            if (ExactLinearAlgebra.Rank(f) < s.SampleCount) continue;
            NetworkDerivatives<Rational> d;
            try { d = new NetworkDerivatives<Rational>(s, theta); }
            catch (Scalars.NonSmoothPointException) { continue; }
            if (d.Loss.IsZero || Enumerable.Range(0, s.Widths[k + 1]).Any(u => Enumerable.Range(0, s.Widths[k]).Any(j => !d.Gradient[s.Layout.Weight(k + 1, u, j)].IsZero))) continue;
            return Verdict.Refuted($"every unit of layer {k + 1} is dead at the point (biases below every pre-activation), so ∇_{{W_{k + 1}}}L = 0 exactly; " +
                $"rank F_{k} = N and W_l has full row rank for l ≥ {k + 2} (exact), yet L = {d.Loss} > 0",
                new JsonObject { ["k"] = k, ["point"] = Evidence.Point(s.Layout, theta), ["loss"] = d.Loss.ToString() },
                new GradientLemmaFacts(s.Layout, theta, k, [], []));
        }
        return Verdict.Inconclusive($"no seeded point with rank F_{k} = N, full row rank above, a smooth point and L > 0 (instance: {c})");
    }

    public override Gen<ClaimInstance> Generator => GradientLemma.Instances(Id, Gen.Constant(Activation.Relu));
    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => GradientLemma.Shrink(c);
}

/// <summary>The point, the layer k, the N units of F_k's minor and the columns of T_θᵀ's minor (each empty where the verdict needs none).</summary>
public sealed record GradientLemmaFacts(ParameterLayout Layout, Rational[] Point, int K, int[] FeatureColumns, int[] GradientColumns) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["point"] = Evidence.Point(Layout, Point),
        ["k"] = K,
        ["featureColumns"] = new JsonArray(FeatureColumns.Select(v => (JsonNode?)v).ToArray()),
        ["gradientColumns"] = new JsonArray(GradientColumns.Select(v => (JsonNode?)v).ToArray()),
    };
}
