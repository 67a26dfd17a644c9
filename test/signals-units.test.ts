import { describe, expect, it } from 'vitest';
import { isEmptyResult } from '../src/pipeline/empty-result';
import {
  ExceptionRateLimiter,
  exceptionSignature,
  MAX_EXCEPTION_SIGNATURES,
  normalizeMessage,
} from '../src/pipeline/exception-rate-limit';
import { MAX_REPEAT_SESSIONS, RepeatTracker } from '../src/session/repeat-tracker';

const text = (value: string) => ({ type: 'text', text: value });

describe('isEmptyResult', () => {
  it.each([
    ['no content', {}, true],
    ['an empty content array', { content: [] }, true],
    ['only blank text', { content: [text('  \n')] }, true],
    ['[] {} and null texts', { content: [text('[]'), text(' {} '), text('null')] }, true],
    ['a text block without text', { content: [{ type: 'text' }] }, true],
    ['empty structuredContent', { content: [], structuredContent: {} }, true],
    ['some text', { content: [text('0 results')] }, false],
    ['an image', { content: [{ type: 'image', data: 'x', mimeType: 'image/png' }] }, false],
    ['structuredContent with members', { content: [], structuredContent: { items: [] } }, false],
    ['a long blank text counts as content', { content: [text(' '.repeat(5_000))] }, false],
    ['more blocks than are read counts as content', { content: Array(101).fill(text('')) }, false],
    ['content that is not an array', { content: 'nope' }, false],
  ])('%s → %s', (_label, result, empty) => {
    expect(isEmptyResult(result)).toBe(empty);
  });

  it('never throws on a hostile result', () => {
    const throwing = new Proxy(
      {},
      {
        get: () => {
          throw new Error('trap');
        },
        ownKeys: () => {
          throw new Error('trap');
        },
      },
    );
    expect(() => isEmptyResult(throwing)).not.toThrow();
    expect(() => isEmptyResult({ structuredContent: throwing })).not.toThrow();
    expect(() => isEmptyResult({ content: [throwing] })).not.toThrow();
  });
});

describe('RepeatTracker', () => {
  it('counts identical calls immediately before, per session, and resets on a different call', () => {
    const tracker = new RepeatTracker();
    const counts = ['a', 'a', 'a', 'b', 'a', 'a'].map((key) => tracker.record('s1', key));
    expect(counts).toEqual([0, 1, 2, 0, 0, 1]);
    expect(tracker.record('s2', 'a')).toBe(0);
  });

  it('forgets the least recently active session past its bound', () => {
    const tracker = new RepeatTracker();
    tracker.record('first', 'k');
    for (let i = 0; i < MAX_REPEAT_SESSIONS; i++) tracker.record(`s${i}`, 'k');
    expect(tracker.record('first', 'k')).toBe(0);
    expect(tracker.record(`s${MAX_REPEAT_SESSIONS - 1}`, 'k')).toBe(1);
  });
});

describe('ExceptionRateLimiter', () => {
  it('sends perSignature per window, then holds back, and the next one sent carries the count', () => {
    const limiter = new ExceptionRateLimiter({ perSignature: 2, windowMs: 1_000 });
    const at = (now: number) => limiter.admit('sig', now);
    expect([at(0), at(10), at(20), at(30)]).toEqual([
      { send: true, suppressed: 0 },
      { send: true, suppressed: 0 },
      { send: false, suppressed: 0 },
      { send: false, suppressed: 0 },
    ]);
    expect(at(1_000)).toEqual({ send: true, suppressed: 2 });
    expect(at(1_001)).toEqual({ send: true, suppressed: 0 });
  });

  it('keeps signatures apart and bounded', () => {
    const limiter = new ExceptionRateLimiter({ perSignature: 1, windowMs: 60_000 });
    expect(limiter.admit('a', 0).send).toBe(true);
    expect(limiter.admit('b', 0).send).toBe(true);
    expect(limiter.admit('a', 1).send).toBe(false);
    for (let i = 0; i < MAX_EXCEPTION_SIGNATURES + 10; i++) limiter.admit(`s${i}`, 2);
    expect(limiter.admit('a', 3).send).toBe(true);
  });

  it('normalises numbers and ids, so one failure with varying ids is one signature', () => {
    expect(normalizeMessage('order 42 failed after 1.5s')).toBe(normalizeMessage('order 7 failed after 30s'));
    expect(normalizeMessage('user 0190f0e8-7a6b-7c3d-9e4f-5a6b7c8d9e0f missing')).toBe(
      normalizeMessage('user 11111111-2222-3333-4444-555555555555 missing'),
    );
    expect(exceptionSignature('t', 'E', 'x'.repeat(1_000_000)).length).toBeLessThan(600);
    expect(exceptionSignature('a', 'E', 'm')).not.toBe(exceptionSignature('b', 'E', 'm'));
  });
});
