/**
 * The deterministic benchmark data set, as bulk SQL over Berth's own schema
 * (the tables its migrations create). Every value derives from row numbers,
 * so two loads at one scale hold identical rows.
 */

export interface Scale {
  namespaces: number;
  repositories: number;
  tagsPerRepository: number;
  /** Recorded registry events: one push per tag, the rest pulls. */
  events: number;
}

export const FULL_SCALE: Scale = { namespaces: 20, repositories: 2000, tagsPerRepository: 20, events: 1_000_000 };
export const QUICK_SCALE: Scale = { namespaces: 20, repositories: 200, tagsPerRepository: 20, events: 100_000 };

/** A fifth of the tags are aliases (latest, stable…) of another tag's digest, as on real registries. */
export const digestsPerRepository = (scale: Scale) => Math.ceil(scale.tagsPerRepository * 0.8);

const LAYERS_PER_IMAGE = 5;
/** Every image starts from the same base layer, like images built FROM one distribution. */
const BASE_LAYER = `'sha256:' || encode(sha256(convert_to('base-layer', 'UTF8')), 'hex')`;
const EPOCH = `timestamptz '2026-01-01 00:00:00+00'`;
const pad = (expr: string, width: number) => `lpad((${expr})::text, ${width}, '0')`;

/** Namespaces with owner accounts, repositories, manifests and tags; counters start at zero. */
export function catalogStatements(scale: Scale, passwordHash: string): string[] {
  const digests = digestsPerRepository(scale);
  const digestOf = (repositoryId: string, index: string) =>
    `'sha256:' || encode(sha256(convert_to(${repositoryId} || '/manifest/' || ${index}, 'UTF8')), 'hex')`;
  return [
    `insert into accounts (name, password_hash, role)
       select 'owner-' || ${pad('n', 2)}, '${passwordHash}', 'user' from generate_series(1, ${scale.namespaces}) n`,
    `insert into namespaces (name, owner_id, created_at)
       select 'team-' || ${pad('n', 2)}, a.id, ${EPOCH}
       from generate_series(1, ${scale.namespaces}) n join accounts a on a.name = 'owner-' || ${pad('n', 2)}`,
    // Half public; created one minute apart so "newest first" is a stable order.
    `insert into repositories (namespace_id, name, is_public, created_at, updated_at, last_pushed_at)
       select ns.id, 'image-' || ${pad('r', 4)}, r % 2 = 0, ${EPOCH} + r * interval '1 minute', ${EPOCH} + r * interval '1 minute',
              ${EPOCH} + r * interval '1 minute' + ${scale.tagsPerRepository} * interval '1 second'
       from generate_series(0, ${scale.repositories - 1}) r
       join namespaces ns on ns.name = 'team-' || ${pad(`r % ${scale.namespaces} + 1`, 2)}`,
    // OCI and Docker schema 2 alternate; five layers, the first shared by every image.
    `insert into manifests (repository_id, digest, media_type, schema_version, size, config, layers, architecture, os, history, created_at)
       select r.id, ${digestOf('r.id', 'm')},
              case when m % 2 = 0 then 'application/vnd.oci.image.manifest.v1+json' else 'application/vnd.docker.distribution.manifest.v2+json' end,
              2, l.total + 1500 + m,
              jsonb_build_object('mediaType', case when m % 2 = 0 then 'application/vnd.oci.image.config.v1+json' else 'application/vnd.docker.container.image.v1+json' end,
                                 'digest', 'sha256:' || encode(sha256(convert_to(r.id || '/config/' || m, 'UTF8')), 'hex'), 'size', 1500 + m),
              l.layers, case when m % 4 = 3 then 'arm64' else 'amd64' end, 'linux', l.history, r.created_at + m * interval '1 second'
       from repositories r cross join generate_series(0, ${digests - 1}) m
       cross join lateral (
         select jsonb_agg(jsonb_build_object('mediaType', 'application/vnd.oci.image.layer.v1.tar+gzip', 'digest', digest, 'size', size) order by k) as layers,
                jsonb_agg(jsonb_build_object('created', '2026-01-01T00:00:00Z', 'createdBy', 'RUN step ' || k, 'emptyLayer', false) order by k) as history,
                sum(size)::bigint as total
         from (select k,
                      case when k = 0 then ${BASE_LAYER} else 'sha256:' || encode(sha256(convert_to(r.id || '/layer/' || m || '/' || k, 'UTF8')), 'hex') end as digest,
                      case when k = 0 then 29150000 else 1000 + (r.id * 7919 + m * 104729 + k * 15485863) % 20000000 end as size
               from generate_series(0, ${LAYERS_PER_IMAGE - 1}) k) layer
       ) l`,
    // Tags v1.0…; the last fifth (latest, stable, …) point at the digests of the first ones.
    `insert into tags (repository_id, name, manifest_id, created_at, updated_at, pushed_at)
       select r.id,
              case when t < ${digests} then 'v' || (t / 4 + 1) || '.' || (t % 4)
                   else coalesce((array['latest', 'stable', 'edge', 'lts'])[t - ${digests} + 1], 'alias-' || (t - ${digests})) end,
              m.id, r.created_at + t * interval '1 second', r.created_at + t * interval '1 second', r.created_at + t * interval '1 second'
       from repositories r cross join generate_series(0, ${scale.tagsPerRepository - 1}) t
       join manifests m on m.repository_id = r.id and m.digest = ${digestOf('r.id', `(case when t < ${digests} then t else t - ${digests} end)`)}`,
    // Sets hint bits and the visibility map, as a settled database has them, so reads do not write.
    'vacuum analyze',
  ];
}

