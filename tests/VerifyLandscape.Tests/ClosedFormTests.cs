using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Tests;

/// <summary>Derivatives of tiny networks checked against formulas derived by hand.</summary>
public class ClosedFormTests
{
    private static NetworkSpec OneOneOne(string activation, params (string x, string y)[] data) => SpecReader.Parse($$"""
        { "widths": [1, 1, 1], "activation": "{{activation}}", "loss": "sse",
          "data": { "x": [{{string.Join(",", data.Select(d => $"[\"{d.x}\"]"))}}], "y": [{{string.Join(",", data.Select(d => $"[\"{d.y}\"]"))}}] } }
        """);

    [Fact]
    public void LinearOneOneOneNetworkMatchesHandDerivation()
    {
        // f(x) = w2 (w1 x + b1) + b2, L = Σ (f − y)², parameters in order w1, b1, w2, b2.
        var net = OneOneOne("identity", ("2", "1"), ("-1", "1/2"));
        Rational w1 = Rational.Create(1, 2), b1 = -1, w2 = 3, b2 = Rational.Create(1, 4);
        var d = new NetworkDerivatives<Rational>(net, [w1, b1, w2, b2]);
        Rational L = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0;
        Rational h11 = 0, h12 = 0, h13 = 0, h14 = 0, h22 = 0, h23 = 0, h24 = 0, h33 = 0, h34 = 0, h44 = 0;
        foreach (var (x, y) in new[] { ((Rational)2, (Rational)1), ((Rational)(-1), Rational.Half) })
        {
            var h = w1 * x + b1;
            var r = w2 * h + b2 - y;
            L += r * r;
            g1 += 2 * r * w2 * x; g2 += 2 * r * w2; g3 += 2 * r * h; g4 += 2 * r;
            h11 += 2 * w2 * w2 * x * x; h12 += 2 * w2 * w2 * x; h13 += 2 * (h * w2 * x + r * x); h14 += 2 * w2 * x;
            h22 += 2 * w2 * w2; h23 += 2 * (h * w2 + r); h24 += 2 * w2;
            h33 += 2 * h * h; h34 += 2 * h; h44 += 2;
        }
        Assert.Equal(L, d.Loss);
        Assert.Equal(new[] { g1, g2, g3, g4 }, d.Gradient);
        var H = d.Hessian();
        var expected = new[,] { { h11, h12, h13, h14 }, { h12, h22, h23, h24 }, { h13, h23, h33, h34 }, { h14, h24, h34, h44 } };
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) Assert.Equal(expected[i, j], H[i, j]);
    }

    [Fact]
    public void TanhAtZeroUsesExactDerivativeValues()
    {
        // At θ = 0 with tanh: f = b2 = 0, so ∂L/∂b2 = 2 Σ (0 − y) and ∂²L/∂w2∂b1 = 2 Σ (f−y) tanh'(0) = 2 Σ (−y).
        var net = OneOneOne("tanh", ("2", "1"), ("-1", "1/2"));
        var d = new NetworkDerivatives<Sym>(net, [0, 0, 0, 0]);
        Assert.Equal((Sym)Rational.Create(-3, 1), d.Gradient[3]);
        var H = d.Hessian();
        Assert.Equal((Sym)Rational.Create(-3, 1), H[1, 2]);
        Assert.Equal((Sym)4, H[3, 3]);
    }

    [Fact]
    public void FreeSymbolsStayInTheResult()
    {
        // f = w2 tanh(w1 x), w1 free, w2 = 2, x = y = 1: ∂L/∂w2 = 2 (2 tanh(w1) − 1) tanh(w1), a polynomial in an atom.
        var net = SpecReader.Parse("""{"widths":[1,1,1],"activation":"tanh","bias":false,"data":{"x":[["1"]],"y":[["1"]]}}""");
        var w1 = Sym.Variable(Symbols.Parameter("W1[0,0]"));
        var d = new NetworkDerivatives<Sym>(net, [w1, 2]);
        // Atoms are hash-consed by name, so this is the same symbol the engine made.
        var t = Sym.Variable(Symbols.Atom("tanh", w1, i => i.Tanh(), a => a));
        Assert.Equal(4 * t * t - 2 * t, d.Gradient[1]);
        Assert.Equal("4*tanh(W1[0,0])^2 - 2*tanh(W1[0,0])", d.Gradient[1].ToString());
    }

    [Fact]
    public void CoreLocusOfDepthFourHasTheCorrectedHessian()
    {
        var net = SpecReader.ReadFile(Path.Combine(TestPaths.ProofsData, "specs", "depth4-tanh-m2.json"));
        var point = Point.GenericPoint(CooperLoci.Core(net, [1, 2]), net.Layout);
        var d = ExactDerivation.Compute(net, point, hessian: true);
        Assert.All(d.Gradient, g => Assert.True(g.IsZero));
        Assert.Equal(new Inertia(2, 0, net.ParameterCount - 2), d.Inertia);
        int b = net.Layout.BiasIndex(4, 0);
        Assert.Equal((Sym)6, d.Hessian![b, b]);
    }
}

/// <summary>The kernel's loss heads against their formulas, in double and exactly.</summary>
public class LossTests
{
    [Fact]
    public void HalfMseIsScaledByOneOverTwoN()
    {
        var head = Loss.Of(LossKind.HalfMse, 4, 2).Apply<Rational>([3, Rational.Half], [1, 0]);
        // g = (1/8)((3−1)² + (1/2)²) = 17/32, ∂g = (1/4)(f − y), ∂²g = (1/4) I
        Assert.Equal(Rational.Create(17, 32), head.Value);
        Assert.Equal([Rational.Half, Rational.Create(1, 8)], head.Gradient);
        Assert.Equal([Rational.Create(1, 4), 0, 0, Rational.Create(1, 4)], head.Hessian);
    }

    [Fact]
    public void CrossEntropyIsExactAtEqualLogitsAndFiniteAtHugeOnes()
    {
        // Equal logits: p = (1/2, 1/2), g = (1/N)(log 2 − 0) needs log 2, so the exact head is checked through its gradient.
        var equal = Loss.Of(LossKind.CrossEntropy, 1, 2).Apply<Symbolic.Sym>([0, 0], [1, 0]);
        Assert.Equal([(Symbolic.Sym)(-Rational.Half), (Symbolic.Sym)Rational.Half], equal.Gradient);
        Assert.Equal((Symbolic.Sym)Rational.Create(1, 4), equal.Hessian[0]);
        // Logits 1000 and 0 in double: g = lse − f_0 = log(1 + e^−1000) ≈ 0 for class 0, ≈ 1000 for class 1; no overflow.
        var huge = Loss.Of(LossKind.CrossEntropy, 1, 2).Apply<Scalars.F64>([new(1000), new(0)], [0, 1]);
        Assert.Equal(1000, huge.Value.Value, 9);
        Assert.Equal(1, huge.Gradient[0].Value, 12);
        Assert.Equal(-1, huge.Gradient[1].Value, 12);
        Assert.All(huge.Hessian, h => Assert.True(double.IsFinite(h.Value)));
    }
}
