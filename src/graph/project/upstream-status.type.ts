import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "Whether a project's MLflow server answers, as measured just now." })
export class UpstreamStatus {
  @Field()
  up!: boolean;

  @Field(() => String, { nullable: true, description: "What `GET /version` returned." })
  mlflowVersion!: string | null;

  @Field(() => Int, { description: "Round trip of the status call, in milliseconds." })
  latencyMs!: number;

  @Field(() => String, { nullable: true, description: "Why the server is not up." })
  error!: string | null;
}
