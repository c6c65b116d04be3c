using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck.Fluent;
using VerifyLandscape.CrossCheck;
using VerifyLandscape.Networks;
using VerifyLandscape.Reports;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Cli;

/// <summary>vl crosscheck --against COMMAND [--trials N] [--seed S] [--want …] [--replay CASE] [--report DIR]: someone's derivative code against vl's.</summary>
public static class CrossCheckCommand
{
    public const int DefaultTrials = 30;

    public static int Run(Arguments a)
    {
        var format = a.Format("text", "json");
        string command = a.Get("--against")!;
        if (string.IsNullOrWhiteSpace(command)) throw new InputException("command line", "--against", "the command is empty");
        var want = Want(a.Get("--want") ?? "gradient,hessian,hvp");
        var timeout = TimeSpan.FromSeconds(a.GetDouble("--timeout", 120, 1, 86_400));
        double? tol = a.Has("--tol") ? a.GetDouble("--tol", 0, 0, double.PositiveInfinity) : null;
        var driver = new ExternalDriver(command, timeout);
        var work = Directory.CreateTempSubdirectory("vl-crosscheck-").FullName;
        try
        {
            return a.Get("--replay") is { } caseDir ? Replay(caseDir, driver, want, tol, work, format) : Search(a, driver, want, tol, work, format);
        }
        finally { Directory.Delete(work, true); }
    }

