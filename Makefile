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

.PHONY: help build run simulate ingest test unit-test bench-simulate clean

help:
	@echo "make run        simulate $(START)..$(END) into ./$(ROOT) and print a summary"
	@echo "make run INPUT=export.jsonl   ingest external JSONL as a Raw run instead"
	@echo "make test       run every test"
	@echo "make build      build the jars (skips tests)"
	@echo "make bench-simulate   measure the simulator's events/s (see bench/)"
	@echo "variables: ROOT START END SEED RUN_ID INPUT"

$(JAR): $(shell find pom.xml schemas transforms pipelines data/contracts data/reference docs/07-config -type f -not -path '*/target/*' 2>/dev/null)
	$(MVN) -q install -DskipTests

build: $(JAR)

simulate: $(JAR)
	java -jar $(JAR) simulate $(RUN_ARGS)

ingest: $(JAR)
	java -jar $(JAR) ingest $(INPUT) --run-id $(INPUT_RUN_ID) --root $(ROOT)

run: $(if $(INPUT),ingest,simulate)

test:
	$(MVN) install

unit-test:
	$(MVN) install -DskipITs

bench-simulate: $(JAR)
	bench/simulate.sh

clean:
	$(MVN) -q clean
