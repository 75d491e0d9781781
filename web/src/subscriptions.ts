import { readSetting, writeSetting } from "./settings";
import type { SubscribeReply } from "./types";

const KEY = "mpm.monitor.subscription";

/** What the user chose to see: everything except some names, or only some names. */
export type SubscriptionChoice = { all: true; except: string[] } | { all: false; only: string[] };

export const DEFAULT_CHOICE: SubscriptionChoice = { all: true, except: [] };

export function loadChoice(): SubscriptionChoice {
  const raw = readSetting(KEY);
  if (!raw) return DEFAULT_CHOICE;
  try {
    const v = JSON.parse(raw) as { all?: unknown; except?: unknown; only?: unknown };
    if (v.all === true && isNameList(v.except)) return { all: true, except: v.except };
    if (v.all === false && isNameList(v.only)) return { all: false, only: v.only };
  } catch {
    // A corrupt value falls back to the default below.
  }
  return DEFAULT_CHOICE;
}

export function saveChoice(choice: SubscriptionChoice): void {
  writeSetting(KEY, JSON.stringify(choice));
}

export function isShown(choice: SubscriptionChoice, type: string): boolean {
  return choice.all ? !choice.except.includes(type) : choice.only.includes(type);
}

export function withType(choice: SubscriptionChoice, type: string, shown: boolean): SubscriptionChoice {
  if (choice.all) {
    const except = choice.except.filter((t) => t !== type);
    return { all: true, except: shown ? except : [...except, type] };
  }
  const only = choice.only.filter((t) => t !== type);
  return { all: false, only: shown ? [...only, type] : only };
}

export function withAll(choice: SubscriptionChoice, all: boolean, knownTypes: readonly string[]): SubscriptionChoice {
  if (all) return { all: true, except: [] };
  // Leaving "all" keeps the known names that were shown, and stops unknown (custom) ones.
  return { all: false, only: knownTypes.filter((t) => isShown(choice, t)) };
}

/** Describes the server's reply for the picker, e.g. "* except file_operation". */
export function describeReply(reply: SubscribeReply): string {
  const set = reply.subscribed ?? [];
  const base = set.includes("*") ? "all events" : set.length ? set.join(", ") : "nothing";
  return reply.except?.length ? `${base} except ${reply.except.join(", ")}` : base;
}

/** Does the server's reply describe exactly the chosen set? */
export function replyMatches(choice: SubscriptionChoice, reply: SubscribeReply): boolean {
  const set = new Set(reply.subscribed ?? []);
  if (choice.all) {
    const except = new Set(reply.except ?? []);
    return set.has("*") && except.size === choice.except.length && choice.except.every((t) => except.has(t));
  }
  return !set.has("*") && set.size === choice.only.length && choice.only.every((t) => set.has(t));
}

function isNameList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}
