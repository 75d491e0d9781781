import { io, type Socket } from "socket.io-client";
import { isAuthError } from "./auth";

export type ConnectionStateName = "connecting" | "connected" | "reconnecting" | "offline" | "unauthorized";

export interface ConnectionStatus {
  state: ConnectionStateName;
  /** Epoch ms of the next automatic attempt, when one is scheduled. */
  retryAt?: number;
  attempt: number;
  detail?: string;
}

export interface ConnectionHandlers {
  /** Evaluated at every (re)connection, so a reconnect resumes after the newest event seen. */
  auth: () => { token?: string; last_event_id?: number };
  onStatus: (status: ConnectionStatus) => void;
  onConnect: () => void;
  onServerEvent: (name: string, payload: unknown) => void;
  /** `usedToken`: the token the refused attempt sent, which may be older than the stored one. */
  onAuthError: (message: string, usedToken: string | undefined) => void;
}

const MAX_DELAY_MS = 30_000;
/** After this many failed attempts in a row the monitor is shown as offline rather than reconnecting. */
const OFFLINE_AFTER = 4;

/**
 * The Socket.IO connection to the page's own origin. Reconnection is scheduled here rather than by
 * the client's manager so the page can show an exact countdown and offer "retry now".
 */
export class MonitorConnection {
  readonly socket: Socket;
  private status: ConnectionStatus = { state: "connecting", attempt: 0 };
  private timer: number | undefined;
  private everConnected = false;
  private attemptToken: string | undefined;

  constructor(private readonly handlers: ConnectionHandlers) {
    this.socket = io({
      path: "/socket.io/",
      autoConnect: false,
      reconnection: false,
      auth: (cb) => {
        const auth = handlers.auth();
        this.attemptToken = auth.token;
        cb(pruneUndefined(auth));
      },
    });
    this.socket.on("connect", () => {
      this.everConnected = true;
      this.setStatus({ state: "connected", attempt: 0 });
      handlers.onConnect();
    });
    this.socket.on("disconnect", (reason) => {
      // A disconnect we asked for is followed by our own connect() call.
      if (reason === "io client disconnect") return;
      this.scheduleRetry(`disconnected: ${reason}`);
    });
    this.socket.on("connect_error", (err: Error) => {
      if (isAuthError(err.message)) {
        this.setStatus({ state: "unauthorized", attempt: this.status.attempt, detail: err.message });
        handlers.onAuthError(err.message, this.attemptToken);
        return;
      }
      this.scheduleRetry(err.message);
    });
    this.socket.onAny((name: string, payload: unknown) => handlers.onServerEvent(name, payload));
    window.addEventListener("online", () => {
      if (!this.socket.connected) this.connectNow();
    });
  }

  get current(): ConnectionStatus {
    return this.status;
  }

  start(): void {
    this.connectNow();
  }

  /** Connects at once, cancelling any scheduled retry. */
  connectNow(): void {
    window.clearTimeout(this.timer);
    this.timer = undefined;
    if (this.socket.connected) return;
    this.setStatus({ state: this.everConnected ? "reconnecting" : "connecting", attempt: this.status.attempt });
    this.socket.connect();
  }

  /** Drops the connection and opens a fresh one (new handshake, replay after the newest event). */
  restart(): void {
    this.socket.disconnect();
    this.connectNow();
  }

  async request<T>(event: string, payload: unknown, timeoutMs = 10_000): Promise<T> {
    return (await this.socket.timeout(timeoutMs).emitWithAck(event, payload)) as T;
  }

  private scheduleRetry(detail: string): void {
    window.clearTimeout(this.timer);
    const attempt = this.status.attempt + 1;
    const base = Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(attempt - 1, 5));
    const delay = Math.round(base * (0.8 + Math.random() * 0.4));
    const offline = attempt >= OFFLINE_AFTER || !navigator.onLine;
    this.setStatus({ state: offline ? "offline" : "reconnecting", attempt, retryAt: Date.now() + delay, detail });
    this.timer = window.setTimeout(() => this.connectNow(), delay);
  }

  private setStatus(status: ConnectionStatus): void {
    this.status = status;
    this.handlers.onStatus(status);
  }
}

function pruneUndefined<T extends object>(value: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
