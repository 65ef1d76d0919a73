import type { UpstreamCalls } from "../sources/calls.js";
import { MlflowClient } from "../sources/mlflow/client.js";
import type { Upstreams } from "../sources/upstreams.js";

export type MlflowClients = (project: string) => MlflowClient;

/** One client per project for this request, all counting into the request's calls. */
export function mlflowClients(upstreams: Upstreams, calls: UpstreamCalls): MlflowClients {
  const clients = new Map<string, MlflowClient>();
  return (project) => {
    let client = clients.get(project);
    if (!client) {
      client = new MlflowClient(upstreams.mlflow(project), calls);
      clients.set(project, client);
    }
    return client;
  };
}
