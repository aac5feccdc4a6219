using System.Net.Sockets;
using Microsoft.AspNetCore.Connections.Features;

namespace Cassette.LocalEngine.Faults;

/// <summary>Ends a connection in the middle of a response without losing what was already sent.</summary>
public static class ConnectionClose
{
    /// <summary>Long enough on loopback for Kestrel's output loop to hand the flushed bytes to the socket.</summary>
    private static readonly TimeSpan DrainTime = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Sends FIN after the bytes already written, so the client reads them all and then sees the body end short.
    /// A plain abort resets the connection, and a reset makes the client drop data it had not read yet.
    /// </summary>
    public static async Task AfterSentDataAsync(HttpContext context)
    {
        await Task.Delay(DrainTime, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        var socket = context.Features.Get<IConnectionSocketFeature>()?.Socket;
        try { socket?.Shutdown(SocketShutdown.Send); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        if (socket is null) context.Abort();
    }
}
