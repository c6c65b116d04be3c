using System.Diagnostics;
using System.Text.Json.Nodes;
using VerifyLandscape.Claims.Nguyen;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;

namespace VerifyLandscape.Experiments;

/// <summary>
/// A search for bad critical points of small relu skip-nets, where 001's hypotheses fail and rank Ψ &lt; N is possible
/// (notes §1.2: relu has open sets of U with a rank drop). Each trial draws a network in 001's setting with relu
/// hidden units (2 inputs, hidden widths 4-4, 2 classes, N = 6 distinct inputs, the output reading N units, no output
/// bias), a random start (weights N(0, 1/fan-in), biases N(0, 1), shifted by −1.5 in every other trial to start near the
/// rank-deficient region where some units are dead), and runs full-batch gradient descent (step 0.1) on
/// the mean cross-entropy. A trial "stalls" when ‖∇Φ‖ &lt; 1e-5 while a sample is still misclassified. For every
/// stalled end point it reports the relu units dead on every sample, rank Ψ (numerically: eigenvalues of ΨΨᵀ above
/// 1e-10 of the largest) and the extreme eigenvalues of the Hessian (the dense double engine). This is numeric
/// evidence, never a certificate: a small gradient is not a critical point, and PSD in double is not a local minimum.
/// </summary>
public static class NguyenReluSearch
{
    public const int Inputs = 2, Classes = 2, Samples = 6, Steps = 20_000;
    public const double StepSize = 0.1, Stalled = 1e-5;

    public sealed record Trial(int Index, double Loss, double GradientNorm, double TrainingError, bool Stalled, int DeadUnits, int RankPsi,
        double HessianMin, double HessianMax);
    public sealed record Result(ulong Seed, int Trials, Trial[] All, double Seconds);

    public static Result Run(int trials, ulong seed, IProgress<int>? progress = null)
    {
        var sw = Stopwatch.StartNew();
        var all = new Trial[trials];
        int done = 0;
        Parallel.For(0, trials, t =>
        {
            all[t] = RunTrial(t, seed);
            progress?.Report(Interlocked.Increment(ref done));
        });
        return new(seed, trials, all, sw.Elapsed.TotalSeconds);
    }

    private static Trial RunTrial(int index, ulong seed)
    {
        var rng = new Random((int)((seed + (ulong)index * 7919) % int.MaxValue));
        var spec = Spec(rng);
        var theta = new double[spec.ParameterCount];
        var layout = spec.Layout;
        for (int p = 0; p < theta.Length; p++)
            theta[p] = layout.IsWeight(p) ? NguyenSkip.StandardNormal(rng) / Math.Sqrt(FanIn(layout.Name(p), spec)) : NguyenSkip.StandardNormal(rng) - (index % 2 == 1 ? 1.5 : 0);
        DenseNetwork at = new(spec, theta);
        for (int step = 0; step < Steps && Norm(at.Gradient) >= Stalled; step++)
        {
            for (int p = 0; p < theta.Length; p++) theta[p] -= StepSize * at.Gradient[p];
            at = new DenseNetwork(spec, theta);
        }
        double error = TrainingError(at, spec);
        bool stalled = Norm(at.Gradient) < Stalled && error > 0;
        var eigen = SymmetricEigen.Eigenvalues(at.Hessian(), theta.Length);
        return new(index, at.Loss, Norm(at.Gradient), error, stalled, DeadUnits(at, spec), RankPsi(at, spec), eigen.Min(), eigen.Max());
    }

    private static NetworkSpec Spec(Random rng)
    {
        // Distinct inputs on a grid of halves in [−2, 2], labels with both classes present.
        var x = new List<Rational[]>();
        while (x.Count < Samples)
        {
            var p = Enumerable.Range(0, Inputs).Select(_ => Rational.Create(rng.Next(-4, 5), 2)).ToArray();
            if (!x.Any(q => q.SequenceEqual(p))) x.Add(p);
        }
        var labels = Enumerable.Range(0, Samples).Select(i => i < 2 ? i : rng.Next(Classes)).ToArray();
        var spec = new NetworkSpec
        {
            Widths = [Inputs, 4, 4, Classes], HiddenActivations = [Activation.Relu, Activation.Relu], OutputActivation = Activation.Identity,
            Bias = true, OutputBias = false, Loss = LossKind.CrossEntropy, WeightDecay = Rational.Zero,
            X = x.ToArray(), Y = SkipNetworks.OneHot(labels, Classes),
        };
        return spec.With(skip: spec.HiddenUnits.OrderBy(_ => rng.Next()).Take(Samples).OrderBy(u => u.Layer).ThenBy(u => u.Unit).ToArray());
    }

