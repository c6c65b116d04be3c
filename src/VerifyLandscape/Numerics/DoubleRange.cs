using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics;

/// <summary>
/// Numeric commands work in double: a number of the spec or the point that double cannot hold (|q| above ~1.8e308,
/// e.g. "1e400") is bad input, refused with the file and the field, before any enclosure or product becomes ∞.
/// </summary>
public static class DoubleRange
{
    public static void Require(NetworkSpec spec, string file)
    {
        for (int n = 0; n < spec.SampleCount; n++)
        {
            for (int j = 0; j < spec.X[n].Length; j++) Check(spec.X[n][j], file, $"data.x[{n}][{j}]");
            for (int j = 0; j < spec.Y[n].Length; j++) Check(spec.Y[n][j], file, $"data.y[{n}][{j}]");
        }
        Check(spec.WeightDecay, file, "weightDecay");
        Check(spec.L1Penalty, file, "penalty.l1");
    }

    public static void Require(IReadOnlyList<Rational> point, ParameterLayout layout, string file)
    {
        for (int p = 0; p < point.Count; p++) Check(point[p], file, layout.Name(p));
    }

    private static void Check(Rational q, string file, string field)
    {
        if (!double.IsFinite(q.ToDouble())) throw new InputException(file, field, "the number is too large for a double (above 1.8e308), and numeric commands compute in double");
    }
}
