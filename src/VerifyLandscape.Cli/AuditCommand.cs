using System.Text.Json;
using VerifyLandscape.Audit;
using VerifyLandscape.Networks;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Cli;

/// <summary>vl audit SPEC --at POINT --gradient FILE [--hessian FILE] [--hvp FILE --direction V] [--tol T] [--format text|json|sarif] [--out FILE]</summary>
public static class AuditCommand
{
    /// <summary>Exit codes: 0 matches, 1 mismatch, 2 bad input, 3 inconclusive (an enclosure too wide to judge an entry).</summary>
    public static int Run(Arguments a)
    {
        var output = a.OutputFile("--out");
        var format = a.Format("text", "json", "sarif");
        double? tol = a.Has("--tol") ? a.GetDouble("--tol", 0, 0, double.PositiveInfinity) : null;
        var spec = SpecReader.ReadFile(a.Positional[0]);
        var point = PointArgument.Parse(a.Get("--at")!, spec);
        if (!point.IsRational) throw new InputException("command line", "--at", "the audit needs a concrete point (every parameter a number), not a locus");
        string gradientFile = a.Get("--gradient")!;
        var gradient = DerivativeAudit.ReadArray(gradientFile, spec.Layout);
        string? hessianFile = a.Get("--hessian");
        var hessian = hessianFile is null ? null : DerivativeAudit.ReadArray(hessianFile, spec.Layout);
        string? hvpFile = a.Get("--hvp");
        if ((hvpFile is null) != (a.Get("--direction") is null)) throw new UsageException("--hvp and --direction go together (the product H v and its direction v)");
        var hvp = hvpFile is null ? null : DerivativeAudit.ReadArray(hvpFile, spec.Layout);
        var direction = a.Get("--direction") is { } v ? Point.Parse(v, spec, field: "--direction") : null;
        if (direction is { IsRational: false }) throw new InputException("command line", "--direction", "the direction must be concrete (every entry a number)");
        AuditResult result;
        try { result = DerivativeAudit.Run(spec, point.Rationals(), gradient, hessian, tol, gradientFile, hessianFile ?? "hessian", a.Positional[0], hvp, direction?.Rationals(), hvpFile ?? "hvp"); }
        catch (Scalars.NonSmoothPointException e) { throw new InputException(a.Positional[0], "--at", "no derivative here: " + e.Message); }
        string text = format switch
        {
            "json" => result.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n",
            "sarif" => AuditSarif.Write(result, a.Positional[0], gradientFile, hessianFile, VlCommand.Version, hvpFile).ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n",
            _ => Text(result),
        };
        if (output is { } path) OutputFiles.WriteAtomically(path, text, "--out");
        else Console.Out.Write(text);
        return result.Verdict switch { "matches" => 0, "mismatch" => 1, _ => 3 };
    }

    private static string Text(AuditResult r)
    {
        var s = new System.Text.StringBuilder();
        s.AppendLine($"{(r.Passed ? "matches" : r.Verdict.ToUpperInvariant())}: reference {r.Reference}; {r.ElementType}: allowed error {r.Floor:G3} + {r.RelativeTolerance:G3}·|reference|");
        foreach (var part in r.Parts)
        {
            s.AppendLine($"  {part.What}: {part.Entries} entries, max absolute error {part.MaxAbsoluteError:G3}, max error/allowed {part.MaxRatio:G3}, widest enclosure {part.MaxEnclosureWidth:G3}"
                         + (part.Undecidable > 0 ? $", {part.Undecidable} entries whose enclosure is too wide to judge" : "") + $": {(part.Passed ? "ok" : part.Failed ? "FAIL" : "undecided")}");
            foreach (var e in part.Worst)
                s.AppendLine($"    {e}{(e.Decidable ? "" : ", enclosure too wide")}");
        }
        return s.ToString();
    }
}
