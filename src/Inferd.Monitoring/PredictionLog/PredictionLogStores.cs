using Npgsql;

namespace Inferd.Monitoring.PredictionLog;

/// <summary>Opens the store a <c>--prediction-log</c> value names.</summary>
internal static class PredictionLogStores
{
    /// <summary>
    /// A <c>postgres://</c> or <c>postgresql://</c> URI or a <c>Host=...</c> connection string selects PostgreSQL;
    /// anything else is a SQLite file path. The store is not initialized yet.
    /// </summary>
    /// <exception cref="ArgumentException">The target is empty or a malformed URI.</exception>
    public static IPredictionLogStore Open(string target)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (target.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new PostgresPredictionLogStore(FromUri(target));
        }

        if (IsConnectionString(target))
        {
            return new PostgresPredictionLogStore(target);
        }

        return new SqlitePredictionLogStore(target);
    }

    /// <summary>The problem with a <c>--prediction-log</c> value (a malformed URI or connection string), or null.</summary>
    public static string? Problem(string target)
    {
        try
        {
            if (target.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            {
                FromUri(target);
            }
            else if (IsConnectionString(target))
            {
                _ = new NpgsqlConnectionStringBuilder(target);
            }

            return null;
        }
        catch (ArgumentException e)
        {
            return "--prediction-log: " + e.Message.Split(" (Parameter", 2)[0];
        }
    }

    /// <summary>Whether <paramref name="target"/> names PostgreSQL rather than a file.</summary>
    public static bool IsPostgres(string target) =>
        target.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || target.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || IsConnectionString(target);

    /// <summary>
    /// Converts <c>postgres://user:password@host:port/database?sslmode=require</c> to an Npgsql connection string.
    /// Query parameters other than <c>sslmode</c> and <c>application_name</c> are refused rather than ignored.
    /// </summary>
    /// <exception cref="ArgumentException">The URI is malformed or has an unknown parameter.</exception>
    public static string FromUri(string uri)
    {
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Host.Length == 0)
        {
            throw new ArgumentException("not a valid PostgreSQL URI (postgres://user:password@host:port/database): " + Redact(uri), nameof(uri));
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = parsed.Host };
        if (parsed.Port > 0)
        {
            builder.Port = parsed.Port;
        }

        if (parsed.UserInfo.Length > 0)
        {
            var colon = parsed.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? parsed.UserInfo : parsed.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(parsed.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(parsed.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            switch (name)
            {
                case "sslmode":
                    builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                        ? mode
                        : throw new ArgumentException($"sslmode '{value}' is not disable, allow, prefer, require, verify-ca or verify-full", nameof(uri));
                    break;
                case "application_name":
                    builder.ApplicationName = value;
                    break;
                default:
                    throw new ArgumentException($"unknown PostgreSQL URI parameter '{name}' (supported: sslmode, application_name)", nameof(uri));
            }
        }

        return builder.ConnectionString;
    }

    private static bool IsConnectionString(string target) =>
        target.Contains('=', StringComparison.Ordinal)
        && target.Split(';').Any(part => part.Split('=')[0].Trim() is { } key
            && (key.Equals("Host", StringComparison.OrdinalIgnoreCase) || key.Equals("Server", StringComparison.OrdinalIgnoreCase)));

    private static string Redact(string uri) =>
        uri.IndexOf('@', StringComparison.Ordinal) is var at and > 0 ? uri[..(uri.IndexOf("://", StringComparison.Ordinal) + 3)] + "***" + uri[at..] : uri;
}
