using VerifyLandscape.Audit;
using VerifyLandscape.Claims;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;

namespace VerifyLandscape.Tests;

/// <summary>
/// A reference backward pass for one-hidden-layer tanh networks f = W2 tanh(W1 x + b1) + b2 with sse loss, written
/// by hand from the formulas (not with the engine), and seeded bugs in it. The audit must pass the correct code and
/// flag every mutant.
/// </summary>
public static class HandWrittenBackprop
{
    public enum Bug { None, SignFlip, MissingBiasTerm, TanhPrimeLinear, TransposedWeight, WrongLayerIndex, GaussNewtonOnly, LossScaledByN, Float32Truncation, TanhSecondSign }

    /// <summary>Gradient and Hessian (row-major P×P) in vl's parameter order W1, b1, W2, b2.</summary>
    public static (double[] Gradient, double[] Hessian) Derivatives(NetworkSpec net, double[] theta, Bug bug)
    {
        int d = net.Widths[0], h = net.Widths[1], m = net.Widths[2];
        int w1 = 0, b1 = h * d, w2 = b1 + h, b2 = w2 + m * h, p = b2 + m;
        var g = new double[p];
        var H = new double[p * p];
        // Index of "W1[j, k]" with k = d meaning b1[j] (the input extended by a constant 1).
        int First(int j, int k) => k < d ? w1 + j * d + k : b1 + j;
        foreach (var (xr, yr) in net.X.Zip(net.Y))
        {
            var x = xr.Select(q => q.ToDouble()).Append(1.0).ToArray();
            var y = yr.Select(q => q.ToDouble()).ToArray();
            var t = new double[h]; var t1 = new double[h]; var t2 = new double[h];
            for (int j = 0; j < h; j++)
            {
                double z = bug == Bug.MissingBiasTerm ? 0 : theta[b1 + j];
                for (int k = 0; k < d; k++) z += theta[w1 + j * d + k] * x[k];
                t[j] = Math.Tanh(z);
                t1[j] = bug == Bug.TanhPrimeLinear ? 1 - t[j] : 1 - t[j] * t[j];
                t2[j] = (bug == Bug.TanhSecondSign ? 2 : -2) * t[j] * t1[j];
            }
            var r = new double[m];
            for (int o = 0; o < m; o++)
            {
                double f = theta[b2 + o];
                for (int j = 0; j < h; j++) f += theta[w2 + o * h + j] * t[j];
                r[o] = f - y[o];
            }
            // Gradient: ∂L/∂W2[o,j] = 2 r_o t_j, ∂L/∂b2[o] = 2 r_o, ∂L/∂W1[j,k] = (Σ_o 2 r_o W2[o,j]) t'_j x̄_k.
            for (int o = 0; o < m; o++)
            {
                for (int j = 0; j < h; j++) g[w2 + o * h + j] += 2 * r[o] * (bug == Bug.WrongLayerIndex ? x[j] : t[j]);
                g[b2 + o] += 2 * r[o];
            }
            for (int j = 0; j < h; j++)
            {
                double back = 0;
                for (int o = 0; o < m; o++) back += 2 * r[o] * theta[w2 + o * h + j];
                for (int k = 0; k <= d; k++)
                {
                    int at = bug == Bug.TransposedWeight && k < d ? w1 + k * d + j : First(j, k);
                    g[at] += back * t1[j] * x[k];
                }
            }
            // Jacobian rows J_o = ∂f_o/∂θ.
            var jac = new double[m][];
            for (int o = 0; o < m; o++)
            {
                jac[o] = new double[p];
                for (int j = 0; j < h; j++)
                {
                    jac[o][w2 + o * h + j] = t[j];
                    for (int k = 0; k <= d; k++) jac[o][First(j, k)] = theta[w2 + o * h + j] * t1[j] * x[k];
                }
                jac[o][b2 + o] = 1;
            }
            // Hessian: 2 Σ_o J_oᵀ J_o + 2 Σ_o r_o ∇²f_o.
            for (int o = 0; o < m; o++)
                for (int a = 0; a < p; a++)
                    if (jac[o][a] != 0)
                        for (int b = 0; b < p; b++) H[a * p + b] += 2 * jac[o][a] * jac[o][b];
            if (bug == Bug.GaussNewtonOnly) continue;
            for (int o = 0; o < m; o++)
                for (int j = 0; j < h; j++)
                    for (int k = 0; k <= d; k++)
                    {
                        int a = First(j, k), v = w2 + o * h + j;
                        // ∂²f_o/∂W2[o,j]∂W1[j,k] = t'_j x̄_k;  ∂²f_o/∂W1[j,k]∂W1[j,k'] = W2[o,j] t''_j x̄_k x̄_k'.
                        H[a * p + v] += 2 * r[o] * t1[j] * x[k];
                        H[v * p + a] += 2 * r[o] * t1[j] * x[k];
                        for (int k2 = 0; k2 <= d; k2++)
                            H[a * p + First(j, k2)] += 2 * r[o] * theta[v] * t2[j] * x[k] * x[k2];
                    }
        }
        if (bug == Bug.SignFlip) for (int q = w2; q < b2; q++) g[q] = -g[q];
        if (bug == Bug.LossScaledByN)
        {
            for (int q = 0; q < p; q++) g[q] /= net.SampleCount;
            for (int q = 0; q < H.Length; q++) H[q] /= net.SampleCount;
        }
        if (bug == Bug.Float32Truncation)
        {
            for (int q = 0; q < p; q++) g[q] = (float)g[q];
            for (int q = 0; q < H.Length; q++) H[q] = (float)H[q];
        }
        return (g, H);
    }
}

