# pqrs-lakehouse — the two commands of the README, and the pieces they are made of.
# `make run`  : build, then run the chain on the embedded default (a local folder, DirectRunner).
# `make test` : every test (unit and integration), starting what they need.

SHELL := /bin/bash
MVN ?= mvn -B -ntp
JAR := pipelines/target/pqrs-lakehouse.jar

ROOT ?= lakehouse
START ?= 2025-03-01
END ?= 2025-03-30
SEED ?=
RUN_ID ?=
# INPUT=file.jsonl (or a quoted glob): ingest external JSONL instead of simulating.
INPUT ?=
INPUT_RUN_ID = $(if $(RUN_ID),$(RUN_ID),ingest-$(subst .,-,$(basename $(notdir $(firstword $(INPUT))))))

RUN_ARGS := --root $(ROOT) --start $(START) --end $(END) \
  $(if $(SEED),--seed $(SEED)) $(if $(RUN_ID),--run-id $(RUN_ID))
# The run id the simulator derives when none is given (see SimulateRawPipeline.defaultRunId).
SIM_RUN_ID = $(if $(RUN_ID),$(RUN_ID),sim-$(if $(SEED),$(SEED),$(shell sed -n 's/^seed: *\([0-9]*\).*/\1/p' docs/07-config/pqrs_simulation_v1.yaml))-$(START)-$(END))

.PHONY: help build run simulate ingest bronze silver test unit-test bench-simulate bench-layers clean

help:
	@echo "make run        simulate $(START)..$(END) into ./$(ROOT), then Bronze and Silver"
	@echo "make run INPUT=export.jsonl   ingest external JSONL as a Raw run instead"
	@echo "make test       run every test"
	@echo "make build      build the jars (skips tests)"
	@echo "make bench-simulate   measure the simulator's events/s (see bench/)"
	@echo "make bench-layers     measure each layer's rows/s and memory (see bench/)"
	@echo "variables: ROOT START END SEED RUN_ID INPUT"

$(JAR): $(shell find pom.xml schemas transforms pipelines data/contracts data/reference docs/07-config -type f -not -path '*/target/*' 2>/dev/null)
	$(MVN) -q install -DskipTests

build: $(JAR)

simulate: $(JAR)
	java -jar $(JAR) simulate $(RUN_ARGS)

ingest: $(JAR)
	java -jar $(JAR) ingest $(INPUT) --run-id $(INPUT_RUN_ID) --root $(ROOT)

RAW_RUN_ID = $(if $(INPUT),$(INPUT_RUN_ID),$(SIM_RUN_ID))

bronze: $(JAR)
	java -jar $(JAR) bronze --run-id $(RAW_RUN_ID) --root $(ROOT)

silver: $(JAR)
	java -jar $(JAR) silver --run-id $(RAW_RUN_ID) --root $(ROOT)

# The whole chain so far: Raw (simulated, or ingested from INPUT), Bronze, Silver.
run: $(if $(INPUT),ingest,simulate)
	$(MAKE) --no-print-directory bronze RUN_ID=$(RAW_RUN_ID)
	$(MAKE) --no-print-directory silver RUN_ID=$(RAW_RUN_ID)

test:
	$(MVN) install

unit-test:
	$(MVN) install -DskipITs

bench-simulate: $(JAR)
	bench/simulate.sh

bench-layers: $(JAR)
	bench/layers.sh

clean:
	$(MVN) -q clean
