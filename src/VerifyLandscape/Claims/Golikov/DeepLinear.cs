using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>
/// Lu and Kawaguchi's deep linear networks as Golikov's essay (003, §2.1) states them: F(W) = ½‖Y − W_H⋯W_1 X‖²_F, no
/// biases, no penalty, X of full row rank. The global minimum is ½(‖Y‖²_F − Σ_{i≤d_p} λ_i(K)), K = YXᵀ(XXᵀ)⁻¹XYᵀ (the
/// σ_i² of M = YXᵀ(XXᵀ)^{−1/2}), d_p the smallest width, input and output included (Eckart–Young on the rank-d_p
/// product). The origin is critical, and along W_1 = εe_1e_qᵀ, W_k = εe_1e_1ᵀ, W_H = ±εe_pe_1ᵀ (product R = ±ε^H e_pe_qᵀ)
///   F(εd) = F(0) − ε^H ⟨YXᵀ, R⟩ + ½ ε^{2H} ‖RX‖²,
/// a descent of order H: for H ≥ 3 the Hessian at 0 is zero, the trap for Hessian-only classifiers.
/// </summary>
public static class DeepLinearSetting
{
    public static readonly Hypothesis Linear = Hypothesis.OnSpec("linear network (identity activations, no biases)",
        s => s.HiddenActivations.Any(a => a is not IdentityActivation) || s.OutputActivation is not IdentityActivation
            ? "some activation is not the identity" : s.Bias ? "the network has biases (Lu–Kawaguchi's have none)" : null);

    public static readonly Hypothesis ReluHidden = Hypothesis.OnSpec("relu hidden layers, identity output, no biases",
        s => s.HiddenActivations.Any(a => !a.IsRelu) ? "some hidden σ is not relu"
            : s.OutputActivation is not IdentityActivation ? $"output activation {s.OutputActivation.Name}" : s.Bias ? "the network has biases" : null);

    public static readonly Hypothesis HalfSse = SettingHypotheses.Loss(LossKind.HalfSse);

    public static readonly Hypothesis FullRowRankX = Hypothesis.OnSpec("X has full row rank (XXᵀ invertible)",
        s => ExactLinearAlgebra.Rank(LinearChains.Columns(s.X)) is var r && r < s.InputWidth ? $"rank X = {r} < d_0 = {s.InputWidth}" : null);

    public static readonly Hypothesis Deep = Hypothesis.OnSpec("H ≥ 2 layers", s => s.Depth >= 2 ? null : "one layer (no hidden layer)");

    public static readonly Hypothesis NonZeroCorrelation = Hypothesis.OnSpec("YXᵀ ≠ 0",
        s => IsZero(LinearChains.Correlation(s)) ? "YXᵀ = 0" : null);

    public static bool IsZero(Rational[,] m) => m.Cast<Rational>().All(v => v.IsZero);

    /// <summary>The direction d with product R = sign(G_pq) e_p e_qᵀ through unit 0 of every hidden layer, (p, q) the largest |G_pq|.</summary>
    public static Rational[] PathDirection(NetworkSpec s, Rational[,] g, out int p, out int q)
    {
        (p, q) = (0, 0);
        for (int i = 0; i < g.GetLength(0); i++)
            for (int j = 0; j < g.GetLength(1); j++)
                if (g[i, j].Abs() > g[p, q].Abs()) (p, q) = (i, j);
        var theta = new Rational[s.ParameterCount];
        theta[s.Layout.Weight(1, 0, q)] = 1;
        for (int k = 2; k < s.Depth; k++) theta[s.Layout.Weight(k, 0, 0)] = 1;
        theta[s.Layout.Weight(s.Depth, p, 0)] = g[p, q].Sign;
        return theta;
    }

    /// <summary>The largest ε in 1, ½, ¼, … with ε^H b &lt; 2a (then −ε^H a + ½ε^{2H} b &lt; 0 for every 0 &lt; ε' ≤ ε).</summary>
    public static Rational DescentScale(Rational a, Rational b, int depth)
    {
        Rational eps = 1;
        while (Rational.Pow(eps, depth) * b >= 2 * a) eps /= 2;
        return eps;
    }

    public static Rational[] Scaled(Rational[] theta, Rational t) => theta.Select(v => v * t).ToArray();

