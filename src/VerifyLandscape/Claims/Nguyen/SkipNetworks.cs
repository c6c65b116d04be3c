using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Nguyen;

/// <summary>A rigorously non-singular N×N minor of Ψ: the columns (skip units) it uses and β ≥ ‖I − RΨ_S‖_∞ &lt; 1.</summary>
public sealed record RankCertificate(int[] Columns, double Beta);

/// <summary>
/// What 001's claims share: the skip networks they speak about (generator and shrinker), the point of an instance
/// random:SEED (every parameter a seeded small rational), Ψ's enclosure there, and the single-point rank
/// certificate (notes §1.2, N-3.2): Ψ's entries are analytic in U, so one non-singular N×N minor at one U0 makes
/// det Ψ_S a non-zero analytic function, whose zero set is null (Lemma A.1): rank Ψ = N for almost every U.
/// </summary>
public static class SkipNetworks
{
    public const string Kind = "random";

    public static Rational[] Point(ClaimInstance c) => SeededRationals.Draw(c.Spec.ParameterCount, c.Seed);

    /// <summary>The seeded point, then shrunk by 4 and 16 (saturated sigmoids make Ψ's columns numerically equal), then three more seeds: 12 points.</summary>
    public static IEnumerable<Rational[]> SeededPoints(NetworkSpec s, int seed) =>
        from offset in new[] { 0, 1, 2, 3 }
        from f in new[] { 1, 4, 16 }
        select SeededRationals.Draw(s.ParameterCount, seed + offset * 1_000_003).Select(q => q / f).ToArray();

    public static Interval[,] PsiEnclosure(NetworkSpec s, IReadOnlyList<Rational> theta) =>
        SkipFeatures.Psi(s, theta.Select(Interval.FromRational).ToArray());

    /// <summary>Picks N columns of Ψ by complete pivoting on its midpoint (floating point, only a choice), then proves that minor non-singular.</summary>
    public static RankCertificate? CertifyFullRowRank(Interval[,] psi)
    {
        int n = psi.GetLength(0), m = psi.GetLength(1);
        if (m < n) return null;
        var columns = ChooseColumns(IntervalLinearAlgebra.Midpoint(psi), n);
        if (columns is null) return null;
        var minor = IntervalLinearAlgebra.Columns(psi, columns);
        return IntervalLinearAlgebra.ProvesNonSingular(minor, out double beta, out _) ? new RankCertificate(columns, beta) : null;
    }

    private static int[]? ChooseColumns(double[,] a, int count)
    {
        int n = a.GetLength(0), m = a.GetLength(1);
        a = (double[,])a.Clone();
        var rowUsed = new bool[n];
        var colUsed = new bool[m];
        var chosen = new List<int>();
        for (int step = 0; step < count; step++)
        {
            int bi = -1, bj = -1;
            double best = 0;
            for (int i = 0; i < n; i++)
                if (!rowUsed[i])
                    for (int j = 0; j < m; j++)
                        if (!colUsed[j] && Math.Abs(a[i, j]) > best) (bi, bj, best) = (i, j, Math.Abs(a[i, j]));
            if (bi < 0) return null;
            rowUsed[bi] = colUsed[bj] = true;
            chosen.Add(bj);
            for (int i = 0; i < n; i++)
            {
                if (rowUsed[i]) continue;
                double f = a[i, bj] / a[bi, bj];
                for (int j = 0; j < m; j++) a[i, j] -= f * a[bi, j];
            }
        }
        chosen.Sort();
        return chosen.ToArray();
    }

    /// <summary>Sample labels (the index of the one in each one-hot target).</summary>
    public static int[] Labels(NetworkSpec s) => s.Y.Select(y => Array.FindIndex(y, v => v.IsOne)).ToArray();

