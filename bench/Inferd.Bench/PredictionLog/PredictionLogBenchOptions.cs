namespace Inferd.Bench.PredictionLog;

/// <summary>Settings of the <c>prediction-log</c> verb.</summary>
/// <param name="Models">Benchmark model ids (<see cref="BenchModels"/>), one table each.</param>
/// <param name="Rounds">Interleaved rounds; each runs every mode once, in a rotating order.</param>
/// <param name="Window">Time per mode per round.</param>
/// <param name="Callers">Concurrent callers.</param>
/// <param name="Folder">Where the SQLite files go.</param>
internal sealed record PredictionLogBenchOptions(IReadOnlyList<string> Models, int Rounds, TimeSpan Window, int Callers, string Folder);
