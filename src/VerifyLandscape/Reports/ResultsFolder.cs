using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Reports;

/// <summary>
/// A results folder (vl check --report DIR): run.json records the run (vl version, seed, trials, shard, claims,
/// instances). A folder that holds another run, or files but no record, is refused before any work, so two runs never
/// silently mix; running the same command again into it replaces its results.
/// </summary>
public static class ResultsFolder
{
    public const string RecordFile = "run.json";

    /// <summary>Opens <paramref name="dir"/> (already validated as a writable folder) for the run <paramref name="record"/>; returns dir.</summary>
    public static string Open(string dir, JsonObject record, string option)
    {
        var path = Path.Combine(dir, RecordFile);
        if (File.Exists(path))
        {
            JsonNode? earlier;
            try { earlier = JsonNode.Parse(File.ReadAllText(path)); }
            catch (JsonException) { earlier = null; }
            if (earlier is null || !JsonNode.DeepEquals(earlier, record))
                throw new InputException(dir, option, $"holds another run ({Describe(earlier)}); use an empty folder, or the same command to redo that run");
        }
        else if (Directory.EnumerateFileSystemEntries(dir).Any())
            throw new InputException(dir, option, $"is not empty and has no {RecordFile} (not a vl results folder); use an empty folder");
        OutputFiles.WriteAtomically(path, record.ToJsonString(JsonText.Pretty) + "\n", option);
        return dir;
    }

    private static string Describe(JsonNode? run) => run is null ? "an unreadable run.json"
        : $"seed {run["seed"]}, {run["trials"]} trials, shard {run["shard"]?.ToString() ?? "none"}, claims {run["claims"]?.AsArray().Count ?? 0}, vl {run["vl"]}";
}
