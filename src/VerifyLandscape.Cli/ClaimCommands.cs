using System.Text.Json.Nodes;
using VerifyLandscape.Checker;
using VerifyLandscape.Budgets;
using VerifyLandscape.Certificates;
using VerifyLandscape.Claims;
using VerifyLandscape.Networks;
using VerifyLandscape.Reports;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Cli;

/// <summary>vl claims, vl check, vl certify, vl recheck.</summary>
public static class ClaimCommands
{
    /// <summary>proofs-data/ of the repository vl runs from (the working folder or one above it).</summary>
    public static string? ProofsData()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "proofs-data", "instances"))) return Path.Combine(dir.FullName, "proofs-data");
        return null;
    }

    public static int Claims(IEnumerable<string> args)
    {
        Arguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        var data = ProofsData();
        Console.WriteLine($"{"id",-28} {"source",-56} {"expected",-11} shipped instances");
        foreach (var c in Catalog.All)
        {
            var shipped = ClaimRunner.Run(c, 0, 0, ClaimRunner.ShippedInstances(data, c));
            string status = shipped.Count == 0 ? "none" :
                string.Join(", ", shipped.GroupBy(r => r.Verdict.Word).Select(g => $"{g.Count()} {g.Key}")) + (shipped.All(r => r.Expected) ? "" : " (UNEXPECTED)");
            Console.WriteLine($"{c.Id,-28} {c.Source,-56} {(c.Expected == Expectation.Holds ? "holds" : "known false"),-11} {status}");
            Console.WriteLine($"{"",-28} {c.Statement}");
            Console.WriteLine($"{"",-28} hypotheses: {string.Join("; ", c.Hypotheses)}");
        }
        return 0;
    }

    /// <summary>--budget-terms N and --budget-time SECONDS: the budget of one instance (defaults: Budget.Default).</summary>
    public static readonly string[] BudgetOptions = ["--budget-terms", "--budget-time"];

    public static Budget ReadBudget(Arguments a) => new(
        a.GetInt("--budget-terms", (int)Budget.Default.MaxTerms, 1, int.MaxValue),
        TimeSpan.FromSeconds(a.GetInt("--budget-time", (int)Budget.Default.Time.TotalSeconds, 1, 86_400)));

    /// <summary>Exit codes: 0 as the catalog expects, 1 a failure, 3 only inconclusive verdicts beyond that (0 with --allow-inconclusive).</summary>
    public static int Check(IEnumerable<string> args)
    {
        var a = Arguments.Parse(args, new HashSet<string>(["--trials", "--seed", "--report", "--junit", .. BudgetOptions]), new HashSet<string> { "--all", "--allow-inconclusive" });
        var claims = a.Has("--all") ? Catalog.All.ToList() : a.Positional.Select(id => Catalog.Find(id) ?? throw new UsageException($"unknown claim '{id}' (see vl claims)")).ToList();
        if (claims.Count == 0) throw new UsageException("usage: vl check CLAIM...|--all [--trials N] [--seed S] [--budget-terms N] [--budget-time S] [--allow-inconclusive] [--report DIR] [--junit FILE]");
        int trials = a.GetInt("--trials", 20, 0, 1_000_000);
        ulong seed = a.Get("--seed") is { } s ? (ulong.TryParse(s, out var v) ? v : throw new UsageException($"--seed must be a non-negative integer, got '{s}'")) : PropertyCheck.DefaultSeed;
        var budget = ReadBudget(a);
        var junit = a.OutputFile("--junit");
        a.OutputFolder("--report"); // validated before any work; the messages name it as the user did
        var data = ProofsData();
        Console.WriteLine($"seed {seed}, {trials} random trials per claim, budget per instance {budget}, shipped instances from {data ?? "(no proofs-data found)"}");
        var runs = new List<(Claim Claim, IReadOnlyList<CaseResult> Results, RunOutcome Outcome, IReadOnlyList<string> Problems)>();
        foreach (var claim in claims)
        {
            var shipped = ClaimRunner.ShippedInstances(data, claim);
            int done = 0;
            using var progress = new ConsoleProgress(claim.Id, shipped.Count + trials);
            var results = ClaimRunner.Run(claim, trials, seed, shipped, () => progress.Report(++done), budget);
            progress.Dispose();
            var (outcome, problems) = ClaimRunner.Judge(claim, results);
            runs.Add((claim, results, outcome, problems));
            var counts = string.Join(", ", results.GroupBy(r => r.Verdict.Word).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
            string note = claim.Expected == Expectation.KnownFalse ? " (known false: a counterexample is expected)" : "";
            string mark = outcome switch { RunOutcome.AsExpected => "ok  ", RunOutcome.Inconclusive => "INC ", _ => "FAIL" };
            Console.WriteLine($"{mark} {claim.Id,-28} {counts}{note}");
            if (claim.Expected == Expectation.Holds && results.Any(r => r.Verdict.Kind == VerdictKind.Certified) && trials > 0)
                Console.WriteLine($"     random trials: {results.Count(r => r.Origin.StartsWith("trial") && r.Verdict.Kind == VerdictKind.Certified)} of {trials} instances certified, no counterexample in {trials} trials");
            foreach (var problem in problems) Console.WriteLine("     " + problem);
            var reportable = results.Where(r => r.Verdict.Kind == VerdictKind.Refuted).OrderBy(r => r.Shrunk is null).FirstOrDefault();
            if (reportable is not null)
            {
                var shown = reportable.Shrunk ?? reportable.Instance;
                Console.WriteLine($"     counterexample{(reportable.Shrunk is null ? "" : " (shrunk)")}: {shown.Spec.Describe()}, locus {shown.LocusText}: {(reportable.ShrunkVerdict ?? reportable.Verdict).Reason}");
                if (a.Get("--report") is { } dir)
                    foreach (var f in CounterexampleReport.Write(dir, reportable, seed)) Console.WriteLine($"     wrote {f}");
            }
        }
        if (junit is not null) OutputFiles.WriteAtomically(junit, JUnitWriter.Write(runs), "--junit");
        if (runs.Any(r => r.Outcome == RunOutcome.Failed)) { Console.WriteLine("some claims did not behave as the catalog expects"); return 1; }
        if (runs.Any(r => r.Outcome == RunOutcome.Inconclusive))
        {
            Console.WriteLine("no claim failed, but some verdicts are inconclusive" + (a.Has("--allow-inconclusive") ? " (allowed by --allow-inconclusive)" : " (exit 3; --allow-inconclusive makes it 0)"));
            return a.Has("--allow-inconclusive") ? 0 : 3;
        }
        Console.WriteLine("all claims behaved as the catalog expects");
        return 0;
    }

    public static int Certify(IEnumerable<string> args)
    {
        var a = Arguments.Parse(args, new HashSet<string>(["--out", "--smtlib", .. BudgetOptions]), new HashSet<string>());
        if (a.Positional.Count != 1) throw new UsageException("usage: vl certify INSTANCE [--out CERT] [--smtlib FILE]");
        var output = a.OutputFile("--out");
        var smtOutput = a.OutputFile("--smtlib");
        var instance = InstanceReader.ReadFile(a.Positional[0]);
        var claim = Catalog.Find(instance.ClaimId)!;
        if (smtOutput is { } smtPath)
        {
            // The same question for an SMT solver (e.g. `z3 -T:120 FILE`): written before our own decision, expected "unsat".
            var smt = claim.SmtLib(instance, out var why) ?? throw new UsageException($"--smtlib: {why}");
            OutputFiles.WriteAtomically(smtPath, smt, "--smtlib");
            Console.WriteLine($"wrote {a.Get("--smtlib")} (SMT-LIB2, QF_NRA; unsat proves the claim)");
        }
        var verdict = ClaimRunner.Decide(claim, instance, ReadBudget(a));
        Console.WriteLine($"{claim.Id}: {verdict.Word}: {verdict.Reason}");
        if (verdict.Kind is not (VerdictKind.Certified or VerdictKind.Refuted))
        {
            Console.WriteLine("no certificate written: only a proof or a counterexample gets one");
            return 1;
        }
        string text;
        try { text = CertificateWriter.ToText(CertificateWriter.Produce(claim, instance, verdict)); }
        catch (InvalidOperationException e)
        {
            Console.WriteLine("no certificate written: " + e.Message);
            return 1;
        }
        if (output is { } path) { OutputFiles.WriteAtomically(path, text, "--out"); Console.WriteLine($"wrote {a.Get("--out")}"); }
        else Console.Write(text);
        return verdict.Kind == VerdictKind.Certified ? 0 : 1;
    }

    public static int Recheck(IEnumerable<string> args)
    {
        var a = Arguments.Parse(args, new HashSet<string>(), new HashSet<string>());
        if (a.Positional.Count != 1) throw new UsageException("usage: vl recheck CERT");
        var path = a.Positional[0];
        JsonObject cert;
        try { cert = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InputException(path, "", "empty certificate"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        { throw new InputException(path, "", "cannot read the certificate: " + e.Message.Split('\n')[0]); }
        var result = CertificateChecker.Check(cert, path);
        Console.WriteLine(result.Valid ? $"valid: {cert["claim"]} {cert["verdict"]}: {result.Reason}" : $"INVALID: {result.Reason}");
        return result.Valid ? 0 : 1;
    }
}
