using System.Diagnostics;

namespace CallControl.Bench.Load;

/// <summary>Samples the process working set and the GC heap every 100 ms and keeps the peaks.</summary>
internal sealed class PeakSampler : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _workingSet;
    private long _heap;

    public PeakSampler() => _loop = Task.Run(LoopAsync);

    public (long WorkingSet, long Heap) Stop()
    {
        _stop.Cancel();
        _loop.Wait();
        return (_workingSet, _heap);
    }

    private async Task LoopAsync()
    {
        using var process = Process.GetCurrentProcess();
        while (!_stop.IsCancellationRequested)
        {
            process.Refresh();
            _workingSet = Math.Max(_workingSet, process.WorkingSet64);
            _heap = Math.Max(_heap, GC.GetTotalMemory(false));
            try
            {
                await Task.Delay(100, _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