    /// <summary>Networks of depth minDepth–4, widths 1–3, N = d_0 … d_0 + 2 samples, inputs in −3..3, targets in ±1..±3.</summary>
    public static Gen<NetworkSpec> Specs(int minDepth, Gen<Activation> hidden, Gen<Rational> decay, bool positiveFirstInput = false) =>
        from depth in Gen.Choose(minDepth, 4)
        from widths in Gen.ArrayOf(Gen.Choose(1, 3), depth + 1)
        from extra in Gen.Choose(0, 2)
        from xs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-3, 3).Select(v => (Rational)v), widths[0]), widths[0] + extra)
        from ys in Gen.ArrayOf(Gen.ArrayOf(Gen.Elements(-3, -2, -1, 1, 2, 3).Select(v => (Rational)v), widths[^1]), widths[0] + extra)
        from sigma in hidden
        from lambda in decay
        select new NetworkSpec
        {
            Widths = widths, HiddenActivations = Enumerable.Repeat(sigma, depth - 1).ToArray(), OutputActivation = Activation.Identity,
            Bias = false, Loss = LossKind.HalfSse, WeightDecay = lambda, Y = ys,
            X = positiveFirstInput ? xs.Select(r => r.Select((v, j) => j == 0 ? v.Abs() + 1 : v).ToArray()).ToArray() : xs,
        };

    /// <summary>Fewer samples, a hidden layer removed, a width reduced, entries towards their sign (the generic shrinks, kept plain).</summary>
    public static IEnumerable<ClaimInstance> Shrink(ClaimInstance c)
    {
        var s = c.Spec;
        var smaller = SmallerNetworks.WithoutEachSample(s).Concat(SmallerNetworks.InputsTowardsSign(s));
        if (s.Depth > 2) smaller = smaller.Concat([s.With(widths: [.. s.Widths[..^2], s.Widths[^1]], hidden: s.HiddenActivations[..^1])]);
        for (int k = 1; k < s.Depth; k++)
            if (s.Widths[k] > 1) smaller = smaller.Append(s.With(widths: s.Widths.Select((w, j) => j == k ? w - 1 : w).ToArray()));
        return smaller.Select(spec => c with { Spec = spec });
    }
}

