using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>
/// Layered DAG wiring (a hidden layer reads a list of earlier units) and tied parameters (shared, frozen), in both
/// engines: the list that names the layer below in order is the plain network; a tied network is the untied one at
/// the expanded point, with every derivative collected over the slots of its parameter (∇_θ = Aᵀ∇, H_θ = AᵀHA for
/// the 0/1 matrix A of θ ↦ slots); the engines agree; the double gradient agrees with central differences.
/// </summary>
public class DagWiringTests
{
    private static Arbitrary<NetworkCase> DagCases(Gen<Activation> activations) =>
        Arb.From(NetworkCases.WithDagAndTies(NetworkCases.WithSkip(
            NetworkCases.Generator(activations, minDepth: 3, maxDepth: 4, outputs: Gen.Constant(Activation.Identity)))), NetworkCases.Shrink);

    private static NetworkDerivatives<Rational>? Exact(NetworkSpec s, Rational[] theta)
    {
        try { return new NetworkDerivatives<Rational>(s, theta); }
        catch (NonSmoothPointException) { return null; }
    }

    [Fact]
    public void ReadingTheLayerBelowInOrderIsThePlainNetwork()
    {
        PropertyCheck.Run("reads = layer k−1 in order for every hidden layer ⇒ same loss, gradient and Hessian as the plain network",
            NetworkCases.Arbitrary(NetworkCases.ExactActivation, minDepth: 3, maxDepth: 4, outputs: Gen.Constant(Activation.Identity)), c =>
            {
                var s = c.Spec;
                if (s.Depth < 2) return true; // no hidden layer to wire
                var reads = Enumerable.Range(0, s.Depth).Select(k => k < 1 ? null : Enumerable.Range(0, s.Widths[k - 1]).Select(u => new HiddenUnit(k - 1, u)).ToArray()).ToArray();
                var wired = s.With(reads: reads);
                if (!wired.HasReads || wired.ParameterCount != s.ParameterCount) return false;
                if (Exact(s, c.Point) is not { } plain) return true;
                var dag = Exact(wired, c.Point)!;
                return plain.Loss == dag.Loss && plain.Gradient.SequenceEqual(dag.Gradient)
                    && plain.Hessian().Cast<Rational>().SequenceEqual(dag.Hessian().Cast<Rational>());
            }, trials: 40);
    }

    [Fact]
    public void ATiedNetworkIsTheUntiedOneAtTheExpandedPoint()
    {
        PropertyCheck.Run("tied: L(θ) = L_untied(Aθ + c), ∇ = Aᵀ∇_untied, H = AᵀH_untied A, weight decay once per free weight",
            DagCases(NetworkCases.ExactActivation), c =>
            {
                var tied = c.Spec;
                if (!tied.IsTied) return true;
                var untied = tied.With(shared: [], frozen: [], decay: Rational.Zero);
                var layout = tied.Layout;
                var slots = layout.Expand(c.Point);
                if (Exact(tied, c.Point) is not { } t || Exact(untied, slots) is not { } u) return true;
                var a = Enumerable.Range(0, layout.Count).Select(p =>
                {
                    var e = new Rational[layout.Count];
                    Array.Fill(e, Rational.Zero);
                    e[p] = 1;
                    return layout.ExpandDirection(e);
                }).ToArray(); // column p of A
                Rational decay = 0;
                for (int p = 0; p < layout.Count; p++) if (layout.IsWeight(p)) decay += tied.WeightDecay / 2 * c.Point[p] * c.Point[p];
                var hu = u.Hessian();
                var ht = t.Hessian();
                Rational Dot(Rational[] x, Rational[] y) => x.Zip(y, (i, j) => i * j).Aggregate(Rational.Zero, (s, q) => s + q);
                for (int p = 0; p < layout.Count; p++)
                {
                    var grad = Dot(a[p], u.Gradient) + (layout.IsWeight(p) ? tied.WeightDecay * c.Point[p] : 0);
                    if (t.Gradient[p] != grad) return false;
                    for (int q = 0; q < layout.Count; q++)
                    {
                        Rational h = p == q && layout.IsWeight(p) ? tied.WeightDecay : 0;
                        for (int i = 0; i < slots.Length; i++)
                            if (!a[p][i].IsZero)
                                for (int j = 0; j < slots.Length; j++) h += a[p][i] * hu[i, j] * a[q][j];
                        if (ht[p, q] != h) return false;
                    }
                }
                return t.Loss == u.Loss + decay;
            }, trials: 60);
    }

