import { byKey, graphql, type Operation, restClients, selected } from "../operation.js";
import { API, type WireVersion } from "../wire.js";
import { listModels } from "./dashboard.js";

/** (c) Every version aliased `champion`, with its model and project. */
interface Champion {
  project: string;
  model: string;
  version: number;
}

const ALIAS = "champion";

const QUERY = `query Champions($projects: [String!], $first: Int) {
  versions(projects: $projects, filter: { alias: "${ALIAS}" }, first: $first) {
    totalCount
    edges { node { number model { name } project { name } } }
  }
}`;

interface Answer {
  versions: {
    edges: { node: { number: number; model: { name: string }; project: { name: string } } }[];
  };
}

const sorted = (rows: Champion[]) => rows.sort(byKey((r) => `${r.project}\u0000${r.model}`));

export const champions: Operation = {
  name: "cross_project_champions",
  // Per project, one model listing: aliases come with it, and versions are known by key.
  gatewayCalls: (projects) => projects,

  request: (ctx) => ({
    query: QUERY,
    variables: { projects: selected(ctx).map((p) => p.name), first: 10_000 },
  }),

  async gateway(ctx) {
    const { query, variables } = this.request(ctx);
    const { data, calls } = await graphql<Answer>(ctx, query, variables);
    const rows = data.versions.edges.map(({ node }) => ({
      project: node.project.name,
      model: node.model.name,
      version: node.number,
    }));
    return { data: sorted(rows), calls };
  },

  // The listing, then each model's champion by alias (404 when it has none).
  async naive_rest(ctx) {
    const rest = restClients(ctx);
    const rows: Champion[] = [];
    for (const client of rest.clients) {
      for (const model of await listModels(client)) {
        const answer = await client.getOrNull<{ model_version: WireVersion }>(
          `${API}/registered-models/alias`,
          { name: model.name, alias: ALIAS },
        );
        if (answer) {
          rows.push({
            project: client.project,
            model: model.name,
            version: Number(answer.model_version.version),
          });
        }
      }
    }
    return { data: sorted(rows), calls: rest.calls() };
  },

  // The model listing carries the alias map: one search per project, all at once.
  async parallel_rest(ctx) {
    const rest = restClients(ctx, ctx.agent);
    const lists = await Promise.all(
      rest.clients.map(async (client) =>
        (await listModels(client)).flatMap((model) =>
          (model.aliases ?? [])
            .filter((a) => a.alias === ALIAS)
            .map((a) => ({
              project: client.project,
              model: model.name,
              version: Number(a.version),
            })),
        ),
      ),
    );
    return { data: sorted(lists.flat()), calls: rest.calls() };
  },
};
