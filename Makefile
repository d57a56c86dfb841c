# pqrs-lakehouse — the two commands of the README, and the pieces they are made of.
# `make run`  : build, then run the chain on the embedded default (a local folder, Flink in the JVM).
# `make test` : every test (unit and integration), starting what they need.

SHELL := /bin/bash
MVN ?= mvn -B -ntp
JAR := pipelines/target/pqrs-lakehouse.jar

ROOT ?= lakehouse
# 90 days: the default of `make run` (and of `pqrs run`, from the config's start).
START ?= 2025-01-01
END ?= 2025-03-31
SEED ?=
RUN_ID ?=
# INPUT=file.jsonl (or a quoted glob): ingest external JSONL instead of simulating.
INPUT ?=
INPUT_RUN_ID = $(if $(RUN_ID),$(RUN_ID),ingest-$(subst .,-,$(basename $(notdir $(firstword $(INPUT))))))

# The runner of `make run` and the layer targets: Flink embedded in the command's JVM (no server) at
# Flink's default parallelism (1; PARALLELISM=N for more slots) and a 1 GB heap (HEAP=… to change it;
# Bronze holds one de-duplication group at a time, so repeated lines need no more: 5.2 M events each
# written twice ran in it at parallelism 2, 1.6 GB resident). On the default 90 days it took 107-122 s and 1.5-1.6 GB of memory where the
# DirectRunner took 273-277 s and 6.6 GB, the same bytes (docs/benchmarks.md, "make run's runner"). RUNNER=DirectRunner runs Beam's reference runner
# instead (its heap left to the JVM: it keeps every element in memory).
RUNNER ?= FlinkRunner
PARALLELISM ?=
HEAP ?= 1g
# `make cds` trains an archive of the jar's classes for the JVM bin/pqrs runs (infra/local/cds.sh: a
# class-data-sharing archive on Java 17, an ahead-of-time cache on Java 25 and later; JAVA_HOME picks
# the JVM). bin/pqrs starts every command: it maps the archive while it is newer than the jar (about
# 2 s less per command on Java 17) and compiles with C1 only a run too small to repay the optimising
# compiler (docs/benchmarks/changes.md, "Twenty-first change", "Twenty-third change", "Forty-fifth change").
PQRS = PQRS_JAVA_OPTS="$(if $(filter FlinkRunner,$(RUNNER)),-Xmx$(HEAP)) $${PQRS_JAVA_OPTS:-}" bin/pqrs
BEAM_ARGS = --runner=$(RUNNER) \
  $(if $(filter FlinkRunner,$(RUNNER)),'--flinkMaster=[local]' $(if $(PARALLELISM),--parallelism=$(PARALLELISM)))

RUN_ARGS := --root $(ROOT) --start $(START) --end $(END) \
  $(if $(SEED),--seed $(SEED)) $(if $(RUN_ID),--run-id $(RUN_ID))
# The run id the simulator derives when none is given (see SimulateRawPipeline.defaultRunId).
SIM_RUN_ID = $(if $(RUN_ID),$(RUN_ID),sim-$(if $(SEED),$(SEED),$(shell sed -n 's/^seed: *\([0-9]*\).*/\1/p' docs/07-config/pqrs_simulation_v1.yaml))-$(START)-$(END))

.PHONY: help build cds run simulate ingest bronze silver gold serve test unit-test sql-scripts pg-up pg-down \
  s3-up s3-down flink-up flink-down prom-up prom-down compose-lib compose-check \
  bench clean

