-- pqrs-lakehouse serving store, PostgreSQL only: the read-only role BI tools (Metabase, Grafana,
-- Streamlit) log in with. It can read the gold views and the dimensions (names of departments,
-- channels, types) and nothing else: no KPI base table, no meta.
-- The password is a development value; change it (ALTER ROLE pqrs_bi PASSWORD ...) anywhere else.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pqrs_bi') THEN
    CREATE ROLE pqrs_bi LOGIN PASSWORD 'pqrs_bi_dev';
  END IF;
END
$$;
REVOKE ALL ON SCHEMA meta FROM pqrs_bi;
REVOKE ALL ON ALL TABLES IN SCHEMA meta FROM pqrs_bi;
REVOKE ALL ON ALL TABLES IN SCHEMA gold FROM pqrs_bi;
GRANT USAGE ON SCHEMA gold TO pqrs_bi;
DO $$
DECLARE v record;
BEGIN
  FOR v IN SELECT table_name FROM information_schema.tables WHERE table_schema = 'gold'
      AND (table_name LIKE 'v\_%' OR table_name LIKE 'dim\_%') LOOP
    EXECUTE format('GRANT SELECT ON gold.%I TO pqrs_bi', v.table_name);
  END LOOP;
END
$$;
