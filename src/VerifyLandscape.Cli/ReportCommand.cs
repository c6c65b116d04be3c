using VerifyLandscape.Networks;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Cli;

/// <summary>vl report DIR [--out FILE]: one static HTML page over a results folder (default DIR/index.html).</summary>
public static class ReportCommand
{
    public static int Run(Arguments a)
    {
        var dir = a.Positional[0];
        if (!Directory.Exists(dir)) throw new InputException("command line", "DIR", $"{dir} is not a folder");
        var output = a.OutputFile("--out") ?? OutputFiles.ValidateFile(Path.Combine(dir, "index.html"), "--out");
        var page = HtmlReport.Build(dir) ?? throw new InputException(dir, "DIR", "holds no vl results (check.json, counterexamples, spectra, experiments or certificates)");
        OutputFiles.WriteAtomically(output, page, "--out");
        VlCommand.Say($"wrote {Path.GetRelativePath(Directory.GetCurrentDirectory(), output)}");
        return 0;
    }
}
