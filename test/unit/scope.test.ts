import { BerthError } from '../../src/errors';
import { MAX_SCOPES, parseScopes, type ResourceScope } from '../../src/registry-token/scope';

/** The grammar's part of a parsed scope, without the governed repository (tested below). */
const asked = (scopes: ResourceScope[]) => scopes.map(({ type, name, actions }) => ({ type, name, actions }));

/** Every corner of the grammar in Distribution's docs/spec/auth/scope.md. */
describe('scope grammar', () => {
  test.each([
    ['repository:samalba/my-app:pull,push', { type: 'repository', name: 'samalba/my-app', actions: ['pull', 'push'] }],
    ['repository:library/hello:pull', { type: 'repository', name: 'library/hello', actions: ['pull'] }],
    // A port in the hostname puts a third ":" into the scope: the name runs to the last one.
    ['repository:localhost:5000/foo/bar:pull', { type: 'repository', name: 'localhost:5000/foo/bar', actions: ['pull'] }],
    ['repository:registry.example.com:443/team/app:push', { type: 'repository', name: 'registry.example.com:443/team/app', actions: ['push'] }],
    ['repository:Registry.Example.com/team/app:pull', { type: 'repository', name: 'Registry.Example.com/team/app', actions: ['pull'] }],
    // The resource class is deprecated and ignored: repository(plugin) is repository.
    ['repository(plugin):sample/plugin:pull', { type: 'repository', name: 'sample/plugin', actions: ['pull'] }],
    ['registry:catalog:*', { type: 'registry', name: 'catalog', actions: ['*'] }],
    ['repository:a/b:*', { type: 'repository', name: 'a/b', actions: ['*'] }],
    // Unknown types parse; the issuer grants them nothing.
    ['somethingelse:a/b:frobnicate', { type: 'somethingelse', name: 'a/b', actions: ['frobnicate'] }],
    // `action := /[a-z]*/` allows an empty action, which asks for nothing.
    ['repository:a/b:', { type: 'repository', name: 'a/b', actions: [] }],
    ['repository:a/b:pull,,pull', { type: 'repository', name: 'a/b', actions: ['pull'] }],
    ['repository:one:pull', { type: 'repository', name: 'one', actions: ['pull'] }],
    ['repository:a/b/c/d:pull', { type: 'repository', name: 'a/b/c/d', actions: ['pull'] }],
    ['repository:a__b/c.d-e---f:pull', { type: 'repository', name: 'a__b/c.d-e---f', actions: ['pull'] }],
  ])('%s', (text, expected) => {
    expect(asked(parseScopes([text]))).toEqual([expected]);
  });

  test.each([
    ['no actions part', 'repository:a/b'],
    ['nothing but a type', 'repository'],
    ['an upper-case type', 'Repository:a/b:pull'],
    ['a class without a closing parenthesis', 'repository(plugin:a/b:pull'],
    ['an empty name', 'repository::pull'],
    ['an upper-case repository path', 'repository:alice/App:pull'],
    ['a path ending in a separator', 'repository:alice/app-:pull'],
    ['a doubled slash', 'repository:alice//app:pull'],
    ['a port that is not a number', 'repository:localhost:http/app:pull'],
    ['a host component starting with a hyphen', 'repository:-bad.example.com/app:pull'],
    ['an upper-case action', 'repository:a/b:PULL'],
    ['an action with a digit', 'repository:a/b:pull2'],
    ['a name over 255 characters', `repository:a/${'b'.repeat(255)}:pull`],
  ])('refuses %s', (_why, text) => {
    expect(() => parseScopes([text])).toThrow(BerthError);
    expect(() => parseScopes([text])).toThrow(/malformed/);
  });

  test('a parameter may hold several scopes separated by spaces, and parameters repeat', () => {
    expect(asked(parseScopes(['repository:alice/app:pull,push repository:library/hello:pull', 'registry:catalog:*']))).toEqual([
      { type: 'repository', name: 'alice/app', actions: ['pull', 'push'] },
      { type: 'repository', name: 'library/hello', actions: ['pull'] },
      { type: 'registry', name: 'catalog', actions: ['*'] },
    ]);
  });

  test('scopes of one resource merge into one entry; a class does not make another resource', () => {
    expect(asked(parseScopes(['repository:a/b:pull', 'repository(plugin):a/b:push', 'repository:a/b:pull']))).toEqual([{ type: 'repository', name: 'a/b', actions: ['pull', 'push'] }]);
  });

  test('no scope at all is a request for a token with no access', () => {
    expect(parseScopes([])).toEqual([]);
    expect(parseScopes([''])).toEqual([]);
  });

  test(`at most ${MAX_SCOPES} scopes`, () => {
    const scopes = Array.from({ length: MAX_SCOPES + 1 }, (_, i) => `repository:a/b${i}:pull`);
    expect(parseScopes(scopes.slice(0, MAX_SCOPES))).toHaveLength(MAX_SCOPES);
    expect(() => parseScopes(scopes)).toThrow(/at most 64 scopes/);
  });
});

describe('the repository a scope governs', () => {
  test.each([
    ['alice/app', { namespace: 'alice', name: 'app' }],
    ['library/hello', { namespace: 'library', name: 'hello' }],
    // A registry host before the path makes another name, which only admins get: never judged as the path after it.
    ['localhost/alice/app', null],
    ['localhost:5000/alice/app', null],
    ['registry.example.com/alice/app', null],
    ['bob.evil/bob/x', null],
    // A first part without "." or ":" is a path component, as in Distribution's reference grammar: three parts, no namespace/name.
    ['team/alice/app', null],
    ['app', null],
  ])('%s', (name, expected) => expect(parseScopes([`repository:${name}:pull`])[0].repository).toEqual(expected));

  test('only repository scopes govern a repository', () => {
    expect(parseScopes(['somethingelse:alice/app:pull', 'registry:catalog:*']).map((scope) => scope.repository)).toEqual([null, null]);
  });
});
