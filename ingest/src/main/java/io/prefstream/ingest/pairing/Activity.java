package io.prefstream.ingest.pairing;

/**
 * The small per-prompt index the pairing punctuator scans (rather than the full prompt states):
 * when the prompt last got a new response and whether it has been released.
 */
record Activity(long lastArrivalMs, boolean released) {}
