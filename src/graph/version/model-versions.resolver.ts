import { Arg, Args, Ctx, FieldResolver, Int, Resolver, Root } from "type-graphql";
import type { ModelVersion, RegisteredModel } from "../../sources/mlflow/types.js";
import type { Page } from "../common/connection.js";
import { cost } from "../common/cost.js";
import { badUserInput, notFound } from "../common/errors.js";
import { sortAndPage } from "../common/paginate.js";
import type { GraphContext } from "../context.js";
import { loadModel } from "../model/load-model.js";
import { Model } from "../model/model.type.js";
import type { ModelRoot } from "../model/resolve-model.js";
import { loadVersion } from "./load-version.js";
import { matchesVersion, validateVersionFilter } from "./version-filter.input.js";
import { VersionConnection } from "./version-connection.type.js";
import { Version } from "./version.type.js";
import { ModelVersionsArgs } from "./versions.args.js";

@Resolver(() => Model)
export class ModelVersionsResolver {
  @FieldResolver(() => Version, {
    nullable: true,
    description: "One version, by number or by alias (give exactly one).",
  })
  async version(
    @Root() root: ModelRoot,
    @Ctx() ctx: GraphContext,
    @Arg("number", () => Int, { nullable: true }) number?: number | null,
    @Arg("alias", () => String, { nullable: true }) alias?: string | null,
  ): Promise<ModelVersion> {
    if ((number == null) === (alias == null)) {
      throw badUserInput("give exactly one of number and alias");
    }
    if (alias != null) {
      const model = "aliases" in root ? root : await loadModel(ctx, root.project, root.name);
      const target = model.aliases.find((a) => a.alias === alias);
      if (!target) {
        throw notFound(
          `model "${model.name}" of project "${model.project}" has no alias "${alias}"`,
          {
            project: model.project,
            model: model.name,
            alias,
          },
        );
      }
      number = target.version;
    }
    return loadVersion(ctx, root.project, root.name, number!);
  }

  @FieldResolver(() => VersionConnection, { description: "Newest first.", complexity: cost.page })
  async versions(
    @Root() model: RegisteredModel,
    @Args(() => ModelVersionsArgs) args: ModelVersionsArgs,
    @Ctx() ctx: GraphContext,
  ): Promise<Page<ModelVersion>> {
    validateVersionFilter(args.filter);
    const all = await ctx.loaders.versionsOfModel.load({
      project: model.project,
      name: model.name,
    });
    const matching = all.filter((v) => matchesVersion(v, model.aliases, args.filter));
    return sortAndPage(matching, (v) => [v.number], args, ctx.limits, true);
  }

  @FieldResolver(() => [Version], {
    description:
      "The newest version in each legacy stage (or in the stages given), as MLflow keeps them.",
    complexity: cost.latestVersions,
  })
  latestVersions(
    @Root() model: RegisteredModel,
    @Arg("stages", () => [String], { nullable: true }) stages?: string[] | null,
  ): ModelVersion[] {
    const wanted = stages?.map((s) => s.toLowerCase());
    return model.latestVersions.filter(
      (v) => !wanted || wanted.includes((v.stage ?? "None").toLowerCase()),
    );
  }
}
