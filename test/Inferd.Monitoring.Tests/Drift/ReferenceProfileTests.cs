using System.Text;
using Inferd.Monitoring.Drift;
using static Inferd.Monitoring.Tests.Drift.DriftTestData;

namespace Inferd.Monitoring.Tests.Drift;

/// <summary><see cref="ProfileBuilder"/> and <see cref="ReferenceProfileJson"/>.</summary>
public sealed class ReferenceProfileTests
{
    [Fact]
    public void Build_OneToHundred_DecileBinsStatisticsAndExactSketch()
    {
        // Arrange
        var builder = new ProfileBuilder();
        builder.Add(FeatureExtractor.Extract([Floats("v", [100], Enumerable.Range(1, 100).Select(i => (float)i).ToArray())], [], batched: true));

        // Act
        var numeric = Assert.Single(builder.Build("m", "1", DateTimeOffset.UnixEpoch).Inputs).Numeric!;

        // Assert
        Assert.Equal((1.0, 100.0, 50.5), (numeric.Min, numeric.Max, numeric.Mean));
        Assert.Equal(29.011491975882016, numeric.Std, 1e-9);
        Assert.Equal([10.0, 20, 30, 40, 50, 60, 70, 80, 90], numeric.BinEdges);
        Assert.All(numeric.BinFractions, f => Assert.Equal(0.1, f, 1e-12));
        Assert.Equal(100, numeric.Quantiles.Length);
    }

    [Fact]
    public void Build_MoreValuesThanTheSketch_KeepsEvenlySpacedQuantiles()
    {
        var builder = new ProfileBuilder();
        builder.Add(FeatureExtractor.Extract([Floats("v", [30_000], Enumerable.Range(0, 30_000).Select(i => (float)i).ToArray())], [], batched: true));

        var numeric = builder.Build("m", "1", DateTimeOffset.UnixEpoch).Inputs[0].Numeric!;

        Assert.Equal(ProfileBuilder.SketchSize, numeric.Quantiles.Length);
        Assert.Equal(1, numeric.Quantiles[0]);
        Assert.Equal(15_001, numeric.Quantiles[5_000]);
        Assert.Equal(29_998, numeric.Quantiles[^1]);
    }

    [Fact]
    public void Build_ConstantWithMissing_OneEdgeAndMissingRate()
    {
        var builder = new ProfileBuilder();
        builder.Add(FeatureExtractor.Extract([Floats("v", [4], [2, 2, 2, float.NaN])], [], batched: true));

        var feature = builder.Build("m", "1", DateTimeOffset.UnixEpoch).Inputs[0];

        Assert.Equal(0.25, feature.MissingRate);
        Assert.Equal(3, feature.Count);
        Assert.Equal([2.0], feature.Numeric!.BinEdges);
        Assert.Equal([1.0, 0.0], feature.Numeric.BinFractions);
    }

    [Fact]
    public void Build_ManyCategories_KeepsTheTopHundredAndCountsTheRestAsOther()
    {
        // 150 categories: c0 appears 150 times, c1 149 times, ... c149 once.
        var values = Enumerable.Range(0, 150).SelectMany(c => Enumerable.Repeat("c" + c, 150 - c)).ToArray();
        var builder = new ProfileBuilder();
        builder.Add(FeatureExtractor.Extract([Strings("k", values)], [], batched: true));

        var categorical = builder.Build("m", "1", DateTimeOffset.UnixEpoch).Inputs[0].Categorical!;

        Assert.Equal(ProfileBuilder.MaxCategories, categorical.Categories.Length);
        Assert.Equal(("c0", 150L), (categorical.Categories[0], categorical.Counts[0]));
        Assert.Equal(Enumerable.Range(1, 50).Sum(), categorical.OtherCount);
    }

    [Fact]
    public void Build_FreeText_IsSkippedWithTheReason()
    {
        var builder = new ProfileBuilder();
        builder.Add(FeatureExtractor.Extract([Strings("text", Enumerable.Range(0, 500).Select(i => "email number " + i).ToArray())], [], batched: true));

        var profile = builder.Build("m", "1", DateTimeOffset.UnixEpoch);

        Assert.Empty(profile.Inputs);
        var skipped = Assert.Single(profile.Skipped);
        Assert.Equal("text", skipped.Name);
        Assert.StartsWith("free text: 500 distinct values in 500 rows", skipped.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteRead_Profile_RoundTrips()
    {
        // Arrange
        var profile = Profile(seed: 3, rows: 2_000);

        // Act
        var read = ReferenceProfileJson.Read(ReferenceProfileJson.Write(profile));

        // Assert
        Assert.Equal((profile.Model, profile.Version, profile.Rows, profile.Created), (read.Model, read.Version, read.Rows, read.Created));
        Assert.Equal(["x[0]", "x[1]", "x[2]", "amount", "color"], read.Inputs.Select(f => f.Name));
        Assert.Equal(("x", 1), (read.Inputs[1].Tensor, read.Inputs[1].Index));
        Assert.Equal(profile.Inputs[3].Numeric!.Quantiles, read.Inputs[3].Numeric!.Quantiles);
        Assert.Equal(profile.Inputs[3].Numeric!.BinFractions, read.Inputs[3].Numeric!.BinFractions);
        Assert.Equal(profile.Inputs[4].Categorical!.Categories, read.Inputs[4].Categorical!.Categories);
        Assert.Equal(profile.Inputs[4].Categorical!.Counts, read.Inputs[4].Categorical!.Counts);
        Assert.Equal("score", Assert.Single(read.Outputs).Name);
    }

    [Theory]
    [InlineData("[]", "the profile must be a JSON object")]
    [InlineData("""{"format": "x"}""", "format must be \"inferd-drift-profile\"")]
    [InlineData("""{"format": "inferd-drift-profile", "format_version": 2}""", "format_version 2 is not supported")]
    [InlineData("not json", "the profile is not valid JSON")]
    public void Read_NotAProfile_ThrowsNamingTheProblem(string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => ReferenceProfileJson.Read(Encoding.UTF8.GetBytes(json)));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_UnsortedQuantiles_ThrowsNamingTheField()
    {
        var json = Encoding.UTF8.GetString(ReferenceProfileJson.Write(Profile(seed: 3, rows: 50)));
        var start = json.IndexOf("\"quantiles\": [", StringComparison.Ordinal) + "\"quantiles\": [".Length;
        var broken = json[..start] + "1e9," + json[start..];

        var error = Assert.Throws<InvalidDataException>(() => ReferenceProfileJson.Read(Encoding.UTF8.GetBytes(broken)));

        Assert.Equal("inputs[0].quantiles must be sorted in increasing order", error.Message);
    }
}
