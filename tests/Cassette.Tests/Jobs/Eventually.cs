namespace Cassette.Tests.Jobs;

internal static class Eventually
{
    /// <summary>Polls until the condition holds; the limit only prevents a hang, it is not what a test asserts.</summary>
    public static void True(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting for " + because);
            Thread.Sleep(10);
        }
    }
}
