import { graphql, type Operation, restClients } from "../operation.js";
import type { MlflowRest } from "../rest.js";
import { API, type WireVersion } from "../wire.js";
import { type FileEntry, files, listRunFolder, runFolder } from "./model-page.js";

/** (d) Every file of one version, recursively: path and size, folders left out. */
const QUERY = `query ArtifactTree($project: String!, $model: String!, $version: Int!) {
  model(project: $project, name: $model) {
    version(number: $version) { artifacts(recursive: true) { path isDir size } }
  }
}`;

interface Answer {
  model: { version: { artifacts: FileEntry[] } };
}

const onlyFiles = (entries: FileEntry[]) => files(entries.filter((e) => !e.isDir));

async function version(client: MlflowRest, model: string, number: number) {
  const { model_version } = await client.get<{ model_version: WireVersion }>(
    `${API}/model-versions/get`,
    { name: model, version: String(number) },
  );
  return model_version;
}

export const artifactTree: Operation = {
  name: "artifact_tree",
  // The version's get (which proves its model exists) and one recursive S3 listing.
  gatewayCalls: () => 2,

  request: ({ target }) => ({ query: QUERY, variables: { ...target } }),

  async gateway(ctx) {
    const { query, variables } = this.request(ctx);
    const { data, calls } = await graphql<Answer>(ctx, query, variables);
    return { data: onlyFiles(data.model.version.artifacts), calls };
  },

  // One folder after another, depth first.
  async naive_rest(ctx) {
    const { project, model } = ctx.target;
    const rest = restClients({ ...ctx, only: [project] });
    const client = rest.byName(project);
    const v = await version(client, model, ctx.target.version);
    const found: FileEntry[] = [];
    const walk = async (folder: string): Promise<void> => {
      for (const entry of await listRunFolder(client, v.run_id!, runFolder(v), folder)) {
        found.push(entry);
        if (entry.isDir) await walk(entry.path);
      }
    };
    await walk("");
    return { data: onlyFiles(found), calls: rest.calls() };
  },

  // Every folder of a level at once.
  async parallel_rest(ctx) {
    const { project, model } = ctx.target;
    const rest = restClients({ ...ctx, only: [project] }, ctx.agent);
    const client = rest.byName(project);
    const v = await version(client, model, ctx.target.version);
    const walk = async (folder: string): Promise<FileEntry[]> => {
      const entries = await listRunFolder(client, v.run_id!, runFolder(v), folder);
      const below = await Promise.all(entries.filter((e) => e.isDir).map((e) => walk(e.path)));
      return [...entries, ...below.flat()];
    };
    return { data: onlyFiles(await walk("")), calls: rest.calls() };
  },
};
