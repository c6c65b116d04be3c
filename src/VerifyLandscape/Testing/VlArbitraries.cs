using FsCheck;
using FsCheck.Fluent;
using VerifyLandscape.Exact;
using VerifyLandscape.Networks;

namespace VerifyLandscape.Testing;

/// <summary>
/// Arbitraries for FsCheck.Xunit: <c>[Property(Arbitrary = [typeof(VlArbitraries)], Replay = VlArbitraries.Replay)]</c>
/// makes a test method's <see cref="NetworkCase"/> and <see cref="Rational"/> parameters random networks (with a
/// rational point, any activation and loss, no skip wiring) and small rationals, shrinking both.
/// </summary>
public static class VlArbitraries
{
    /// <summary>The fixed seed of <see cref="PropertyCheck"/> as FsCheck.Xunit's Replay ("seed,gamma"); a failure prints its own.</summary>
    public const string Replay = "20261122,11400714819323198485";

    public static Arbitrary<NetworkCase> NetworkCase() => NetworkCases.Arbitrary(losses: [LossKind.Sse, LossKind.HalfMse, LossKind.CrossEntropy]);

    public static Arbitrary<Rational> Rational() => Arb.From(NetworkCases.SmallRational, ShrinkRational);

    /// <summary>Towards 0, an integer, a positive number: 0, then p/1 for p/q, then −q for q &lt; 0.</summary>
    private static IEnumerable<Rational> ShrinkRational(Rational q)
    {
        if (q.IsZero) yield break;
        yield return Exact.Rational.Zero;
        if (!q.Denominator.IsOne) yield return Exact.Rational.Create(q.Numerator, 1);
        if (q.Numerator.Sign < 0) yield return -q;
    }
}
