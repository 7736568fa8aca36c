using Inferd.Batch.Service;
using Inferd.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Inferd.Batch.Tests.Service;

/// <summary>Which files a schedule run takes: new, changed, settled and visible ones; not those already taken.</summary>
public sealed class ScheduleFileSelectorTests : IDisposable
{
    private static readonly TimeSpan MinAge = TimeSpan.FromSeconds(5);
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly DataFolder _folder;
    private readonly DataPath _input;

    public ScheduleFileSelectorTests()
    {
        Directory.CreateDirectory(Path.Combine(_temp.Path, "in"));
        _folder = new DataFolder(_temp.Path);
        _input = _folder.Resolve("in");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Select_NewSettledFiles_TakesThemSortedWithSizeAndTime()
    {
        var b = Write("in/b.csv", "x\n1\n", ageSeconds: 60);
        var a = Write("in/sub/a.csv", "x\n12\n", ageSeconds: 10);

        var files = Select(new Dictionary<string, ScheduleFile>());

        Assert.Equal([new ScheduleFile("in/b.csv", 4, b.UtcTicks), new ScheduleFile("in/sub/a.csv", 5, a.UtcTicks)], files);
    }

    [Fact]
    public void Select_FileYoungerThanMinAge_WaitsForLaterRun()
    {
        Write("in/settled.csv", "x\n", ageSeconds: 5);
        Write("in/copying.csv", "x\n", ageSeconds: 4);

        Assert.Equal(["in/settled.csv"], Select(new Dictionary<string, ScheduleFile>()).Select(f => f.Path));

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(["in/copying.csv", "in/settled.csv"], Select(new Dictionary<string, ScheduleFile>()).Select(f => f.Path));
    }

    [Fact]
    public void Select_FileTakenWithSameSizeAndTime_IsSkipped()
    {
        var mtime = Write("in/a.csv", "x\n1\n", ageSeconds: 60);
        Write("in/b.csv", "x\n2\n", ageSeconds: 60);
        var taken = new Dictionary<string, ScheduleFile> { ["in/a.csv"] = new("in/a.csv", 4, mtime.UtcTicks) };

        Assert.Equal(["in/b.csv"], Select(taken).Select(f => f.Path));
    }

    [Fact]
    public void Select_TakenFileChangedSinceThen_IsTakenAgain()
    {
        var mtime = Write("in/a.csv", "x\n1\n", ageSeconds: 60);
        var sameSizeNewTime = new Dictionary<string, ScheduleFile> { ["in/a.csv"] = new("in/a.csv", 4, mtime.UtcTicks - 1) };
        var newSizeSameTime = new Dictionary<string, ScheduleFile> { ["in/a.csv"] = new("in/a.csv", 3, mtime.UtcTicks) };

        Assert.Single(Select(sameSizeNewTime));
        Assert.Single(Select(newSizeSameTime));
    }

    [Fact]
    public void Select_HiddenFilesAndFolders_AreSkipped()
    {
        Write("in/.partial.csv", "x\n", ageSeconds: 60);
        Write("in/.staging/a.csv", "x\n", ageSeconds: 60);
        Write("in/ok.csv", "x\n", ageSeconds: 60);

        Assert.Equal(["in/ok.csv"], Select(new Dictionary<string, ScheduleFile>()).Select(f => f.Path));
    }

    [Fact]
    public void Select_LinkToFileOutsideDataFolder_IsSkipped()
    {
        using var outside = new TempDirectory();
        File.WriteAllText(Path.Combine(outside.Path, "secret.csv"), "x\n");
        File.SetLastWriteTimeUtc(Path.Combine(outside.Path, "secret.csv"), _time.GetUtcNow().UtcDateTime.AddMinutes(-1));
        File.CreateSymbolicLink(Path.Combine(_temp.Path, "in", "secret.csv"), Path.Combine(outside.Path, "secret.csv"));
        Write("in/ok.csv", "x\n", ageSeconds: 60);

        Assert.Equal(["in/ok.csv"], Select(new Dictionary<string, ScheduleFile>()).Select(f => f.Path));
    }

    private IReadOnlyList<ScheduleFile> Select(IReadOnlyDictionary<string, ScheduleFile> taken) =>
        ScheduleFileSelector.Select(_folder, _input, taken, _time.GetUtcNow(), MinAge);

    /// <summary>Writes a file last changed <paramref name="ageSeconds"/> before the fake clock's now.</summary>
    private DateTimeOffset Write(string relative, string text, int ageSeconds)
    {
        var path = Path.Combine(_temp.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        var mtime = _time.GetUtcNow().AddSeconds(-ageSeconds);
        File.SetLastWriteTimeUtc(path, mtime.UtcDateTime);
        return new DateTimeOffset(File.GetLastWriteTimeUtc(path));
    }
}
