using System.Text.Json;
using System.Text.Json.Nodes;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker;

/// <summary>Rejects a certificate with a reason; thrown inside a format's check and turned into "invalid: reason".</summary>
public sealed class Reject(string reason) : Exception(reason);

/// <summary>
/// The parts every certificate has, read strictly: the claim, a verdict that is a proof ("certified") or a
/// counterexample ("refuted"), the instance (which must name the same claim), its network and its facts.
/// </summary>
public sealed record Certificate(string Claim, string Verdict, string Locus, NetworkSpec Spec, JsonObject Facts, string File)
{
    public const string Format = "verifylandscape-certificate/1";
    public bool Certified => Verdict == "certified";

    public static Certificate Read(JsonObject cert, string file)
    {
        if ((cert["format"] as JsonValue)?.ToString() != Format) throw new Reject($"unknown format '{cert["format"]}' (expected {Format})");
        string claim = Text(cert, "claim"), verdict = Text(cert, "verdict");
        if (verdict is not ("certified" or "refuted")) throw new Reject($"verdict '{verdict}': only a proof (certified) or a counterexample (refuted) has a certificate");
        var instance = Object(cert, "instance");
        if (Text(instance, "claim") != claim) throw new Reject($"the instance names claim '{instance["claim"]}', the certificate '{claim}'");
        var specNode = instance["spec"] as JsonObject ?? throw new Reject("instance.spec is missing or not an object");
        NetworkSpec spec;
        try { spec = SpecReader.Parse(JsonDocument.Parse(specNode.ToJsonString()).RootElement, file); }
        catch (InputException e) { throw new Reject("instance.spec: " + e.Message); }
        return new Certificate(claim, verdict, Text(instance, "locus"), spec, Object(cert, "facts"), file);
    }

    /// <summary>Rejects unless the verdict is the one the recomputed facts support.</summary>
    public void Conclude(bool holds, string because)
    {
        if (holds != Certified) throw new Reject($"the verdict '{Verdict}' does not follow from the facts: {because}");
    }

    public static JsonObject Object(JsonNode? parent, string name) =>
        parent?[name] as JsonObject ?? throw new Reject($"'{name}' is missing or not an object");
    public static JsonArray Array(JsonNode? parent, string name) =>
        parent?[name] as JsonArray ?? throw new Reject($"'{name}' is missing or not an array");
    public static string Text(JsonNode? parent, string name) =>
        parent?[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new Reject($"'{name}' is missing or not a string");
    public static int Integer(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue<int>(out var i) ? i : throw new Reject($"{what} is missing or not an integer");
    /// <summary>An exact number written as a string ("3/7", "-0.25").</summary>
    public static Rational Number(JsonNode? node, string what) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && Rational.TryParse(s, out var q) ? q : throw new Reject($"{what} is missing or not an exact number");
    /// <summary>A point written parameter by parameter ({"W1[0,0]": "1/2", …}): every parameter of the layout, in its order.</summary>
    public static Rational[] Point(JsonObject point, ParameterLayout layout)
    {
        if (point.Count != layout.Count) throw new Reject($"the point names {point.Count} parameters, the network has {layout.Count}");
        return layout.Names.Select(name => Number(point[name], $"point[{name}]")).ToArray();
    }

    public static string[] Texts(JsonNode? parent, string name) =>
        Array(parent, name).Select((x, i) => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new Reject($"{name}[{i}] is not a string")).ToArray();
}
