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
/// The batched double engine against the exact layer (rational, where σ is rational-valued; interval enclosures
/// otherwise), against finite differences, and its spectrum code against a dense eigensolver.
/// </summary>
public class NumericEngineTests
{
    private static DenseNetwork? Dense(NetworkCase c)
    {
        try { return new DenseNetwork(c.Spec, c.Point.Select(q => q.ToDouble()).ToArray()); }
        catch (NonSmoothPointException) { return null; }
    }

    private static double[] Direction(int count, int seed) => Point.RandomRationals(count, seed).Select(q => q.ToDouble()).ToArray();

    /// <summary>
    /// |double − exact| ≤ 1e-8 (1 + max|exact|): each entry is a sum of at most a few hundred products on these
    /// networks (depth ≤ 3, widths ≤ 3, N ≤ 3), each rounding costs 2⁻⁵³ relative to the largest partial sum,
    /// and partial sums stay within a few orders of magnitude of the largest entry; 1e-8 leaves a wide margin
    /// while a wrong formula is off by O(1).
    /// </summary>
    internal static bool Close(double[] d, Rational[] exact)
    {
        double scale = 1 + exact.Max(q => Math.Abs(q.ToDouble()));
        return d.Length == exact.Length && d.Zip(exact).All(t => Math.Abs(t.First - t.Second.ToDouble()) <= 1e-8 * scale);
    }

    [Fact]
    public void BatchedEngineEqualsTheRationalEngine()
    {
        PropertyCheck.Run("double engine = rational engine (gradient, H v, Hessian) on rational-valued σ",
            NetworkCases.Arbitrary(NetworkCases.ExactActivation, losses: [LossKind.Sse, LossKind.HalfMse], outputs: NetworkCases.ExactActivation), c =>
            {
                if (Dense(c) is not { } dense) return true;
                NetworkDerivatives<Rational> exact;
                try { exact = new NetworkDerivatives<Rational>(c.Spec, c.Point); }
                catch (NonSmoothPointException) { return true; }
                var v = Point.RandomRationals(c.Spec.ParameterCount, c.PointSeed + 1);
                var h = dense.Hessian();
                var hExact = exact.Hessian();
                int p = c.Spec.ParameterCount;
                var flatExact = Enumerable.Range(0, p * p).Select(i => hExact[i / p, i % p]).ToArray();
                return Math.Abs(dense.Loss - exact.Loss.ToDouble()) <= 1e-8 * (1 + Math.Abs(exact.Loss.ToDouble()))
                    && Close(dense.Gradient, exact.Gradient)
                    && Close(dense.HessianVector(v.Select(q => q.ToDouble()).ToArray()), exact.HessianVector(v))
                    && Close(h, flatExact);
            }, trials: 150);
    }

    [Fact]
    public void BatchedEngineLiesInTheIntervalEnclosures()
    {
        // Enclosures are rigorous; the double result carries its own rounding error of a few ulps of the
        // largest intermediate, so it must lie in the enclosure widened by 1e-9 (1 + max|midpoint|).
        var transcendental = FsCheck.Fluent.Gen.Elements<Activation>(Activation.Tanh, Activation.Sigmoid, new Softplus(2), Activation.Swish);
        PropertyCheck.Run("double engine ∈ interval enclosures (tanh, sigmoid, softplus, swish; all losses)",
            NetworkCases.Arbitrary(transcendental, losses: [LossKind.Sse, LossKind.HalfMse, LossKind.CrossEntropy]), c =>
            {
                var dense = Dense(c)!;
                var box = new NetworkDerivatives<Interval>(c.Spec, c.Point.Select(Interval.FromRational).ToArray());
                var h = dense.Hessian();
                var hBox = box.Hessian();
                int p = c.Spec.ParameterCount;
                bool Inside(double[] d, Interval[] e)
                {
                    double scale = 1 + e.Max(i => Math.Abs(i.Mid));
                    return d.Length == e.Length && d.Zip(e).All(t => t.First >= t.Second.Lo - 1e-9 * scale && t.First <= t.Second.Hi + 1e-9 * scale);
                }
                return Inside([dense.Loss], [box.Loss]) && Inside(dense.Gradient, box.Gradient)
                    && Inside(h, Enumerable.Range(0, p * p).Select(i => hBox[i / p, i % p]).ToArray());
            }, trials: 120);
    }

