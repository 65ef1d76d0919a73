import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { z } from "zod";
import { CHANGE_KINDS } from "../sources/mlflow/changes.js";
import type { BusHandlers, BusMessage, EventBus } from "./bus.js";
import { EVENT_ORIGINS } from "./event.js";

/** A message larger than this is not ours: dropped unread. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/** Redis calls (publish, the leader lock) give up after this. */
const COMMAND_TIMEOUT_MS = 2_000;

const text = z.string().max(10_000);
const eventSchema = z.object({
  id: z.string().max(100),
  at: z.number(),
  origin: z.enum(EVENT_ORIGINS),
  project: z.string().max(100),
  model: text,
  kind: z.enum(CHANGE_KINDS),
  version: z.number().int().nullable(),
  alias: text.optional(),
  tagKey: text.optional(),
  tagValue: text.optional(),
  stage: text.optional(),
});
const messageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("events"), events: z.array(eventSchema).max(1000) }),
  z.object({ type: z.literal("hello") }),
  z.object({
    type: z.literal("heartbeat"),
    heartbeat: z.object({
      project: z.string().max(100),
      liveForMs: z.number().min(0).max(3_600_000),
      fresh: z.boolean(),
      startedAgoMs: z.number().min(0).max(3_600_000),
    }),
  }),
]);

// Renews the lock only while this replica still holds it.
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Events and heartbeats over Redis pub/sub, so every replica hears every change; and the
 * probe leader's lock, so one replica probes each project. Pub/sub delivers at most once:
 * when the subscriber connection drops, what was published meanwhile is lost, which the hub
 * is told (`gap`) so caches stop counting on events until the next probe.
 */
export class RedisBus implements EventBus {
  readonly kind = "redis";
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  /** This replica, as the value of the locks it holds. */
  private readonly id = randomUUID();
  private subscribed = false;

  constructor(
    url: string,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {
    const options = {
      commandTimeout: COMMAND_TIMEOUT_MS,
      // Commands fail at once while disconnected, instead of queueing without bound.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
      lazyConnect: true,
    };
    this.publisher = new Redis(url, options);
    this.subscriber = new Redis(url, { ...options, commandTimeout: undefined });
    for (const connection of [this.publisher, this.subscriber]) {
      // Logged once an outage (ioredis retries every 2 s), and again when it ends.
      let down = false;
      connection.on("error", (error: Error) => {
        if (!down) this.logger.warn({ err: error }, "events: Redis unreachable; retrying");
        down = true;
      });
      connection.on("ready", () => {
        if (down) this.logger.info("events: Redis reachable again");
        down = false;
      });
    }
  }

  connected(): boolean {
    return this.subscribed && this.publisher.status === "ready";
  }

  async start(handlers: BusHandlers): Promise<void> {
    this.subscriber.on("messageBuffer", (_channel: Buffer, body: Buffer) => {
      const message = this.parse(body);
      if (message) handlers.message(message);
    });
    this.subscriber.on("ready", () => {
      // ioredis subscribes again on reconnect; whatever was published in between is lost.
      if (!this.subscribed) return;
      handlers.gap();
      handlers.joined();
    });
    this.subscriber.on("close", () => {
      if (this.subscribed) handlers.gap();
    });
    // Neither connection is needed to serve: started in the background, retried for ever.
    this.publisher.connect().catch(() => undefined);
    this.subscriber
      .connect()
      .then(() => this.subscriber.subscribe(this.channel))
      .then(() => {
        this.subscribed = true;
        this.logger.info({ channel: this.channel }, "events: subscribed on Redis");
        handlers.joined();
      })
      .catch((error: unknown) =>
        this.logger.warn({ err: error }, "events: cannot subscribe on Redis yet; retrying"),
      );
    return Promise.resolve();
  }

  async publish(message: BusMessage): Promise<void> {
    await this.publisher.publish(this.channel, JSON.stringify(message));
  }

  async leads(project: string, forMs: number): Promise<boolean> {
    const key = `${this.channel}:probe:${project}`;
    try {
      const taken = await this.publisher.set(key, this.id, "PX", forMs, "NX");
      if (taken === "OK") return true;
      return (await this.publisher.eval(RENEW, 1, key, this.id, forMs)) === 1;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    this.subscribed = false;
    this.subscriber.disconnect();
    this.publisher.disconnect();
    return Promise.resolve();
  }

  private parse(body: Buffer): BusMessage | undefined {
    if (body.length > MAX_MESSAGE_BYTES) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(body.toString("utf8"));
    } catch {
      value = undefined;
    }
    const parsed = messageSchema.safeParse(value);
    if (parsed.success) return parsed.data as BusMessage;
    this.logger.warn("events: dropped a message on the Redis channel that is not the gateway's");
    return undefined;
  }
}
