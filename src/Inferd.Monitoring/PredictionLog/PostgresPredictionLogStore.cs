using Npgsql;
using NpgsqlTypes;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// The prediction log in PostgreSQL: table <c>inferd_predictions</c> (same columns as the SQLite file; tensors and
/// truth as <c>jsonb</c>) in the first schema of the connection's search path, and <c>inferd_log_meta</c>.
/// </summary>
/// <remarks>
/// Durable appends commit with <c>synchronous_commit = on</c> (the WAL is flushed before the commit returns),
/// best-effort ones with <c>off</c> (a server crash may lose the last few hundred milliseconds, never corrupts), set per
/// transaction with <c>SET LOCAL</c>. Size is <c>pg_total_relation_size</c> (table, indexes and TOAST). PostgreSQL reuses
/// space freed by deletes (after autovacuum) but does not return it to the file system without a <c>VACUUM FULL</c>,
/// which this store never runs (it locks the table); so the size cap applies to an estimate of the live data
/// (<see cref="EstimateLiveBytesAsync"/>), and the oldest records beyond it are deleted.
/// </remarks>
internal sealed class PostgresPredictionLogStore : IPredictionLogStore, IPredictionLogMeta
{
    private const string Columns = "request_id, model, version, ts, latency_us, caller, inputs, outputs, truth, feedback_at";

    // jsonb comes back normalized (keys sorted, spacing changed) but with the same meaning; ::text reads it as a string.
    private const string Select = "request_id, model, version, ts, latency_us, caller, inputs::text, outputs::text, truth::text, feedback_at";

    private const int DeleteChunk = 5_000;

    private const string Schema =
        """
        CREATE TABLE IF NOT EXISTS inferd_predictions (
            request_id text NOT NULL UNIQUE,
            model text NOT NULL,
            version text NOT NULL,
            ts bigint NOT NULL,
            latency_us bigint NOT NULL,
            caller text,
            inputs jsonb NOT NULL,
            outputs jsonb NOT NULL,
            truth jsonb,
            feedback_at bigint,
            seq bigserial
        );
        CREATE INDEX IF NOT EXISTS inferd_predictions_by_model_ts ON inferd_predictions (model, ts);
        CREATE INDEX IF NOT EXISTS inferd_predictions_by_caller ON inferd_predictions (caller);
        CREATE INDEX IF NOT EXISTS inferd_predictions_by_ts ON inferd_predictions (ts);
        CREATE TABLE IF NOT EXISTS inferd_log_meta (key text PRIMARY KEY, value text NOT NULL);
        """;

    private readonly NpgsqlDataSource _source;

