using Inferd.Batch.Jobs;
using Inferd.Batch.Service;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Service;

/// <summary>Client paths resolve inside the data folder or are refused, links included.</summary>
public sealed class DataFolderTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _outside;

    public DataFolderTests()
    {
        _root = Path.Combine(_temp.Path, "data");
        _outside = Path.Combine(_temp.Path, "outside");
        Directory.CreateDirectory(Path.Combine(_root, "in"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_root, "in", "a.csv"), "x\n1\n");
        File.WriteAllText(Path.Combine(_outside, "secret.csv"), "x\n1\n");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("in/a.csv", "in/a.csv")]
    [InlineData("./in//a.csv", "in/a.csv")]
    [InlineData("out/new/part", "out/new/part")]
    [InlineData("in/", "in")]
    public void Resolve_RelativePath_ReturnsNormalizedPathInsideRoot(string relative, string expected)
    {
        var folder = new DataFolder(_root);

        var path = folder.Resolve(relative);

        Assert.Equal(expected, path.Relative);
        Assert.Equal(Path.Combine(_root, expected), path.FullPath);
    }

    [Theory]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("~/x", "absolute")]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(".", "data folder itself")]
    [InlineData("..", "'..'")]
    [InlineData("../outside/secret.csv", "'..'")]
    [InlineData("a/../../x", "'..'")]
    [InlineData("in/../in/a.csv", "'..'")]
    [InlineData("in\\a.csv", "backslash")]
    [InlineData("in/a\0.csv", "control character")]
    [InlineData("in/a\n.csv", "control character")]
    [InlineData(".inferd/jobs.db", "server's own files")]
    public void Resolve_BadPath_ThrowsBatchJobException(string relative, string reason)
    {
        var folder = new DataFolder(_root);

        var error = Assert.Throws<BatchJobException>(() => folder.Resolve(relative));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FolderLinkEscapingRoot_Throws()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "escape"), _outside);
        var folder = new DataFolder(_root);

        var error = Assert.Throws<BatchJobException>(() => folder.Resolve("escape/secret.csv"));

        Assert.Contains("outside the data folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_RelativeFileLinkEscapingRoot_Throws()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "in", "b.csv"), "../../outside/secret.csv");
        var folder = new DataFolder(_root);

        Assert.Throws<BatchJobException>(() => folder.Resolve("in/b.csv"));
    }

    [Fact]
    public void Resolve_NotYetExistingPathUnderEscapingLink_Throws()
    {
        // An output under a link to outside would be created outside.
        Directory.CreateSymbolicLink(Path.Combine(_root, "out"), _outside);
        var folder = new DataFolder(_root);

        Assert.Throws<BatchJobException>(() => folder.Resolve("out/new/results.csv"));
    }

    [Fact]
    public void Resolve_ChainOfLinksEndingOutside_Throws()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "hop2"), _outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "hop1"), "hop2");
        var folder = new DataFolder(_root);

        Assert.Throws<BatchJobException>(() => folder.Resolve("hop1/secret.csv"));
    }

    [Fact]
    public void Resolve_LinkCycle_Throws()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root, "loop1"), "loop2");
        Directory.CreateSymbolicLink(Path.Combine(_root, "loop2"), "loop1");
        var folder = new DataFolder(_root);

        Assert.Throws<BatchJobException>(() => folder.Resolve("loop1/x"));
    }

    [Fact]
    public void Resolve_LinkStayingInsideRoot_IsAllowed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "latest.csv"), "in/a.csv");
        var folder = new DataFolder(_root);

        var path = folder.Resolve("latest.csv");

        Assert.Equal(Path.Combine(folder.RealRoot, "in", "a.csv"), path.RealPath);
    }

    [Fact]
    public void Constructor_RootThroughLink_ResolvesPathsAgainstRealRoot()
    {
        var linkedRoot = Path.Combine(_temp.Path, "data-link");
        Directory.CreateSymbolicLink(linkedRoot, _root);
        var folder = new DataFolder(linkedRoot);

        var path = folder.Resolve("in/a.csv");

        Assert.Equal(Path.Combine(_root, "in", "a.csv"), path.RealPath);
        Assert.Equal(Path.Combine(linkedRoot, "in", "a.csv"), path.FullPath);
    }

    [Fact]
    public void Redact_MessageWithRootPath_NamesRelativePath()
    {
        var folder = new DataFolder(_root);

        var message = folder.Redact($"cannot read {Path.Combine(_root, "in", "a.csv")}");

        Assert.Equal("cannot read in/a.csv", message);
    }
}
