import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../node/node.interface.js";
import { Field, ObjectType } from "type-graphql";
import { Tag } from "../common/tag.type.js";
import { Metric } from "./metric.type.js";
import { Param } from "./param.type.js";

@ObjectType({
  implements: Node,
  description: "An MLflow run: the training that produced a version.",
})
export class Run {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field({ description: "RUNNING, SCHEDULED, FINISHED, FAILED or KILLED." })
  status!: string;

  @Field()
  experimentId!: string;

  @Field(() => DateTimeResolver, { nullable: true })
  startTime!: Date | null;

  @Field(() => DateTimeResolver, { nullable: true })
  endTime!: Date | null;

  @Field(() => String, { nullable: true })
  user!: string | null;

  @Field(() => String, { nullable: true })
  artifactUri!: string | null;

  @Field(() => [Metric])
  metrics!: Metric[];

  @Field(() => [Param])
  params!: Param[];

  @Field(() => [Tag])
  tags!: Tag[];
}
