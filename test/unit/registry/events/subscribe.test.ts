import { afterAll, describe, expect, it } from "@jest/globals";
import type { GraphQLError } from "graphql";
import type { RegistryEvent } from "../../../../src/events/event.js";
import type { Caller, Grant } from "../../../../src/registry/access/caller.js";
import { StorageHints } from "../../../../src/registry/artifacts/storage-hints.js";
import type { EventFeed } from "../../../../src/registry/events/event-feed.js";
import { MAX_FILTER_ITEMS } from "../../../../src/registry/events/event-filter.js";
import { registryForRequest } from "../../../../src/registry/for-request.js";
import { UpstreamCalls } from "../../../../src/sources/calls.js";
import type { ChangeKind } from "../../../../src/sources/mlflow/changes.js";
import { Upstreams } from "../../../../src/sources/upstreams.js";
import { testConfig } from "../../server/limits/check.js";

// Projects p0, p1, p2; nothing listens on their MLflow URL, and no test here may need it.
const config = testConfig(3);
const upstreams = Upstreams.fromConfig(config);
afterAll(() => upstreams.close());

/** A feed as the server makes one, over listeners held here, recording drops. */
function fakeFeed(maxQueued = 10) {
  const listeners = new Set<(event: RegistryEvent) => void>();
  const dropped: string[] = [];
  let lag: string | null = null;
  const feed: EventFeed = {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    maxQueued,
    lagging: () => lag,
    drop: (reason) => dropped.push(reason),
  };
  const emit = (event: Partial<RegistryEvent>) => {
    const full: RegistryEvent = {
      id: String(Math.random()),
      at: Date.now(),
      origin: "GATEWAY",
      project: "p0",
      model: "m",
      kind: "TAG_SET",
      version: null,
      ...event,
    };
    for (const listener of [...listeners]) listener(full);
  };
  return { feed, listeners, dropped, emit, setLag: (value: string | null) => (lag = value) };
}

const caller = (...grants: Grant[]): Caller => ({ subject: "someone", via: "token", grants });
const everything = caller({ project: "*", role: "reader" });

function registryOf(who: Caller, feed: EventFeed | null) {
  const calls = new UpstreamCalls({ maxCalls: 0 });
  return {
    registry: registryForRequest(config, upstreams, calls, new StorageHints(), who, feed),
    calls,
  };
}

/** Reads every event as it comes, into the array returned; `await tick()` to see the latest. */
function collect(events: AsyncIterableIterator<RegistryEvent>): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const event of events) seen.push(`${event.project}/${event.model}/${event.kind}`);
  })();
  return seen;
}
const tick = () => new Promise((resolve) => setImmediate(resolve));

