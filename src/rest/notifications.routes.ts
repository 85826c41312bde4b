import type { FastifyPluginAsync } from 'fastify';
import { ErrorCode, unauthenticated, type ErrorAnswer } from '../errors';
import { parseEnvelope } from '../ingest/envelope';
import { webhookDeliveriesRejected, webhookEventsDuplicate, webhookEventsRecorded } from '../ops/metrics';
import type { Services } from '../services';
import { legacyErrors, ok } from './legacy-envelope';

interface Options {
  services: Services;
  /** Deliveries must carry `Authorization: Bearer <secret>` (services.webhookSecrets); false only when the operator turned it off on loopback. */
  authenticate: boolean;
}

/** What Distribution sends; some proxies and tools send plain JSON. */
export const EVENTS_CONTENT_TYPE = 'application/vnd.docker.distribution.events.v1+json';

/** Why a delivery was refused, as berth_webhook_deliveries_rejected_total labels it. */
function rejection(answer: ErrorAnswer): string {
  switch (answer.code) {
    case ErrorCode.Unauthenticated:
      return 'unauthenticated';
    case ErrorCode.UnsupportedMediaType:
      return 'unsupported_media_type';
    default:
      return answer.status < 500 ? 'malformed' : 'error';
  }
}

/**
 * POST /registry/v1/notifications: the registry's webhook. An envelope is
 * checked whole, then recorded in one transaction, and answered 2xx only
 * after that commits, so a failure makes the registry retry and a retry
 * finds the event ids already recorded. Slow work (fetching manifests) runs
 * afterwards in the manifest worker, never while the registry waits.
 */
export const notificationRoutes: FastifyPluginAsync<Options> = async (app, { services, authenticate }) => {
  app.addContentTypeParser(EVENTS_CONTENT_TYPE, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  // Only JSON is an envelope: anything else is 415, not a body that fails to parse.
  app.removeContentTypeParser('text/plain');

  app.addHook('onRequest', async (request) => {
    if (authenticate && !(await services.webhookSecrets.accepts(request.headers.authorization))) {
      throw unauthenticated('the webhook needs the Authorization header that `berth registry config` puts in the registry endpoint');
    }
  });

  app.post('/notifications', async (request) => {
    const events = parseEnvelope(request.body);
    // Without authentication anyone could name any actor, so an actor then never becomes an owner.
    const result = await services.events.record(events, { trustActors: authenticate });
    webhookEventsRecorded.inc(result.recorded);
    webhookEventsDuplicate.inc(result.duplicates);
    return ok(result);
  });

  const errors = legacyErrors(
    {
      internal: 'the events were not recorded; the registry will retry',
      malformed: 'malformed envelope',
      unsupportedMediaType: `send ${EVENTS_CONTENT_TYPE} or application/json`,
    },
    (answer) => webhookDeliveriesRejected.inc({ reason: rejection(answer) }),
  );
  app.setErrorHandler(errors.error);
};