/// <summary>
/// G-linear (Lu–Kawaguchi, Thms 2.1–2.3, and the rank-d_p formula): every local minimum of a deep linear net is global,
/// and the global minimum is ½(‖Y‖² − Σ_{i≤d_p} σ_i²(M)). Checked at two kinds of points:
///   origin: a critical point; either YXᵀ = 0 and F(0) = ½‖Y‖² is the formula's minimum exactly, or the path direction
///     descends at order H (exact), so the origin is not a local minimum although for H ≥ 3 its Hessian is zero;
///   trained:SEED: gradient descent from a seeded start, rounded to rationals; F there is exact and lies in
///     [F*, F* + 10⁻⁶(1 + ½‖Y‖²)] with F* the formula's value (enclosed), so the numerically found minimum is global to
///     within that gap and nothing undercuts the formula. A point below F* refutes the formula.
/// </summary>
public sealed class DeepLinearMinimum : Claim
{
    public override string Id => "golikov.linear";
    public override string Source => "Golikov (003), §2.1: Lu & Kawaguchi (2017), Theorems 2.1–2.3";
    public override string Statement => "deep linear net, half-sse, X of full row rank: every local minimum is global, with value ½(‖Y‖² − Σ_{i≤d_p} σ_i²(YXᵀ(XXᵀ)^{−1/2}))";
    public override IReadOnlyList<string> LocusKinds => ["origin", "trained"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [DeepLinearSetting.Linear, DeepLinearSetting.Deep, DeepLinearSetting.HalfSse, SettingHypotheses.NoWeightDecay, DeepLinearSetting.FullRowRankX];

    public static Rational Tolerance(NetworkSpec s) => Rational.Create(1, 1_000_000) * (1 + LinearChains.HalfSquaredTargets(s));

    protected override Verdict Decide(ClaimInstance c) => c.LocusKind == "origin" ? AtOrigin(c.Spec) : Trained(c.Spec, c.Seed);

    private static Verdict AtOrigin(NetworkSpec s)
    {
        var origin = new Rational[s.ParameterCount];
        var d = new NetworkDerivatives<Rational>(s, origin);
        if (d.Gradient.Any(v => !v.IsZero)) return Verdict.Inconclusive("the gradient at the origin is not zero (not a critical point)");
        var min = LinearChains.DeepLinearMinimum(s);
        var g = LinearChains.Correlation(s);
        if (DeepLinearSetting.IsZero(g))
            return Verdict.Certified($"YXᵀ = 0, so K = 0 and the formula's minimum is ½‖Y‖² = F(0) = {d.Loss} exactly: the origin is a global minimum",
                new JsonObject { ["loss"] = d.Loss.ToString() }, new DeepLinearFacts(new JsonObject { ["kind"] = "zero-correlation" }));
        var direction = DeepLinearSetting.PathDirection(s, g, out int p, out int q);
        var (a, b) = (g[p, q].Abs(), s.X.Aggregate(Rational.Zero, (acc, x) => acc + x[q] * x[q]));
        var eps = DeepLinearSetting.DescentScale(a, b, s.Depth);
        var lower = Loss.Evaluate(s, DeepLinearSetting.Scaled(direction, eps));
        if (lower >= d.Loss) return Verdict.Inconclusive($"F(εd) = {lower} is not below F(0) = {d.Loss} (instance: {SpecWriter.ToJson(s).ToJsonString()})");
        bool flat = d.Hessian().Cast<Rational>().All(v => v.IsZero);
        var evidence = new JsonObject
        {
            ["loss"] = d.Loss.ToString(), ["minimum"] = min.ToString(), ["epsilon"] = eps.ToString(), ["lossAlongPath"] = lower.ToString(),
            ["hessianZero"] = flat, ["order"] = s.Depth,
        };
        return Verdict.Certified($"the origin is critical and not a local minimum: with R = W_H⋯W_1 = ±ε^H e_{p}e_{q}ᵀ, F(εd) = F(0) − ε^{s.Depth}·{a} + ½ε^{2 * s.Depth}·{b} < F(0) " +
            $"for 0 < ε ≤ {eps} (F = {lower} at ε = {eps}); F(0) = {d.Loss} > the minimum {min}" +
            (flat ? $"; ∇²F(0) = 0, so only the order-{s.Depth} test shows it" : "; ∇²F(0) ≠ 0 (indefinite)"),
            evidence, new DeepLinearFacts(new JsonObject { ["kind"] = "path-descent", ["direction"] = Evidence.Point(s.Layout, direction), ["epsilon"] = eps.ToString() }));
    }

    private static Verdict Trained(NetworkSpec s, int seed)
    {
        var start = SeededRationals.Draw(s.ParameterCount, seed).Select(v => v.ToDouble() / 4).ToArray();
        var (trained, steps) = LinearGradientDescent.Run(s, start, maxSteps: 20_000);
        var theta = trained.Select(Rational.FromDouble).ToArray();
        var loss = Loss.Evaluate(s, theta);
        var min = LinearChains.DeepLinearMinimum(s);
        var evidence = new JsonObject { ["loss"] = loss.ToDouble(), ["minimum"] = min.ToString(), ["steps"] = steps, ["point"] = Evidence.Point(s.Layout, theta) };
        var facts = new DeepLinearFacts(new JsonObject { ["kind"] = "trained", ["point"] = Evidence.Point(s.Layout, theta) });
        if (loss < min.Lo)
            return Verdict.Refuted($"F = {loss.ToDouble():G17} at the trained point is below the formula's minimum {min}", evidence, facts);
        var gap = loss - min.Lo;
        if (gap > Tolerance(s))
            return Verdict.Inconclusive($"gradient descent stopped {gap.ToDouble():G3} above the formula's minimum {min} after {steps} steps (instance: {SpecWriter.ToJson(s).ToJsonString()}, seed {seed})");
        return Verdict.Certified($"gradient descent ({steps} steps) reached F = {loss.ToDouble():G12}, within {gap.ToDouble():G3} of the formula's minimum {min} " +
            $"(d_p = {min.Bottleneck}, rank K = {min.RankK}) and not below it: the minimum it found is global to within the gap", evidence, facts);
    }

    public override Gen<ClaimInstance> Generator =>
        from s in DeepLinearSetting.Specs(2, Gen.Constant(Activation.Identity), Gen.Constant(Rational.Zero))
        from origin in Gen.Elements(true, false)
        from seed in Gen.Choose(1, 100_000)
        select new ClaimInstance(Id, s, [origin ? 0 : seed], Construction: origin ? "origin" : "trained");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => DeepLinearSetting.Shrink(c);
}

/// <summary>
/// G-linear with ridge (notes §3.1, F-2.2-ridge-deep), known false: H ≥ 3 and λ &gt; 0 make the origin a strict local
/// minimum (∇²F(0) = λI, the data term starts at degree H), and the path direction scaled by some ε reaches
/// F(εd) &lt; F(0): a spurious local minimum. ε is searched on k/16, k = 1..48.
/// </summary>
public sealed class DeepLinearRidge : Claim
{
    public override string Id => "golikov.linear-ridge";
    public override string Source => "Golikov (003), §2.1 with a ridge penalty (notes §3.1)";
    public override string Statement => "deep linear net, H ≥ 3, ridge λ > 0, half-sse: every local minimum is global";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => ["origin"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [DeepLinearSetting.Linear, Hypothesis.OnSpec("H ≥ 3 layers", s => s.Depth >= 3 ? null : $"H = {s.Depth}"), DeepLinearSetting.HalfSse,
         Hypothesis.OnSpec("ridge λ > 0", s => s.WeightDecay.Sign > 0 ? null : "λ = 0"), DeepLinearSetting.FullRowRankX, DeepLinearSetting.NonZeroCorrelation];

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var origin = new Rational[s.ParameterCount];
        var d = new NetworkDerivatives<Rational>(s, origin);
        var inertia = ExactLinearAlgebra.InertiaOf(d.Hessian());
        if (d.Gradient.Any(v => !v.IsZero) || inertia.Positive != s.ParameterCount)
            return Verdict.Inconclusive($"the origin is not a strict local minimum here (inertia {inertia})");
        var direction = DeepLinearSetting.PathDirection(s, LinearChains.Correlation(s), out _, out _);
        var (eps, lower) = Enumerable.Range(1, 48).Select(k => Rational.Create(k, 16))
            .Select(e => (Eps: e, Loss: Loss.Evaluate(s, DeepLinearSetting.Scaled(direction, e)))).MinBy(t => t.Loss);
        if (lower >= d.Loss)
            return Verdict.Inconclusive($"the origin is a strict local minimum (∇²F(0) = λI) but no point below F(0) = {d.Loss} was found on the path; it may be global at λ = {s.WeightDecay}");
        return Verdict.Refuted($"the origin is a strict local minimum (∇F(0) = 0, ∇²F(0) = λI, inertia {inertia}, exact) with F(0) = {d.Loss}, " +
            $"but F = {lower} < F(0) at ε = {eps} on the path: a spurious local minimum",
            new JsonObject { ["loss"] = d.Loss.ToString(), ["lowerLoss"] = lower.ToString(), ["epsilon"] = eps.ToString() },
            new DeepLinearFacts(new JsonObject { ["kind"] = "ridge-origin", ["lowerPoint"] = Evidence.Point(s.Layout, DeepLinearSetting.Scaled(direction, eps)) }));
    }

