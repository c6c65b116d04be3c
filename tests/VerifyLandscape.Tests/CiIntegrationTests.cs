using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using System.Xml.Schema;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Audit;

namespace VerifyLandscape.Tests;

/// <summary>
/// What CI systems read from vl: SARIF (validated against the SARIF 2.1.0 schema), JUnit (against Schemas/junit.xsd),
/// the JSON document of vl check, GitHub annotations and job summary, results folders, --quiet, --version.
/// </summary>
[Collection("console")]
public class CiIntegrationTests
{
    private static string Schemas => Path.Combine(TestPaths.Root, "tests", "VerifyLandscape.Tests", "Schemas");

    private static void AssertValidSarif(string json)
    {
        var schema = NJsonSchema.JsonSchema.FromFileAsync(Path.Combine(Schemas, "sarif-2.1.0.json")).GetAwaiter().GetResult();
        var errors = schema.Validate(json);
        Assert.True(errors.Count == 0, "SARIF schema errors: " + string.Join("; ", errors.Select(e => $"{e.Path}: {e.Kind}")));
    }

    private static void AssertValidJUnit(string file)
    {
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema };
        settings.Schemas.Add(null, Path.Combine(Schemas, "junit.xsd"));
        var problems = new List<string>();
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity}: {e.Message}");
        using (var reader = XmlReader.Create(file, settings)) while (reader.Read()) { }
        Assert.True(problems.Count == 0, "JUnit schema errors: " + string.Join("; ", problems));
    }

    [Fact]
    public void AuditSarifHasOneResultPerMismatchingEntryAndValidates()
    {
        var (dir, spec, net, pointFile, engine) = AuditCommandTests.Setup(5);
        int p = net.ParameterCount;
        var gradient = engine.Gradient;
        var g = Path.Combine(dir, "g.npy");
        var sarif = Path.Combine(dir, "audit.sarif");

        File.WriteAllBytes(g, Npy.Format(gradient, [p]));
        var (code, _, err) = SpecValidationTests.RunVl("audit", spec, "--at", pointFile, "--gradient", g, "--format", "sarif", "--out", sarif);
        Assert.True(code == 0, err);
        AssertValidSarif(File.ReadAllText(sarif));
        Assert.Empty(JsonNode.Parse(File.ReadAllText(sarif))!["runs"]![0]!["results"]!.AsArray());

        var wrong = (double[])gradient.Clone();
        wrong[3] += 1e-3;
        wrong[7] -= 2e-2;
        File.WriteAllBytes(g, Npy.Format(wrong, [p]));
        File.Delete(sarif);
        (code, _, err) = SpecValidationTests.RunVl("audit", spec, "--at", pointFile, "--gradient", g, "--format", "sarif", "--out", sarif);
        Assert.True(code == 1, err);
        var text = File.ReadAllText(sarif);
        AssertValidSarif(text);
        var results = JsonNode.Parse(text)!["runs"]![0]!["results"]!.AsArray();
        Assert.Equal([net.Layout.Name(3), net.Layout.Name(7)], results.Select(r => r!["locations"]![0]!["logicalLocations"]![0]!["name"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal(AuditSarif.MismatchRule, r!["ruleId"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal("error", r!["level"]!.GetValue<string>()));
    }

    /// <summary>A run with one failing claim: the exit code, the JSON document, JUnit, annotations and summary agree.</summary>
    [Fact]
    public void EveryOutputOfAFailingCheckAgreesWithItsExitCode()
    {
        var dir = Directory.CreateTempSubdirectory("vl-ci").FullName;
        var spec = File.ReadAllText(Path.Combine(TestPaths.ProofsData, "specs", "nguyen-identity-2class-1sample.json"));
        // The tie is a counterexample to the non-strict claim; expecting "certified" is wrong, so the run fails.
        File.WriteAllText(Path.Combine(dir, "tie.json"), $$"""{"claim": "nguyen.2.1-nonstrict", "locus": "fit:9", "expect": "certified", "spec": {{spec}}}""");
        var junit = Path.Combine(dir, "junit.xml");
        var summary = Path.Combine(dir, "summary.md");
        File.WriteAllText(summary, "");
        Environment.SetEnvironmentVariable("GITHUB_ACTIONS", "true");
        Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", summary);
        try
        {
            var (code, output, err) = SpecValidationTests.RunVl("check", "--instances", dir, "--trials", "0", "--junit", junit, "--format", "json");
            Assert.True(code == 1, output + err);
            var annotation = err.Split('\n').Single(l => l.StartsWith("::"));   // on standard error under --format json
            Assert.StartsWith("::error title=vl check nguyen.2.1-nonstrict::", annotation);
            var document = JsonNode.Parse(output)!;
            Assert.Equal("vl-check/1", document["schema"]!.GetValue<string>());
            Assert.Equal(1, document["exitCode"]!.GetValue<int>());
            Assert.Equal("failed", document["claims"]![0]!["outcome"]!.GetValue<string>());
            AssertValidJUnit(junit);
            Assert.Equal("1", System.Xml.Linq.XDocument.Load(junit).Root!.Element("testsuite")!.Attribute("failures")!.Value);
            Assert.Contains("| `nguyen.2.1-nonstrict` | known false | ❌ failed |", File.ReadAllText(summary));
        }
        finally
        {
            Environment.SetEnvironmentVariable("GITHUB_ACTIONS", null);
            Environment.SetEnvironmentVariable("GITHUB_STEP_SUMMARY", null);
        }
    }

    [Fact]
    public void APassingCheckWritesValidJUnitAndNoAnnotations()
    {
        var junit = Path.Combine(Directory.CreateTempSubdirectory("vl-junit").FullName, "junit.xml");
        var (code, output, err) = SpecValidationTests.RunVl("check", "cooper.dim", "cooper.3.2-literal", "--trials", "2", "--junit", junit);
        Assert.True(code == 0, output + err);
        Assert.DoesNotContain("::", output);
        AssertValidJUnit(junit);
    }

    [Fact]
    public void AResultsFolderRecordsItsRunAndRefusesAnother()
    {
        var dir = Directory.CreateTempSubdirectory("vl-results").FullName;
        var (code, _, err) = SpecValidationTests.RunVl("check", "cooper.dim", "--trials", "1", "--report", dir);
        Assert.True(code == 0, err);
        var record = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "run.json")))!;
        Assert.Equal("1", record["trials"]!.ToString());
        Assert.True(File.Exists(Path.Combine(dir, "check.json")));
        Assert.Equal(0, SpecValidationTests.RunVl("check", "cooper.dim", "--trials", "1", "--report", dir).Code); // the same run again

        (code, _, err) = SpecValidationTests.RunVl("check", "cooper.dim", "--trials", "2", "--report", dir);
        Assert.Equal(2, code);
        Assert.Contains("holds another run", err);
        Assert.Equal("1", JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "run.json")))!["trials"]!.ToString());

        var stray = Directory.CreateTempSubdirectory("vl-stray").FullName;
        File.WriteAllText(Path.Combine(stray, "notes.txt"), "mine");
        (code, _, err) = SpecValidationTests.RunVl("check", "cooper.dim", "--trials", "1", "--report", stray);
        Assert.Equal(2, code);
        Assert.Contains("not a vl results folder", err);
        Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(stray).Select(Path.GetFileName));
    }

    [Fact]
    public void QuietVersionAndUsageErrors()
    {
        var (code, output, _) = SpecValidationTests.RunVl("check", "cooper.dim", "--trials", "1", "-q");
        Assert.Equal(0, code);
        Assert.Equal("all claims behaved as the catalog expects", output.Trim());

        (code, output, _) = SpecValidationTests.RunVl("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("0.1.0", output.Trim());

        foreach (var args in new[] { new[] { "check", "--bogus" }, ["derive"], [], ["derive", "a.json", "b.json"], ["check", "cooper.dim", "--format", "xml"], ["experiment", "bogus"], ["audit", "a.json", "--at", "zero"] })
        {
            string err;
            (code, _, err) = SpecValidationTests.RunVl(args);
            Assert.True(code == 2, string.Join(" ", args));
            Assert.Single(err.Trim().Split('\n'));
            Assert.StartsWith("vl: ", err);
        }
    }

    [Fact]
    public void JsonFormatsParse()
    {
        foreach (var args in new[] { new[] { "claims", "--format", "json" }, ["recheck", Directory.GetFiles(Path.Combine(TestPaths.ProofsData, "certificates"), "*.json", SearchOption.AllDirectories).Order().First(), "--format", "json"] })
        {
            var (code, output, err) = SpecValidationTests.RunVl(args);
            Assert.True(code == 0, err);
            var doc = JsonDocument.Parse(output);
            Assert.StartsWith("vl-", doc.RootElement.GetProperty("schema").GetString());
        }
    }
}

