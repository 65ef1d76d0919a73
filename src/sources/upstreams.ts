import type { S3Client } from "@aws-sdk/client-s3";
import type { Config, ProjectConfig } from "../config/schema.js";
import type { AnswerInProcess } from "./http.js";
import { MlflowTransport } from "./mlflow/transport.js";
import { createS3Client } from "./s3/client.js";
import { parseS3Uri, type S3Location } from "./s3/uri.js";
import { SharedReads, type SharedReadsOptions } from "./shared-reads.js";
import { type FileScope, fileScopeOf } from "./storage/project-files.js";

/** Every upstream the config names, built once at start and shared by all requests. */
export class Upstreams {
  private readonly mlflowByProject: Map<string, MlflowTransport>;
  private readonly fileScopes: Map<string, FileScope>;
  /** S3 listings and object starts kept for every request (s3/store.ts); none without a cache. */
  readonly s3Reads: SharedReads | undefined;

  constructor(
    readonly projects: readonly ProjectConfig[],
    readonly s3: S3Client,
    /** Where records every replica must see are kept (config `state.uri`); null without one. */
    readonly stateRoot: S3Location | null = null,
    mlflowReads?: SharedReadsOptions,
    /** Tests only: answers every project's MLflow calls in process (a fake MLflow). */
    mlflowAnswer?: AnswerInProcess,
  ) {
    this.mlflowByProject = new Map(
      projects.map((p) => [p.name, new MlflowTransport(p, mlflowReads, mlflowAnswer)]),
    );
    this.fileScopes = new Map(projects.map((p) => [p.name, fileScopeOf(p, stateRoot)]));
    // Not shared in flight: a read runs on its request's budget and signal.
    this.s3Reads =
      mlflowReads && mlflowReads.cacheTtlMs > 0
        ? new SharedReads({ ...mlflowReads, shareInFlight: false, liveCacheTtlMs: 0 })
        : undefined;
  }

  static fromConfig(config: Config): Upstreams {
    const stateRoot = config.state ? parseS3Uri(config.state.uri) : null;
    return new Upstreams(config.projects, createS3Client(config.s3), stateRoot, config.mlflowReads);
  }

  hasProject(name: string): boolean {
    return this.mlflowByProject.has(name);
  }

  project(name: string): ProjectConfig {
    const project = this.projects.find((p) => p.name === name);
    if (!project) throw new Error(`no project "${name}"`);
    return project;
  }

  /** Where a project's files may be read, listed, presigned, copied and written. */
  fileScope(project: string): FileScope {
    const scope = this.fileScopes.get(project);
    if (!scope) throw new Error(`no project "${project}"`);
    return scope;
  }

  mlflow(project: string): MlflowTransport {
    const transport = this.mlflowByProject.get(project);
    if (!transport) throw new Error(`no MLflow upstream for project "${project}"`);
    return transport;
  }

  /** The buckets the projects' artifacts live in, to probe for readiness. */
  buckets(): string[] {
    const buckets = this.projects
      .map((p) => parseS3Uri(p.artifacts?.destination ?? p.artifacts?.root ?? "")?.bucket)
      .filter((b): b is string => b !== undefined);
    return [...new Set(buckets)];
  }

  close(): void {
    for (const transport of this.mlflowByProject.values()) transport.close();
    this.s3.destroy();
  }
}
