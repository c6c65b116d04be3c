using System.Text;
using VerifyLandscape.Experiments;
using VerifyLandscape.Experiments.Dss;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Cli;

/// <summary>vl experiment milne-toy|nguyen-skip|nguyen-rand|nguyen-relu-search|dss [options] [--out DIR]</summary>
public static class ExperimentCommand
{
    public static int Run(Arguments a)
    {
        a.OutputFolder("--out"); // validated before the experiment runs
        bool json = a.Format("text", "json") == "json";
        if (a.Positional[0] is "nguyen-skip" or "nguyen-rand") return Nguyen(a, a.Positional[0], json);
        if (a.Positional[0] is "nguyen-relu-search") return ReluSearch(a, json);
        if (a.Positional[0] is "dss") return Dss(a, json);
        if (a.Positional[0] is "du-width") return DuWidthRun(a, json);
        if (a.Positional[0] is "du-lambda0") return DuLambda0(a, json);
        int trials = a.GetInt("--trials", 1000, 1, 1_000_000);
        ulong seed = a.GetSeed(20261122);
        MilneToy.Result result;
        using (var progress = new ConsoleProgress("milne-toy trials", trials)) result = MilneToy.Run(trials, seed, progress);
        Console.Write(json ? MilneToy.ToJson(result).ToJsonString(JsonText.Pretty) + "\n" : MilneText(result, trials, seed));
        if (a.Get("--out") is { } dir)
        {
            var (histogram, doubled, curve) = MilneToy.Pictures(result);
            OutputFiles.WriteAtomically(Path.Combine(dir, "milne-toy.json"), MilneToy.ToJson(result).ToJsonString(JsonText.Pretty) + "\n");
            OutputFiles.WriteAtomically(Path.Combine(dir, "milne-toy-histogram.svg"), histogram);
            OutputFiles.WriteAtomically(Path.Combine(dir, "milne-toy-histogram-threshold-x2.svg"), doubled);
            OutputFiles.WriteAtomically(Path.Combine(dir, "milne-toy-loss-curve.svg"), curve);
            if (!json) VlCommand.Say($"  wrote {dir}/milne-toy.json, milne-toy-histogram.svg, milne-toy-histogram-threshold-x2.svg, milne-toy-loss-curve.svg");
        }
        return 0;
    }

    private static string MilneText(MilneToy.Result result, int trials, ulong seed)
    {
        var s = new StringBuilder()
            .AppendLine($"milne-toy: {trials} trials, seed {seed}: fraction of the change in ℓ_λ made inside U(λ) = {result.Mean:0.000} ± {result.StandardDeviation:0.000} (paper: 0.872 ± 0.223)")
            .AppendLine($"  converged (‖∇ℓ_λ‖ < 1e-8): {result.All.Count(t => t.Converged)} of {trials}; never entered U(λ): {result.All.Count(t => t.EnteredAt < 0)}; U(λ) threshold on ℓ: {result.Threshold:G4}; {result.Seconds:0.0} s")
            .AppendLine($"  histogram (20 bins over [0, 1]): {string.Join(" ", MilneToy.Histogram(result.All.Select(t => t.Fraction), 20))}");
        if (result.Lemma8 is { } l8)
            s.AppendLine($"  trial 1, steps {l8.ConvexFrom}–{l8.Steps - 1}: γ''/‖∇ℓ_λ‖² ≥ C = {l8.MinimumNormalised:G4} (10th percentile {l8.Percentile10:G4}); Lemma 8's bound ‖∇ℓ_λ‖² ≤ ‖∇ℓ_λ(t₀)‖²e^(−Cηk): largest ratio {l8.MaxRatio:G4} (≤ 1 for gradient flow)");
        else s.AppendLine("  trial 1: γ'' is not positive at the end of the window, no Lemma 8 bound");
        s.AppendLine("  sensitivity to U(λ)'s constant (same trajectories; threshold on ℓ times):");
        foreach (var x in result.Sensitivity)
            s.AppendLine($"    ×{x.Scale:0.0#} (ℓ < {result.Threshold * x.Scale:G4}): {x.Mean:0.000} ± {x.StandardDeviation:0.000}, never entered {x.NeverEntered}");
        return s.ToString();
    }

