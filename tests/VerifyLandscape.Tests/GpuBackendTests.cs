using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Numerics.Gpu;
using VerifyLandscape.Scalars;
using VerifyLandscape.Testing;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Tests;

/// <summary>
/// The ILGPU backend, run for real on ILGPU's CPU accelerator (the same kernels a CUDA or OpenCL device runs), against
/// the interval engine (rigorous enclosures of the true gradient and H v) and against the CPU engine.
///
/// Tolerance, float64 and float32 alike: |computed − true| ≤ 4·K·u·M, u the unit roundoff (2^−53, 2^−24).
///   K = N + Σ_k (n_{k−1} + 16) bounds the roundings on the longest chain of one output entry: a dot product of length
///     n_{k−1} per layer (γ_n), about 16 for σ, σ', σ'' (exp, log, tanh within a few ulps, composed) and the R-terms,
///     and the sum over N samples; the forward error of such a computation is ≤ γ_K times the same computation
///     on absolute values;
///   M bounds that absolute computation by (1 + max |true entry| + |L|)·Π_k max(1, ‖W_k‖_∞)·max(1, ‖x‖_∞)·max(1, ‖y‖_∞)
///     (σ here is 1-Lipschitz with |σ(z)| ≤ |z| + 1; the product of layer norms bounds how errors are amplified).
/// A real derivative bug (a dropped term) is an O(1) relative error and exceeds this on some small network, which
/// is what the planted-bug test shows.
/// </summary>
public class GpuBackendTests
{
    private static Gen<Activation> Supported => Gen.Elements<Activation>(Activation.Identity, Activation.Tanh, Activation.Sigmoid, Activation.Relu,
        new LeakyRelu(Rational.Create(1, 10)), new Softplus(2));

    private static Arbitrary<NetworkCase> Cases(int maxWidth = 3) =>
        Arb.From(NetworkCases.Generator(Supported, maxDepth: 3, maxWidth: maxWidth, maxSamples: 3, losses: [LossKind.Sse, LossKind.HalfMse, LossKind.HalfSse],
            outputs: Gen.Elements(Activation.Identity, Activation.Identity, Activation.Tanh)), NetworkCases.Shrink);

    public static double Tolerance(NetworkSpec s, double[] theta, double unitRoundoff, double magnitude)
    {
        int k = s.SampleCount + Enumerable.Range(1, s.Depth).Sum(l => s.Widths[l - 1] + 16);
        double amplification = 1;
        for (int l = 1; l <= s.Depth; l++)
        {
            double rowSum = 0;
            for (int u = 0; u < s.Widths[l]; u++)
                rowSum = Math.Max(rowSum, Enumerable.Range(0, s.Widths[l - 1]).Sum(j => Math.Abs(theta[s.Layout.Weight(l, u, j)])) + (s.Layout.HasBias(l) ? Math.Abs(theta[s.Layout.BiasIndex(l, u)]) : 0));
            amplification *= Math.Max(1, rowSum);
        }
        double data = Math.Max(1, s.X.SelectMany(r => r).Select(q => Math.Abs(q.ToDouble())).DefaultIfEmpty(0).Max())
                    * Math.Max(1, s.Y.SelectMany(r => r).Select(q => Math.Abs(q.ToDouble())).DefaultIfEmpty(0).Max());
        return 4 * k * unitRoundoff * (1 + magnitude) * amplification * data;
    }

    /// <summary>
    /// Null when the GPU backend agrees with the interval engine on L, ∇L and H v at the case's point (and, with
    /// <paramref name="fullHessian"/>, on every entry of its structured Hessian); else what differs.
    /// </summary>
    public static string? Disagreement(NetworkCase c, Precision precision, int plantedBug = 0, bool fullHessian = false) =>
        GpuNetwork.Unsupported(c.Spec) is not null ? null
        : Disagreement(c.Spec, c.Point, SeededRationals.Draw(c.Spec.ParameterCount, c.PointSeed + 1), precision, plantedBug, fullHessian);

