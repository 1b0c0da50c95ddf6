namespace CallControl.Esl.Connection;

/// <summary>An <see cref="EslClient"/> has a working, authenticated and subscribed connection.</summary>
public sealed class EslConnectedEventArgs(bool isReconnect, TimeSpan? downtime) : EventArgs
{
    /// <summary>False for the first connection, true after a loss: the owner should reconcile its view of the
    /// switch (events were missed while down).</summary>
    public bool IsReconnect { get; } = isReconnect;

    /// <summary>How long the client was without a connection, for a reconnect.</summary>
    public TimeSpan? Downtime { get; } = downtime;
}

/// <summary>An <see cref="EslClient"/> lost its connection (or could not authenticate).</summary>
public sealed class EslDisconnectedEventArgs(EslConnectionException reason) : EventArgs
{
    /// <summary>Why; <see cref="EslConnectionException.IsTransient"/> says whether reconnecting can help soon.</summary>
    public EslConnectionException Reason { get; } = reason;
}
