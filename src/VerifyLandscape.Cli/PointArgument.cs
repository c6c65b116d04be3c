using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Cli;

/// <summary>
/// --at POINT: zero | random:SEED | FILE.json (see <see cref="Point"/>), or the generic point of one of Cooper's
/// loci, star:J | core | core:I1,I2[,…] (core alone is core:1,2), so a derivative computed there holds on the whole locus.
/// </summary>
public static class PointArgument
{
    public static Point Parse(string text, NetworkSpec net, bool freeRest = false, string field = "--at")
    {
        if (!(text.StartsWith("star:") || text == "core" || text.StartsWith("core:")))
            return Point.Parse(text, net, freeRest, field, alsoAccepted: "star:J, core:I1,I2");
        var body = text == "core" ? "1,2" : text[(text.IndexOf(':') + 1)..];
        var indices = new List<int>();
        foreach (var part in body.Split(','))
            indices.Add(int.TryParse(part, out int j) ? j : throw new InputException("command line", field, $"bad locus index '{part}' in '{text}'"));
        if (text.StartsWith("star:") && indices.Count != 1) throw new InputException("command line", field, "star:J takes one index");
        AffineLocus locus;
        try { locus = CooperLoci.Core(net, indices); }
        catch (ArgumentException e) { throw new InputException("command line", field, e.Message); }
        return Point.GenericPoint(locus, net.Layout, text);
    }
}
