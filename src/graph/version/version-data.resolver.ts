import { DateTimeResolver } from "graphql-scalars";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { Tag } from "../common/tag.type.js";
import type { GraphContext } from "../context.js";
import { fullVersion, type VersionRoot } from "./version-root.js";
import { VersionStatus } from "./version-status.enum.js";
import { Version } from "./version.type.js";

/** The fields MLflow records for a version, loaded only when a query asks for one. */
@Resolver(() => Version)
export class VersionDataResolver {
  @FieldResolver(() => VersionStatus)
  async status(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<VersionStatus> {
    return (await fullVersion(ctx, root)).status as VersionStatus;
  }

  @FieldResolver(() => String, { nullable: true })
  async statusMessage(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await fullVersion(ctx, root)).statusMessage;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "Legacy stage (Staging, Production, Archived); null for MLflow's None.",
  })
  async stage(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await fullVersion(ctx, root)).stage;
  }

  @FieldResolver(() => String, { nullable: true })
  async description(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await fullVersion(ctx, root)).description;
  }

  @FieldResolver(() => String, {
    description: "Where the version came from, as MLflow recorded it: runs:/, models:/, s3://, …",
  })
  async source(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<string> {
    return (await fullVersion(ctx, root)).source;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "The MLflow run id MLflow recorded, if any.",
  })
  async runId(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<string | null> {
    return (await fullVersion(ctx, root)).runId;
  }

  @FieldResolver(() => [Tag])
  async tags(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<Tag[]> {
    return (await fullVersion(ctx, root)).tags;
  }

  @FieldResolver(() => DateTimeResolver)
  async createdAt(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<Date> {
    return (await fullVersion(ctx, root)).createdAt;
  }

  @FieldResolver(() => DateTimeResolver)
  async updatedAt(@Root() root: VersionRoot, @Ctx() ctx: GraphContext): Promise<Date> {
    return (await fullVersion(ctx, root)).updatedAt;
  }
}
