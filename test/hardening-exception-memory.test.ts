import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  ExceptionListCache,
  exceptionProperties,
  MAX_CACHED_EXCEPTION_BYTES,
  MAX_CACHED_EXCEPTIONS,
} from '../src/pipeline/exception';
import { useIngestionServer } from './helpers/wire';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const wire = useIngestionServer();
const MiB = 1_048_576;

function heapMiB(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed / MiB;
}

function failAt(site: string, message: string): Error {
  return new Error(`${site}: ${message}`);
}

describe('the $exception_list cache is bounded in bytes', () => {
  it('100 distinct 1 MB error messages leave the heap within a few MiB once delivered', async () => {
    const client = wire.client({ exceptionRateLimit: false });
    client.captureToolCall({ toolName: 'warm', error: new Error('warm') });
    await client.flush();
    const before = heapMiB();
    for (let i = 0; i < 100; i++) {
      client.captureToolCall({ toolName: 'search', error: failAt('search', `${i} ${'m'.repeat(MiB)}`) });
      if (i % 10 === 9) await client.flush();
    }
    await client.flush();
    const grown = heapMiB() - before;
    expect(wire.server.eventsNamed('$exception')).toHaveLength(101);
    await client.shutdown();

    expect(grown, `${grown.toFixed(1)} MiB retained`).toBeLessThan(16);
  });

  it('keeps at most its entries and bytes, whatever each list weighs', async () => {
    const cache = new ExceptionListCache();
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 300; i++) await cache.get(`signature ${i}`, async () => `["${i}${big}"]`);
    expect(cache.bytes).toBeLessThanOrEqual(MAX_CACHED_EXCEPTION_BYTES);
    expect(cache.size).toBeLessThan(MAX_CACHED_EXCEPTIONS);
    for (let i = 0; i < 300; i++) await cache.get(`small ${i}`, async () => '[]');
    expect(cache.size).toBe(MAX_CACHED_EXCEPTIONS);
  });

  it('a failed build is not kept, and the next call builds again', async () => {
    const cache = new ExceptionListCache();
    await expect(cache.get('s', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    expect(cache.size).toBe(0);
    expect(await cache.get('s', async () => '[1]')).toBe('[1]');
  });
});

describe('a recurring failure is built once', () => {
  it('the same error from the same site is parsed and read once, and so are distinct messages from it', async () => {
    const client = wire.client({ exceptionRateLimit: false });
    const builder = client.getErrorPropertiesBuilder();
    let builds = 0;
    const counting = {
      buildFromUnknown: (...args: Parameters<typeof builder.buildFromUnknown>) => {
        builds++;
        return builder.buildFromUnknown(...args);
      },
      modifyFrames: (list: Parameters<typeof builder.modifyFrames>[0]) => builder.modifyFrames(list),
    } as typeof builder;
    const cache = new ExceptionListCache();
    const options = { synthetic: false, message: undefined, cache };
    // Made in one synchronous loop, so every error has the same call path (an await changes async frames).
    const errors = Array.from({ length: 20 }, () => failAt('same', 'boom'));
    const lists = [];
    for (const error of errors) lists.push(await exceptionProperties(counting, error, options));
    expect(builds).toBe(1);
    expect(new Set(lists.map((list) => JSON.stringify(list))).size).toBe(1);
    expect(lists[0]).not.toBe(lists[1]);
    const messages = [];
    for (let i = 0; i < 5; i++) {
      const list = await exceptionProperties(counting, failAt('same', `boom ${i}`), options);
      messages.push((list.$exception_list as { value: string }[])[0]?.value);
    }
    // One more build: the lone-error template (frames without a message) is kept apart from whole lists.
    expect(builds).toBe(2);
    expect(messages).toEqual([0, 1, 2, 3, 4].map((i) => `same: boom ${i}`));
    await client.shutdown();
  });
});
