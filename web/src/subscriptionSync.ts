import type { MonitorConnection } from "./connection";
import { replyMatches, type SubscriptionChoice } from "./subscriptions";
import type { SubscribeReply } from "./types";

/**
 * Tells the server which events to send. A new connection starts subscribed to everything, so the
 * choice is re-sent after every (re)connection; changes are sent as the smallest subscribe/unsubscribe.
 */
export class SubscriptionSync {
  constructor(
    private readonly connection: MonitorConnection,
    private readonly onReply: (reply: SubscribeReply, matches: boolean) => void,
  ) {}

  async applyOnConnect(choice: SubscriptionChoice): Promise<void> {
    let reply: SubscribeReply;
    if (choice.all) {
      reply = await this.send("subscribe", ["*"]);
      if (choice.except.length && !reply.error) reply = await this.send("unsubscribe", choice.except);
    } else {
      reply = await this.send("subscribe", choice.only);
    }
    this.onReply(reply, replyMatches(choice, reply));
  }

  async change(previous: SubscriptionChoice, next: SubscriptionChoice): Promise<void> {
    if (!this.connection.socket.connected) return;
    let reply: SubscribeReply | undefined;
    if (previous.all && next.all) {
      reply = await this.sendIfAny("subscribe", minus(previous.except, next.except), reply);
      reply = await this.sendIfAny("unsubscribe", minus(next.except, previous.except), reply);
    } else if (!previous.all && !next.all) {
      reply = await this.sendIfAny("subscribe", minus(next.only, previous.only), reply);
      reply = await this.sendIfAny("unsubscribe", minus(previous.only, next.only), reply);
    } else if (next.all) {
      reply = await this.send("subscribe", ["*"]);
    } else {
      reply = await this.send("unsubscribe", ["*"]);
      reply = await this.sendIfAny("subscribe", next.only, reply);
    }
    if (!reply) return;
    const matches = replyMatches(next, reply);
    // The protocol has no "replace the set" message; when the increments cannot express the new
    // choice, a fresh connection (subscribed to everything) gets it applied from scratch.
    if (!matches && !reply.error) this.connection.restart();
    else this.onReply(reply, matches);
  }

  private async sendIfAny(
    event: "subscribe" | "unsubscribe",
    names: string[],
    previous: SubscribeReply | undefined,
  ): Promise<SubscribeReply | undefined> {
    return names.length ? this.send(event, names) : previous;
  }

  private async send(event: "subscribe" | "unsubscribe", names: string[]): Promise<SubscribeReply> {
    try {
      return await this.connection.request<SubscribeReply>(event, { events: names });
    } catch (err) {
      return { error: { code: "no_reply", message: `${event} got no reply: ${(err as Error).message}` } };
    }
  }
}

function minus(a: readonly string[], b: readonly string[]): string[] {
  return a.filter((x) => !b.includes(x));
}
