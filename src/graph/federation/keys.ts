/**
 * The entities another subgraph may reference, each by its natural key: what a deployments or
 * feature-store service already holds ("fraud / fraud-detector / 7"), never our global ids,
 * which are an encoding of the same thing it would have to learn. A model's name is unique
 * only within its project, and a version's number only within its model, so the key carries
 * them; `project` and `model` are objects in this graph, so they are keyed by their `name`.
 */
export const ENTITY_KEYS = {
  Project: "name",
  Model: "project { name } name",
  Version: "project { name } model { name } number",
  Run: "project { name } runId",
} as const;

export type EntityType = keyof typeof ENTITY_KEYS;

export const isEntityType = (name: unknown): name is EntityType =>
  typeof name === "string" && Object.hasOwn(ENTITY_KEYS, name);

/**
 * Value types other subgraphs commonly define too (a Relay `PageInfo`): @shareable, so that
 * composing with one of them is not an error.
 */
export const SHAREABLE_TYPES: readonly string[] = ["PageInfo"];

/**
 * The federation spec the SDL links to. It uses only @key and @shareable, which 2.0 has; 2.7
 * rather than the newest, so that a router a few releases behind composes it too.
 */
export const FEDERATION_SPEC = "https://specs.apollo.dev/federation/v2.7";