help:
	@echo "make run        simulate $(START)..$(END) into ./$(ROOT), then Bronze, Silver, Gold; serve Gold"
	@echo "make run INPUT=export.jsonl   ingest external JSONL as a Raw run instead"
	@echo "make test       run every test (starts and stops PostgreSQL, S3, Flink, Prometheus)"
	@echo "make pg-up      start a local PostgreSQL for the serving store (pg-down stops it)"
	@echo "make s3-up      start a local S3 server, S3Proxy (s3-down stops it)"
	@echo "make flink-up   start a local Flink 1.19 session cluster, web UI on :8081 (flink-down stops it);"
	@echo "                PQRS_FLINK_APP_JAR=pipelines/target/pqrs-lakehouse-job.jar puts the application on its classpath"
	@echo "make prom-up    start a local Prometheus (:9090) and Pushgateway (:9091) (prom-down stops them)"
	@echo "make compose-check   validate infra/local/docker-compose.yml and the Prometheus config"
	@echo "make build      build the jars (skips tests)"
	@echo "make cds        train an archive of the jar's classes for the JVM (JAVA_HOME's, else the PATH's): later commands start faster"
	@echo "make bench     throughput and memory per layer and runner vs a DuckDB baseline (docs/benchmarks.md)"
	@echo "variables: ROOT START END SEED RUN_ID INPUT RUNNER (FlinkRunner, embedded: the default; DirectRunner) PARALLELISM HEAP"

$(JAR): $(shell find pom.xml schemas transforms pipelines data/contracts data/reference docs/07-config infra/local/init-scripts -type f -not -path '*/target/*' 2>/dev/null)
	$(MVN) -q install -DskipTests

build: $(JAR)

# cds.sh keeps an archive newer than the jar: which file that is depends on the JVM, not on make.
cds: $(JAR)
	infra/local/cds.sh $(JAR)

simulate: $(JAR)
	$(PQRS) simulate $(RUN_ARGS) $(BEAM_ARGS)

ingest: $(JAR)
	bin/pqrs ingest $(INPUT) --run-id $(INPUT_RUN_ID) --root $(ROOT)

RAW_RUN_ID = $(if $(INPUT),$(INPUT_RUN_ID),$(SIM_RUN_ID))

bronze: $(JAR)
	$(PQRS) bronze --run-id $(RAW_RUN_ID) --root $(ROOT) $(BEAM_ARGS)

silver: $(JAR)
	$(PQRS) silver --run-id $(RAW_RUN_ID) --root $(ROOT) $(BEAM_ARGS)

gold: $(JAR)
	$(PQRS) gold --run-id $(RAW_RUN_ID) --root $(ROOT) $(BEAM_ARGS)

serve: $(JAR)
	bin/pqrs serve --run-id $(RAW_RUN_ID) --root $(ROOT)

# The whole chain: Raw (simulated, or ingested from INPUT), Bronze, Silver, Gold, served in the
# embedded store $(ROOT)/serving/pqrs.duckdb (or PostgreSQL when PQRS_JDBC_URL is set).
run: $(JAR)
	$(PQRS) run --root $(ROOT) $(BEAM_ARGS) $(if $(INPUT),$(foreach f,$(INPUT),--input $(f)) --run-id $(INPUT_RUN_ID),\
	  --start $(START) --end $(END) $(if $(SEED),--seed $(SEED)) $(if $(RUN_ID),--run-id $(RUN_ID)))

# Integration tests get real servers — PostgreSQL, an S3 server, a Flink session cluster — started
# here once (the cluster after the S3 variables are set, so its TaskManager can reach S3) and
# stopped by PID whatever the outcome.
PG_TEST_ENV = PQRS_TEST_JDBC_URL=jdbc:postgresql://127.0.0.1:$${PQRS_PG_PORT:-55432}/pqrs \
  PQRS_TEST_JDBC_USER=pqrs PQRS_TEST_JDBC_PASSWORD=$${PQRS_PG_PASSWORD:-pqrs_dev}

# The Prefect flows' Python environment (orchestration/prefect/requirements.txt).
VENV := .venv
# dclint, installed from tests/compose/package-lock.json.
COMPOSE_CHECK := tests/compose/node_modules/.installed
$(VENV)/.installed: orchestration/prefect/requirements.txt
	python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -r $< && touch $@
# The benchmark's Python side (DuckDB baseline, report and plot) and its tests: bench/run.sh uses the same.
BENCH_VENV := .venv-bench
$(BENCH_VENV)/.installed: bench/requirements.txt
	python3 -m venv $(BENCH_VENV) && $(BENCH_VENV)/bin/pip install -q -r $< && touch $@

