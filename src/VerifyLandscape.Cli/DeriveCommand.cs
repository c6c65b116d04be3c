using VerifyLandscape.Derivation;
using VerifyLandscape.Networks;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Cli;

/// <summary>vl derive SPEC [--at POINT] [--hessian] [--free-rest] [--format text|json|latex] [--out FILE]</summary>
public static class DeriveCommand
{
    public static int Run(Arguments a)
    {
        var output = a.OutputFile("--out");
        var format = a.Format("text", "json", "latex");
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
