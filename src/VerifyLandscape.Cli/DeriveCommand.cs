using VerifyLandscape.Derivation;
using VerifyLandscape.Networks;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Cli;

/// <summary>vl derive SPEC [--at POINT] [--hessian] [--free-rest] [--format text|json|latex] [--out FILE]</summary>
public static class DeriveCommand
{
    public const string Usage = "vl derive SPEC [--at POINT] [--hessian] [--free-rest] [--format text|json|latex] [--out FILE]";

    public static int Run(IEnumerable<string> args)
    {
        var a = Arguments.Parse(args, new HashSet<string> { "--at", "--format", "--out" }, new HashSet<string> { "--hessian", "--free-rest" });
        var output = a.OutputFile("--out");
        if (a.Positional.Count != 1) throw new UsageException("usage: " + Usage);
        var format = a.Get("--format") ?? "text";
        if (format is not ("text" or "json" or "latex")) throw new UsageException($"--format must be text, json or latex, got '{format}'");
        var spec = SpecReader.ReadFile(a.Positional[0]);
        var point = PointArgument.Parse(a.Get("--at") ?? "zero", spec, a.Has("--free-rest"));
        bool hessian = a.Has("--hessian");
        using var progress = hessian ? new ConsoleProgress("hessian columns", spec.ParameterCount) : null;
        ExactDerivation d;
        try { d = ExactDerivation.Compute(spec, point, hessian, progress); }
        catch (Exception e) when (e is Scalars.NonSmoothPointException or Scalars.UndecidedException or Scalars.NotExactException)
        {
            throw new InputException(a.Positional[0], "--at", e.Message);
        }
        progress?.Dispose();
        string text = format switch
        {
            "json" => DerivationWriter.Json(d),
            "latex" => DerivationWriter.Latex(d),
            _ => DerivationWriter.Text(d),
        };
        if (output is { } path) OutputFiles.WriteAtomically(path, text, "--out");
        else Console.Out.Write(text);
        return 0;
    }
}
