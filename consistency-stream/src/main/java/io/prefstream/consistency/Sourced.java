package io.prefstream.consistency;

import io.prefstream.schemas.Lineage;

/** A value with the Kafka record it was read from. */
public record Sourced<T>(T value, Lineage lineage) {
}
