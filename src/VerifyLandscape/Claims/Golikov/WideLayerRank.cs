using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Claims.Nguyen;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>
/// G-wide (Nguyen–Hein 2017, Lemma 4.4, which the essay credits): a layer of width ≥ N, distinct inputs, σ analytic
/// and strictly increasing (sigmoid, tanh, softplus) ⇒ the features F_k at that layer have rank N for almost every
/// (W_l, b_l)_{l≤k}. The layer is the network's last hidden one (F_k does not depend on the layers above it). Three
/// claims: with biases (true; one rigorously non-singular N×N minor of F_k at one point makes det an analytic function
/// that is not identically 0, as for nguyen.3.2), without biases (the essay's wording, known false), with relu (false).
/// </summary>
public abstract class WideLayerRank : Claim
{
    public const string Kind = "random";
    public override string Source => "Golikov (003), §2.1: Nguyen & Hein (2017), Lemma 4.4";
    public override IReadOnlyList<string> LocusKinds => [Kind];
    protected abstract bool WithBias { get; }
    protected abstract Gen<Activation> Activations { get; }

    public static readonly Hypothesis WideLastLayer = Hypothesis.OnSpec("the last hidden layer has width ≥ N",
        s => s.Depth < 2 ? "no hidden layer" : s.Widths[^2] >= s.SampleCount ? null : $"the last hidden layer has {s.Widths[^2]} units, N = {s.SampleCount}");
    public static readonly Hypothesis DistinctInputs = Hypothesis.OnSpec("distinct inputs",
        s => NguyenHypotheses.DuplicatePair(s) is { } p ? $"x_{p.I} = x_{p.J}" : null);
    public static readonly Hypothesis AnalyticIncreasing = Hypothesis.OnSpec("σ analytic, strictly increasing, not a polynomial (sigmoid, tanh, softplus)",
        s => s.HiddenActivations.FirstOrDefault(a => a is not (SigmoidActivation or TanhActivation or Softplus)) is { } a ? $"σ is {a.Name}" : null);

    /// <summary>A certified verdict from a non-singular N×N minor of F_k at one of 12 seeded points, or null.</summary>
    protected static Verdict? CertifyAtSomePoint(NetworkSpec s, int seed)
    {
        foreach (var theta in SkipNetworks.SeededPoints(s, seed))
        {
            if (SkipNetworks.CertifyFullRowRank(SkipNetworks.PsiEnclosure(s, theta)) is not { } rank) continue;
            var units = rank.Columns.Select(j => s.OutputSources[j]).ToArray();
            return Verdict.Certified($"at a seeded point the N×N minor of F_{s.Depth - 1} on units {string.Join(" ", units)} is non-singular " +
                $"(intervals, ‖I − RF_S‖∞ ≤ {rank.Beta:G3} < 1); det F_S is analytic in the weights and not identically 0, so rank F = N almost everywhere",
                new JsonObject { ["point"] = Evidence.Point(s.Layout, theta) }, new FullRankFacts(s.Layout, theta, units));
        }
        return null;
    }

    /// <summary>Plain networks [d, n_1, …, n_k, 1] with the last hidden width ≥ N, small integer inputs (sometimes an antipode or 0 added).</summary>
    public override Gen<ClaimInstance> Generator =>
        from d in Gen.Choose(1, 2)
        from n in Gen.Choose(1, 3)
        from xs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-3, 3).Select(v => (Rational)v), d), n)
        from extra in Gen.Choose(0, 3)
        let x = (extra switch { 1 => [.. xs, xs[0].Select(v => -v).ToArray()], 2 => [.. xs, xs[0].Select(v => -v).ToArray(), new Rational[d]], _ => xs })
            .DistinctBy(r => string.Join(",", r)).ToArray()
        from sigma in Activations
        from depth in Gen.Choose(2, 3)
        from slack in Gen.Choose(0, 1)
        from seed in Gen.Choose(1, 100_000)
        let width = x.Length + slack
        select new ClaimInstance(Id, new NetworkSpec
        {
            Widths = depth == 2 ? [d, width, 1] : [d, width, width, 1], HiddenActivations = Enumerable.Repeat(sigma, depth - 1).ToArray(),
            OutputActivation = Activation.Identity, Bias = WithBias, Loss = LossKind.Sse, WeightDecay = Rational.Zero, X = x, Y = x.Select(_ => new[] { Rational.Zero }).ToArray(),
        }, [seed], Construction: Kind);

    /// <summary>Fewer samples (and the width with them), a shallower network, inputs towards 0 and ±1.</summary>
    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c)
    {
        var s = c.Spec;
        IEnumerable<NetworkSpec> narrowest = s.Widths[^2] > s.SampleCount ? [s.With(widths: s.Widths.Select((w, k) => k == s.Depth - 1 ? s.SampleCount : w).ToArray())] : [];
        return SmallerNetworks.WithoutEachSample(s).Concat(SmallerNetworks.WithoutLastHiddenLayer(s)).Concat(narrowest)
            .Concat(SmallerNetworks.InputsTowardsSign(s)).Select(smaller => c with { Spec = smaller });
    }
}

