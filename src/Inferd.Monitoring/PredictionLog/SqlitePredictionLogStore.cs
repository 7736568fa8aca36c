using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>
/// The prediction log in one SQLite file in WAL mode. One writer connection (appends, feedback, deletes, retention)
/// used by one caller at a time; every read opens its own pooled connection, so readers never wait for a commit.
/// </summary>
/// <remarks>
/// Durable appends run with <c>synchronous=FULL</c> (the WAL is fsynced at every commit); best-effort appends with
/// <c>NORMAL</c>, which survives a process crash but may lose the last commits on power loss. The size cap is met by
/// deleting the oldest records, then releasing free pages (<c>auto_vacuum=INCREMENTAL</c>) and truncating the WAL;
/// how many to delete is estimated from the average record size, so the file ends at or a little under the cap.
/// "Oldest" for the size cap is first written (rowid order), which is answer order; there is no index on the time
/// alone, because each index costs every insert (the age pass goes model by model through the (model, ts) index).
/// </remarks>
internal sealed class SqlitePredictionLogStore : IPredictionLogStore, IPredictionLogMeta
{
    /// <summary>The schema this code writes; <c>PRAGMA user_version</c> holds the file's.</summary>
    public const int SchemaVersion = 1;

    private const string Columns = "request_id, model, version, ts, latency_us, caller, inputs, outputs, truth, feedback_at";

    // Deletes run in chunks so a retention pass over millions of rows never holds the writer for long: durable
    // appends wait behind it. 5,000 rows of ~1 KB take a few milliseconds.
    private const int DeleteChunk = 5_000;

    private const string Schema =
        """
        CREATE TABLE IF NOT EXISTS predictions (
            request_id TEXT NOT NULL UNIQUE,
            model TEXT NOT NULL,
            version TEXT NOT NULL,
            ts INTEGER NOT NULL,
            latency_us INTEGER NOT NULL,
            caller TEXT,
            inputs TEXT NOT NULL,
            outputs TEXT NOT NULL,
            truth TEXT,
            feedback_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS predictions_by_model_ts ON predictions (model, ts);
        CREATE INDEX IF NOT EXISTS predictions_by_caller ON predictions (caller) WHERE caller IS NOT NULL;
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        """;

    private static readonly (string Name, SqliteType Type)[] InsertParameters =
    [
        ("$id", SqliteType.Text), ("$model", SqliteType.Text), ("$version", SqliteType.Text), ("$ts", SqliteType.Integer),
        ("$latency", SqliteType.Integer), ("$caller", SqliteType.Text), ("$inputs", SqliteType.Text), ("$outputs", SqliteType.Text),
        ("$truth", SqliteType.Text), ("$feedback", SqliteType.Integer),
    ];

    private readonly string _writeConnectionString;
    private readonly string _readConnectionString;
    private readonly SemaphoreSlim _writer = new(1, 1);
    private SqliteConnection? _connection;
    private bool? _fullSync;

