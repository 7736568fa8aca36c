using Microsoft.Data.Sqlite;
using Npgsql;

namespace Inferd.Monitoring.Tests.PredictionLog;

/// <summary>Reads the log through a connection of its own, opened for the one query (not the store's).</summary>
internal static class SecondConnection
{
    public static async Task<bool> HasRecordAsync(LogStoreUnderTest log, string requestId)
    {
        if (log.Store.Kind == "sqlite")
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = log.Target, Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ToString());
            connection.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM predictions WHERE request_id = $id";
            command.Parameters.AddWithValue("$id", requestId);
            return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }

        await using var pg = new NpgsqlConnection(log.Target);
        await pg.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT count(*) FROM inferd_predictions WHERE request_id = $1", pg);
        query.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestId });
        return (long)(await query.ExecuteScalarAsync())! == 1;
    }

    public static async Task<long> CountAsync(LogStoreUnderTest log)
    {
        var size = await log.Store.MeasureAsync(CancellationToken.None);
        return size.Records;
    }
}
