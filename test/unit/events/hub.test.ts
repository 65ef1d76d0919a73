import { describe, expect, it } from "@jest/globals";
import { pino } from "pino";
import { EventHub } from "../../../src/events/hub.js";
import { MemoryBus } from "../../../src/events/memory-bus.js";
import type { RegistryEvent } from "../../../src/events/event.js";
import type { ChangeScope } from "../../../src/sources/mlflow/changes.js";
import { Freshness } from "../../../src/sources/freshness.js";
import type { Upstreams } from "../../../src/sources/upstreams.js";

/** Upstreams of two projects whose transports record what they were told to forget. */
function fakeUpstreams() {
  const invalidated: Record<string, ChangeScope[][]> = { a: [], b: [] };
  const freshness = { a: new Freshness(), b: new Freshness() };
  const upstreams = {
    projects: [{ name: "a" }, { name: "b" }],
    hasProject: (name: string) => name in invalidated,
    mlflow: (name: "a" | "b") => ({
      freshness: freshness[name],
      invalidate: (scopes: ChangeScope[]) => invalidated[name]!.push(scopes),
      onChange: () => () => undefined,
    }),
  } as unknown as Upstreams;
  return { upstreams, invalidated, freshness };
}

async function hub() {
  const fake = fakeUpstreams();
  const bus = new MemoryBus();
  const events = new EventHub(
    bus,
    fake.upstreams,
    { dedupeWindowMs: 60_000 },
    pino({ level: "silent" }),
  );
  await events.start();
  const heard: RegistryEvent[] = [];
  events.listen((e) => heard.push(e));
  return { ...fake, events, heard };
}

describe("EventHub", () => {
  it("drops stale reads of the project changed, and delivers each change once", async () => {
    const { events, heard, invalidated } = await hub();
    const alias = {
      project: "a",
      model: "m",
      kind: "ALIAS_SET",
      version: 3,
      alias: "champion",
    } as const;
    await events.publish([alias], "GATEWAY");
    await events.publish([alias], "WEBHOOK"); // MLflow's webhook for the gateway's own write
    await events.publish([alias], "POLL"); // and the probe, a moment later

    expect(heard.map((e) => [e.kind, e.origin])).toEqual([["ALIAS_SET", "GATEWAY"]]);
    expect(heard[0]).toMatchObject({ ...alias, id: expect.any(String), at: expect.any(Number) });
    // Every copy still invalidates: a repeat costs a read, a miss would cost freshness.
    expect(invalidated.a).toEqual([
      [{ model: "m", version: 3 }],
      [{ model: "m", version: 3 }],
      [{ model: "m", version: 3 }],
    ]);
    expect(invalidated.b).toEqual([]);

    // The alias moved on: a new change, delivered.
    await events.publish([{ ...alias, version: 4 }], "WEBHOOK");
    expect(heard).toHaveLength(2);
  });

  it("ignores events of projects it does not serve", async () => {
    const { events, heard, invalidated } = await hub();
    await events.publish(
      [{ project: "zzz", model: "m", kind: "MODEL_CREATED", version: null }],
      "POLL",
    );
    expect(heard).toEqual([]);
    expect(invalidated).toEqual({ a: [], b: [] });
  });

  it("marks a project live on a probe's heartbeat, and not live after a gap", async () => {
    const { events, freshness } = await hub();
    await events.heartbeat({ project: "a", liveForMs: 60_000, fresh: true, startedAgoMs: 10 });
    expect(freshness.a.isLive()).toBe(true);
    expect(freshness.a.covers(performance.now())).toBe(true);
    // A read begun before the probe started may have missed a change.
    expect(freshness.a.covers(performance.now() - 5_000)).toBe(false);
    expect(freshness.b.isLive()).toBe(false);
    (events as unknown as { gap(): void }).gap();
    expect(freshness.a.isLive()).toBe(false);
  });

  it("removes a listener", async () => {
    const { events, heard } = await hub();
    expect(events.listenerCount).toBe(1);
    const stop = events.listen(() => undefined);
    stop();
    expect(events.listenerCount).toBe(1);
    await events.publish(
      [{ project: "b", model: "m", kind: "MODEL_DELETED", version: null }],
      "POLL",
    );
    expect(heard).toHaveLength(1);
  });
});
