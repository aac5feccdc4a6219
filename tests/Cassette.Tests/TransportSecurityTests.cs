using Cassette.Http;
using Cassette.Protocol;

namespace Cassette.Tests;

public class TransportSecurityTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5000/", true)]
    [InlineData("http://127.200.3.4/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("http://[::ffff:127.0.0.1]/", true)]
    [InlineData("http://localhost/", true)]
    [InlineData("http://LocalHost:9/", true)]
    [InlineData("http://128.0.0.1/", false)]
    [InlineData("http://10.0.0.5/", false)]
    [InlineData("http://localhost.example.com/", false)]
    [InlineData("http://queue.fal.run/", false)]
    [InlineData("http://[::2]/", false)]
    public void LoopbackIsThisMachineOnly(string url, bool loopback) =>
        Assert.Equal(loopback, TransportSecurity.IsLoopback(new Uri(url)));

    [Theory]
    [InlineData("https://queue.fal.run/", false, true)]
    [InlineData("http://127.0.0.1:41234/", false, true)]
    [InlineData("http://queue.example.com/", false, false)]
    [InlineData("http://queue.example.com/", true, true)]
    public void TheKeyTravelsUnencryptedOnlyToThisMachineOrWhenAllowed(string url, bool allow, bool expected) =>
        Assert.Equal(expected, TransportSecurity.MaySendKey(new Uri(url), allow));
}

public class QueueRedirectTests
{
    private static int FreeLoopbackPort()
    {
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        int port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    [Fact]
    public async Task AQueueThatRedirectsIsAnErrorAndTheKeyNeverReachesTheOtherHost()
    {
        using var queue = new System.Net.HttpListener();
        string queueUrl = $"http://127.0.0.1:{FreeLoopbackPort()}/";
        queue.Prefixes.Add(queueUrl);
        queue.Start();
        using var elsewhere = new System.Net.HttpListener();
        string elsewhereUrl = $"http://127.0.0.1:{FreeLoopbackPort()}/";
        elsewhere.Prefixes.Add(elsewhereUrl);
        elsewhere.Start();
        var reachedElsewhere = elsewhere.GetContextAsync();

        var client = new FalQueueClient(Cassette.Http.HttpClients.Queue, new Uri(queueUrl), FalApiKey.Resolve("id:redirect-secret"), new RetryPolicy(0));
        var submit = client.SubmitAsync(FalModelId.Parse(FalModelId.MusicGenerator),
            new Dictionary<string, object?> { ["prompt"] = "x", ["duration"] = 10 }, SubmitOptions.Default, null, CancellationToken.None);
        var context = await queue.GetContextAsync();
        Assert.Equal("Key id:redirect-secret", context.Request.Headers["Authorization"]);
        context.Response.StatusCode = 307;
        context.Response.RedirectLocation = elsewhereUrl + "CassetteAI/music-generator";
        context.Response.Close();

        // Had the redirect been followed, the submission would still be waiting for the other host's answer.
        var error = await Assert.ThrowsAsync<FalApiException>(() => submit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(System.Net.HttpStatusCode.TemporaryRedirect, error.StatusCode);
        Assert.False(reachedElsewhere.IsCompleted);
    }
}
