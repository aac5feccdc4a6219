using System.Net;
using System.Text;
using Cassette.Errors;
using Cassette.Http;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>
/// A queue answer whose Content-Type names a charset .NET does not know: HttpContent.ReadAsStringAsync throws
/// InvalidOperationException on it, which reached the user as UnexpectedError. fal's clients read JSON as UTF-8 whatever
/// the charset says, and so does the module now.
/// </summary>
public class ReplyCharsetTests
{
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);

    private static FalQueueClient Client(HttpMessageHandler handler) =>
        TestQueueClient.Create(handler);

    private static HttpResponseMessage Answer(HttpStatusCode code, string text, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return new HttpResponseMessage(code) { Content = content };
    }

    [Theory]
    [InlineData("application/json; charset=bogus")]
    [InlineData("application/json; charset=\"\"")]
    [InlineData("application/json; charset=utf-99")]
    public async Task AStatusWithAnUnknownCharsetIsReadAsUtf8(string contentType)
    {
        var handler = new FakeHandler((_, _) => Answer(HttpStatusCode.OK, "{\"status\":\"IN_PROGRESS\",\"request_id\":\"req-1\",\"logs\":[{\"message\":\"né\"}]}", contentType));
        var status = await Client(handler).GetStatusAsync(Model, "req-1", null, true, null, CancellationToken.None);
        Assert.Equal("IN_PROGRESS", status.Status);
        Assert.Equal("né", Assert.Single(status.Logs).Message);
    }

    [Fact]
    public async Task AnErrorAnswerWithAnUnknownCharsetKeepsItsCatalogueEntryAndDetail()
    {
        var handler = new FakeHandler((_, _) => Answer(HttpStatusCode.NotFound, "{\"detail\":\"Request not found\"}", "application/json; charset=bogus"));
        var error = await Assert.ThrowsAsync<FalApiException>(() => Client(handler).GetStatusAsync(Model, "req-1", null, false, null, CancellationToken.None));
        Assert.Equal("RequestNotFound", ErrorRecords.From(error, null).FullyQualifiedErrorId);
        Assert.Contains("Request not found", error.Message);
    }

    [Fact]
    public async Task AByteOrderMarkBeforeTheJsonIsIgnored()
    {
        var handler = new FakeHandler((_, _) => Answer(HttpStatusCode.OK, "\uFEFF" + FakeHandler.Status("IN_QUEUE"), "application/json; charset=bogus"));
        var status = await Client(handler).GetStatusAsync(Model, "req-1", null, false, null, CancellationToken.None);
        Assert.Equal("IN_QUEUE", status.Status);
    }
}
