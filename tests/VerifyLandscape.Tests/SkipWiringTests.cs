using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>
/// Skip wiring (the output reads chosen hidden units) and networks without an output bias, in both engines: the
/// wiring that names the last layer in order is the plain network, the two engines agree, the double gradient
/// agrees with central differences, and the exact Hessian is symmetric (the R-operator's scatter is its transpose).
/// </summary>
public class SkipWiringTests
{
    private static Arbitrary<NetworkCase> SkipCases(Gen<Activation> activations, LossKind[]? losses = null) =>
        Arb.From(NetworkCases.WithSkip(NetworkCases.Generator(activations, minDepth: 2, maxDepth: 4, losses: losses, outputs: Gen.Constant(Activation.Identity))), NetworkCases.Shrink);

    private static NetworkDerivatives<Rational>? Exact(NetworkSpec s, Rational[] theta)
    {
        try { return new NetworkDerivatives<Rational>(s, theta); }
        catch (NonSmoothPointException) { return null; }
    }

    [Fact]
    public void WiringTheLastLayerInOrderIsThePlainNetwork()
    {
        PropertyCheck.Run("skip = layer ℓ−1 in order ⇒ same loss, gradient and Hessian as the plain network",
            NetworkCases.Arbitrary(NetworkCases.ExactActivation, minDepth: 2, outputs: Gen.Constant(Activation.Identity)), c =>
            {
                var wired = c.Spec.With(skip: c.Spec.OutputSources);
                if (wired.ParameterCount != c.Spec.ParameterCount || Exact(c.Spec, c.Point) is not { } plain) return wired.ParameterCount == c.Spec.ParameterCount;
                var skip = Exact(wired, c.Point)!;
                return plain.Loss == skip.Loss && plain.Gradient.SequenceEqual(skip.Gradient)
                    && plain.Hessian().Cast<Rational>().SequenceEqual(skip.Hessian().Cast<Rational>());
            }, trials: 60);
    }

    [Fact]
    public void NoOutputBiasIsThePlainNetworkWithTheOutputBiasAtZero()
    {
        PropertyCheck.Run("outputBias false ⇒ the plain network's loss and gradient with b_ℓ = 0, less the b_ℓ entries",
            NetworkCases.Arbitrary(NetworkCases.ExactActivation, minDepth: 2, bias: true, outputs: Gen.Constant(Activation.Identity)), c =>
            {
                var without = c.Spec.With(outputBias: false);
                var theta = Point.RandomRationals(without.ParameterCount, c.PointSeed);
                var full = c.Spec.Layout;
                var padded = new Rational[full.Count];
                Array.Fill(padded, Rational.Zero);
                for (int p = 0; p < theta.Length; p++) padded[full.TryIndexOf(without.Layout.Name(p), out int q) ? q : throw new InvalidOperationException()] = theta[p];
                if (Exact(c.Spec, padded) is not { } plain) return true;
                var reduced = Exact(without, theta)!;
                return plain.Loss == reduced.Loss
                    && Enumerable.Range(0, theta.Length).All(p => reduced.Gradient[p] == plain.Gradient[full.TryIndexOf(without.Layout.Name(p), out int q) ? q : -1]);
            }, trials: 60);
    }

    [Fact]
    public void DoubleEngineEqualsTheRationalEngineOnSkipNetworks()
    {
        // Tolerance as in NumericEngineTests.Close: 1e-8 of the largest exact magnitude.
        PropertyCheck.Run("double engine = rational engine (loss, gradient, H v, Hessian) with skip wiring", SkipCases(NetworkCases.ExactActivation),
            EnginesAgree, trials: 100);
    }

