import { DateTimeResolver } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import { Signature } from "./signature.type.js";

@ObjectType({ description: "A flavor the model can be loaded as." })
export class Flavor {
  @Field({ description: "python_function, sklearn, …" })
  name!: string;

  @Field(() => String, { nullable: true })
  loaderModule!: string | null;

  @Field(() => String, {
    nullable: true,
    description: "The framework version it was saved with (python_function: Python's).",
  })
  version!: string | null;
}

@ObjectType({ description: "The input example saved with the model." })
export class InputExample {
  @Field()
  artifactPath!: string;

  @Field(() => String, { nullable: true, description: "dataframe, ndarray, json_object, …" })
  type!: string | null;

  @Field(() => String, { nullable: true })
  pandasOrient!: string | null;

  @Field(() => String, { nullable: true })
  servingInputPath!: string | null;
}

@ObjectType({ description: "The model's MLmodel file: how to load it and what it accepts." })
export class MLModel {
  @Field(() => [Flavor])
  flavors!: Flavor[];

  @Field(() => Signature, { nullable: true })
  signature!: Signature | null;

  @Field(() => InputExample, { nullable: true })
  inputExample!: InputExample | null;

  @Field(() => String, { nullable: true })
  mlflowVersion!: string | null;

  @Field(() => DateTimeResolver, { nullable: true })
  createdAt!: Date | null;

  @Field(() => String, { nullable: true, description: "MLflow 3 logged model id (m-…)." })
  modelId!: string | null;

  @Field(() => String, { nullable: true })
  runId!: string | null;
}
