using System.Net;
using Cassette.LocalEngine.Storage;

namespace Cassette.LocalEngine.Tests;

/// <summary>Results and files expire with their request: afterwards every route answers 404 and the disk is clean.</summary>
public class RetentionTests
{
    [Fact]
    public async Task AfterRetentionResultStatusCancelAndFileAnswer404AndTheFilesAreDeleted()
    {
        await using var engine = await TestEngine.StartAsync("--Retention", "00:00:01");
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        string folder = engine.Service<FileStore>().Folder;
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
    public async Task AudioIsKeptOnDiskNotInMemory()
    {
        await using var engine = await TestEngine.StartAsync();
        var submitted = await engine.SubmitAsync(new { prompt = "x", duration = 10 });
        await engine.WaitForCompletionAsync(submitted);
        string path = Path.Combine(engine.Service<FileStore>().Folder, submitted.Id() + ".wav");
        Assert.True(File.Exists(path));
        var file = (await Json.ReadAsync(await engine.Client.GetAsync(submitted.Url("response_url")))).GetProperty("audio_file");
        Assert.Equal(new FileInfo(path).Length, file.GetProperty("file_size").GetInt64());
    }
}
