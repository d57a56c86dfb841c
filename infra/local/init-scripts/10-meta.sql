-- pqrs-lakehouse serving store, step 2 of 5: the control plane. Every pipeline run writes here:
-- RUNNING when it starts, then SUCCESS, DEGRADED or FAILED with its figures (see docs/03-serving).
CREATE TABLE IF NOT EXISTS meta.etl_runs (
  run_id VARCHAR NOT NULL,
  layer VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE NOT NULL,
  ended_at TIMESTAMP WITH TIME ZONE,
  rows_in BIGINT,
  rows_out BIGINT,
  rows_quarantined BIGINT,
  seed BIGINT,
  config_hash VARCHAR,
  code_version VARCHAR,
  runner VARCHAR,
  as_of TIMESTAMP WITH TIME ZONE,
  error_message VARCHAR,
  PRIMARY KEY (run_id, layer)
);
COMMENT ON TABLE meta.etl_runs IS 'One record per run and layer: the latest attempt. RUNNING, then SUCCESS, DEGRADED or FAILED.';
COMMENT ON COLUMN meta.etl_runs.rows_quarantined IS 'Rows set aside with a reason: quarantined (bronze) or set aside (silver).';
COMMENT ON COLUMN meta.etl_runs.config_hash IS 'SHA-256 of the config, contract and reference files the run read, as listed in its manifest.';
CREATE INDEX IF NOT EXISTS etl_runs_layer_status ON meta.etl_runs (layer, status, ended_at);

CREATE TABLE IF NOT EXISTS meta.data_quality (
  run_id VARCHAR NOT NULL,
  layer VARCHAR NOT NULL,
  check_name VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  severity VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  observed DOUBLE PRECISION,
  threshold VARCHAR,
  rows_affected BIGINT,
  detail VARCHAR,
  PRIMARY KEY (run_id, layer, check_name)
);
COMMENT ON TABLE meta.data_quality IS 'Every check result of every layer run (docs/07-config/pqrs_quality_v1.yaml).';

CREATE TABLE IF NOT EXISTS meta.manifest_index (
  run_id VARCHAR NOT NULL,
  layer VARCHAR NOT NULL,
  manifest_path VARCHAR NOT NULL,
  data_hash VARCHAR NOT NULL,
  status VARCHAR NOT NULL,
  files INTEGER NOT NULL,
  rows_total BIGINT NOT NULL,
  published_at TIMESTAMP WITH TIME ZONE NOT NULL,
  PRIMARY KEY (run_id, layer)
);
COMMENT ON TABLE meta.manifest_index IS 'Where each published run''s manifest is, and the hash of its data. A run that fails later keeps its last published entry.';
COMMENT ON COLUMN meta.manifest_index.published_at IS 'When this run was last published (for Gold: loaded); the gold.v_* views show the latest SUCCESS.';

CREATE TABLE IF NOT EXISTS meta.init_scripts (
  sha256 VARCHAR NOT NULL PRIMARY KEY,
  relations INTEGER NOT NULL
);
COMMENT ON TABLE meta.init_scripts IS 'The portable init scripts last applied by a pqrs command: the SHA-256 of their text and how many tables and views meta and gold had then. A command applies them again only when either differs.';