    [Fact]
    public void HessianVectorProductsMatchGradientDifferencesOnLargerNetworks()
    {
        // Central differences of the gradient along v with step h: error O(h² ‖∇³L‖ ‖v‖³) + O(ε ‖∇L‖ / h);
        // with h = 1e-5 / ‖v‖∞ both are below 1e-5 (1 + ‖Hv‖∞) on these tanh networks (weights ±1/√fan_in).
        var gen = from widths in FsCheck.Fluent.Gen.Elements(new[] { 4, 16, 16, 1 }, new[] { 8, 32, 32, 2 }, new[] { 10, 64, 64, 64, 1 }, new[] { 3, 40, 3 })
                  from n in FsCheck.Fluent.Gen.Choose(4, 40)
                  from seed in FsCheck.Fluent.Gen.Choose(1, 10000)
                  select (widths, n, seed);
        PropertyCheck.Run("H v (R-operator) = central differences of the gradient, networks up to 9089 parameters",
            FsCheck.Fluent.Arb.From(gen), t =>
            {
                var (spec, theta) = RandomNetworks.Create(t.widths, Activation.Tanh, t.n, t.seed);
                var net = new DenseNetwork(spec, theta);
                var v = Direction(theta.Length, t.seed);
                var hv = net.HessianVector(v);
                double step = 1e-5 / v.Max(Math.Abs);
                var plus = new DenseNetwork(spec, theta.Zip(v, (a, b) => a + step * b).ToArray()).Gradient;
                var minus = new DenseNetwork(spec, theta.Zip(v, (a, b) => a - step * b).ToArray()).Gradient;
                double scale = 1 + hv.Max(Math.Abs);
                return Enumerable.Range(0, hv.Length).All(i => Math.Abs((plus[i] - minus[i]) / (2 * step) - hv[i]) <= 1e-5 * scale);
            }, trials: 12);
    }

    [Fact]
    public void LargeNetworkAgreesWithTheRationalEngine()
    {
        // 10-64-64-64-1, 9089 parameters, relu, N = 6, at a rational point: gradient and one H v, exact vs double.
        var spec = RandomNetworks.Spec([10, 64, 64, 64, 1], Activation.Relu, 6, seed: 3);
        var point = Point.RandomRationals(spec.ParameterCount, 5).Select(q => q / 8).ToArray();
        var exact = new NetworkDerivatives<Rational>(spec, point);
        var dense = new DenseNetwork(spec, point.Select(q => q.ToDouble()).ToArray());
        Assert.True(Close(dense.Gradient, exact.Gradient), "gradient differs from the rational engine");
        var v = Point.RandomRationals(spec.ParameterCount, 6);
        Assert.True(Close(dense.HessianVector(v.Select(q => q.ToDouble()).ToArray()), exact.HessianVector(v)), "H v differs from the rational engine");
    }

