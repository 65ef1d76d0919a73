import { Node } from "../node/node.interface.js";
import { Field, ObjectType } from "type-graphql";

/** The root of a project is its name alone; everything else is resolved from it. */
export interface ProjectRoot {
  name: string;
}

@ObjectType({
  implements: Node,
  description: "One MLflow tracking server (or one workspace of it).",
})
export class Project implements ProjectRoot {
  @Field({ description: "The project's key in the graph, as configured." })
  name!: string;
}
