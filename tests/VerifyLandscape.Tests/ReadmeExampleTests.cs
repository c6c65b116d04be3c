using VerifyLandscape.Derivation;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;
using VerifyLandscape.Testing;

namespace VerifyLandscape.Tests;

/// <summary>The README's property-test example, verbatim, with the double engine standing in for the user's backward pass.</summary>
public class ReadmeExampleTests
{
    private static double[] MyBackprop(NetworkSpec spec, double[] theta) => new Numerics.DenseNetwork(spec, theta).Gradient;

    // README: begin
    [Fact]
    public void MyBackwardPassMatchesTheExactGradient() =>
        PropertyCheck.Run("my gradient = exact gradient",
            NetworkCases.Arbitrary(NetworkCases.SmoothExactActivation, outputs: NetworkCases.SmoothExactActivation), c =>
        {
            var exact = new NetworkDerivatives<Rational>(c.Spec, c.Point).Gradient;
            var mine = MyBackprop(c.Spec, c.Point.Select(q => q.ToDouble()).ToArray());
            return exact.Length == mine.Length
                && exact.Zip(mine).All(t => Math.Abs(t.First.ToDouble() - t.Second) <= 1e-9 * (1 + Math.Abs(t.First.ToDouble())));
        });
    // README: end

    [Fact]
    public void TheReadmeShowsThisCode()
    {
        var source = File.ReadAllLines(Path.Combine(TestPaths.Root, "tests", "VerifyLandscape.Tests", "ReadmeExampleTests.cs"));
        var inTest = source.SkipWhile(l => !l.Contains("// README: begin")).Skip(1).TakeWhile(l => !l.Contains("// README: end")).Select(l => l.Length >= 4 ? l[4..] : l.Trim());
        var readme = File.ReadAllText(Path.Combine(TestPaths.Root, "README.md"));
        Assert.Contains(string.Join("\n", inTest), readme);
    }
}
