import { Field, ObjectType } from "type-graphql";
import { PageInfo } from "../common/connection.js";
import { cost } from "../common/cost.js";
import { AuditRecord } from "./audit-record.type.js";

@ObjectType()
export class AuditRecordEdge {
  @Field(() => AuditRecord)
  node!: AuditRecord;

  @Field({ description: "Opaque; pass as `after` to get the records that follow this one." })
  cursor!: string;
}

/** A Relay connection without `totalCount`: counting a log means listing all of it. */
@ObjectType({ description: "A page of an audit log, newest first." })
export class AuditRecordConnection {
  @Field(() => [AuditRecordEdge], { complexity: cost.free })
  edges!: AuditRecordEdge[];

  @Field(() => PageInfo, { complexity: cost.perPage })
  pageInfo!: PageInfo;
}
