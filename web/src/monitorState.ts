import { RingBuffer } from "./ringBuffer";
import { parseTime } from "./format";
import type {
  AgentInfo,
  ContainerSample,
  ContainersPayload,
  MonitorEvent,
  SessionInfo,
  StateReply,
  SystemPayload,
} from "./types";

export const HISTORY_POINTS = 120;
/** The monitor's own rule for an agent's status (Core MonitorState), so the live view agrees with /agents and get_state. */
export const ACTIVE_WINDOW_MS = 5 * 60_000;
export const OPEN_INVOCATION_WINDOW_MS = 60 * 60_000;
const MAX_FILES = 1000;
const MAX_CONTAINERS = 60;
const MAX_AGENTS = 500;
const MAX_SESSIONS = 500;

export type ViewName = "agents" | "sessions" | "files" | "containers" | "host";

export interface AgentView extends AgentInfo {
  name: string;
  status: string;
  invocations: number;
  /** Invocations not yet completed, failed or stopped. */
  open: number;
  task?: string;
  lastAction?: string;
}

export interface SessionView extends SessionInfo {
  agents: string[];
}

export interface FileView {
  path: string;
  operation: string;
  agent?: string;
  size?: number;
  count: number;
  lastSeen: string;
  sessionId?: string;
}

export interface LifecycleEntry {
  action: string;
  timestamp: string;
}

export interface ContainerView {
  id: string;
  name: string;
  image: string;
  status: string;
  /** False when the latest stats no longer list it (stopped or removed). */
  present: boolean;
  latest?: ContainerSample;
  cpu: RingBuffer<number>;
  memory: RingBuffer<number>;
  lifecycle: RingBuffer<LifecycleEntry>;
}

export interface NetworkRate {
  name: string;
  sentPerSecond: number;
  recvPerSecond: number;
  /** Loopback traffic never leaves the host: listed, but not in the host's total. */
  loopback?: true;
}

export interface HostView {
  latest?: SystemPayload;
  cpu: RingBuffer<number>;
  memory: RingBuffer<number>;
  rates: NetworkRate[];
  totalSent: RingBuffer<number>;
  totalRecv: RingBuffer<number>;
}

