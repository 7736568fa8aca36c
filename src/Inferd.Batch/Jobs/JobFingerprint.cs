using System.Security.Cryptography;
using System.Text;

namespace Inferd.Batch.Jobs;

/// <summary>
/// Hashes the parts of a <see cref="BatchJobSpec"/> that decide which rows land in which shard and what they become.
/// Batch size, concurrency and the error limit are left out: they change speed, not bytes, so a restart may change them.
/// </summary>
internal static class JobFingerprint
{
    public static string Compute(BatchJobSpec spec)
    {
        var text = new StringBuilder()
            .Append("model=").Append(spec.Model).Append('\n')
            .Append("version=").Append(spec.Version).Append('\n')
            .Append("inputs=").AppendJoin('|', spec.Inputs.Select(Path.GetFullPath)).Append('\n')
            .Append("input_format=").Append(spec.InputFormat).Append('\n')
            .Append("output_format=").Append(spec.OutputFormat).Append('\n')
            .Append("id=").Append(spec.IdColumn).Append('\n')
            .Append("shard_rows=").Append(spec.ShardRows).Append('\n')
            .Append("shards=").Append(spec.ShardIndex).Append('/').Append(spec.ShardCount).Append('\n');
        foreach (var (input, columns) in spec.InputMap.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("in:").Append(input).Append('=').AppendJoin(',', columns).Append('\n');
        }

        foreach (var (output, column) in spec.OutputMap.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append("out:").Append(output).Append('=').Append(column).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
