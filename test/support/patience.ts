/**
 * How long a test waits for something that must happen: Berth to listen, an
 * event to be applied, a registry to answer. A deadline only turns a hang
 * into a failure, it is never what a test measures, so it is set for a
 * loaded machine (a child Berth on PGlite can take well over 30 s to listen
 * when both cores are busy). Speed is the benchmarks' business.
 */
export const PATIENCE_MS = 120_000;
