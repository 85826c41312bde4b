import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PATIENCE_MS } from '../../support/patience';

const run = promisify(execFile);

/** Runs skopeo against a plain-HTTP loopback registry; fails with skopeo's own message. */
async function skopeo(args: string[]): Promise<string> {
  try {
    // --insecure-policy: the test trusts its own registry whatever /etc/containers/policy.json says.
    const { stdout } = await run('skopeo', ['--insecure-policy', ...args], { timeout: PATIENCE_MS, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`skopeo ${args.join(' ')} failed: ${stderr?.trim() || message}`);
  }
}

export type PushFormat = 'oci' | 'v2s2';

/**
 * Pushes `oci:<layout>:<ref>` to `docker://<host>/<repository>:<tag>` in the
 * given manifest format (`all` copies an index with every child) and returns
 * the digest of the manifest the registry stored, as skopeo computed it.
 * `creds` (user:password) are for a registry behind token auth.
 */
export async function push(layout: string, ref: string, host: string, image: string, format: PushFormat, all = false, creds?: string): Promise<string> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'berth-skopeo-'));
  try {
    const digestFile = path.join(scratch, 'digest');
    await skopeo([
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      '--format',
      format,
      ...(all ? ['--all'] : []),
      ...(creds ? ['--dest-creds', creds] : []),
      '--digestfile',
      digestFile,
      `oci:${layout}:${ref}`,
      `docker://${host}/${image}`,
    ]);
    return (await readFile(digestFile, 'utf8')).trim();
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Pulls an image (or with `all`, an index and every child) into a scratch directory and discards it. */
export async function pull(host: string, image: string, all = false, creds?: string): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'berth-pull-'));
  try {
    await skopeo(['copy', '--quiet', '--src-tls-verify=false', ...(all ? ['--all'] : []), ...(creds ? ['--src-creds', creds] : []), `docker://${host}/${image}`, `dir:${scratch}`]);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** `skopeo inspect`: the digest, architecture and layers skopeo reports for an image; `creds` (user:password) for a registry behind token auth. */
export async function inspect(host: string, image: string, creds?: string): Promise<{ Digest: string; Architecture: string; Os: string; Layers: string[] }> {
  return JSON.parse(await skopeo(['inspect', '--tls-verify=false', ...(creds ? ['--creds', creds] : []), `docker://${host}/${image}`]));
}
