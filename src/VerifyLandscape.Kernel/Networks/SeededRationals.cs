using VerifyLandscape.Exact;

namespace VerifyLandscape.Networks;

/// <summary>
/// Small random rationals n/d, n in −9..9, d in 1..8, deterministic for a seed. Points named by a seed
/// (random:SEED, fibre:SEED, global-min:SEED) are rebuilt from it, by the producer and by the checker alike.
/// </summary>
public static class SeededRationals
{
    public static Rational[] Draw(int count, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Rational.Create(rng.Next(-9, 10), rng.Next(1, 9))).ToArray();
    }
}