public sealed class WideLayerRankWithBiases : WideLayerRank
{
    public override string Id => "golikov.wide";
    public override string Statement => "with biases: a layer of width ≥ N, distinct inputs, σ analytic and strictly increasing ⇒ rank F_k = N for almost every (W_l, b_l)_{l≤k}";
    public override IReadOnlyList<Hypothesis> Hypotheses => [SettingHypotheses.Biases("Nguyen–Hein's networks have biases"), AnalyticIncreasing, WideLastLayer, DistinctInputs];
    protected override bool WithBias => true;
    protected override Gen<Activation> Activations => Gen.Elements<Activation>(Activation.Sigmoid, Activation.Tanh, new Softplus(1));

    protected override Verdict Decide(ClaimInstance c) => CertifyAtSomePoint(c.Spec, c.Seed)
        ?? Verdict.Inconclusive($"no N×N minor of F_k was proved non-singular at 12 seeded points (instance: {c})");
}

/// <summary>
/// The essay's wording (no biases), known false (notes §3.2): the identities hold for every W, so rank F_k &lt; N everywhere.
///   odd σ (tanh), x_j = −x_i: F_k(x_j) = −F_k(x_i) at every layer (bias-free layers of an odd σ are odd); x_i = 0: F_k(0) = 0.
///   σ(t) + σ(−t) = 1 = 2σ(0) (sigmoid), first hidden layer, x_j = −x_i and x_l = 0: F_1(x_i) + F_1(x_j) − 2F_1(x_l) = 0;
///   the same with two antipodal pairs: F_1(x_i) + F_1(x_j) − F_1(x_k) − F_1(x_l) = 0.
/// Instances without such inputs are certified like golikov.wide (one non-singular minor).
/// </summary>
public sealed class WideLayerRankWithoutBiases : WideLayerRank
{
    public override string Id => "golikov.wide-no-bias";
    public override string Source => "Golikov (003), §2.1, as the essay writes it (no biases)";
    public override string Statement => "no biases: a layer of width ≥ N, distinct inputs, σ analytic and strictly increasing ⇒ rank F_k = N for almost every W";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<Hypothesis> Hypotheses => [SettingHypotheses.NoBiases, AnalyticIncreasing, WideLastLayer, DistinctInputs];
    protected override bool WithBias => false;
    protected override Gen<Activation> Activations => Gen.Elements<Activation>(Activation.Sigmoid, Activation.Tanh, new Softplus(1));

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        if (Identity(s) is { } dependence)
            return Verdict.Refuted($"{dependence.Why}: Σ c_i F_{s.Depth - 1}(x_i) = 0 for every W with c = ({string.Join(", ", dependence.C)}), so rank F ≤ N − 1 < N everywhere",
                new JsonObject { ["kind"] = dependence.Kind, ["c"] = new JsonArray(dependence.C.Select(v => (JsonNode?)v).ToArray()) },
                new RankIdentityFacts(dependence.Kind, dependence.C));
        return CertifyAtSomePoint(s, c.Seed) ?? Verdict.Inconclusive($"no identity among the inputs and no non-singular minor at 12 seeded points (instance: {c})");
    }

    public sealed record Dependence(string Kind, int[] C, string Why);

    /// <summary>An exact linear dependence of F_k's columns that holds for every W, from the inputs' symmetry, or null.</summary>
    public static Dependence? Identity(NetworkSpec s)
    {
        var x = s.X;
        int n = x.Length;
        int[] Unit(params (int I, int V)[] entries) { var c = new int[n]; foreach (var (i, v) in entries) c[i] += v; return c; }
        bool odd = s.HiddenActivations.All(a => a is TanhActivation);
        int zero = Array.FindIndex(x, r => r.All(v => v.IsZero));
        if (odd && zero >= 0) return new("odd-zero", Unit((zero, 1)), $"σ = tanh is odd and x_{zero} = 0, so F(x_{zero}) = 0");
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                if (!x[i].Zip(x[j]).All(p => p.First == -p.Second)) continue;
                if (odd) return new("odd-pair", Unit((i, 1), (j, 1)), $"σ = tanh is odd and x_{j} = −x_{i}, so F(x_{j}) = −F(x_{i})");
                if (s.Depth == 2 && zero >= 0 && s.HiddenActivations[0] is SigmoidActivation)
                    return new("sigmoid-layer1", Unit((i, 1), (j, 1), (zero, -2)), $"σ(t) + σ(−t) = 1 = 2σ(0) on the first layer, x_{j} = −x_{i} and x_{zero} = 0");
                if (s.Depth == 2 && s.HiddenActivations[0] is SigmoidActivation)
                    for (int k = i + 1; k < n; k++)
                        for (int l = k + 1; l < n; l++)
                            if (k != j && l != j && x[k].Zip(x[l]).All(p => p.First == -p.Second))
                                return new("sigmoid-two-pairs", Unit((i, 1), (j, 1), (k, -1), (l, -1)),
                                    $"σ(t) + σ(−t) = 1 on the first layer and two antipodal pairs x_{j} = −x_{i}, x_{l} = −x_{k}: F(x_{i}) + F(x_{j}) = 1 = F(x_{k}) + F(x_{l})");
            }
        return null;
    }
}

