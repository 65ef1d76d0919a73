import { readFile, writeFile } from "node:fs/promises";
import { printGraphSchema } from "../graph/schema.js";

/** Prints the SDL (standalone, or the subgraph's with `subgraph`), writes it (`--out`), or fails when a committed copy is stale (`--check`). */
export async function printSchemaCommand(options: {
  out?: string;
  check?: string;
  subgraph?: boolean;
}): Promise<number> {
  const sdl = await printGraphSchema({ subgraph: options.subgraph });
  if (options.check) {
    const committed = await readFile(options.check, "utf8").catch(() => "");
    if (committed === sdl) return 0;
    console.error(`${options.check} is out of date with the code: run \`npm run schema:print\``);
    return 1;
  }
  if (options.out) await writeFile(options.out, sdl);
  else process.stdout.write(sdl);
  return 0;
}