    [Fact]
    public void LargeTanhNetworkLiesInTheIntervalEnclosures()
    {
        // 10-64-64-64-1, 9089 parameters, tanh, N = 4: gradient and one H v inside the rigorous enclosures,
        // widened by 1e-9 (1 + max|mid|) for the double engine's own rounding (as in the small-network property).
        var spec = RandomNetworks.Spec([10, 64, 64, 64, 1], Activation.Tanh, 4, seed: 8);
        var point = Point.RandomRationals(spec.ParameterCount, 9).Select(q => q / 16).ToArray();
        var box = new NetworkDerivatives<Interval>(spec, point.Select(Interval.FromRational).ToArray());
        var dense = new DenseNetwork(spec, point.Select(q => q.ToDouble()).ToArray());
        var v = Point.RandomRationals(spec.ParameterCount, 10);
        var hvBox = box.HessianVector(v.Select(Interval.FromRational).ToArray());
        var hv = dense.HessianVector(v.Select(q => q.ToDouble()).ToArray());
        void Inside(double[] d, Interval[] e, string what)
        {
            double scale = 1 + e.Max(i => Math.Abs(i.Mid));
            for (int i = 0; i < d.Length; i++)
                Assert.True(d[i] >= e[i].Lo - 1e-9 * scale && d[i] <= e[i].Hi + 1e-9 * scale, $"{what}[{spec.Layout.Name(i)}] = {d[i]} outside {e[i]}");
        }
        Inside(dense.Gradient, box.Gradient, "gradient");
        Inside(hv, hvBox, "H v");
    }

    [Fact]
    public void LanczosExtremesMatchTheFullSpectrum()
    {
        var gen = from widths in FsCheck.Fluent.Gen.Elements(new[] { 3, 6, 6, 1 }, new[] { 5, 10, 2 }, new[] { 2, 8, 8, 8, 1 })
                  from n in FsCheck.Fluent.Gen.Choose(3, 30)
                  from seed in FsCheck.Fluent.Gen.Choose(1, 10000)
                  select (widths, n, seed);
        PropertyCheck.Run("Lanczos (full reorthogonalisation) extremes = dense eigenvalues", FsCheck.Fluent.Arb.From(gen), t =>
        {
            var (spec, theta) = RandomNetworks.Create(t.widths, Activation.Tanh, t.n, t.seed);
            var net = new DenseNetwork(spec, theta);
            int p = spec.ParameterCount;
            var all = Spectrum.Eigenvalues(net.Hessian(), p);
            var lanczos = Spectrum.Lanczos(net.HessianVector, p, Math.Min(p, 80), t.seed);
            // With full reorthogonalisation and 80 steps the extreme Ritz values converge to near machine
            // precision on these spectra; allow 1e-6 of the spectral radius.
            double tol = 1e-6 * Math.Max(1, Math.Max(Math.Abs(all[0]), Math.Abs(all[^1])));
            return Math.Abs(lanczos.Largest - all[^1]) <= tol && Math.Abs(lanczos.Smallest - all[0]) <= tol;
        }, trials: 12);
    }

    [Fact]
    public void OneAndTwoStageEigenvaluesMatchMathNet()
    {
        // Backward-stable reductions: eigenvalues agree to a small multiple of n·ε·‖A‖ (here 1e-12·n·max|a_ij|).
        // oneStageLimit 0 forces the two-stage route at every n; int.MaxValue the one-stage route (split into parallel
        // parts from 256 rows on, hence n up to 320).
        var gen = from n in FsCheck.Fluent.Gen.Choose(1, 320)
                  from band in FsCheck.Fluent.Gen.Elements(1, 2, 3, 8, 32, 64)
                  from oneStageLimit in FsCheck.Fluent.Gen.Elements(0, int.MaxValue)
                  from seed in FsCheck.Fluent.Gen.Choose(1, 100000)
                  select (n, band, oneStageLimit, seed);
        PropertyCheck.Run("one- and two-stage symmetric eigenvalues = MathNet's", FsCheck.Fluent.Arb.From(gen), t =>
        {
            var rng = new Random(t.seed);
            var a = new double[t.n * t.n];
            for (int i = 0; i < t.n; i++)
                for (int j = 0; j <= i; j++) a[i * t.n + j] = a[j * t.n + i] = rng.Next(4) == 0 ? 0 : rng.NextDouble() * 2 - 1;
            var ours = SymmetricEigen.Eigenvalues(a, t.n, t.band, oneStageLimit: t.oneStageLimit);
            var reference = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(t.n, t.n, a)
                .Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(z => z.Real).Order().ToArray();
            return ours.Length == t.n && reference.Length == t.n && ours.Zip(reference).All(p => Math.Abs(p.First - p.Second) <= 1e-12 * t.n + 1e-14);
        }, trials: 80);
    }