public class AuditTests
{
    private static NetworkSpec Net() => new()
    {
        Widths = [3, 3, 2], HiddenActivations = [Activation.Tanh], OutputActivation = Activation.Identity,
        Bias = true, Loss = LossKind.Sse, WeightDecay = 0,
        X = [[Rational.Parse("1/2"), -1, Rational.Parse("0.3")], [2, Rational.Parse("1/3"), 0], [-1, Rational.Parse("3/4"), 1], [0, 1, Rational.Parse("-1/5")]],
        Y = [[1, 0], [Rational.Parse("-1/2"), 2], [0, 1], [Rational.Parse("1/4"), -1]],
    };

    private static Rational[] ThePoint(NetworkSpec net) => Point.RandomRationals(net.ParameterCount, 11).Select(q => q / 3).ToArray();

    public static TheoryData<HandWrittenBackprop.Bug> Mutants()
    {
        var data = new TheoryData<HandWrittenBackprop.Bug>();
        foreach (var bug in Enum.GetValues<HandWrittenBackprop.Bug>()) if (bug != HandWrittenBackprop.Bug.None) data.Add(bug);
        return data;
    }

    private static AuditResult AuditOf(HandWrittenBackprop.Bug bug)
    {
        var net = Net();
        var point = ThePoint(net);
        var (g, h) = HandWrittenBackprop.Derivatives(net, point.Select(q => q.ToDouble()).ToArray(), bug);
        int p = net.ParameterCount;
        return DerivativeAudit.Run(net, point, new NumericArray(g, [p], "float64"), new NumericArray(h, [p, p], "float64"));
    }

    [Fact]
    public void CorrectBackwardPassPasses()
    {
        var r = AuditOf(HandWrittenBackprop.Bug.None);
        Assert.True(r.Passed, r.ToJson().ToJsonString());
        Assert.Contains("interval", r.Reference);
    }

    [Theory]
    [MemberData(nameof(Mutants))]
    public void EveryMutantIsFlagged(HandWrittenBackprop.Bug bug)
    {
        var r = AuditOf(bug);
        Assert.False(r.Passed, $"mutant {bug} passed the audit: {r.ToJson().ToJsonString()}");
        Assert.NotEmpty((r.Gradient.Passed ? r.Hessian! : r.Gradient).Worst);
    }

    /// <summary>The same corpus given as float32: the correct derivatives rounded to float32 pass, every mutant and a 0.1 % error fail.</summary>
    [Fact]
    public void Float32CorpusPassesTheCorrectCodeAndFlagsEveryMutantAndAPerMilleError()
    {
        var net = Net();
        var point = ThePoint(net);
        int p = net.ParameterCount;
        AuditResult Audit(double[] g, double[] h) => DerivativeAudit.Run(net, point,
            new NumericArray(g.Select(v => (double)(float)v).ToArray(), [p], "float32"), new NumericArray(h.Select(v => (double)(float)v).ToArray(), [p, p], "float32"));
        var (g0, h0) = HandWrittenBackprop.Derivatives(net, point.Select(q => q.ToDouble()).ToArray(), HandWrittenBackprop.Bug.None);
        var correct = Audit(g0, h0);
        Assert.True(correct.Passed, correct.ToJson().ToJsonString());
        var perMille = Audit(g0.Select((v, i) => i == 3 ? v * 1.001 : v).ToArray(), h0);
        Assert.Equal("mismatch", perMille.Verdict);
        foreach (var bug in Enum.GetValues<HandWrittenBackprop.Bug>())
        {
            if (bug is HandWrittenBackprop.Bug.None or HandWrittenBackprop.Bug.Float32Truncation) continue; // rounding to float32 is what float32 code does
            var (g, h) = HandWrittenBackprop.Derivatives(net, point.Select(q => q.ToDouble()).ToArray(), bug);
            Assert.Equal("mismatch", Audit(g, h).Verdict);
        }
    }

