// Shapes of what the monitor sends (CONTRACT sections 4 and 6). Every field beyond the envelope is
// optional here because the dashboard must survive partial or older payloads without crashing.

export interface MonitorEvent {
  id: number;
  type: string;
  timestamp: string;
  host?: string;
  session_id?: string;
  agent?: string;
  [key: string]: unknown;
}

export interface AgentInfo {
  name: string;
  status?: string;
  invocations?: number;
  last_seen?: string;
  description?: string;
  current_task?: string;
}

export interface SessionInfo {
  session_id: string;
  status?: string;
  token_usage?: number;
  context_percentage?: number;
  agents?: string[];
  model?: string;
  started_at?: string;
  last_seen?: string;
  input_tokens?: number;
  output_tokens?: number;
  cache_read_tokens?: number;
  cache_creation_tokens?: number;
}

export interface ContainerSample {
  id: string;
  name?: string;
  image?: string;
  status?: string;
  cpu_percent?: number;
  memory_usage?: number;
  memory_limit?: number;
  memory_percent?: number;
  network?: { rx_bytes?: number; tx_bytes?: number };
  block_read?: number;
  block_write?: number;
  pids?: number;
}

export interface ContainersPayload {
  containers?: ContainerSample[];
  docker?: string;
  timestamp?: string;
}

export interface NetworkInterfaceSample {
  name: string;
  bytes_sent?: number;
  bytes_recv?: number;
}

export interface ProcessSample {
  name?: string;
  pid?: number;
  cpu?: number;
  mem?: number;
}

export interface SystemPayload {
  timestamp?: string;
  cpu_percent?: number;
  memory_used?: number;
  memory_total?: number;
  disk_used?: number;
  disk_total?: number;
  uptime?: number;
  load_avg?: { "1m"?: number; "5m"?: number; "15m"?: number };
  network?: NetworkInterfaceSample[];
  top_processes?: ProcessSample[];
}

export interface StateReply {
  server?: Record<string, unknown>;
  agents?: AgentInfo[];
  sessions?: SessionInfo[];
  recent_events?: MonitorEvent[];
  containers?: ContainersPayload | null;
  system?: SystemPayload | null;
  subscribed?: string[];
  except?: string[];
  last_event_id?: number;
  error?: { code: string; message: string };
}

export interface SubscribeReply {
  subscribed?: string[];
  except?: string[];
  error?: { code: string; message: string };
}

/** The event names the monitor itself produces; anything else is a custom event. */
export const KNOWN_EVENT_TYPES = [
  "agent_activity",
  "file_operation",
  "session_update",
  "container_stats",
  "container_event",
  "system_stats",
  "claude_hook",
] as const;

export function isMonitorEvent(value: unknown): value is MonitorEvent {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === "string" && (typeof v.id === "number" || v.id === undefined);
}
