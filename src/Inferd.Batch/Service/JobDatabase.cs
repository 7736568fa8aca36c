using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Inferd.Batch.Service;

/// <summary>
/// The SQLite file behind <see cref="JobStore"/> and <see cref="ScheduleStore"/>: one connection, used by one thread
/// at a time. Every statement is tiny (a row or a page of rows), so a lock costs less than a pool would, and one
/// connection keeps writes in order without busy retries.
/// </summary>
internal sealed class JobDatabase : IDisposable
{
    /// <summary>The schema this code writes; <c>PRAGMA user_version</c> holds the file's.</summary>
    public const int SchemaVersion = 1;

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly string[] Migrations =
    [
        // 1: jobs, schedules, and the files each schedule has handed to a job.
        """
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY,
            model TEXT NOT NULL,
            version TEXT,
            input TEXT NOT NULL,
            output TEXT NOT NULL,
            spec TEXT NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
            created TEXT NOT NULL,
            started TEXT,
            finished TEXT,
            rows_in INTEGER NOT NULL DEFAULT 0,
            rows_out INTEGER NOT NULL DEFAULT 0,
            errors INTEGER NOT NULL DEFAULT 0,
            bytes_read INTEGER NOT NULL DEFAULT 0,
            bytes_total INTEGER NOT NULL DEFAULT 0,
            rows_per_second REAL NOT NULL DEFAULT 0,
            message TEXT,
            schedule TEXT
        );
        CREATE INDEX jobs_by_state ON jobs (state, created);
        CREATE TABLE schedules (
            name TEXT PRIMARY KEY,
            spec TEXT NOT NULL,
            interval_seconds INTEGER,
            cron TEXT,
            next_run TEXT NOT NULL,
            last_run TEXT,
            enabled INTEGER NOT NULL DEFAULT 1,
            created TEXT NOT NULL,
            CHECK ((interval_seconds IS NULL) <> (cron IS NULL))
        );
        CREATE TABLE schedule_files (
            schedule TEXT NOT NULL,
            path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ticks INTEGER NOT NULL,
            job_id TEXT NOT NULL,
            done INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (schedule, path)
        );
        CREATE INDEX schedule_files_by_job ON schedule_files (job_id);
        """,
    ];

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private JobDatabase(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating when missing) the database and brings its schema up to <see cref="SchemaVersion"/>.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer schema.</exception>
    public static JobDatabase Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        // No pooling: disposing must close the file, so a restarted server (or a test) reopens a clean handle.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        try
        {
            connection.Open();
            // WAL lets readers (the REST API) proceed while a job's progress is written; NORMAL syncs at checkpoints,
            // which in WAL mode can lose the last progress write on power loss but never corrupts the file.
            Execute(connection, null, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;");
            Migrate(connection, full);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        return new JobDatabase(connection, full);
    }

    /// <summary>Runs <paramref name="read"/> alone on the connection.</summary>
    public T Read<T>(Func<SqliteConnection, T> read)
    {
        lock (_gate)
        {
            return read(_connection);
        }
    }

    /// <summary>Runs <paramref name="write"/> in one transaction, committed when it returns.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> write)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            var result = write(_connection, transaction);
            transaction.Commit();
            return result;
        }
    }

    /// <summary>A parameterized command; parameters are <c>$name</c> in the SQL.</summary>
    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
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

    /// <summary>Runs a statement and returns the rows it changed.</summary>
    public static int Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>The stored form of a time: UTC, millisecond precision, sortable as text.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads a time written by <see cref="FormatTime"/>.</summary>
    public static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.ParseExact(text, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    /// <summary>Reads a nullable time column.</summary>
    public static DateTimeOffset? ParseTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : ParseTime(reader.GetString(ordinal));

    /// <summary>Reads a nullable text column.</summary>
    public static string? Text(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public void Dispose() => _connection.Dispose();

    private static void Migrate(SqliteConnection connection, string path)
    {
        using var read = Command(connection, null, "PRAGMA user_version");
        var version = Convert.ToInt32(read.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"the job database {path} has schema {version}, written by a newer Inferd (this one knows {SchemaVersion})");
        }

        for (var next = version + 1; next <= SchemaVersion; next++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, Migrations[next - 1]);
            // PRAGMA takes no parameters; the number is ours.
            Execute(connection, transaction, "PRAGMA user_version = " + next.ToString(CultureInfo.InvariantCulture));
            transaction.Commit();
        }
    }
}