    private static int FanIn(string name, NetworkSpec spec) => spec.FanIn(int.Parse(name[1..name.IndexOf('[')]));

    private static double Norm(double[] g) => Math.Sqrt(g.Sum(v => v * v));

    private static double TrainingError(DenseNetwork at, NetworkSpec spec)
    {
        var logits = at.Activations(spec.Depth);
        var labels = SkipNetworks.Labels(spec);
        return (double)Enumerable.Range(0, spec.SampleCount).Count(i => logits[i * Classes + labels[i]] <= logits[i * Classes + 1 - labels[i]]) / spec.SampleCount;
    }

    /// <summary>Hidden relu units whose value is 0 on every sample.</summary>
    private static int DeadUnits(DenseNetwork at, NetworkSpec spec) =>
        spec.HiddenUnits.Count(u => Enumerable.Range(0, spec.SampleCount).All(i => at.Activations(u.Layer)[i * spec.Widths[u.Layer] + u.Unit] <= 0));

    private static int RankPsi(DenseNetwork at, NetworkSpec spec)
    {
        var units = spec.OutputSources;
        int n = spec.SampleCount;
        double Psi(int i, int k) => at.Activations(units[k].Layer)[i * spec.Widths[units[k].Layer] + units[k].Unit];
        var gram = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int k = 0; k < units.Length; k++) gram[i * n + j] += Psi(i, k) * Psi(j, k);
        var eig = SymmetricEigen.Eigenvalues(gram, n);
        double top = eig.Max();
        return top <= 0 ? 0 : eig.Count(e => e > 1e-10 * top);
    }

    public static string Text(Result r)
    {
        var stalled = r.All.Where(t => t.Stalled).ToArray();
        var lines = new List<string>
        {
            $"nguyen-relu-search: {r.Trials} relu skip-nets ({Inputs}-4-4-{Classes}, N = {Samples}, output reads N units), seed {r.Seed}, gradient descent (step {StepSize}, at most {Steps} steps), {r.Seconds:0.0} s",
            $"  zero training error: {r.All.Count(t => t.TrainingError == 0)}; stalled with a misclassified sample (‖∇Φ‖ < {Stalled:G1}): {stalled.Length}; still moving at the step limit: {r.All.Count(t => !t.Stalled && t.TrainingError > 0)}",
            $"  stalled end points with rank Ψ < N: {stalled.Count(t => t.RankPsi < Samples)}; with a dead relu unit: {stalled.Count(t => t.DeadUnits > 0)}; Hessian without a negative eigenvalue below −1e-8: {stalled.Count(t => t.HessianMin > -1e-8)}",
        };
        foreach (var t in stalled.Concat(r.All.Where(t => !t.Stalled && t.TrainingError > 0)).Take(12))
            lines.Add($"    trial {t.Index} ({(t.Stalled ? "stalled" : "moving")}): Φ = {t.Loss:0.0000}, training error {t.TrainingError:0.00}, ‖∇Φ‖ = {t.GradientNorm:G2}, dead units {t.DeadUnits}, rank Ψ = {t.RankPsi}, Hessian eigenvalues in [{t.HessianMin:G3}, {t.HessianMax:G3}]");
        lines.Add("  numeric evidence only (double precision): candidates for bad local minima in the rank-deficient region, not certified critical points");
        return string.Join("\n", lines) + "\n";
    }

    public static JsonObject ToJson(Result r) => new()
    {
        ["experiment"] = "nguyen-relu-search", ["seed"] = r.Seed, ["trials"] = r.Trials, ["seconds"] = Math.Round(r.Seconds, 2),
        ["setting"] = $"relu skip-nets {Inputs}-4-4-{Classes}, N = {Samples}, output reads N units, no output bias; GD step {StepSize}, at most {Steps} steps; stalled: ‖∇Φ‖ < {Stalled} with a misclassified sample",
        ["evidence"] = "numeric (double precision); not a certificate",
        ["results"] = new JsonArray(r.All.Select(t => (JsonNode?)new JsonObject
        {
            ["trial"] = t.Index, ["loss"] = t.Loss, ["gradientNorm"] = t.GradientNorm, ["trainingError"] = t.TrainingError, ["stalled"] = t.Stalled,
            ["deadUnits"] = t.DeadUnits, ["rankPsi"] = t.RankPsi, ["hessianMin"] = t.HessianMin, ["hessianMax"] = t.HessianMax,
        }).ToArray()),
    };
}
