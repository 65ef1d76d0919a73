import { isDeepStrictEqual } from "node:util";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { percentile } from "./measure.js";
import { type BenchContext, type BenchProject, graphql } from "./operation.js";
import { MlflowRest } from "./rest.js";
import { API, type WireVersion } from "./wire.js";

/** What tells the gateway of a change: MLflow's webhook, or only the change probe. */
export type Carrier = "webhook" | "probe";

/** One kind of change made through MLflow's REST API, and the gateway query that shows it. */
export interface ChangeKindProbe {
  name: string;
  carrier: Carrier;
  /** The model changed (of the first bench project). */
  model: string;
  /** A cheap query over `$project` and `$model` whose answer shows the change. */
  query: string;
  /** Makes the i-th change (each one a real change: values alternate or count up). */
  change(client: MlflowRest, i: number): Promise<unknown>;
  /** What the i-th change makes the answer show. */
  expected(i: number): unknown;
  /** What the answer shows. */
  shown(answer: unknown): unknown;
}

const KEY = "bench-staleness";

interface ModelAnswer<T> {
  model: T;
}
const modelOf = <T>(answer: unknown) => (answer as ModelAnswer<T>).model;

/**
 * The kinds measured: three MLflow 3.x sends webhooks for (an alias moved, a version's tag
 * set, a version created) and two only the change probe sees (a model's tag, a version's
 * description).
 */
export function changeKinds(versionsBefore: number): ChangeKindProbe[] {
  return [
    {
      name: "alias_moved",
      carrier: "webhook",
      model: "model-001",
      query: `query($project: String!, $model: String!) {
        model(project: $project, name: $model) { aliases { alias version { number } } }
      }`,
      // Between versions 1 and 2, so every move is one.
      change: (client, i) =>
        client.post(`${API}/registered-models/alias`, {
          name: "model-001",
          alias: KEY,
          version: String(1 + (i % 2)),
        }),
      expected: (i) => 1 + (i % 2),
      shown: (answer) =>
        modelOf<{ aliases: { alias: string; version: { number: number } }[] }>(answer).aliases.find(
          (a) => a.alias === KEY,
        )?.version.number,
    },
    {
      name: "version_tag_set",
      carrier: "webhook",
      model: "model-001",
      query: `query($project: String!, $model: String!) {
        model(project: $project, name: $model) { version(number: 1) { tags { key value } } }
      }`,
      change: (client, i) =>
        client.post(`${API}/model-versions/set-tag`, {
          name: "model-001",
          version: "1",
          key: KEY,
          value: `v${i}`,
        }),
      expected: (i) => `v${i}`,
      shown: (answer) =>
        modelOf<{ version: { tags: { key: string; value: string }[] } }>(answer).version.tags.find(
          (t) => t.key === KEY,
        )?.value,
    },
    {
      name: "version_created",
      carrier: "webhook",
      model: "model-002",
      query: `query($project: String!, $model: String!) {
        model(project: $project, name: $model) { versions(first: 1) { edges { node { number } } } }
      }`,
      async change(client) {
        const { model_version: first } = await client.get<{ model_version: WireVersion }>(
          `${API}/model-versions/get`,
          { name: "model-002", version: "1" },
        );
        await client.post(`${API}/model-versions/create`, {
          name: "model-002",
          source: first.source,
        });
      },
      expected: (i) => versionsBefore + i + 1,
      shown: (answer) =>
        modelOf<{ versions: { edges: { node: { number: number } }[] } }>(answer).versions.edges[0]
          ?.node.number,
    },
    {
      name: "model_tag_set",
      carrier: "probe",
      model: "model-001",
      query: `query($project: String!, $model: String!) {
        model(project: $project, name: $model) { tags { key value } }
      }`,
      change: (client, i) =>
        client.post(`${API}/registered-models/set-tag`, {
          name: "model-001",
          key: KEY,
          value: `v${i}`,
        }),
      expected: (i) => `v${i}`,
      shown: (answer) =>
        modelOf<{ tags: { key: string; value: string }[] }>(answer).tags.find((t) => t.key === KEY)
          ?.value,
    },
    {
      name: "version_description_updated",
      carrier: "probe",
      model: "model-001",
      query: `query($project: String!, $model: String!) {
        model(project: $project, name: $model) { version(number: 1) { description } }
      }`,
      change: (client, i) =>
        client.patch(`${API}/model-versions/update`, {
          name: "model-001",
          version: "1",
          description: `bench change ${i}`,
        }),
      expected: (i) => `bench change ${i}`,
      shown: (answer) =>
        modelOf<{ version: { description: string | null } }>(answer).version.description,
    },
  ];
}

