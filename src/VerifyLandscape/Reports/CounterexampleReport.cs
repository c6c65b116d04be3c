using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Claims;

namespace VerifyLandscape.Reports;

/// <summary>
/// A counterexample report: Markdown for people, JSON for programs, an SVG of the Hessian (sparsity and
/// spectrum) where it can be drawn, and the instance file that reproduces it with one command. Written whole (temporary file, then rename).
/// </summary>
public static class CounterexampleReport
{
    public static IReadOnlyList<string> Write(string dir, CaseResult r, ulong seed)
    {
        Directory.CreateDirectory(dir);
        var instance = r.Shrunk ?? r.Instance;
        var verdict = r.ShrunkVerdict ?? r.Verdict;
        string stem = Path.Combine(dir, r.Claim.Id + "-counterexample");
        string instanceFile = stem + ".instance.json";
        var json = new JsonObject
        {
            ["claim"] = r.Claim.Id,
            ["source"] = r.Claim.Source,
            ["statement"] = r.Claim.Statement,
            ["verdict"] = verdict.Word,
            ["reason"] = verdict.Reason,
            ["expected"] = r.Expected,
            ["found"] = r.Origin,
            ["seed"] = seed.ToString(),
            ["shrunk"] = r.Shrunk is not null,
            ["instance"] = instance.ToJson(),
            ["evidence"] = verdict.Evidence.DeepClone(),
            ["reproduce"] = $"vl certify {instanceFile}",
        };
        var md = new StringBuilder()
            .AppendLine($"# Counterexample: {r.Claim.Id}")
            .AppendLine()
            .AppendLine($"**Claim** ({r.Claim.Source}): {r.Claim.Statement}")
            .AppendLine()
            .AppendLine($"**Verdict:** {verdict.Word}: {verdict.Reason}")
            .AppendLine()
            .AppendLine($"**Instance** ({(r.Shrunk is null ? "as found" : "shrunk")}; found in {r.Origin}): {instance.Spec.Describe()}, locus {instance.LocusText}")
            .AppendLine()
            .AppendLine("```json").AppendLine(instance.ToJson().ToJsonString(JsonText.Pretty)).AppendLine("```")
            .AppendLine()
            .AppendLine("**Evidence** (exact values):")
            .AppendLine()
            .AppendLine("```json").AppendLine(verdict.Evidence.ToJsonString(JsonText.Pretty)).AppendLine("```")
            .AppendLine()
            .AppendLine($"**Reproduce:** `vl certify {instanceFile}` (or `vl check {r.Claim.Id} --seed {seed}`)");
        var files = new List<string> { stem + ".md", stem + ".json", instanceFile };
        if (Picture(instance, verdict) is { } svg)
        {
            OutputFiles.WriteAtomically(stem + ".svg", svg);
            md.AppendLine().AppendLine($"![Hessian sparsity and spectrum]({Path.GetFileName(stem)}.svg)");
            files.Add(stem + ".svg");
        }
        OutputFiles.WriteAtomically(instanceFile, instance.ToJson().ToJsonString(JsonText.Pretty) + "\n");
        OutputFiles.WriteAtomically(stem + ".json", json.ToJsonString(JsonText.Pretty) + "\n");
        OutputFiles.WriteAtomically(stem + ".md", md.ToString());
        return files;
    }

    /// <summary>The Hessian picture, or null where the point is not smooth or the network too large to draw.</summary>
    private static string? Picture(ClaimInstance instance, Verdict verdict)
    {
        if (instance.Spec.ParameterCount > 120) return null;
        try
        {
            if (Catalog.Find(instance.ClaimId) is not { } claim || HessianPicture.PointOf(claim, instance, verdict) is not { } point) return null;
            return HessianPicture.Svg(instance.Spec, point, $"{instance.ClaimId}: {instance.Spec.Describe()}, {instance.LocusText}");
        }
        catch (Exception e) when (e is Scalars.NonSmoothPointException or ArgumentException or FormatException) { return null; }
    }
}
