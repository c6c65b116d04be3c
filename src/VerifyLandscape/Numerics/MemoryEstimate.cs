using VerifyLandscape.Networks;

namespace VerifyLandscape.Numerics;

/// <summary>
/// Numeric commands estimate what they will allocate before they allocate it, and refuse (bad input, exit 2) past
/// three quarters of the memory this process may use, instead of growing until the machine kills them.
/// </summary>
public static class MemoryEstimate
{
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Activations, pre-activations and their R-forward and backward copies of every sample, in double.</summary>
    public static long ForwardBytes(NetworkSpec spec) => 8L * 6 * spec.SampleCount * spec.Widths.Sum(w => (long)w);

    public static void Require(long bytes, string what, string file, string field)
    {
        long limit = Available / 4 * 3;
        if (bytes > limit)
            throw new InputException(file, field, $"{what} needs about {bytes / 1e9:0.0} GB, more than the {limit / 1e9:0.0} GB this process may use");
    }
}
