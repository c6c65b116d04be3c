using VerifyLandscape.Exact;

namespace VerifyLandscape.Networks;

/// <summary>
/// An affine subspace of parameter space given by fixing some parameters to exact
/// values; all other parameters are free. Cooper's star and core loci are of this kind.
/// </summary>
public sealed class AffineLocus(string name, IReadOnlyDictionary<int, Rational> fixedValues, int parameterCount)
{
    public string Name { get; } = name;
    public IReadOnlyDictionary<int, Rational> Fixed { get; } = fixedValues;
    public int ParameterCount { get; } = parameterCount;
    /// <summary>Dimension: the number of free parameters (the constraints fix distinct coordinates).</summary>
    public int Dimension => ParameterCount - Fixed.Count;
    public bool IsFree(int p) => !Fixed.ContainsKey(p);

    /// <summary>A rational point of the locus, the free parameters set to small rationals from a seed.</summary>
    public Rational[] ConcretePoint(int seed)
    {
        var random = Point.RandomRationals(ParameterCount, seed);
        return Enumerable.Range(0, ParameterCount).Select(p => Fixed.TryGetValue(p, out var q) ? q : random[p]).ToArray();
    }
}
