import { describe, expect, it } from 'vitest';
import { LruMap } from '../src/lru-map.js';

describe('LruMap', () => {
  it('stores and returns values like a map', () => {
    const map = new LruMap<string, number>(3);
    map.set('a', 1).set('b', 2);
    expect(map.get('a')).toBe(1);
    expect(map.peek('b')).toBe(2);
    expect(map.has('a')).toBe(true);
    expect(map.has('z')).toBe(false);
    expect(map.get('z')).toBeUndefined();
    expect(map.size).toBe(2);
  });

  it('evicts the least recently set entry beyond its size', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect(map.has('a')).toBe(false);
    expect(map.has('b')).toBe(true);
    expect(map.has('c')).toBe(true);
    expect(map.size).toBe(2);
  });

  it('a get refreshes recency so the entry survives the next eviction', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.get('a');
    map.set('c', 3);
    expect(map.has('a')).toBe(true);
    expect(map.has('b')).toBe(false);
  });

  it('a peek leaves recency alone', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1).set('b', 2);
    map.peek('a');
    map.set('c', 3);
    expect(map.has('a')).toBe(false);
  });

  it('setting an existing key replaces its value and refreshes it', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('a', 10).set('c', 3);
    expect(map.get('a')).toBe(10);
    expect(map.has('b')).toBe(false);
    expect(map.size).toBe(2);
  });

  it('keeps undefined values distinct from missing keys', () => {
    const map = new LruMap<string, number | undefined>(2);
    map.set('a', undefined).set('b', 2);
    expect(map.has('a')).toBe(true);
    map.get('a');
    map.set('c', 3);
    expect(map.has('a')).toBe(true);
    expect(map.has('b')).toBe(false);
  });

  it('deletes entries', () => {
    const map = new LruMap<string, number>(3);
    map.set('a', 1).set('b', 2);
    expect(map.delete('a')).toBe(true);
    expect(map.delete('a')).toBe(false);
    expect(map.size).toBe(1);
    expect(map.delete('b')).toBe(true);
    expect(map.size).toBe(0);
  });

  it('accepts any map key, including NaN and objects', () => {
    const map = new LruMap<unknown, string>(4);
    const key = {};
    map.set(Number.NaN, 'nan').set(key, 'object');
    expect(map.get(Number.NaN)).toBe('nan');
    expect(map.get(key)).toBe('object');
    expect(map.get({})).toBeUndefined();
  });

  it('treats a size below one or not finite as one', () => {
    for (const size of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      const map = new LruMap<string, number>(size);
      map.set('a', 1).set('b', 2);
      expect(map.size).toBe(1);
      expect(map.maxSize).toBe(1);
    }
  });

  it('stays bounded under 100,000 distinct keys', () => {
    const map = new LruMap<number, number>(1000);
    for (let index = 0; index < 100_000; index++) map.set(index, index);
    expect(map.size).toBe(1000);
    expect(map.has(99_999)).toBe(true);
    expect(map.has(99_000)).toBe(true);
    expect(map.has(98_999)).toBe(false);
  });
});
