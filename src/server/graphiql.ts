import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { existsSync, readFileSync } from "node:fs";

// GraphiQL 3 ships a browser build that needs no bundler, on React 18's UMD builds; it bundles
// graphql-ws's client for subscriptions. All of it is served from the gateway's own
// node_modules: no CDN, so it works on an offline cluster.
const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (!existsSync(join(dir, "package.json")) || readPackageName(dir) !== name) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package directory of ${name}`);
    dir = parent;
  }
  return dir;
}

function readPackageName(dir: string): string | undefined {
  return (JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name;
}

const assets: Record<string, { pkg: string; file: string; type: string }> = {
  "react.js": { pkg: "react", file: "umd/react.production.min.js", type: "text/javascript" },
  "react-dom.js": {
    pkg: "react-dom",
    file: "umd/react-dom.production.min.js",
    type: "text/javascript",
  },
  "graphiql.js": { pkg: "graphiql", file: "graphiql.min.js", type: "text/javascript" },
  "graphiql.css": { pkg: "graphiql", file: "graphiql.min.css", type: "text/css" },
};

export const GRAPHIQL_ASSET_PREFIX = "/graphiql/";

/** One of GraphiQL's files by its served name, or null for any other name. */
export async function readGraphiqlAsset(
  name: string,
): Promise<{ body: Buffer; type: string } | null> {
  const asset = Object.hasOwn(assets, name) ? assets[name] : undefined;
  if (!asset) return null;
  const body = await readFile(join(packageDir(asset.pkg), asset.file));
  return { body, type: `${asset.type}; charset=utf-8` };
}

/**
 * The page at GET /graphql: GraphiQL talking to this same endpoint, queries over HTTP and
 * subscriptions over graphql-ws at the same path (ws: or wss:, as the page was loaded).
 * GraphiQL opens a socket per subscription and sends the headers editor's headers as its
 * connection_init payload, which is where the gateway reads `Authorization` (a browser cannot
 * set a WebSocket's headers).
 */
export function graphiqlPage(defaultQuery: string, subscription = EXAMPLE_SUBSCRIPTION): string {
  // JSON inside <script>: escape "<" so no string can close the tag.
  const config = JSON.stringify({ defaultQuery, subscription }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>registry-graph · GraphiQL</title>
  <link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="${GRAPHIQL_ASSET_PREFIX}react.js"></script>
  <script src="${GRAPHIQL_ASSET_PREFIX}react-dom.js"></script>
  <script src="${GRAPHIQL_ASSET_PREFIX}graphiql.js"></script>
  <script>
    const config = ${config};
    const fetcher = GraphiQL.createFetcher({
      url: window.location.pathname,
      subscriptionUrl:
        (window.location.protocol === "https:" ? "wss://" : "ws://") +
        window.location.host +
        window.location.pathname,
    });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultTabs: [{ query: config.defaultQuery }, { query: config.subscription }],
      }),
    );
  </script>
</body>
</html>
`;
}

export const EXAMPLE_QUERY = `# Every project, every model with its aliases, and every champion.
query Registry {
  projects {
    name
    status { up mlflowVersion latencyMs }
  }
  models(first: 20) {
    totalCount
    edges {
      node {
        project { name }
        name
        description
        aliases { alias version { number stage run { metrics { key value } } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
  versions(filter: { alias: "champion" }) {
    edges { node { project { name } model { name } number source } }
  }
}
`;

export const EXAMPLE_SUBSCRIPTION = `# Every change to the registries you may read, as it happens: run it, then move an alias
# (setAlias in another tab, MLflow's UI, or its REST API) and watch it arrive.
subscription Changes {
  registryEvents {
    at
    origin
    kind
    project
    model
    version
    alias
    tagKey
    tagValue
    stage
    modelId
  }
}
`;