    public override Gen<ClaimInstance> Generator =>
        from s in DeepLinearSetting.Specs(3, Gen.Constant(Activation.Identity), Gen.Elements(Rational.Create(1, 1000), Rational.Create(1, 200)))
        select new ClaimInstance(Id, s, [0], Construction: "origin");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => DeepLinearSetting.Shrink(c);
}

/// <summary>
/// G-linear with relu hidden layers (notes §3.1), known false: with every input in the open half-space vᵀx &gt; 0, the
/// point W_1 = −1vᵀ (every unit of layer 1 dead on every sample) has f ≡ 0 on a neighbourhood, so F ≡ ½‖Y‖² there: a
/// non-strict local minimum. The path x ↦ c·relu(vᵀx) through unit 0 of each layer (c = Σ y_i s_i / Σ s_i², s_i = vᵀx_i)
/// has F = ½‖Y‖² − ‖Σ y_i s_i‖²/(2Σ s_i²) &lt; ½‖Y‖², so the minimum is not global.
/// </summary>
public sealed class DeepLinearRelu : Claim
{
    public override string Id => "golikov.linear-relu";
    public override string Source => "Golikov (003), §2.1 with relu (notes §3.1)";
    public override string Statement => "deep net with relu hidden layers, no biases, half-sse, X of full row rank, YXᵀ ≠ 0: every local minimum is global";
    public override Expectation Expected => Expectation.KnownFalse;
    public override IReadOnlyList<string> LocusKinds => ["random"];
    public override IReadOnlyList<Hypothesis> Hypotheses =>
        [DeepLinearSetting.ReluHidden, DeepLinearSetting.Deep, DeepLinearSetting.HalfSse, SettingHypotheses.NoWeightDecay, DeepLinearSetting.FullRowRankX,
         DeepLinearSetting.NonZeroCorrelation];

