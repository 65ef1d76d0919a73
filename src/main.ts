#!/usr/bin/env node
// Imports only the version check, so that an older Node gets a clear message instead of a
// syntax or API error from a dependency that needs a newer one.
import { exitOnUnsupportedNode } from "./runtime.js";

exitOnUnsupportedNode();
const { runCli } = await import("./cli/run.js");
await runCli(process.argv.slice(2));
