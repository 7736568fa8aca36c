namespace Inferd.Abstractions.Configuration;

/// <summary>Which kind of version policy is configured.</summary>
public enum VersionPolicyKind
{
    /// <summary>The newest N numeric versions (default N = 1).</summary>
    Latest,
    /// <summary>Every version on disk.</summary>
    All,
    /// <summary>Exactly the listed versions.</summary>
    Specific,
}

/// <summary>Which version directories are served (ModelVersionPolicy).</summary>
/// <param name="Kind">Policy kind.</param>
/// <param name="NumVersions">For <see cref="VersionPolicyKind.Latest"/>.</param>
/// <param name="Versions">For <see cref="VersionPolicyKind.Specific"/>.</param>
public sealed record VersionPolicy(VersionPolicyKind Kind, int NumVersions, IReadOnlyList<long> Versions)
{
    /// <summary>Triton's default: the latest single version.</summary>
    public static VersionPolicy Default { get; } = new(VersionPolicyKind.Latest, 1, []);

    /// <summary>Applies the policy to the versions found on disk; returns them in descending order.</summary>
    public IReadOnlyList<long> Select(IEnumerable<long> available)
    {
        var sorted = available.Distinct().OrderByDescending(v => v).ToArray();
        return Kind switch
        {
            VersionPolicyKind.Latest => sorted.Take(Math.Max(1, NumVersions)).ToArray(),
            VersionPolicyKind.All => sorted,
            _ => sorted.Where(Versions.Contains).ToArray(),
        };
    }
}