/** Projections of the event stream that the views render: agents, sessions, files, containers, host. */
export class MonitorState {
  readonly agents = new Map<string, AgentView>();
  readonly sessions = new Map<string, SessionView>();
  /** Least recently touched first (re-inserted on update), so eviction drops the stalest file. */
  readonly files = new Map<string, FileView>();
  readonly containers = new Map<string, ContainerView>();
  dockerStatus: string | undefined;
  readonly host: HostView = {
    cpu: new RingBuffer<number>(HISTORY_POINTS),
    memory: new RingBuffer<number>(HISTORY_POINTS),
    rates: [],
    totalSent: new RingBuffer<number>(HISTORY_POINTS),
    totalRecv: new RingBuffer<number>(HISTORY_POINTS),
  };
  server: Record<string, unknown> = {};
  readonly dirty = new Set<ViewName>();
  /** Events at or below this id were already counted in the last snapshot. */
  private watermark = 0;
  private lastSystemTime: number | undefined;
  private lastNetwork = new Map<string, { sent: number; recv: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Agents go idle with time alone (five quiet minutes, or an hour with an invocation still open), as
   * the monitor decides; call this every second or so. Marks the agents view dirty when one changed.
   */
  refreshAgentStatuses(): void {
    const now = this.now();
    for (const agent of this.agents.values()) {
      const status = agentStatus(agent, now);
      if (status !== agent.status) {
        agent.status = status;
        this.dirty.add("agents");
      }
    }
  }

  applySnapshot(reply: StateReply): void {
    if (reply.server && typeof reply.server === "object") this.server = reply.server;
    if (Array.isArray(reply.agents)) {
      for (const a of reply.agents) {
        if (!a || typeof a.name !== "string") continue;
        const existing = this.agents.get(a.name);
        const status = a.status ?? existing?.status ?? "idle";
        // The monitor says "active" past the quiet window only while an invocation is open.
        const quiet = (parseTime(a.last_seen) ?? 0) < this.now() - ACTIVE_WINDOW_MS;
        const open = status !== "active" ? 0 : quiet ? Math.max(1, existing?.open ?? 0) : existing?.open ?? 0;
        this.agents.set(a.name, {
          ...existing,
          ...a,
          status,
          open,
          invocations: typeof a.invocations === "number" ? a.invocations : existing?.invocations ?? 0,
          task: a.current_task ?? a.description ?? existing?.task,
        });
      }
      this.dirty.add("agents");
    }
    if (Array.isArray(reply.sessions)) {
      for (const s of reply.sessions) {
        if (!s || typeof s.session_id !== "string") continue;
        const existing = this.sessions.get(s.session_id);
        this.sessions.set(s.session_id, {
          ...existing,
          ...s,
          agents: Array.isArray(s.agents) ? [...s.agents] : existing?.agents ?? [],
        });
      }
      this.dirty.add("sessions");
    }
    if (reply.containers && typeof reply.containers === "object") this.applyContainerStats(reply.containers, false);
    // The monitor's latest sample is also the newest system_stats among the recent events, when
    // they hold one; taking it twice would add a zero-length interval (a false 0 B/s) to the history.
    if (reply.system && typeof reply.system === "object" && !this.host.latest) this.applySystemStats(reply.system);
    if (typeof reply.last_event_id === "number") this.watermark = Math.max(this.watermark, reply.last_event_id);
  }

  apply(e: MonitorEvent): void {
    switch (e.type) {
      case "agent_activity":
        this.applyAgentActivity(e);
        break;
      case "file_operation":
        this.applyFileOperation(e);
        break;
      case "session_update":
        this.applySessionUpdate(e);
        break;
      case "container_stats":
        this.applyContainerStats(e as unknown as ContainersPayload, true);
        break;
      case "container_event":
        this.applyContainerEvent(e);
        break;
      case "system_stats":
        this.applySystemStats(e as unknown as SystemPayload);
        break;
      default:
        if (e.agent) this.touchAgent(String(e.agent), e.timestamp);
    }
    if (e.session_id) this.touchSession(String(e.session_id), e.timestamp, typeof e.agent === "string" ? e.agent : undefined);
  }

  private touchAgent(name: string, timestamp: string): AgentView {
    let agent = this.agents.get(name);
    if (!agent) {
      agent = { name, status: "idle", invocations: 0, open: 0 };
      this.agents.set(name, agent);
      evictOldest(this.agents, MAX_AGENTS);
    }
    if (isNewer(timestamp, agent.last_seen)) agent.last_seen = timestamp;
    agent.status = agentStatus(agent, this.now());
    this.dirty.add("agents");
    return agent;
  }

  private touchSession(id: string, timestamp: string, agent: string | undefined): SessionView {
    let session = this.sessions.get(id);
    if (!session) {
      session = { session_id: id, status: "active", agents: [], started_at: timestamp };
      this.sessions.set(id, session);
      evictOldest(this.sessions, MAX_SESSIONS);
    }
    if (isNewer(timestamp, session.last_seen)) session.last_seen = timestamp;
    if (agent && !session.agents.includes(agent)) session.agents.push(agent);
    this.dirty.add("sessions");
    return session;
  }

  private applyAgentActivity(e: MonitorEvent): void {
    if (typeof e.agent !== "string" || !e.agent) return;
    const action = typeof e.action === "string" ? e.action : "";
    const agent = this.agents.get(e.agent) ?? this.touchAgent(e.agent, e.timestamp);
    // As the monitor counts: a prompt is an invocation of the main agent, but only `invoked` stays
    // open until its completed/failed/stopped.
    const counted = e.id > this.watermark;
    if (action === "invoked") {
      if (counted) agent.invocations++;
      agent.open++;
    } else if (action === "prompt") {
      if (counted) agent.invocations++;
    } else if (action === "completed" || action === "failed" || action === "stopped") {
      agent.open = Math.max(0, agent.open - 1);
    }
    const latest = isNewer(e.timestamp, agent.last_seen);
    this.touchAgent(e.agent, e.timestamp);
    if (!latest) return;
    agent.lastAction = action;
    if ((action === "invoked" || action === "prompt") && typeof e.description === "string") agent.task = e.description;
  }

  private applyFileOperation(e: MonitorEvent): void {
    if (typeof e.file !== "string" || !e.file) return;
    const existing = this.files.get(e.file);
    if (existing) this.files.delete(e.file);
    const agent = typeof e.agent === "string" ? e.agent : undefined;
    const newer = !existing || isNewer(e.timestamp, existing.lastSeen) || e.timestamp === existing.lastSeen;
    const file: FileView = newer
      ? {
          path: e.file,
          operation: typeof e.operation === "string" ? e.operation : "?",
          agent: agent ?? existing?.agent,
          size: typeof e.size === "number" ? e.size : existing?.size,
          count: (existing?.count ?? 0) + 1,
          lastSeen: e.timestamp,
          sessionId: typeof e.session_id === "string" ? e.session_id : existing?.sessionId,
        }
      : { ...existing, count: existing.count + 1 };
    this.files.set(e.file, file);
    evictOldest(this.files, MAX_FILES);
    if (agent) this.touchAgent(agent, e.timestamp);
    this.dirty.add("files");
  }

  private applySessionUpdate(e: MonitorEvent): void {
    if (typeof e.session_id !== "string" || !e.session_id) return;
    const session = this.touchSession(e.session_id, e.timestamp, undefined);
    const numeric = ["token_usage", "context_percentage", "input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens"] as const;
    for (const key of numeric) {
      const v = e[key];
      if (typeof v === "number" && Number.isFinite(v)) session[key] = v;
    }
    if (typeof e.status === "string") session.status = e.status;
    if (typeof e.model === "string") session.model = e.model;
  }

  private applyContainerStats(payload: ContainersPayload, addHistory: boolean): void {
    if (typeof payload.docker === "string") this.dockerStatus = payload.docker;
    if (!Array.isArray(payload.containers)) return;
    // While the monitor's own Docker link is off or down its snapshot lists no containers, which says
    // nothing about the ones other sources reported (container_stats posted to /api/events).
    if (payload.docker !== undefined && payload.docker !== "healthy" && payload.containers.length === 0) {
      this.dirty.add("containers");
      return;
    }
    if (payload.containers.length > 0 && payload.docker === undefined) this.dockerStatus = "healthy";
    const seen = new Set<string>();
    for (const sample of payload.containers) {
      if (!sample || typeof sample.id !== "string") continue;
      seen.add(sample.id);
      const c = this.container(sample.id, sample.name, sample.image);
      c.present = true;
      c.latest = sample;
      if (sample.status) c.status = sample.status;
      if (addHistory || c.cpu.length === 0) {
        c.cpu.push(finite(sample.cpu_percent));
        c.memory.push(finite(sample.memory_usage));
      }
    }
    for (const c of this.containers.values()) if (!seen.has(c.id)) c.present = false;
    this.dirty.add("containers");
  }

  private applyContainerEvent(e: MonitorEvent): void {
    const info = (e.container ?? {}) as { id?: unknown; name?: unknown; image?: unknown };
    if (typeof info.id !== "string") return;
    const c = this.container(info.id, typeof info.name === "string" ? info.name : undefined, typeof info.image === "string" ? info.image : undefined);
    const action = typeof e.action === "string" ? e.action : "?";
    c.lifecycle.push({ action, timestamp: e.timestamp });
    const status = LIFECYCLE_STATUS[action];
    if (status) {
      c.status = status;
      if (status !== "running") c.present = false;
    }
    this.dirty.add("containers");
  }

  private container(id: string, name?: string, image?: string): ContainerView {
    let c = this.containers.get(id);
    if (!c) {
      c = {
        id,
        name: name ?? id.slice(0, 12),
        image: image ?? "",
        status: "unknown",
        present: true,
        cpu: new RingBuffer<number>(HISTORY_POINTS),
        memory: new RingBuffer<number>(HISTORY_POINTS),
        lifecycle: new RingBuffer<LifecycleEntry>(10),
      };
      this.containers.set(id, c);
      if (this.containers.size > MAX_CONTAINERS) {
        for (const [key, value] of this.containers) {
          if (!value.present) {
            this.containers.delete(key);
            break;
          }
        }
        evictOldest(this.containers, MAX_CONTAINERS);
      }
    }
    if (name) c.name = name.replace(/^\//, "");
    if (image) c.image = image;
    return c;
  }

  private applySystemStats(s: SystemPayload): void {
    const host = this.host;
    host.latest = s;
    host.cpu.push(finite(s.cpu_percent));
    host.memory.push(s.memory_total ? (finite(s.memory_used) / s.memory_total) * 100 : 0);
    const time = parseTime(s.timestamp) ?? Date.now();
    if (Array.isArray(s.network)) {
      const previousTime = this.lastSystemTime;
      const seconds = previousTime === undefined ? 0 : (time - previousTime) / 1000;
      const rates: NetworkRate[] = [];
      const current = new Map<string, { sent: number; recv: number }>();
      for (const nic of s.network) {
        if (!nic || typeof nic.name !== "string") continue;
        const sent = finite(nic.bytes_sent);
        const recv = finite(nic.bytes_recv);
        current.set(nic.name, { sent, recv });
        const before = this.lastNetwork.get(nic.name);
        // A counter that went backwards was reset (interface re-created): no rate for that interval.
        // An interface that never carried a byte (ifb0, a down bridge) is not worth a line.
        if (before && seconds > 0 && sent >= before.sent && recv >= before.recv && sent + recv > 0) {
          const rate: NetworkRate = { name: nic.name, sentPerSecond: (sent - before.sent) / seconds, recvPerSecond: (recv - before.recv) / seconds };
          if (isLoopback(nic.name)) rate.loopback = true;
          rates.push(rate);
        }
      }
      this.lastNetwork = current;
      this.lastSystemTime = time;
      if (rates.length > 0) {
        rates.sort((a, b) => Number(!!a.loopback) - Number(!!b.loopback));
        host.rates = rates;
        const external = rates.filter((r) => !r.loopback);
        host.totalSent.push(external.reduce((sum, r) => sum + r.sentPerSecond, 0));
        host.totalRecv.push(external.reduce((sum, r) => sum + r.recvPerSecond, 0));
      }
    }
    this.dirty.add("host");
  }
}

const LIFECYCLE_STATUS: Record<string, string> = {
  start: "running",
  restart: "running",
  unpause: "running",
  pause: "paused",
  stop: "exited",
  die: "exited",
  kill: "exited",
  oom: "exited",
  destroy: "removed",
};

/** Linux `lo`, BSD/macOS `lo0`, Windows "Loopback Pseudo-Interface 1". */
function isLoopback(name: string): boolean {
  return /^lo\d*$/.test(name) || /loopback/i.test(name);
}

function agentStatus(agent: AgentView, now: number): "active" | "idle" {
  const seen = parseTime(agent.last_seen);
  if (seen === undefined) return "idle";
  const quiet = now - seen;
  return quiet <= ACTIVE_WINDOW_MS || (agent.open > 0 && quiet <= OPEN_INVOCATION_WINDOW_MS) ? "active" : "idle";
}

function finite(value: number | undefined): number {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

function isNewer(candidate: string, current: string | undefined): boolean {
  const c = parseTime(candidate);
  const p = parseTime(current);
  return c !== undefined && (p === undefined || c >= p);
}

function evictOldest<K, V>(map: Map<K, V>, max: number): void {
  while (map.size > max) {
    const first = map.keys().next();
    if (first.done) return;
    map.delete(first.value);
  }
}
