import type { GraphQLError } from "graphql";
import { z } from "zod";
import type { ReferencedModel } from "../../registry/read-ahead/references.js";
import { badUserInput } from "../../registry/errors.js";
import type { GraphContext } from "../context.js";
import { type EntityType, isEntityType } from "./keys.js";

// A key's parts as another subgraph holds them: `project { name }` as a router sends it, or
// `project: "fraud"` as a hand-written representation might. Lengths as argument-limits.ts.
const named = (max: number) => {
  const name = z.string().min(1).max(max);
  return z.union([name, z.strictObject({ name }).transform((o) => o.name)]);
};
const project = named(63);
const model = named(256);

const REPRESENTATIONS = {
  Project: z.object({ name: z.string().min(1).max(63) }),
  Model: z.object({ project, name: z.string().min(1).max(256) }),
  Version: z.object({
    project,
    model,
    number: z
      .int()
      .min(1)
      .max(2 ** 31 - 1),
  }),
  Run: z.object({ project, runId: z.string().min(1).max(32) }),
} satisfies Record<EntityType, z.ZodType>;

type Key<T extends EntityType> = z.infer<(typeof REPRESENTATIONS)[T]>;
/** A representation read: its type and key, or why it names nothing of ours. */
type Named = { [T in EntityType]: { type: T; key: Key<T> } }[EntityType];
type Reference = Named | { error: GraphQLError };

function readReference(representation: unknown): Reference {
  const type = (representation as { __typename?: unknown } | null)?.__typename;
  if (!isEntityType(type)) {
    const named = typeof type === "string" ? type.slice(0, 64) : null;
    return {
      error: badUserInput("a representation's __typename must be one of this subgraph's entities", {
        typename: named,
      }),
    };
  }
  const parsed = REPRESENTATIONS[type].safeParse(representation);
  if (parsed.success) return { type, key: parsed.data } as Reference;
  const [problem] = parsed.error.issues;
  return {
    error: badUserInput(
      `a ${type} reference needs its key: ${problem?.path.join(".") || "it"} ${problem?.message}`,
      { typename: type },
    ),
  };
}

/** The object a reference names, loaded as `node(id)` would load it, or its error. */
function load(ctx: GraphContext, reference: Named): object | Promise<object> {
  const { registry } = ctx;
  switch (reference.type) {
    case "Project":
      return { name: registry.projects.require(reference.key.name) };
    case "Model":
      return registry.models.get(reference.key.project, reference.key.name);
    case "Version": {
      const { project, model, number } = reference.key;
      return registry.versions.get(project, model, number);
    }
    case "Run":
      return registry.runs.get(reference.key.project, reference.key.runId);
  }
}

const modelOf = (reference: Reference): ReferencedModel[] => {
  if ("error" in reference) return [];
  if (reference.type === "Model")
    return [{ project: reference.key.project, model: reference.key.name }];
  if (reference.type === "Version")
    return [{ project: reference.key.project, model: reference.key.model }];
  return [];
};

async function resolveOne(ctx: GraphContext, reference: Reference): Promise<object> {
  if ("error" in reference) throw reference.error;
  return { ...(await load(ctx, reference)), __typename: reference.type };
}

/**
 * `_entities`' representations, resolved through the request's registry: the same loaders (so
 * 100 references batch as a list query does), the same authorization (a project the caller
 * may not read is NOT_FOUND, as in a direct query). One result per representation, in order:
 * a reference that fails is that entity's Error (its null and error), never the batch's.
 */
export function resolveReferences(
  ctx: GraphContext,
  representations: readonly unknown[],
): Promise<object | Error>[] {
  const references = representations.map(readReference);
  ctx.registry.references.readAhead(references.flatMap(modelOf));
  return references.map((reference) =>
    resolveOne(ctx, reference).catch((error: unknown) =>
      error instanceof Error ? error : new Error(String(error)),
    ),
  );
}
