/** What a caller may do in a project; each role includes the ones before it. */
export const ROLES = ["reader", "writer", "admin"] as const;
export type Role = (typeof ROLES)[number];

/**
 * A role in one project (or `*`, every project), optionally narrowed to models whose names
 * match one of `models` (`fraud-*`), as MLflow grants per registered model.
 */
export interface Grant {
  project: string;
  role: Role;
  /** Model-name patterns, `*` matching any run of characters; absent means every model. */
  models?: readonly string[];
}

/** Who is asking, as authentication established it, and what they were granted. */
export interface Caller {
  /** The token's or JWT's subject; null for an anonymous caller. */
  subject: string | null;
  via: "token" | "jwt" | "anonymous";
  grants: readonly Grant[];
  /**
   * When the credentials stop holding, in ms since the epoch (a JWT's `exp`); absent: they do
   * not expire. A request is over long before; a subscription's connection is closed then.
   */
  expiresAt?: number;
}

/** A caller holding every role everywhere: for the gateway's own tools and unit tests. */
export const TRUSTED_CALLER: Caller = {
  subject: "registry-graph",
  via: "token",
  grants: [{ project: "*", role: "admin" }],
};
