import type { FastifyRequest } from 'fastify';
import type { Services } from '../services';
import { authenticate } from './accounts';
import type { Viewer } from './viewer';

/** The viewer of an HTTP request, from its Authorization header; failed sign-ins count against its address. */
export const viewerOf = (services: Services, request: FastifyRequest): Promise<Viewer | null> =>
  authenticate(services.db, request.headers.authorization, { throttle: services.signInThrottle, address: request.ip });
