import { randomUUID } from "node:crypto";
import { Arg, Ctx, Mutation, Resolver } from "type-graphql";
import { MlflowError } from "../../sources/mlflow/errors.js";
import { storageUri } from "../../sources/storage/artifact-uri.js";
import { requireVersionFiles, storageOfVersion } from "../artifact/storage.js";
import { cost } from "../common/cost.js";
import { badUserInput } from "../common/errors.js";
import { markerTags, onceForKey } from "../common/idempotency.js";
import { outcomeUnknown } from "../common/outcome.js";
import { step } from "../common/step-error.js";
import { checkAlias, checkModelName } from "../common/validate.js";
import type { GraphContext } from "../context.js";
import { requireProject } from "../project/project.lookup.js";
import { projectRoot } from "../upload/session.js";
import { findTaggedVersion, untagVersion } from "./find-created.js";
import { loadVersion } from "./load-version.js";
import { PromoteVersionInput } from "./promote.inputs.js";
import { registerVersion } from "./register.js";
import { Version } from "./version.type.js";

const ORIGIN = "registry-graph.promoted_from";

/** Creates the target model unless it exists; says whether it did, to undo it on failure. */
async function ensureModel(ctx: GraphContext, project: string, model: string): Promise<boolean> {
  if (await ctx.loaders.model.load({ project, name: model })) return false;
  try {
    await ctx.loaders.writer(project).createModel(model, null, []);
    return true;
  } catch (error) {
    if (error instanceof MlflowError && error.kind === "ALREADY_EXISTS") return false; // a race
    throw error;
  }
}

@Resolver(() => Version)
export class PromoteMutation {
  @Mutation(() => Version, {
    description:
      "Copies a version's files server-side in S3 into the target project's root and registers " +
      "them there, with tags recording its origin; works across MLflow servers. Nothing is left " +
      "half-made: a failed step removes the copy (and a model it created), unless MLflow may " +
      "have registered it (a timeout): then a retry with the same idempotencyKey returns it.",
    complexity: cost.promoteVersion,
  })
  async promoteVersion(
    @Arg("input", () => PromoteVersionInput) input: PromoteVersionInput,
    @Ctx() ctx: GraphContext,
  ) {
    const from = { ...input.from, project: requireProject(ctx, input.from.project) };
    const to = {
      project: requireProject(ctx, input.to.project),
      model: checkModelName(input.to.model),
    };
    const aliases = input.alias ? [checkAlias(input.alias)] : [];
    const root = projectRoot(ctx, to.project);
    const version = await loadVersion(ctx, from.project, from.model, from.version);
    const storage = await storageOfVersion(ctx, version);
    if (storage?.kind !== "s3") {
      throw badUserInput(
        `the files of version ${from.version} of "${from.model}" are not in S3 the gateway can read`,
      );
    }
    requireVersionFiles(ctx, version, storage);
    const scope = {
      mutation: "promoteVersion",
      project: to.project,
      key: input.idempotencyKey,
      input: { ...input, idempotencyKey: null },
    };
    return onceForKey(
      ctx,
      scope,
      async (marker) => {
        // Keyed, a retry copies to the same place: a copy is never left without its version.
        const folder = marker?.slice(0, 32) ?? randomUUID();
        const dest = {
          bucket: root.bucket,
          prefix: [root.prefix, "promoted", to.model, folder].filter(Boolean).join("/"),
        };
        await step("promoteVersion", "copy", () =>
          ctx.loaders.staging.copyPrefix(storage.location, dest),
        );
        let createdModel = false;
        try {
          await step("promoteVersion", "check", async () => {
            if (!(await ctx.loaders.staging.head(dest, "MLmodel"))) {
              throw badUserInput(
                `version ${from.version} of "${from.model}" has no MLmodel to promote`,
              );
            }
          });
          createdModel = await step("promoteVersion", "model", () =>
            ensureModel(ctx, to.project, to.model),
          );
          return await registerVersion(ctx, "promoteVersion", {
            project: to.project,
            model: to.model,
            source: `s3://${dest.bucket}/${dest.prefix}`,
            description: version.description,
            tags: [
              { key: `${ORIGIN}.project`, value: from.project },
              { key: `${ORIGIN}.model`, value: from.model },
              { key: `${ORIGIN}.version`, value: String(from.version) },
              { key: `${ORIGIN}.source`, value: storageUri(storage) },
              ...markerTags(marker),
            ],
            aliases,
          });
        } catch (error) {
          ctx.loaders.invalidate(to.project, to.model);
          // After a timeout MLflow may hold the version: its files and model stay for the retry.
          if (outcomeUnknown(error)) throw error;
          await ctx.loaders.staging.deletePrefix(dest).catch(() => undefined);
          if (createdModel)
            await ctx.loaders
              .writer(to.project)
              .deleteModel(to.model)
              .catch(() => undefined);
          throw error;
        }
      },
      (created) => {
        ctx.loaders.invalidate(to.project, created.model);
        return loadVersion(ctx, to.project, created.model, created.number);
      },
      {
        find: (marker) => findTaggedVersion(ctx, to.project, to.model, marker),
        untag: (created) => untagVersion(ctx, to.project, created),
      },
    );
  }
}
