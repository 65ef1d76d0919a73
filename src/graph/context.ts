import type { GraphQLError } from "graphql";
import type { ServerConfig } from "../config/schema.js";
import type { Registry } from "../registry/create-registry.js";

/** What every resolver gets: the registry of this request, page limits, and partial errors. */
export interface GraphContext {
  registry: Registry;
  limits: Pick<ServerConfig, "maxPageSize" | "defaultPageSize">;
  /** Errors of a field that still answered with what it could (one project down). */
  partialErrors: GraphQLError[];
}
