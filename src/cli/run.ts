import { parseArgs } from "node:util";
import { checkConfig } from "./check-config.js";
import { printSchemaCommand } from "./print-schema.js";
import { serve } from "./serve.js";
import { createTokenText } from "./token-create.js";
import { ConfigError, loadConfig } from "../config/load.js";
import { secretsOf } from "../server/log-scrub.js";
import { createLogger } from "../server/logger.js";

const usage = `usage: registry-graph <command> [options]

commands:
  serve         [--config FILE] [--port N] [--host H]   serve GraphQL (config also from REGISTRY_GRAPH_CONFIG)
  check-config  [--config FILE]                         validate the config, reach every upstream, print a table
  print-schema  [--subgraph] [--out FILE | --check FILE]
                                                        print the GraphQL schema (SDL); --subgraph:
                                                        the Federation 2 subgraph's
  token create  --subject NAME                          a new static token and its auth.tokens entry
`;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError("--port", [`--port: must be an integer from 0 to 65535, got "${value}"`]);
  }
  return port;
}

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      config: { type: "string", short: "c" },
      port: { type: "string", short: "p" },
      host: { type: "string" },
      out: { type: "string" },
      check: { type: "string" },
      subgraph: { type: "boolean" },
      subject: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command] = positionals;
  if (values.help || !command) {
    process.stdout.write(usage);
    return values.help ? 0 : 2;
  }
  switch (command) {
    case "print-schema":
      return printSchemaCommand({
        out: values.out,
        check: values.check,
        subgraph: values.subgraph,
      });
    case "check-config":
      return checkConfig(await loadConfig(values.config));
    case "token": {
      const subject = values.subject?.trim();
      if (positionals[1] !== "create" || !subject) {
        process.stderr.write(`usage: registry-graph token create --subject NAME\n`);
        return 2;
      }
      process.stdout.write(createTokenText(subject));
      return 0;
    }
    case "serve": {
      const config = await loadConfig(values.config);
      if (values.port !== undefined) config.server.port = parsePort(values.port);
      if (values.host !== undefined) config.server.host = values.host;
      await serve(config, createLogger(undefined, undefined, secretsOf(config)));
      return -1;
    }
    default:
      process.stderr.write(`unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

/** Runs one command and sets the process's exit code (`serve` keeps the process running). */
export async function runCli(argv: string[]): Promise<void> {
  try {
    const code = await main(argv);
    if (code >= 0) process.exitCode = code;
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      process.stderr.write(`registry-graph: ${(error as Error).message ?? String(error)}\n`);
    }
    process.exitCode = 1;
  }
}
