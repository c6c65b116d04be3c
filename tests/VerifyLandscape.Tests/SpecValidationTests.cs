using VerifyLandscape.Cli;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Tests;

[CollectionDefinition("console", DisableParallelization = true)]
public class ConsoleCollection;

/// <summary>Bad input gets one line naming the file and the field, exit code 2, and no output file.</summary>
[Collection("console")]
public class SpecValidationTests
{
    private const string Data = "\"data\": {\"x\": [[\"1\", \"2\"]], \"y\": [[\"1\"]]}";

    public static TheoryData<string, string> BadSpecs => new()
    {
        { "{\"widths\": [2, 1], " + Data.Replace("\"2\"", "\"2/0\"") + "}", "data.x[0][1]" },
        { "{\"widths\": [2, 1], " + Data.Replace("\"2\"", "\"NaN\"") + "}", "data.x[0][1]" },
        { "{\"widths\": [2, 1], " + Data.Replace("\"2\"", "\"abc\"") + "}", "data.x[0][1]" },
        { "{\"widths\": [3, 1], " + Data + "}", "data.x[0]" },
        { "{\"widths\": [2, 2], " + Data + "}", "data.y[0]" },
        { "{\"widths\": [2, 0, 1], " + Data + "}", "widths[1]" },
        { "{\"widths\": [2], " + Data + "}", "widths" },
        { "{\"widths\": [2, 100000, 100000, 1], " + Data + "}", "widths" },
        { "{\"widths\": [2, 1], \"activation\": \"gelu\", " + Data + "}", "activation" },
        { "{\"widths\": [2, 1], \"loss\": \"msee\", " + Data + "}", "loss" },
        { "{\"widths\": [2, 1], \"penalty\": \"1\", " + Data + "}", "penalty" },
        { "{\"widths\": [2, 1], \"penalty\": {\"l3\": \"1\"}, " + Data + "}", "penalty.l3" },
        { "{\"widths\": [2, 1], \"penalty\": {\"l1\": \"-1\"}, " + Data + "}", "penalty.l1" },
        { "{\"widths\": [2, 1], \"penalty\": {\"l2\": \"x\"}, " + Data + "}", "penalty.l2" },
        { "{\"widths\": [2, 1], \"weightDecay\": \"1\", \"penalty\": {\"l2\": \"1\"}, " + Data + "}", "penalty.l2" },
        { "{\"widths\": [2, 1], \"bias\": \"yes\", " + Data + "}", "bias" },
        { "{\"widths\": [2, 1], \"weightDecay\": \"-1\", " + Data + "}", "weightDecay" },
        { "{\"widths\": [2, 1], \"widht\": 3, " + Data + "}", "widht" },
        { "{\"widths\": [2, 1]}", "data" },
        { "{\"widths\": [2, 1], \"data\": {\"x\": [[\"1\", \"2\"]], \"y\": [[\"1\"], [\"2\"]]}}", "data.y" },
        { "{\"widths\": [2, 2, 1], \"activation\": {\"name\": \"softplus\", \"beta\": \"0\"}, " + Data + "}", "activation.beta" },
        { "{\"widths\": [2, 2, 1], \"activation\": {\"name\": \"polynomial\"}, " + Data + "}", "activation.coefficients" },
        { "{\"widths\": [2, 1], " + Data.Replace("\"2\"", "true") + "}", "data.x[0][1]" },
        { "{\"widths\": [2, 1], \"skip\": [[1, 0]], " + Data + "}", "skip" },
        { "{\"widths\": [2, 2, 1], \"skip\": [], " + Data + "}", "skip" },
        { "{\"widths\": [2, 2, 1], \"skip\": [[2, 0]], " + Data + "}", "skip[0]" },
        { "{\"widths\": [2, 2, 1], \"skip\": [[1, 0], [1, 2]], " + Data + "}", "skip[1]" },
        { "{\"widths\": [2, 2, 1], \"skip\": [[1, 0], [1, 0]], " + Data + "}", "skip[1]" },
        { "{\"widths\": [2, 2, 1], \"skip\": [[1, \"0\"]], " + Data + "}", "skip[0]" },
        { "{\"widths\": [2, 2, 2, 1], \"reads\": {\"3\": [[1, 0]]}, " + Data + "}", "reads.3" },
        { "{\"widths\": [2, 2, 2, 1], \"reads\": {\"2\": [[2, 0]]}, " + Data + "}", "reads.2[0]" },
        { "{\"widths\": [2, 2, 2, 1], \"reads\": {\"2\": [[0, 5]]}, " + Data + "}", "reads.2[0]" },
        { "{\"widths\": [2, 2, 2, 1], \"reads\": [[0, 1]], " + Data + "}", "reads" },
        { "{\"widths\": [2, 2, 1], \"shared\": [[\"W1[0,0]\"]], " + Data + "}", "shared[0]" },
        { "{\"widths\": [2, 2, 1], \"shared\": [[\"W1[0,0]\", \"W9[0,0]\"]], " + Data + "}", "shared[0][1]" },
        { "{\"widths\": [2, 2, 1], \"shared\": [[\"W1[0,0]\", \"b1[0]\"]], " + Data + "}", "shared[0]" },
        { "{\"widths\": [2, 2, 1], \"shared\": [[\"W1[0,0]\", \"W1[1,0]\"]], \"frozen\": {\"W1[1,0]\": \"0\"}, " + Data + "}", "frozen.W1[1,0]" },
        { "{\"widths\": [2, 2, 1], \"frozen\": {\"W1[0,0]\": \"NaN\"}, " + Data + "}", "frozen.W1[0,0]" },
        { "{\"widths\": [2, 2, 1], \"frozen\": [\"W1[0,0]\"], " + Data + "}", "frozen" },
        { "{\"widths\": [2, 2, 1], \"outputBias\": 0, " + Data + "}", "outputBias" },
        { "[1, 2]", "" },
        { "{\"widths\": [2, 1], ", "" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void BadSpecIsRejectedWithTheFieldNamed(string json, string field)
    {
        var e = Assert.Throws<InputException>(() => SpecReader.Parse(json, "bad.json"));
        Assert.Equal(field, e.Field);
        Assert.StartsWith("bad.json: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void CommandLineExitsWithTwoAndWritesNoOutputOnBadSpec()
    {
        var dir = Directory.CreateTempSubdirectory("vl-bad").FullName;
        var spec = Path.Combine(dir, "spec.json");
        File.WriteAllText(spec, "{\"widths\": [2, 1], " + Data.Replace("\"2\"", "\"1/0\"") + "}");
        var outFile = Path.Combine(dir, "out.json");
        var (code, _, err) = RunVl("derive", spec, "--out", outFile);
        Assert.Equal(2, code);
        Assert.Contains("data.x[0][1]", err);
        Assert.Contains(spec, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(outFile));
        Assert.DoesNotContain(Directory.GetFiles(dir), f => f != spec);
    }

    [Fact]
    public void UnknownPointAndMissingParameterAreBadInput()
    {
        var spec = Path.Combine(TestPaths.ProofsData, "specs", "depth4-tanh.json");
        Assert.Equal(2, RunVl("derive", spec, "--at", "star:9").Code);
        Assert.Equal(2, RunVl("derive", spec, "--at", "somewhere").Code);
        var point = Path.Combine(Directory.CreateTempSubdirectory("vl-pt").FullName, "p.json");
        File.WriteAllText(point, "{\"W1[0,0]\": \"1/2\"}");
        var (code, _, err) = RunVl("derive", spec, "--at", point);
        Assert.Equal(2, code);
        Assert.Contains("W1[0,1]", err);
        Assert.Equal(0, RunVl("derive", spec, "--at", point, "--free-rest").Code);
    }

    [Fact]
    public void DeriveJsonAtTheCoreReportsTheInertia()
    {
        var spec = Path.Combine(TestPaths.ProofsData, "specs", "depth4-tanh.json");
        var (code, output, _) = RunVl("derive", spec, "--at", "core:1,2", "--hessian", "--format", "json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var inertia = doc.RootElement.GetProperty("inertia");
        Assert.Equal(1, inertia.GetProperty("positive").GetInt32());
        Assert.Equal(20, inertia.GetProperty("zero").GetInt32());
        Assert.Equal("8", doc.RootElement.GetProperty("hessian")[20][20].GetString());
        Assert.Equal(21, doc.RootElement.GetProperty("parameters").GetArrayLength());
    }

    internal static (int Code, string Out, string Err) RunVl(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var (o, e) = (Console.Out, Console.Error);
        Console.SetOut(stdout); Console.SetError(stderr);
        try { return (VlCommand.Run(args), stdout.ToString(), stderr.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }
}
