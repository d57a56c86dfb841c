package co.pqrs.lakehouse.serving;

import co.pqrs.lakehouse.layout.DataLayout;
import co.pqrs.lakehouse.manifest.Manifest;
import co.pqrs.lakehouse.quality.CheckResult;
import co.pqrs.lakehouse.transforms.io.RunRecorder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of one run and layer: {@code meta.etl_runs} (RUNNING → SUCCESS | DEGRADED |
 * FAILED), {@code meta.data_quality} and {@code meta.manifest_index}. For a Gold run, publishing also
 * loads its tables, in the same transaction as its SUCCESS record, so the {@code gold.v_*} views
 * switch to a run only once all of it is there.
 *
 * <p>The driver calls {@link #started}; the pipeline's publishing step calls {@link #published} or
 * {@link #failed}; the driver calls {@link #failed} too when the pipeline dies of anything else.
 */
public final class ControlPlane implements RunRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

  private final StoreConfig store;
  private final RunInfo info;
  private final DataLayout layout;

  public ControlPlane(StoreConfig store, RunInfo info, DataLayout layout) {
    this.store = store;
    this.info = info;
    this.layout = layout;
  }

  public StoreConfig store() {
    return store;
  }


  private static OffsetDateTime ts(Instant t) {
    return t == null ? null : t.atOffset(ZoneOffset.UTC);
  }

  /** Applies the init scripts unless the store has them already, and records the run as RUNNING. */
  public void started() throws SQLException {
    try (Connection c = store.connect()) {
      if (SqlScripts.applyIfChanged(c)) {
        LOG.debug("init scripts applied to {}", store.describe());
      }
      c.setAutoCommit(false);
      upsertRun(c, "RUNNING", Instant.now(), null, null, null);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM meta.data_quality WHERE run_id = ? AND layer = ?")) {
        ps.setString(1, info.runId());
        ps.setString(2, info.layer());
        ps.executeUpdate();
      }
      c.commit();
    }
    LOG.info("{} run {} RUNNING in {}", info.layer(), info.runId(), store.describe());
  }

  @Override
  public void published(Manifest m, String manifestPath) throws Exception {
    try (Connection c = store.connect()) {
      c.setAutoCommit(false);
      try {
        if (m.layer().equals(DataLayout.GOLD)) {
          GoldLoader.replace(c, layout, m);
        }
        upsertRun(c, m.publishedStatus(), null, Instant.now(), RunFigures.of(m), null);
        writeChecks(c, m);
        upsertManifest(c, m, manifestPath);
        c.commit();
      } catch (Exception e) {
        c.rollback();
        throw e;
      }
    }
    LOG.info("{} run {} {} recorded in {}", m.layer(), m.runId(), m.publishedStatus(), store.describe());
  }

  @Override
  public void failed(Manifest m, String error) throws SQLException {
    try (Connection c = store.connect()) {
      c.setAutoCommit(false);
      upsertRun(c, Manifest.FAILED, null, Instant.now(), m == null ? null : RunFigures.of(m), error);
      if (m != null) {
        writeChecks(c, m);
      }
      c.commit();
    }
    LOG.info("{} run {} FAILED recorded in {}", info.layer(), info.runId(), store.describe());
  }

  /** Records a failure without letting a second failure (e.g. the store is down) hide the first. */
  public void failedQuietly(Throwable cause) {
    try {
      failed(null, String.valueOf(cause.getMessage()));
    } catch (Exception e) {
      LOG.warn("could not record the failure of {} run {} in {}: {}", info.layer(), info.runId(), store.describe(),
          e.getMessage());
    }
  }

  private void upsertRun(Connection c, String status, Instant started, Instant ended, RunFigures f, String error)
      throws SQLException {
    // started_at is written once, by the first record of the attempt; later records keep it.
    String sql = "INSERT INTO meta.etl_runs (run_id, layer, status, started_at, ended_at, rows_in, rows_out, "
        + "rows_quarantined, seed, config_hash, code_version, runner, as_of, error_message) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, layer) DO UPDATE SET "
        + "status = EXCLUDED.status, ended_at = EXCLUDED.ended_at, rows_in = EXCLUDED.rows_in, "
        + "rows_out = EXCLUDED.rows_out, rows_quarantined = EXCLUDED.rows_quarantined, seed = EXCLUDED.seed, "
        + "config_hash = EXCLUDED.config_hash, code_version = EXCLUDED.code_version, runner = EXCLUDED.runner, "
        + "as_of = EXCLUDED.as_of, error_message = EXCLUDED.error_message"
        + (started != null ? ", started_at = EXCLUDED.started_at" : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, info.runId());
      ps.setString(2, info.layer());
      ps.setString(3, status);
      ps.setObject(4, ts(started != null ? started : Instant.now()));
      ps.setObject(5, ts(ended));
      setLong(ps, 6, f == null ? null : f.rowsIn());
      setLong(ps, 7, f == null ? null : f.rowsOut());
      setLong(ps, 8, f == null ? null : f.rowsQuarantined());
      setLong(ps, 9, info.seed());
      ps.setString(10, info.configHash());
      ps.setString(11, info.codeVersion());
      ps.setString(12, info.runner());
      ps.setObject(13, ts(info.asOf()));
      ps.setString(14, error == null ? null : error.length() > 4000 ? error.substring(0, 4000) : error);
      ps.executeUpdate();
    }
  }

  private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private void writeChecks(Connection c, Manifest m) throws SQLException {
    try (PreparedStatement del = c.prepareStatement("DELETE FROM meta.data_quality WHERE run_id = ? AND layer = ?")) {
      del.setString(1, m.runId());
      del.setString(2, m.layer());
      del.executeUpdate();
    }
    if (m.checks() == null || m.checks().isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta.data_quality (run_id, layer, check_name, kind, "
        + "severity, status, observed, threshold, rows_affected, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (CheckResult r : m.checks()) {
        ps.setString(1, r.runId());
        ps.setString(2, r.layer());
        ps.setString(3, r.check());
        ps.setString(4, r.kind());
        ps.setString(5, r.severity());
        ps.setString(6, r.status());
        ps.setDouble(7, r.observed());
        ps.setString(8, r.threshold());
        ps.setLong(9, r.rowsAffected());
        ps.setString(10, r.detail());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void upsertManifest(Connection c, Manifest m, String manifestPath) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO meta.manifest_index (run_id, layer, manifest_path, "
        + "data_hash, status, files, rows_total, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id, layer) "
        + "DO UPDATE SET manifest_path = EXCLUDED.manifest_path, data_hash = EXCLUDED.data_hash, "
        + "status = EXCLUDED.status, files = EXCLUDED.files, rows_total = EXCLUDED.rows_total, "
        + "published_at = EXCLUDED.published_at")) {
      ps.setString(1, m.runId());
      ps.setString(2, m.layer());
      ps.setString(3, manifestPath);
      ps.setString(4, m.dataHash());
      ps.setString(5, m.publishedStatus());
      ps.setInt(6, m.files().size());
      ps.setLong(7, m.files().stream().mapToLong(Manifest.FileEntry::rows).sum());
      ps.setObject(8, ts(Instant.now()));
      ps.executeUpdate();
    }
  }
}
