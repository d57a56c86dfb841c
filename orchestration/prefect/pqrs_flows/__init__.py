"""Prefect flows that run the pqrs-lakehouse layers as jobs on a Flink session cluster."""
