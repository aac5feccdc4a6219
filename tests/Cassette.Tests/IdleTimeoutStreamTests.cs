using Cassette.Http;
using Cassette.Protocol;

namespace Cassette.Tests;

public class IdleTimeoutStreamTests
{
    [Fact]
    public async Task ASilentStreamTimesOutAndStaysTimedOut()
    {
        using var stream = new IdleTimeoutStream(new SilentStream(), TimeSpan.FromMilliseconds(100), CancellationToken.None);
        var buffer = new byte[16];
        await Assert.ThrowsAsync<TimeoutException>(() => stream.ReadAsync(buffer, 0, buffer.Length));
        await Assert.ThrowsAsync<TimeoutException>(() => stream.ReadAsync(buffer, 0, buffer.Length));
    }

    [Fact]
    public async Task ACancelledReadIsACancellationNotATimeout()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var stream = new IdleTimeoutStream(new SilentStream(), TimeSpan.FromMinutes(5), stop.Token);
        var buffer = new byte[16];
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.ReadAsync(buffer, 0, buffer.Length));
    }

    [Fact]
    public async Task DataThatKeepsComingIsReadWhole()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        using var stream = new IdleTimeoutStream(new MemoryStream(data), TimeSpan.FromSeconds(5), CancellationToken.None);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(data, copy.ToArray());
    }
}
