using System.Diagnostics;
using System.Text.Json.Nodes;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;

namespace VerifyLandscape.Benchmarks;

/// <summary>
/// The numeric engine against PyTorch (Debian's python3-torch, float64, CPU), side by side in one run:
///   dotnet run -c Release --project tests/VerifyLandscape.Benchmarks -- numeric [--large] [--threads 2] [--no-torch]
/// Both sides get the same spec and the same θ (written to a temporary folder); the PyTorch side is
/// anchors/pytorch_hessian.py. Checksums (trace, largest eigenvalue, Σ H v) are compared so that both
/// provably computed the same thing. --large adds 10-64-64-64-1, N = 1024 (minutes on the PyTorch side).
/// </summary>
public static class NumericBenchmark
{
    public static void Run(string[] args)
    {
        bool large = args.Contains("--large");
        s_noTorch = args.Contains("--no-torch");
        int threads = args.SkipWhile(a => a != "--threads").Skip(1).Select(int.Parse).FirstOrDefault(2);
        Console.WriteLine($"numeric engine vs PyTorch, {threads} threads each; our eigenvalues: two-stage tridiagonalisation (SymmetricEigen), PyTorch's: torch.linalg.eigvalsh");
        Case("10-32-32-1 tanh, N = 256", [10, 32, 32, 1], 256, threads, eig: true, hvp: true);
        if (large) Case("10-64-64-64-1 tanh, N = 1024", [10, 64, 64, 64, 1], 1024, threads, eig: true, hvp: true);
        else Case("10-64-64-64-1 tanh, N = 1024 (HVP only; --large for the Hessian)", [10, 64, 64, 64, 1], 1024, threads, eig: false, hvp: true, hessian: false);
    }

    private static bool s_noTorch;

    private static void Case(string title, int[] widths, int n, int threads, bool eig, bool hvp, bool hessian = true)
    {
        var (spec, theta) = RandomNetworks.Create(widths, Activation.Tanh, n, seed: 42);
        var dir = Directory.CreateTempSubdirectory("vl-numeric").FullName;
        File.WriteAllText(Path.Combine(dir, "spec.json"), SpecWriter.ToJson(spec).ToJsonString());
        File.WriteAllBytes(Path.Combine(dir, "theta.npy"), Npy.Format(theta, [theta.Length]));
        int p = spec.ParameterCount;
        Console.WriteLine($"\n## {title}: P = {p}");
        var previous = ThreadPoolLimit(threads);

        // Ours.
        var ours = new JsonObject();
        var sw = Stopwatch.StartNew();
        var net = new DenseNetwork(spec, theta);
        ours["pointSeconds"] = sw.Elapsed.TotalSeconds;
        if (hvp)
        {
            var v = Enumerable.Repeat(1.0, p).ToArray();
            net.HessianVector(v);
            var times = new List<double>();
            double[] hv = [];
            for (int i = 0; i < 10; i++) { sw.Restart(); hv = net.HessianVector(v); times.Add(sw.Elapsed.TotalSeconds); }
            times.Sort();
            ours["hvpSeconds"] = times[5];
            ours["hvpSum"] = hv.Sum();
        }
        if (hessian)
        {
            long before = GC.GetTotalAllocatedBytes();
            sw.Restart();
            var h = net.Hessian();
            ours["hessianSeconds"] = sw.Elapsed.TotalSeconds;
            ours["hessianMegabytes"] = 8.0 * p * p / 1e6;
            ours["trace"] = Enumerable.Range(0, p).Sum(i => h[(long)i * p + i]);
            if (eig)
            {
                sw.Restart();
                var ev = Spectrum.Eigenvalues(h, p);
                ours["eigenvaluesSeconds"] = sw.Elapsed.TotalSeconds;
                ours["largestEigenvalue"] = ev[^1];
                ours["smallestEigenvalue"] = ev[0];
            }
            ours["allocatedMegabytes"] = (GC.GetTotalAllocatedBytes() - before) / 1e6;
        }
        ours["peakWorkingSetMegabytes"] = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
        ThreadPoolLimit(previous);
        Console.WriteLine($"ours:    {ours.ToJsonString()}");

        // PyTorch, same files.
        var what = string.Join(",", new[] { hessian && !eig ? "hessian" : null, eig ? "eig" : null, hvp ? "hvp" : null }.Where(w => w is not null));
        var torch = s_noTorch ? null : RunTorch(dir, what, threads);
        Console.WriteLine($"pytorch: {torch?.ToJsonString() ?? "(not run: /usr/bin/python3 with torch not found)"}");
        if (torch is null) return;
        void Ratio(string label, string key, params string[] extra)
        {
            if (ours[key] is null || torch[key] is null) return;
            double o = (double)ours[key]! + extra.Sum(e => (double?)ours[e] ?? 0);
            double t = (double)torch[key]!;
            Console.WriteLine($"  {label}: ours {o:0.####} s, PyTorch {t:0.####} s, ratio {t / o:0.0}×");
        }
        Ratio("one HVP", "hvpSeconds");
        Ratio("full Hessian", "hessianSeconds");
        if (eig)
        {
            double o = (double)ours["hessianSeconds"]! + (double)ours["eigenvaluesSeconds"]!;
            double t = (double)torch["hessianSeconds"]! + (double)torch["eigvalshSeconds"]!;
            Console.WriteLine($"  Hessian + spectrum: ours {o:0.###} s, PyTorch {t:0.###} s, ratio {t / o:0.0}×");
            Console.WriteLine($"  checks: trace {ours["trace"]} vs {torch["trace"]}, λmax {ours["largestEigenvalue"]} vs {torch["largestEigenvalue"]}");
        }
        else if (hessian) Console.WriteLine($"  check: trace {ours["trace"]} vs {torch["trace"]}");
        if (hvp) Console.WriteLine($"  check: Σ Hv {ours["hvpSum"]} vs {torch["hvpSum"]}");
    }

    /// <summary>Limits the engine's parallelism to the given number of threads (the comparison is thread for thread).</summary>
    private static int ThreadPoolLimit(int threads)
    {
        ThreadPool.GetMaxThreads(out int worker, out int io);
        ThreadPool.SetMinThreads(1, 1);
        ThreadPool.SetMaxThreads(Math.Max(threads, 1), io);
        return worker;
    }

    private static JsonObject? RunTorch(string dir, string what, int threads)
    {
        string script = Path.Combine(Program.Root, "anchors", "pytorch_hessian.py");
        var psi = new ProcessStartInfo("/usr/bin/python3", [script, Path.Combine(dir, "spec.json"), Path.Combine(dir, "theta.npy"), Path.Combine(dir, "out"), "--time", what, "--threads", threads.ToString()])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["OMP_NUM_THREADS"] = threads.ToString();
        try
        {
            using var proc = Process.Start(psi)!;
            string output = proc.StandardOutput.ReadToEnd();
            string error = proc.StandardError.ReadToEnd();
            proc.WaitForExit();
            if (proc.ExitCode != 0) { Console.WriteLine($"pytorch failed: {error.Trim().Split('\n').Last()}"); return null; }
            return JsonNode.Parse(output.Trim().Split('\n').Last())!.AsObject();
        }
        catch (System.ComponentModel.Win32Exception) { return null; }
    }
}