/// <summary>vl report: one self-contained page over a results folder (the browser test is .ci/report-browser).</summary>
[Collection("console")]
public class HtmlReportTests
{
    [Fact]
    public void TheReportShowsTheRunItsCounterexampleAndPicturesWithNoExternalAssets()
    {
        var dir = Directory.CreateTempSubdirectory("vl-report").FullName;
        Assert.Equal(0, SpecValidationTests.RunVl("check", "cooper.dim", "cooper.3.2-literal", "--trials", "2", "--report", dir).Code);
        var (code, _, err) = SpecValidationTests.RunVl("report", dir);
        Assert.True(code == 0, err);
        var html = File.ReadAllText(Path.Combine(dir, "index.html"));
        Assert.Contains("<code>cooper.3.2-literal</code>", html);
        Assert.Contains("<h2 id=\"counterexamples\">", html);
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("src=\"http", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("<script", html);

        var empty = Directory.CreateTempSubdirectory("vl-report-empty").FullName;
        (code, _, err) = SpecValidationTests.RunVl("report", empty);
        Assert.Equal(2, code);
        Assert.Contains("holds no vl results", err);
        Assert.Empty(Directory.GetFileSystemEntries(empty));
    }

    [Fact]
    public void TheShippedDataRendersWithExperimentsAndCertificates()
    {
        var page = VerifyLandscape.Reports.HtmlReport.Build(TestPaths.ProofsData)!;
        Assert.Contains("<h2 id=\"experiments\">", page);
        Assert.Contains("nguyen-skip-training-error.svg", page);
        Assert.Contains("<h2 id=\"certificates\">", page);
    }
}