    /// <summary>003's Du et al. experiment: λ0 certified, gradient descent at widths 10²…10⁴ (README, "Du et al.'s width experiment").</summary>
    private static int DuWidthRun(Arguments a, bool json)
    {
        int n = a.GetInt("--samples", 10, 2, 400);
        int d = a.GetInt("--dimension", 5, 2, 100);
        ulong seed = a.GetSeed(20261123);
        int[] widths = [100, 316, 1000, 3162, 10000];
        DuWidth.Result result;
        using (var progress = new ConsoleProgress("du-width widths", widths.Length)) result = DuWidth.Execute(n, d, widths, seed, progress);
        if (json) Console.WriteLine(DuWidth.ToJson(result).ToJsonString(JsonText.Pretty));
        else
        {
            Console.WriteLine($"du-width: n = {n} unit inputs in R^{d}, seed {seed}: λ0 ∈ [{result.Lambda0Lower.ToDouble():G6}, {result.Lambda0Upper:G6}] (certified in {result.CertifySeconds:0.000} s); " +
                $"η = λ0/(2n²), t = 4/λ0; {result.Seconds:0.0} s");
            Console.Write(DuWidth.Table(result));
        }
        if (a.Get("--out") is { } dir)
        {
            OutputFiles.WriteAtomically(Path.Combine(dir, "du-width.json"), DuWidth.ToJson(result).ToJsonString(JsonText.Pretty) + "\n");
            OutputFiles.WriteAtomically(Path.Combine(dir, "du-width.svg"), DuWidth.Svg(result));
            if (!json) VlCommand.Say($"  wrote {dir}/du-width.json, du-width.svg");
        }
        return 0;
    }

    /// <summary>The λ0 certificate alone on seeded unit inputs (the benchmark beside mpmath: anchors/du_lambda0_mpmath.py).</summary>
    private static int DuLambda0(Arguments a, bool json)
    {
        int n = a.GetInt("--samples", 200, 2, 2000);
        int d = a.GetInt("--dimension", 20, 2, 1000);
        ulong seed = a.GetSeed(20261123);
        var (x, _) = DuWidth.Data(n, d, seed);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lambda = VerifyLandscape.Claims.Golikov.Lambda0.Certify(x);
        double seconds = clock.Elapsed.TotalSeconds;
        var o = new System.Text.Json.Nodes.JsonObject
        {
            ["experiment"] = "du-lambda0", ["samples"] = n, ["dimension"] = d, ["seed"] = seed, ["seconds"] = Math.Round(seconds, 4),
            ["lambda0Lower"] = lambda?.Lower.ToString(), ["lambda0LowerDecimal"] = lambda?.Lower.ToDouble(), ["lambda0Upper"] = lambda?.Upper,
            ["x"] = new System.Text.Json.Nodes.JsonArray(x.Select(r => (System.Text.Json.Nodes.JsonNode?)new System.Text.Json.Nodes.JsonArray(r.Select(v => (System.Text.Json.Nodes.JsonNode?)v.ToString()).ToArray())).ToArray()),
        };
        if (json) Console.WriteLine(o.ToJsonString(JsonText.Pretty));
        else Console.WriteLine(lambda is { } l
            ? $"du-lambda0: n = {n} unit inputs in R^{d}, seed {seed}: λ0 ∈ [{l.Lower.ToDouble():G10}, {l.Upper:G10}] certified ({(l.ExactGram ? "exact" : "interval")} LDLᵀ) in {seconds:0.000} s"
            : $"du-lambda0: n = {n}, d = {d}, seed {seed}: λ0 > 0 not certified ({seconds:0.000} s)");
        if (a.Get("--out") is { } dir)
            OutputFiles.WriteAtomically(Path.Combine(dir, "du-lambda0.json"), o.ToJsonString(JsonText.Pretty) + "\n");
        return lambda is null ? 3 : 0;
    }

    /// <summary>001 outside its hypotheses: gradient descent on small relu skip-nets, stalled end points reported as evidence.</summary>
    private static int ReluSearch(Arguments a, bool json)
    {
        int trials = a.GetInt("--trials", 100, 1, 100_000);
        ulong seed = a.GetSeed(20261123);
        NguyenReluSearch.Result result;
        using (var progress = new ConsoleProgress("nguyen-relu-search trials", trials)) result = NguyenReluSearch.Run(trials, seed, progress);
        Console.Write(json ? NguyenReluSearch.ToJson(result).ToJsonString(JsonText.Pretty) + "\n" : NguyenReluSearch.Text(result));
        if (a.Get("--out") is { } dir)
        {
            OutputFiles.WriteAtomically(Path.Combine(dir, "nguyen-relu-search.json"), NguyenReluSearch.ToJson(result).ToJsonString(JsonText.Pretty) + "\n");
            if (!json) VlCommand.Say($"  wrote {dir}/nguyen-relu-search.json");
        }
        return 0;
    }

