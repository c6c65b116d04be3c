using System.Diagnostics;
using Rnd = FsCheck.Rnd;
using FsCheck.Fluent;
using VerifyLandscape.CrossCheck;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;
using VerifyLandscape.Testing;
using Xunit;

namespace VerifyLandscape.Tests;

/// <summary>
/// vl crosscheck: the search, the shrinking and the report with drivers run in this process (the numeric engine,
/// correct and with planted bugs), the file protocol with /bin/sh commands, and the PyTorch driver end to end
/// (skipped where Debian's python3-torch is absent).
/// </summary>
public class CrossCheckTests
{
    private const Requested All = Requested.Gradient | Requested.Hessian | Requested.Hvp;

    /// <summary>The double-precision engine as a driver, with the bugs a crosscheck must catch.</summary>
    private sealed class EngineDriver(string bug = "") : IDerivativeDriver
    {
        public string Command => "engine" + (bug == "" ? "" : " --mutate " + bug);

        public DriverOutput Run(string dir, DriverCase c, Requested want)
        {
            int p = c.Spec.ParameterCount;
            DenseNetwork net;
            try { net = new DenseNetwork(c.Spec, c.Point.Select(q => q.ToDouble()).ToArray()); }
            catch (Scalars.NonSmoothPointException) // at a kink: answer something, as frameworks answer a subgradient
            { return new(new NumericArray(new double[p], [p], "float64"), new NumericArray(new double[p * p], [p, p], "float64"), new NumericArray(new double[p], [p], "float64"), null); }
            var lost = bug == "drop-output-bias" ? Enumerable.Range(0, p).Where(q => c.Spec.Layout.Name(q).StartsWith($"b{c.Spec.Depth}[")).ToArray() : [];
            double[] Planted(double[] values) => bug == "float32-as-float64" ? values.Select(x => (double)(float)x).ToArray() : values;
            var g = Planted(net.Gradient);
            foreach (var q in lost) g[q] = 0;
            var h = want.HasFlag(Requested.Hessian) ? Planted(net.Hessian()) : null;
            if (h is not null) foreach (var q in lost) for (int j = 0; j < p; j++) h[q * p + j] = h[j * p + q] = 0;
            var hv = want.HasFlag(Requested.Hvp) ? Planted(net.HessianVector(c.Direction.Select(q => q.ToDouble()).ToArray())) : null;
            if (hv is not null) foreach (var q in lost) hv[q] = 0;
            return new(new NumericArray(g, [p], "float64"), h is null ? null : new NumericArray(h, [p, p], "float64"),
                       hv is null ? null : new NumericArray(hv, [p], "float64"), null);
        }
    }

    private static CrossCheckResult Search(IDerivativeDriver driver, int trials, bool allWirings = false, Requested want = All)
    {
        var work = Directory.CreateTempSubdirectory("vl-crosscheck-test-").FullName;
        try
        {
            var cases = CrossCheckRun.Cases(NetworkCases.AnyActivation, 3, 3, 3, allWirings);
            return new CrossCheckRun(driver, want, work).Run(cases, trials, PropertyCheck.Seed, _ => { });
        }
        finally { Directory.Delete(work, true); }
    }

    private static string Summary(CrossCheckResult r) =>
        $"seed {r.Seed}: " + string.Join(", ", r.Counts.Select(kv => $"{kv.Key} {kv.Value}"))
        + (r.Counterexample is { } c ? $"; counterexample {c.Shrunk}: {c.Outcome.Audit?.ToJson().ToJsonString()}" : "") + (r.CommandFailure is { } f ? "; " + f.Message : "");

    [Fact]
    public void TheNumericEngineMatchesTheExactDerivativesOnEveryWiring()
    {
        var r = Search(new EngineDriver(), 60, allWirings: true);
        Assert.True(r.Counterexample is null && r.CommandFailure is null, Summary(r));
        Assert.Equal(60, r.Run);
        Assert.True(r.Counts[OutcomeKind.Matches] >= 50, Summary(r)); // kinks and wide enclosures are the exception
    }

    [Theory]
    [InlineData("drop-output-bias")]
    [InlineData("float32-as-float64")]
    public void APlantedBugIsCaughtAndShrunkToAOneUnitNetwork(string bug)
    {
        var r = Search(new EngineDriver(bug), 30);
        var c = r.Counterexample;
        Assert.True(c is not null, Summary(r));
        Assert.Equal(OutcomeKind.Mismatch, c!.Outcome.Kind);
        Assert.True(c.Shrunk.Spec.ParameterCount <= 2 && c.Shrunk.Spec.Depth == 1 && c.Shrunk.Spec.SampleCount == 1, Summary(r));
        Assert.True(c.Shrunk.Spec.ParameterCount <= c.Found.Spec.ParameterCount);
        if (bug == "drop-output-bias") Assert.Contains(c.Outcome.Audit!.Gradient.Offending, e => e.Name.StartsWith("b1["));
    }

