import { describe, expect, it } from "@jest/globals";
import { runInNewContext } from "node:vm";
import { graphiqlPage, readGraphiqlAsset } from "../../../src/server/graphiql.js";

/** Runs the page's own script as a browser would, against stand-ins for GraphiQL and React. */
function runPage(location: { protocol: string; host: string; pathname: string }) {
  const page = graphiqlPage("{ projects { name } }");
  const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!;
  const fetcherOptions: Record<string, unknown>[] = [];
  const rendered: Record<string, unknown>[] = [];
  const GraphiQL = {
    createFetcher: (options: Record<string, unknown>) => (fetcherOptions.push(options), "fetcher"),
  };
  runInNewContext(script, {
    window: { location },
    document: { getElementById: () => ({}) },
    GraphiQL,
    React: { createElement: (_: unknown, props: Record<string, unknown>) => props },
    ReactDOM: {
      createRoot: () => ({ render: (props: Record<string, unknown>) => rendered.push(props) }),
    },
  });
  return { fetcherOptions, rendered };
}

describe("the GraphiQL page", () => {
  it("subscribes over ws: on the page's own host and path, and over wss: when loaded over https", () => {
    const plain = runPage({ protocol: "http:", host: "localhost:4000", pathname: "/graphql" });
    expect(plain.fetcherOptions).toEqual([
      { url: "/graphql", subscriptionUrl: "ws://localhost:4000/graphql" },
    ]);
    const tls = runPage({ protocol: "https:", host: "registry.example.org", pathname: "/graphql" });
    expect(tls.fetcherOptions[0]!.subscriptionUrl).toBe("wss://registry.example.org/graphql");
  });

  it("opens with a query tab and a subscription tab", () => {
    const { rendered } = runPage({ protocol: "http:", host: "h", pathname: "/graphql" });
    const tabs = rendered[0]!.defaultTabs as { query: string }[];
    expect(tabs.map((tab) => tab.query.match(/^(query|subscription) \w+/m)?.[1])).toEqual([
      undefined, // the default query is shorthand
      "subscription",
    ]);
    expect(tabs[1]!.query).toContain("registryEvents");
  });

  it("serves a GraphiQL build that carries graphql-ws's client, so no other script is needed", async () => {
    const bundle = await readGraphiqlAsset("graphiql.js");
    expect(bundle!.body.toString()).toContain("graphql-transport-ws");
  });
});
