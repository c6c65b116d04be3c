using System.Text;
using System.Text.Json.Nodes;
using VerifyLandscape.Claims;

namespace VerifyLandscape.Reports;

/// <summary>One claim's run in `vl check`: its results, how it ended, and what went wrong (empty when as expected).</summary>
public sealed record ClaimRun(Claim Claim, IReadOnlyList<CaseResult> Results, RunOutcome Outcome, IReadOnlyList<string> Problems)
{
    /// <summary>The refutation worth showing: a shrunk one first.</summary>
    public CaseResult? Counterexample => Results.Where(r => r.Verdict.Kind == VerdictKind.Refuted).OrderBy(r => r.Shrunk is null).FirstOrDefault();
}

/// <summary>
/// `vl check`'s results for programs and CI: the JSON document (--format json, and check.json in a report folder),
/// GitHub annotations and the Markdown job summary. All read the same runs, so they agree with the exit code.
/// </summary>
public static class CheckSummary
{
    /// <summary>The exit code of a run: 1 if any claim failed, 3 if only inconclusive (0 when allowed), else 0.</summary>
    public static int ExitCode(IReadOnlyList<ClaimRun> runs, bool allowInconclusive) =>
        runs.Any(r => r.Outcome == RunOutcome.Failed) ? 1
        : runs.Any(r => r.Outcome == RunOutcome.Inconclusive) && !allowInconclusive ? 3 : 0;

    /// <summary>Schema "vl-check/1": stable field names; verdict counts by word; the shown counterexample per claim.</summary>
    public static JsonObject ToJson(IReadOnlyList<ClaimRun> runs, JsonObject run, int exitCode)
    {
        var claims = new JsonArray();
        foreach (var r in runs)
        {
            JsonNode? counterexample = null;
            if (r.Counterexample is { } c)
            {
                var instance = c.Shrunk ?? c.Instance;
                var verdict = c.ShrunkVerdict ?? c.Verdict;
                counterexample = new JsonObject
                {
                    ["found"] = c.Origin, ["shrunk"] = c.Shrunk is not null, ["network"] = instance.Spec.Describe(),
                    ["locus"] = instance.LocusText, ["reason"] = verdict.Reason, ["instance"] = instance.ToJson(),
                };
            }
            claims.Add(new JsonObject
            {
                ["id"] = r.Claim.Id,
                ["source"] = r.Claim.Source,
                ["expected"] = r.Claim.ExpectedWord,
                ["outcome"] = Word(r.Outcome),
                ["verdicts"] = VerdictCountsJson(r.Results),
                ["problems"] = new JsonArray(r.Problems.Select(p => (JsonNode)p).ToArray()),
                ["counterexample"] = counterexample,
            });
        }
        return new JsonObject { ["schema"] = "vl-check/1", ["run"] = run.DeepClone(), ["claims"] = claims, ["exitCode"] = exitCode };
    }

    /// <summary>How many results ended in each verdict, by verdict word in ordinal order.</summary>
    public static IEnumerable<(string Word, int Count)> VerdictCounts(IEnumerable<CaseResult> results) =>
        results.GroupBy(r => r.Verdict.Word).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()));

    /// <summary>The counts as one phrase: "5 certified, 1 refuted".</summary>
    public static string VerdictCountsText(IEnumerable<CaseResult> results) => string.Join(", ", VerdictCounts(results).Select(c => $"{c.Count} {c.Word}"));

    /// <summary>The counts as a JSON object, word → count.</summary>
    public static JsonObject VerdictCountsJson(IEnumerable<CaseResult> results)
    {
        var counts = new JsonObject();
        foreach (var (word, count) in VerdictCounts(results)) counts[word] = count;
        return counts;
    }

    public static string Word(RunOutcome o) => o switch { RunOutcome.AsExpected => "as expected", RunOutcome.Inconclusive => "inconclusive", _ => "failed" };

    /// <summary>GitHub workflow commands: an error per failed claim, a warning per inconclusive one.</summary>
    public static IEnumerable<string> GitHubAnnotations(IReadOnlyList<ClaimRun> runs) =>
        runs.Where(r => r.Outcome != RunOutcome.AsExpected).Select(r =>
            $"::{(r.Outcome == RunOutcome.Failed ? "error" : "warning")} title=vl check {Escape(r.Claim.Id, true)}::{Escape(string.Join("; ", r.Problems), false)}");

    /// <summary>GitHub's escaping of workflow-command data (%, CR, LF) and, in properties, also ':' and ','.</summary>
    private static string Escape(string s, bool property)
    {
        s = s.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");
        return property ? s.Replace(":", "%3A").Replace(",", "%2C") : s;
    }

    /// <summary>The job summary: one table row per claim, then the counterexamples.</summary>
    public static string Markdown(IReadOnlyList<ClaimRun> runs, string header)
    {
        var md = new StringBuilder().AppendLine("### vl check").AppendLine().AppendLine(header).AppendLine()
            .AppendLine("| claim | expected | outcome | verdicts |").AppendLine("|---|---|---|---|");
        foreach (var r in runs)
        {
            string verdicts = VerdictCountsText(r.Results);
            string mark = r.Outcome switch { RunOutcome.AsExpected => "✅ as expected", RunOutcome.Inconclusive => "⚠️ inconclusive", _ => "❌ failed" };
            md.AppendLine($"| `{r.Claim.Id}` | {r.Claim.ExpectedWord} | {mark} | {verdicts} |");
        }
        foreach (var r in runs.Where(r => r.Problems.Count > 0))
            md.AppendLine().AppendLine($"**{r.Claim.Id}**: {string.Join("; ", r.Problems)}");
        foreach (var r in runs)
            if (r.Counterexample is { } c)
                md.AppendLine().AppendLine($"**{r.Claim.Id}** counterexample{(c.Shrunk is null ? "" : " (shrunk)")}: {(c.Shrunk ?? c.Instance).Spec.Describe()}, locus `{(c.Shrunk ?? c.Instance).LocusText}`: {(c.ShrunkVerdict ?? c.Verdict).Reason}");
        return md.ToString();
    }
}