/// <summary>
/// golikov.wide with relu (the essay: "the proven statement is false for ReLU"), known false: with b_l = −(1 + max_i |W_l F_{l−1}(x_i)|)
/// every unit is dead on every sample, on an open set of parameters around that point, so F_k = 0 there: rank 0 &lt; N
/// on a set of positive measure.
/// </summary>
public sealed class WideLayerRankRelu : WideLayerRank
{
    public override string Id => "golikov.wide-relu";
    public override string Source => "Golikov (003), §2.1 (the essay notes the lemma fails for relu)";
    public override string Statement => "relu, with biases: a layer of width ≥ N, distinct inputs ⇒ rank F_k = N for almost every (W_l, b_l)";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [SettingHypotheses.Biases("the dead-unit construction sets biases"),
         SettingHypotheses.Relu, WideLastLayer, DistinctInputs];
    protected override bool WithBias => true;
    protected override Gen<Activation> Activations => Gen.Constant(Activation.Relu);

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var theta = DeadPoint(s, SeededRationals.Draw(s.ParameterCount, c.Seed));
        return Verdict.Refuted("every hidden pre-activation is ≤ −1 at this point (biases set below every W_l F_{l−1}(x_i)), so on the open set where " +
            "they stay negative every unit is dead and F_k = 0: rank 0 < N on a set of positive measure",
            new JsonObject { ["point"] = Evidence.Point(s.Layout, theta) }, new RankIdentityFacts("dead-relu", [], s.Layout, theta));
    }

    /// <summary>The seeded weights with every hidden layer made dead in turn (<see cref="DeadLayer"/>), from layer 1 up.</summary>
    public static Rational[] DeadPoint(NetworkSpec s, Rational[] seeded)
    {
        var theta = seeded;
        for (int k = 1; k < s.Depth; k++) theta = DeadLayer(s, theta, k);
        return theta;
    }

    /// <summary>
    /// The point with each bias of layer l set to −(1 + max_i |W_l F_{l−1}(x_i)|) (exact: relu values are rational), so
    /// every pre-activation of layer l is ≤ −1 on every sample: the layer is dead on an open set around the point.
    /// </summary>
    public static Rational[] DeadLayer(NetworkSpec s, Rational[] theta, int l)
    {
        var copy = (Rational[])theta.Clone();
        var (_, a) = SkipFeatures.Forward(s, copy, l - 1, valuesAtKinks: true);
        for (int u = 0; u < s.Widths[l]; u++)
        {
            var z = a.Select(ai => Enumerable.Range(0, s.Widths[l - 1]).Aggregate(Rational.Zero, (acc, j) => acc + copy[s.Layout.Weight(l, u, j)] * ai[l - 1][j]));
            copy[s.Layout.BiasIndex(l, u)] = -(1 + z.Max(v => v.Abs()));
        }
        return copy;
    }
}

/// <summary>The identity's kind and coefficients (golikov.wide-no-bias), or the dead point (golikov.wide-relu).</summary>
public sealed record RankIdentityFacts(string Kind, int[] C, ParameterLayout? Layout = null, Rational[]? Point = null) : CertificateFacts
{
    public override JsonObject ToJson()
    {
        var o = new JsonObject { ["kind"] = Kind };
        if (C.Length > 0) o["c"] = new JsonArray(C.Select(v => (JsonNode?)v).ToArray());
        if (Layout is not null && Point is not null) o["point"] = Evidence.Point(Layout, Point);
        return o;
    }
}
