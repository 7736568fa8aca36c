using Inferd.Abstractions.Configuration;
using Inferd.Core.Repository;
using Inferd.Testing;

namespace Inferd.Core.Tests.Repository;

public sealed class RepositoryPathsTests
{
    [Theory]
    [InlineData("../etc")]
    [InlineData("a/../b")]
    [InlineData("/etc/passwd")]
    [InlineData("model/")]
    [InlineData(" ..")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a..b")]
    [InlineData(".hidden")]
    [InlineData("a\\b")]
    [InlineData("x%2e%2e")]
    public void IsValidModelName_HostileName_IsRejected(string name)
    {
        Assert.False(RepositoryPaths.IsValidModelName(name));
    }

    [Fact]
    public void IsValidModelName_LongerThan128_IsRejected()
    {
        Assert.True(RepositoryPaths.IsValidModelName(new string('a', 128)));
        Assert.False(RepositoryPaths.IsValidModelName(new string('a', 129)));
    }

    [Fact]
    public void Resolve_LinkPointingOutside_Throws()
    {
        using var root = new TempDirectory();
        using var outside = new TempDirectory();
        Directory.CreateSymbolicLink(Path.Combine(root.Path, "evil"), outside.Path);

        Assert.Throws<ModelConfigException>(() => RepositoryPaths.Resolve(root.Path, "evil", "1", "model.onnx"));
    }

    [Fact]
    public void Resolve_PlainChild_StaysInside()
    {
        using var root = new TempDirectory();

        var path = RepositoryPaths.Resolve(root.Path, "m", "1", "model.onnx");

        Assert.StartsWith(Path.GetFullPath(root.Path), path, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(VersionPolicyKind.Latest, 2, new long[0], new long[] { 7, 3 })]
    [InlineData(VersionPolicyKind.All, 0, new long[0], new long[] { 7, 3, 1 })]
    [InlineData(VersionPolicyKind.Specific, 0, new long[] { 1, 9 }, new long[] { 1 })]
    public void VersionPolicy_Select_PicksTheRightVersions(VersionPolicyKind kind, int n, long[] specific, long[] expected)
    {
        var policy = new VersionPolicy(kind, n, specific);

        Assert.Equal(expected, policy.Select([1, 3, 7]));
    }
}