    /// <summary>
    /// Skip networks in 001's setting: one or two hidden layers, biases on, no output bias, cross-entropy, one-hot
    /// labels, the output reading a random list of hidden units; inputs on a grid of halves in [−3, 3] (so duplicates occur).
    /// </summary>
    public static Gen<NetworkSpec> Specs(Gen<Activation> activations, int maxSamples = 5) =>
        from hidden in Gen.Choose(1, 2)
        from d in Gen.Choose(1, 2)
        from widths in Gen.ArrayOf(Gen.Choose(1, 6), hidden)
        from m in Gen.Choose(2, 3)
        from n in Gen.Choose(1, maxSamples)
        from sigmas in Gen.ArrayOf(activations, hidden)
        from xs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-6, 6).Select(v => Rational.Create(v, 2)), d), n)
        from labels in Gen.ArrayOf(Gen.Choose(0, m - 1), n)
        from picks in Gen.ArrayOf(Gen.Choose(0, 1000), 8)
        let spec = new NetworkSpec
        {
            Widths = [d, .. widths, m], HiddenActivations = sigmas, OutputActivation = Activation.Identity, Bias = true, OutputBias = false,
            Loss = LossKind.CrossEntropy, WeightDecay = Rational.Zero, X = xs, Y = OneHot(labels, m),
        }
        select spec.With(skip: PickUnits(spec, picks));

    /// <summary>
    /// 001's convolutional setting, small: a 1-D convolution (kernel 1 or 2, stride 1, weights shared across positions,
    /// the other weights missing, i.e. frozen at 0; the bias shared when <paramref name="sharedBias"/> says so), a second
    /// layer reading a random subset of the first (a layered DAG), the output reading every first-layer unit and some of
    /// the second. The last z ≥ 0 input coordinates are 0 on every sample (a border patch, as in MNIST).
    /// </summary>
    public static Gen<NetworkSpec> ConvolutionSpecs(Gen<Activation> activations, Gen<bool> sharedBias, bool border = true) =>
        from d in Gen.Choose(3, 5)
        from kernel in Gen.Choose(1, 2)
        from zeros in border ? Gen.Choose(0, 3) : Gen.Constant(0)
        from n in Gen.Choose(1, 6)
        from sigma in activations
        from shareBias in sharedBias
        from xs in Gen.ArrayOf(Gen.ArrayOf(Gen.Choose(-6, 6).Select(v => Rational.Create(v, 2)), d), n)
        from labels in Gen.ArrayOf(Gen.Choose(0, 1), n)
        from picks in Gen.ArrayOf(Gen.Choose(0, 1000), 8)
        select Convolution(d, kernel, Math.Min(zeros, d - 1), sigma, shareBias,
            xs.Select(x => x.Select((v, j) => j >= d - Math.Min(zeros, d - 1) ? Rational.Zero : v).ToArray()).ToArray(), labels, picks);

    private static NetworkSpec Convolution(int d, int kernel, int zeros, Activation sigma, bool sharedBias, Rational[][] xs, int[] labels, int[] picks)
    {
        int positions = d - kernel + 1;
        int second = 1 + picks[0] % 2;
        var reads = new HiddenUnit[]?[3];
        reads[2] = Enumerable.Range(0, positions).Where(u => picks[1 + u % 4] % 2 == 0 || u == 0).Select(u => new HiddenUnit(1, u)).ToArray();
        var shared = Enumerable.Range(0, kernel).Select(t => Enumerable.Range(0, positions).Select(u => $"W1[{u},{u + t}]").ToArray()).Where(g => g.Length >= 2).ToList();
        if (sharedBias && positions >= 2) shared.Add(Enumerable.Range(0, positions).Select(u => $"b1[{u}]").ToArray());
        var frozen = Enumerable.Range(0, positions).SelectMany(u => Enumerable.Range(0, d).Where(j => j < u || j >= u + kernel)
            .Select(j => KeyValuePair.Create($"W1[{u},{j}]", Rational.Zero))).ToArray();
        var skip = Enumerable.Range(0, positions).Select(u => new HiddenUnit(1, u))
            .Concat(Enumerable.Range(0, second).Where(u => picks[5 + u] % 2 == 0).Select(u => new HiddenUnit(2, u))).ToArray();
        return new NetworkSpec
        {
            Widths = [d, positions, second, 2], HiddenActivations = [sigma, sigma], OutputActivation = Activation.Identity, Bias = true, OutputBias = false,
            Loss = LossKind.CrossEntropy, WeightDecay = Rational.Zero, X = xs, Y = OneHot(labels, 2),
            Skip = skip, Reads = reads, Shared = shared.ToArray(), Frozen = frozen,
        };
    }

    public static Rational[][] OneHot(int[] labels, int m) =>
        labels.Select(y => Enumerable.Range(0, m).Select(j => j == y ? Rational.One : Rational.Zero).ToArray()).ToArray();

    /// <summary>Every hidden unit one time in three (the experiments' "all units wired out"), else a random subset.</summary>
    private static HiddenUnit[] PickUnits(NetworkSpec s, int[] picks) =>
        picks[1] % 3 == 0 ? s.HiddenUnits : NetworkCases.PickUnits(s, picks).OrderBy(u => u.Layer).ThenBy(u => u.Unit).ToArray();

    /// <summary>Fewer samples, skip units, inputs, hidden units and layers; simpler numbers and activations.</summary>
    public static IEnumerable<NetworkSpec> Shrink(NetworkSpec s)
    {
        var skip = s.OutputSources;
        if (s.SampleCount > 1)
            for (int i = 0; i < s.SampleCount; i++)
                yield return s.With(x: s.X.Where((_, k) => k != i).ToArray(), y: s.Y.Where((_, k) => k != i).ToArray());
        if (skip.Length > 1)
            for (int j = 0; j < skip.Length; j++) yield return s.With(skip: skip.Where((_, k) => k != j).ToArray());
        if (s.InputWidth > 1)
            for (int c = 0; c < s.InputWidth; c++)
                yield return s.With(widths: [s.InputWidth - 1, .. s.Widths[1..]], x: s.X.Select(r => r.Where((_, k) => k != c).ToArray()).ToArray());
        // a hidden layer none of whose units the output reads, or a unit it does not read
        for (int k = 1; k < s.Depth; k++)
        {
            if (s.Depth > 2 && skip.All(u => u.Layer != k))
                yield return s.With(widths: s.Widths.Where((_, j) => j != k).ToArray(), hidden: s.HiddenActivations.Where((_, j) => j != k - 1).ToArray(),
                    skip: skip.Select(u => u.Layer > k ? u with { Layer = u.Layer - 1 } : u).ToArray());
            if (s.Widths[k] > 1)
                for (int u = 0; u < s.Widths[k]; u++)
                {
                    if (skip.Contains(new HiddenUnit(k, u))) continue;
                    var w = (int[])s.Widths.Clone();
                    w[k]--;
                    yield return s.With(widths: w, skip: skip.Select(v => v.Layer == k && v.Unit > u ? v with { Unit = v.Unit - 1 } : v).ToArray());
                }
        }
        for (int k = 0; k < s.HiddenActivations.Length; k++)
            foreach (var simpler in new Activation[] { Activation.Identity, Activation.Relu, Activation.Sigmoid })
                if (Simpler(simpler, s.HiddenActivations[k]))
                    yield return s.With(hidden: s.HiddenActivations.Select((a, j) => j == k ? simpler : a).ToArray());
        if (s.X.Any(r => r.Any(v => !v.IsZero)))
            for (int i = 0; i < s.SampleCount; i++)
                for (int c = 0; c < s.InputWidth; c++)
                    if (!s.X[i][c].IsZero)
                        yield return s.With(x: s.X.Select((r, a) => r.Select((v, b) => a == i && b == c ? (v.Abs() > 1 ? (Rational)v.Sign : Rational.Zero) : v).ToArray()).ToArray());
    }

    // A strict order on activations, so shrinking terminates: identity < relu < sigmoid < the rest.
    private static bool Simpler(Activation candidate, Activation current) => Rank(candidate) < Rank(current);
    private static int Rank(Activation a) => a switch { IdentityActivation => 0, LeakyRelu { Alpha.IsZero: true } => 1, SigmoidActivation => 2, _ => 3 };

    /// <summary>Instances of one claim at random:SEED over the given specs.</summary>
    public static Gen<ClaimInstance> Instances(string id, Gen<NetworkSpec> specs) =>
        from s in specs
        from seed in Gen.Choose(1, 100000)
        select new ClaimInstance(id, s, [seed], Construction: Kind);

    public static IEnumerable<ClaimInstance> ShrinkInstance(ClaimInstance c) => Shrink(c.Spec).Select(s => c with { Spec = s });
}
