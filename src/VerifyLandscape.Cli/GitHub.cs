using VerifyLandscape.Networks;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Cli;

/// <summary>GitHub Actions: annotations when GITHUB_ACTIONS=true, and the job summary file it names.</summary>
public static class GitHub
{
    public static bool Active => Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";

    /// <summary>$GITHUB_STEP_SUMMARY when set (checked before any work: a plain file in a writable folder), else null.</summary>
    public static string? StepSummary()
    {
        var path = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY");
        if (string.IsNullOrEmpty(path)) return null;
        if (File.Exists(path) && new FileInfo(path).LinkTarget is null) return path;   // the runner creates it; we append
        return OutputFiles.ValidateFile(path, "GITHUB_STEP_SUMMARY");
    }
}
