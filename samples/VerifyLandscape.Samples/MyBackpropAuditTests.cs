using VerifyLandscape.Audit;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Numerics;

namespace VerifyLandscape.Samples;

/// <summary>Audit your own gradient code against the exact gradient (what `vl audit` does for .npy files).</summary>
public class MyBackpropAuditTests
{
    private static readonly NetworkSpec Net = SpecReader.Parse("""
        { "widths": [2, 3, 1], "activation": "tanh", "loss": "sse",
          "data": { "x": [["1", "-1/2"], ["0", "2"]], "y": [["1"], ["-1"]] } }
        """, "my-net");

    /// <summary>Your backward pass; here the toolkit's double engine stands in for it.</summary>
    private static double[] MyGradient(Rational[] theta) => new DenseNetwork(Net, theta.Select(q => q.ToDouble()).ToArray()).Gradient;

    [Fact]
    public void MyGradientMatchesTheExactOne()
    {
        var theta = Point.RandomRationals(Net.ParameterCount, 7);
        var audit = DerivativeAudit.Run(Net, theta, new NumericArray(MyGradient(theta), [Net.ParameterCount], "float64"), hessian: null);
        Assert.True(audit.Verdict == "matches", $"{audit.Verdict}: worst entries {string.Join(", ", audit.Gradient.Worst.Select(e => e.Name))}");
    }

    [Fact]
    public void AnOffByOneEntryIsCaughtAndNamed()
    {
        var theta = Point.RandomRationals(Net.ParameterCount, 7);
        var wrong = MyGradient(theta);
        wrong[4] *= 1.001;
        var audit = DerivativeAudit.Run(Net, theta, new NumericArray(wrong, [Net.ParameterCount], "float64"), hessian: null);
        Assert.Equal("mismatch", audit.Verdict);
        Assert.Equal(Net.Layout.Name(4), Assert.Single(audit.Gradient.Offending).Name);
    }
}
