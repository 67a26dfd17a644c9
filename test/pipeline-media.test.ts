import { describe, expect, it } from 'vitest';
import { BINARY_PLACEHOLDER, MAX_ENTRIES } from '../src/pipeline/limits';
import { AUDIO_PLACEHOLDER, IMAGE_PLACEHOLDER, replaceMediaBlocks } from '../src/pipeline/media';
import { MARKER } from '../src/pipeline/sanitize';

describe('replaceMediaBlocks', () => {
  it.each([
    [
      'an image block',
      { type: 'image', data: 'iVBOR', mimeType: 'image/png' },
      { type: 'text', text: IMAGE_PLACEHOLDER },
    ],
    [
      'an audio block',
      { type: 'audio', data: 'UklGR', mimeType: 'audio/wav' },
      { type: 'text', text: AUDIO_PLACEHOLDER },
    ],
    [
      'a blob resource',
      { type: 'resource', resource: { uri: 'file:///a.bin', blob: 'AAAA', mimeType: 'x' } },
      { type: 'resource', resource: { uri: 'file:///a.bin', blob: BINARY_PLACEHOLDER, mimeType: 'x' } },
    ],
    [
      'a text resource',
      { type: 'resource', resource: { uri: 'file:///a', text: 'hi' } },
      { type: 'resource', resource: { uri: 'file:///a', text: 'hi' } },
    ],
    ['a text block', { type: 'text', text: 'hi' }, { type: 'text', text: 'hi' }],
    ['a non-object block', 'odd', 'odd'],
  ])('replaces %s as needed', (_label, block, expected) => {
    expect(replaceMediaBlocks({ content: [block] })).toEqual({ content: [expected] });
  });

  it('names the reason in the placeholders', () => {
    expect(IMAGE_PLACEHOLDER).toBe('[image redacted - not supported by PostHog MCP analytics]');
    expect(AUDIO_PLACEHOLDER).toBe('[audio redacted - not supported by PostHog MCP analytics]');
  });

  it('keeps the other result fields and leaves the input untouched', () => {
    const input = {
      content: [{ type: 'image', data: 'x', mimeType: 'image/png' }],
      structuredContent: { n: 1 },
      isError: false,
    };
    const before = structuredClone(input);
    const out = replaceMediaBlocks(input) as typeof input;
    expect(out).toEqual({
      content: [{ type: 'text', text: IMAGE_PLACEHOLDER }],
      structuredContent: { n: 1 },
      isError: false,
    });
    expect(out).not.toBe(input);
    expect(input).toEqual(before);
  });

  it('handles only the first entries of a long content list', () => {
    const content = Array.from({ length: 150 }, () => ({ type: 'text', text: 'a' }));
    expect((replaceMediaBlocks({ content }) as { content: unknown[] }).content).toHaveLength(MAX_ENTRIES);
  });

  it.each([[null], [undefined], ['text'], [42], [[1, 2]]])(
    'returns the non-object result %j as is',
    (input) => {
      expect(replaceMediaBlocks(input)).toBe(input);
    },
  );

  it('never throws on hostile results', () => {
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    const block = Object.defineProperty({}, 'type', {
      get: () => {
        throw new Error('no');
      },
    });
    expect(replaceMediaBlocks(throwing)).toBe(throwing);
    expect(replaceMediaBlocks(revocable.proxy)).toBe(revocable.proxy);
    expect(replaceMediaBlocks({ content: [block] })).toEqual({ content: [MARKER.unreadable] });
  });
});