const thrown = (work: () => unknown): GraphQLError => {
  try {
    work();
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error("nothing was thrown");
};

describe("subscribing to registry events", () => {
  it("delivers only what every filter asks for (ANDed), all when a list is absent or empty", async () => {
    const { feed, emit } = fakeFeed();
    const { registry } = registryOf(everything, feed);
    const all = collect(registry.events.subscribe({ projects: [], models: null }));
    const filtered = collect(
      registry.events.subscribe({
        projects: ["p0", "p1"],
        models: ["a", "b"],
        kinds: ["ALIAS_SET", "TAG_SET"] as ChangeKind[],
      }),
    );
    emit({ project: "p0", model: "a", kind: "ALIAS_SET" });
    emit({ project: "p2", model: "a", kind: "ALIAS_SET" }); // project not asked for
    emit({ project: "p1", model: "c", kind: "TAG_SET" }); // model not asked for
    emit({ project: "p1", model: "b", kind: "VERSION_CREATED" }); // kind not asked for
    emit({ project: "p1", model: "b", kind: "TAG_SET" });
    await tick();
    expect(filtered).toEqual(["p0/a/ALIAS_SET", "p1/b/TAG_SET"]);
    expect(all).toHaveLength(5);
  });

  it("never delivers a project the caller may not read, nor a model its patterns hide", async () => {
    const { feed, emit } = fakeFeed();
    const narrowed = caller(
      { project: "p0", role: "reader" },
      { project: "p1", role: "reader", models: ["fraud-*"] },
    );
    const events = collect(registryOf(narrowed, feed).registry.events.subscribe({}));
    emit({ project: "p0", model: "anything" });
    emit({ project: "p1", model: "fraud-detector" });
    emit({ project: "p1", model: "churn" }); // hidden by the pattern
    emit({ project: "p2", model: "fraud-detector" }); // no grant on p2
    emit({ project: "elsewhere", model: "fraud-detector" }); // not configured
    // Naming a hidden model does not reveal it either.
    const byName = collect(
      registryOf(narrowed, feed).registry.events.subscribe({ models: ["churn"] }),
    );
    emit({ project: "p1", model: "churn" });
    await tick();
    expect(events).toEqual(["p0/anything/TAG_SET", "p1/fraud-detector/TAG_SET"]);
    expect(byName).toEqual([]);
  });

  it("refuses a project the caller may not read as queries do: NOT_FOUND, as for one not configured", () => {
    const { feed, listeners } = fakeFeed();
    const { registry, calls } = registryOf(caller({ project: "p0", role: "reader" }), feed);
    const hidden = thrown(() => registry.events.subscribe({ projects: ["p0", "p1"] }));
    const missing = thrown(() => registry.events.subscribe({ projects: ["nowhere"] }));
    expect(hidden.extensions).toEqual({ code: "NOT_FOUND", project: "p1" });
    expect(hidden.message).toBe('unknown project "p1"');
    expect(missing.message).toBe('unknown project "nowhere"');
    expect(listeners.size).toBe(0);
    expect(calls.toJSON().total).toBe(0);
  });

  it("refuses a filter list over its bound", () => {
    const { feed, listeners } = fakeFeed();
    const { registry } = registryOf(everything, feed);
    const models = Array.from({ length: MAX_FILTER_ITEMS + 1 }, (_, i) => `m${i}`);
    const error = thrown(() => registry.events.subscribe({ models }));
    expect(error.extensions).toMatchObject({ code: "BAD_USER_INPUT", argument: "models" });
    expect(listeners.size).toBe(0);
  });

  it("says EVENTS_DISABLED when there are no events to subscribe to", () => {
    const { registry } = registryOf(everything, null);
    expect(thrown(() => registry.events.subscribe({})).extensions.code).toBe("EVENTS_DISABLED");
  });

  it("drops a subscriber whose queue fills, holding nothing after, and removes its listener", async () => {
    const { feed, emit, listeners, dropped } = fakeFeed(3);
    const slow = registryOf(everything, feed).registry.events.subscribe({});
    const fastEvents = registryOf(everything, feed).registry.events.subscribe({});
    const fast = collect(fastEvents);
    for (let i = 0; i < 3; i++) {
      emit({ model: `m${i}` });
      await tick();
    }
    expect(dropped).toEqual([]);
    emit({ model: "m3" }); // the slow one's fourth: over its 3
    expect(dropped).toEqual(["3 events queued and not read"]);
    expect(listeners.size).toBe(1); // the fast one's
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    await tick();
    expect(fast).toHaveLength(4);
    await fastEvents.return!();
    expect(listeners.size).toBe(0);
  });

  it("drops a subscriber whose connection says it lags, with its reason", async () => {
    const { feed, emit, listeners, dropped, setLag } = fakeFeed();
    const events = registryOf(everything, feed).registry.events.subscribe({});
    emit({});
    setLag("2000000 bytes unsent");
    emit({});
    expect(dropped).toEqual(["2000000 bytes unsent"]);
    expect(listeners.size).toBe(0);
    expect(await events.next()).toEqual({ value: undefined, done: true });
  });
});
