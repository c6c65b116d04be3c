namespace VerifyLandscape.Tests;

internal static class TestPaths
{
    /// <summary>The repository root: the folder above tests/ that holds VerifyLandscape.sln.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VerifyLandscape.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }
    public static string ProofsData => Path.Combine(Root, "proofs-data");
}
