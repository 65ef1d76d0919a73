import type { Agent } from "undici";
import { fetch } from "undici";
import { MlflowRest } from "./rest.js";

interface WireKeyValueLike {
  key: string;
  value: string | number;
}

export interface BenchProject {
  name: string;
  url: string;
}

/** The model page / artifact tree target: a model with many versions, one with files. */
export interface Target {
  project: string;
  model: string;
  /** The version that has files (the model's champion). */
  version: number;
}

export interface BenchContext {
  gatewayUrl: string;
  projects: BenchProject[];
  target: Target;
  /** The keep-alive agent of the hand-tuned variant. */
  agent: Agent;
  /** Projects to restrict (a) and (c) to; all when undefined (the scaling runs use it). */
  only?: string[];
  /** The `Authorization` header of every gateway request; none: an anonymous caller. */
  authorization?: string;
  /** Set by a load phase: aborts the runs still under way when it stops waiting. */
  signal?: AbortSignal;
}

export interface Outcome {
  data: unknown;
  calls: number;
}

export type Variant = (ctx: BenchContext) => Promise<Outcome>;

export interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
}

export interface Operation {
  name: string;
  /** The one GraphQL request of the gateway variant (autocannon replays it under load). */
  request(ctx: BenchContext): GraphQLRequest;
  /**
   * The upstream calls the gateway makes for it over `projects` projects: a constant per
   * project, whatever their size. The CI guard (test/integration/bench-guard.test.ts) holds it.
   */
  gatewayCalls(projects: number): number;
  gateway: Variant;
  naive_rest: Variant;
  parallel_rest: Variant;
}

export const VARIANTS = ["gateway", "naive_rest", "parallel_rest"] as const;
export type VariantName = (typeof VARIANTS)[number];

/** One REST client per project, sharing a call counter. */
export function restClients(ctx: BenchContext, agent?: Agent) {
  const clients = selected(ctx).map((p) => new MlflowRest(p.name, p.url, agent, ctx.signal));
  return {
    clients,
    byName(name: string): MlflowRest {
      const client = clients.find((c) => c.project === name);
      if (!client) throw new Error(`no project ${name} in the bench`);
      return client;
    },
    calls: () => clients.reduce((sum, c) => sum + c.calls, 0),
  };
}

export function selected(ctx: BenchContext): BenchProject[] {
  return ctx.only ? ctx.projects.filter((p) => ctx.only!.includes(p.name)) : ctx.projects;
}

interface GraphQLBody {
  data?: unknown;
  errors?: { message: string }[];
  extensions?: { upstreamCalls?: { total: number } };
}

/** One GraphQL request; any `errors[]` entry fails the run. */
export async function graphql<T>(
  ctx: BenchContext,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<{ data: T; calls: number }> {
  const response = await fetch(`${ctx.gatewayUrl}/graphql`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(ctx.authorization ? { authorization: ctx.authorization } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: ctx.signal,
  });
  const body = (await response.json()) as GraphQLBody;
  if (!response.ok || body.errors?.length) {
    throw new Error(`gateway answered ${response.status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return { data: body.data as T, calls: body.extensions?.upstreamCalls?.total ?? NaN };
}

/** `[{key, value}]` sorted by key, values as numbers where MLflow sends strings. */
export function keyValues(items: readonly WireKeyValueLike[] | undefined) {
  return [...(items ?? [])]
    .map((i) => ({ key: i.key, value: String(i.value) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

export const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a).localeCompare(key(b));