    [Fact]
    public void StructuredHessianEqualsHessianVectorProductsOnWideLayers()
    {
        // The structured Hessian groups a layer's units by 8; layers up to 20 wide make several groups and a partial
        // last one. Column p must equal H e_p from the R-operator (a separate code path), to 1e-10·max|H| (both are
        // sums of a few hundred double products of entries of order 1).
        var gen = from widths in Gen.Choose(1, 20).ArrayOf().Where(w => w.Length is >= 1 and <= 2)
                  from input in Gen.Choose(1, 4)
                  from output in Gen.Choose(1, 2)
                  from samples in Gen.Choose(1, 6)
                  from seed in Gen.Choose(1, 100000)
                  select (Widths: new[] { input }.Concat(widths).Append(output).ToArray(), samples, seed);
        PropertyCheck.Run("structured Hessian = columns H e_p", Arb.From(gen), t =>
        {
            var (spec, theta) = RandomNetworks.Create(t.Widths, Activation.Tanh, t.samples, t.seed);
            var net = new DenseNetwork(spec, theta);
            int p = spec.ParameterCount;
            var h = net.Hessian();
            double scale = Math.Max(1e-300, h.Max(Math.Abs)), worst = 0;
            for (int col = 0; col < p; col++)
            {
                var e = new double[p];
                e[col] = 1;
                var hv = net.HessianVector(e);
                for (int row = 0; row < p; row++) worst = Math.Max(worst, Math.Abs(h[row * p + col] - hv[row]));
            }
            return worst <= 1e-10 * scale;
        }, trials: 30);
    }

    [Fact]
    public void MatrixProductsMatchTheDefinition()
    {
        // C += A·B on sub-matrices (offsets, leading dimensions), B read in place or packed once (Gemm.Pack, then a
        // prefix of its rows and columns used, as the band reduction does), and C += Aᵀ·B (A stored k×m), against the
        // triple loop. Shapes cover thin inner dimensions (≤ 64: the row-tile-at-a-time order), several slabs (> 256),
        // and every row and column tiling remainder. Bound: the error of a k-term dot product, 2·k·ε·Σ|a_ip·b_pj|,
        // plus ε·|c| for the accumulation (both sides round).
        var gen = from m in Gen.Choose(1, 40)
                  from k in Gen.Elements(1, 3, 17, 64, 65, 200, 300, 530)
                  from n in Gen.Choose(1, 45)
                  from pad in Gen.Choose(0, 5)
                  from mode in Gen.Elements("in place", "packed", "Aᵀ")
                  from seed in Gen.Choose(1, 100000)
                  select (m, k, n, pad, mode, seed);
        PropertyCheck.Run("Gemm products = Σ_p a_ip·b_pj", Arb.From(gen), t =>
        {
            var rng = new Random(t.seed);
            bool transposed = t.mode == "Aᵀ";
            int lda = (transposed ? t.m : t.k) + t.pad, ldb = t.n + t.pad + 3, ldc = t.n + t.pad, extraRows = t.pad + 2;
            double[] Random(int count) => Enumerable.Range(0, count).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
            double[] a = Random((transposed ? t.k : t.m) * lda + t.pad), b = Random((t.k + extraRows) * ldb + t.pad), c = Random(t.m * ldc + t.pad);
            double A(int i, int q) => transposed ? a[t.pad + q * lda + i] : a[t.pad + i * lda + q];
            var before = (double[])c.Clone();
            if (t.mode == "packed")
            {
                // Pack more rows and columns than the product uses, to exercise the prefix.
                var p = Gemm.Pack(b, t.pad, ldb, t.k + extraRows, t.n + 3);
                Gemm.MultiplyAdd(a, t.pad, lda, p, c, t.pad, ldc, t.m, t.k, t.n);
            }
            else if (transposed) Gemm.MultiplyAddTransposed(a, t.pad, lda, b, t.pad, ldb, c, t.pad, ldc, t.m, t.k, t.n);
            else Gemm.MultiplyAdd(a, t.pad, lda, b, t.pad, ldb, c, t.pad, ldc, t.m, t.k, t.n);
            for (int i = 0; i < t.m; i++)
                for (int j = 0; j < ldc; j++)
                {
                    int at = t.pad + i * ldc + j;
                    if (at >= c.Length) continue;
                    if (j >= t.n) { if (c[at] != before[at]) return false; continue; } // outside C: untouched
                    double exact = before[at], magnitude = Math.Abs(before[at]);
                    for (int q = 0; q < t.k; q++)
                    {
                        double term = A(i, q) * b[t.pad + q * ldb + j];
                        exact += term;
                        magnitude += Math.Abs(term);
                    }
                    if (Math.Abs(c[at] - exact) > 2 * (t.k + 1) * 1.1102230246251565e-16 * magnitude) return false;
                }
            return true;
        }, trials: 200);
    }

