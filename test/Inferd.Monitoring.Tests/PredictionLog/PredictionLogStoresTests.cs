using Inferd.Monitoring.PredictionLog;
using Inferd.Testing;
using Npgsql;

namespace Inferd.Monitoring.Tests.PredictionLog;

public sealed class PredictionLogStoresTests
{
    [Fact]
    public void FromUri_FullUri_GivesTheSameConnectionSettings()
    {
        var text = PredictionLogStores.FromUri("postgres://inferd:p%40ss@db.example:6543/logs?sslmode=require&application_name=inferd");

        var builder = new NpgsqlConnectionStringBuilder(text);
        Assert.Equal(("db.example", 6543, "inferd", "p@ss", "logs", SslMode.Require, "inferd"),
            (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.SslMode, builder.ApplicationName));
    }

    [Theory]
    [InlineData("postgres://bad uri", "not a valid PostgreSQL URI")]
    [InlineData("postgresql://h/db?timeout=5", "unknown PostgreSQL URI parameter 'timeout'")]
    [InlineData("postgres://h/db?sslmode=sometimes", "sslmode 'sometimes' is not")]
    [InlineData("Host=h;Nonsense=1", "--prediction-log:")]
    public void Problem_MalformedTarget_SaysWhat(string target, string expected)
    {
        Assert.Contains(expected, PredictionLogStores.Problem(target), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_PasswordInABadUri_IsNotRepeated()
    {
        Assert.DoesNotContain("secret", PredictionLogStores.Problem("postgres://u:secret@ho st/db"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_EachKindOfTarget_PicksTheStore()
    {
        using var folder = new TempDirectory();
        await using var file = PredictionLogStores.Open(Path.Combine(folder.Path, "a", "log.db"));
        await using var uri = PredictionLogStores.Open("postgresql://u@localhost/db");
        await using var keywords = PredictionLogStores.Open("Host=localhost;Database=db");

        Assert.Equal(("sqlite", "postgresql", "postgresql"), (file.Kind, uri.Kind, keywords.Kind));
        Assert.Null(PredictionLogStores.Problem(Path.Combine(folder.Path, "x=1.db")));
    }
}
