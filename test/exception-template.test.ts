import { describe, expect, it } from 'vitest';
import { ExceptionListCache, exceptionProperties } from '../src/pipeline/exception';
import { useIngestionServer } from './helpers/wire';

const wire = useIngestionServer();

/** One throw site, so every error made here has the same frames. */
function thrownHere(message: string, type?: string): Error {
  const error = new Error(message);
  if (type !== undefined) error.name = type;
  return error;
}

const SECRET = 'sk-proj-AbC123dEf456GhI789jKl012MnO345';
const MESSAGES: Record<string, string> = {
  plain: 'boom',
  empty: '',
  'a secret': `upstream said ${SECRET}`,
  'an email and a bearer token': 'user ada@example.com sent Bearer abcdefgh12345678',
  'many lines': 'first line\n    at fake (/etc/passwd:1:1)\nlast line',
  'control characters': '\u0000\u001f\u007f\ud800 end',
  'over the text limit': 'x'.repeat(5_000),
  'a megabyte with a secret at the cut': `${'y'.repeat(2_040)}${SECRET}${'z'.repeat(1_048_576)}`,
  'a JSON secret': '{"password":"hunter2-very-secret"}',
};

describe('a lone error from a known site gets its message set on the cached frames', () => {
  for (const [name, message] of Object.entries(MESSAGES)) {
    it(`equals the list built whole, for a message with ${name}`, async () => {
      const client = wire.client({ exceptionRateLimit: false });
      const builder = client.getErrorPropertiesBuilder();
      const cache = new ExceptionListCache();
      const options = { synthetic: false, message: undefined, cache };
      await exceptionProperties(builder, thrownHere('warm the template'), options);
      const errors = [thrownHere(message), thrownHere(message, 'TypeError')];
      for (const error of errors) {
        const cached = await exceptionProperties(builder, error, options);
        const whole = await exceptionProperties(builder, error, { ...options, cache: undefined });
        expect(cached).toEqual(whole);
        // The message only: the source context around these lines holds the literals themselves.
        const value = (cached.$exception_list as { value: string }[])[0]?.value ?? '';
        expect(value).not.toContain(SECRET);
        expect(value).not.toMatch(/hunter2|abcdefgh1/);
      }
      await client.shutdown();
    });
  }

  it('an error with a cause or members is built whole, each message its own', async () => {
    const client = wire.client({ exceptionRateLimit: false });
    const builder = client.getErrorPropertiesBuilder();
    const options = { synthetic: false, message: undefined, cache: new ExceptionListCache() };
    const withCause = (i: number) => new Error(`outer ${i}`, { cause: thrownHere(`inner ${i}`) });
    const aggregate = (i: number) => new AggregateError([thrownHere(`member ${i}`)], `all ${i}`);
    for (const make of [withCause, aggregate]) {
      for (const i of [1, 2]) {
        const error = make(i);
        const cached = await exceptionProperties(builder, error, options);
        expect(cached).toEqual(await exceptionProperties(builder, error, { ...options, cache: undefined }));
        expect(JSON.stringify(cached)).toContain(` ${i}`);
      }
    }
    await client.shutdown();
  });

  it('a hook editing one event’s list never reaches the next one', async () => {
    const client = wire.client({ exceptionRateLimit: false });
    const builder = client.getErrorPropertiesBuilder();
    const options = { synthetic: false, message: undefined, cache: new ExceptionListCache() };
    const first = await exceptionProperties(builder, thrownHere('one'), options);
    const list = first.$exception_list as { type: string; stacktrace?: { frames: unknown[] } }[];
    list[0] = { type: 'edited' };
    const second = await exceptionProperties(builder, thrownHere('two'), options);
    const entry = (second.$exception_list as { type: string; value: string; stacktrace?: unknown }[])[0];
    expect(entry?.type).toBe('Error');
    expect(entry?.value).toBe('two');
    expect(entry?.stacktrace).toBeDefined();
    await client.shutdown();
  });
});

describe('the cache key', () => {
  it('a short signature and one past 2,048 characters are each built once; the key counts toward the bytes', async () => {
    const cache = new ExceptionListCache();
    let builds = 0;
    const build = async () => {
      builds++;
      return '[]';
    };
    for (const signature of ['5:error', `5:error${'x'.repeat(5_000)}`]) {
      await cache.get(signature, build);
      await cache.get(signature, build);
    }
    expect(builds).toBe(2);
    expect(cache.size).toBe(2);
    // 256 of bookkeeping each, the short key at two bytes a unit, the long one as a 44-character digest.
    expect(cache.bytes).toBe(2 * 256 + 7 * 2 + 44 * 2 + 2 * 2 * 2);
  });
});
