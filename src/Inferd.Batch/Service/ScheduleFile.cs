namespace Inferd.Batch.Service;

/// <summary>A file a schedule handed to a job, as it was then.</summary>
/// <param name="Path">Path relative to the data folder.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="MtimeTicks">Last write time, UTC ticks.</param>
internal sealed record ScheduleFile(string Path, long Size, long MtimeTicks);