    [Fact]
    public void BandToTridiagonalOnTwoThreadsIsTheSameBitForBit()
    {
        // The pipelined sweeps must apply the same operations in the same order to every entry as one thread does.
        var gen = from b in FsCheck.Fluent.Gen.Choose(1, 12)
                  from n in FsCheck.Fluent.Gen.Choose(4 * b, 4 * b + 200)
                  from seed in FsCheck.Fluent.Gen.Choose(1, 100000)
                  select (n, b, seed);
        PropertyCheck.Run("band → tridiagonal: 2 threads = 1 thread, bit for bit", FsCheck.Fluent.Arb.From(gen), t =>
        {
            var rng = new Random(t.seed);
            var a = new double[t.n * t.n];
            for (int i = 0; i < t.n; i++)
                for (int j = Math.Max(0, i - t.b); j <= i; j++) a[i * t.n + j] = a[j * t.n + i] = rng.NextDouble() * 2 - 1;
            var (d1, e1) = SymmetricEigen.BandToTridiagonal(a, t.n, t.b, threads: 1);
            var (d2, e2) = SymmetricEigen.BandToTridiagonal(a, t.n, t.b, threads: 2);
            var (d3, e3) = SymmetricEigen.BandToTridiagonal(a, t.n, t.b, threads: 3);
            return d1.SequenceEqual(d2) && e1.SequenceEqual(e2) && d1.SequenceEqual(d3) && e1.SequenceEqual(e3);
        }, trials: 40);
    }

