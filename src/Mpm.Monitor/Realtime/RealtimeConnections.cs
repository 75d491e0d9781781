using Mpm.Monitor.Core.Events;
using Mpm.Monitor.Core.Pipeline;
using Mpm.Monitor.SocketIO;

namespace Mpm.Monitor.Realtime;

/// <summary>
/// The monitor's side of each Socket.IO connection to <c>/</c> (CONTRACT §6): replay after
/// <c>last_event_id</c>, then live events through rooms; <c>subscribe</c>, <c>unsubscribe</c>,
/// <c>get_state</c> and <c>emit</c>. Malformed requests get <c>invalid_payload</c> and the connection stays open.
/// </summary>
internal sealed partial class RealtimeConnections(
    SocketEventBroadcaster broadcaster,
    EventPipeline pipeline,
    StateReply state,
    ILogger<RealtimeConnections> logger)
{
    public void Attach(Namespace sockets)
    {
        sockets.Use(RejectBadResumePoint);
        sockets.OnConnection(OnConnectedAsync);
    }

    private static ValueTask RejectBadResumePoint(SocketConnectingContext context)
    {
        // A client asking for a replay it cannot get would silently miss events: refuse it instead.
        if (!ResumePoint.TryRead(context.Socket.Handshake, out _, out var error))
            context.Reject(error, new { code = ClientReply.InvalidPayload, message = error });
        return ValueTask.CompletedTask;
    }

    private async ValueTask OnConnectedAsync(Socket socket)
    {
        var subscriptions = new Subscriptions();
        socket.On("subscribe", e => OnSubscribeAsync(e, subscriptions, subscribe: true));
        socket.On("unsubscribe", e => OnSubscribeAsync(e, subscriptions, subscribe: false));
        socket.On("get_state", e => OnGetStateAsync(e, subscriptions));
        socket.On("emit", OnEmitAsync);

        ResumePoint.TryRead(socket.Handshake, out var afterId, out _);
        if (afterId is long after)
            // The client's own requests wait for this (they are handled after the connection handler).
            await ReplayAsync(socket, subscriptions, after);
        else
            subscriptions.Route(socket);
    }

    private async Task ReplayAsync(Socket socket, Subscriptions subscriptions, long afterId)
    {
        var replay = new SocketReplay(socket, subscriptions, broadcaster);
        try
        {
            await replay.RunAsync(pipeline, afterId);
            LogReplayed(socket.Id, afterId, replay.Sent);
        }
        catch (OperationCanceledException) when (!socket.Connected)
        {
            // the client left during its replay, or was too slow to take it
            if (replay.Overflowed)
                LogReplayOverflow(socket.Id, afterId);
        }
        catch (Exception e)
        {
            LogReplayFailed(e, socket.Id, afterId);
            socket.EmitRaw(ClientReply.ErrorEvent, ClientReply.Error(ClientReply.Unavailable, $"the replay after event {afterId} failed: {e.Message}"));
            socket.Disconnect(close: true);
        }
    }

    private static async ValueTask OnSubscribeAsync(SocketEvent request, Subscriptions subscriptions, bool subscribe)
    {
        var names = ClientRequests.EventNames(request, out var error);
        if (names is null)
        {
            await ClientReply.SendErrorAsync(request, ClientReply.InvalidPayload, error);
            return;
        }
        if (!(subscribe ? subscriptions.Subscribe(names) : subscriptions.Unsubscribe(names)))
        {
            await ClientReply.SendErrorAsync(request, ClientReply.InvalidPayload,
                $"a connection subscribes to or excludes at most {Subscriptions.MaxNames} event names; use \"*\" for everything");
            return;
        }
        var reply = ClientReply.Build(writer =>
        {
            writer.WriteStartObject();
            subscriptions.WriteProperties(writer);
            writer.WriteEndObject();
        });
        await ClientReply.SendAsync(request, "subscribed", reply);
    }

    private async ValueTask OnGetStateAsync(SocketEvent request, Subscriptions subscriptions)
    {
        var since = ClientRequests.Since(request, out var ok, out var error);
        if (!ok)
        {
            await ClientReply.SendErrorAsync(request, ClientReply.InvalidPayload, error);
            return;
        }
        byte[] reply;
        try
        {
            reply = await state.BuildAsync(subscriptions, since, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogStateFailed(e, request.Socket.Id);
            await ClientReply.SendErrorAsync(request, ClientReply.Unavailable, "the monitor could not read its state: " + e.Message);
            return;
        }
        await ClientReply.SendAsync(request, "state", reply);
    }

    private async ValueTask OnEmitAsync(SocketEvent request)
    {
        var custom = ClientRequests.CustomEvent(request, out var error);
        if (custom is not var (name, data))
        {
            await ClientReply.SendErrorAsync(request, ClientReply.InvalidPayload, error);
            return;
        }
        StoredEvent stored;
        try
        {
            stored = await pipeline.PublishAsync(name, data);
        }
        catch (EventRejectedException e)
        {
            var code = e.Reason == EventRejection.TooLarge ? ClientReply.PayloadTooLarge : ClientReply.InvalidPayload;
            await ClientReply.SendErrorAsync(request, code, e.Message);
            return;
        }
        catch (Exception e) when (e is EventStoreUnavailableException or EventPipelineStoppedException)
        {
            await ClientReply.SendErrorAsync(request, ClientReply.Unavailable, e.Message);
            return;
        }
        // Without an acknowledgement there is nothing to say: the event itself is broadcast.
        if (request.HasAck)
        {
            var id = stored.Id;
            await request.AckAsync(new RawJson(ClientReply.Build(writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("id"u8, id);
                writer.WriteEndObject();
            })));
        }
    }

    [LoggerMessage(1, LogLevel.Debug, "Socket {SocketId} replayed {Count} events after {AfterId} and follows live events")]
    private partial void LogReplayed(string socketId, long afterId, long count);

    [LoggerMessage(2, LogLevel.Error, "Replay after event {AfterId} to socket {SocketId} failed; the connection is closed")]
    private partial void LogReplayFailed(Exception exception, string socketId, long afterId);

    [LoggerMessage(4, LogLevel.Warning, "Socket {SocketId} read its replay after event {AfterId} too slowly to catch up with live events; disconnected")]
    private partial void LogReplayOverflow(string socketId, long afterId);

    [LoggerMessage(3, LogLevel.Error, "get_state for socket {SocketId} failed")]
    private partial void LogStateFailed(Exception exception, string socketId);
}
