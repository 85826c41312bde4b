import type { FastifyInstance } from 'fastify';
import { SIGNED_IN } from '../caller';
import { badInput, unauthenticated } from '../errors';
import { ok } from './legacy-envelope';
import type { Run } from './execute';
import { LegacyCreateNamespaceDocument, LegacyNamespaceDocument } from './generated';

const toLegacyNamespace = (namespace: { id: number; name: string } | null) => namespace && { ID: namespace.id, Namespace: namespace.name };

/** GET and POST /namespace: the caller's one namespace, and creating it. */
export function namespaceRoutes(app: FastifyInstance, run: Run) {
  app.get('/namespace', async (request) => {
    const { viewer } = await run(request, LegacyNamespaceDocument, {});
    // GraphQL answers an anonymous viewer with nulls; the legacy route was for signed-in callers only.
    if (!viewer.account) throw unauthenticated('sign in to see your namespace');
    return ok(toLegacyNamespace(viewer.namespace));
  });

  app.post('/namespace', SIGNED_IN, async (request) => {
    const body = request.body as { Namespace?: unknown } | null;
    if (typeof body !== 'object' || body === null || typeof body.Namespace !== 'string') {
      throw badInput('body must be a JSON object like {"Namespace": "name"}');
    }
    const { createNamespace } = await run(request, LegacyCreateNamespaceDocument, { input: { name: body.Namespace } });
    return ok(toLegacyNamespace(createNamespace.namespace));
  });
}
