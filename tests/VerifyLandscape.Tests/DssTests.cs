using System.Text.Json.Nodes;
using VerifyLandscape.Checker;
using VerifyLandscape.Exact;
using VerifyLandscape.Experiments.Dss;
using VerifyLandscape.Networks;
using VerifyLandscape.Scalars;

namespace VerifyLandscape.Tests;

/// <summary>002's string sampling: the batched network against the kernel, a small run, and its certificates.</summary>
public class DssTests
{
    [Theory]
    [InlineData("quadratic")]
    [InlineData("cubic")]
    [InlineData("cyclic")]
    public void BatchedLossAndGradientAgreeWithTheKernelAndDifferences(string name)
    {
        var task = DssTask.Of(name);
        var spec = task.TestSpec(301, 7); // 301: blocks of 256 and a tail that is not a multiple of 4
        var batch = DssTask.BatchOf(spec);
        var net = new BatchNetwork(task.Architecture);
        var theta = task.Initial(new Random(11));
        var gradient = new double[theta.Length];
        double loss = net.LossAndGradient(theta, batch, gradient);
        double kernel = Loss.Evaluate(spec, theta.Select(v => new F64(v)).ToArray()).Value;
        // float32 samples and activations (BatchNetwork's remarks): within 1e-5 relative of the kernel's double loss.
        Assert.True(Math.Abs(loss - kernel) <= 1e-5 * Math.Max(1, kernel), $"batched {loss} vs kernel {kernel}");
        double F(double[] t) => Loss.Evaluate(spec, t.Select(v => new F64(v)).ToArray()).Value;
        const double h = 1e-7; // MAE is piecewise smooth: no residual of this draw changes sign within h
        for (int p = 0; p < theta.Length; p++)
        {
            var (up, down) = ((double[])theta.Clone(), (double[])theta.Clone());
            up[p] += h;
            down[p] -= h;
            // Differences of the kernel's double loss (error ~1e-16/h ≈ 1e-9) against the float32 gradient (1e-5 relative).
            double difference = (F(up) - F(down)) / (2 * h);
            Assert.True(Math.Abs(difference - gradient[p]) <= 1e-4 * Math.Max(1, Math.Abs(gradient[p])), $"{name} ∂F/∂{spec.Layout.Name(p)}: {gradient[p]} vs difference {difference}");
        }
    }

    [Fact]
    public void SmallQuadraticRunConnectsAndItsCertificateRechecks()
    {
        var settings = new DssSettings { Samples = 500 };
        var result = DssExperiment.Run("quadratic", [0.1], 1, 5, settings);
        var s = Assert.Single(result.Rows).Strings[0]!;
        Assert.Equal("connected", s.Outcome);
        Assert.True(s.BeadCount >= 3, "the bead count includes both end points and the first midpoint");
        Assert.True(s.NormalisedLength >= 1 - 1e-12, "a path is never shorter than its chord");
        Assert.All(s.SegmentMaxima, m => Assert.True(m < 1.1 * 0.1));

        var spec = DssTask.Of("quadratic").TestSpec(settings.Samples, DssExperiment.TestSeed(5));
        var outcome = StringCertifier.Certify(spec, s.Beads, Rational.Create(11, 100), 0);
        Assert.Equal("certified", outcome.Verdict);
        var r = CertificateChecker.Check(JsonNode.Parse(outcome.Certificate!.ToJsonString())!.AsObject());
        Assert.True(r.Valid, r.Reason);

        // Below the string's highest loss no certificate can exist: the certifier says so instead of writing one.
        var below = StringCertifier.Certify(spec, s.Beads, Rational.FromDouble(s.SegmentMaxima.Max() * 0.9), 0, maxDepth: 12);
        Assert.NotEqual("certified", below.Verdict);
        Assert.Null(below.Certificate);
    }

    [Fact]
    public void BadOptionsAreOneLineErrors()
    {
        foreach (var args in new[]
        {
            new[] { "experiment", "dss", "--task", "quartic" }, ["experiment", "dss", "--thresholds", "0.1,abc"],
            ["experiment", "dss", "--thresholds", "NaN"], ["experiment", "dss", "--alpha", "2"], ["experiment", "dss", "--certify"],
        })
        {
            var (code, output, err) = SpecValidationTests.RunVl(args);
            Assert.True(code == 2, $"{string.Join(" ", args)}: exit {code}, {err}");
            Assert.Equal("", output);
            Assert.Single(err.Trim().Split('\n'));
        }
    }
}