/**
 * The recorded history: one push event per tag, then pulls spread over every
 * manifest, as the registry's webhook would have delivered them; counters are
 * then set from the events so they agree exactly.
 */
export function historyStatements(scale: Scale): string[] {
  const pushes = scale.repositories * scale.tagsPerRepository;
  const pulls = Math.max(0, scale.events - pushes);
  const event = (action: string, method: string, tag: string) => `
    md5('event/' || i)::uuid::text, '${action}', t.repository, t.digest, ${tag}, t.media_type, '${method}', ts, ts,
    jsonb_build_object(
      'id', md5('event/' || i)::uuid::text, 'timestamp', ts, 'action', '${action}',
      'target', jsonb_build_object('mediaType', t.media_type, 'size', 1500, 'digest', t.digest, 'length', 1500, 'repository', t.repository,
                                   'url', 'http://registry.local:5000/v2/' || t.repository || '/manifests/' || t.digest${tag === 'null' ? '' : `, 'tag', ${tag}`}),
      'request', jsonb_build_object('id', md5('request/' || i)::uuid::text, 'addr', '10.0.' || (i % 200) || '.' || (i % 250) || ':40000',
                                    'host', 'registry.local:5000', 'method', '${method}', 'useragent', 'docker/24.0.7'),
      'actor', '{}'::jsonb, 'source', jsonb_build_object('addr', 'registry.local:5000', 'instanceID', '4fa5eb63-0a79-485d-ac33-c82e443aae24'))`;
  const columns = 'id, action, repository, digest, tag, media_type, method, occurred_at, received_at, payload';
  return [
    `create temporary table bench_targets as
       select (row_number() over (order by m.id) - 1)::int as k, m.id as manifest_id, ns.name || '/' || r.name as repository, m.digest, m.media_type
       from manifests m join repositories r on r.id = m.repository_id join namespaces ns on ns.id = r.namespace_id`,
    'create unique index on bench_targets (k)',
    `insert into registry_events (${columns})
       select ${event('push', 'PUT', 'tg.name')}
       from (select row_number() over (order by tg.id) as i, tg.name, tg.manifest_id, tg.pushed_at as ts from tags tg) tg
       join bench_targets t on t.manifest_id = tg.manifest_id`,
    // Pulls every 20 seconds after the catalog, spread over manifests by a stride prime to their count.
    `insert into registry_events (${columns})
       select ${event('pull', 'GET', 'null')}
       from (select ${pushes} + n as i, ${EPOCH} + interval '60 days' + n * interval '20 seconds' as ts
             from generate_series(1, ${pulls}) n) p
       join bench_targets t on t.k = (p.i::bigint * 7919) % (select count(*) from bench_targets)`,
    `update manifests m set pull_count = c.pulls, push_count = c.pushes
       from (select t.manifest_id, count(*) filter (where e.action = 'pull') as pulls, count(*) filter (where e.action = 'push') as pushes
             from registry_events e join bench_targets t on t.repository = e.repository and t.digest = e.digest
             group by t.manifest_id) c
       where m.id = c.manifest_id`,
    `update repositories r set pull_count = c.pulls, push_count = c.pushes
       from (select repository_id, sum(pull_count) as pulls, sum(push_count) as pushes from manifests group by repository_id) c
       where r.id = c.repository_id`,
    'drop table bench_targets',
    // The counter updates above leave a dead version of every manifest and repository row.
    'vacuum analyze',
  ];
}
