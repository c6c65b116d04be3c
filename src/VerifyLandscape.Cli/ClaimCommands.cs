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
    /// <summary>proofs-data/ of the repository vl runs from (the working folder or one above it), else the copy installed with vl.</summary>
    public static string? ProofsData()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (Directory.Exists(Path.Combine(dir.FullName, "proofs-data", "instances"))) return Path.Combine(dir.FullName, "proofs-data");
        var installed = Path.Combine(AppContext.BaseDirectory, "proofs-data");
        return Directory.Exists(Path.Combine(installed, "instances")) ? installed : null;
    }

    /// <summary>--data DIR (a folder with instances/CLAIM/*.json, like proofs-data), else proofs-data found from the working folder.</summary>
    private static string? DataFolder(Arguments a)
    {
        if (a.Get("--data") is not { } dir) return ProofsData();
        if (!Directory.Exists(Path.Combine(dir, "instances"))) throw new InputException("command line", "--data", $"{dir} has no instances/ folder (expected DIR/instances/CLAIM/*.json)");
        return dir;
    }

    /// <summary>--instances DIR: every *.json instance file under DIR (each names its claim); bad files are bad input.</summary>
    private static List<(string File, ClaimInstance Instance)> ReadInstanceFolder(string dir)
    {
        if (!Directory.Exists(dir)) throw new InputException("command line", "--instances", $"{dir} is not a folder");
        var files = Directory.GetFiles(dir, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new InputException("command line", "--instances", $"{dir} holds no *.json instance files");
        return files.Select(f => (f, InstanceReader.ReadFile(f))).ToList();
    }

    public static int Claims(Arguments a)
    {
        var format = a.Format("text", "json", "markdown");
        var output = a.OutputFile("--out");
        void Emit(string text)
        {
            if (output is { } path) { OutputFiles.WriteAtomically(path, text, "--out"); VlCommand.Say($"wrote {a.Get("--out")}"); }
            else Console.Write(text);
        }
        if (format == "markdown") { Emit(CatalogMarkdown()); return 0; }
        var data = ProofsData();
        var shipped = Catalog.All.Select(c => ClaimRunner.Run(c, 0, 0, ClaimRunner.ShippedInstances(data, c))).ToList();
        if (format == "json")
        {
            // Schema "vl-claims/1": the catalog with each claim's verdict counts on the shipped instances.
            var claims = new JsonArray();
            foreach (var (c, results) in Catalog.All.Zip(shipped))
            {
                claims.Add(new JsonObject
                {
                    ["id"] = c.Id, ["source"] = c.Source, ["statement"] = c.Statement,
                    ["expected"] = c.ExpectedWord,
                    ["hypotheses"] = new JsonArray(c.Hypotheses.Select(h => (JsonNode)h.Wording).ToArray()),
                    ["certificate"] = CertificateChecker.Claims.Contains(c.Id),
                    ["shipped"] = CheckSummary.VerdictCountsJson(results), ["shippedAsExpected"] = results.All(r => r.Expected),
                });
            }
            Emit(new JsonObject { ["schema"] = "vl-claims/1", ["vl"] = VlCommand.Version, ["claims"] = claims }.ToJsonString(JsonText.Pretty) + "\n");
            return 0;
        }
        var table = new System.Text.StringBuilder().AppendLine($"{"id",-28} {"source",-56} {"expected",-11} shipped instances");
        foreach (var (c, results) in Catalog.All.Zip(shipped))
        {
            string status = results.Count == 0 ? "none" :
                string.Join(", ", results.GroupBy(r => r.Verdict.Word).Select(g => $"{g.Count()} {g.Key}")) + (results.All(r => r.Expected) ? "" : " (UNEXPECTED)");
            table.AppendLine($"{c.Id,-28} {c.Source,-56} {c.ExpectedWord,-11} {status}")
                 .AppendLine($"{"",-28} {c.Statement}")
                 .AppendLine($"{"",-28} hypotheses: {string.Join("; ", c.Hypotheses)}");
        }
        Emit(table.ToString());
        return 0;
    }

    /// <summary>
    /// The catalog's reference (docs/CATALOG.md): every claim's statement, source, expectation, hypotheses (their
    /// wording is the code's), the instances it speaks about and whether it has a certificate format. Generated, so it
    /// cannot drift from the code; a test compares the committed file with this.
    /// </summary>
    public static string CatalogMarkdown()
    {
        var md = new System.Text.StringBuilder();
        md.AppendLine("# The catalog").AppendLine()
          .AppendLine("Generated by `vl claims --format markdown --out docs/CATALOG.md`; a test keeps it current. Verdicts on the shipped")
          .AppendLine("instances: `vl claims`. Findings and reconstructions: the README.").AppendLine();
        md.AppendLine("| id | source | expected | certificate |").AppendLine("|---|---|---|---|");
        foreach (var c in Catalog.All)
            md.AppendLine($"| [`{c.Id}`](#{c.Id.Replace(".", "")}) | {c.Source} | {c.ExpectedWord} | {(CertificateChecker.Claims.Contains(c.Id) ? "yes" : "no")} |");
        foreach (var c in Catalog.All)
        {
            md.AppendLine().AppendLine($"## {c.Id}").AppendLine()
              .AppendLine($"{c.Source}. **{c.Expected switch { Expectation.Holds => "Holds", Expectation.KnownFalse => "Known false", _ => "Open: a counterexample search, evidence only, never certified" }}.**").AppendLine()
              .AppendLine(c.Statement).AppendLine()
              .AppendLine($"Instances: {string.Join(", ", c.LocusKinds.Select(k => "`" + Claim.KindPattern(k) + "`"))}.").AppendLine()
              .AppendLine("Hypotheses (tested in this order; the first one broken is the reason for \"out of hypotheses\"):").AppendLine();
            foreach (var h in c.Hypotheses)
                md.AppendLine($"- {h.Wording}{(h.BrokenBy is null ? " (at the point, while deciding)" : "")}");
        }
        return md.ToString();
    }

    /// <summary>Random trials per claim when --trials is not given.</summary>
    public const int DefaultTrials = 20;

    public static Budget ReadBudget(Arguments a) => new(
        a.GetInt("--budget-terms", (int)Budget.Default.MaxTerms, 1, int.MaxValue),
        TimeSpan.FromSeconds(a.GetInt("--budget-time", (int)Budget.Default.Time.TotalSeconds, 1, 86_400)));

    /// <summary>
    /// Exit codes: 0 as the catalog expects, 1 a failure, 3 only inconclusive verdicts beyond that (0 with
    /// --allow-inconclusive). The text lines, the JSON document, JUnit, the GitHub annotations and job summary and the
    /// report folder are all written from the same runs, so they agree with the exit code.
    /// </summary>
    public static int Check(Arguments a)
    {
        bool json = a.Format("text", "json") == "json";
        var own = a.Get("--instances") is { } folder ? ReadInstanceFolder(folder) : null;
        var claims = a.Has("--all") ? Catalog.All.ToList()
            : a.Positional.Count == 0 && own is not null ? Catalog.All.Where(c => own.Any(i => i.Instance.ClaimId == c.Id)).ToList()
            : a.Positional.Select(id => Catalog.Find(id) ?? throw new UsageException($"unknown claim '{id}' (see vl claims)")).ToList();
        if (claims.Count == 0) throw new UsageException("usage: vl check CLAIM...|--all|--instances DIR [options] (options: vl check --help)");
        int trials = a.GetInt("--trials", DefaultTrials, 0, 1_000_000);
        ulong seed = a.GetSeed(PropertyCheck.DefaultSeed);
        var budget = ReadBudget(a);
        if (a.Get("--backend") is { } backend)
            Numerics.Backends.ForClaims = Numerics.Backends.Names.Contains(backend) ? backend : throw new InputException("command line", "--backend", $"'{backend}' is not one of cpu, gpu, auto");
        Shard? shard = a.Get("--shard") is { } shardText ? Shard.Parse(shardText) ?? throw new UsageException($"--shard must be I/N with 1 ≤ I ≤ N, got '{shardText}'") : null;
        var junit = a.OutputFile("--junit");
        var summaryFile = GitHub.StepSummary();
        var data = DataFolder(a);
        var record = new JsonObject
        {
            ["vl"] = VlCommand.Version, ["seed"] = seed.ToString(), ["trials"] = trials, ["shard"] = shard?.ToString(),
            ["budget"] = budget.ToString(), ["claims"] = new JsonArray(claims.Select(c => (JsonNode)c.Id).ToArray()),
            ["instances"] = own is not null ? $"{a.Get("--instances")} ({own.Count} files)" : data is null ? "none (no proofs-data found)" : a.Get("--data") ?? "shipped",
        };
        var report = a.OutputFolder("--report") is { } reportDir ? ResultsFolder.Open(reportDir, record, "--report") : null;
        void Line(string text) { if (!json) VlCommand.Say(text); }
        void Result(string text) { if (!json) Console.WriteLine(text); }
        Line($"seed {seed}, {trials} random trials per claim{(shard is { } sh ? $" (shard {sh}: {sh.TrialsOf(trials)} of them)" : "")}, budget per instance {budget}, " +
             (own is not null ? $"instances from {a.Get("--instances")} ({own.Count} files)" : $"shipped instances from {data ?? "(no proofs-data found)"}"));
        var runs = new List<ClaimRun>();
        foreach (var claim in claims)
        {
            var shipped = own?.Where(i => i.Instance.ClaimId == claim.Id).ToList() ?? ClaimRunner.ShippedInstances(data, claim);
            int done = 0;
            var progress = new ConsoleProgress(claim.Id, shipped.Count + (shard?.TrialsOf(trials) ?? trials));
            var results = ClaimRunner.Run(claim, trials, seed, shipped, () => progress.Report(++done), budget, shard);
            progress.Dispose();
            var (outcome, problems) = ClaimRunner.Judge(claim, results);
            var run = new ClaimRun(claim, results, outcome, problems);
            runs.Add(run);
            var counts = CheckSummary.VerdictCountsText(results);
            string note = claim.Expected switch
            {
                Expectation.KnownFalse => " (known false: a counterexample is expected)",
                Expectation.Open => $" (open: a search; {results.Count(r => r.Verdict.Kind == VerdictKind.FailsToTolerance)} candidate counterexamples, evidence only)",
                _ => "",
            };
            string mark = outcome switch { RunOutcome.AsExpected => "ok  ", RunOutcome.Inconclusive => "INC ", _ => "FAIL" };
            (outcome == RunOutcome.AsExpected ? (Action<string>)Line : Result)($"{mark} {claim.Id,-28} {counts}{note}");
            if (claim.Expected == Expectation.Holds && results.Any(r => r.Verdict.Kind == VerdictKind.Certified) && trials > 0)
            {
                int decided = results.Count(r => r.Origin.StartsWith("trial"));
                Line($"     random trials: {results.Count(r => r.Origin.StartsWith("trial") && r.Verdict.Kind == VerdictKind.Certified)} of {decided} instances certified, no counterexample in {decided} trials");
            }
            foreach (var problem in problems) Result("     " + problem);
            if (run.Counterexample is { } reportable)
            {
                var shown = reportable.Shrunk ?? reportable.Instance;
                Line($"     counterexample{(reportable.Shrunk is null ? "" : " (shrunk)")}: {shown.Spec.Describe()}, locus {shown.LocusText}: {(reportable.ShrunkVerdict ?? reportable.Verdict).Reason}");
                if (report is not null)
                    foreach (var f in CounterexampleReport.Write(report, reportable, seed)) Line($"     wrote {f}");
            }
        }
        int exit = CheckSummary.ExitCode(runs, a.Has("--allow-inconclusive"));
        if (junit is not null) OutputFiles.WriteAtomically(junit, JUnitWriter.Write(runs), "--junit");
        var document = CheckSummary.ToJson(runs, record, exit);
        if (report is not null) OutputFiles.WriteAtomically(Path.Combine(report, "check.json"), document.ToJsonString(JsonText.Pretty) + "\n");
        // Workflow commands: on standard output, or standard error under --format json (the runner reads both).
        if (GitHub.Active) foreach (var line in CheckSummary.GitHubAnnotations(runs)) (json ? Console.Error : Console.Out).WriteLine(line);
        if (summaryFile is not null) File.AppendAllText(summaryFile, CheckSummary.Markdown(runs, $"seed {seed}, {trials} trials per claim{(shard is { } s2 ? $", shard {s2}" : "")}") + "\n");
        if (json) { Console.WriteLine(document.ToJsonString(JsonText.Pretty)); return exit; }
        if (runs.Any(r => r.Outcome == RunOutcome.Failed)) Console.WriteLine("some claims did not behave as the catalog expects");
        else if (runs.Any(r => r.Outcome == RunOutcome.Inconclusive))
            Console.WriteLine("no claim failed, but some verdicts are inconclusive" + (a.Has("--allow-inconclusive") ? " (allowed by --allow-inconclusive)" : " (exit 3; --allow-inconclusive makes it 0)"));
        else Console.WriteLine("all claims behaved as the catalog expects");
        return exit;
    }

    public static int Certify(Arguments a)
    {
        bool json = a.Format("text", "json") == "json";
        var output = a.OutputFile("--out");
        var smtOutput = a.OutputFile("--smtlib");
        var instance = InstanceReader.ReadFile(a.Positional[0]);
        var claim = Catalog.Find(instance.ClaimId)!;
        if (smtOutput is { } smtPath)
        {
            // The same question for an SMT solver (e.g. `z3 -T:120 FILE`): written before our own decision, expected "unsat".
            var smt = claim.SmtLib(instance, out var why) ?? throw new UsageException($"--smtlib: {why}");
            OutputFiles.WriteAtomically(smtPath, smt, "--smtlib");
            if (!json) VlCommand.Say($"wrote {a.Get("--smtlib")} (SMT-LIB2, QF_NRA; unsat proves the claim)");
        }
        var verdict = ClaimRunner.Decide(claim, instance, ReadBudget(a));
        int exit = verdict.Kind == VerdictKind.Certified ? 0 : 1;
        // Schema "vl-certify/1": the verdict, and the certificate (inline, or the file it went to), or why there is none.
        var result = new JsonObject { ["schema"] = "vl-certify/1", ["claim"] = claim.Id, ["instance"] = a.Positional[0], ["verdict"] = verdict.Word, ["reason"] = verdict.Reason };
        if (!json) Console.WriteLine($"{claim.Id}: {verdict.Word}: {verdict.Reason}");
        string? text = null, missing = null;
        if (verdict.Kind is not (VerdictKind.Certified or VerdictKind.Refuted)) missing = "only a proof or a counterexample gets one";
        else
        {
            try { text = CertificateWriter.ToText(CertificateWriter.Produce(claim, instance, verdict)); }
            catch (InvalidOperationException e) { missing = e.Message; }
        }
        if (text is null)
        {
            result["certificate"] = null; result["noCertificate"] = missing; exit = 1;
            if (!json) Console.WriteLine("no certificate written: " + missing);
        }
        else if (output is { } path)
        {
            OutputFiles.WriteAtomically(path, text, "--out");
            result["certificateFile"] = a.Get("--out");
            if (!json) VlCommand.Say($"wrote {a.Get("--out")}");
        }
        else if (json) result["certificate"] = JsonNode.Parse(text);
        else Console.Write(text);
        if (json) Console.WriteLine(result.ToJsonString(JsonText.Pretty));
        return exit;
    }

    public static int Recheck(Arguments a)
    {
        bool json = a.Format("text", "json") == "json";
        var path = a.Positional[0];
        JsonObject cert;
        try { cert = JsonNode.Parse(File.ReadAllText(path))?.AsObject() ?? throw new InputException(path, "", "empty certificate"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        { throw new InputException(path, "", "cannot read the certificate: " + e.Message.Split('\n')[0]); }
        var result = CertificateChecker.Check(cert, path);
        if (json)
            Console.WriteLine(new JsonObject
            {
                ["schema"] = "vl-recheck/1", ["certificate"] = path, ["valid"] = result.Valid,
                ["claim"] = cert["claim"]?.DeepClone(), ["verdict"] = cert["verdict"]?.DeepClone(), ["reason"] = result.Reason,
            }.ToJsonString(JsonText.Pretty));
        else Console.WriteLine(result.Valid ? $"valid: {cert["claim"]} {cert["verdict"]}: {result.Reason}" : $"INVALID: {result.Reason}");
        return result.Valid ? 0 : 1;
    }
}
