import type { Deployment } from "../../stack/supergraph.js";
import { type BenchContext, graphql, keyValues, type Outcome, restClients } from "../operation.js";
import { listExperimentIds, listModels, listVersions, runsById } from "./dashboard.js";

/**
 * (e) `entity_fetch`: versions another team's subgraph references (a deployments service),
 * resolved through a supergraph, against the same versions asked of registry-graph directly.
 * Not one of the REST-compared operations: its baseline is registry-graph itself.
 */
export const ENTITY_FETCH = "entity_fetch";

/** The alias whose versions are deployed: the seed gives it a run with metrics. */
const DEPLOYED_ALIAS = "champion";

/** What both answers say of a deployed version. */
interface VersionData {
  project: string;
  model: string;
  number: number;
  aliases: string[];
  /** null for a version without a run. */
  metrics: { key: string; value: string }[] | null;
}

interface VersionAnswer {
  project: { name: string };
  model: { name: string };
  number: number;
  aliases: string[];
  run: { metrics: { key: string; value: number }[] } | null;
}

const VERSION_FIELDS =
  "project { name } model { name } number aliases run { metrics { key value } }";

export const SUPERGRAPH_QUERY = `query EntityFetch { deployments { name version { ${VERSION_FIELDS} } } }`;

/** What the router itself sends registry-graph for the query above, with the key fields too. */
export const DIRECT_QUERY = `query EntityFetch($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Version { ${VERSION_FIELDS} } }
}`;

/**
 * Per project, the model and version listings (a batch naming several models reads them
 * whole), experiment ids, and the runs by id: the dashboard's four calls.
 */
export const entityFetchCalls = (projects: number) => 4 * projects;

/**
 * Up to `count` deployments of the fixture's champion versions, taken from each project's
 * model listing in turn, so they spread evenly over the projects.
 */
export async function benchDeployments(ctx: BenchContext, count: number): Promise<Deployment[]> {
  const rest = restClients(ctx, ctx.agent);
  const perProject = await Promise.all(
    rest.clients.map(async (client) =>
      (await listModels(client))
        .sort((a, b) => a.name.localeCompare(b.name))
        .flatMap((model) =>
          (model.aliases ?? [])
            .filter((a) => a.alias === DEPLOYED_ALIAS)
            .map((a) => ({
              project: client.project,
              model: model.name,
              version: Number(a.version),
            })),
        ),
    ),
  );
  const picked: Omit<Deployment, "name" | "environment">[] = [];
  for (let i = 0; picked.length < count && perProject.some((list) => i < list.length); i++) {
    for (const list of perProject)
      if (i < list.length && picked.length < count) picked.push(list[i]!);
  }
  return picked.map((d, i) => ({
    ...d,
    name: `deployment-${String(i).padStart(3, "0")}`,
    environment: "production",
  }));
}

export const representations = (deployments: readonly Deployment[]) =>
  deployments.map((d) => ({
    __typename: "Version",
    project: { name: d.project },
    model: { name: d.model },
    number: d.version,
  }));

function versionData(answer: VersionAnswer | null, where: string): VersionData {
  if (!answer) throw new Error(`${where}: no version`);
  return {
    project: answer.project.name,
    model: answer.model.name,
    number: answer.number,
    aliases: [...answer.aliases].sort(),
    metrics: answer.run ? keyValues(answer.run.metrics) : null,
  };
}

/** The versions as the supergraph answers them, in the deployments' order. */
export async function throughSupergraph(
  ctx: BenchContext,
  supergraphUrl: string,
): Promise<Outcome> {
  const { data } = await graphql<{
    deployments: { name: string; version: VersionAnswer | null }[];
  }>({ ...ctx, gatewayUrl: supergraphUrl }, SUPERGRAPH_QUERY);
  return {
    data: data.deployments.map((d) => versionData(d.version, d.name)),
    // The router keeps its subgraphs' extensions to itself.
    calls: NaN,
  };
}

/** The same versions in one `_entities` query to registry-graph. */
export async function direct(
  ctx: BenchContext,
  deployments: readonly Deployment[],
): Promise<Outcome> {
  const { data, calls } = await graphql<{ _entities: (VersionAnswer | null)[] }>(
    ctx,
    DIRECT_QUERY,
    { representations: representations(deployments) },
  );
  return {
    data: data._entities.map((v, i) => versionData(v, deployments[i]!.name)),
    calls,
  };
}

/** The same versions as MLflow's REST API has them, per project at once (as the dashboard). */
export async function fromRest(
  ctx: BenchContext,
  deployments: readonly Deployment[],
): Promise<Outcome> {
  const rest = restClients(ctx, ctx.agent);
  const projects = [...new Set(deployments.map((d) => d.project))];
  const perProject = new Map(
    await Promise.all(
      projects.map(async (project) => {
        const client = rest.byName(project);
        const [models, versions, experimentIds] = await Promise.all([
          listModels(client),
          listVersions(client),
          listExperimentIds(client),
        ]);
        const runIdOf = new Map(versions.map((v) => [`${v.name}\u0000${v.version}`, v.run_id]));
        const deployed = deployments.filter((d) => d.project === project);
        const runs = await runsById(
          client,
          experimentIds,
          deployed.flatMap((d) => runIdOf.get(`${d.model}\u0000${d.version}`) ?? []),
        );
        return [project, { models, runIdOf, runs }] as const;
      }),
    ),
  );
  const data = deployments.map((d): VersionData => {
    const { models, runIdOf, runs } = perProject.get(d.project)!;
    const model = models.find((m) => m.name === d.model);
    const runId = runIdOf.get(`${d.model}\u0000${d.version}`);
    return {
      project: d.project,
      model: d.model,
      number: d.version,
      aliases: (model?.aliases ?? [])
        .filter((a) => Number(a.version) === d.version)
        .map((a) => a.alias)
        .sort(),
      metrics: runId ? keyValues(runs.get(runId)?.data.metrics) : null,
    };
  });
  return { data, calls: rest.calls() };
}
