import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  handleResultBlock,
  mintConversationHandle,
  normalizeConversationHandle,
  readHandleFromResult,
} from '../src/session/conversation-handle.js';

const HANDLE = '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f';

describe('normalizeConversationHandle', () => {
  it.each([
    [HANDLE, HANDLE],
    [HANDLE.toUpperCase(), HANDLE],
    ['0190F0E8-7a6b-7C3D-AE4F-5a6b7c8d9e0f', '0190f0e8-7a6b-7c3d-ae4f-5a6b7c8d9e0f'],
    ['0190f0e8-7a6b-7c3d-8e4f-5a6b7c8d9e0f', '0190f0e8-7a6b-7c3d-8e4f-5a6b7c8d9e0f'],
    ['0190f0e8-7a6b-7c3d-be4f-5a6b7c8d9e0f', '0190f0e8-7a6b-7c3d-be4f-5a6b7c8d9e0f'],
  ])('accepts the UUIDv7 %j as %j', (input, expected) => {
    expect(normalizeConversationHandle(input)).toBe(expected);
  });

  it.each([
    ['a UUIDv4', '0190f0e8-7a6b-4c3d-9e4f-5a6b7c8d9e0f'],
    ['a wrong variant', '0190f0e8-7a6b-7c3d-ce4f-5a6b7c8d9e0f'],
    ['a leading space', ` ${HANDLE}`],
    ['a trailing newline', `${HANDLE}\n`],
    ['no hyphens', HANDLE.replaceAll('-', '')],
    ['braces', `{${HANDLE}}`],
    ['a non-hex digit', '0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0g'],
    ['one character too long', `${HANDLE}0`],
    ['the empty string', ''],
    ['a session id', 'ses_6df45f0102a182bcd5e8dd5dad6c65a0'],
  ])('rejects %s', (_label, input) => {
    expect(normalizeConversationHandle(input)).toBeUndefined();
  });

  it.each([[undefined], [null], [42], [{}], [[HANDLE]], [new String(HANDLE)]])(
    'rejects the non-string %j',
    (input) => {
      expect(normalizeConversationHandle(input)).toBeUndefined();
    },
  );

  it('rejects a 10 MB string without scanning it', () => {
    const huge = HANDLE + 'a'.repeat(10 * 1024 * 1024);
    const started = performance.now();
    expect(normalizeConversationHandle(huge)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(50);
  });

  it('never throws and only ever returns a lowercase handle', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const handle = normalizeConversationHandle(input);
        if (handle !== undefined) expect(handle).toBe(handle.toLowerCase());
      }),
    );
  });
});

describe('mintConversationHandle', () => {
  it('mints a lowercase UUIDv7 that normalizes to itself', () => {
    const handle = mintConversationHandle();
    expect(normalizeConversationHandle(handle)).toBe(handle);
    expect(mintConversationHandle()).not.toBe(handle);
  });
});

describe('handle result blocks', () => {
  it('builds the compact conversation_id text block', () => {
    expect(handleResultBlock(HANDLE)).toEqual({ type: 'text', text: `{"conversation_id":"${HANDLE}"}` });
  });

  it('reads the handle back from the last block of a result', () => {
    const result = { content: [{ type: 'text', text: 'Found 3 results' }, handleResultBlock(HANDLE)] };
    expect(readHandleFromResult(result)).toBe(HANDLE);
  });

  it('reads a handle block whose whitespace varies', () => {
    const result = { content: [{ type: 'text', text: `{ "conversation_id" : "${HANDLE}" }\n` }] };
    expect(readHandleFromResult(result)).toBe(HANDLE);
  });

  it.each([
    ['no result', undefined],
    ['no content', {}],
    ['content that is not an array', { content: 'x' }],
    ['empty content', { content: [] }],
    [
      'a handle block that is not last',
      { content: [handleResultBlock(HANDLE), { type: 'text', text: 'x' }] },
    ],
    ['a non-text block', { content: [{ type: 'image', text: `{"conversation_id":"${HANDLE}"}` }] }],
    ['extra keys', { content: [{ type: 'text', text: `{"conversation_id":"${HANDLE}","x":1}` }] }],
    ['an invalid handle', { content: [{ type: 'text', text: '{"conversation_id":"nope"}' }] }],
    ['text that is not JSON', { content: [{ type: 'text', text: `conversation_id ${HANDLE}` }] }],
    ['a JSON array', { content: [{ type: 'text', text: `["${HANDLE}"]` }] }],
  ])('reads no handle from %s', (_label, result) => {
    expect(readHandleFromResult(result)).toBeUndefined();
  });

  it('never throws whatever the result is', () => {
    const hostile = {
      get content(): never {
        throw new Error('no');
      },
    };
    expect(readHandleFromResult(hostile)).toBeUndefined();
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(() => readHandleFromResult(input)).not.toThrow();
      }),
    );
  });
});
