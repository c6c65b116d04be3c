using FsCheck.Fluent;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Golikov;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Tests;

/// <summary>Golikov (003): Du et al.'s Gram matrices, the wide-layer rank lemma, Nguyen–Hein's Lemma 3.5, deep linear nets.</summary>
public class GolikovTests
{
    public static TheoryData<string> KnownFalse => new()
    {
        "du.hinf-iff", "du.psd-any-layers", "golikov.wide-no-bias", "golikov.wide-relu",
        "golikov.linear-ridge", "golikov.linear-relu", "golikov.nh35-rank-dropped", "golikov.nh35-relu",
    };

    [Theory]
    [MemberData(nameof(KnownFalse))]
    public void KnownFalseClaimIsRefutedByAGeneratedShrunkInstance(string id) => KnownFalseClaims.AssertRefutedByAGeneratedShrunkInstance(id);

    [Fact]
    public void IffIsRefutedByTheShrunkPairOneMinusOne()
    {
        var results = ClaimRunner.Run(Catalog.Find("du.hinf-iff")!, trials: 40, 20261123, shipped: []);
        var shrunk = results.First(r => r.Verdict.Kind == VerdictKind.Refuted).Shrunk!.Spec;
        Assert.Equal([1, 1, 1], shrunk.Widths);
        Assert.Equal(2, shrunk.SampleCount);
        Assert.Equal(-shrunk.X[0][0], shrunk.X[1][0]);
    }

    /// <summary>The notes' hexagon (here of 24-cell vertices): H∞ is the circulant (½, 1/6, −1/12, 0, −1/12, 1/6), singular with null vector (1, −1, 1, −1, 1, −1).</summary>
    [Fact]
    public void HexagonGramIsTheCirculantAndSingular()
    {
        Rational h = Rational.Half;
        Rational[][] x = [[1, 0, 0, 0], [h, h, h, h], [-h, h, h, h], [-1, 0, 0, 0], [-h, -h, -h, -h], [h, -h, -h, -h]];
        var gram = DuSetting.ExactGram(x)!;
        Rational[] row = [h, Rational.Create(1, 6), Rational.Create(-1, 12), 0, Rational.Create(-1, 12), Rational.Create(1, 6)];
        for (int i = 0; i < 6; i++) for (int j = 0; j < 6; j++) Assert.Equal(row[(j - i + 6) % 6], gram[i, j]);
        var inertia = ExactLinearAlgebra.InertiaOf(gram);
        Assert.Equal(new Inertia(5, 0, 1), inertia);
        Assert.Null(Lambda0.Certify(x));
    }

    /// <summary>Three inputs at 120°: H∞ = ½I − (J − I)/12, λ0 = 1/3; the certificate's enclosure brackets it.</summary>
    [Fact]
    public void ThreeAt120DegreesHaveLambda0OneThird()
    {
        Rational h = Rational.Half;
        Rational[][] x = [[1, 0, 0, 0], [-h, h, h, h], [-h, -h, -h, -h]];
        var l = Lambda0.Certify(x)!;
        Assert.True(l.ExactGram);
        Assert.True(l.Lower <= Rational.Create(1, 3) && Rational.Create(1, 3).ToDouble() <= l.Upper);
        Assert.False(Lambda0.ProvesAtLeast(DuSetting.ExactGram(x), DuSetting.GramEnclosure(x), Rational.Create(1, 3)));
    }

    /// <summary>The interval H∞ encloses the exact one wherever both exist, and arccos encloses Math.Acos on random points.</summary>
    [Fact]
    public void GramEnclosureContainsTheExactGram()
    {
        PropertyCheck.Run("H∞ enclosure ∋ exact H∞ (24-cell subsets)", Arb.From(Gen.SubListOf(DuSetting.Cell24).Where(l => l.Count > 0)), cells =>
        {
            var x = cells.ToArray();
            var exact = DuSetting.ExactGram(x)!;
            var enclosure = DuSetting.GramEnclosure(x);
            for (int i = 0; i < x.Length; i++) for (int j = 0; j < x.Length; j++)
                if (!enclosure[i, j].Contains(exact[i, j].ToDouble())) return false;
            return true;
        }, trials: 100);
        PropertyCheck.Run("arccos enclosure ∋ acos at the ends", Arb.From(Gen.Choose(-1000, 1000).Two()), t =>
        {
            double a = Math.Min(t.Item1, t.Item2) / 1000.0, b = Math.Max(t.Item1, t.Item2) / 1000.0;
            var e = new Interval(a, b).Acos();
            return e.Contains(Math.Acos(a)) && e.Contains(Math.Acos(b)) && e.Lo >= 0 && e.Hi <= Math.PI + 1e-15;
        }, trials: 200);
    }