    /// <summary>A store over the database of <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    public PostgresPredictionLogStore(string connectionString)
    {
        _source = NpgsqlDataSource.Create(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>Host, port and database, for the log (never the password).</summary>
    public string Description { get; }

    /// <inheritdoc />
    public string Kind => "postgresql";

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Two servers starting on one database would race on CREATE TABLE IF NOT EXISTS (a unique violation in
        // pg_type); a transaction-scoped advisory lock serializes them.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(7306213)", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, Schema, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<PredictionRecord> records, bool durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await using var connection = await _source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, durable ? "SET LOCAL synchronous_commit = on" : "SET LOCAL synchronous_commit = off", cancellationToken).ConfigureAwait(false);
        // One statement per batch: unnest over parallel arrays is a single round trip however many records.
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO inferd_predictions ({Columns}) " +
            "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::jsonb[], $8::jsonb[], $9::jsonb[], $10::bigint[]) " +
            "ON CONFLICT (request_id) DO NOTHING",
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.RequestId)] });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Model)] });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.Version)] });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. records.Select(r => PredictionLogTime.ToMicros(r.Timestamp))] });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. records.Select(r => r.LatencyUs)] });
        insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.Caller)] });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.InputsJson)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. records.Select(r => r.OutputsJson)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. records.Select(r => r.TruthJson)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter<long?[]> { TypedValue = [.. records.Select(r => r.FeedbackAt is { } at ? PredictionLogTime.ToMicros(at) : (long?)null)] });
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<PredictionRecord?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        var found = await ReadRecordsAsync($"SELECT {Select} FROM inferd_predictions WHERE request_id = $1", [requestId], cancellationToken).ConfigureAwait(false);
        return found.Count > 0 ? found[0] : null;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<PredictionRecord>> QueryAsync(PredictionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadRecordsAsync(
            $"SELECT {Select} FROM inferd_predictions WHERE model = $1 AND ($2::text IS NULL OR version = $2) " +
            "AND ($3::bigint IS NULL OR ts >= $3) AND (NOT $4 OR truth IS NOT NULL) ORDER BY ts DESC, seq DESC LIMIT $5",
            [query.Model, query.Version, query.Since is { } since ? PredictionLogTime.ToMicros(since) : null, query.WithFeedbackOnly, Math.Max(0, query.Limit)],
            cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> SetFeedbackAsync(string requestId, string truthJson, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand("UPDATE inferd_predictions SET truth = $1::jsonb, feedback_at = $2 WHERE request_id = $3");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = truthJson, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = PredictionLogTime.ToMicros(at) });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestId });
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<long> DeleteAsync(string? caller, string? requestId, CancellationToken cancellationToken)
    {
        if ((caller is null) == (requestId is null))
        {
            throw new ArgumentException("give exactly one of a caller and a request id");
        }

        if (requestId is not null)
        {
            await using var command = _source.CreateCommand("DELETE FROM inferd_predictions WHERE request_id = $1");
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = requestId });
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await DeleteInChunksAsync("caller = $1", caller!, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<long> ApplyRetentionAsync(DateTimeOffset? olderThan, long maxBytes, CancellationToken cancellationToken)
    {
        long deleted = 0;
        if (olderThan is { } cut)
        {
            deleted += await DeleteInChunksAsync("ts < $1", PredictionLogTime.ToMicros(cut), cancellationToken).ConfigureAwait(false);
        }

        if (maxBytes <= 0)
        {
            return deleted;
        }

        // The relation never shrinks without VACUUM FULL (autovacuum only makes freed space reusable), so the cap is
        // compared with an estimate of the live data: records × the average row of the newest 1,000 × the index
        // overhead. Comparing with the relation size would delete again on every pass until the table was empty.
        var live = await EstimateLiveBytesAsync(cancellationToken).ConfigureAwait(false);
        if (live.Bytes <= maxBytes || live.Records == 0)
        {
            return deleted;
        }

        var average = Math.Max(1.0, live.Bytes / live.Records);
        var count = (long)Math.Clamp(Math.Ceiling((live.Bytes - maxBytes) / average), 1, live.Records);
        await using var command = _source.CreateCommand(
            "DELETE FROM inferd_predictions WHERE seq IN (SELECT seq FROM inferd_predictions ORDER BY ts, seq LIMIT $1)");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = count });
        deleted += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return deleted;
    }

    /// <inheritdoc />
    public async Task<PredictionLogSize> MeasureAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            "SELECT count(*), min(ts), pg_total_relation_size('inferd_predictions') FROM inferd_predictions");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : PredictionLogTime.FromMicros(reader.GetInt64(1));
        return new PredictionLogSize(reader.GetInt64(0), reader.GetInt64(2), oldest);
    }

    /// <summary>Records and the estimated bytes they take, indexes included (the figure the size cap applies to).</summary>
    public async Task<(long Records, double Bytes)> EstimateLiveBytesAsync(CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            "SELECT (SELECT count(*) FROM inferd_predictions), " +
            "(SELECT coalesce(avg(pg_column_size(p.*)), 0) FROM (SELECT * FROM inferd_predictions ORDER BY ts DESC LIMIT 1000) p)::float8, " +
            "pg_indexes_size('inferd_predictions')::float8 / greatest(1, pg_table_size('inferd_predictions'))::float8");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        var records = reader.GetInt64(0);
        return (records, records * reader.GetDouble(1) * (1 + reader.GetDouble(2)));
    }

    /// <inheritdoc />
    public async Task<string> GetOrAddMetaAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(
            "WITH added AS (INSERT INTO inferd_log_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING value) " +
            "SELECT value FROM added UNION ALL SELECT value FROM inferd_log_meta WHERE key = $1 LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        return (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private async Task<long> DeleteInChunksAsync(string where, object key, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var command = _source.CreateCommand(
                $"DELETE FROM inferd_predictions WHERE seq IN (SELECT seq FROM inferd_predictions WHERE {where} LIMIT {DeleteChunk})");
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            var n = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            total += n;
            if (n < DeleteChunk)
            {
                return total;
            }
        }
    }

    private async Task<IReadOnlyList<PredictionRecord>> ReadRecordsAsync(string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        await using var command = _source.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<PredictionRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(PredictionRecordReader.Read(reader));
        }

        return records;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
