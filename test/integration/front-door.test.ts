import { startServer, type TestServer } from '../support/harness';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

test('GET / answers a page naming the GraphQL API, the legacy REST base path and the documentation', async () => {
  const response = await fetch(`${server.url}/`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(response.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  const page = await response.text();
  expect(page).toContain('<a href="graphql"><code>/graphql</code></a>');
  expect(page).toContain('<code>/registry/v1</code>');
  expect(page).toContain('<code>/registry/v1/token</code>');
  expect(page).toContain('README.md');
  expect(page).toContain('<link rel="icon" href="favicon.ico">');
});

test('GET /favicon.ico answers a 16×16 icon', async () => {
  const response = await fetch(`${server.url}/favicon.ico`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('image/x-icon');
  const icon = Buffer.from(await response.arrayBuffer());
  // The ICO directory: an icon, one image, 16 by 16, 32 bits per pixel, with its size and offset.
  expect({ type: icon.readUInt16LE(2), images: icon.readUInt16LE(4), width: icon[6], height: icon[7], bits: icon.readUInt16LE(12) }).toEqual({ type: 1, images: 1, width: 16, height: 16, bits: 32 });
  expect(icon.readUInt32LE(18) + icon.readUInt32LE(14)).toBe(icon.length);
  // A 40-byte bitmap header, then 16 × 16 pixels of 4 bytes and a 64-byte mask.
  expect(icon.length).toBe(22 + 40 + 16 * 16 * 4 + 64);
});