    protected override Verdict Decide(ClaimInstance c)
    {
        var s = c.Spec;
        var half = LinearChains.HalfSquaredTargets(s);
        foreach (var v in HalfSpaceNormals(s))
        {
            var path = Path(s, v);
            var lower = Loss.Evaluate(s, path);
            if (lower >= half) continue;
            var dead = DeadPoint(s, v, c.Seed);
            return Verdict.Refuted($"every unit of layer 1 is dead on every sample at the point (W_1 = −1vᵀ, v = ({string.Join(", ", v)}), vᵀx_i > 0), " +
                $"so F ≡ ½‖Y‖² = {half} near it: a local minimum; the path through unit 0 has F = {lower} < {half}: not global",
                new JsonObject { ["deadLoss"] = half.ToString(), ["lowerLoss"] = lower.ToString() },
                new DeepLinearFacts(new JsonObject { ["kind"] = "dead-relu", ["deadPoint"] = Evidence.Point(s.Layout, dead), ["lowerPoint"] = Evidence.Point(s.Layout, path) }));
        }
        return Verdict.Inconclusive($"no v with vᵀx_i > 0 for all i and Σ y_i vᵀx_i ≠ 0 among ±e_k, Σx_i and their moves (instance: {c})");
    }

    /// <summary>
    /// Candidates v = ±e_k and Σ_i x_i, then each one found moved by ±¼e_k, ±½e_k, kept when vᵀx_i &gt; 0 for every sample.
    /// Σ y_i vᵀx_i = (YXᵀ)v vanishes on the open cone of such v only when YXᵀ = 0, so the moves find a v where it does not.
    /// </summary>
    private static IEnumerable<Rational[]> HalfSpaceNormals(NetworkSpec s)
    {
        int d = s.InputWidth;
        Rational[] Unit(int k, Rational t) => Enumerable.Range(0, d).Select(j => j == k ? t : Rational.Zero).ToArray();
        var bases = Enumerable.Range(0, d).SelectMany(k => new[] { Unit(k, 1), Unit(k, -1) })
            .Append(Enumerable.Range(0, d).Select(j => s.X.Aggregate(Rational.Zero, (a, x) => a + x[j])).ToArray())
            .Where(Inside).ToArray();
        Rational[] moves = [Rational.Create(1, 4), Rational.Create(-1, 4), Rational.Half, -Rational.Half];
        return bases.Concat(bases.SelectMany(v => Enumerable.Range(0, d).SelectMany(k => moves.Select(t => v.Zip(Unit(k, t), (a, b) => a + b).ToArray()))).Where(Inside));
        bool Inside(Rational[] v) => s.X.All(x => Matrices.Dot(v, x).Sign > 0);
    }

    private static Rational[] Path(NetworkSpec s, Rational[] v)
    {
        var theta = new Rational[s.ParameterCount];
        var sv = s.X.Select(x => Matrices.Dot(v, x)).ToArray();
        var norm = sv.Aggregate(Rational.Zero, (a, t) => a + t * t);
        for (int j = 0; j < s.InputWidth; j++) theta[s.Layout.Weight(1, 0, j)] = v[j];
        for (int k = 2; k < s.Depth; k++) theta[s.Layout.Weight(k, 0, 0)] = 1;
        for (int o = 0; o < s.OutputWidth; o++)
            theta[s.Layout.Weight(s.Depth, o, 0)] = s.Y.Select((y, i) => y[o] * sv[i]).Aggregate(Rational.Zero, (a, t) => a + t) / norm;
        return theta;
    }

