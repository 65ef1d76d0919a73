import { LRUCache } from "lru-cache";
import type { Storage } from "../../sources/storage/artifact-uri.js";

export interface VersionRef {
  project: string;
  model: string;
  number: number;
}

/**
 * Where each version's files were found last time, kept across requests, so a repeated read of
 * a version's files can start on S3 while the version itself is still being fetched (two
 * calls at once instead of one after the other). A hint only ever starts a read early: the
 * read is used only if the version fetched in this request has the same storage (the loaders
 * key reads by location, so a matching hint's read is the very one the field then asks for),
 * and a stale hint (a model deleted and registered again, its version 1 elsewhere) costs one
 * wasted read, never a wrong answer. Nothing here is ever shown to a client.
 */
export class StorageHints {
  private readonly hints: LRUCache<string, Storage>;

  constructor(max = 10_000) {
    this.hints = new LRUCache({ max });
  }

  get(version: VersionRef): Storage | undefined {
    return this.hints.get(keyOf(version));
  }

  remember(version: VersionRef, storage: Storage | null): void {
    if (storage) this.hints.set(keyOf(version), storage);
    else this.hints.delete(keyOf(version));
  }
}

const keyOf = ({ project, model, number }: VersionRef) => `${project}\u0000${model}\u0000${number}`;
