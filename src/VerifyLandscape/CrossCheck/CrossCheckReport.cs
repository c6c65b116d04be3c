using System.Text;
using System.Text.Json.Nodes;
using VerifyLandscape.Audit;
using VerifyLandscape.Reports;

namespace VerifyLandscape.CrossCheck;

/// <summary>
/// The counterexample report of vl crosscheck: Markdown and JSON, and the shrunk case as a folder (spec, point,
/// direction, and the command's own output on it) with the commands that reproduce the mismatch.
/// </summary>
public static class CrossCheckReport
{
    public const string Stem = "crosscheck-counterexample";
    public const string CaseFolder = "crosscheck-case";

    /// <summary>Shell-quotes a word for the reproduce lines.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''") + "'";

    /// <summary>The commands that reproduce the mismatch from the case folder <paramref name="caseDir"/>.</summary>
    public static string[] Reproduce(string caseDir, IDerivativeDriver driver, Requested want)
    {
        string audit = $"vl audit {caseDir}/spec.json --at {caseDir}/point.json --gradient {caseDir}/out/gradient.npy"
                       + (want.HasFlag(Requested.Hessian) ? $" --hessian {caseDir}/out/hessian.npy" : "")
                       + (want.HasFlag(Requested.Hvp) ? $" --hvp {caseDir}/out/hvp.npy --direction {caseDir}/vector.json" : "");
        return
        [
            $"vl crosscheck --against {Quote(driver.Command)} --replay {caseDir} --want {ExternalDriver.Names(want)}",
            $"(cd {caseDir} && {string.Join(" ", ExternalDriver.Environment(".", want).Select(e => $"{e.Name}={e.Value}"))} sh -c {Quote(driver.Command)}) && {audit}",
        ];
    }

    /// <summary>Writes the report into <paramref name="dir"/>; the case folder is built aside and renamed into place.</summary>
    public static IReadOnlyList<string> Write(string dir, CrossCheckResult result, IDerivativeDriver driver, Requested want, string searchCommand)
    {
        var ce = result.Counterexample ?? throw new ArgumentException("no counterexample to report");
        Directory.CreateDirectory(dir);
        string caseDir = Path.Combine(dir, CaseFolder), building = Path.Combine(dir, "." + CaseFolder + ".tmp");
        if (Directory.Exists(building)) Directory.Delete(building, true);
        // The command's output on the shrunk case, in the folder the reproduce lines name.
        var outcome = new CrossCheckRun(driver, want, dir).Evaluate(CrossCheckRun.CaseOf(ce.Shrunk), building);
        if (Directory.Exists(caseDir)) Directory.Delete(caseDir, true);
        Directory.Move(building, caseDir);
        var shown = outcome.Audit ?? ce.Outcome.Audit!;
        string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), caseDir);
        var reproduce = Reproduce(relative, driver, want);
        var spec = ce.Shrunk.Spec;
        var json = new JsonObject
        {
            ["command"] = driver.Command,
            ["asked"] = ExternalDriver.Names(want),
            ["seed"] = result.Seed.ToString(),
            ["foundAtTrial"] = ce.Trial,
            ["found"] = ce.Found.Spec.Describe(),
            ["foundParameters"] = ce.Found.Spec.ParameterCount,
            ["shrinkSteps"] = ce.ShrinkSteps,
            ["commandRunsWhileShrinking"] = ce.CommandRuns,
            ["shrunk"] = spec.Describe(),
            ["parameters"] = spec.ParameterCount,
            ["pointSeed"] = ce.Shrunk.PointSeed,
            ["verdictOnRerun"] = outcome.Kind.ToString(),
            ["audit"] = shown.ToJson(),
            ["case"] = relative,
            ["reproduce"] = new JsonArray(reproduce.Select(r => (JsonNode)r).ToArray()),
            ["search"] = searchCommand,
        };
        var md = new StringBuilder()
            .AppendLine("# Cross-check counterexample")
            .AppendLine()
            .AppendLine($"**Command:** `{driver.Command}` (asked for {ExternalDriver.Names(want)})")
            .AppendLine()
            .AppendLine($"**Found** at trial {ce.Trial} (seed {result.Seed}): {ce.Found.Spec.Describe()}; "
                        + $"**shrunk** in {ce.ShrinkSteps} steps ({ce.CommandRuns} runs of the command) to {spec.Describe()}, point seed {ce.Shrunk.PointSeed}.")
            .AppendLine()
            .AppendLine($"**Verdict:** {shown.Verdict}; reference: {shown.Reference}; {shown.ElementType} error model, allowed error {shown.Floor:G3} + {shown.RelativeTolerance:G3}·|reference|"
                        + (outcome.Kind == OutcomeKind.Mismatch ? "" : $" (NOTE: the rerun for this report gave {outcome.Word}: the command is not deterministic)"))
            .AppendLine();
        foreach (var part in shown.Parts)
        {
            md.AppendLine($"- {part.What}: {part.Entries} entries, max error/allowed {part.MaxRatio:G3}{(part.Failed ? " **FAIL**" : "")}");
            foreach (var e in part.Offending.Where(e => e.Ratio > 1).Take(8))
                md.AppendLine($"  - {e}");
        }
        md.AppendLine()
          .AppendLine($"**Case** (folder `{relative}`: spec.json, point.json / point.npy, vector.json / vector.npy, out/ as the command wrote it):")
          .AppendLine()
          .AppendLine("```json").AppendLine(Networks.SpecWriter.ToJsonString(spec)).AppendLine("```")
          .AppendLine()
          .AppendLine($"θ = `{File.ReadAllText(Path.Combine(caseDir, "point.json")).ReplaceLineEndings(" ")}`, v = `{File.ReadAllText(Path.Combine(caseDir, "vector.json")).ReplaceLineEndings(" ")}`")
          .AppendLine()
          .AppendLine("**Reproduce:**")
          .AppendLine()
          .AppendLine("```sh");
        foreach (var r in reproduce) md.AppendLine(r);
        md.AppendLine("```").AppendLine().AppendLine($"The whole search: `{searchCommand}`");
        string stem = Path.Combine(dir, Stem);
        OutputFiles.WriteAtomically(stem + ".json", json.ToJsonString(JsonText.Pretty) + "\n");
        OutputFiles.WriteAtomically(stem + ".md", md.ToString());
        return [stem + ".md", stem + ".json", caseDir];
    }
}
