-- Pull counting, in one place. A counted pull (a GET of a manifest, see
-- src/ingest/events.ts) is recorded pending; apply_pending_pulls counts the
-- pending pulls of some repositories whose manifests now exist, once each:
-- for the manifest, and for the repository unless it was a pull by digest of
-- a child of a multi-arch index (the pull of its index counted). It runs
-- after pulls are recorded, and, by the trigger below, whenever manifests are
-- created, so a pull delivered before its push counts when the push arrives.
--
-- Every write path records its events first, then takes its repositories'
-- locks (lock_repositories), then changes rows: the pulls and the manifests
-- that meet here are serialized per repository, and no two paths wait on
-- each other in a cycle.
CREATE FUNCTION lock_repositories(names text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  name text;
BEGIN
  FOR name IN SELECT DISTINCT n COLLATE "C" FROM unnest(names) AS n ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(hashtextextended('repository:' || name, 0));
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION apply_pending_pulls(names text[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM lock_repositories(names);
  -- A statement of its own, so it sees what the lock's previous holder committed.
  WITH applied AS (
    UPDATE registry_events e SET pull_pending = false
    FROM namespaces ns
    JOIN repositories r ON r.namespace_id = ns.id
    JOIN manifests m ON m.repository_id = r.id
    WHERE e.pull_pending AND e.repository = ANY(names)
      AND ns.name = split_part(e.repository, '/', 1) AND r.name = split_part(e.repository, '/', 2)
      AND m.digest = e.digest
    RETURNING m.id AS manifest_id, m.repository_id, e.digest, e.tag
  ), manifest_counts AS (
    UPDATE manifests m SET pull_count = m.pull_count + c.pulls
    FROM (SELECT manifest_id, count(*) AS pulls FROM applied GROUP BY manifest_id) c
    WHERE m.id = c.manifest_id
  )
  UPDATE repositories r SET pull_count = r.pull_count + c.pulls
  FROM (
    SELECT repository_id, count(*) AS pulls FROM applied a
    WHERE a.tag IS NOT NULL OR NOT EXISTS (
      SELECT 1 FROM manifests p
      WHERE p.repository_id = a.repository_id AND p.children @> jsonb_build_array(jsonb_build_object('digest', a.digest)))
    GROUP BY repository_id
  ) c
  WHERE r.id = c.repository_id;
END $$;
--> statement-breakpoint
CREATE FUNCTION manifests_apply_pending_pulls() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM apply_pending_pulls(ARRAY(
    SELECT DISTINCT ns.name || '/' || r.name
    FROM created c JOIN repositories r ON r.id = c.repository_id JOIN namespaces ns ON ns.id = r.namespace_id));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER manifests_apply_pending_pulls AFTER INSERT ON manifests
  REFERENCING NEW TABLE AS created FOR EACH STATEMENT EXECUTE FUNCTION manifests_apply_pending_pulls();
