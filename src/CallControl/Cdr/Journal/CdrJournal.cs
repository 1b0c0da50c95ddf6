using CallControl.Data;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CallControl.Cdr.Journal;

/// <summary>
/// The local append-only journal that holds CDR writes PostgreSQL could not take (server down, unreachable, restarting).
/// An append returns only after the line is flushed to disk (fsync), so "in the journal" is as durable as "in
/// PostgreSQL" for the json_cdr receiver's 200. While the journal holds entries every new write is appended behind
/// them, so <see cref="DrainAsync"/> replays all writes in the order they arrived; once it has replayed everything it
/// truncates the file. Replaying an entry twice (a crash between the upsert and the truncation) is harmless: the
/// upsert is keyed by the leg's UUID.
/// </summary>
public sealed class CdrJournal : IDisposable
{
    private readonly string _path;
    private readonly ILogger<CdrJournal> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _replayedTo;
    private int _pending;

    /// <summary>Opens the journal at the configured path and counts what an earlier run left in it.</summary>
    public CdrJournal(IOptions<CdrJournalOptions> options, ILogger<CdrJournal> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _path = Path.GetFullPath(options.Value.JournalPath);
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        _pending = Recover();
        if (_pending > 0)
        {
            CdrJournalLog.Recovered(_logger, _pending, _path);
        }
    }

    /// <summary>The journal file.</summary>
    public string FilePath => _path;

    /// <summary>Entries appended and not yet replayed.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Whether new writes must queue behind journaled ones.</summary>
    public bool HasPending => Pending > 0;

    /// <summary>Appends the write and flushes it to disk; returns when it is durable.</summary>
    public async Task AppendAsync(LegUpsert leg, CancellationToken cancellationToken)
    {
        var line = JournalLine.Encode(leg);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
            await file.WriteAsync(line, CancellationToken.None).ConfigureAwait(false);
            file.Flush(flushToDisk: true);
            if (Interlocked.Increment(ref _pending) == 1)
            {
                CdrJournalLog.Spooling(_logger, _path);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Replays entries in order through <paramref name="store"/> until the journal is empty (then truncates it) or a
    /// store fails for connectivity (then stops, keeping the rest for the next attempt). Returns how many were replayed.
    /// Called by one loop at a time (<see cref="CdrJournalReplayer"/>).
    /// </summary>
    public async Task<int> DrainAsync(Func<LegUpsert, CancellationToken, Task> store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var replayed = 0;
        while (true)
        {
            foreach (var (entry, end) in ReadFrom(_replayedTo))
            {
                if (entry is null)
                {
                    CdrJournalLog.DamagedEntry(_logger, _replayedTo, _path);
                }
                else
                {
                    try
                    {
                        await store(entry, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (PostgresFailures.IsTransient(e))
                    {
                        return replayed;
                    }
                    catch (PostgresException e)
                    {
                        // PostgreSQL refuses this row itself: retrying would block every later CDR behind it.
                        CdrJournalLog.EntryRefused(_logger, entry.LegUuid, e);
                    }

                    replayed++;
                }

                _replayedTo = end;
                Interlocked.Decrement(ref _pending);
            }

            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Nothing was appended while we replayed: every write is in PostgreSQL, start afresh.
                if (new FileInfo(_path).Length <= _replayedTo)
                {
                    using (var file = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read))
                    {
                        file.SetLength(0);
                        file.Flush(flushToDisk: true);
                    }

                    _replayedTo = 0;
                    Volatile.Write(ref _pending, 0);
                    if (replayed > 0)
                    {
                        CdrJournalLog.Drained(_logger, replayed);
                    }

                    return replayed;
                }
            }
            finally
            {
                _gate.Release();
            }
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>The entries from <paramref name="offset"/> (null for a damaged line) with the offset after each.</summary>
    private IEnumerable<(LegUpsert? Entry, long End)> ReadFrom(long offset)
    {
        if (!File.Exists(_path))
        {
            yield break;
        }

        using var file = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        file.Seek(offset, SeekOrigin.Begin);
        var line = new MemoryStream();
        var position = offset;
        int b;
        while ((b = file.ReadByte()) >= 0)
        {
            position++;
            if (b != '\n')
            {
                line.WriteByte((byte)b);
                continue;
            }

            yield return (JournalLine.Decode(line.GetBuffer().AsSpan(0, (int)line.Length)), position);
            line.SetLength(0);
        }
    }

    /// <summary>Drops a torn last line (a crash mid-append: that write was never acknowledged) and counts the entries.</summary>
    private int Recover()
    {
        if (!File.Exists(_path))
        {
            return 0;
        }

        using var file = new FileStream(_path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read);
        long lastNewline = -1;
        var count = 0;
        var buffer = new byte[64 * 1024];
        long position = 0;
        int read;
        while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    lastNewline = position + i;
                    count++;
                }
            }

            position += read;
        }

        if (lastNewline + 1 < file.Length)
        {
            file.SetLength(lastNewline + 1);
            file.Flush(flushToDisk: true);
        }

        return count;
    }
}