    /// <summary>
    /// A Hessian from a golikov.yu-chen search point (saturated sigmoid units): entries of 1e-202 beside entries of 2.
    /// The band stage's rotation once formed √(x² + y²) with x² underflowing to 0, and QL then never converged.
    /// </summary>
    [Fact]
    public void TinyEntriesBesideLargeOnesDoNotBreakTheSolver()
    {
        double[] a =
        [
            1.774341395183871E-202, -7.42515255957951E-214, 0, -5.914471316213758E-203, -1.7743413938440389E-202, -1.7743413938444237E-202,
            -7.425152559579511E-214, 4.184737272642157E-12, 0, 2.4750508527471563E-214, 3.967799690291027E-12, 4.1847372694674096E-12,
            0, 0, 0, 0, 0, 0,
            -5.914471316213758E-203, 2.4750508527471563E-214, 0, 0.25, 0.25, 0.25,
            -1.7743413938440389E-202, 3.967799690291027E-12, 0, 0.25, 2.249999999999566, 2.2499999999997833,
            -1.7743413938444237E-202, 4.1847372694674096E-12, 0, 0.25, 2.2499999999997833, 2.25,
        ];
        var reference = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.DenseOfRowMajor(6, 6, a)
            .Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric).EigenValues.Select(z => z.Real).Order().ToArray();
        foreach (int oneStageLimit in new[] { 0, int.MaxValue }) // both routes
        {
            var ours = SymmetricEigen.Eigenvalues(a, 6, band: 2, oneStageLimit: oneStageLimit);
            Assert.All(ours.Zip(reference), p => Assert.True(Math.Abs(p.First - p.Second) <= 1e-14 * 4.6, $"{p.First} vs {p.Second}"));
            // The same at every scale double can hold: the solver scales by a power of two, exactly.
            foreach (double scale in new[] { 1e-300, 1e-150, 1e150, 1e300 })
            {
                var scaled = SymmetricEigen.Eigenvalues(a.Select(x => x * scale).ToArray(), 6, band: 2, oneStageLimit: oneStageLimit);
                Assert.All(scaled.Zip(ours), p => Assert.True(Math.Abs(p.First / scale - p.Second) <= 1e-13 * 4.6, $"scale {scale}: {p.First / scale} vs {p.Second}"));
            }
        }
    }

    [Fact]
    public void DensityWeightsSumToOneAndCoverTheSpectrum()
    {
        var (spec, theta) = RandomNetworks.Create([4, 12, 12, 1], Activation.Tanh, 20, 7);
        var net = new DenseNetwork(spec, theta);
        var all = Spectrum.Eigenvalues(net.Hessian(), spec.ParameterCount);
        var density = Spectrum.Density(net.HessianVector, spec.ParameterCount, probes: 8, steps: 30);
        Assert.InRange(density.Weights.Sum(), 1 - 1e-9, 1 + 1e-9);
        double radius = Math.Max(Math.Abs(all[0]), Math.Abs(all[^1]));
        Assert.All(density.Nodes, x => Assert.InRange(x, all[0] - 1e-6 * radius, all[^1] + 1e-6 * radius));
    }

    [Fact]
    public void NpyRoundTripsAndReadsFortranOrder()
    {
        var values = new double[] { 1, 2, 3, 4, 5, 6 };
        var back = Npy.Parse(Npy.Format(values, [2, 3]), "test.npy");
        Assert.Equal(values, back.Values);
        Assert.Equal([2, 3], back.Shape);
        // The same matrix [[1,2,3],[4,5,6]] stored in Fortran order is 1,4,2,5,3,6.
        var bytes = Npy.Format([1, 4, 2, 5, 3, 6], [2, 3]);
        var text = System.Text.Encoding.Latin1.GetString(bytes).Replace("'fortran_order': False", "'fortran_order': True ");
        var fortran = Npy.Parse(System.Text.Encoding.Latin1.GetBytes(text), "f.npy");
        Assert.Equal(values, fortran.Values);
        var single = Npy.Parse(Npy.Format([0.1], [1], float32: true), "s.npy");
        Assert.Equal("float32", single.ElementType);
        Assert.Equal((double)0.1f, single.Values[0]);
    }
}

[Collection("console")] // one test redirects the console to run the CLI
public class HessianSpectrumTests
{
    /// <summary>With as many Lanczos steps as parameters, the extreme Ritz values are the dense eigenvalues (to 1e-8 of ‖H‖), whole network and per layer.</summary>
    [Theory]
    [InlineData(null)]
    [InlineData(2)]
    public void LanczosExtremesMatchTheDenseEigenvalues(int? layer)
    {
        var (spec, theta) = RandomNetworks.Create([3, 6, 5, 1], Activation.Tanh, 8, 11);
        var r = HessianSpectrum.Run(spec, theta, new HessianSpectrum.Options { Layer = layer, Steps = 500, Top = 3, Bottom = 3, Dense = true });
        var all = r.DenseEigenvalues!;
        double scale = Math.Max(1, all.Max(Math.Abs));
        for (int i = 0; i < 3; i++)
        {
            Assert.True(Math.Abs(r.Top[i].Value - all[^(i + 1)]) <= 1e-8 * scale, $"largest {i}: {r.Top[i].Value} vs {all[^(i + 1)]}");
            Assert.True(Math.Abs(r.Bottom[i].Value - all[i]) <= 1e-8 * scale, $"smallest {i}: {r.Bottom[i].Value} vs {all[i]}");
        }
    }

