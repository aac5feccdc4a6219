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