    private static Requested Want(string text)
    {
        Requested want = 0;
        foreach (var w in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            want |= w switch
            {
                "gradient" => Requested.Gradient, "hessian" => Requested.Hessian, "hvp" => Requested.Hvp,
                _ => throw new InputException("command line", "--want", $"'{w}' is not gradient, hessian or hvp"),
            };
        return want | Requested.Gradient; // the gradient is always compared: it is what every driver has
    }

    private static int Search(Arguments a, ExternalDriver driver, Requested want, double? tol, string work, string format)
    {
        // The report folder is made only when there is a counterexample; its parent is checked now, before the run.
        var reportDir = Path.GetFullPath(a.Get("--report") ?? "crosscheck-report");
        if (File.Exists(reportDir)) throw new InputException("command line", "--report", $"{reportDir} is a file, not a folder");
        OutputFiles.ValidateFolder(Path.GetDirectoryName(reportDir)!, "--report");
        int trials = a.GetInt("--trials", DefaultTrials, 1, 100_000);
        ulong seed = a.GetSeed(PropertyCheck.DefaultSeed);
        var activations = (a.Get("--activations") ?? "all") switch
        {
            "all" => NetworkCases.AnyActivation, "smooth" => NetworkCases.SmoothExactActivation, "exact" => NetworkCases.ExactActivation,
            var other => throw new InputException("command line", "--activations", $"'{other}' is not all, smooth or exact"),
        };
        bool allWirings = (a.Get("--wiring") ?? "plain") switch
        {
            "plain" => false, "all" => true, var other => throw new InputException("command line", "--wiring", $"'{other}' is not plain or all"),
        };
        int depth = a.GetInt("--max-depth", 3, 1, 6), width = a.GetInt("--max-width", 3, 1, 8), samples = a.GetInt("--max-samples", 3, 1, 16);
        var cases = CrossCheckRun.Cases(activations, depth, width, samples, allWirings);
        string search = $"vl crosscheck --against {CrossCheckReport.Quote(driver.Command)} --want {ExternalDriver.Names(want)} --trials {trials} --seed {seed}"
                        + (a.Get("--activations") is { } act ? $" --activations {act}" : "") + (allWirings ? " --wiring all" : "")
                        + $" --max-depth {depth} --max-width {width} --max-samples {samples}";
        bool text = format == "text";
        if (text) VlCommand.Say($"vl crosscheck: seed {seed}, {trials} instances, comparing {ExternalDriver.Names(want)} from `{driver.Command}` with vl's exact or rigorous values");
        var run = new CrossCheckRun(driver, want, work, tol);
        var result = run.Run(cases, trials, seed, line => { if (text) VlCommand.Say(line); else if (!VlCommand.Quiet) Console.Error.WriteLine(line); });
        IReadOnlyList<string> files = result.Counterexample is null ? [] : CrossCheckReport.Write(reportDir, result, driver, want, search);
        string counts = $"{result.Run} instances: {result.Counts[OutcomeKind.Matches]} match, {result.Counts[OutcomeKind.Mismatch]} mismatch, "
                        + $"{result.Counts[OutcomeKind.Inconclusive]} inconclusive, {result.Counts[OutcomeKind.Kink]} at a kink (not compared)";
        if (format == "json")
        {
            var o = new JsonObject
            {
                ["command"] = driver.Command, ["asked"] = ExternalDriver.Names(want), ["seed"] = seed.ToString(), ["trials"] = trials, ["run"] = result.Run,
                ["matches"] = result.Counts[OutcomeKind.Matches], ["mismatches"] = result.Counts[OutcomeKind.Mismatch],
                ["inconclusive"] = result.Counts[OutcomeKind.Inconclusive], ["kinks"] = result.Counts[OutcomeKind.Kink],
                ["report"] = files.Count > 0 ? JsonValue.Create(files[0]) : null, ["search"] = search,
            };
            if (result.Counterexample is { } ce) o["counterexample"] = new JsonObject { ["trial"] = ce.Trial, ["found"] = ce.Found.Spec.Describe(), ["shrunk"] = ce.Shrunk.Spec.Describe(), ["parameters"] = ce.Shrunk.Spec.ParameterCount };
            Console.Out.Write(o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        if (result.CommandFailure is { } failure)
            throw new InputException("--against", $"instance {failure.Trial}", $"the command {failure.Message} (on {failure.Case.Spec.Describe()}; replay it with {search})");
        if (result.Counterexample is { } c)
        {
            if (text)
            {
                Console.WriteLine($"MISMATCH at instance {c.Trial} ({c.Found.Spec.Describe()}), shrunk in {c.ShrinkSteps} steps to {c.Shrunk.Spec.Describe()}:");
                foreach (var part in c.Outcome.Audit!.Parts.Where(p => p.Failed))
                    foreach (var e in part.Offending.Where(e => e.Ratio > 1).Take(3))
                        Console.WriteLine($"  {part.What} {e}");
                Console.WriteLine($"report: {Path.GetRelativePath(Directory.GetCurrentDirectory(), files[0])}; reproduce: {CrossCheckReport.Reproduce(Path.GetRelativePath(Directory.GetCurrentDirectory(), files[2]), driver, want)[0]}");
                Console.WriteLine(counts);
            }
            return 1;
        }
        if (text) Console.WriteLine(counts);
        return result.Counts[OutcomeKind.Inconclusive] > 0 ? 3 : 0;
    }

    /// <summary>--replay CASE: the command on one case folder (spec.json, point.json, vector.json), audited once.</summary>
    private static int Replay(string caseDir, ExternalDriver driver, Requested want, double? tol, string work, string format)
    {
        string specFile = Path.Combine(caseDir, "spec.json");
        if (!File.Exists(specFile)) throw new InputException(caseDir, "--replay", "no spec.json here (a case folder holds spec.json, point.json and vector.json)");
        var spec = SpecReader.ReadFile(specFile);
        var point = Point.Parse(Path.Combine(caseDir, "point.json"), spec);
        var direction = Point.Parse(Path.Combine(caseDir, "vector.json"), spec, field: "vector.json");
        if (!point.IsRational || !direction.IsRational) throw new InputException(caseDir, "point.json", "the point and the direction must be concrete numbers");
        var outcome = new CrossCheckRun(driver, want, work, tol).Evaluate(new DriverCase(spec, point.Rationals(), direction.Rationals()), Path.Combine(work, "replay"));
        if (outcome.Kind == OutcomeKind.CommandFailed) throw new InputException("--against", caseDir, "the command " + outcome.Message);
        if (format == "json")
            Console.Out.Write(new JsonObject { ["case"] = caseDir, ["outcome"] = outcome.Kind.ToString(), ["audit"] = outcome.Audit?.ToJson() }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        else
        {
            Console.WriteLine($"{caseDir}: {spec.Describe()}: {outcome.Word}");
            foreach (var part in outcome.Audit?.Parts ?? [])
                foreach (var e in part.Offending.Take(3))
                    Console.WriteLine($"  {part.What} {e}");
        }
        return outcome.Kind switch { OutcomeKind.Matches => 0, OutcomeKind.Mismatch => 1, _ => 3 };
    }
}
