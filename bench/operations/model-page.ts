import { parse as parseYaml } from "yaml";
import { byKey, graphql, keyValues, type Operation, restClients } from "../operation.js";
import type { MlflowRest } from "../rest.js";
import { API, type FilesPage, type WireKeyValue, type WireRun, type WireVersion } from "../wire.js";
import { listExperimentIds, listVersions, runsById } from "./dashboard.js";

/** (b) One model's versions with their runs, its champion's signature and root files. */
interface ModelPage {
  versions: {
    number: number;
    runId: string | null;
    params: { key: string; value: string }[];
    metrics: { key: string; value: string }[];
  }[];
  champion: { number: number; signature: Signature; files: FileEntry[] };
}

interface Column {
  name: string | null;
  type: string;
}
interface Signature {
  inputs: Column[];
  outputs: Column[];
}
export interface FileEntry {
  path: string;
  isDir: boolean;
  size: number | null;
}

export const ALIAS = "champion";

const QUERY = `query ModelPage($project: String!, $model: String!) {
  model(project: $project, name: $model) {
    versions(first: 10000) { edges { node {
      number
      run { runId params { key value } metrics { key value } }
    } } }
    version(alias: "${ALIAS}") {
      number
      mlmodel { signature {
        inputs { columns { name type } }
        outputs { columns { name type } }
      } }
      artifacts { path isDir size }
    }
  }
}`;

interface Answer {
  model: {
    versions: {
      edges: {
        node: {
          number: number;
          run: { runId: string; params: WireKeyValue[]; metrics: WireKeyValue[] } | null;
        };
      }[];
    };
    version: {
      number: number;
      mlmodel: {
        signature: {
          inputs: { columns: Column[] } | null;
          outputs: { columns: Column[] } | null;
        } | null;
      } | null;
      artifacts: FileEntry[];
    };
  };
}

export function files(entries: FileEntry[]): FileEntry[] {
  return entries
    .map((e) => ({ path: e.path, isDir: e.isDir, size: e.isDir ? null : Number(e.size) }))
    .sort(byKey((e) => e.path));
}

/** MLflow's artifacts/list of one folder of a run, paths made relative to `root`. */
export async function listRunFolder(
  client: MlflowRest,
  runId: string,
  root: string,
  folder: string,
): Promise<FileEntry[]> {
  const page = await client.get<FilesPage>(`${API}/artifacts/list`, {
    run_id: runId,
    path: folder ? `${root}/${folder}` : root,
  });
  return (page.files ?? []).map((f) => ({
    path: f.path.slice(root.length + 1),
    isDir: f.is_dir,
    size: f.is_dir ? null : Number(f.file_size),
  }));
}

/** `mlflow-artifacts:/1/<run>/artifacts/model` → the run's folder `model`. */
export function runFolder(version: WireVersion): string {
  return version.source.split("/artifacts/").slice(1).join("/artifacts/");
}