    /// <summary>Interval LDLᵀ: proves a definite matrix, refuses a singular one and an indefinite one.</summary>
    [Fact]
    public void IntervalLdlProvesDefinitenessOnly()
    {
        Interval[,] Of(double[,] m) { var r = new Interval[m.GetLength(0), m.GetLength(1)]; for (int i = 0; i < m.GetLength(0); i++) for (int j = 0; j < m.GetLength(1); j++) r[i, j] = Interval.Point(m[i, j]); return r; }
        Assert.True(IntervalLinearAlgebra.ProvesPositiveDefinite(Of(new double[,] { { 2, 1 }, { 1, 2 } }), out double p) && p > 0);
        Assert.False(IntervalLinearAlgebra.ProvesPositiveDefinite(Of(new double[,] { { 1, 1 }, { 1, 1 } }), out _));
        Assert.False(IntervalLinearAlgebra.ProvesPositiveDefinite(Of(new double[,] { { 1, 2 }, { 2, 1 } }), out _));
    }

    [Fact]
    public void OutputScaleIsReadAsOneOverTheSquareRootOfASquareWidth()
    {
        var spec = SpecReader.Parse(System.Text.Json.JsonDocument.Parse(
            """{"widths": [1, 4, 1], "activation": "relu", "bias": false, "outputScale": "1/sqrt(m)", "loss": "half-sse", "data": {"x": [["1"]], "y": [["0"]]}}""").RootElement, "s.json");
        Assert.Equal(Rational.Half, spec.OutputScale);
        var e = Assert.Throws<InputException>(() => SpecReader.Parse(System.Text.Json.JsonDocument.Parse(
            """{"widths": [1, 3, 1], "activation": "relu", "outputScale": "1/sqrt(m)", "data": {"x": [["1"]], "y": [["0"]]}}""").RootElement, "s.json"));
        Assert.Contains("outputScale", e.Message);
        // f = ½ Σ_r relu(w_r x): the scale reaches the loss (half-sse ½(f − y)²).
        var theta = new Rational[] { 1, 2, 3, 4, 1, 1, 1, 1 };
        Assert.Equal(Rational.Half * (5 * 5), Loss.Evaluate<Rational>(spec.With(y: [[0]]), theta));
    }

    /// <summary>The no-bias identities are real: at seeded points, F(x) + F(−x) − 2F(0) = 0 (sigmoid) and F(x) + F(−x) = 0 (tanh, two layers), in intervals.</summary>
    [Fact]
    public void NoBiasIdentitiesHoldAtSeededPoints()
    {
        foreach (var (sigma, depth, c) in new[] { (Activation.Sigmoid, 2, new[] { 1, 1, -2 }), (Activation.Tanh, 3, new[] { 1, 1, 0 }) })
        {
            var spec = new NetworkSpec
            {
                Widths = depth == 2 ? [2, 3, 1] : [2, 3, 3, 1], HiddenActivations = Enumerable.Repeat(sigma, depth - 1).ToArray(), OutputActivation = Activation.Identity,
                Bias = false, Loss = LossKind.Sse, WeightDecay = 0, X = [[1, 2], [-1, -2], [0, 0]], Y = [[0], [0], [0]],
            };
            for (int seed = 1; seed <= 20; seed++)
            {
                var theta = SeededRationals.Draw(spec.ParameterCount, seed).Select(Interval.FromRational).ToArray();
                var (_, a) = SkipFeatures.Forward(spec, theta, spec.Depth - 1);
                for (int u = 0; u < spec.Widths[^2]; u++)
                {
                    var sum = Interval.Zero;
                    for (int i = 0; i < 3; i++) sum += Interval.Point(c[i]) * a[i][spec.Depth - 1][u];
                    Assert.True(sum.ContainsZero, $"{sigma.Name}, seed {seed}, unit {u}: {sum}");
                }
            }
        }
    }

    /// <summary>Sylvester-count enclosures bracket known spectra: [[2, 1], [1, 2]] has 3 and 1; diag(5, −1, 0) has 5, 0, −1.</summary>
    [Fact]
    public void EigenvalueEnclosuresBracketKnownSpectra()
    {
        foreach (var (m, values) in new[] { (new Rational[,] { { 2, 1 }, { 1, 2 } }, new Rational[] { 3, 1 }), (new Rational[,] { { 5, 0, 0 }, { 0, -1, 0 }, { 0, 0, 0 } }, new Rational[] { 5, 0, -1 }) })
        {
            var e = Matrices.EigenvalueEnclosures(m, steps: 30);
            for (int k = 0; k < values.Length; k++)
            {
                Assert.True(e[k].Lo <= values[k] && values[k] <= e[k].Hi, $"λ_{k} = {values[k]} not in [{e[k].Lo}, {e[k].Hi}]");
                Assert.True(e[k].Hi - e[k].Lo < Rational.Create(1, 1000));
            }
        }
    }

