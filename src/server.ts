import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import fastifyApollo, { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { identifyCallers } from './caller';
import { boundResponses } from './graphql/response-limit';
import { costHeaders, COST_HEADERS } from './graphql/cost-header';
import { DEFAULT_QUERY_LIMITS, type Config } from './config';
import type { Database } from './db/client';
import { reportStatementCounts } from './db/statement-stats';
import { frontDoorRoutes } from './front-door';
import { graphiqlRoutes } from './graphiql/assets';
import { graphiqlLandingPage } from './graphiql/landing-page';
import { createContext, type Context } from './graphql/context';
import { formatError, graphqlRequestError } from './graphql/errors';
import { createExecutor, executorGateway } from './graphql/executor';
import { buildBerthSchema } from './graphql/schema';
import { graphqlMetrics } from './ops/graphql-metrics';
import { healthRoutes, type Readiness } from './ops/health';
import { loggedError } from './ops/logged-error';
import { RegistryWatch } from './ops/registry-watch';
import { observeHttp } from './ops/http-metrics';
import { requestIdOf } from './ops/request-id';
import { refuseForeignHosts } from './rest/cross-site';
import { notificationRoutes } from './rest/notifications.routes';
import { legacyRoutes } from './rest/routes';
import { tokenRoutes } from './rest/token.routes';
import { createServices, type Services } from './services';
import { startRegistryWorkers } from './ingest/workers';

export interface AppOptions {
  config: Pick<Config, 'bodyLimit' | 'logLevel'> & Partial<Pick<Config, 'sqlStats' | 'corsOrigins' | 'signIn' | 'trustProxy' | 'registry' | 'webhookSecret' | 'webhookAuth' | 'syncIntervalSeconds' | 'publicUrl' | 'queryLimits' | 'token'>>;
  database: Database;
}

export interface App {
  http: FastifyInstance;
  services: Services;
  /** Every route served, as "METHOD /url"; the access tests check each one has an expected outcome. */
  routes: string[];
  /** While true, /readyz answers 503 "starting": start-up (keys, the admin account) is not finished. */
  readiness: Readiness;
}

export async function buildApp({ config, database }: AppOptions): Promise<App> {
  const http = Fastify({
    bodyLimit: config.bodyLimit,
    logger: { level: config.logLevel, redact: ['req.headers.authorization'], serializers: { err: loggedError } },
    requestIdHeader: false,
    genReqId: requestIdOf,
    trustProxy: config.trustProxy ?? false,
  });
  const routes: string[] = [];
  http.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
  });
  observeHttp(http);
  http.addHook('onRequest', refuseForeignHosts(config.publicUrl));
  if (config.sqlStats) reportStatementCounts(http);
  const services = createServices(database.db, config);
  // Without configured origins no CORS headers are sent, so browsers keep other sites out.
  if (config.corsOrigins?.length) await http.register(cors, { origin: config.corsOrigins, maxAge: 600, exposedHeaders: COST_HEADERS });
  const schema = buildBerthSchema();
  const queryLimits = config.queryLimits ?? DEFAULT_QUERY_LIMITS;
  const executor = createExecutor(schema, queryLimits);

  const apollo = new ApolloServer<Context>({
    // Operations run compiled by graphql-jit (see graphql/executor.ts), over the same schema.
    gateway: executorGateway(schema, executor),
    formatError,
    // Counted while parsing, so a long document is refused before the parser's recursion goes deep (graphql/errors.ts names it QUERY_TOO_COMPLEX).
    parseOptions: { maxTokens: queryLimits.tokens },
    // Stack traces name server paths; they belong in the log, never in an answer.
    includeStacktraceInErrorResponses: false,
    // Berth's own SIGTERM handler closes Fastify, which stops Apollo; Apollo's would re-raise the signal and kill the process mid-shutdown.
    stopOnTerminationSignals: false,
    // Berth sets no cache hints; the plugin would otherwise wrap every field resolver.
    plugins: [fastifyApolloDrainPlugin(http), ApolloServerPluginCacheControlDisabled(), graphiqlLandingPage(), graphqlMetrics(), costHeaders(queryLimits.cost)],
  });
  await apollo.start();

  await http.register(async (scope) => {
    identifyCallers(scope, services.accounts);
    scope.setErrorHandler(graphqlRequestError);
    boundResponses(scope, queryLimits.responseBytes);
    await scope.register(fastifyApollo(apollo), { path: '/graphql', context: async (request) => createContext(services, request.viewer) });
  });
  await http.register(legacyRoutes, { prefix: '/registry/v1', executor, services, allowedOrigins: config.corsOrigins });
  await http.register(notificationRoutes, { prefix: '/registry/v1', services, authenticate: config.webhookAuth ?? true });
  await http.register(tokenRoutes, { prefix: '/registry/v1', services });
  // The workers live as long as the server; closing it (once requests in flight are done) aborts the registry calls left and stops them before the database goes.
  const workers = startRegistryWorkers(services, { syncIntervalSeconds: config.syncIntervalSeconds ?? 0 }, http.log);
  http.addHook('onClose', () => {
    services.registry?.close();
    return workers.stop();
  });
  const readiness: Readiness = { starting: false };
  healthRoutes(http, database, readiness, services.registry && new RegistryWatch(services.registry, http.log));
  frontDoorRoutes(http);
  await graphiqlRoutes(http);
  return { http, services, routes, readiness };
}
