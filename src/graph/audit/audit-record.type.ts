import { DateTimeResolver } from "graphql-scalars";
import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "One thing a mutation changed, or tried to change if it failed." })
export class AuditChange {
  @Field({
    description:
      "What changed: `model`, `version`, `description`, `stage`, `source`, `tag:<key>`, " +
      "`alias:<name>`, `upload`, `uploadStatus`, `promotedFrom`.",
  })
  field!: string;

  @Field(() => String, { nullable: true, description: "The value before; null if none." })
  from!: string | null;

  @Field(() => String, { nullable: true, description: "The value after; null if removed." })
  to!: string | null;
}

@ObjectType({ description: "Why a mutation failed." })
export class AuditError {
  @Field({ description: "The error's `extensions.code`." })
  code!: string;

  @Field(() => String, {
    nullable: true,
    description: "The message the caller got; null where it was masked.",
  })
  message!: string | null;

  @Field(() => String, { nullable: true, description: "The step of a multi-step mutation." })
  step!: string | null;
}

@ObjectType({
  description:
    "One mutation, as the gateway's audit log keeps it: who, what, what changed, and how it " +
    "ended. Long values are cut short; no credential or presigned URL is kept.",
})
export class AuditRecord {
  @Field({ description: "Unique; records sort newest first by it." })
  id!: string;

  @Field(() => DateTimeResolver, { description: "When the mutation ended." })
  time!: Date;

  @Field(() => Int)
  durationMs!: number;

  @Field(() => String, { nullable: true, description: "The caller; null when anonymous." })
  subject!: string | null;

  @Field({ description: "How the caller authenticated: token, jwt or anonymous." })
  via!: string;

  @Field({ description: "The Mutation field: `setAlias`, `createVersion`, …" })
  operation!: string;

  @Field(() => String, { nullable: true })
  project!: string | null;

  @Field(() => String, { nullable: true })
  model!: string | null;

  @Field(() => Int, { nullable: true, description: "The version acted on or created." })
  version!: number | null;

  @Field(() => [AuditChange])
  changes!: AuditChange[];

  @Field(() => String, {
    nullable: true,
    description:
      "What the mutation made or removed, in short: `version 5`, `upload <id>, 3 files`.",
  })
  result!: string | null;

  @Field({ description: "Whether the mutation succeeded." })
  ok!: boolean;

  @Field(() => AuditError, { nullable: true, description: "Null when it succeeded." })
  error!: AuditError | null;

  @Field(() => String, { nullable: true, description: "The request's `x-request-id`." })
  requestId!: string | null;
}
