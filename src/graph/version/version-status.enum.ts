import { registerEnumType } from "type-graphql";

export enum VersionStatus {
  READY = "READY",
  PENDING_REGISTRATION = "PENDING_REGISTRATION",
  FAILED_REGISTRATION = "FAILED_REGISTRATION",
}

registerEnumType(VersionStatus, { name: "VersionStatus" });
