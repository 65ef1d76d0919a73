import { DateTimeResolver, GraphQLLong } from "graphql-scalars";
import { Field, Float, ObjectType } from "type-graphql";

@ObjectType({ description: "The latest value MLflow holds for one metric of a run." })
export class Metric {
  @Field()
  key!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => GraphQLLong, { description: "64-bit in MLflow." })
  step!: number;

  @Field(() => DateTimeResolver)
  timestamp!: Date;
}
