namespace Mpm.Monitor.Tests.Security;

/// <summary>
/// Seed and running time of a fuzz test: short in CI, longer locally. MPM_FUZZ_SEED replays a run (every run
/// prints its seed); MPM_FUZZ_SECONDS sets each fuzz test's running time. (The Socket.IO library's tests
/// read the same variables.)
/// </summary>
internal sealed class FuzzBudget
{
    private readonly DateTime _deadline;

    public FuzzBudget(double defaultSeconds)
    {
        Seed = int.TryParse(Environment.GetEnvironmentVariable("MPM_FUZZ_SEED"), out var seed) ? seed : Random.Shared.Next();
        Seconds = double.TryParse(Environment.GetEnvironmentVariable("MPM_FUZZ_SECONDS"), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : defaultSeconds;
        _deadline = DateTime.UtcNow.AddSeconds(Seconds);
        Random = new Random(Seed);
    }

    public int Seed { get; }

    public double Seconds { get; }

    public Random Random { get; }

    public bool Running => DateTime.UtcNow < _deadline;

    public string Replay => $"replay with MPM_FUZZ_SEED={Seed} MPM_FUZZ_SECONDS={Seconds}";
}
