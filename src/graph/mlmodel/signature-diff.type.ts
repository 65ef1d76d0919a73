import { Field, Int, ObjectType, registerEnumType } from "type-graphql";
import type { VersionEntity } from "../../registry/entities.js";
import type { SchemaKind as SchemaKindName } from "../../registry/signatures/match.js";
import type { SignatureGap as SignatureGapName } from "../../registry/signatures/version-signature-diff.js";
import { Version } from "../version/version.type.js";
import { SignatureColumn, SignatureParam, SignatureTensor } from "./signature.type.js";

export enum SchemaKind {
  COLUMNS = "COLUMNS",
  TENSORS = "TENSORS",
}
registerEnumType(SchemaKind, { name: "SchemaKind" });

export enum SignatureGap {
  CANDIDATE_HAS_NO_MLMODEL = "CANDIDATE_HAS_NO_MLMODEL",
  CANDIDATE_HAS_NO_SIGNATURE = "CANDIDATE_HAS_NO_SIGNATURE",
  BASELINE_HAS_NO_MLMODEL = "BASELINE_HAS_NO_MLMODEL",
  BASELINE_HAS_NO_SIGNATURE = "BASELINE_HAS_NO_SIGNATURE",
}
registerEnumType(SignatureGap, {
  name: "SignatureGap",
  description: "Why two signatures cannot be compared. The candidate is the version asked on.",
});

@ObjectType({ description: "A column both sides have, whose type or requiredness changed." })
export class ColumnChange {
  @Field(() => String, { nullable: true, description: "null when matched by position." })
  name!: string | null;

  @Field(() => Int, { description: "Its index in the baseline's columns." })
  position!: number;

  @Field(() => SignatureColumn)
  baseline!: SignatureColumn;

  @Field(() => SignatureColumn)
  candidate!: SignatureColumn;

  @Field()
  typeChanged!: boolean;

  @Field()
  requiredChanged!: boolean;
}

@ObjectType({ description: "A tensor both sides have, whose dtype or shape changed." })
export class TensorChange {
  @Field(() => String, { nullable: true, description: "null when matched by position." })
  name!: string | null;

  @Field(() => Int, { description: "Its index in the baseline's tensors." })
  position!: number;

  @Field(() => SignatureTensor)
  baseline!: SignatureTensor;

  @Field(() => SignatureTensor)
  candidate!: SignatureTensor;

  @Field()
  dtypeChanged!: boolean;

  @Field()
  shapeChanged!: boolean;
}

@ObjectType({
  description:
    "Inputs or outputs of two signatures. Entries match by name when both sides name every " +
    "one, else by position; a change of kind (columns to tensors) lists all as removed and added.",
})
export class SchemaDiff {
  @Field(() => SchemaKind, { nullable: true, description: "null: the baseline declares none." })
  baselineKind!: SchemaKindName | null;

  @Field(() => SchemaKind, { nullable: true, description: "null: the candidate declares none." })
  candidateKind!: SchemaKindName | null;

  @Field()
  matchedByName!: boolean;

  @Field(() => [SignatureColumn], { description: "In the candidate only." })
  columnsAdded!: SignatureColumn[];

  @Field(() => [SignatureColumn], { description: "In the baseline only." })
  columnsRemoved!: SignatureColumn[];

  @Field(() => [ColumnChange])
  columnsChanged!: ColumnChange[];

  @Field(() => [SignatureTensor], { description: "In the candidate only." })
  tensorsAdded!: SignatureTensor[];

  @Field(() => [SignatureTensor], { description: "In the baseline only." })
  tensorsRemoved!: SignatureTensor[];

  @Field(() => [TensorChange])
  tensorsChanged!: TensorChange[];

  @Field()
  unchanged!: boolean;
}

@ObjectType({ description: "A param both sides declare, whose type, default or shape changed." })
export class ParamChange {
  @Field()
  name!: string;

  @Field(() => SignatureParam)
  baseline!: SignatureParam;

  @Field(() => SignatureParam)
  candidate!: SignatureParam;

  @Field()
  typeChanged!: boolean;

  @Field()
  defaultChanged!: boolean;

  @Field()
  shapeChanged!: boolean;
}

@ObjectType({ description: "Inference params of two signatures, matched by name." })
export class ParamsDiff {
  @Field(() => [SignatureParam])
  added!: SignatureParam[];

  @Field(() => [SignatureParam])
  removed!: SignatureParam[];

  @Field(() => [ParamChange])
  changed!: ParamChange[];

  @Field()
  unchanged!: boolean;
}

@ObjectType({
  description:
    "This version's signature (the candidate) against another's (the baseline). " +
    "See docs/signature-diff.md for the rule behind acceptsBaselineInputs.",
})
export class SignatureDiff {
  @Field(() => Version, { description: "The version compared against." })
  baseline!: VersionEntity;

  @Field({ description: "Both versions have an MLmodel with a signature; else see gap." })
  comparable!: boolean;

  @Field(() => SignatureGap, { nullable: true, description: "Set when not comparable." })
  gap!: SignatureGapName | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      "Whether this version's MLflow schema enforcement accepts every input (and params) valid " +
      "for the baseline: no required input it lacks, no optional one made required, types only " +
      "widened as MLflow converts them (integer to long or double, float to double), tensors of " +
      "the same dtype and a shape as loose. Removed inputs are fine (MLflow drops extras). " +
      "Outputs do not count. null when not comparable.",
  })
  acceptsBaselineInputs!: boolean | null;

  @Field(() => [String], {
    description: "Why acceptsBaselineInputs is false, one sentence each; empty otherwise.",
  })
  incompatibilities!: string[];

  @Field(() => Boolean, {
    nullable: true,
    description: "Nothing differs; null when not comparable.",
  })
  unchanged!: boolean | null;

  @Field(() => SchemaDiff, { nullable: true })
  inputs!: SchemaDiff | null;

  @Field(() => SchemaDiff, { nullable: true })
  outputs!: SchemaDiff | null;

  @Field(() => ParamsDiff, { nullable: true })
  params!: ParamsDiff | null;
}