    [Fact]
    public void HutchinsonTraceIsWithinFiveStandardErrorsOfTheExactTrace()
    {
        var (spec, theta) = RandomNetworks.Create([3, 8, 8, 1], Activation.Tanh, 10, 5);
        var r = HessianSpectrum.Run(spec, theta, new HessianSpectrum.Options { TraceProbes = 200, Steps = 20, Dense = true, Seed = 4 });
        Assert.True(Math.Abs(r.TraceEstimate - r.DenseTrace!.Value) <= 5 * r.TraceStandardError, $"trace {r.TraceEstimate} ± {r.TraceStandardError}, exact {r.DenseTrace}");
    }

    [Fact]
    public void SpectrumCommandWritesJsonAndRejectsBadInput()
    {
        var spec = Path.Combine(TestPaths.ProofsData, "specs", "depth4-tanh.json");
        var (code, output, _) = SpecValidationTests.RunVl("spectrum", spec, "--at", "random:3", "--format", "json", "--dense", "--top", "2");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        Assert.Equal(2, doc.RootElement.GetProperty("largest").GetArrayLength());
        Assert.Equal(21, doc.RootElement.GetProperty("dense").GetProperty("eigenvalues").GetArrayLength());
        Assert.Equal("cpu", doc.RootElement.GetProperty("backend").GetString());
        // The GPU backend (ILGPU's CPU accelerator here): its structured Hessian and device Lanczos give the same spectrum.
        var (gpuCode, gpuOutput, _) = SpecValidationTests.RunVl("spectrum", spec, "--at", "random:3", "--format", "json", "--dense", "--top", "2", "--backend", "gpu");
        Assert.Equal(0, gpuCode);
        using var gpuDoc = System.Text.Json.JsonDocument.Parse(gpuOutput);
        Assert.StartsWith("gpu (", gpuDoc.RootElement.GetProperty("backend").GetString());
        var cpuValues = doc.RootElement.GetProperty("dense").GetProperty("eigenvalues").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        var gpuValues = gpuDoc.RootElement.GetProperty("dense").GetProperty("eigenvalues").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        double norm = cpuValues.Max(Math.Abs);
        Assert.All(cpuValues.Zip(gpuValues), v => Assert.True(Math.Abs(v.First - v.Second) <= 1e-10 * norm, $"{v.First:R} vs {v.Second:R}"));
        double largest = doc.RootElement.GetProperty("largest")[0].GetProperty("value").GetDouble();
        Assert.True(Math.Abs(largest - gpuDoc.RootElement.GetProperty("largest")[0].GetProperty("value").GetDouble()) <= 1e-9 * norm);
        Assert.Equal(2, SpecValidationTests.RunVl("spectrum", spec, "--at", "core").Code);          // a locus, not a point
        Assert.Equal(2, SpecValidationTests.RunVl("spectrum", spec, "--at", "random:3", "--layer", "9").Code);
        Assert.Equal(2, SpecValidationTests.RunVl("spectrum", spec, "--at", "random:3", "--steps", "x").Code);
    }

    [Fact]
    public void DenseRouteRefusesWhenTheMatrixWouldNotFit()
    {
        var (spec, theta) = RandomNetworks.Create([3, 8, 8, 1], Activation.Tanh, 10, 5);
        var e = Assert.Throws<InsufficientMemoryException>(() =>
            HessianSpectrum.Run(spec, theta, new HessianSpectrum.Options { Dense = true, MemoryLimitBytes = 1000 }));
        Assert.Contains("GB", e.Message);
    }
}
