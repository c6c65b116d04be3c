using System.Text.Json.Nodes;

namespace VerifyLandscape.Audit;

/// <summary>
/// `vl audit --format sarif`: SARIF 2.1.0 for code scanning. Two stable rules; one result per offending entry
/// (an error per mismatch, a warning per entry whose enclosure is too wide to judge), located in the audited file,
/// with the entry's name (e.g. W2[0,1]) as its logical location and the numbers as properties.
/// </summary>
public static class AuditSarif
{
    public const string MismatchRule = "VL0001";
    public const string UndecidedRule = "VL0002";

    public static JsonObject Write(AuditResult result, string spec, string gradientFile, string? hessianFile, string toolVersion, string? hvpFile = null)
    {
        var results = new JsonArray();
        foreach (var (part, file) in new[] { (result.Gradient, gradientFile), (result.Hessian, hessianFile), (result.Hvp, hvpFile) })
        {
            if (part is null || file is null) continue;
            foreach (var e in part.Offending)
            {
                bool mismatch = e.Ratio > 1;
                string reference = e.ReferenceText;
                results.Add(new JsonObject
                {
                    ["ruleId"] = mismatch ? MismatchRule : UndecidedRule,
                    ["level"] = mismatch ? "error" : "warning",
                    ["message"] = new JsonObject
                    {
                        ["text"] = mismatch
                            ? $"{part.What} entry {e.Name}: given {e.Given:R}, exact {reference}, error {e.AbsoluteError:G3} > allowed {e.Allowed:G3}"
                            : $"{part.What} entry {e.Name}: the reference enclosure {reference} is wider than the allowed error {e.Allowed:G3}",
                    },
                    ["locations"] = new JsonArray(new JsonObject
                    {
                        ["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = Uri(file) } },
                        ["logicalLocations"] = new JsonArray(new JsonObject { ["name"] = e.Name, ["fullyQualifiedName"] = $"{part.What}/{e.Name}", ["kind"] = "variable" }),
                    }),
                    ["properties"] = new JsonObject
                    {
                        ["array"] = part.What, ["given"] = e.Given, ["referenceLo"] = e.ReferenceLo, ["referenceHi"] = e.ReferenceHi,
                        ["absoluteError"] = e.AbsoluteError, ["allowed"] = e.Allowed, ["spec"] = spec,
                    },
                });
            }
        }
        var driver = new JsonObject
        {
            ["name"] = "vl audit",
            ["version"] = toolVersion,
            ["rules"] = new JsonArray(
                Rule(MismatchRule, "DerivativeMismatch", "A derivative entry differs from the exact value by more than the allowed error.", "error"),
                Rule(UndecidedRule, "EnclosureTooWide", "The rigorous enclosure of the exact value is too wide to judge this entry.", "warning")),
        };
        var run = new JsonObject
        {
            ["tool"] = new JsonObject { ["driver"] = driver },
            ["results"] = results,
            ["properties"] = new JsonObject { ["verdict"] = result.Verdict, ["reference"] = result.Reference, ["elementType"] = result.ElementType },
        };
        return new JsonObject
        {
            ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(run),
        };
    }

    private static JsonObject Rule(string id, string name, string description, string level) => new()
    {
        ["id"] = id, ["name"] = name,
        ["shortDescription"] = new JsonObject { ["text"] = description },
        ["defaultConfiguration"] = new JsonObject { ["level"] = level },
    };

    /// <summary>A relative path as a URI reference (forward slashes, escaped); absolute paths as file: URIs.</summary>
    private static string Uri(string path) => Path.IsPathRooted(path)
        ? new Uri(Path.GetFullPath(path)).AbsoluteUri
        : string.Join("/", path.Replace('\\', '/').Split('/').Select(System.Uri.EscapeDataString));
}
