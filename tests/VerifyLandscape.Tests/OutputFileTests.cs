using VerifyLandscape.Networks;
using VerifyLandscape.Reports;

namespace VerifyLandscape.Tests;

/// <summary>Output paths are validated before any work; links, folders, devices and empty paths are refused with exit 2, and nothing is left behind.</summary>
public class OutputFileTests
{
    private static readonly string Spec = Path.Combine(TestPaths.ProofsData, "specs", "depth4-tanh.json");

    [Fact]
    public void ASymbolicLinkIsRefusedAndItsTargetKept()
    {
        var dir = Directory.CreateTempSubdirectory("vl-out").FullName;
        var target = Path.Combine(dir, "target.txt");
        File.WriteAllText(target, "keep me");
        var link = Path.Combine(dir, "link.txt");
        File.CreateSymbolicLink(link, target);
        var (code, _, err) = SpecValidationTests.RunVl("derive", Spec, "--out", link);
        Assert.Equal(2, code);
        Assert.Contains("--out", err);
        Assert.Contains("symbolic link", err);
        Assert.Equal("keep me", File.ReadAllText(target));
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(["link.txt", "target.txt"], Directory.GetFileSystemEntries(dir).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("--out", "a folder")]
    [InlineData("--out", "")]
    [InlineData("--out", "/dev/null")]
    public void FoldersEmptyPathsAndDevicesAreRefusedBeforeAnyWork(string option, string kind)
    {
        var dir = Directory.CreateTempSubdirectory("vl-out").FullName;
        string path = kind == "a folder" ? dir : kind;
        var (code, output, err) = SpecValidationTests.RunVl("derive", Spec, "--hessian", option, path);
        Assert.Equal(2, code);
        Assert.StartsWith($"vl: command line: {option}: ", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal("", output); // refused before the derivation ran
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    [Fact]
    public void EveryOutputOptionIsValidatedBeforeTheRun()
    {
        var dir = Directory.CreateTempSubdirectory("vl-out").FullName;
        var instance = Path.Combine(TestPaths.ProofsData, "instances", "cooper.dim", "depth4-tanh-core12.json");
        foreach (var args in new[]
        {
            new[] { "check", "cooper.dim", "--junit", dir }, ["check", "cooper.dim", "--report", Spec],
            ["certify", instance, "--out", dir], ["certify", instance, "--smtlib", ""],
            ["spectrum", Spec, "--at", "random:1", "--out", dir], ["experiment", "milne-toy", "--trials", "1", "--out", Spec],
        })
        {
            var (code, output, err) = SpecValidationTests.RunVl(args);
            Assert.True(code == 2, $"vl {string.Join(" ", args)}: exit {code}, {err}");
            Assert.Contains("vl: command line: --", err);
        }
        Assert.Empty(Directory.GetFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void WritingLeavesNoTemporaryFile()
    {
        var dir = Directory.CreateTempSubdirectory("vl-out").FullName;
        var file = Path.Combine(dir, "result.json");
        OutputFiles.WriteAtomically(file, "{}\n", "--out");
        OutputFiles.WriteAtomically(file, "{\"again\": 1}\n", "--out");
        Assert.Equal("result.json", Path.GetFileName(Assert.Single(Directory.GetFileSystemEntries(dir))));
        Assert.Throws<InputException>(() => OutputFiles.WriteAtomically(dir, "x", "--out"));
    }
}

public class CommandHelpTests
{
    [Theory]
    [InlineData("derive", "--hessian")]
    [InlineData("check", "--trials")]
    [InlineData("certify", "--out")]
    [InlineData("recheck", "CERT")]
    [InlineData("audit", "--gradient")]
    [InlineData("spectrum", "--top")]
    [InlineData("experiment", "milne-toy")]
    [InlineData("report", "--out")]
    [InlineData("claims", "--format")]
    public void EveryCommandAnswersHelp(string command, string option)
    {
        var (code, output, _) = SpecValidationTests.RunVl(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", output);
        Assert.Contains($"vl {command}", output);
        Assert.Contains(option, output);
        Assert.Contains("Examples:", output);
        Assert.Contains("Exit codes", output);
    }
}

public class HelpExampleTests
{
    /// <summary>Every shipped file a --help example names exists (examples are meant to be pasted).</summary>
    [Fact]
    public void TheFilesTheExamplesNameExist()
    {
        var root = VerifyLandscape.Cli.VlCommand.Build(out _);
        var named = root.Subcommands.SelectMany(c => (c.Description ?? "").Split(' ', '\n')).Where(t => t.StartsWith("proofs-data/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(named);
        Assert.All(named, path => Assert.True(File.Exists(Path.Combine(TestPaths.Root, path)), path));
    }
}

public class CatalogReferenceTests
{
    /// <summary>docs/CATALOG.md is generated from the code; regenerate it with `vl claims --format markdown --out docs/CATALOG.md`.</summary>
    [Fact]
    public void TheCommittedCatalogReferenceIsCurrent()
    {
        var committed = File.ReadAllText(Path.Combine(TestPaths.Root, "docs", "CATALOG.md"));
        Assert.True(committed == VerifyLandscape.Cli.ClaimCommands.CatalogMarkdown(),
            "docs/CATALOG.md is stale: run `dotnet run --project src/VerifyLandscape.Cli -- claims --format markdown --out docs/CATALOG.md`");
    }
}

/// <summary>vl check on a user's own instance files (--instances) or data folder (--data).</summary>
public class CheckFolderTests
{
    [Fact]
    public void OwnInstancesAreCheckedAndTheirClaimsChosen()
    {
        var dir = Directory.CreateTempSubdirectory("vl-mine").FullName;
        var spec = File.ReadAllText(Path.Combine(TestPaths.ProofsData, "specs", "nguyen-identity-2class-1sample.json"));
        File.WriteAllText(Path.Combine(dir, "tie.json"), $$"""{"claim": "nguyen.2.1-nonstrict", "locus": "fit:9", "expect": "refuted", "spec": {{spec}}}""");
        var (code, output, err) = SpecValidationTests.RunVl("check", "--instances", dir, "--trials", "0");
        Assert.True(code == 0, output + err);
        Assert.Contains("instances from", output);
        Assert.Contains("nguyen.2.1-nonstrict", output);
        Assert.Contains("1 refuted", output);
        Assert.DoesNotContain("cooper.", output); // only the claims the files name
    }

    [Fact]
    public void AnEmptyOrMissingFolderIsBadInput()
    {
        var empty = Directory.CreateTempSubdirectory("vl-empty").FullName;
        Assert.Equal(2, SpecValidationTests.RunVl("check", "--instances", empty).Code);
        Assert.Equal(2, SpecValidationTests.RunVl("check", "--instances", Path.Combine(empty, "missing")).Code);
        Assert.Equal(2, SpecValidationTests.RunVl("check", "cooper.dim", "--data", empty).Code);
    }
}

/// <summary>--shard I/N splits the random trials of a run disjointly, and the shards together are the whole run.</summary>
public class ShardTests
{
    [Theory]
    [InlineData("cooper.3.2-literal", 3)]
    [InlineData("nguyen.2.1-nonstrict", 4)]
    public void TheShardsAreDisjointAndTogetherTheWholeRun(string id, int n)
    {
        const ulong seed = 20261123;
        var claim = VerifyLandscape.Claims.Catalog.Find(id)!;
        var whole = VerifyLandscape.Claims.ClaimRunner.Run(claim, 25, seed, []).Select(r => (r.Origin, r.Verdict.Word, r.Instance.ToString())).ToList();
        var parts = Enumerable.Range(1, n)
            .Select(i => VerifyLandscape.Claims.ClaimRunner.Run(claim, 25, seed, [], shard: new VerifyLandscape.Claims.Shard(i, n))
                .Select(r => (r.Origin, r.Verdict.Word, r.Instance.ToString())).ToList())
            .ToList();
        var union = parts.SelectMany(p => p).ToList();
        Assert.Equal(union.Count, union.Select(r => r.Origin).Distinct().Count()); // disjoint
        Assert.Equal(whole.OrderBy(r => r.Origin, StringComparer.Ordinal), union.OrderBy(r => r.Origin, StringComparer.Ordinal)); // covering, same verdicts
        Assert.All(Enumerable.Range(1, n), i => Assert.Equal(new VerifyLandscape.Claims.Shard(i, n).TrialsOf(25), parts[i - 1].Count));
    }

    [Fact]
    public void ABadShardIsAUsageError()
    {
        foreach (var bad in new[] { "0/3", "4/3", "1/0", "a/b", "2" })
            Assert.Equal(2, SpecValidationTests.RunVl("check", "cooper.dim", "--shard", bad).Code);
    }
}
