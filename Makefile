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

RUN_ARGS := --root $(ROOT) --start $(START) --end $(END) \
  $(if $(SEED),--seed $(SEED)) $(if $(RUN_ID),--run-id $(RUN_ID))

.PHONY: help build run simulate test unit-test bench-simulate clean

help:
	@echo "make run        simulate $(START)..$(END) into ./$(ROOT) and print a summary"
	@echo "make test       run every test"
	@echo "make build      build the jars (skips tests)"
	@echo "make bench-simulate   measure the simulator's events/s (see bench/)"
	@echo "variables: ROOT START END SEED RUN_ID"

$(JAR): $(shell find pom.xml schemas transforms pipelines data/contracts data/reference docs/07-config -type f -not -path '*/target/*' 2>/dev/null)
	$(MVN) -q install -DskipTests

build: $(JAR)

simulate: $(JAR)
	java -jar $(JAR) simulate $(RUN_ARGS)

run: simulate

test:
	$(MVN) install

unit-test:
	$(MVN) install -DskipITs

bench-simulate: $(JAR)
	bench/simulate.sh

clean:
	$(MVN) -q clean
