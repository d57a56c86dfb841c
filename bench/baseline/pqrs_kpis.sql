-- The DuckDB baseline: what a practitioner would write instead of the pipelines, straight over the
-- Raw JSONL of one run, computing the national daily volume, backlog and SLA figures of Gold.
-- Rules (docs/02-adr/ADR-0002-sla-business-days.md): days are America/Bogota dates (UTC-5, no daylight
-- saving); a business day is Monday to Friday and not a holiday, counted whole; the SLA clock sums the
-- business seconds spent in the states whose sla_behavior is START or RUN; a closed ticket is in time
-- when that sum is at most its type's target in business days.
--
-- Placeholders, filled in by the runner (bench/baseline.py, and DuckDbBaselineTest):
--   {raw_glob}  the run's Raw files, e.g. '/lake/raw/pqrs/run_id=x/day=*/*.jsonl'
--   {as_of}     the as-of as epoch seconds (Silver's default: the start of the day after the last Raw day)
--   {initial_state}  the state TICKET_CREATED puts a ticket in (pqrs_status_v1.yaml)
-- Tables the runner creates first, from the config (docs/07-config) and a holiday calendar:
--   holidays(day DATE), sla_targets(pqrs_type VARCHAR, days INTEGER),
--   states(state VARCHAR, sla_behavior VARCHAR)   -- START, RUN, PAUSE, STOP, NONE
-- Result: the table baseline_daily(day, created, closed, backlog, sla_closed, sla_in_time).

CREATE OR REPLACE TEMP TABLE events AS
SELECT event_id, ticket_id, event_type,
       epoch(CAST(ts AS TIMESTAMPTZ))::BIGINT AS t,
       data
FROM read_json({raw_glob}, format = 'newline_delimited', ignore_errors = true,
               columns = {event_id: 'VARCHAR', ticket_id: 'VARCHAR', event_type: 'VARCHAR', ts: 'VARCHAR', data: 'JSON'})
WHERE event_id IS NOT NULL AND ticket_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY t) = 1;

-- Business seconds from a fixed origin to the start of every local day of the run (a running sum),
-- so that the business time between two instants is one subtraction.
CREATE OR REPLACE TEMP TABLE days AS
WITH bounds AS (
  SELECT (min(t) - 5 * 3600) // 86400 - 1 AS first_day, ({as_of} - 5 * 3600) // 86400 + 40 AS last_day FROM events
), d AS (
  SELECT range AS day_num FROM bounds, range(bounds.first_day, bounds.last_day + 1)
), flagged AS (
  SELECT day_num,
         CASE WHEN isodow(DATE '1970-01-01' + CAST(day_num AS INTEGER)) <= 5
               AND (DATE '1970-01-01' + CAST(day_num AS INTEGER)) NOT IN (SELECT day FROM holidays)
              THEN 1 ELSE 0 END AS business
  FROM d
)
SELECT day_num, business,
       86400 * (sum(business) OVER (ORDER BY day_num) - business) AS business_before
FROM flagged;

-- B(t): business seconds from the origin to instant t.
CREATE OR REPLACE MACRO local_day(t) AS (t - 5 * 3600) // 86400;

CREATE OR REPLACE TEMP TABLE tickets AS
SELECT ticket_id, t AS created_t, data ->> 'pqrs_type' AS pqrs_type
FROM events WHERE event_type = 'TICKET_CREATED' AND t <= {as_of}
QUALIFY row_number() OVER (PARTITION BY ticket_id ORDER BY t, event_id) = 1;

-- Every state a ticket was in, from when to when: the initial state from its creation, then one interval per
-- status change, the last one open until the as-of.
CREATE OR REPLACE TEMP TABLE intervals AS
WITH changes AS (
  SELECT e.ticket_id, e.t, e.event_id, e.data ->> 'to_status' AS state
  FROM events e JOIN tickets k USING (ticket_id)
  WHERE e.event_type = 'STATUS_CHANGED' AND e.t <= {as_of}
  UNION ALL
  SELECT ticket_id, created_t, '', {initial_state} FROM tickets
)
SELECT ticket_id, state, t AS t_from,
       row_number() OVER (PARTITION BY ticket_id ORDER BY t, event_id) AS seq,
       coalesce(lead(t) OVER (PARTITION BY ticket_id ORDER BY t, event_id), {as_of}) AS t_to
FROM changes;

CREATE OR REPLACE TEMP TABLE business_time AS
SELECT i.ticket_id, i.state, i.t_from, i.t_to,
       (dt.business_before + dt.business * (i.t_to - (local_day(i.t_to) * 86400 + 5 * 3600)))
     - (df.business_before + df.business * (i.t_from - (local_day(i.t_from) * 86400 + 5 * 3600))) AS seconds
FROM intervals i
JOIN days df ON df.day_num = local_day(i.t_from)
JOIN days dt ON dt.day_num = local_day(i.t_to);

CREATE OR REPLACE TEMP TABLE ticket_outcome AS
SELECT k.ticket_id, k.pqrs_type, local_day(k.created_t) AS created_day,
       -- Closed: the clock stopped (STOP), or a state that leaves it as it was (NONE) after a closure.
       (last_state.behavior = 'STOP' OR (last_state.behavior = 'NONE' AND closing.t IS NOT NULL)) AS is_closed,
       local_day(closing.t) AS closed_day,
       coalesce(clock.seconds, 0) AS elapsed,
       s.days * 86400 AS target
FROM tickets k
JOIN (SELECT i.ticket_id, arg_max(s.sla_behavior, i.seq) AS behavior
      FROM intervals i JOIN states s USING (state) GROUP BY i.ticket_id) last_state USING (ticket_id)
LEFT JOIN (SELECT ticket_id, max(t_from) AS t FROM intervals JOIN states USING (state)
           WHERE sla_behavior = 'STOP' GROUP BY ticket_id) closing USING (ticket_id)
LEFT JOIN (SELECT ticket_id, sum(seconds) AS seconds FROM business_time JOIN states USING (state)
           WHERE sla_behavior IN ('START', 'RUN') GROUP BY ticket_id) clock USING (ticket_id)
LEFT JOIN sla_targets s USING (pqrs_type);

CREATE OR REPLACE TEMP TABLE baseline_daily AS
WITH span AS (
  SELECT min(created_day) AS first_day, local_day({as_of} - 1) AS last_day FROM ticket_outcome
), d AS (
  SELECT range AS day_num FROM span, range(span.first_day, span.last_day + 1)
), created AS (
  SELECT created_day AS day_num, count(*) AS n FROM ticket_outcome GROUP BY 1
), closed AS (
  SELECT closed_day AS day_num, count(*) AS n,
         count(*) FILTER (WHERE target IS NULL OR elapsed <= target) AS in_time
  FROM ticket_outcome WHERE is_closed GROUP BY 1
)
SELECT DATE '1970-01-01' + CAST(d.day_num AS INTEGER) AS day,
       coalesce(c.n, 0) AS created,
       coalesce(x.n, 0) AS closed,
       sum(coalesce(c.n, 0) - coalesce(x.n, 0)) OVER (ORDER BY d.day_num) AS backlog,
       coalesce(x.n, 0) AS sla_closed,
       coalesce(x.in_time, 0) AS sla_in_time
FROM d LEFT JOIN created c USING (day_num) LEFT JOIN closed x USING (day_num)
ORDER BY day;
