/** The few MLflow REST shapes the bench reads (snake_case, as MLflow sends them). */
export const API = "api/2.0/mlflow";

export interface WireAlias {
  alias: string;
  version: string;
}
export interface WireModel {
  name: string;
  aliases?: WireAlias[];
}
export interface WireVersion {
  name: string;
  version: string;
  source: string;
  run_id?: string;
}
export interface WireKeyValue {
  key: string;
  value: string | number;
}
export interface WireRun {
  info: { run_id: string; experiment_id: string; artifact_uri: string };
  data: { params?: WireKeyValue[]; metrics?: WireKeyValue[] };
}
export interface WireFile {
  path: string;
  is_dir: boolean;
  file_size?: string | number;
}

export interface ModelsPage {
  registered_models?: WireModel[];
  next_page_token?: string;
}
export interface VersionsPage {
  model_versions?: WireVersion[];
  next_page_token?: string;
}
export interface ExperimentsPage {
  experiments?: { experiment_id: string }[];
  next_page_token?: string;
}
export interface RunsPage {
  runs?: WireRun[];
  next_page_token?: string;
}
export interface FilesPage {
  files?: WireFile[];
}
