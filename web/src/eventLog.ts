import { RingBuffer } from "./ringBuffer";
import type { MonitorEvent } from "./types";

const MAX_TYPES = 200;

/** One retained event plus what the timeline caches about it. */
export interface LoggedEvent {
  /** Arrival order, unique per page load; lets views tell which entries were evicted. */
  seq: number;
  event: MonitorEvent;
  /** Lower-cased JSON, built on first free-text search. */
  searchText?: string;
}

/**
 * The retained events: a ring buffer (oldest dropped past the cap) plus de-duplication by id, since a
 * reconnect replays events the page may already hold.
 */
export class EventLog {
  private readonly ring: RingBuffer<LoggedEvent>;
  private readonly ids = new Set<number>();
  private nextSeq = 1;
  /** Highest event id ever accepted; sent as `last_event_id` on reconnect. */
  highestId = 0;
  readonly typeCounts = new Map<string, number>();

  constructor(capacity: number) {
    this.ring = new RingBuffer<LoggedEvent>(capacity);
  }

  get length(): number {
    return this.ring.length;
  }

  /** Sequence number the next accepted event will get. */
  get seq(): number {
    return this.nextSeq;
  }

  /** Adds an event unless it is a duplicate (or older than everything retained); returns the entry or null. */
  add(event: MonitorEvent): LoggedEvent | null {
    const id = typeof event.id === "number" ? event.id : undefined;
    if (id !== undefined) {
      if (this.ids.has(id)) return null;
      const oldest = this.ring.at(0);
      if (this.ring.length === this.ring.capacity && oldest && id < oldest.event.id) return null;
      this.ids.add(id);
      if (id > this.highestId) this.highestId = id;
    }
    const entry: LoggedEvent = { seq: this.nextSeq++, event };
    const evicted = this.ring.push(entry);
    if (evicted && typeof evicted.event.id === "number") this.ids.delete(evicted.event.id);
    // Custom event names are open-ended: past a limit, new names are retained but not tallied,
    // so a flood of distinct names cannot grow the filter menu or this map without bound.
    const count = this.typeCounts.get(event.type);
    if (count !== undefined) this.typeCounts.set(event.type, count + 1);
    else if (this.typeCounts.size < MAX_TYPES) this.typeCounts.set(event.type, 1);
    return entry;
  }

  /** The i-th retained entry, oldest first. */
  at(index: number): LoggedEvent | undefined {
    return this.ring.at(index);
  }

  /** Sequence number of the oldest retained entry (entries below it are gone). */
  oldestSeq(): number {
    return this.ring.at(0)?.seq ?? this.nextSeq;
  }

  /** Remembers an id the server reported (e.g. `last_event_id`) so a reconnect resumes after it. */
  noteServerId(id: number | undefined): void {
    if (typeof id === "number" && id > this.highestId) this.highestId = id;
  }
}
