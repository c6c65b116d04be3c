namespace VerifyLandscape.Checker;

/// <summary>Branch-and-bound certificates name their leaves by split paths ("LRL…") from one root box.</summary>
public static class Tiling
{
    /// <summary>Null when the split paths are the leaves of one binary subdivision (no leaf inside another, every internal node with both children).</summary>
    public static string? TilingProblem(HashSet<string> paths)
    {
        if (paths.Count == 0) return "no boxes";
        var prefixes = new HashSet<string>();
        foreach (var path in paths)
            for (int i = 0; i < path.Length; i++) prefixes.Add(path[..i]);
        foreach (var path in paths) if (prefixes.Contains(path)) return $"box '{path}' is split further elsewhere";
        foreach (var q in prefixes)
            foreach (var child in new[] { q + "L", q + "R" })
                if (!paths.Contains(child) && !prefixes.Contains(child)) return $"the boxes do not cover the domain: '{child}' is missing";
        return null;
    }

}
