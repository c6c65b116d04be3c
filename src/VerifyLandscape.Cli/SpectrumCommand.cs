using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Cli;

/// <summary>vl spectrum SPEC --at POINT [...]: the Hessian's extreme eigenvalues, trace, density (numeric engine).</summary>
public static class SpectrumCommand
{
    public static int Run(Arguments a)
    {
        var output = a.OutputFile("--out");
        var format = a.Format("text", "json");
        var spec = SpecReader.ReadFile(a.Positional[0]);
        var point = PointArgument.Parse(a.Get("--at")!, spec);
        if (!point.IsRational) throw new InputException("command line", "--at", "the spectrum needs a concrete point (every parameter a number), not a locus");
        var options = new HessianSpectrum.Options
        {
            Layer = a.Get("--layer") is null ? null : a.GetInt("--layer", 1, 1, spec.Depth),
            Top = a.GetInt("--top", 5, 0, 10_000), Bottom = a.GetInt("--bottom", 5, 0, 10_000),
            Steps = a.GetInt("--steps", 100, 1, 100_000), Seed = a.GetInt("--seed", 1, 0, int.MaxValue),
            TraceProbes = a.GetInt("--trace-probes", 30, 1, 100_000), DensityProbes = a.GetInt("--density", 0, 0, 10_000),
            Dense = a.Has("--dense"),
            Backend = a.Get("--backend") ?? "cpu",
            Precision = (a.Get("--precision") ?? "float64") == "float32" ? Numerics.Gpu.Precision.Float32 : Numerics.Gpu.Precision.Float64,
        };
        if (!Backends.Names.Contains(options.Backend)) throw new InputException("command line", "--backend", $"'{options.Backend}' is not one of cpu, gpu, auto");
        if (a.Get("--precision") is { } precision && precision is not ("float64" or "float32")) throw new InputException("command line", "--precision", $"'{precision}' is not float64 or float32");
        if (options.Backend != "cpu" && Numerics.Gpu.GpuNetwork.Unsupported(spec) is { } why) throw new InputException(a.Positional[0], "--backend", $"the GPU backend does not run this network: {why}");
        if (options.Backend == "cpu" && options.Precision == Numerics.Gpu.Precision.Float32) throw new InputException("command line", "--precision", "float32 runs on --backend gpu; the CPU engine is float64");
        Numerics.DoubleRange.Require(spec, a.Positional[0]);
        Numerics.DoubleRange.Require(point.Rationals(), spec.Layout, "--at");
        // Lanczos keeps every vector (full reorthogonalisation): steps + a few vectors of P doubles.
        Numerics.MemoryEstimate.Require(8L * spec.ParameterCount * (options.Steps + 4) + Numerics.MemoryEstimate.ForwardBytes(spec),
            $"Lanczos with {options.Steps} steps on {spec.ParameterCount} parameters", "command line", "--steps");
        HessianSpectrum.Report report;
        try { report = HessianSpectrum.Run(spec, point.Rationals().Select(q => q.ToDouble()).ToArray(), options, new StageLines()); }
        catch (InsufficientMemoryException e) { throw new InputException("command line", "--dense", e.Message); }
        string text = format == "json" ? ToJson(report, options).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n" : Text(report, options);
        if (output is { } path) OutputFiles.WriteAtomically(path, text, "--out");
        else Console.Out.Write(text);
        return 0;
    }

    private static string Text(HessianSpectrum.Report r, HessianSpectrum.Options o)
    {
        var s = new StringBuilder();
        // The GPU backend runs the whole Hessian's Lanczos on its device, in its precision; a block's runs on the host in double.
        bool float32 = r.Backend.StartsWith("gpu") && o.Precision == Numerics.Gpu.Precision.Float32;
        string lanczos = !r.Backend.StartsWith("gpu") ? "on the host" : o.Layer is null ? $"on the device in {(float32 ? "float32" : "float64")}" : $"on the host in double over {(float32 ? "float32" : "float64")} H v";
        s.AppendLine($"Hessian of the loss, {r.Block}, of P = {r.Parameters}; backend {r.Backend}, seed {o.Seed}");
        s.AppendLine($"Lanczos {lanczos} ({r.LanczosSteps} steps, full reorthogonalisation); an eigenvalue lies within ± of each value (residual bound in exact arithmetic; rounding adds about {(float32 ? "1e-5" : "1e-15")}·‖H‖):");
        s.AppendLine("  largest:  " + string.Join(", ", r.Top.Select(e => $"{e.Value:G6} ± {e.ResidualBound:G2}")));
        s.AppendLine("  smallest: " + string.Join(", ", r.Bottom.Select(e => $"{e.Value:G6} ± {e.ResidualBound:G2}")));
        s.AppendLine($"trace (Hutchinson, {r.TraceProbes} Rademacher probes): {r.TraceEstimate:G6} ± {r.TraceStandardError:G3} (standard error)");
        if (r.Density is { } d)
        {
            double lo = d.Nodes.Min(), hi = d.Nodes.Max(), width = (hi - lo) / 20;
            var bins = new double[20];
            foreach (var (node, weight) in d.Nodes.Zip(d.Weights)) bins[Math.Clamp(width > 0 ? (int)((node - lo) / width) : 0, 0, 19)] += weight;
            s.AppendLine($"density (stochastic Lanczos quadrature, {d.Probes} probes): mass in 20 bins over [{lo:G4}, {hi:G4}]:");
            s.AppendLine("  " + string.Join(" ", bins.Select(b => b.ToString("0.###", CultureInfo.InvariantCulture))));
        }
        if (r.DenseEigenvalues is { } all)
            s.AppendLine($"dense: all {all.Length} eigenvalues in [{all[0]:G6}, {all[^1]:G6}], trace {r.DenseTrace:G6}, {all.Count(v => Math.Abs(v) <= 1e-9 * Math.Max(1, Math.Abs(all[^1])))} within 1e-9·max(1, λmax) of 0");
        return s.ToString();
    }

    private static JsonObject ToJson(HessianSpectrum.Report r, HessianSpectrum.Options o)
    {
        JsonArray Values(IEnumerable<HessianSpectrum.Eigenvalue> e) => new(e.Select(x => (JsonNode)new JsonObject { ["value"] = x.Value, ["residualBound"] = x.ResidualBound }).ToArray());
        var json = new JsonObject
        {
            ["parameters"] = r.Parameters, ["block"] = r.Block, ["backend"] = r.Backend, ["seed"] = o.Seed, ["lanczosSteps"] = r.LanczosSteps,
            ["largest"] = Values(r.Top), ["smallest"] = Values(r.Bottom),
            ["trace"] = new JsonObject { ["estimate"] = r.TraceEstimate, ["standardError"] = r.TraceStandardError, ["probes"] = r.TraceProbes },
        };
        if (r.Density is { } d)
            json["density"] = new JsonObject
            {
                ["probes"] = d.Probes, ["nodes"] = new JsonArray(d.Nodes.Select(v => (JsonNode)v).ToArray()), ["weights"] = new JsonArray(d.Weights.Select(v => (JsonNode)v).ToArray()),
            };
        if (r.DenseEigenvalues is { } all)
            json["dense"] = new JsonObject { ["eigenvalues"] = new JsonArray(all.Select(v => (JsonNode)v).ToArray()), ["trace"] = r.DenseTrace };
        return json;
    }

    /// <summary>Each stage on its own stderr line, in order (Progress&lt;T&gt; posts to the thread pool and can swap them).</summary>
    private sealed class StageLines : IProgress<string>
    {
        public void Report(string stage) => Console.Error.WriteLine("  " + stage);
    }
}