# Prometheus and the Pushgateway start after the cluster (they scrape it); MonitoringIT checks the
# Grafana dashboards against what they scraped.
test: $(VENV)/.installed $(BENCH_VENV)/.installed $(COMPOSE_CHECK)
	$(BENCH_VENV)/bin/python -m pytest -q bench/tests tests/launcher
	infra/local/postgres/pg-up.sh >/dev/null
	eval "$$(infra/local/s3/s3-up.sh)" && infra/local/flink/flink-up.sh >/dev/null && \
	  eval "$$(infra/local/prometheus/prom-up.sh)" && \
	  export $(PG_TEST_ENV) PQRS_FLINK_REST=http://localhost:$${PQRS_FLINK_PORT:-8081} && \
	  $(MVN) install && (cd orchestration/prefect && ../../$(VENV)/bin/python -m pytest); rc=$$?; \
	  infra/local/prometheus/prom-down.sh --purge; infra/local/flink/flink-down.sh; infra/local/s3/s3-down.sh --purge; \
	  infra/local/postgres/pg-down.sh; exit $$rc
	$(MAKE) -s compose-lib compose-check
	tests/make-run-from-clean-checkout.sh
	bench/smoke.sh

# The Compose stack cannot run here (no Docker engine): its file is checked against the Compose
# specification (dclint, tests/compose/package.json), Prometheus' config with promtool, and what the
# schema cannot say (mounted files, variables, health checks) by tests/compose/test_compose.py.
$(COMPOSE_CHECK): tests/compose/package.json tests/compose/package-lock.json
	cd tests/compose && npm ci --silent --no-audit --no-fund && touch node_modules/.installed

compose-check: $(COMPOSE_CHECK) $(VENV)/.installed
	cd tests/compose && npx --no-install dclint -c dclint.json --max-warnings 0 ../../infra/local/docker-compose.yml
	@command -v promtool >/dev/null || { echo "compose-check: needs promtool (make prom-up installs it)" >&2; exit 1; }
	promtool check config infra/local/configs/prometheus.yml
	$(VENV)/bin/python -m pytest -q tests/compose

pg-up:
	@infra/local/postgres/pg-up.sh

pg-down:
	@infra/local/postgres/pg-down.sh

s3-up:
	@infra/local/s3/s3-up.sh

s3-down:
	@infra/local/s3/s3-down.sh

# Start it after `eval "$$(make -s s3-up)"` so that its TaskManager has the S3 credentials.
flink-up:
	@infra/local/flink/flink-up.sh

flink-down:
	@infra/local/flink/flink-down.sh

# Start it after the cluster: eval "$$(make -s prom-up)" sets PQRS_PUSHGATEWAY_URL for the runs.
prom-up:
	@infra/local/prometheus/prom-up.sh

prom-down:
	@infra/local/prometheus/prom-down.sh

# The PostgreSQL driver the Compose Flink services load from their own lib/ (docker-compose.yml).
compose-lib:
	$(MVN) -q dependency:copy -Dartifact=org.postgresql:postgresql:42.7.8 -DoutputDirectory=infra/local/flink/compose-lib \
	  -Dmdep.stripVersion=true

# Regenerates the generated init scripts (dimensions, Gold tables and views) from config and code.
sql-scripts: $(JAR)
	java -cp $(JAR) co.pqrs.lakehouse.serving.ServingSql infra/local/init-scripts

unit-test:
	$(MVN) install -DskipITs

# The benchmark (docs/benchmarks.md): SIZES in millions of Raw events (empty: 0.01,0.1,1,5, and 10 when the
# machine allows it), RUNNERS, REPS; see bench/run.sh.
SIZES ?=
RUNNERS ?= direct,flink-embedded,flink-cluster
REPS ?= 3
bench: $(JAR)
	bench/run.sh "$(SIZES)" "$(RUNNERS)" "$(REPS)"

clean:
	$(MVN) -q clean