/** The MLmodel through MLflow's artifact proxy, its signature's columns parsed. */
async function signatureOf(client: MlflowRest, version: WireVersion): Promise<Signature> {
  const path = version.source.replace(/^mlflow-artifacts:\//, "");
  const text = await client.text(`api/2.0/mlflow-artifacts/artifacts/${path}/MLmodel`);
  const mlmodel = parseYaml(text) as { signature?: { inputs?: string; outputs?: string } };
  const columns = (json?: string): Column[] =>
    json
      ? (JSON.parse(json) as { name?: string; type: string }[]).map((c) => ({
          name: c.name ?? null,
          type: c.type,
        }))
      : [];
  return {
    inputs: columns(mlmodel.signature?.inputs),
    outputs: columns(mlmodel.signature?.outputs),
  };
}

function page(
  versions: WireVersion[],
  runOf: (v: WireVersion) => WireRun | undefined,
  champion: ModelPage["champion"],
): ModelPage {
  return {
    versions: versions
      .map((v) => {
        const run = runOf(v);
        return {
          number: Number(v.version),
          runId: run?.info.run_id ?? null,
          params: keyValues(run?.data.params),
          metrics: keyValues(run?.data.metrics),
        };
      })
      .sort((a, b) => a.number - b.number),
    champion: { ...champion, files: files(champion.files) },
  };
}

const nameFilter = (model: string) => `name = '${model}'`;

export const modelPage: Operation = {
  name: "model_page",
  // The model, its versions (name = …), experiment ids, the runs by id; in S3, the root
  // listing and the MLmodel.
  gatewayCalls: () => 6,

  request: ({ target }) => ({
    query: QUERY,
    variables: { project: target.project, model: target.model },
  }),

  async gateway(ctx) {
    const { query, variables } = this.request(ctx);
    const { data, calls } = await graphql<Answer>(ctx, query, variables);
    const champion = data.model.version;
    const signature = champion.mlmodel?.signature;
    const result: ModelPage = {
      versions: data.model.versions.edges
        .map(({ node }) => ({
          number: node.number,
          runId: node.run?.runId ?? null,
          params: keyValues(node.run?.params),
          metrics: keyValues(node.run?.metrics),
        }))
        .sort((a, b) => a.number - b.number),
      champion: {
        number: champion.number,
        signature: {
          inputs: signature?.inputs?.columns ?? [],
          outputs: signature?.outputs?.columns ?? [],
        },
        files: files(champion.artifacts),
      },
    };
    return { data: result, calls };
  },

  // The versions, then one runs/get per version, then the champion, its files, its MLmodel.
  async naive_rest(ctx) {
    const { project, model } = ctx.target;
    const rest = restClients({ ...ctx, only: [project] });
    const client = rest.byName(project);
    const versions = await listVersions(client, nameFilter(model));
    const runs = new Map<string, WireRun>();
    for (const v of versions) {
      if (!v.run_id) continue;
      const { run } = await client.get<{ run: WireRun }>(`${API}/runs/get`, { run_id: v.run_id });
      runs.set(v.run_id, run);
    }
    const { model_version: champion } = await client.get<{ model_version: WireVersion }>(
      `${API}/registered-models/alias`,
      { name: model, alias: ALIAS },
    );
    const root = await listRunFolder(client, champion.run_id!, runFolder(champion), "");
    const signature = await signatureOf(client, champion);
    const data = page(versions, (v) => runs.get(v.run_id ?? ""), {
      number: Number(champion.version),
      signature,
      files: root,
    });
    return { data, calls: rest.calls() };
  },

  // Versions, experiments and the alias at once; then the runs, files and MLmodel at once.
  async parallel_rest(ctx) {
    const { project, model } = ctx.target;
    const rest = restClients({ ...ctx, only: [project] }, ctx.agent);
    const client = rest.byName(project);
    const [versions, experimentIds, registered] = await Promise.all([
      listVersions(client, nameFilter(model)),
      listExperimentIds(client),
      client.get<{ registered_model: { aliases?: { alias: string; version: string }[] } }>(
        `${API}/registered-models/get`,
        { name: model },
      ),
    ]);
    const number = registered.registered_model.aliases?.find((a) => a.alias === ALIAS)?.version;
    const champion = versions.find((v) => v.version === number);
    if (!champion) throw new Error(`${model} has no ${ALIAS} version`);
    const [runs, root, signature] = await Promise.all([
      runsById(
        client,
        experimentIds,
        versions.flatMap((v) => (v.run_id ? [v.run_id] : [])),
      ),
      listRunFolder(client, champion.run_id!, runFolder(champion), ""),
      signatureOf(client, champion),
    ]);
    const data = page(versions, (v) => runs.get(v.run_id ?? ""), {
      number: Number(champion.version),
      signature,
      files: root,
    });
    return { data, calls: rest.calls() };
  },
};
