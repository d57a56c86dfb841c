-- Where the baseline's daily figures (table baseline_daily, made by pqrs_kpis.sql) and Gold's differ:
-- one row per day and side that the other lacks; no rows when they are equal. Placeholders: {gold}
-- the Gold folder of the lakehouse, {run} the run id. Run by bench/baseline.py and DuckDbBaselineTest.
WITH ours AS (
  SELECT n.day, n.created, n.closed, n.backlog, coalesce(s.closed, 0) AS sla_closed,
         coalesce(s.in_time, 0) AS sla_in_time
  FROM read_parquet('{gold}/ts_national_daily/run_id={run}/*.parquet') n
  LEFT JOIN (SELECT day, sum(closed) AS closed, sum(in_time) AS in_time
             FROM read_parquet('{gold}/kpi_sla_daily/run_id={run}/*.parquet') GROUP BY day) s USING (day))
(SELECT 'gold only' AS side, * FROM ours EXCEPT SELECT 'gold only', * FROM baseline_daily)
UNION ALL (SELECT 'baseline only', * FROM baseline_daily EXCEPT SELECT 'baseline only', * FROM ours)
ORDER BY day, side
