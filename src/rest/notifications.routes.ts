import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyError, FastifyPluginAsync } from 'fastify';
import { BerthError, ErrorCode } from '../errors';
import { webhookDeliveriesRejected, webhookEventsDuplicate, webhookEventsRecorded } from '../ops/metrics';
import { parseEnvelope } from '../ingest/envelope';
import type { Services } from '../services';
import { ok, sendError } from './legacy-envelope';

interface Options {
  services: Services;
  /** When set, deliveries must carry `Authorization: Bearer <secret>`. */
  secret?: string;
}

/** What Distribution sends; some proxies and tools send plain JSON. */
export const EVENTS_CONTENT_TYPE = 'application/vnd.docker.distribution.events.v1+json';

const digestOf = (value: string) => createHash('sha256').update(value).digest();

/** Compares in constant time, so response timing does not leak the secret. */
function authorized(header: string | undefined, secret: string): boolean {
  return !!header && timingSafeEqual(digestOf(header), digestOf(`Bearer ${secret}`));
}

/** Why a delivery was refused, as berth_webhook_deliveries_rejected_total labels it. */
function rejection(error: Error, status: number | undefined): string {
  if (status === 415) return 'unsupported_media_type';
  if (error instanceof BerthError || (status && status >= 400 && status < 500)) return 'malformed';
  return 'error';
}

/**
 * POST /registry/v1/notifications: the registry's webhook. An envelope is
 * checked whole, then recorded in one transaction, and answered 2xx only
 * after that commits, so a failure makes the registry retry and a retry
 * finds the event ids already recorded. Slow work (fetching manifests) runs
 * afterwards in the manifest worker, never while the registry waits.
 */
export const notificationRoutes: FastifyPluginAsync<Options> = async (app, { services, secret }) => {
  app.addContentTypeParser(EVENTS_CONTENT_TYPE, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));

  app.addHook('onRequest', async (request, reply) => {
    if (secret && !authorized(request.headers.authorization, secret)) {
      webhookDeliveriesRejected.inc({ reason: 'unauthenticated' });
      return sendError(reply, ErrorCode.Unauthenticated, 'the webhook needs the Authorization header configured in the registry endpoint');
    }
  });

  app.post('/notifications', async (request) => {
    const events = parseEnvelope(request.body);
    const result = await services.events.record(events);
    webhookEventsRecorded.inc(result.recorded);
    webhookEventsDuplicate.inc(result.duplicates);
    return ok(result);
  });

  app.setErrorHandler((error: FastifyError | BerthError | Error, request, reply) => {
    const status = 'statusCode' in error ? error.statusCode : undefined;
    webhookDeliveriesRejected.inc({ reason: rejection(error, status) });
    if (error instanceof BerthError) return sendError(reply, error.code, error.message);
    if (status === 415) return reply.code(415).send({ code: 14007, data: null, message: `send ${EVENTS_CONTENT_TYPE} or application/json` });
    if (status && status >= 400 && status < 500) return sendError(reply, ErrorCode.BadUserInput, `malformed envelope: ${error.message}`);
    request.log.error({ err: error }, 'recording registry events failed');
    return sendError(reply, 'INTERNAL', 'the events were not recorded; the registry will retry');
  });
};
