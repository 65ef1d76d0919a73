import type { GraphQLResolveInfo } from "graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { Page } from "../common/connection.js";
import { OrderDirection } from "../common/order-direction.enum.js";
import { sortAndPage, type SortKey } from "../common/paginate.js";
import { fromEachProject } from "../common/settle-projects.js";
import { matchesTag } from "../common/tag-filter.input.js";
import { CALLS_BEFORE_LISTING } from "../../loaders/keys.js";
import type { GraphContext } from "../context.js";
import { nodesOf, selectionOf } from "../common/selection.js";
import { prefetchAliasRuns, prefetchForModels } from "../prefetch.js";
import type { ModelFilter } from "./model-filter.input.js";
import { ModelOrderField } from "./model-order.input.js";
import type { ProjectModelsArgs } from "./models.args.js";

const sortKeys: Record<ModelOrderField, (m: RegisteredModel) => SortKey> = {
  [ModelOrderField.NAME]: (m) => [m.name, m.project],
  [ModelOrderField.UPDATED_AT]: (m) => [m.updatedAt.getTime(), m.name, m.project],
};

function matches(model: RegisteredModel, filter: ModelFilter | null | undefined): boolean {
  if (!filter) return true;
  const { nameContains, tag, hasAlias } = filter;
  if (nameContains && !model.name.toLowerCase().includes(nameContains.toLowerCase())) return false;
  if (tag && !matchesTag(model.tags, tag)) return false;
  if (hasAlias && !model.aliases.some((a) => a.alias === hasAlias)) return false;
  return true;
}

/**
 * Models of several projects as one list. Each project's models come from one paged listing
 * (names, tags and aliases included), so filters and order are applied here, the same for
 * every project, and the keyset cursor holds across projects.
 */
export async function listModels(
  ctx: GraphContext,
  projects: readonly string[],
  args: ProjectModelsArgs,
  info: GraphQLResolveInfo,
): Promise<Page<RegisteredModel>> {
  // A page of many unfiltered models reads their versions from the project's listing anyway.
  const pageSize = args.first ?? ctx.limits.defaultPageSize;
  if (!args.filter && pageSize > CALLS_BEFORE_LISTING) {
    const selection = nodesOf(selectionOf(info));
    for (const project of projects) {
      prefetchForModels(ctx, project, selection);
      prefetchAliasRuns(ctx, project, selection, pageSize);
    }
  }
  const models = await fromEachProject(ctx, projects, info, async (project) =>
    (await ctx.loaders.modelsOfProject.load(project)).filter((m) => matches(m, args.filter)),
  );
  const order = args.orderBy ?? { field: ModelOrderField.NAME, direction: OrderDirection.ASC };
  const descending = order.direction === OrderDirection.DESC;
  return sortAndPage(models, sortKeys[order.field], args, ctx.limits, descending);
}