export interface StalenessResult {
  kind: string;
  carrier: Carrier;
  /** Changes made; each counted in `samples_ms` or in `timeouts`. */
  changes: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  /** Changes the gateway had not shown after `timeout_ms`. */
  timeouts: number;
  timeout_ms: number;
  /** Times the gateway showed an older value again after it had shown a change. */
  reverted: number;
  /** From each REST call's response to the first gateway answer showing it, in ms. */
  samples_ms: number[];
}

const round = (n: number) => Math.round(n * 10) / 10;
const MAX_TIMEOUTS = 3;

/** p50, p99 (nearest rank) and max of the samples; a timed-out change counts as the timeout. */
export function stalenessSummary(samples: readonly number[], timeouts: number, timeoutMs: number) {
  const all = [...samples, ...Array<number>(timeouts).fill(timeoutMs)].sort((a, b) => a - b);
  return {
    p50_ms: round(percentile(all, 50)),
    p99_ms: round(percentile(all, 99)),
    max_ms: round(all.at(-1) ?? NaN),
  };
}

/**
 * Staleness after changes made through MLflow's REST API directly, not the gateway: for each
 * kind, `changes` times, a change, then the gateway asked every `intervalMs` until its answer
 * shows it. Before each change the bench waits a random part of `pollMs` (of `webhookJitterMs`
 * for a kind webhooks carry), so changes land anywhere in the probe's period and not right
 * after the tick that showed the previous one.
 */
export async function measureStaleness(
  ctx: BenchContext,
  project: BenchProject,
  kinds: ChangeKindProbe[],
  options: {
    changes: number;
    pollMs: number;
    intervalMs?: number;
    webhookJitterMs?: number;
    timeoutMs: number;
    log: (message: string) => void;
    random?: () => number;
  },
): Promise<StalenessResult[]> {
  const { intervalMs = 25, webhookJitterMs = 250, random = Math.random } = options;
  const client = new MlflowRest(project.name, project.url);
  const results: StalenessResult[] = [];
  for (const kind of kinds) {
    const ask = async () =>
      kind.shown(
        (await graphql(ctx, kind.query, { project: project.name, model: kind.model })).data,
      );
    const samples: number[] = [];
    let timeouts = 0;
    let reverted = 0;
    let last = await ask();
    let made = 0;
    // A kind the gateway keeps missing would hold the bench for minutes: three misses say it.
    for (let i = 0; i < options.changes && timeouts < MAX_TIMEOUTS; i++) {
      made++;
      const jitter = kind.carrier === "probe" ? options.pollMs : webhookJitterMs;
      await sleep(random() * jitter);
      // What the gateway shows now is what the next change is measured against.
      if (i > 0 && !isDeepStrictEqual(await ask(), last)) reverted++;
      const expected = kind.expected(i);
      await kind.change(client, i);
      const changed = performance.now();
      for (;;) {
        const asked = performance.now();
        last = await ask();
        const now = performance.now();
        if (isDeepStrictEqual(last, expected)) {
          samples.push(now - changed);
          break;
        }
        if (now - changed > options.timeoutMs) {
          timeouts++;
          break;
        }
        await sleep(Math.max(0, intervalMs - (now - asked)));
      }
    }
    const result = {
      kind: kind.name,
      carrier: kind.carrier,
      changes: made,
      ...stalenessSummary(samples, timeouts, options.timeoutMs),
      timeouts,
      timeout_ms: options.timeoutMs,
      reverted,
      samples_ms: samples.map(round),
    };
    options.log(
      `staleness ${kind.name} (${kind.carrier}): p50 ${result.p50_ms} ms, p99 ${result.p99_ms} ms, ` +
        `${timeouts} timeouts, ${reverted} reverted`,
    );
    results.push(result);
  }
  return results;
}
