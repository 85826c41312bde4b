import { EMPTY_LAYER_DIGEST, toSchema1, type Schema1Source } from '../../src/rest/schema1';

const layer = (n: number) => ({ digest: `sha256:${String(n).repeat(64)}` });
const source = (overrides: Partial<Schema1Source> = {}): Schema1Source => ({
  name: 'library/registry',
  tag: 'latest',
  architecture: 'arm64',
  os: 'linux',
  layers: [layer(1), layer(2)],
  history: [
    { created: '2024-01-01T00:00:00Z', createdBy: '/bin/sh -c #(nop) ADD file:x in /', emptyLayer: false },
    { created: '2024-01-01T00:00:01Z', createdBy: '/bin/sh -c #(nop) CMD ["sh"]', emptyLayer: true },
    { created: '2024-01-01T00:00:02Z', createdBy: '/bin/sh -c make', emptyLayer: false, comment: 'built' },
  ],
  ...overrides,
});
const v1 = (manifest: ReturnType<typeof toSchema1>) => manifest.history.map((h) => JSON.parse(h.v1Compatibility));

describe('schema-1 conversion', () => {
  test('has exactly the schema-1 top-level fields', () => {
    const manifest = toSchema1(source());
    expect(Object.keys(manifest).sort()).toEqual(['architecture', 'fsLayers', 'history', 'name', 'schemaVersion', 'tag']);
    expect(manifest).toMatchObject({ name: 'library/registry', tag: 'latest', architecture: 'arm64', schemaVersion: 1 });
  });

  test('lists one layer per history step, newest first, the empty tar for steps without a layer', () => {
    expect(toSchema1(source()).fsLayers).toEqual([{ blobSum: layer(2).digest }, { blobSum: EMPTY_LAYER_DIGEST }, { blobSum: layer(1).digest }]);
  });

  test('the empty tar digest is the one in the legacy document', () => {
    expect(EMPTY_LAYER_DIGEST).toBe('sha256:a3ed95caeb02ffe68cdd9fd84406680ae93d633cb16422d00e8a7c22955b46d4');
  });

  test('v1Compatibility is a JSON string chaining each step to its parent', () => {
    const manifest = toSchema1(source());
    for (const h of manifest.history) expect(typeof h.v1Compatibility).toBe('string');
    const entries = v1(manifest);
    expect(entries[0]).toMatchObject({ architecture: 'arm64', os: 'linux', comment: 'built', created: '2024-01-01T00:00:02Z', container_config: { Cmd: ['/bin/sh -c make'] } });
    expect(entries[1]).toMatchObject({ throwaway: true, container_config: { Cmd: ['/bin/sh -c #(nop) CMD ["sh"]'] } });
    expect(entries[0].parent).toBe(entries[1].id);
    expect(entries[1].parent).toBe(entries[2].id);
    expect(entries[2].parent).toBeUndefined();
    // Only the newest entry carries the image's platform, as Docker's converter writes it.
    expect(entries[1].architecture).toBeUndefined();
    for (const e of entries) expect(e.id).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(entries.map((e) => e.id)).size).toBe(3);
  });

  test('is deterministic, so the same manifest always converts alike', () => {
    expect(toSchema1(source())).toEqual(toSchema1(source()));
  });

  test('ids differ when the layers differ', () => {
    const a = v1(toSchema1(source()));
    const b = v1(toSchema1(source({ layers: [layer(3), layer(2)] })));
    expect(a[2].id).not.toBe(b[2].id);
  });

  test('without a recorded history every layer is a step of its own', () => {
    const manifest = toSchema1(source({ history: [] }));
    expect(manifest.fsLayers).toEqual([{ blobSum: layer(2).digest }, { blobSum: layer(1).digest }]);
    expect(v1(manifest)[1].container_config).toEqual({ Cmd: [] });
  });

  test('an unknown platform is reported as linux/amd64', () => {
    const manifest = toSchema1(source({ architecture: null, os: null }));
    expect(manifest.architecture).toBe('amd64');
    expect(v1(manifest)[0]).toMatchObject({ architecture: 'amd64', os: 'linux' });
  });
});
