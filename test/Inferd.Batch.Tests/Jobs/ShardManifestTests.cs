using Inferd.Batch.Jobs;
using Inferd.Testing;

namespace Inferd.Batch.Tests.Jobs;

public sealed class ShardManifestTests
{
    private static ShardRecord Record(long shard) => new(shard, "in.csv", (shard * 10) + 1, 10, 10, 0, $"part-{shard:D5}.csv", 100, "ab", null, 0, null);

    [Fact]
    public void Open_AfterAppends_SeesEveryCommittedShard()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "m", "manifest.jsonl");
        using (var manifest = ShardManifest.Open(path, "f1"))
        {
            manifest.Append(Record(0));
            manifest.Append(Record(1));
        }

        using var reopened = ShardManifest.Open(path, "f1");

        Assert.Equal([0L, 1], reopened.Shards.Keys.Order());
        Assert.Equal(Record(1), reopened.Shards[1]);
        Assert.False(reopened.Completed);
    }

    [Fact]
    public void Open_TornLastLine_CutsItOffAndKeepsAppending()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "manifest.jsonl");
        using (var manifest = ShardManifest.Open(path, "f1"))
        {
            manifest.Append(Record(0));
        }

        File.AppendAllText(path, "{\"shard\":{\"shard\":1,\"input_fi"); // A crash mid-append.

        using (var manifest = ShardManifest.Open(path, "f1"))
        {
            Assert.Equal([0L], manifest.Shards.Keys);
            manifest.Append(Record(2));
        }

        using var reopened = ShardManifest.Open(path, "f1");
        Assert.Equal([0L, 2], reopened.Shards.Keys.Order());
        Assert.Equal(3, File.ReadAllLines(path).Length);
    }

    [Fact]
    public void Open_OtherFingerprint_RefusesWithMessage()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "manifest.jsonl");
        using (ShardManifest.Open(path, "f1"))
        {
        }

        var e = Assert.Throws<BatchJobException>(() => ShardManifest.Open(path, "f2"));

        Assert.Contains("other settings", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_SameShardTwice_LaterLineWins()
    {
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, "manifest.jsonl");
        using (var manifest = ShardManifest.Open(path, "f1"))
        {
            manifest.Append(Record(0));
            manifest.Append(Record(0) with { PartSha256 = "cd" });
            manifest.AppendCompleted();
        }

        using var reopened = ShardManifest.Open(path, "f1");

        Assert.Equal("cd", reopened.Shards[0].PartSha256);
        Assert.True(reopened.Completed);
    }
}