    /// <summary>The same at a given rational point and direction v (the GPU gets their nearest doubles).</summary>
    public static string? Disagreement(NetworkSpec s, Rational[] point, Rational[] v, Precision precision, int plantedBug = 0, bool fullHessian = false)
    {
        NetworkDerivatives<Interval> truth;
        Interval[] hv;
        Interval[,]? hessian;
        try
        {
            truth = new NetworkDerivatives<Interval>(s, point.Select(Interval.FromRational).ToArray());
            hv = truth.HessianVector(v.Select(Interval.FromRational).ToArray());
            hessian = fullHessian ? truth.Hessian() : null;
        }
        catch (Exception e) when (e is NonSmoothPointException or UndecidedException) { return null; } // a relu kink: no derivative to compare
        var theta = point.Select(q => q.ToDouble()).ToArray();
        var gpu = new GpuNetwork(s, theta, precision, plantedBug);
        var gpuHv = gpu.HessianVector(v.Select(q => q.ToDouble()).ToArray());
        double u = precision == Precision.Float64 ? new Float64().UnitRoundoff : new Float32().UnitRoundoff;
        double magnitude = truth.Gradient.Concat(hv).Concat(hessian?.Cast<Interval>() ?? []).Append(truth.Loss).Max(e => Math.Max(Math.Abs(e.Lo), Math.Abs(e.Hi)));
        double tol = Tolerance(s, theta, u, magnitude);
        string? Check(string what, double computed, Interval exact) =>
            computed >= exact.Lo - tol && computed <= exact.Hi + tol ? null : $"{what}: {computed:R} vs {exact} (tolerance {tol:G3})";
        if (Check("L", gpu.Loss, truth.Loss) is { } bad) return bad;
        for (int p = 0; p < s.ParameterCount; p++)
        {
            if (Check($"∇L[{s.Layout.Name(p)}]", gpu.Gradient[p], truth.Gradient[p]) is { } g) return g;
            if (Check($"Hv[{s.Layout.Name(p)}]", gpuHv[p], hv[p]) is { } h) return h;
        }
        if (hessian is null) return null;
        var gpuHessian = gpu.Hessian();
        int n = s.ParameterCount;
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
                if (Check($"H[{s.Layout.Name(a)}, {s.Layout.Name(b)}]", gpuHessian[a * n + b], hessian[a, b]) is { } entry) return entry;
        return null;
    }

    [Fact]
    public void GpuFloat64AgreesWithTheIntervalEngine() =>
        PropertyCheck.Run("GPU (float64, CPU accelerator) = interval engine: L, ∇L, H v", Cases(), c => Disagreement(c, Precision.Float64) is null, trials: 200);

    [Fact]
    public void GpuFloat32AgreesWithTheIntervalEngine() =>
        PropertyCheck.Run("GPU (float32, CPU accelerator) = interval engine: L, ∇L, H v", Cases(), c => Disagreement(c, Precision.Float32) is null, trials: 100);

    [Fact]
    public void GpuStructuredHessianAgreesWithTheIntervalEngine()
    {
        PropertyCheck.Run("GPU structured Hessian (float64) = interval engine, every entry", Cases(), c => Disagreement(c, Precision.Float64, fullHessian: true) is null, trials: 60);
        PropertyCheck.Run("GPU structured Hessian (float32) = interval engine, every entry", Cases(), c => Disagreement(c, Precision.Float32, fullHessian: true) is null, trials: 40);
    }

    /// <summary>The structured Hessian in chunks of one unit (many launches, reused buffers) equals the one-chunk run bit for bit, with and without biases and weight decay.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StructuredHessianDoesNotDependOnTheChunking(bool bias)
    {
        var spec = RandomNetwork(width: 5, depth: 3, Activation.Tanh, weightDecay: Rational.Create(1, 10), seed: 11, samples: 6, bias);
        var rng = new Random(12);
        var theta = Enumerable.Range(0, spec.ParameterCount).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var whole = new GpuNetwork(spec, theta).Hessian();
        var oneUnitAtATime = new GpuNetwork(spec, theta, hessianChunkBytes: 1).Hessian();
        Assert.Equal(whole, oneUnitAtATime);
        var cpu = new DenseNetwork(spec, theta).Hessian();
        double scale = cpu.Max(Math.Abs);
        Assert.All(cpu.Zip(whole), e => Assert.True(Math.Abs(e.First - e.Second) <= 1e-13 * scale, $"{e.First:R} vs {e.Second:R}"));
    }

