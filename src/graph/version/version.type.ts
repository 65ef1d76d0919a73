import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../node/node.interface.js";
import { Field, Int, ObjectType } from "type-graphql";
import { Tag } from "../common/tag.type.js";
import { VersionStatus } from "./version-status.enum.js";

@ObjectType({ implements: Node, description: "One version of a registered model." })
export class Version {
  @Field(() => Int)
  number!: number;

  @Field(() => VersionStatus)
  status!: VersionStatus;

  @Field(() => String, { nullable: true })
  statusMessage!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Legacy stage (Staging, Production, Archived); null for MLflow's None.",
  })
  stage!: string | null;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field({
    description: "Where the version came from, as MLflow recorded it: runs:/, models:/, s3://, …",
  })
  source!: string;

  @Field(() => String, {
    nullable: true,
    description: "The MLflow run id MLflow recorded, if any.",
  })
  runId!: string | null;

  @Field(() => [Tag])
  tags!: Tag[];

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;
}
