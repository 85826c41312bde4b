import { ErrorCode } from '../../src/errors';
import { legacyError, ok } from '../../src/rest/envelope';

describe('legacy envelope', () => {
  test('success is code 0, a number, with the data', () => {
    expect(ok('success')).toEqual({ code: 0, data: 'success' });
    expect(ok([])).toEqual({ code: 0, data: [] });
  });

  test.each(Object.values(ErrorCode))('%s maps to an HTTP error status and a non-zero integer code', (code) => {
    const { status, code: number } = legacyError(code);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(600);
    expect(Number.isInteger(number)).toBe(true);
    expect(number).not.toBe(0);
  });

  test('each error has a code of its own', () => {
    const numbers = [...Object.values(ErrorCode), 'INTERNAL' as const].map((c) => legacyError(c).code);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  test.each([
    [ErrorCode.BadUserInput, 400],
    [ErrorCode.Unauthenticated, 401],
    [ErrorCode.Forbidden, 403],
    [ErrorCode.NotFound, 404],
    [ErrorCode.Conflict, 409],
    [ErrorCode.UpstreamFailure, 503],
  ])('%s is HTTP %i', (code, status) => {
    expect(legacyError(code).status).toBe(status);
  });

  test('an unexpected failure is a 500 with the legacy internal code', () => {
    expect(legacyError('INTERNAL')).toEqual({ status: 500, code: 14000 });
  });
});
