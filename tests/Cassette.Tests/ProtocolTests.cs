using System.Security;
using Cassette.Protocol;

namespace Cassette.Tests;

public class ProtocolTests
{
    [Theory]
    [InlineData("CassetteAI/music-generator", "CassetteAI/music-generator", "CassetteAI/music-generator")]
    [InlineData("fal-ai/flux/dev", "fal-ai/flux/dev", "fal-ai/flux")]
    [InlineData("/cassetteai/music-generator/", "cassetteai/music-generator", "cassetteai/music-generator")]
    [InlineData("workflows/fal-ai/my-flow", "workflows/fal-ai/my-flow", "workflows/fal-ai/my-flow")]
    [InlineData("workflows/fal-ai/my-flow/step", "workflows/fal-ai/my-flow/step", "workflows/fal-ai/my-flow")]
    [InlineData("comfy/someone/graph", "comfy/someone/graph", "comfy/someone/graph")]
    public void ModelIdsSplitIntoTheSubmitPathAndTheAppPath(string text, string full, string app)
    {
        var id = FalModelId.Parse(text);
        Assert.Equal(full, id.FullId);
        Assert.Equal(app, id.AppPath);
    }

    [Theory]
    [InlineData("music-generator")]
    [InlineData("a//b")]
    [InlineData("")]
    [InlineData("workflows/owner")]
    [InlineData("comfy/x")]
    public void MalformedModelIdsAreRejected(string text) =>
        Assert.Throws<ArgumentException>(() => FalModelId.Parse(text));

    [Theory]
    [InlineData(10, "0.0033")]
    [InlineData(30, "0.01")]
    [InlineData(180, "0.06")]
    public void CostIsTwoCentsPerOutputMinute(int seconds, string dollars) =>
        Assert.Equal(decimal.Parse(dollars, System.Globalization.CultureInfo.InvariantCulture), Pricing.Estimate(seconds));

    [Fact]
    public void TheKeyNeverPrintsItself()
    {
        var secure = new SecureString();
        foreach (char c in "id:secret") secure.AppendChar(c);
        var key = FalApiKey.Resolve(secure)!;
        Assert.Equal("***", key.ToString());
        Assert.DoesNotContain("secret", $"{key}");
        Assert.Equal("Key id:secret", key.AuthorizationValue);
    }

    [Fact]
    public void QueueAddressesGainATrailingSlashSoModelPathsResolveBelowThem()
    {
        Assert.Equal("http://127.0.0.1:5000/base/", QueueAddress.Resolve(new Uri("http://127.0.0.1:5000/base")).AbsoluteUri);
        Assert.Throws<ArgumentException>(() => QueueAddress.Resolve(new Uri("ftp://example.com/")));
    }
}
