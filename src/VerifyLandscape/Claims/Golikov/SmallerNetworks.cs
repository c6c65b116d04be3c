using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Claims.Golikov;

/// <summary>Shrink steps that 003's plain-network claims share (golikov.wide*, du.psd-any-layers), each a list of smaller specs.</summary>
public static class SmallerNetworks
{
    /// <summary>Each sample left out in turn (while more than one is left).</summary>
    public static IEnumerable<NetworkSpec> WithoutEachSample(NetworkSpec s) =>
        Enumerable.Range(0, s.SampleCount > 1 ? s.SampleCount : 0)
            .Select(i => s.With(x: [.. s.X.Take(i), .. s.X.Skip(i + 1)], y: [.. s.Y.Take(i), .. s.Y.Skip(i + 1)]));

    /// <summary>The last hidden layer removed (while two or more are left).</summary>
    public static IEnumerable<NetworkSpec> WithoutLastHiddenLayer(NetworkSpec s) =>
        s.Depth > 2 ? [s.With(widths: [.. s.Widths.Take(s.Depth - 1), 1], hidden: s.HiddenActivations[..^1])] : [];

    /// <summary>Each input entry of magnitude above 1 replaced by its sign.</summary>
    public static IEnumerable<NetworkSpec> InputsTowardsSign(NetworkSpec s)
    {
        for (int i = 0; i < s.SampleCount; i++)
            for (int k = 0; k < s.InputWidth; k++)
                if (s.X[i][k].Abs() > 1)
                    yield return s.With(x: s.X.Select((r, q) => q != i ? r : r.Select((v, kk) => kk == k ? (Rational)v.Sign : v).ToArray()).ToArray());
    }
}
