import { FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { Run as RunData } from "../../sources/mlflow/types.js";
import { encodeId } from "../common/global-id.js";
import { Project, type ProjectRoot } from "../project/project.type.js";
import { Run } from "./run.type.js";

@Resolver(() => Run)
export class RunResolver {
  @FieldResolver(() => ID)
  id(@Root() run: RunData): string {
    return encodeId("Run", run.project, run.id);
  }

  @FieldResolver(() => String, { description: "MLflow's own run id." })
  runId(@Root() run: RunData): string {
    return run.id;
  }

  @FieldResolver(() => Project)
  project(@Root() run: RunData): ProjectRoot {
    return { name: run.project };
  }
}
