using Microsoft.Data.Sqlite;
using Npgsql;

namespace Inferd.Monitoring.Tests.PredictionLog;

/// <summary>
/// Holds the log's write lock from a second connection, the way another process would: an open
/// <c>BEGIN IMMEDIATE</c> transaction on the SQLite file, or <c>LOCK TABLE ... IN EXCLUSIVE MODE</c> in PostgreSQL
/// (reads still pass). Disposing rolls back and releases it.
/// </summary>
internal sealed class WriteBlocker : IAsyncDisposable
{
    private readonly IAsyncDisposable _connection;
    private readonly IAsyncDisposable _transaction;

    private WriteBlocker(IAsyncDisposable connection, IAsyncDisposable transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<WriteBlocker> HoldAsync(LogStoreUnderTest log)
    {
        if (log.Store.Kind == "sqlite")
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = log.Target, Pooling = false }.ToString());
            connection.Open();
            // Microsoft.Data.Sqlite begins with BEGIN IMMEDIATE: the write lock is taken now, not at the first write.
            return new WriteBlocker(connection, connection.BeginTransaction());
        }

        var pg = new NpgsqlConnection(log.Target);
        await pg.OpenAsync();
        var transaction = await pg.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("LOCK TABLE inferd_predictions IN EXCLUSIVE MODE", pg, transaction);
        await command.ExecuteNonQueryAsync();
        return new WriteBlocker(pg, transaction);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
