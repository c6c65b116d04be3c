using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Benchmarks;

/// <summary>
/// Side-by-side benchmarks (see BENCHMARKS.md):
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- exact   (ours and SymPy on the same spec, one run)
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- scale   (growth of the whole-locus Hessian with width and N)
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- numeric [--large] (double engine vs PyTorch, one run)
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- eigen [--large] [--busy] (dense eigenvalues vs LAPACK dsyevd and PyTorch, one run)
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- lemma7 (milne.lemma7 certificates vs Z3, one run)
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- bdn     (BenchmarkDotNet statistics for the exact core Hessian)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string what = args.Length > 0 ? args[0] : "exact";
        switch (what)
        {
            case "exact": ExactVersusSympy(); return 0;
            case "scale": Scale(); return 0;
            case "cooper": CooperCertification(); return 0;
            case "bdn": BenchmarkRunner.Run<ExactCoreHessian>(); return 0;
            case "numeric": NumericBenchmark.Run(args[1..]); return 0;
            case "lemma7": Lemma7Benchmark.Run(args[1..]); return 0;
            case "nguyen-rank": NguyenRankBenchmark.Run(); return 0;
            case "eigen": EigenBenchmark.Run(args[1..]); return 0;
            case "gpu": GpuBackendBenchmark.Run(args[1..]); return 0;
            default: Console.Error.WriteLine("usage: exact | scale | cooper | numeric [--large] | eigen [--large] [--busy] | lemma7 | bdn"); return 2;
        }
    }

    internal static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VerifyLandscape.sln"))) dir = dir.Parent;
            return dir?.FullName ?? Directory.GetCurrentDirectory();
        }
    }

    /// <summary>Gradient + Hessian at the generic point of C_{1,2}, with inertia: what is timed.</summary>
    internal static ExactDerivation CoreHessian(NetworkSpec net) =>
        ExactDerivation.Compute(net, Point.GenericPoint(CooperLoci.Core(net, [1, 2]), net.Layout), hessian: true);

    private static double MedianSeconds(Action work, int runs)
    {
        work(); // warm-up (JIT)
        var times = new List<double>();
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            work();
            times.Add(sw.Elapsed.TotalSeconds);
        }
        times.Sort();
        return times[times.Count / 2];
    }

    private static void ExactVersusSympy()
    {
        var specPath = Path.Combine(Root, "proofs-data", "specs", "depth4-tanh.json");
        var net = SpecReader.ReadFile(specPath);
        var d = CoreHessian(net);
        double ours = MedianSeconds(() => CoreHessian(net), 50);
        Console.WriteLine($"spec: {specPath} ({net.Describe()})");
        Console.WriteLine($"VerifyLandscape: gradient + Hessian + inertia at core:1,2: {ours * 1000:F2} ms (median of 50), inertia {d.Inertia}");
        var script = Path.Combine(Root, "tests", "VerifyLandscape.Benchmarks", "anchors", "sympy_exact_hessian.py");
        // Debian's python3-sympy (1.11) is the anchor: prefer the system interpreter over any other python3 on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var psi = new ProcessStartInfo(python, $"\"{script}\" \"{specPath}\"") { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var p = Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0 || !output.StartsWith("seconds="))
            {
                Console.WriteLine("SymPy anchor not run (install Debian's python3-sympy): " + error.Trim().Split('\n').LastOrDefault());
                return;
            }
            double sympy = double.Parse(output.Split(' ')[0]["seconds=".Length..], System.Globalization.CultureInfo.InvariantCulture);
            Console.WriteLine($"SymPy (diff + subs + simplify): {sympy:F2} s   [{output.Trim()}]");
            Console.WriteLine($"ratio: {sympy / ours:F0}x faster");
        }
        catch (System.ComponentModel.Win32Exception) { Console.WriteLine("SymPy anchor not run: python3 not found"); }
    }

    private static NetworkSpec TanhNet(int[] widths, int n, int seed)
    {
        var rng = new Random(seed);
        Rational R() => Rational.Create(rng.Next(-9, 10), rng.Next(1, 9));
        return new NetworkSpec
        {
            Widths = widths,
            HiddenActivations = Enumerable.Repeat(Activation.Tanh, widths.Length - 2).ToArray(),
            OutputActivation = Activation.Identity,
            Bias = true,
            Loss = LossKind.Sse,
            WeightDecay = 0,
            X = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, widths[0]).Select(_ => R()).ToArray()).ToArray(),
            Y = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, widths[^1]).Select(_ => R()).ToArray()).ToArray(),
        };
    }

    /// <summary>Whole-locus certification of cooper.3.2 (claim check, tanh, N = 16, m = 2) versus depth and width.</summary>
    private static void CooperCertification()
    {
        var claim = new CoreLocusIsDegenerate();
        Console.WriteLine("| widths | P | core locus | verdict | time (s) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var widths in new int[][]
        {
            [3, 8, 8, 8, 8, 8, 2], [3, 8, 8, 2], [3, 8, 8, 8, 2], [3, 8, 8, 8, 8, 2], [3, 8, 8, 8, 8, 8, 8, 2],
            [3, 4, 4, 4, 4, 4, 2], [3, 16, 16, 16, 16, 16, 2],
        })
        {
            var net = TanhNet(widths, 16, 2);
            var instance = new VerifyLandscape.Claims.ClaimInstance(claim.Id, net, [1, 2]);
            claim.Check(instance); // warm-up
            var sw = Stopwatch.StartNew();
            var v = claim.Check(instance);
            Console.WriteLine($"| {string.Join("-", widths)} | {net.ParameterCount} | C_1,2 | {v.Word} | {sw.Elapsed.TotalSeconds:F3} |");
        }
    }

    private static void Scale()
    {
        Console.WriteLine("| widths | N | P | time (s) | allocated (MB) | peak working set (MB) | inertia |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var (widths, n) in new (int[], int)[]
        {
            ([2, 8, 8, 8, 1], 16), ([2, 4, 4, 4, 1], 16), ([2, 16, 16, 16, 1], 16), ([2, 8, 8, 8, 1], 4), ([2, 8, 8, 8, 1], 64),
            ([3, 8, 8, 8, 8, 8, 2], 16), ([2, 32, 32, 32, 1], 16),
        })
        {
            var net = TanhNet(widths, n, 1);
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var sw = Stopwatch.StartNew();
            var d = CoreHessian(net);
            double t = sw.Elapsed.TotalSeconds;
            long alloc = GC.GetTotalAllocatedBytes(precise: true) - before;
            Console.WriteLine($"| {string.Join("-", widths)} | {n} | {net.ParameterCount} | {t:F3} | {alloc / 1e6:F0} | {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} | {d.Inertia} |");
        }
    }
}

[MemoryDiagnoser]
public class ExactCoreHessian
{
    private NetworkSpec _net = null!;
    [GlobalSetup] public void Setup() => _net = SpecReader.ReadFile(Path.Combine(Program.Root, "proofs-data", "specs", "depth4-tanh.json"));
    [Benchmark] public ExactDerivation Depth4CoreHessian() => Program.CoreHessian(_net);
}
