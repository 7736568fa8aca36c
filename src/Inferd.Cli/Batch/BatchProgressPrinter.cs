using System.Globalization;
using Inferd.Batch.Jobs;

namespace Inferd.Cli.Batch;

/// <summary>
/// Shows a running job on stderr: a bar redrawn five times a second with rows/s and ETA in a terminal, or a plain
/// line every <c>interval</c> when stderr is a file or a pipe (CI logs, Kubernetes), where a redrawn bar would be noise.
/// </summary>
internal sealed class BatchProgressPrinter : IProgress<BatchProgress>, IDisposable
{
    private readonly bool _bar;
    private readonly ITimer? _timer;
    private BatchProgress? _latest;
    private int _lastWidth;

    public BatchProgressPrinter(string mode, TimeSpan interval)
    {
        _bar = mode == "bar" || (mode == "auto" && !Console.IsErrorRedirected);
        if (mode != "none")
        {
            var period = _bar ? TimeSpan.FromMilliseconds(200) : interval;
            _timer = TimeProvider.System.CreateTimer(_ => Print(), null, period, period);
        }
    }

    public void Report(BatchProgress value) => Volatile.Write(ref _latest, value);

    /// <summary>Stops printing and clears the bar.</summary>
    public void Dispose()
    {
        _timer?.Dispose();
        if (_bar && _lastWidth > 0)
        {
            Console.Error.Write("\r" + new string(' ', _lastWidth) + "\r");
        }
    }

    private void Print()
    {
        var p = Volatile.Read(ref _latest);
        if (p is null)
        {
            return;
        }

        var rate = p.RowsPerSecond;
        var eta = p.Fraction is > 0 and < 1 ? TimeSpan.FromSeconds(p.Elapsed.TotalSeconds * (1 - p.Fraction) / p.Fraction) : TimeSpan.Zero;
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"{p.Fraction * 100,5:0.0}%  {p.RowsWritten:N0} rows out  {p.Errors:N0} errors  {rate:N0} rows/s  ETA {eta:hh\\:mm\\:ss}");
        if (_bar)
        {
            const int width = 24;
            var filled = (int)Math.Round(p.Fraction * width);
            var line = "\r[" + new string('#', filled) + new string('.', width - filled) + "] " + text;
            _lastWidth = Math.Max(_lastWidth, line.Length);
            Console.Error.Write(line.PadRight(_lastWidth));
        }
        else
        {
            Console.Error.WriteLine("inferd batch: " + text);
        }
    }
}
