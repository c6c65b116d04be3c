using VerifyLandscape.Claims.Cooper;
using VerifyLandscape.Claims.Numeric;

namespace VerifyLandscape.Claims;

/// <summary>Every claim the toolkit checks, by id.</summary>
public static class Catalog
{
    public static readonly IReadOnlyList<Claim> All =
    [
        new StarLocusIsCritical(),
        new StarLocusWithoutSigmaZero(),
        new CoreLocusIsDegenerate(),
        new CoreLocusWithoutSigmaZero(),
        new CoreLocusLiteral(),
        new ZeroEigenvalueBound(),
        new LocusDimension(),
        new GlobalMinimumManifold(),
        new FibreQuadratic(),
        new NumericCoreLocus(),
        new NumericZeroEigenvalues(),
        new NumericPiecewiseConvexity(),
    ];

    public static Claim? Find(string id) => All.FirstOrDefault(c => c.Id == id);
}