    /// <summary>No point of a deep linear net goes below the rank-d_p formula (random specs, random points): the formula is a lower bound.</summary>
    [Fact]
    public void NoPointGoesBelowTheDeepLinearMinimum()
    {
        var cases = from s in DeepLinearSetting.Specs(2, Gen.Constant(Activation.Identity), Gen.Constant(Rational.Zero))
                    where DeepLinearSetting.FullRowRankX.BrokenBy!(new ClaimInstance("golikov.linear", s, [0], Construction: "origin")) is null
                    from seed in Gen.Choose(1, 100_000)
                    select (Spec: s, Seed: seed);
        PropertyCheck.Run("F(θ) ≥ ½(‖Y‖² − Σ_{i≤d_p} λ_i(K))", Arb.From(cases), c =>
            Loss.Evaluate(c.Spec, SeededRationals.Draw(c.Spec.ParameterCount, c.Seed)) >= LinearChains.DeepLinearMinimum(c.Spec).Lo, trials: 100);
    }

    /// <summary>The depth-3 origin is the Hessian trap: gradient and Hessian exactly 0, yet the order-3 path descends.</summary>
    [Fact]
    public void ThreeLayerOriginHasZeroHessianAndIsNotAMinimum()
    {
        var instance = InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "golikov.linear", "three-layer-origin.json"));
        var v = Catalog.Find("golikov.linear")!.Check(instance);
        Assert.Equal(VerdictKind.Certified, v.Kind);
        Assert.True(v.Evidence["hessianZero"]!.GetValue<bool>());
        Assert.Contains("not a local minimum", v.Reason);
    }

    /// <summary>T_θ E is the gradient: for the instance's own residual E = F_H − Y, T_θ's rows contracted with E match ∂L/∂W_{k+1} of the double engine.</summary>
    [Fact]
    public void ResidualToGradientMapReproducesTheGradient()
    {
        PropertyCheck.Run("T_θ(F_H − Y) = ∇_{W_{k+1}}L", Arb.From(GradientLemma.Instances("golikov.nh35", Gen.Elements<Activation>(Activation.Sigmoid, Activation.Tanh))), c =>
        {
            var s = c.Spec;
            if (GradientLemma.Layer(s, s.Depth - 1, narrowingAbove: false) is not { } k) return true;
            var theta = SeededRationals.Draw(s.ParameterCount, c.Seed);
            var (f, z) = GradientLemma.Features(s, theta, k);
            var t = GradientLemma.ResidualToGradient(s, theta, k, f, z);
            var engine = new VerifyLandscape.Numerics.DenseNetwork(s, theta.Select(q => q.ToDouble()).ToArray());
            var outputs = SkipFeatures.Forward(s, theta.Select(Interval.FromRational).ToArray(), s.Depth).A;
            for (int u = 0; u < s.Widths[k + 1]; u++)
                for (int j = 0; j < s.Widths[k]; j++)
                {
                    var sum = Interval.Zero;
                    for (int o = 0; o < s.OutputWidth; o++)
                        for (int i = 0; i < s.SampleCount; i++)
                            sum += t[o * s.SampleCount + i, u * s.Widths[k] + j] * (outputs[i][s.Depth][o] - Interval.FromRational(s.Y[i][o]));
                    double g = engine.Gradient[s.Layout.Weight(k + 1, u, j)];
                    if (Math.Abs(g - sum.Mid) > 1e-9 * (1 + Math.Abs(g))) return false;
                }
            return true;
        }, trials: 100);
    }

    /// <summary>golikov.yu-chen is a search: its verdicts are evidence (never certified), and its run never fails on a finding.</summary>
    [Fact]
    public void YuChenSearchNeverCertifies()
    {
        var claim = Catalog.Find("golikov.yu-chen")!;
        var results = ClaimRunner.Run(claim, trials: 30, 20261123, shipped: []);
        Assert.DoesNotContain(results, r => r.Verdict.Kind is VerdictKind.Certified or VerdictKind.Refuted);
        Assert.Contains(results, r => r.Verdict.Kind == VerdictKind.HoldsToTolerance);
        Assert.NotEqual(RunOutcome.Failed, ClaimRunner.Judge(claim, results).Outcome);
    }
}
