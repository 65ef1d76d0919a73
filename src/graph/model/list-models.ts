import type { GraphQLResolveInfo } from "graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
import type { Page } from "../common/connection.js";
import { atPath } from "../common/errors.js";
import type { PageArgs } from "../common/page.args.js";
import { compareKeys, keysetPage, type SortKey } from "../common/paginate.js";

const byName = (m: RegisteredModel): SortKey => [m.name, m.project];

/**
 * Models of several projects as one list sorted by name, then project. A project that fails
 * costs only its own models: the page has the rest and the error is reported at this field.
 */
export async function listModels(
  ctx: GraphContext,
  projects: readonly string[],
  args: PageArgs,
  info: GraphQLResolveInfo,
): Promise<Page<RegisteredModel>> {
  const results = await Promise.allSettled(
    projects.map((project) => ctx.loaders.modelsOfProject.load(project)),
  );
  const models: RegisteredModel[] = [];
  for (const result of results) {
    if (result.status === "fulfilled") models.push(...result.value);
    else ctx.partialErrors.push(atPath(result.reason, info));
  }
  models.sort((a, b) => compareKeys(byName(a), byName(b)));
  return keysetPage(models, byName, args, ctx.limits);
}