    /// <summary>
    /// Lanczos on the device: every Ritz value lies within its residual bound of an eigenvalue of the CPU engine's dense
    /// Hessian, up to rounding (float64: 1e-9·‖H‖; float32: 1e-3·‖H‖, a few hundred u = 6e-8 over 12 reorthogonalised
    /// steps), and in float64 α, β match the host recurrence over the CPU engine's H v.
    /// </summary>
    [Theory]
    [InlineData(Precision.Float64)]
    [InlineData(Precision.Float32)]
    public void DeviceLanczosFindsTheDenseEigenvalues(Precision precision)
    {
        var spec = RandomNetwork(width: 12, depth: 3, new Softplus(1), weightDecay: Rational.Create(1, 100), seed: 7, samples: 8);
        var rng = new Random(8);
        var theta = Enumerable.Range(0, spec.ParameterCount).Select(_ => (rng.NextDouble() - 0.5)).ToArray();
        var cpu = new DenseNetwork(spec, theta);
        var gpu = new GpuNetwork(spec, theta, precision);
        int n = spec.ParameterCount;
        var dense = Spectrum.Eigenvalues(cpu.Hessian(), n);
        double norm = Math.Max(Math.Abs(dense[0]), Math.Abs(dense[^1]));
        var ritz = Spectrum.Lanczos(gpu.Lanczos, n, steps: 12, seed: 3);
        double rounding = (precision == Precision.Float64 ? 1e-9 : 1e-3) * norm;
        for (int i = 0; i < ritz.RitzValues.Length; i++)
        {
            double nearest = dense.Min(l => Math.Abs(l - ritz.RitzValues[i]));
            Assert.True(nearest <= ritz.ResidualBounds[i] + rounding, $"Ritz value {ritz.RitzValues[i]:R}: nearest eigenvalue {nearest:G3} away, bound {ritz.ResidualBounds[i]:G3}");
        }
        Assert.True(Math.Abs(ritz.Largest - dense[^1]) <= 1e-2 * norm, $"largest Ritz value {ritz.Largest} vs λ_max {dense[^1]}");
        if (precision == Precision.Float64)
        {
            var start = Enumerable.Range(0, n).Select(i => Math.Sin(i + 1.0)).ToArray();
            var (deviceAlpha, deviceBeta) = gpu.Lanczos(start, 12);
            var (hostAlpha, hostBeta) = Spectrum.LanczosCoefficients(cpu.HessianVector, start, 12);
            Assert.Equal(hostAlpha.Length, deviceAlpha.Length);
            for (int k = 0; k < hostAlpha.Length; k++)
            {
                Assert.True(Math.Abs(hostAlpha[k] - deviceAlpha[k]) <= 1e-9 * norm, $"α_{k}: {deviceAlpha[k]:R} vs {hostAlpha[k]:R}");
                Assert.True(Math.Abs(hostBeta[k] - deviceBeta[k]) <= 1e-9 * norm, $"β_{k}: {deviceBeta[k]:R} vs {hostBeta[k]:R}");
            }
        }
    }

