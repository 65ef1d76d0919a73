import { ObjectType } from "type-graphql";
import { Connection } from "../common/connection.js";
import { Version } from "./version.type.js";

@ObjectType()
export class VersionConnection extends Connection(Version, "Version") {}