    [Fact]
    public void DoubleEngineEqualsTheRationalEngineOnDagNetworks()
    {
        PropertyCheck.Run("double engine = rational engine (loss, gradient, H v, Hessian) with DAG wiring and ties", DagCases(NetworkCases.ExactActivation),
            SkipWiringTests.EnginesAgree, trials: 100);
    }

    [Fact]
    public void DoubleGradientAgreesWithCentralDifferencesOnSmoothDagNetworks()
    {
        // Central differences with h = 1e-5 have truncation error O(h²·|L'''|) ≈ 1e-10 and rounding ≈ 1e-16/h ≈ 1e-11
        // for these small nets (|θ|, |x| ≤ 3); 1e-6 relative to max(1, |g|) leaves a wide margin without hiding a wrong scatter.
        PropertyCheck.Run("∂L/∂θ_p = (L(θ + h e_p) − L(θ − h e_p)) / 2h on smooth DAG networks",
            DagCases(Gen.Elements<Activation>(Activation.Tanh, Activation.Sigmoid, new Softplus(1))), c =>
            {
                var theta = c.Point.Select(q => q.ToDouble()).ToArray();
                var g = new DenseNetwork(c.Spec, theta).Gradient;
                const double h = 1e-5;
                for (int p = 0; p < theta.Length; p++)
                {
                    var plus = (double[])theta.Clone(); plus[p] += h;
                    var minus = (double[])theta.Clone(); minus[p] -= h;
                    double fd = (new DenseNetwork(c.Spec, plus).Loss - new DenseNetwork(c.Spec, minus).Loss) / (2 * h);
                    if (Math.Abs(fd - g[p]) > 1e-6 * Math.Max(1, Math.Abs(g[p]))) return false;
                }
                return true;
            }, trials: 60);
    }

    [Fact]
    public void SpecsWithDagWiringAndTiesRoundTrip()
    {
        PropertyCheck.Run("SpecReader(SpecWriter(s)) has the same wiring, ties and loss at the point", DagCases(NetworkCases.ExactActivation), c =>
        {
            var back = SpecReader.Parse(SpecWriter.ToJsonString(c.Spec));
            if (back.Layout.Names.SequenceEqual(c.Spec.Layout.Names) is false) return false;
            if (Exact(c.Spec, c.Point) is not { } a) return true;
            return Exact(back, c.Point)!.Loss == a.Loss;
        }, trials: 60);
    }

    [Fact]
    public void AConvolutionWithASharedBiasReadsAsSpecified()
    {
        // Two units of one feature map over the patches (x0, x1) and (x1, x2): W1[1,·] = W1[0,·] shifted, b1[1] = b1[0].
        var spec = SpecReader.Parse("""
            {"widths": [3, 2, 1], "activation": "sigmoid", "outputBias": false, "skip": [[1, 0], [1, 1]], "loss": "sse",
             "shared": [["W1[0,0]", "W1[1,1]"], ["W1[0,1]", "W1[1,2]"], ["b1[0]", "b1[1]"]],
             "frozen": {"W1[0,2]": "0", "W1[1,0]": "0"},
             "data": {"x": [["0", "0", "1"], ["0", "0", "2"]], "y": [["1"], ["0"]]}}
            """);
        Assert.Equal(["W1[0,0]", "W1[0,1]", "b1[0]", "W2[0,0]", "W2[0,1]"], spec.Layout.Names);
        Assert.Equal(10, spec.Layout.SlotCount);
        Assert.Equal(new Rational[] { 2, 3, 0, 0, 2, 3, 5, 5, 7, 11 }, spec.Layout.Expand(new Rational[] { 2, 3, 5, 7, 11 }));
        // Unit [1,0] reads (x0, x1) = (0, 0) on both samples: its column of Ψ is constant, σ(5).
        var psi = SkipFeatures.Psi(spec, new Rational[] { 2, 3, 0, 7, 11 }.Select(F64.FromRational).ToArray());
        Assert.Equal(psi[0, 0].Value, psi[1, 0].Value);
        Assert.NotEqual(psi[0, 1].Value, psi[1, 1].Value);
    }
}