    /// <summary>The double engine equals the rational one at the case's point (loss, gradient, H v, Hessian); true where the point is not smooth.</summary>
    internal static bool EnginesAgree(NetworkCase c)
    {
        // Tolerance as in NumericEngineTests.Close: 1e-8 of the largest exact magnitude.
        if (Exact(c.Spec, c.Point) is not { } exact) return true;
        var dense = new DenseNetwork(c.Spec, c.Point.Select(q => q.ToDouble()).ToArray());
        var v = Point.RandomRationals(c.Spec.ParameterCount, c.PointSeed + 1);
        int p = c.Spec.ParameterCount;
        var he = exact.Hessian();
        return Math.Abs(dense.Loss - exact.Loss.ToDouble()) <= 1e-8 * (1 + Math.Abs(exact.Loss.ToDouble()))
            && NumericEngineTests.Close(dense.Gradient, exact.Gradient)
            && NumericEngineTests.Close(dense.HessianVector(v.Select(q => q.ToDouble()).ToArray()), exact.HessianVector(v))
            && NumericEngineTests.Close(dense.Hessian(), Enumerable.Range(0, p * p).Select(i => he[i / p, i % p]).ToArray());
    }

    [Fact]
    public void ExactHessianOfASkipNetworkIsSymmetric()
    {
        PropertyCheck.Run("exact Hessian symmetric with skip wiring", SkipCases(NetworkCases.SmoothExactActivation), c =>
        {
            var h = new NetworkDerivatives<Rational>(c.Spec, c.Point).Hessian();
            int p = h.GetLength(0);
            for (int i = 0; i < p; i++) for (int j = 0; j < i; j++) if (h[i, j] != h[j, i]) return false;
            return true;
        }, trials: 100);
    }

    [Fact]
    public void DoubleGradientOfASkipNetworkAgreesWithCentralDifferences()
    {
        // As EngineAgreementTests: h = 1e-5 (1 + |θ_p|), tolerance 1e-6 (1 + |L| + |g|), smooth σ only (no kinks).
        var smooth = Gen.Elements<Activation>(Activation.Tanh, Activation.Sigmoid, new Softplus(2), new PolynomialActivation([0, 1, Rational.Half]));
        PropertyCheck.Run("double gradient of a skip network = central differences", SkipCases(smooth, [LossKind.Sse, LossKind.CrossEntropy]), c =>
        {
            var theta = c.Point.Select(q => q.ToDouble()).ToArray();
            var d = new DenseNetwork(c.Spec, theta);
            for (int p = 0; p < theta.Length; p++)
            {
                double h = 1e-5 * (1 + Math.Abs(theta[p]));
                var plus = (double[])theta.Clone(); plus[p] += h;
                var minus = (double[])theta.Clone(); minus[p] -= h;
                double fd = (new DenseNetwork(c.Spec, plus).Loss - new DenseNetwork(c.Spec, minus).Loss) / (2 * h);
                if (Math.Abs(fd - d.Gradient[p]) > 1e-6 * (1 + Math.Abs(d.Loss) + Math.Abs(d.Gradient[p]))) return false;
            }
            return true;
        }, trials: 100);
    }

    [Fact]
    public void SkipSpecRoundTripsThroughTheWriter()
    {
        var json = "{\"widths\": [1, 2, 2, 2], \"activation\": \"sigmoid\", \"skip\": [[1, 1], [2, 0]], \"outputBias\": false, \"loss\": \"cross-entropy\","
                   + " \"data\": {\"x\": [[\"1\"], [\"2\"]], \"y\": [[0], [1]]}}";
        var spec = SpecReader.Parse(json);
        Assert.Equal([new HiddenUnit(1, 1), new HiddenUnit(2, 0)], spec.Skip!);
        Assert.False(spec.OutputBias);
        Assert.Equal(2 + 2 + 4 + 2 + 2 * 2, spec.ParameterCount); // W1, b1, W2, b2, W3 (2×2), no b3
        var again = SpecReader.Parse(SpecWriter.ToJsonString(spec));
        Assert.Equal(SpecWriter.ToJsonString(spec), SpecWriter.ToJsonString(again));
        Assert.Contains("W3[1,1]", spec.Layout.Names);
        Assert.DoesNotContain("b3[0]", spec.Layout.Names);
    }
}
