// MLflow's REST shapes as the server sends them: snake_case, int64 as JSON numbers, and
// every empty field left out (docs/mlflow-rest.md §1.1), hence all optional. Never leaves sources/.

export interface WireTag {
  key?: string;
  value?: string;
}

export interface WireRegisteredModel {
  name?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  description?: string;
  tags?: WireTag[];
  aliases?: { alias?: string; version?: string }[];
  latest_versions?: WireModelVersion[];
}

export interface WireError {
  error_code?: string;
  message?: string;
}

export interface WirePage {
  next_page_token?: string;
}

export interface WireSearchRegisteredModels extends WirePage {
  registered_models?: WireRegisteredModel[];
}

export interface WireGetRegisteredModel {
  registered_model?: WireRegisteredModel;
}

export interface WireModelVersion {
  name?: string;
  version?: string;
  creation_timestamp?: number;
  last_updated_timestamp?: number;
  current_stage?: string;
  description?: string;
  source?: string;
  run_id?: string;
  status?: string;
  status_message?: string;
  tags?: WireTag[];
  run_link?: string;
}

export interface WireGetModelVersion {
  model_version?: WireModelVersion;
}

export interface WireSearchModelVersions extends WirePage {
  model_versions?: WireModelVersion[];
}

export interface WireMetric {
  key?: string;
  value?: number;
  timestamp?: number;
  step?: number;
}

export interface WireRun {
  info?: {
    run_id?: string;
    run_name?: string;
    experiment_id?: string;
    user_id?: string;
    status?: string;
    start_time?: number;
    end_time?: number;
    artifact_uri?: string;
    lifecycle_stage?: string;
  };
  data?: { metrics?: WireMetric[]; params?: WireTag[]; tags?: WireTag[] };
}

export interface WireSearchRuns extends WirePage {
  runs?: WireRun[];
}

export interface WireSearchExperiments extends WirePage {
  experiments?: { experiment_id?: string }[];
}

export interface WireLoggedModel {
  info?: {
    model_id?: string;
    experiment_id?: string;
    name?: string;
    source_run_id?: string;
    artifact_uri?: string;
  };
}

export interface WireSearchLoggedModels extends WirePage {
  models?: WireLoggedModel[];
}

export interface WireProxiedArtifacts {
  files?: { path?: string; is_dir?: boolean; file_size?: number }[];
}
