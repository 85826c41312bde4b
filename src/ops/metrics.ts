import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Berth's Prometheus metrics, served at GET /metrics. Counters live at
 * module level so any part of Berth (the HTTP hooks, the GraphQL plugin, the
 * webhook) can import and count; they describe the process, not one app.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const httpRequests = new Counter({
  name: 'berth_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [registry],
});

export const httpRequestDuration = new Histogram({
  name: 'berth_http_request_duration_seconds',
  help: 'Time from receiving a request to sending its response, by method, route template and status code.',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const graphqlOperations = new Counter({
  name: 'berth_graphql_operations_total',
  help: 'GraphQL operations executed at /graphql, by operation type and whether any error was returned.',
  labelNames: ['type', 'outcome'] as const,
  registers: [registry],
});

export const graphqlOperationDuration = new Histogram({
  name: 'berth_graphql_operation_duration_seconds',
  help: 'Time to execute a GraphQL operation, by operation type.',
  labelNames: ['type'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export const graphqlErrors = new Counter({
  name: 'berth_graphql_errors_total',
  help: 'Errors in GraphQL responses, by extensions.code.',
  labelNames: ['code'] as const,
  registers: [registry],
});

/** Registry webhook events stored and applied. */
export const webhookEventsRecorded = new Counter({
  name: 'berth_webhook_events_recorded_total',
  help: 'Registry webhook events recorded.',
  registers: [registry],
});

/** Events the registry delivered again (retries): acknowledged, not applied twice. */
export const webhookEventsDuplicate = new Counter({
  name: 'berth_webhook_events_duplicate_total',
  help: 'Registry webhook events already recorded, acknowledged without applying them again.',
  registers: [registry],
});

/** Deliveries refused whole (every event in them unrecorded), by reason. */
export const webhookDeliveriesRejected = new Counter({
  name: 'berth_webhook_deliveries_rejected_total',
  help: 'Registry webhook deliveries refused, with none of their events recorded, by reason (unauthenticated, unsupported_media_type, malformed, error).',
  labelNames: ['reason'] as const,
  registers: [registry],
});

/** Token requests answered, by outcome: issued (even with nothing granted), unauthenticated, malformed, error. */
export const registryTokenRequests = new Counter({
  name: 'berth_registry_token_requests_total',
  help: 'Registry token requests answered, by outcome (issued, unauthenticated, malformed, error); a token granting nothing is issued.',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

/** Each action asked for in an issued token, granted or refused: refusals show who tries what. */
export const registryTokenActions = new Counter({
  name: 'berth_registry_token_actions_total',
  help: 'Actions asked for in issued registry tokens, by action (pull, push, delete, *, catalog, other) and outcome (granted, refused).',
  labelNames: ['action', 'outcome'] as const,
  registers: [registry],
});

/** postgres.js does not expose its pool's busy and idle connections, so Berth reports the pool's size. */
export const databasePoolMax = new Gauge({
  name: 'berth_db_pool_max_connections',
  help: 'Largest number of connections the database client may open (1 for embedded PGlite).',
  labelNames: ['driver'] as const,
  registers: [registry],
});

/** Operations Berth ran against the registry, by how they ended (src/registry/client.ts RegistryOutcome). */
export const registryOperations = new Counter({
  name: 'berth_registry_operations_total',
  help: 'Operations on the registry (catalog, tags, head_manifest, manifest, blob, delete_manifest), by outcome (ok, refused, unreachable, deadline, aborted).',
  labelNames: ['operation', 'outcome'] as const,
  registers: [registry],
});