    private static NetworkSpec RandomNetwork(int width, int depth, Activation sigma, Rational weightDecay, int seed, int samples = 16, bool bias = true)
    {
        var rng = new Random(seed);
        int[] widths = [10, .. Enumerable.Repeat(width, depth - 1), 1];
        return new NetworkSpec
        {
            Widths = widths, HiddenActivations = Enumerable.Repeat(sigma, depth - 1).ToArray(), OutputActivation = Activation.Identity, Bias = bias,
            Loss = LossKind.HalfMse, WeightDecay = weightDecay,
            X = Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, 10).Select(_ => Rational.Create(rng.Next(-8, 9), 4)).ToArray()).ToArray(),
            Y = Enumerable.Range(0, samples).Select(_ => new[] { Rational.Create(rng.Next(-4, 5), 2) }).ToArray(),
        };
    }

    /// <summary>
    /// GPU against the interval engine's enclosures (float64 and float32) and, in float64, against the CPU engine, on
    /// wider networks up to about 10⁵ parameters (dot products of length ≤ 300); the interval engine takes about a second
    /// at 94k parameters.
    /// </summary>
    [Fact]
    public void GpuAgreesWithTheIntervalAndCpuEnginesOnLargeNetworks()
    {
        var large = from width in Gen.Elements(8, 64, 300)
                    from depth in Gen.Choose(2, 3)
                    from sigma in Gen.Elements<Activation>(Activation.Tanh, Activation.Sigmoid, new Softplus(1))
                    from precision in Gen.Elements(Precision.Float64, Precision.Float32)
                    from seed in Gen.Choose(1, 100_000)
                    select (Width: width, Depth: depth, Sigma: sigma, Precision: precision, Seed: seed);
        bool Agrees((int Width, int Depth, Activation Sigma, Precision Precision, int Seed) t)
        {
            var spec = RandomNetwork(t.Width, t.Depth, t.Sigma, Rational.Zero, t.Seed);
            var rng = new Random(t.Seed + 1);
            int scale = 1000 * (int)Math.Ceiling(Math.Sqrt(t.Width));
            var point = Enumerable.Range(0, spec.ParameterCount).Select(_ => Rational.Create(rng.Next(-1000, 1001), scale)).ToArray();
            var direction = Enumerable.Range(0, spec.ParameterCount).Select(_ => Rational.Create(rng.Next(-500, 501), 1000)).ToArray();
            if (Disagreement(spec, point, direction, t.Precision) is { } bad) throw new Xunit.Sdk.XunitException(bad);
            if (t.Precision == Precision.Float32) return true;
            var theta = point.Select(q => q.ToDouble()).ToArray();
            var v = direction.Select(q => q.ToDouble()).ToArray();
            var cpu = new DenseNetwork(spec, theta);
            var gpu = new GpuNetwork(spec, theta);
            var (cpuHv, gpuHv) = (cpu.HessianVector(v), gpu.HessianVector(v));
            // Both are float64 evaluations of the same sums in different orders: each is within γ_K·M of the truth.
            double magnitude = 1 + cpu.Gradient.Concat(cpuHv).Max(Math.Abs);
            double tol = 2 * 4 * (16 + spec.Widths.Sum() + 16 * t.Depth) * Math.ScaleB(1, -53) * magnitude * 64;
            return Math.Abs(cpu.Loss - gpu.Loss) <= tol && cpu.Gradient.Zip(gpu.Gradient).All(p => Math.Abs(p.First - p.Second) <= tol)
                && cpuHv.Zip(gpuHv).All(p => Math.Abs(p.First - p.Second) <= tol);
        }
        PropertyCheck.Run("GPU = interval engine (float64, float32) and CPU engine (float64): L, ∇L, H v on networks up to 10⁵ parameters", Arb.From(large), Agrees, trials: 8);
        // The largest size in both precisions every time (the draws above reach it only by chance): 10-300-300-1, P = 93901.
        Assert.True(Agrees((300, 3, Activation.Tanh, Precision.Float64, 1)));
        Assert.True(Agrees((300, 3, Activation.Sigmoid, Precision.Float32, 2)));
    }

    /// <summary>A planted kernel bug (the last layer's bias gradient dropped; H v losing its δ·Ra term; the structured Hessian losing its δ·Ra term) is caught and shrunk to a small network.</summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void PlantedKernelBugIsCaughtAndShrunk(int bug)
    {
        NetworkCase? shrunk = null;
        bool fullHessian = bug == 3; // bug 3 is in the structured Hessian's kernel
        var e = Assert.Throws<PropertyFailedException>(() =>
            PropertyCheck.Run($"planted bug {bug}", Cases(), c =>
            {
                bool agrees = Disagreement(c, Precision.Float64, plantedBug: bug, fullHessian) is null;
                if (!agrees) shrunk = c; // FsCheck calls the property on each shrink candidate; the last failure is the shrunk case
                return agrees;
            }, trials: 200));
        Assert.Contains("seed", e.Message);
        Assert.NotNull(shrunk);
        Assert.True(shrunk!.Spec.ParameterCount <= 8, $"shrunk to {shrunk} ({shrunk.Spec.ParameterCount} parameters)");
        Assert.NotNull(Disagreement(shrunk, Precision.Float64, plantedBug: bug, fullHessian));
        Assert.Null(Disagreement(shrunk, Precision.Float64, fullHessian: fullHessian));
    }

    [Fact]
    public void BackendsChooseAndRefuseClearly()
    {
        var spec = new NetworkSpec
        {
            Widths = [1, 2, 1], HiddenActivations = [Activation.Tanh], OutputActivation = Activation.Identity, Bias = true,
            Loss = LossKind.CrossEntropy, WeightDecay = Rational.Zero, X = [[1]], Y = [[1]],
        };
        var e = Assert.Throws<NotSupportedException>(() => Backends.Create(spec, new double[spec.ParameterCount], "gpu"));
        Assert.Contains("cross-entropy", e.Message);
        Assert.Equal("cpu", Backends.Create(spec, new double[spec.ParameterCount], "auto").Name); // no GPU here, and unsupported anyway
        Assert.Throws<ArgumentException>(() => Backends.Create(spec, new double[spec.ParameterCount], "tpu"));
        Assert.Contains(Devices.List(), d => d.Type == "cpu-accelerator");
    }
}
