using System.Diagnostics;
using VerifyLandscape.Certificates;
using VerifyLandscape.Checker;
using VerifyLandscape.Claims;
using VerifyLandscape.Claims.Nguyen;
using VerifyLandscape.Exact;
using VerifyLandscape.Intervals;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Benchmarks;

/// <summary>
/// nguyen.3.2's certificate at growing N, one run, beside its floating-point anchor:
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- nguyen-rank
/// Network 8-N-16-10, sigmoid, the output reading all N units of layer 1 (M = N), N samples with inputs drawn from a
/// grid of halves; the point random:1. Ours: Ψ's interval enclosure, the certificate (columns by complete pivoting,
/// then ‖I − RΨ_S‖∞ &lt; 1), the whole claim (hypotheses and decision) and the independent recheck of its certificate.
/// Anchor: numpy.linalg.matrix_rank of the double Ψ (an SVD, no proof), timed inside Python.
/// </summary>
public static class NguyenRankBenchmark
{
    public static void Run()
    {
        Console.WriteLine($"{Environment.ProcessorCount} cores");
        Console.WriteLine("| N | Ψ enclosure (s) | certificate: ‖I − RΨ_S‖∞ < 1 (s) | β | nguyen.3.2 check (s) | recheck (s) | numpy matrix_rank (s) | numpy rank |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        var claim = new RankOfPsi();
        foreach (int n in new[] { 16, 32, 64, 128, 192, 256 })
        {
            var spec = Spec(n);
            var instance = new ClaimInstance(claim.Id, spec, [1], Construction: SkipNetworks.Kind);
            var theta = SkipNetworks.Point(instance);
            var sw = Stopwatch.StartNew();
            var psi = SkipNetworks.PsiEnclosure(spec, theta);
            double enclose = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var rank = SkipNetworks.CertifyFullRowRank(psi);
            double certify = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var verdict = claim.Check(instance);
            double check = sw.Elapsed.TotalSeconds;
            sw.Restart();
            string recheck = verdict.Kind == VerdictKind.Certified
                ? (CertificateChecker.Check(CertificateWriter.Produce(claim, instance, verdict)).Valid ? "" : " (RECHECK FAILED)") : " (no certificate)";
            double rechecked = sw.Elapsed.TotalSeconds;
            var (numpySeconds, numpyRank) = Numpy(IntervalLinearAlgebra.Midpoint(psi));
            Console.WriteLine($"| {n} | {enclose:0.000} | {certify:0.000} | {(rank is null ? "failed" : rank.Beta.ToString("G2"))} | {check:0.000} ({verdict.Word}) | {rechecked:0.000}{recheck} | {numpySeconds:0.0000} | {numpyRank} |");
        }
    }

    private static NetworkSpec Spec(int n)
    {
        var rng = new Random(n);
        var xs = new List<Rational[]>();
        while (xs.Count < n)
        {
            var x = Enumerable.Range(0, 8).Select(_ => Rational.Create(rng.Next(-6, 7), 2)).ToArray();
            if (!xs.Any(o => o.SequenceEqual(x))) xs.Add(x);
        }
        var spec = new NetworkSpec
        {
            Widths = [8, n, 16, 10], HiddenActivations = [Activation.Sigmoid, Activation.Sigmoid], OutputActivation = Activation.Identity,
            Bias = true, OutputBias = false, Loss = LossKind.CrossEntropy, WeightDecay = Rational.Zero,
            X = xs.ToArray(), Y = SkipNetworks.OneHot(Enumerable.Range(0, n).Select(i => i % 10).ToArray(), 10),
        };
        return spec.With(skip: Enumerable.Range(0, n).Select(u => new HiddenUnit(1, u)).ToArray());
    }

    private static (double Seconds, string Rank) Numpy(double[,] a)
    {
        string file = Path.GetTempFileName();
        File.WriteAllLines(file, Enumerable.Range(0, a.GetLength(0)).Select(i => string.Join(" ", Enumerable.Range(0, a.GetLength(1)).Select(j => a[i, j].ToString("R")))));
        var psi = new ProcessStartInfo("/usr/bin/python3", ["-c",
            "import sys, time, numpy as np; a = np.loadtxt(sys.argv[1]); a = a.reshape(a.shape[0], -1); t = time.perf_counter(); r = np.linalg.matrix_rank(a); print(time.perf_counter() - t, r)", file])
            { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var p = Process.Start(psi)!;
            string output = p.StandardOutput.ReadToEnd().Trim();
            p.WaitForExit();
            var parts = output.Split(' ');
            return parts.Length == 2 ? (double.Parse(parts[0]), parts[1]) : (double.NaN, "numpy unavailable");
        }
        catch (System.ComponentModel.Win32Exception) { return (double.NaN, "python3 unavailable"); }
        finally { File.Delete(file); }
    }
}
