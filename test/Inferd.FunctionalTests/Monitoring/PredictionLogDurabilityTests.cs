using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Inferd.Testing;
using Microsoft.Data.Sqlite;

namespace Inferd.FunctionalTests.Monitoring;

/// <summary>
/// T13 (bad-inputs.md): in durable mode an answered request is on disk. The real <c>inferd serve</c> answers
/// sequential and concurrent requests, is killed with SIGKILL mid-traffic, restarts on the same file, and every id
/// that got a 200 must be in the log, with every record intact.
/// </summary>
public sealed class PredictionLogDurabilityTests
{
    private const int Trials = 3;
    private const int Sequential = 30;
    private const int ConcurrentClients = 4;

    [Fact]
    public async Task Serve_DurableKilledMidTraffic_EveryAnsweredRequestIsInTheLog()
    {
        using var folder = new TempDirectory();
        var repository = Path.Combine(folder.Path, "models");
        PredictionLogModels.Write(repository);
        var logPath = Path.Combine(folder.Path, "log.db");
        var args = new[] { "--prediction-log", logPath, "--prediction-log-mode", "durable" };
        var answered = new ConcurrentDictionary<string, bool>();
        var summary = new List<string>();
        for (var trial = 0; trial < Trials; trial++)
        {
            var before = answered.Count;
            await using (var server = await PredictionLogServeProcess.StartAsync(repository, args))
            {
                // Sequential first, then concurrent clients until the kill: it lands while requests are in flight.
                for (var i = 0; i < Sequential; i++)
                {
                    var id = $"t{trial}-s{i}";
                    Assert.True(await SendAsync(server.Http, id, i), $"sequential request {id} failed before the kill:\n{server.Output}");
                    answered[id] = true;
                }

                var killAt = before + Sequential + 40 + (trial * 25);
                var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var clients = Enumerable.Range(0, ConcurrentClients).Select(c => Task.Run(async () =>
                {
                    for (var n = 0; ; n++)
                    {
                        var id = $"t{trial}-c{c}-{n}";
                        if (!await SendAsync(server.Http, id, n))
                        {
                            return;
                        }

                        answered[id] = true;
                        if (answered.Count >= killAt)
                        {
                            reached.TrySetResult();
                        }
                    }
                })).ToArray();
                await reached.Task.DefaultTimeout();
                await server.KillAsync();
                await Task.WhenAll(clients).DefaultTimeout();
            }

            summary.Add($"trial {trial}: {answered.Count - before} answered");
        }

        // Restart on the same file and read everything back through the API.
        await using var restarted = await PredictionLogServeProcess.StartAsync(repository, args);
        using var response = await restarted.Http.GetAsync("/v2/logs/predictions?model=mlp&limit=10000").DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var log = JsonDocument.Parse(await response.Content.ReadAsStringAsync().DefaultTimeout());
        var logged = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in log.RootElement.GetProperty("predictions").EnumerateArray())
        {
            logged.Add(record.GetProperty("request_id").GetString()!);
            Assert.Equal(4, record.GetProperty("inputs").GetProperty("X").GetProperty("data").GetArrayLength());
            Assert.Equal(3, record.GetProperty("outputs").GetProperty("Y").GetProperty("data").GetArrayLength());
        }

        var missing = answered.Keys.Where(id => !logged.Contains(id)).ToList();
        var line = $"durable: {answered.Count} answered, {answered.Count - missing.Count} in the log after kill -9 ({Trials} kills; {logged.Count} records in all; {string.Join(", ", summary)})";
        Console.WriteLine(line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Assert.True(missing.Count == 0, $"{missing.Count} answered requests are missing from the log, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal("ok", IntegrityCheck(logPath));
    }

    private static async Task<bool> SendAsync(HttpClient http, string id, int seed)
    {
        try
        {
            using var request = RestHelpers.Json("/v2/models/mlp/infer", PredictionLogModels.MlpBody(id, seed));
            using var response = await http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return false;
            }

            // Counted as answered only once the whole body arrived.
            await response.Content.ReadAsStringAsync();
            return true;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string IntegrityCheck(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }
}
