import { ObjectType } from "type-graphql";
import { Connection } from "../common/connection.js";
import { Model } from "./model.type.js";

@ObjectType()
export class ModelConnection extends Connection(Model, "Model") {}