    /// <summary>The seeded point with every row of W_1 set to −v.</summary>
    private static Rational[] DeadPoint(NetworkSpec s, Rational[] v, int seed)
    {
        var theta = SeededRationals.Draw(s.ParameterCount, seed);
        for (int u = 0; u < s.Widths[1]; u++)
            for (int j = 0; j < s.InputWidth; j++) theta[s.Layout.Weight(1, u, j)] = -v[j];
        return theta;
    }

    public override Gen<ClaimInstance> Generator =>
        from s in DeepLinearSetting.Specs(2, Gen.Constant(Activation.Relu), Gen.Constant(Rational.Zero), positiveFirstInput: true)
        from seed in Gen.Choose(1, 100_000)
        select new ClaimInstance(Id, s, [seed], Construction: "random");

    public override IEnumerable<ClaimInstance> Shrink(ClaimInstance c) => DeepLinearSetting.Shrink(c);
}

/// <summary>What a golikov.linear* certificate rests on: a kind and its points (see the checker).</summary>
public sealed record DeepLinearFacts(JsonObject Facts) : CertificateFacts
{
    public override JsonObject ToJson() => (JsonObject)Facts.DeepClone();
}

/// <summary>
/// Gradient descent in double on F = ½‖W_H⋯W_1X − Y‖²_F (+ λ/2‖θ‖²), backtracking (Armijo, step doubled after each
/// success), until ‖∇F‖ &lt; 10⁻¹³ or the step budget is spent. Evidence only: the result is rounded and judged exactly.
/// </summary>
public static class LinearGradientDescent
{
    public static (double[] Theta, int Steps) Run(NetworkSpec s, double[] start, int maxSteps)
    {
        var theta = (double[])start.Clone();
        double eta = 1, loss = Value(s, theta, out var grad);
        int step = 0;
        for (; step < maxSteps; step++)
        {
            double norm2 = grad.Sum(g => g * g);
            if (norm2 < 1e-26) break;
            while (true)
            {
                var trial = theta.Select((t, p) => t - eta * grad[p]).ToArray();
                double next = Value(s, trial, out var trialGrad);
                if (next <= loss - 0.5 * eta * norm2) { (theta, loss, grad) = (trial, next, trialGrad); eta *= 2; break; }
                eta /= 2;
                if (eta < 1e-20) return (theta, step);
            }
        }
        return (theta, step);
    }

    /// <summary>F and ∇F: forward a_k = W_k a_{k−1}, backward δ_{k−1} = W_kᵀ δ_k, ∂F/∂W_k = δ_k a_{k−1}ᵀ.</summary>
    public static double Value(NetworkSpec s, double[] theta, out double[] grad)
    {
        var layout = s.Layout;
        int n = s.SampleCount, depth = s.Depth;
        grad = new double[theta.Length];
        double loss = 0, lambda = s.WeightDecay.ToDouble();
        for (int p = 0; p < theta.Length; p++) { loss += lambda / 2 * theta[p] * theta[p]; grad[p] = lambda * theta[p]; }
        for (int i = 0; i < n; i++)
        {
            var a = new double[depth + 1][];
            a[0] = s.X[i].Select(v => v.ToDouble()).ToArray();
            for (int k = 1; k <= depth; k++)
            {
                a[k] = new double[s.Widths[k]];
                for (int u = 0; u < a[k].Length; u++)
                    for (int j = 0; j < a[k - 1].Length; j++) a[k][u] += theta[layout.Weight(k, u, j)] * a[k - 1][j];
            }
            var delta = a[depth].Select((f, o) => f - s.Y[i][o].ToDouble()).ToArray();
            loss += delta.Sum(e => e * e) / 2;
            for (int k = depth; k >= 1; k--)
            {
                var below = new double[s.Widths[k - 1]];
                for (int u = 0; u < delta.Length; u++)
                    for (int j = 0; j < below.Length; j++)
                    {
                        grad[layout.Weight(k, u, j)] += delta[u] * a[k - 1][j];
                        below[j] += theta[layout.Weight(k, u, j)] * delta[u];
                    }
                delta = below;
            }
        }
        return loss;
    }
}
