import type { GraphQLResolveInfo } from "graphql";
import type { GraphContext } from "../context.js";
import { atPath } from "../../registry/errors.js";

/**
 * Runs one task per project in parallel and keeps what succeeded. A project that fails
 * costs only its own items: its error is reported at this field, next to the others' data.
 */
export async function fromEachProject<T>(
  ctx: GraphContext,
  projects: readonly string[],
  info: GraphQLResolveInfo,
  task: (project: string) => Promise<T[]>,
): Promise<T[]> {
  const results = await Promise.allSettled(projects.map(task));
  const items: T[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") items.push(...result.value);
    else ctx.partialErrors.push(atPath(result.reason, info));
  }
  return items;
}
