import DataLoader from "dataloader";
import type { ProxiedArtifact } from "../sources/mlflow/types.js";
import { type RangedObject, type S3Entry, S3Store } from "../sources/s3/store.js";
import type { S3Location } from "../sources/s3/uri.js";
import type { MlflowClients } from "./mlflow-clients.js";
import { settleEach } from "./settle.js";

export interface ListingKey {
  location: S3Location;
  /** Folder under the location; "" for its root. */
  path: string;
  recursive: boolean;
}

export interface ReadKey {
  location: S3Location;
  path: string;
  maxBytes: number;
}

export interface ProxiedKey {
  project: string;
  /** Path under the server's artifact root (mlflow-artifacts:/…). */
  path: string;
}

const at = (location: S3Location, path: string) =>
  `${location.bucket}\u0000${location.prefix}\u0000${path}`;

/**
 * S3 listings and reads, one per distinct prefix or object per request, shared by every
 * field that needs them; and MLflow's artifact proxy for projects with no S3 mapping.
 */
export function createArtifactLoaders(s3: S3Store, mlflow: MlflowClients) {
  const listing = new DataLoader<ListingKey, S3Entry[], string>(
    (keys) => settleEach(keys, (k) => s3.list(k.location, k.path, k.recursive)),
    { cacheKeyFn: (k) => `${at(k.location, k.path)}\u0000${k.recursive}` },
  );

  const objectStart = new DataLoader<ReadKey, RangedObject | null, string>(
    (keys) => settleEach(keys, (k) => s3.readStart(k.location, k.path, k.maxBytes)),
    { cacheKeyFn: (k) => `${at(k.location, k.path)}\u0000${k.maxBytes}` },
  );

  const proxiedListing = new DataLoader<ProxiedKey, ProxiedArtifact[], string>(
    (keys) => settleEach(keys, (k) => mlflow(k.project).listProxiedArtifacts(k.path)),
    { cacheKeyFn: (k) => `${k.project}\u0000${k.path}` },
  );

  const proxiedText = new DataLoader<ProxiedKey, string, string>(
    (keys) => settleEach(keys, (k) => mlflow(k.project).readProxiedArtifact(k.path)),
    { cacheKeyFn: (k) => `${k.project}\u0000${k.path}` },
  );

  return {
    listing,
    objectStart,
    proxiedListing,
    proxiedText,
  };
}
