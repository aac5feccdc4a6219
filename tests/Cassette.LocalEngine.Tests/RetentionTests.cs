using System.Net;
using Xunit.Abstractions;

namespace Cassette.LocalEngine.Tests;

/// <summary>
/// Results and files have separate retention, as on fal (result JSON 1 h, 6 min from 10 KB; CDN files at least 7 days):
/// after the result's, status, result and cancel answer 404; after the file's, the file too, and the disk is clean.
/// </summary>
public class RetentionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AfterRetentionResultStatusCancelAndFileAnswer404AndTheFilesAreDeleted()
    {
        await using var engine = await TestEngine.StartAsync(output, "--ResultRetention", "00:00:01", "--FileRetention", "00:00:01");
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        string folder = engine.StorageFolder;
        string fileUrl = engine.BaseUrl + $"files/{submitted.Id()}/{submitted.Id()}.wav";

        var deadline = DateTime.UtcNow + TestEngine.Patience;
        while (true)
        {
            using var status = await engine.Client.GetAsync(submitted.Url("status_url"));
            if (status.StatusCode == HttpStatusCode.NotFound) break;
            Assert.True(DateTime.UtcNow < deadline, "the request never expired");
            await Task.Delay(50);
        }
        foreach (var call in new[] { engine.Client.GetAsync(submitted.Url("response_url")), engine.Client.PutAsync(submitted.Url("cancel_url"), null), engine.Client.GetAsync(fileUrl) })
        {
            using var response = await call;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        while (Directory.GetFiles(folder, submitted.Id() + "*").Length > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the retention sweep never removed the files");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task TheFileOutlivesItsResult()
    {
        await using var engine = await TestEngine.StartAsync(output, "--ResultRetention", "00:00:01", "--FileRetention", "01:00:00");
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.WaitForCompletionAsync(submitted);
        string fileUrl = (await Json.ReadAsync(await engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file").Url("url");

        await WaitForStatus404Async(engine, submitted.Url("status_url"));
        using (var result = await engine.Client.GetAsync(submitted.Url("response_url")))
            Assert.Equal(HttpStatusCode.NotFound, result.StatusCode);
        using var file = await engine.ClientWithoutKey().GetAsync(fileUrl);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
    }

    [Fact]
    public async Task ALargeResultIsKeptForTheShorterLargeResultRetention()
    {
        // Every result is "large" from 1 byte on; the ordinary retention stays at its hour.
        await using var engine = await TestEngine.StartAsync(output, "--LargeResultBytes", "1", "--LargeResultRetention", "00:00:01");
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.WaitForCompletionAsync(submitted);
        await WaitForStatus404Async(engine, submitted.Url("status_url"));
    }

    [Fact]
    public void TheDefaultsAreFals()
    {
        var options = new EngineOptions();
        Assert.Equal(TimeSpan.FromHours(1), options.ResultRetention);
        Assert.Equal(TimeSpan.FromMinutes(6), options.LargeResultRetention);
        Assert.Equal(10 * 1024, options.LargeResultBytes);
        Assert.Equal(TimeSpan.FromDays(7), options.FileRetention);
    }

    private static async Task WaitForStatus404Async(TestEngine engine, string statusUrl)
    {
        var deadline = DateTime.UtcNow + TestEngine.Patience;
        while (true)
        {
            using var status = await engine.Client.GetAsync(statusUrl);
            if (status.StatusCode == HttpStatusCode.NotFound) return;
            Assert.True(DateTime.UtcNow < deadline, "the result never expired");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task AudioIsKeptOnDiskNotInMemory()
    {
        await using var engine = await TestEngine.StartAsync(output);
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.WaitForCompletionAsync(submitted);
        string path = Path.Combine(engine.StorageFolder, submitted.Id() + ".wav");
        Assert.True(File.Exists(path));
        var file = (await Json.ReadAsync(await engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file");
        Assert.Equal(new FileInfo(path).Length, file.GetProperty("file_size").GetInt64());
    }
}
