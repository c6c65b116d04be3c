using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Nguyen;

/// <summary>What the checks of 001's certificates read alike: the locus, the labels, the point and the minor's units.</summary>
internal static class NguyenSetting
{
    public static void RequireLocus(Certificate c, string kind)
    {
        if (!c.Locus.StartsWith(kind + ":", StringComparison.Ordinal)) throw new Reject($"the locus '{c.Locus}' is not {kind}:SEED, which claim {c.Claim} speaks about");
    }

    /// <summary>The class of every sample; training error and the cross-entropy claims need one-hot targets.</summary>
    public static int[] OneHotLabels(NetworkSpec s) =>
        s.Y.Select((y, i) => y.Count(v => v.IsOne) == 1 && y.All(v => v.IsZero || v.IsOne) ? Array.FindIndex(y, v => v.IsOne)
            : throw new Reject($"out of the claim's hypotheses: the target of sample {i} is not one-hot")).ToArray();

    public static Rational[] Point(Certificate c) => Certificate.Point(Certificate.Object(c.Facts, "point"), c.Spec.Layout);

    /// <summary>"minorUnits": N distinct units the output reads, with their columns in Ψ.</summary>
    public static (HiddenUnit[] Units, int[] Columns) Minor(Certificate c)
    {
        var s = c.Spec;
        var units = Certificate.Array(c.Facts, "minorUnits").Select((u, i) => u is System.Text.Json.Nodes.JsonArray { Count: 2 } a
            ? new HiddenUnit(Certificate.Integer(a[0], $"minorUnits[{i}][0]"), Certificate.Integer(a[1], $"minorUnits[{i}][1]"))
            : throw new Reject($"minorUnits[{i}] is not a pair [layer, unit]")).ToArray();
        if (units.Length != s.SampleCount) throw new Reject($"the minor has {units.Length} units; it needs N = {s.SampleCount} distinct units");
        if (units.Distinct().Count() != units.Length) throw new Reject("the minor names a unit twice");
        var sources = s.OutputSources;
        var columns = units.Select(u => Array.IndexOf(sources, u) is var j and >= 0 ? j : throw new Reject($"unit {u} is not one the output reads")).ToArray();
        return (units, columns);
    }
}
