using System.Text.Json;
using Inferd.Cli;
using Inferd.Cli.Commands;

namespace Inferd.FunctionalTests.Explain;

/// <summary>The request body <c>inferd explain</c> sends.</summary>
public sealed class ExplainBodyTests
{
    [Fact]
    public void Body_FieldsAndText_OneInstanceAndOnlyTheGivenParameters()
    {
        // Act
        var body = ExplainCommand.Body(["age=42", "tags=[1,2]"], null, "review", "a fine film", null, new ExplainSettings { Method = "lime_text", Samples = 500, Seed = 3 });

        // Assert
        using var document = JsonDocument.Parse(body);
        var instance = Assert.Single(document.RootElement.GetProperty("instances").EnumerateArray());
        Assert.Equal(42, instance.GetProperty("age").GetInt32());
        Assert.Equal(2, instance.GetProperty("tags").GetArrayLength());
        Assert.Equal("a fine film", instance.GetProperty("review").GetString());
        Assert.Equal("""{"method":"lime_text","samples":500,"seed":3}""", document.RootElement.GetProperty("explain").GetRawText());
    }

    [Fact]
    public void Body_Image_SendsTheFileAsBase64AndAsksForTheHeatmap()
    {
        // Arrange
        using var folder = new Inferd.Testing.TempDirectory();
        var file = Path.Combine(folder.Path, "p.png");
        File.WriteAllBytes(file, [1, 2, 3, 250]);

        // Act
        var body = ExplainCommand.Body([], null, "image", null, file, new ExplainSettings { Segments = 20, Heatmap = true });

        // Assert
        using var document = JsonDocument.Parse(body);
        var instance = Assert.Single(document.RootElement.GetProperty("instances").EnumerateArray());
        Assert.Equal([1, 2, 3, 250], instance.GetProperty("image").GetProperty("b64").GetBytesFromBase64());
        Assert.Equal("""{"segments":20,"heatmap":true}""", document.RootElement.GetProperty("explain").GetRawText());
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("{not json")]
    public void Body_JsonThatIsNotAnObject_UsageError(string json)
    {
        var error = Assert.Throws<UsageException>(() => ExplainCommand.Body([], json, null, null, null, new ExplainSettings()));

        Assert.StartsWith("--json", error.Message, StringComparison.Ordinal);
    }
}
