using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Checker.Golikov;

/// <summary>
/// The dead-relu refutations of 003 (golikov.wide-relu, golikov.linear-relu, golikov.nh35-relu): every pre-activation of
/// the named layers is &lt; 0 on every sample at the point, recomputed exactly (relu values are rational). Then those
/// units output 0, with zero derivative, on an open set around the point.
/// </summary>
public static class DeadUnits
{
    public static void Require(NetworkSpec s, Rational[] theta, int fromLayer, int toLayer)
    {
        var (z, _) = SkipFeatures.Forward(s, theta, toLayer, valuesAtKinks: true);
        for (int k = fromLayer; k <= toLayer; k++)
            for (int i = 0; i < s.SampleCount; i++)
                for (int u = 0; u < s.Widths[k]; u++)
                    if (z[i][k][u].Sign >= 0) throw new Reject($"unit {u} of layer {k} is not dead on sample {i} (pre-activation {z[i][k][u]} ≥ 0)");
    }
}
