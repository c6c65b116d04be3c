using System.Text.Json;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims;

/// <summary>
/// Reads a claim instance: {"claim": "cooper.3.2", "locus": "core:1,2", "expect": "certified",
/// "spec": {...} or "spec": "relative/path.json"}. "expect" is optional.
/// </summary>
public static class InstanceReader
{
    public static ClaimInstance ReadFile(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputException(path, "", "cannot read the file: " + e.Message); }
        try
        {
            using var doc = JsonDocument.Parse(text);
            return Parse(doc.RootElement, path);
        }
        catch (JsonException e) { throw new InputException(path, "", "not valid JSON: " + e.Message.Split('.')[0]); }
    }

    public static ClaimInstance Parse(JsonElement root, string file)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new InputException(file, "", "an instance must be a JSON object");
        foreach (var prop in root.EnumerateObject())
            if (prop.Name is not ("claim" or "locus" or "expect" or "spec" or "note"))
                throw new InputException(file, prop.Name, "unknown field (known: claim, locus, expect, spec, note)");
        string claim = root.TryGetProperty("claim", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : throw new InputException(file, "claim", "missing");
        if (Catalog.Find(claim) is null) throw new InputException(file, "claim", $"unknown claim '{claim}' (see vl claims)");
        string locusText = root.TryGetProperty("locus", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : throw new InputException(file, "locus", $"missing ({KnownPatterns})");
        string? expect = root.TryGetProperty("expect", out var e) ? e.GetString() : null;
        if (expect is not (null or "certified" or "refuted" or "inconclusive" or "out of hypotheses" or "holds to tolerance" or "fails to tolerance"))
            throw new InputException(file, "expect", "must be certified, refuted, inconclusive, out of hypotheses, holds to tolerance or fails to tolerance");
        if (!root.TryGetProperty("spec", out var specEl)) throw new InputException(file, "spec", "missing");
        NetworkSpec spec = specEl.ValueKind == JsonValueKind.String
            ? SpecReader.ReadFile(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, specEl.GetString()!))
            : SpecReader.Parse(specEl, file);
        var (indices, construction) = ParseLocus(locusText, file);
        return new ClaimInstance(claim, spec, indices, expect, construction);
    }

    private static string KnownPatterns => string.Join(", ", Catalog.LocusKinds.Select(Claim.KindPattern));

    /// <summary>KIND:N or core:I,J[,…], for every locus kind some claim of the catalog speaks about.</summary>
    public static (int[] Indices, string? Construction) ParseLocus(string text, string file)
    {
        var parts = text.Split(':', 2);
        if (parts.Length != 2 || !Catalog.LocusKinds.Contains(parts[0]))
            throw new InputException(file, "locus", $"'{text}' is not one of {KnownPatterns}");
        var indices = parts[1].Split(',').Select(x => int.TryParse(x, out int j) ? j : throw new InputException(file, "locus", $"bad index '{x}'")).ToArray();
        if (parts[0] != "core" && indices.Length != 1) throw new InputException(file, "locus", $"{parts[0]}: takes one number");
        return (indices, parts[0] is "star" or "core" ? null : parts[0]);
    }
}
