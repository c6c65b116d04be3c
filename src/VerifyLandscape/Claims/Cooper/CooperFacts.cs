using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using Interval = VerifyLandscape.Intervals.Interval;

namespace VerifyLandscape.Claims.Cooper;

/// <summary>
/// Facts about a whole locus of Cooper's (star S_j or core C_{i,j}): its name and fixed coordinates, then what was
/// proved on it. The checker rebuilds the locus from the instance and compares.
/// </summary>
public abstract record LocusFacts(AffineLocus Locus, ParameterLayout Layout) : CertificateFacts
{
    public sealed override JsonObject ToJson()
    {
        var facts = new JsonObject
        {
            ["locus"] = new JsonObject
            {
                ["name"] = Locus.Name,
                ["fixed"] = new JsonObject(Locus.Fixed.OrderBy(kv => kv.Key).Select(kv => KeyValuePair.Create(Layout.Name(kv.Key), (JsonNode?)kv.Value.ToString()))),
            },
        };
        AddTo(facts);
        return facts;
    }

    protected abstract void AddTo(JsonObject facts);
}

/// <summary>The gradient is the zero polynomial at the generic point of the locus (C-3.1).</summary>
public sealed record GradientVanishesOnLocus(AffineLocus Locus, ParameterLayout Layout) : LocusFacts(Locus, Layout)
{
    protected override void AddTo(JsonObject facts) => facts["gradient"] = "zero";
}

/// <summary>Gradient zero and a Hessian that is the same rational matrix on the whole locus (C-3.2, C-5.16 where rational).</summary>
public sealed record HessianOnLocus(AffineLocus Locus, ParameterLayout Layout, Rational[,] Hessian) : LocusFacts(Locus, Layout)
{
    protected override void AddTo(JsonObject facts)
    {
        facts["gradient"] = "zero";
        AddHessian(facts, Hessian, Layout);
    }
}

/// <summary>Gradient zero and null vectors of the Hessian identically in the ring: zero rows and flat directions (C-5.16).</summary>
public sealed record NullVectorsOnLocus(AffineLocus Locus, ParameterLayout Layout, IReadOnlyList<string> ZeroRows, IReadOnlyList<string> FlatDirections)
    : LocusFacts(Locus, Layout)
{
    protected override void AddTo(JsonObject facts)
    {
        facts["gradient"] = "zero";
        facts["nullVectors"] = new JsonObject { ["zeroRows"] = Strings(ZeroRows), ["flatDirections"] = Strings(FlatDirections) };
    }
}

/// <summary>A rational point of the locus where one gradient entry is enclosed away from 0: the locus is not critical.</summary>
public sealed record NonCriticalPointOnLocus(AffineLocus Locus, ParameterLayout Layout, Rational[] Point, int Parameter, Symbolic.Sym Entry, Interval Enclosure, Symbolic.Sym Generic)
    : LocusFacts(Locus, Layout)
{
    /// <summary>The witness, also the verdict's evidence.</summary>
    public JsonObject Witness() => new()
    {
        ["locus"] = Locus.Name, ["point"] = Evidence.Point(Layout, Point), ["parameter"] = Layout.Name(Parameter),
        ["gradientEntry"] = Entry.ToString(), ["enclosure"] = new JsonArray(Enclosure.Lo, Enclosure.Hi),
        ["genericGradientEntry"] = Generic.ToString(),
    };

    protected override void AddTo(JsonObject facts) => facts["nonCriticalPoint"] = Witness();
}

/// <summary>A rational point of the core locus where H[entry] minus its claimed value is enclosed away from 0 (C-3.2 refuted).</summary>
public sealed record ViolatedEntryOnLocus(AffineLocus Locus, ParameterLayout Layout, Rational[] Point, int Row, int Column) : LocusFacts(Locus, Layout)
{
    protected override void AddTo(JsonObject facts) =>
        facts["violatedEntry"] = new JsonObject { ["point"] = Evidence.Point(Layout, Point), ["entry"] = $"{Layout.Name(Row)},{Layout.Name(Column)}" };
}

/// <summary>dim of S_i, S_j and C_{i,j}: by the exact rank of their constraints and by the closed formula.</summary>
public sealed record LocusDimensions(AffineLocus Locus, ParameterLayout Layout, IReadOnlyList<(string Name, int Rank, int Formula)> Dimensions)
    : LocusFacts(Locus, Layout)
{
    public JsonObject DimensionsJson() =>
        new(Dimensions.Select(d => KeyValuePair.Create(d.Name, (JsonNode?)new JsonObject { ["rank"] = d.Rank, ["formula"] = d.Formula })));

    protected override void AddTo(JsonObject facts) => facts["dimensions"] = DimensionsJson();
}

/// <summary>Hidden layers from a seed, and rows of Φ that form a non-singular N×N minor (C-5.8).</summary>
public sealed record FibreMinor(int Seed, IReadOnlyList<int> MinorRows) : CertificateFacts
{
    public override JsonObject ToJson() => new()
    {
        ["hiddenLayers"] = $"random rationals, seed {Seed}",
        ["minorRows"] = new JsonArray(MinorRows.Select(r => (JsonNode?)r).ToArray()),
    };
}
