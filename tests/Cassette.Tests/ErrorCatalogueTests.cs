using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Cassette.Http;
using Cassette.Errors;
using Cassette.Journal;
using Cassette.Lifecycle;
using Cassette.Protocol;

namespace Cassette.Tests;

/// <summary>The error catalogue, and the boundaries that turn every outside failure into one of its entries.</summary>
public class ErrorCatalogueTests
{
    private static readonly Uri Queue = TestQueueClient.Queue;
    private static readonly FalModelId Model = FalModelId.Parse(FalModelId.MusicGenerator);

    private static FalQueueClient Client(HttpMessageHandler handler, int retries = 2) =>
        TestQueueClient.Create(handler, retries);

    [Fact]
    public void EachEntryIsNamedAfterItsIdAndSaysWhatItMeans()
    {
        var fields = typeof(CassetteErrors).GetFields().Where(f => f.FieldType == typeof(CassetteError)).ToArray();
        Assert.Equal(fields.Length, CassetteErrors.All.Count);
        Assert.Equal(CassetteErrors.All.Count, CassetteErrors.All.Select(e => e.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        foreach (var field in fields)
        {
            var error = (CassetteError)field.GetValue(null)!;
            Assert.Equal(field.Name, error.Id);
            Assert.False(string.IsNullOrWhiteSpace(error.Meaning), error.Id);
        }
    }

    [Fact]
    public void ARecordTakesItsIdCategoryAndActionFromTheCatalogue()
    {
        var record = ErrorRecords.From(new CassetteException(CassetteErrors.RateLimited, "throttled"), null);
        Assert.Equal("RateLimited", record.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.LimitsExceeded, record.CategoryInfo.Category);
        Assert.Equal(CassetteErrors.RateLimited.RecommendedAction, record.ErrorDetails.RecommendedAction);
    }

    [Fact]
    public void AnythingElseIsABugThatSaysHowToReportIt()
    {
        var bug = new InvalidCastException("a bug");
        var record = ErrorRecords.From(bug, "input");
        Assert.Equal("UnexpectedError", record.FullyQualifiedErrorId);
        var wrapped = Assert.IsType<CassetteException>(record.Exception);
        Assert.Same(bug, wrapped.InnerException);
        Assert.Contains("report", record.ErrorDetails.RecommendedAction);
        Assert.Contains("Get-Error", record.Exception.Message);
    }

    [Theory]
    [InlineData(401, "Unauthorized")]
    [InlineData(404, "RequestNotFound")]
    [InlineData(422, "ValidationFailed")]
    [InlineData(429, "RateLimited")]
    [InlineData(500, "ServerError")]
    [InlineData(503, "QueueUnavailable")]
    [InlineData(418, "RequestRejected")]
    public void AnApiFailureIsACassetteExceptionOfItsAnswer(int code, string id)
    {
        CassetteException error = new FalApiException("answer", (HttpStatusCode)code, null, null, "req-1");
        Assert.Equal(id, error.ErrorId);
    }

    public static TheoryData<Exception> TransportFailures => new()
    {
        new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new SocketException((int)SocketError.NotConnected),
        new IOException("Unable to read data from the transport connection: Connection reset by peer."),
    };

    [Theory]
    [MemberData(nameof(TransportFailures))]
    public async Task ATransportFailureAfterEveryRetryIsConnectionFailedWithTheFailureInside(Exception failure)
    {
        int calls = 0;
        var handler = new FakeHandler((_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw failure;
        });
        var error = await Assert.ThrowsAsync<CassetteException>(() => Client(handler).GetResultAsync(Model, "req-1", null, null, CancellationToken.None));
        Assert.Same(CassetteErrors.ConnectionFailed, error.Error);
        Assert.Same(failure, error.InnerException);
        Assert.Equal("req-1", error.RequestId);
        Assert.Equal(3, calls);
    }

    /// <summary>A queue whose cancel first answers 503, then 202; the status after it says <paramref name="statusAfterCancel"/>, the result <paramref name="result"/>.</summary>
    private static FakeHandler CancelQueue(Func<int> cancels, string statusAfterCancel, HttpStatusCode result) => new((request, _) =>
    {
        if (request.Method == HttpMethod.Put)
            return cancels() == 1 ? new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) : FakeHandler.Json(HttpStatusCode.Accepted, """{"status":"CANCELLATION_REQUESTED"}""");
        if (request.RequestUri!.AbsolutePath.EndsWith("/status"))
            return FakeHandler.Json(HttpStatusCode.OK, statusAfterCancel);
        return FakeHandler.Json(result, result == HttpStatusCode.OK
            ? """{"audio_file":{"url":"http://cdn.test/a.wav"}}"""
            : """{"detail":"The request was cancelled.","error_type":"client_cancelled"}""");
    });

    [Fact]
    public async Task ACancelMetByOne503IsRetriedReportedThroughTheSinkAndRecordedOnceFalConfirmsIt()
    {
        string journalPath = Path.Combine(Path.GetTempPath(), $"cassette-{Guid.NewGuid():N}.jsonl");
        try
        {
            var journal = new RequestJournal(journalPath);
            var request = new CassetteRequest("req-1", Model.FullId, Queue, prompt: "p", duration: 10);
            journal.RecordSubmission(request);
            int calls = 0;
            var handler = CancelQueue(() => Interlocked.Increment(ref calls),
                FakeHandler.Status("COMPLETED", extra: ",\"error\":\"cancelled\",\"error_type\":\"client_cancelled\""), (HttpStatusCode)499);
            var sink = new RecordingSink();
            var outcome = await new RequestLifecycle(Client(handler), journal).CancelAsync(request, "test", sink, CancellationToken.None);
            Assert.Equal(CancelOutcome.Requested, outcome);
            Assert.Equal(2, calls);
            Assert.Contains(sink.Verbose, m => m.Contains("503") && m.Contains("retry 1 of 2"));
            Assert.Equal(CassetteRequest.Cancelled, Assert.Single(journal.ReadAll()).Status);
        }
        finally
        {
            File.Delete(journalPath);
        }
    }

    [Fact]
    public async Task ACancelTheRunnerIgnoresStaysCancellationRequestedAndALaterQuerySettlesIt()
    {
        string journalPath = Path.Combine(Path.GetTempPath(), $"cassette-{Guid.NewGuid():N}.jsonl");
        try
        {
            var journal = new RequestJournal(journalPath);
            var request = new CassetteRequest("req-1", Model.FullId, Queue, prompt: "p", duration: 10);
            journal.RecordSubmission(request);
            int calls = 0;
            var lifecycle = new RequestLifecycle(Client(CancelQueue(() => Interlocked.Increment(ref calls), FakeHandler.Status("IN_PROGRESS"), HttpStatusCode.OK)), journal);
            Assert.Equal(CancelOutcome.Requested, await lifecycle.CancelAsync(request, "test", new RecordingSink(), CancellationToken.None));
            Assert.Equal(CassetteRequest.CancellationRequested, Assert.Single(journal.ReadAll()).Status);

            var later = new RequestLifecycle(Client(CancelQueue(() => 2, FakeHandler.Status("COMPLETED"), HttpStatusCode.OK)), journal);
            var settled = await later.ReadStatusAsync(request, false, new RecordingSink(), CancellationToken.None);
            Assert.Equal(CassetteRequest.Completed, settled.Status);
            Assert.Equal(CassetteRequest.Completed, Assert.Single(journal.ReadAll()).Status);
        }
        finally
        {
            File.Delete(journalPath);
        }
    }

    [Fact]
    public void NoJournalRecordsNothingAndKnowsNothing()
    {
        Assert.True(RequestJournal.None.IsNone);
        RequestJournal.None.RecordSubmission(new CassetteRequest("req-1", Model.FullId, Queue));
        RequestJournal.None.RecordStatus("req-1", CassetteRequest.Completed, null, null, null);
        Assert.Empty(RequestJournal.None.ReadAll());
        Assert.Null(RequestJournal.None.Find("req-1"));
    }

    [Fact]
    public void AJournalThatCannotBeWrittenIsJournalUnavailable()
    {
        string file = Path.GetTempFileName();
        try
        {
            // A journal "inside" a file: its folder cannot be created.
            var journal = new RequestJournal(Path.Combine(file, "journal.jsonl"));
            var error = Assert.Throws<CassetteException>(() => journal.RecordStatus("req-1", CassetteRequest.Completed, null, null, null));
            Assert.Same(CassetteErrors.JournalUnavailable, error.Error);
            Assert.NotNull(error.InnerException);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
