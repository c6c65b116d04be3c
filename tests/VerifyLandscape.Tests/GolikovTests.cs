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
    public static TheoryData<string> KnownFalse => new() { "du.hinf-iff", "du.psd-any-layers", "golikov.wide-no-bias", "golikov.wide-relu" };

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
}
