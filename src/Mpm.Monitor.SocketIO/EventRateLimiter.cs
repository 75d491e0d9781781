namespace Mpm.Monitor.SocketIO;

/// <summary>
/// Two token buckets over one socket's incoming events: past the soft one an event is refused
/// (the namespace's rate-limited handler answers it); past the hard one, ten times as generous,
/// the client is flooding and its connection is closed.
/// </summary>
internal sealed class EventRateLimiter
{
    /// <summary>How much faster than the refusal rate a client must send to be disconnected.</summary>
    public const int AbuseFactor = 10;

    private readonly TimeProvider _time;
    private readonly double _rate;
    private readonly double _burst;
    private readonly Lock _lock = new();
    private double _soft;
    private double _hard;
    private long _last;

    public EventRateLimiter(double eventsPerSecond, int burst, TimeProvider time)
    {
        _time = time;
        _rate = eventsPerSecond;
        _burst = burst;
        _soft = burst;
        _hard = burst * (double)AbuseFactor;
        _last = time.GetTimestamp();
    }

    public EventAdmission Admit()
    {
        lock (_lock)
        {
            var now = _time.GetTimestamp();
            var seconds = _time.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _soft = Math.Min(_burst, _soft + seconds * _rate);
            _hard = Math.Min(_burst * AbuseFactor, _hard + seconds * _rate * AbuseFactor);
            if (_hard < 1)
                return EventAdmission.Abusive;
            _hard--;
            if (_soft < 1)
                return EventAdmission.Refused;
            _soft--;
            return EventAdmission.Accepted;
        }
    }
}

internal enum EventAdmission
{
    Accepted,
    Refused,
    Abusive,
}
