import { byKey, graphql, keyValues, type Operation, restClients, selected } from "../operation.js";
import { allPages, chunks, type MlflowRest } from "../rest.js";
import {
  API,
  type ExperimentsPage,
  type ModelsPage,
  type RunsPage,
  type VersionsPage,
  type WireKeyValue,
  type WireModel,
  type WireRun,
  type WireVersion,
} from "../wire.js";

/** (a) Every model of every project, its aliases, and each alias version's run metrics. */
interface DashboardRow {
  project: string;
  model: string;
  aliases: { alias: string; version: number; metrics: { key: string; value: string }[] }[];
}

const QUERY = `query Dashboard($projects: [String!], $first: Int) {
  models(projects: $projects, first: $first) {
    totalCount
    edges { node {
      name
      project { name }
      aliases { alias version { number run { metrics { key value } } } }
    } }
  }
}`;

interface Answer {
  models: {
    edges: {
      node: {
        name: string;
        project: { name: string };
        aliases: {
          alias: string;
          version: { number: number; run: { metrics: WireKeyValue[] } | null };
        }[];
      };
    }[];
  };
}

function sorted(rows: DashboardRow[]): DashboardRow[] {
  for (const row of rows) row.aliases.sort(byKey((a) => a.alias));
  return rows.sort(byKey((r) => `${r.project}\u0000${r.model}`));
}

export function listModels(client: MlflowRest): Promise<WireModel[]> {
  return allPages((token) =>
    client.get<ModelsPage>(`${API}/registered-models/search`, {
      max_results: "1000",
      ...(token ? { page_token: token } : {}),
    }),
  ).then((pages) => pages.flatMap((p) => p.registered_models ?? []));
}

export function listVersions(client: MlflowRest, filter?: string): Promise<WireVersion[]> {
  return allPages((token) =>
    client.get<VersionsPage>(`${API}/model-versions/search`, {
      max_results: "5000",
      ...(filter ? { filter } : {}),
      ...(token ? { page_token: token } : {}),
    }),
  ).then((pages) => pages.flatMap((p) => p.model_versions ?? []));
}

export function listExperimentIds(client: MlflowRest): Promise<string[]> {
  return allPages((token) =>
    client.post<ExperimentsPage>(`${API}/experiments/search`, {
      max_results: 1000,
      view_type: "ALL",
      page_token: token,
    }),
  ).then((pages) => pages.flatMap((p) => (p.experiments ?? []).map((e) => e.experiment_id)));
}

/** runs/search with `attributes.run_id IN (…)`, 1,000 ids a call, all calls at once. */
export async function runsById(
  client: MlflowRest,
  experimentIds: string[],
  runIds: string[],
): Promise<Map<string, WireRun>> {
  const unique = [...new Set(runIds)];
  const lists = await Promise.all(
    chunks(unique, 1000).map((ids) =>
      allPages((token) =>
        client.post<RunsPage>(`${API}/runs/search`, {
          experiment_ids: experimentIds,
          filter: `attributes.run_id IN (${ids.map((id) => `'${id}'`).join(",")})`,
          run_view_type: "ALL",
          max_results: 1000,
          page_token: token,
        }),
      ),
    ),
  );
  const runs = lists.flat().flatMap((p) => p.runs ?? []);
  return new Map(runs.map((r) => [r.info.run_id, r]));
}

export const dashboard: Operation = {
  name: "dashboard",
  // Per project: the model listing, the version listing, experiment ids, the runs by id.
  gatewayCalls: (projects) => 4 * projects,

  request: (ctx) => ({
    query: QUERY,
    variables: { projects: selected(ctx).map((p) => p.name), first: 10_000 },
  }),

  async gateway(ctx) {
    const { query, variables } = this.request(ctx);
    const { data, calls } = await graphql<Answer>(ctx, query, variables);
    const rows = data.models.edges.map(({ node }) => ({
      project: node.project.name,
      model: node.name,
      aliases: node.aliases.map((a) => ({
        alias: a.alias,
        version: a.version.number,
        metrics: keyValues(a.version.run?.metrics),
      })),
    }));
    return { data: sorted(rows), calls };
  },

  // The listing, then for each alias its version, then that version's run: one call each.
  async naive_rest(ctx) {
    const rest = restClients(ctx);
    const rows: DashboardRow[] = [];
    for (const client of rest.clients) {
      for (const model of await listModels(client)) {
        const row: DashboardRow = { project: client.project, model: model.name, aliases: [] };
        for (const { alias } of model.aliases ?? []) {
          const { model_version: version } = await client.get<{ model_version: WireVersion }>(
            `${API}/registered-models/alias`,
            { name: model.name, alias },
          );
          const { run } = await client.get<{ run: WireRun }>(`${API}/runs/get`, {
            run_id: version.run_id!,
          });
          row.aliases.push({
            alias,
            version: Number(version.version),
            metrics: keyValues(run.data.metrics),
          });
        }
        rows.push(row);
      }
    }
    return { data: sorted(rows), calls: rest.calls() };
  },

  // Per project at once: the listing, every version, the experiments; then the runs by id.
  async parallel_rest(ctx) {
    const rest = restClients(ctx, ctx.agent);
    const perProject = await Promise.all(
      rest.clients.map(async (client) => {
        const [models, versions, experimentIds] = await Promise.all([
          listModels(client),
          listVersions(client),
          listExperimentIds(client),
        ]);
        const versionOf = new Map(versions.map((v) => [`${v.name}\u0000${v.version}`, v]));
        const aliased = models.flatMap((m) =>
          (m.aliases ?? []).map((a) => versionOf.get(`${m.name}\u0000${a.version}`)),
        );
        const runs = await runsById(
          client,
          experimentIds,
          aliased.flatMap((v) => (v?.run_id ? [v.run_id] : [])),
        );
        return models.map((model) => ({
          project: client.project,
          model: model.name,
          aliases: (model.aliases ?? []).map((a) => {
            const runId = versionOf.get(`${model.name}\u0000${a.version}`)?.run_id;
            return {
              alias: a.alias,
              version: Number(a.version),
              metrics: keyValues(runId ? runs.get(runId)?.data.metrics : []),
            };
          }),
        }));
      }),
    );
    return { data: sorted(perProject.flat()), calls: rest.calls() };
  },
};
