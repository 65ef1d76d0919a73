// What a subscription may filter on and report, for the graph's enums: the change kinds the
// sources report and the ways the gateway hears of them, named once where they are defined.
export { CHANGE_KINDS as EVENT_KINDS, type ChangeKind } from "../../sources/mlflow/changes.js";
export { EVENT_ORIGINS, type EventOrigin, type RegistryEvent } from "../../events/event.js";
