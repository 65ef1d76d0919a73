/**
 * Whether a column declared `from` in the baseline's signature still passes as `to` in the
 * candidate's, as MLflow's schema enforcement converts it (mlflow/models/utils.py,
 * `_enforce_mlflow_datatype`): the same type; a wider one of its kind (integer → long,
 * float → double); integer → double (an int32 fits a float64 exactly). Not long → double
 * (MLflow refuses an int64 into a float64) nor integer → float. A candidate typed `any`
 * takes whatever comes. Composite types (array, object, map) compare by their name only,
 * since the parsed signature keeps no more of them.
 */
const WIDENS_TO: Readonly<Record<string, readonly string[]>> = {
  integer: ["long", "double"],
  float: ["double"],
};

export function acceptsType(from: string, to: string): boolean {
  return from === to || to === "any" || (WIDENS_TO[from]?.includes(to) ?? false);
}