    /// <summary>001's synthetic experiments: plain vs skip, or rand vs full training (README, "Nguyen … experiments").</summary>
    private static int Nguyen(Arguments a, string which, bool json)
    {
        int samples = a.GetInt("--samples", 200, 10, NguyenSkip.MaxSamples);
        int steps = a.GetInt("--steps", 1500, 1, 1_000_000);
        ulong seed = a.GetSeed(20261123);
        NguyenSkip.Result result;
        using (var progress = new ConsoleProgress($"{which} steps", 2 * steps))
            result = which == "nguyen-skip" ? NguyenSkip.RunSkip(samples, steps, seed, progress) : NguyenSkip.RunRand(samples, steps, seed, progress);
        if (json) Console.WriteLine(NguyenSkip.ToJson(result).ToJsonString(JsonText.Pretty));
        else
        {
            Console.WriteLine($"{which}: N = {samples}, {steps} steps, seed {seed}, {result.Seconds:0.0} s");
            foreach (var c in result.Curves)
                Console.WriteLine($"  {c.Name}: training error {c.TrainingError[0]:0.000} → {c.TrainingError[^1]:0.000} (loss {c.Loss[0]:0.000} → {c.Loss[^1]:0.000}); held-out error {c.HeldOutError:0.000}");
        }
        if (a.Get("--out") is { } dir)
        {
            OutputFiles.WriteAtomically(Path.Combine(dir, which + ".json"), NguyenSkip.ToJson(result).ToJsonString(JsonText.Pretty) + "\n");
            OutputFiles.WriteAtomically(Path.Combine(dir, which + "-training-error.svg"), NguyenSkip.Svg(result));
            if (!json) VlCommand.Say($"  wrote {dir}/{which}.json, {which}-training-error.svg");
        }
        return 0;
    }

    /// <summary>002's string sampling as run (README, "Freeman and Bruna's string sampling").</summary>
    private static int Dss(Arguments a, bool json)
    {
        var task = a.Get("--task") ?? "quadratic";
        if (!DssTask.Names.Contains(task)) throw new UsageException($"--task must be quadratic, cubic or cyclic, got '{task}'");
        var thresholds = a.GetDoubles("--thresholds", 0, 10) ?? DssExperiment.DefaultThresholds[task];
        int pairs = a.GetInt("--pairs", 10, 1, 1000);
        ulong seed = a.GetSeed(20261123);
        var settings = new DssSettings
        {
            LearningRate = a.GetDouble("--lr", 1e-3, 0, 10), Alpha = a.GetDouble("--alpha", 0.95, 0, 1), Multiplier = a.GetDouble("--multiplier", 1.1, 0, 100),
            Grid = a.GetInt("--grid", 100, 1, 100_000), MaxDepth = a.GetInt("--max-depth", 10, 1, 20), Samples = a.GetInt("--samples", 10_000, 1, 1_000_000),
            MaxSteps = a.GetInt("--max-steps", 100_000, 1, 100_000_000),
        };
        bool certify = a.Has("--certify");
        if (certify && a.Get("--out") is null) throw new UsageException("--certify writes certificates: give --out DIR");
        DssExperiment.Result result;
        using (var progress = new ConsoleProgress($"dss {task} strings", pairs * thresholds.Length))
            result = DssExperiment.Run(task, thresholds, pairs, seed, settings, progress);
        var document = DssExperiment.ToJson(result).ToJsonString(JsonText.Pretty) + "\n";
        Console.Write(json ? document : DssExperiment.Text(result));
        if (a.Get("--out") is { } dir)
        {
            OutputFiles.WriteAtomically(Path.Combine(dir, $"dss-{task}.json"), document);
            OutputFiles.WriteAtomically(Path.Combine(dir, $"dss-{task}.svg"), DssExperiment.Svg(result));
            if (!json) VlCommand.Say($"  wrote {dir}/dss-{task}.json, dss-{task}.svg");
            if (certify) Certify(result, dir, json);
        }
        return 0;
    }

    /// <summary>Every connected string of the run, certified at multiplier·L0 (the level its grid check accepted) or not, with the reason.</summary>
    private static void Certify(DssExperiment.Result result, string dir, bool json)
    {
        var spec = DssTask.Of(result.Task).TestSpec(result.Settings.Samples, DssExperiment.TestSeed(result.Seed));
        var multiplier = Exact.Rational.Parse(result.Settings.Multiplier.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var row in result.Rows)
            for (int p = 0; p < row.Strings.Length; p++)
            {
                if (row.Strings[p] is not { Connected: true } s) continue;
                var l0 = row.Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var outcome = StringCertifier.Certify(spec, s.Beads, multiplier * Exact.Rational.Parse(l0), p);
                string name = $"dss-{result.Task}-L0-{l0}-pair{p}.cert.json";
                if (outcome.Certificate is { } cert) OutputFiles.WriteAtomically(Path.Combine(dir, name), cert.ToJsonString(JsonText.Pretty) + "\n");
                var line = $"  certify L0 = {l0}, pair {p} ({s.BeadCount} beads): {outcome.Verdict}: {outcome.Reason}; {sw.Elapsed.TotalSeconds:0.0} s{(outcome.Certificate is null ? "" : $"; wrote {dir}/{name}")}";
                if (json) Console.Error.WriteLine(line); else Console.WriteLine(line);
            }
    }
}
