import type { GraphQLResolveInfo } from "graphql";
import type { FileReads } from "../../registry/read-ahead/reads.js";
import { argumentsBelow, fieldOf } from "../common/selection.js";
import type { VersionResolver } from "./version.resolver.js";
import type { Version } from "./version.type.js";

/** Version fields, checked against the classes that declare them. */
export const versionField = fieldOf<Version & VersionResolver>();

/** Version fields a version known only by its key (an alias's) answers without loading it. */
export const VERSION_KEY_FIELDS = new Set<string>([
  "__typename",
  versionField("id"),
  versionField("number"),
  versionField("project"),
  versionField("model"),
  versionField("aliases"),
]);

/** The file reads below the versions at `path` (from the resolver's field), for read-ahead. */
export function fileReadsBelow(info: GraphQLResolveInfo, path: string[]): FileReads {
  const below = (field: string) => argumentsBelow(info, [...path, field]);
  return {
    listings: below(versionField("artifacts")).map((args) => ({
      path: args.path as string,
      recursive: args.recursive as boolean,
    })),
    finds: below(versionField("artifact")).map((args) => args.path as string),
    mlmodel: below(versionField("mlmodel")).length > 0,
  };
}
