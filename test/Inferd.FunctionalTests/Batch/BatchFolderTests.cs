using System.Text.Json;
using Inferd.Abstractions.Tensors;
using Inferd.FunctionalTests.Cli;
using Inferd.Testing;
using Inferd.Testing.Models;
using SkiaSharp;

namespace Inferd.FunctionalTests.Batch;

/// <summary>A folder of files: each image is decoded into a picture-shaped input; an unreadable one is an error row.</summary>
public sealed class BatchFolderTests
{
    [Fact]
    public async Task RunAsync_FolderOfImages_DecodesEachAndListsTheUnreadableOne()
    {
        using var temp = new TempDirectory();
        var repo = Path.Combine(temp.Path, "models");
        ModelRepositoryBuilder.Add(repo, "pixels", TestModels.Identity(DataType.Fp32, [-1, 3, 2, 2]), """{"name": "pixels", "max_batch_size": 8}""");
        var images = Path.Combine(temp.Path, "images");
        Directory.CreateDirectory(Path.Combine(images, "sub"));
        WritePng(Path.Combine(images, "red.png"), new SKColor(255, 0, 0));
        WritePng(Path.Combine(images, "sub", "blue.png"), new SKColor(0, 0, 255));
        File.WriteAllText(Path.Combine(images, "broken.png"), "this is not a picture");
        File.WriteAllText(Path.Combine(images, ".hidden.png"), "skipped");
        var output = Path.Combine(temp.Path, "out.jsonl");

        var run = await CliRunner.RunAsync("batch", "-m", "pixels", "-i", images, "-o", output, "--model-repository", repo, "--progress", "none");

        Assert.True(run.ExitCode == 0, run.StdErr);
        var rows = File.ReadAllLines(output).Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["red.png", "sub/blue.png"], rows.Select(r => r.GetProperty("file").GetString()));
        var red = rows[0].GetProperty(TestModels.Output0).EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal([1f, 1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f], red); // NCHW: the R plane, then G, then B.
        var error = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(temp.Path, "out.errors.jsonl")))).RootElement;
        Assert.Equal("broken.png", error.GetProperty("key").GetString());
        Assert.Contains("not a decodable image", error.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FolderOfTextFiles_FeedsEachFileToABytesInput()
    {
        using var temp = new TempDirectory();
        var repo = Path.Combine(temp.Path, "models");
        ModelRepositoryBuilder.Add(repo, "echo", TestModels.StringIdentity([-1, 1]), """{"name": "echo", "max_batch_size": 8}""");
        var mail = Path.Combine(temp.Path, "mail");
        Directory.CreateDirectory(mail);
        File.WriteAllText(Path.Combine(mail, "a.txt"), "Win a prize, \"now\"!");
        File.WriteAllText(Path.Combine(mail, "b.txt"), "Lunch at noon?");
        var output = Path.Combine(temp.Path, "out.csv");

        var run = await CliRunner.RunAsync("batch", "-m", "echo", "-i", mail, "-o", output, "--model-repository", repo, "--progress", "none");

        Assert.True(run.ExitCode == 0, run.StdErr);
        Assert.Equal(["file,OUTPUT0", "a.txt,\"Win a prize, \"\"now\"\"!\"", "b.txt,Lunch at noon?"], File.ReadAllLines(output));
    }

    private static void WritePng(string path, SKColor color)
    {
        using var bitmap = new SKBitmap(2, 2);
        bitmap.Erase(color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
