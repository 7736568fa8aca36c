using System.Globalization;
using Inferd.Monitoring.Drift;
using Inferd.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Inferd.Monitoring.Tests.Drift;

/// <summary>
/// The detection rate the issue asks for, measured on simulated traffic through the observer's own path
/// (<see cref="DriftMonitor.OnInferredAsync"/>: feature extraction, live window, verdict with the default settings).
/// </summary>
public sealed class DriftDetectionRateTests : IDisposable
{
    private const int Trials = 100;
    private const int LiveRows = 5_000;
    private const int RowsPerRequest = 500;

    private readonly TempDirectory _repository = new();

    [Fact]
    public async Task OnInferredAsync_QuarterSdShiftOnOneFeature_FlaggedInAtLeast95Of100AndUnshiftedInAtMost2()
    {
        // Arrange: a reference of 10,000 rows with four N(0,1) features (x[0..2], amount) and one categorical (color).
        DriftTestData.WriteProfile(_repository.Path, DriftTestData.Profile(seed: 1, rows: 10_000));
        var monitor = new DriftMonitor(_repository.Path, new FakeTimeProvider(), NullLogger<DriftMonitor>.Instance);
        var config = DriftTestData.Config();
        var random = new Random(2);

        // Act: 100 trials of 5,000 live rows with x[1] shifted by +0.25 sd, and 100 without; each trial is its own version.
        int shiftedFlagged = 0, shiftedOnlyX1 = 0, shiftedPrediction = 0, unshiftedFlagged = 0, unshiftedPrediction = 0;
        for (var trial = 0; trial < Trials; trial++)
        {
            foreach (var shift in new[] { 0.25, 0.0 })
            {
                var version = string.Create(CultureInfo.InvariantCulture, $"{(shift > 0 ? "shifted" : "unshifted")}-{trial}");
                for (var sent = 0; sent < LiveRows; sent += RowsPerRequest)
                {
                    await monitor.OnInferredAsync(DriftTestData.Observation(random, RowsPerRequest, shift, version), TestContext.Current.CancellationToken);
                }

                var report = monitor.GetReport(config, version, TimeSpan.Zero)!;
                Assert.Equal(LiveRows, report.LiveRows);
                if (shift > 0)
                {
                    shiftedFlagged += report.DriftDetected ? 1 : 0;
                    shiftedOnlyX1 += report.Inputs.Where(f => f.Flagged).Select(f => f.Name).SequenceEqual(["x[1]"]) ? 1 : 0;
                    shiftedPrediction += report.PredictionDriftDetected ? 1 : 0;
                }
                else
                {
                    unshiftedFlagged += report.DriftDetected ? 1 : 0;
                    unshiftedPrediction += report.PredictionDriftDetected ? 1 : 0;
                }
            }
        }

        // Assert
        var line = $"drift: shifted 0.25 sd flagged {shiftedFlagged}/{Trials} (only the shifted feature: {shiftedOnlyX1}/{Trials}); "
            + $"unshifted flagged {unshiftedFlagged}/{Trials}; prediction drift: shifted {shiftedPrediction}/{Trials}, unshifted {unshiftedPrediction}/{Trials}";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
        Assert.True(shiftedFlagged >= 95, line);
        Assert.True(unshiftedFlagged <= 2, line);
    }

    public void Dispose() => _repository.Dispose();
}
