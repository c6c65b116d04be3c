using FsCheck;
using FsCheck.Fluent;

namespace VerifyLandscape.Testing;

/// <summary>
/// Runs an FsCheck property with a fixed, printed seed, in any test framework (FsCheck.Xunit is not
/// needed): a failure throws with the seed, the shrunk input and how to replay it. The seed can be
/// overridden with the environment variable VL_SEED to replay a run.
///
///   PropertyCheck.Run("core locus is degenerate", NetworkCases.Arbitrary(), c => ..., trials: 50);
/// </summary>
public static class PropertyCheck
{
    public const ulong DefaultSeed = 20261122;

    public static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("VL_SEED"), out var s) ? s : DefaultSeed;

    public static void Run<T>(string name, Arbitrary<T> arbitrary, Func<T, bool> property, int trials = 100, ulong? seed = null)
    {
        ulong used = seed ?? Seed;
        var config = Config.QuickThrowOnFailure.WithMaxTest(trials).WithReplay(used, 0x9E3779B97F4A7C15UL).WithName(name).WithQuietOnSuccess(true);
        try
        {
            Prop.ForAll(arbitrary, property).Check(config);
        }
        catch (Exception e) when (e is not PropertyFailedException)
        {
            throw new PropertyFailedException(
                $"property '{name}' failed with seed {used} (replay: VL_SEED={used} dotnet test --filter ...).\n{e.Message}", e);
        }
    }
}

public sealed class PropertyFailedException(string message, Exception inner) : Exception(message, inner);
