/**
 * What a query will read, as the graph declares it next to the fields that read it
 * (graph/model/model.reads.ts, graph/version/version.reads.ts). The registry starts calls
 * from these, never from field names: a renamed field breaks the graph's build, not a plan.
 */

/** The file reads a query makes below one version. */
export interface FileReads {
  /** `artifacts(path, recursive)`, one entry per occurrence. */
  listings: { path: string; recursive: boolean }[];
  /** `artifact(path)`, one path per occurrence. */
  finds: string[];
  /** `mlmodel` (and its sibling files). */
  mlmodel: boolean;
}

/** What a query reads of a model (or of each model of a list). */
export interface ModelReads {
  /** Fields of the model beyond its key and `version`: the model itself must be loaded. */
  beyondKey: boolean;
  /** The arguments of each `version(...)`; one entry per occurrence. */
  versionArgs: { number?: number | null; alias?: string | null }[];
  /** The model's version list (`versions`, `latestVersions`). */
  versionList: boolean;
  /** Fields of an alias's version that the alias's key does not answer. */
  aliasVersionData: boolean;
  /** A run, anywhere below. */
  runs: boolean;
  /** `aliases { version { run } }`. */
  aliasRuns: boolean;
  /** File reads below `version(...)`. */
  files: FileReads;
}

export const noFileReads = (): FileReads => ({ listings: [], finds: [], mlmodel: false });
