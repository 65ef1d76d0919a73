// What the MLflow source hands to the rest of the gateway: camelCase, typed, complete.

export interface Tag {
  key: string;
  value: string;
}

export interface ModelAlias {
  alias: string;
  version: number;
}

export interface RegisteredModel {
  project: string;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
  tags: Tag[];
  aliases: ModelAlias[];
}

export interface ServerStatus {
  up: boolean;
  mlflowVersion: string | null;
  latencyMs: number;
  /** Why the server is not up, safe to show (no URLs or credentials). */
  error: string | null;
}
