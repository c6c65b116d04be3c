using System.Text.Json;
using VerifyLandscape.Exact;
using VerifyLandscape.Symbolic;

namespace VerifyLandscape.Networks;

/// <summary>
/// A point of parameter space, exact: each parameter a rational or a free symbol.
/// Written on the command line as zero | random:SEED | FILE.json (the CLI adds
/// the named loci of the claims, e.g. star:J and core:I,J, as generic points: fixed
/// parameters take their values, the others stay symbols, so a derivative computed
/// there holds on the whole locus).
/// </summary>
public sealed class Point(string description, Sym[] values, AffineLocus? locus)
{
    public string Description { get; } = description;
    public Sym[] Values { get; } = values;
    public AffineLocus? Locus { get; } = locus;
    public bool IsRational => Values.All(v => v.IsConstant);
    public Rational[] Rationals() => Values.Select(v => v.Constant).ToArray();

    public static Point Parse(string text, NetworkSpec net, bool freeRest = false, string field = "--at", string? alsoAccepted = null)
    {
        var layout = net.Layout;
        if (text == "zero") return new Point("zero", Enumerable.Repeat(Sym.Zero, layout.Count).ToArray(), null);
        if (text.StartsWith("random:"))
        {
            if (!int.TryParse(text["random:".Length..], out int seed)) throw new InputException("command line", field, $"bad seed in '{text}'");
            return new Point(text, RandomRationals(layout.Count, seed).Select(q => (Sym)q).ToArray(), null);
        }
        if (text.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) return ReadFile(text, net, freeRest);
        throw new InputException("command line", field, $"unknown point '{text}' (zero, random:SEED{(alsoAccepted is null ? "" : ", " + alsoAccepted)} or a .json file)");
    }

    /// <summary>The generic point of a locus: fixed parameters set, free ones as symbols named like the parameter.</summary>
    public static Point GenericPoint(AffineLocus locus, ParameterLayout layout, string? description = null)
    {
        var values = new Sym[layout.Count];
        for (int p = 0; p < values.Length; p++)
            values[p] = locus.Fixed.TryGetValue(p, out var q) ? q : Sym.Variable(Symbols.Parameter(layout.Name(p)));
        return new Point(description ?? locus.Name, values, locus);
    }

    /// <summary>Small random rationals n/d, n in −9..9, d in 1..8: deterministic for a seed.</summary>
    public static Rational[] RandomRationals(int count, int seed) => SeededRationals.Draw(count, seed);

    private static Point ReadFile(string path, NetworkSpec net, bool freeRest)
    {
        var layout = net.Layout;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        { throw new InputException(path, "", "cannot read the point: " + e.Message.Split(Environment.NewLine)[0]); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InputException(path, "", "a point must be an object {\"W1[0,0]\": \"1/2\", ...}");
            var values = new Sym?[layout.Count];
            foreach (var prop in doc.RootElement.EnumerateObject())
            {
                if (!layout.TryIndexOf(prop.Name, out int p)) throw new InputException(path, prop.Name, "no such parameter in this network");
                values[p] = SpecReader.ReadNumber(prop.Value, path, prop.Name);
            }
            for (int p = 0; p < values.Length; p++)
                if (values[p] is null)
                {
                    if (!freeRest) throw new InputException(path, layout.Name(p), "missing (give every parameter, or use --free-rest to keep the rest symbolic)");
                    values[p] = Sym.Variable(Symbols.Parameter(layout.Name(p)));
                }
            return new Point(path, values.Select(v => v!.Value).ToArray(), null);
        }
    }
}