    [Fact]
    public void TheReportReproducesTheShrunkCase()
    {
        var dir = Directory.CreateTempSubdirectory("vl-crosscheck-report-").FullName;
        try
        {
            var driver = new EngineDriver("drop-output-bias");
            var r = Search(driver, 30);
            var files = CrossCheckReport.Write(dir, r, driver, All, "vl crosscheck …");
            var md = File.ReadAllText(files[0]);
            Assert.Contains("--replay", md);
            Assert.Contains("b1[0]", md);
            // The case folder reads back as the shrunk case: same network, same point.
            var caseDir = Path.Combine(dir, CrossCheckReport.CaseFolder);
            var spec = SpecReader.ReadFile(Path.Combine(caseDir, "spec.json"));
            Assert.Equal(r.Counterexample!.Shrunk.Spec.Describe(), spec.Describe());
            Assert.Equal(r.Counterexample.Shrunk.Point, Point.Parse(Path.Combine(caseDir, "point.json"), spec).Rationals());
            Assert.True(File.Exists(Path.Combine(caseDir, "point.npy")) && File.Exists(Path.Combine(caseDir, "vector.npy")));
        }
        finally { Directory.Delete(dir, true); }
    }

    private static Outcome RunCommand(string command, double timeoutSeconds = 30)
    {
        var work = Directory.CreateTempSubdirectory("vl-crosscheck-sh-").FullName;
        try
        {
            var c = NetworkCases.Generator(NetworkCases.SmoothExactActivation).Sample(1, new Rnd(1UL), 10)[0];
            return new CrossCheckRun(new ExternalDriver(command, TimeSpan.FromSeconds(timeoutSeconds)), All, work).Evaluate(CrossCheckRun.CaseOf(c), Path.Combine(work, "case"));
        }
        finally { Directory.Delete(work, true); }
    }

    [Fact]
    public void TheCommandSeesTheProtocolsFilesAndAFailureIsReportedWithItsReason()
    {
        // Every file and variable of the protocol is there (exit 7 otherwise); it then writes nothing.
        var seen = RunCommand("""for f in "$VL_SPEC" "$VL_POINT" "$VL_POINT_JSON" "$VL_VECTOR" "$VL_VECTOR_JSON"; do test -s "$f" || exit 7; done; test -d "$VL_OUT" && test "$VL_WANT" = gradient,hessian,hvp || exit 7""");
        Assert.Equal(OutcomeKind.CommandFailed, seen.Kind);
        Assert.Contains("wrote no out/gradient.npy", seen.Message);
        var failed = RunCommand("echo 'no torch here' >&2; exit 3");
        Assert.Equal("exited with 3: no torch here", failed.Message);
        var slow = RunCommand("sleep 20", timeoutSeconds: 1);
        Assert.Contains("time limit", slow.Message);
        var garbage = RunCommand("""echo not-an-array > "$VL_OUT/gradient.npy"; echo x > "$VL_OUT/hessian.npy"; echo x > "$VL_OUT/hvp.npy" """);
        Assert.Equal(OutcomeKind.CommandFailed, garbage.Kind);
    }

    /// <summary>The shipped PyTorch driver: correct, it matches; each planted bug is caught and shrunk (needs Debian's python3-torch).</summary>
    [PyTorchFact]
    public void ThePyTorchDriverMatchesAndItsMutantsAreCaughtAndShrunk()
    {
        string script = Path.Combine(TestPaths.Root, "anchors", "pytorch_driver.py");
        ExternalDriver Driver(string extra) => new($"/usr/bin/python3 {script}{extra}", TimeSpan.FromSeconds(120));
        var correct = Search(Driver(""), 8, allWirings: true);
        Assert.True(correct.Counterexample is null && correct.CommandFailure is null, Summary(correct));
        foreach (var bug in new[] { "drop-output-bias", "float32-as-float64" })
        {
            var r = Search(Driver(" --mutate " + bug), 30);
            Assert.True(r.Counterexample is { Shrunk.Spec.ParameterCount: <= 2 }, bug + ": " + Summary(r));
        }
    }
}

/// <summary>A fact that runs only where /usr/bin/python3 can import torch (Debian's python3-torch); skipped otherwise, with the reason.</summary>
public sealed class PyTorchFactAttribute : FactAttribute
{
    private static readonly Lazy<bool> Available = new(() =>
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", ["-c", "import torch, numpy"]) { RedirectStandardError = true, RedirectStandardOutput = true });
            return p is not null && p.WaitForExit(60_000) && p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception) { return false; }
    });

    public PyTorchFactAttribute()
    {
        if (!Available.Value) Skip = "PyTorch oracle: /usr/bin/python3 cannot import torch (apt-get install python3-torch to run it)";
    }
}