    /// <summary>A store over <paramref name="path"/> (created with its folder on <see cref="InitializeAsync"/>).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="busyTimeout">How long a write waits for another process's lock before failing (default 30 s).</param>
    public SqlitePredictionLogStore(string path, TimeSpan? busyTimeout = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        var seconds = (int)Math.Ceiling((busyTimeout ?? TimeSpan.FromSeconds(30)).TotalSeconds);
        // No pooling for the writer: disposing must close the file so a restarted server (or a test) reopens it clean.
        _writeConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false, DefaultTimeout = seconds }.ToString();
        _readConnectionString = new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = true, DefaultTimeout = seconds }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Kind => "sqlite";

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is not null)
            {
                return;
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var connection = new SqliteConnection(_writeConnectionString);
            try
            {
                connection.Open();
                // auto_vacuum only takes effect before the first table exists, so it comes first; on an existing
                // file it is a no-op. Opening in WAL mode replays a WAL left by a crash.
                Execute(connection, null, "PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
                var version = Convert.ToInt32(Scalar(connection, null, "PRAGMA user_version"), CultureInfo.InvariantCulture);
                if (version > SchemaVersion)
                {
                    throw new InvalidOperationException($"the prediction log {Path} has schema {version}, written by a newer Inferd (this one knows {SchemaVersion})");
                }

                using (var transaction = connection.BeginTransaction())
                {
                    Execute(connection, transaction, Schema);
                    Execute(connection, transaction, "PRAGMA user_version = " + SchemaVersion.ToString(CultureInfo.InvariantCulture));
                    transaction.Commit();
                }
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            _fullSync = true;
            _connection = connection;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <inheritdoc />
    public Task AppendAsync(IReadOnlyList<PredictionRecord> records, bool durable, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return Task.CompletedTask;
        }

        return WriteAsync(connection =>
        {
            if (_fullSync != durable)
            {
                // Connection-wide, and not allowed inside a transaction; set only when the mode changes.
                Execute(connection, null, durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
                _fullSync = durable;
            }

            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText =
                $"INSERT OR IGNORE INTO predictions ({Columns}) VALUES ($id, $model, $version, $ts, $latency, $caller, $inputs, $outputs, $truth, $feedback)";
            var parameters = InsertParameters.Select(p => insert.Parameters.Add(p.Name, p.Type)).ToArray();
            insert.Prepare();
            foreach (var r in records)
            {
                parameters[0].Value = r.RequestId;
                parameters[1].Value = r.Model;
                parameters[2].Value = r.Version;
                parameters[3].Value = PredictionLogTime.ToMicros(r.Timestamp);
                parameters[4].Value = r.LatencyUs;
                parameters[5].Value = (object?)r.Caller ?? DBNull.Value;
                parameters[6].Value = r.InputsJson;
                parameters[7].Value = r.OutputsJson;
                parameters[8].Value = (object?)r.TruthJson ?? DBNull.Value;
                parameters[9].Value = r.FeedbackAt is { } at ? PredictionLogTime.ToMicros(at) : DBNull.Value;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return 0;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PredictionRecord?> FindAsync(string requestId, CancellationToken cancellationToken) => ReadAsync(connection =>
    {
        using var command = Command(connection, null, $"SELECT {Columns} FROM predictions WHERE request_id = $id", ("$id", requestId));
        using var reader = command.ExecuteReader();
        return reader.Read() ? PredictionRecordReader.Read(reader) : null;
    }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<PredictionRecord>> QueryAsync(PredictionQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ReadAsync<IReadOnlyList<PredictionRecord>>(connection =>
        {
            using var command = Command(connection, null,
                $"SELECT {Columns} FROM predictions WHERE model = $model AND ($version IS NULL OR version = $version) " +
                "AND ($since IS NULL OR ts >= $since) AND ($feedback = 0 OR truth IS NOT NULL) ORDER BY ts DESC, rowid DESC LIMIT $limit",
                ("$model", query.Model),
                ("$version", query.Version),
                ("$since", query.Since is { } since ? PredictionLogTime.ToMicros(since) : null),
                ("$feedback", query.WithFeedbackOnly ? 1 : 0),
                ("$limit", Math.Max(0, query.Limit)));
            using var reader = command.ExecuteReader();
            var records = new List<PredictionRecord>();
            while (reader.Read())
            {
                records.Add(PredictionRecordReader.Read(reader));
            }

            return records;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetFeedbackAsync(string requestId, string truthJson, DateTimeOffset at, CancellationToken cancellationToken) => WriteAsync(connection =>
        Execute(connection, null, "UPDATE predictions SET truth = $truth, feedback_at = $at WHERE request_id = $id",
            ("$truth", truthJson), ("$at", PredictionLogTime.ToMicros(at)), ("$id", requestId)) > 0, cancellationToken);

    /// <inheritdoc />
    public Task<long> DeleteAsync(string? caller, string? requestId, CancellationToken cancellationToken)
    {
        if ((caller is null) == (requestId is null))
        {
            throw new ArgumentException("give exactly one of a caller and a request id");
        }

        return requestId is not null
            ? WriteAsync(connection => (long)Execute(connection, null, "DELETE FROM predictions WHERE request_id = $id", ("$id", requestId)), cancellationToken)
            : DeleteInChunksAsync("SELECT rowid FROM predictions WHERE caller = $key LIMIT $chunk", caller, null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> ApplyRetentionAsync(DateTimeOffset? olderThan, long maxBytes, CancellationToken cancellationToken)
    {
        long deleted = 0;
        if (olderThan is { } cut)
        {
            // Per model, through the (model, ts) index: a separate ts index would cost every insert for a minutely pass.
            foreach (var model in await ReadAsync(Models, cancellationToken).ConfigureAwait(false))
            {
                deleted += await DeleteInChunksAsync(
                    "SELECT rowid FROM predictions WHERE model = $model AND ts < $key LIMIT $chunk",
                    PredictionLogTime.ToMicros(cut),
                    model,
                    cancellationToken).ConfigureAwait(false);
            }
        }

        if (maxBytes <= 0)
        {
            return deleted;
        }

        // Each round deletes an estimate of the excess and measures again; a few rounds absorb a poor estimate
        // (records of very different sizes), and the loop ends early once the table is empty.
        for (var round = 0; round < 8; round++)
        {
            var removed = await WriteAsync(connection =>
            {
                Reclaim(connection);
                var bytes = FileBytes();
                var records = Convert.ToInt64(Scalar(connection, null, "SELECT count(*) FROM predictions"), CultureInfo.InvariantCulture);
                if (bytes <= maxBytes || records == 0)
                {
                    return -1L;
                }

                var pageSize = Convert.ToInt64(Scalar(connection, null, "PRAGMA page_size"), CultureInfo.InvariantCulture);
                var used = (Convert.ToInt64(Scalar(connection, null, "PRAGMA page_count"), CultureInfo.InvariantCulture)
                    - Convert.ToInt64(Scalar(connection, null, "PRAGMA freelist_count"), CultureInfo.InvariantCulture)) * pageSize;
                var average = Math.Max(1.0, (double)used / records);
                // 10 % more than the excess: pages are rarely full, so freeing exactly the excess would fall short.
                var count = (long)Math.Clamp(Math.Ceiling((bytes - maxBytes) * 1.1 / average), 1, records);
                return (long)Execute(connection, null,
                    "DELETE FROM predictions WHERE rowid IN (SELECT rowid FROM predictions ORDER BY rowid LIMIT $n)", ("$n", count));
            }, cancellationToken).ConfigureAwait(false);
            if (removed < 0)
            {
                break;
            }

            deleted += removed;
        }

        return deleted;
    }

    /// <inheritdoc />
    public Task<PredictionLogSize> MeasureAsync(CancellationToken cancellationToken) => ReadAsync(connection =>
    {
        var records = Convert.ToInt64(Scalar(connection, null, "SELECT count(*) FROM predictions"), CultureInfo.InvariantCulture);
        long? oldest = null;
        foreach (var model in Models(connection))
        {
            var first = Convert.ToInt64(Scalar(connection, null, "SELECT min(ts) FROM predictions WHERE model = $model", ("$model", model)), CultureInfo.InvariantCulture);
            oldest = Math.Min(oldest ?? first, first);
        }

        return new PredictionLogSize(records, FileBytes(), oldest is { } micros ? PredictionLogTime.FromMicros(micros) : null);
    }, cancellationToken);

    /// <inheritdoc />
    public Task<string> GetOrAddMetaAsync(string key, string value, CancellationToken cancellationToken) => WriteAsync(connection =>
    {
        Execute(connection, null, "INSERT OR IGNORE INTO meta (key, value) VALUES ($key, $value)", ("$key", key), ("$value", value));
        return (string)Scalar(connection, null, "SELECT value FROM meta WHERE key = $key", ("$key", key))!;
    }, cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.WaitAsync().ConfigureAwait(false);
        try
        {
            // Readers first: the last connection to close checkpoints the WAL into the file and deletes it.
            using (var pooled = new SqliteConnection(_readConnectionString))
            {
                SqliteConnection.ClearPool(pooled);
            }

            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task<long> DeleteInChunksAsync(string selectRowIds, object? key, string? model, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            var n = await WriteAsync(connection => Execute(connection, null,
                $"DELETE FROM predictions WHERE rowid IN ({selectRowIds})", ("$key", key), ("$model", model), ("$chunk", DeleteChunk)), cancellationToken).ConfigureAwait(false);
            total += n;
            if (n < DeleteChunk)
            {
                return total;
            }
        }
    }

    private async Task<T> WriteAsync<T>(Func<SqliteConnection, T> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return write(_connection ?? throw new InvalidOperationException("the prediction log is not initialized (or already closed)"));
        }
        finally
        {
            _writer.Release();
        }
    }

    private Task<T> ReadAsync<T>(Func<SqliteConnection, T> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = new SqliteConnection(_readConnectionString);
        connection.Open();
        return Task.FromResult(read(connection));
    }

    /// <summary>The distinct models, each found by one seek in the (model, ts) index (a handful, not a scan).</summary>
    private static List<string> Models(SqliteConnection connection)
    {
        var models = new List<string>();
        while (Scalar(connection, null, "SELECT min(model) FROM predictions WHERE model > $after", ("$after", models.Count == 0 ? "" : models[^1])) is string next)
        {
            models.Add(next);
        }

        return models;
    }

    private static void Reclaim(SqliteConnection connection)
    {
        // Free pages go back to the file system, then the WAL is copied in and truncated, so both files shrink.
        Execute(connection, null, "PRAGMA incremental_vacuum");
        Execute(connection, null, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    private long FileBytes()
    {
        long total = 0;
        foreach (var file in new[] { Path, Path + "-wal" })
        {
            var info = new FileInfo(file);
            if (info.Exists)
            {
                total += info.Length;
            }
        }

        return total;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    private static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteScalar();
    }
}
