import type { GraphQLResolveInfo } from "graphql";
import type { ModelEntity } from "../../registry/entities.js";
import type { Page } from "../common/connection.js";
import { OrderDirection } from "../common/order-direction.enum.js";
import { sortAndPage, type SortKey } from "../common/paginate.js";
import { fromEachProject } from "../common/settle-projects.js";
import type { GraphContext } from "../context.js";
import { ModelOrderField } from "./model-order.input.js";
import { readsOfModelPage } from "./model.reads.js";
import type { ProjectModelsArgs } from "./models.args.js";

const sortKeys: Record<ModelOrderField, (m: ModelEntity & { state: "loaded" }) => SortKey> = {
  [ModelOrderField.NAME]: (m) => [m.name, m.project],
  [ModelOrderField.UPDATED_AT]: (m) => [m.updatedAt.getTime(), m.name, m.project],
};

/**
 * The `models` field of Query and of Project: models of several projects as one list,
 * filtered by the registry the same for every project, sorted and cut here so the keyset
 * cursor holds across projects.
 */
export async function modelsPage(
  ctx: GraphContext,
  projects: readonly string[],
  args: ProjectModelsArgs,
  info: GraphQLResolveInfo,
): Promise<Page<ModelEntity>> {
  const { models } = ctx.registry;
  const size = args.first ?? ctx.limits.defaultPageSize;
  models.readAheadForPage(projects, readsOfModelPage(info), { size, filtered: !!args.filter });
  const found = await fromEachProject(ctx, projects, info, (project) =>
    models.list(project, args.filter),
  );
  const order = args.orderBy ?? { field: ModelOrderField.NAME, direction: OrderDirection.ASC };
  const descending = order.direction === OrderDirection.DESC;
  const loaded = found as (ModelEntity & { state: "loaded" })[];
  return sortAndPage(loaded, sortKeys[order.field], args, ctx.limits, descending);
}
