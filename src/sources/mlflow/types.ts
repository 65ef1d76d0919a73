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
  /** The newest version in each stage, as MLflow keeps it on the model. */
  latestVersions: ModelVersion[];
}

export type VersionStatus = "READY" | "PENDING_REGISTRATION" | "FAILED_REGISTRATION";

export interface ModelVersion {
  project: string;
  /** The registered model's name. */
  model: string;
  number: number;
  createdAt: Date;
  updatedAt: Date;
  /** Legacy stage; null for MLflow's "None". */
  stage: string | null;
  description: string | null;
  source: string;
  /** null when MLflow has none (registry-only versions send ""). */
  runId: string | null;
  /** The MLflow 3 logged model behind a `models:/m-…` source; MLflow does not return it. */
  loggedModelId: string | null;
  status: VersionStatus;
  statusMessage: string | null;
  tags: Tag[];
}

export interface Metric {
  key: string;
  value: number;
  step: number;
  timestamp: Date;
}

export interface Run {
  project: string;
  id: string;
  name: string | null;
  experimentId: string;
  status: string;
  startTime: Date | null;
  endTime: Date | null;
  user: string | null;
  artifactUri: string | null;
  /** The latest value of each metric. */
  metrics: Metric[];
  params: Tag[];
  tags: Tag[];
}

export interface LoggedModel {
  project: string;
  id: string;
  experimentId: string;
  name: string | null;
  sourceRunId: string | null;
  artifactUri: string | null;
}

export interface ServerStatus {
  up: boolean;
  mlflowVersion: string | null;
  latencyMs: number;
  /** Why the server is not up, safe to show (no URLs or credentials). */
  error: string | null;
}

/** An entry of MLflow's artifact proxy listing. */
export interface ProxiedArtifact {
  name: string;
  isDir: boolean;
  size: number | null;
}
