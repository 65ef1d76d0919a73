import type { GraphQLError } from "graphql";
import type { ServerConfig } from "../config/schema.js";
import type { Loaders } from "../loaders/index.js";

/** What every resolver gets: this request's loaders, the known projects, and limits. */
export interface GraphContext {
  loaders: Loaders;
  projectNames: readonly string[];
  limits: Pick<ServerConfig, "maxPageSize" | "defaultPageSize">;
  /** Errors of a field that still answered with what it could (one project down). */
  partialErrors: GraphQLError[];
}
