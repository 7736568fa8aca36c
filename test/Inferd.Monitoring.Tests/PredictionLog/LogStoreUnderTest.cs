using Inferd.Monitoring.PredictionLog;
using Inferd.Testing;
using Npgsql;

namespace Inferd.Monitoring.Tests.PredictionLog;

/// <summary>
/// A real, initialized store for one test: a SQLite file in a temp folder, or a fresh schema in the PostgreSQL
/// database named by <c>INFERD_TEST_POSTGRES</c> (eng/postgres.sh starts one; CI always sets it).
/// </summary>
internal sealed class LogStoreUnderTest : IAsyncDisposable
{
    public const string PostgresVariable = "INFERD_TEST_POSTGRES";

    private readonly TempDirectory? _folder;
    private readonly string? _postgres;
    private readonly string? _schema;

    private LogStoreUnderTest(IPredictionLogStore store, TempDirectory? folder, string? postgres, string? schema, string target)
    {
        Store = store;
        _folder = folder;
        _postgres = postgres;
        _schema = schema;
        Target = target;
    }

    /// <summary>Both kinds, for theories.</summary>
    public static TheoryData<string> Kinds => new("sqlite", "postgresql");

    public IPredictionLogStore Store { get; }

    /// <summary>What <see cref="PredictionLogStores.Open"/> takes to reach the same log (a file or a connection string).</summary>
    public string Target { get; }

    /// <summary>The PostgreSQL connection string of the test database, or a skip when none is configured.</summary>
    public static string RequirePostgres()
    {
        var connection = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(connection))
        {
            Assert.Skip($"{PostgresVariable} is not set: start a server with `eval \"$(bash eng/postgres.sh start)\"` (CI always does)");
        }

        return connection;
    }

    public static async Task<LogStoreUnderTest> CreateAsync(string kind, TimeSpan? sqliteBusyTimeout = null)
    {
        IPredictionLogStore store;
        LogStoreUnderTest result;
        if (kind == "sqlite")
        {
            var folder = new TempDirectory();
            var path = Path.Combine(folder.Path, "log", "predictions.db");
            store = new SqlitePredictionLogStore(path, sqliteBusyTimeout);
            result = new LogStoreUnderTest(store, folder, null, null, path);
        }
        else
        {
            var postgres = RequirePostgres();
            // A schema per test: tests run in parallel and each expects an empty table.
            var schema = "t_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(postgres))
            {
                await connection.OpenAsync().DefaultTimeout();
                await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
                await command.ExecuteNonQueryAsync().DefaultTimeout();
            }

            var target = new NpgsqlConnectionStringBuilder(postgres) { SearchPath = schema }.ConnectionString;
            store = new PostgresPredictionLogStore(target);
            result = new LogStoreUnderTest(store, null, postgres, schema, target);
        }

        await store.InitializeAsync(CancellationToken.None).DefaultTimeout();
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        if (_postgres is not null)
        {
            await using var connection = new NpgsqlConnection(_postgres);
            await connection.OpenAsync().DefaultTimeout();
            await using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync().DefaultTimeout();
        }

        _folder?.Dispose();
    }
}