    /// <summary>At a critical point every reference gradient entry is 0: a correct float64 gradient is judged against the floor.</summary>
    [Fact]
    public void CorrectGradientAtACriticalPointMatches()
    {
        var cert = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestPaths.ProofsData, "certificates", "cooper.gm", "depth3-polynomial-m2-globalmin1.cert.json")))!;
        var spec = InstanceReader.ReadFile(Path.Combine(TestPaths.ProofsData, "instances", "cooper.gm", "depth3-polynomial-m2-globalmin1.json")).Spec;
        var point = spec.Layout.Names.Select(n => Rational.Parse((string)cert["facts"]!["point"]![n]!)).ToArray();
        var exact = new NetworkDerivatives<Rational>(spec, point);
        Assert.All(exact.Gradient, g => Assert.True(g.IsZero));
        var numeric = new DenseNetwork(spec, point.Select(q => q.ToDouble()).ToArray());
        Assert.Contains(numeric.Gradient, g => g != 0); // rounding leaves something: the old relative model called this a mismatch
        int p = spec.ParameterCount;
        var r = DerivativeAudit.Run(spec, point, new NumericArray(numeric.Gradient, [p], "float64"), null);
        Assert.True(r.Passed, r.ToJson().ToJsonString());
        var wrong = numeric.Gradient.Select((g, i) => i == 0 ? g + 1000 * r.Floor : g).ToArray();
        Assert.Equal("mismatch", DerivativeAudit.Run(spec, point, new NumericArray(wrong, [p], "float64"), null).Verdict);
    }

    [Fact]
    public void DataThatDoubleCannotHoldIsBadInput()
    {
        var net = Net();
        var huge = net.With(x: [[Rational.Parse("1e400"), 0, 0], .. net.X.Skip(1)]);
        int p = net.ParameterCount;
        var e = Assert.Throws<InputException>(() => DerivativeAudit.Run(huge, ThePoint(net), new NumericArray(new double[p], [p], "float64"), null, specFile: "net.json"));
        Assert.Contains("net.json", e.Message);
        Assert.Contains("data.x[0][0]", e.Message);
    }

    [Fact]
    public void DoubleEngineAndExactReferencePassOnRationalNetworks()
    {
        // relu network at a rational point: the reference is exact, and the double engine agrees to 1e-10.
        var (spec, _) = RandomNetworks.Create([4, 6, 5, 2], Activation.Relu, 7, 3);
        var point = Point.RandomRationals(spec.ParameterCount, 4).Select(q => q / 4).ToArray();
        var net = new DenseNetwork(spec, point.Select(q => q.ToDouble()).ToArray());
        int p = spec.ParameterCount;
        var r = DerivativeAudit.Run(spec, point, new NumericArray(net.Gradient, [p], "float64"), new NumericArray(net.Hessian(), [p, p], "float64"));
        Assert.True(r.Passed, r.ToJson().ToJsonString());
        Assert.StartsWith("exact", r.Reference);
    }
}

[Collection("console")]
public class AuditCommandTests
{
    /// <summary>The shipped depth-4 tanh spec, a seeded rational point written to DIR/point.json, and the double engine there.</summary>
    internal static (string Dir, string Spec, NetworkSpec Net, string PointFile, DenseNetwork Engine) Setup(int seed)
    {
        var dir = Directory.CreateTempSubdirectory("vl-audit").FullName;
        var spec = Path.Combine(TestPaths.ProofsData, "specs", "depth4-tanh.json");
        var net = SpecReader.ReadFile(spec);
        var point = Point.RandomRationals(net.ParameterCount, seed);
        var pointFile = Path.Combine(dir, "point.json");
        File.WriteAllText(pointFile, "{" + string.Join(",", net.Layout.Names.Select((n, i) => $"\"{n}\": \"{point[i]}\"")) + "}");
        return (dir, spec, net, pointFile, new DenseNetwork(net, point.Select(q => q.ToDouble()).ToArray()));
    }

    [Fact]
    public void AuditCommandReadsNpyAndReportsMismatchAndBadInput()
    {
        var (dir, spec, net, pointFile, engine) = Setup(2);
        int p = net.ParameterCount;
        var g = Path.Combine(dir, "g.npy");
        var h = Path.Combine(dir, "h.npy");
        File.WriteAllBytes(g, Npy.Format(engine.Gradient, [p]));
        File.WriteAllBytes(h, Npy.Format(engine.Hessian(), [p, p]));
        var (code, output, _) = SpecValidationTests.RunVl("audit", spec, "--at", pointFile, "--gradient", g, "--hessian", h);
        Assert.True(code == 0, output);

        var wrong = (double[])engine.Gradient.Clone();
        wrong[3] += 1e-3;
        File.WriteAllBytes(g, Npy.Format(wrong, [p]));
        (code, output, _) = SpecValidationTests.RunVl("audit", spec, "--at", pointFile, "--gradient", g);
        Assert.Equal(1, code);
        Assert.Contains(net.Layout.Name(3), output);

        File.WriteAllBytes(g, Npy.Format(engine.Gradient, [p - 1]));
        var report = Path.Combine(dir, "report.json");
        (code, _, var error) = SpecValidationTests.RunVl("audit", spec, "--at", pointFile, "--gradient", g, "--out", report);
        Assert.Equal(2, code);
        Assert.Contains("shape", error);
        Assert.False(File.Exists(report));

        var nan = (double[])engine.Gradient.Clone();
        nan[0] = double.NaN;
        File.WriteAllBytes(g, Npy.Format(nan, [p]));
        (code, _, error) = SpecValidationTests.RunVl("audit", spec, "--at", pointFile, "--gradient", g);
        Assert.Equal(2, code);
        Assert.Contains("entry 0", error);
    }
}
