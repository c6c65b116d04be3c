namespace VerifyLandscape.Claims;

/// <summary>
/// Every claim the toolkit checks, by id. Claims register themselves: every concrete <see cref="Claim"/> in this
/// assembly with a public parameterless constructor is here, ordered by id. Adding a claim is its file in its paper's
/// folder, its checker file (if it has a certificate), data and tests; nothing here changes.
/// </summary>
public static class Catalog
{
    public static readonly IReadOnlyList<Claim> All = typeof(Claim).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(Claim)) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
        .Select(t => (Claim)Activator.CreateInstance(t)!)
        .OrderBy(c => c.Id, StringComparer.Ordinal)
        .ToList();

    public static Claim? Find(string id) => All.FirstOrDefault(c => c.Id == id);

    /// <summary>Every locus kind some claim speaks about (star, core, fibre, …), for reading instances.</summary>
    public static readonly IReadOnlyList<string> LocusKinds = All.SelectMany(c => c.LocusKinds).Distinct().Order(StringComparer.Ordinal).ToList();
}
