import { describe, expect, it } from 'vitest';
import { ConnectionSessions, DEFAULT_MAX_CONNECTION_KEYS } from '../src/session/connection-sessions.js';

const MINUTE_MS = 60_000;
const SESSION_ID_PATTERN = /^ses_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000;
  return {
    now: () => time,
    advance: (ms) => {
      time += ms;
    },
  };
}

function completeCall(sessions: ConnectionSessions, key: unknown): string {
  const sessionId = sessions.begin(key);
  sessions.end(key);
  return sessionId;
}

describe('ConnectionSessions', () => {
  it('gives every call on one connection the same ses_<UUIDv7> session id', () => {
    const sessions = new ConnectionSessions();
    const first = completeCall(sessions, 'stdio');
    expect(first).toMatch(SESSION_ID_PATTERN);
    expect(completeCall(sessions, 'stdio')).toBe(first);
    expect(sessions.current('stdio')).toBe(first);
  });

  it('gives different connections different session ids', () => {
    const sessions = new ConnectionSessions();
    const socketA = {};
    const socketB = {};
    expect(completeCall(sessions, socketA)).not.toBe(completeCall(sessions, socketB));
    expect(sessions.current(socketA)).not.toBe(sessions.current(socketB));
    expect(sessions.size).toBe(2);
  });

  it('uses the id from initialize for the first call on the connection', () => {
    const sessions = new ConnectionSessions();
    const atInitialize = sessions.current('stdio');
    expect(completeCall(sessions, 'stdio')).toBe(atInitialize);
  });

  it('starts a new session on the first call 30 minutes after the previous call ended', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now });
    const first = completeCall(sessions, 'stdio');
    clock.advance(30 * MINUTE_MS);
    const second = completeCall(sessions, 'stdio');
    expect(second).not.toBe(first);
    expect(second).toMatch(SESSION_ID_PATTERN);
    expect(sessions.current('stdio')).toBe(second);
  });

  it('keeps the session when the next call comes just under 30 minutes later', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now });
    const first = completeCall(sessions, 'stdio');
    clock.advance(30 * MINUTE_MS - 1);
    expect(completeCall(sessions, 'stdio')).toBe(first);
    clock.advance(30 * MINUTE_MS - 1);
    expect(completeCall(sessions, 'stdio')).toBe(first);
  });

  it('does not rotate while a call that began within the idle time is in flight', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now });
    const first = completeCall(sessions, 'stdio');
    const longCall = sessions.begin('stdio');
    clock.advance(29 * MINUTE_MS);
    expect(sessions.begin('stdio')).toBe(first);
    sessions.end('stdio');
    sessions.end('stdio');
    expect(longCall).toBe(first);
    expect(completeCall(sessions, 'stdio')).toBe(first);
  });

  it('a call in flight longer than the idle time no longer holds the session', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now });
    const first = completeCall(sessions, 'stdio');
    sessions.begin('stdio');
    clock.advance(3 * 60 * MINUTE_MS);
    expect(sessions.begin('stdio')).not.toBe(first);
  });

  it('measures idle time from when the last overlapping call ended', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now });
    const first = sessions.begin('stdio');
    sessions.begin('stdio');
    sessions.end('stdio');
    clock.advance(40 * MINUTE_MS);
    sessions.end('stdio');
    clock.advance(10 * MINUTE_MS);
    expect(completeCall(sessions, 'stdio')).toBe(first);
  });

  it('never rotates for non-call events however idle the connection is', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now });
    const first = completeCall(sessions, 'stdio');
    clock.advance(2 * 60 * MINUTE_MS);
    expect(sessions.current('stdio')).toBe(first);
    expect(completeCall(sessions, 'stdio')).not.toBe(first);
  });

  it('honours a custom idle time', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now, idleMs: 1_000 });
    const first = completeCall(sessions, 'ws');
    clock.advance(1_000);
    expect(completeCall(sessions, 'ws')).not.toBe(first);
  });

  it('ignores extra ends and ends on unknown connections', () => {
    const sessions = new ConnectionSessions();
    sessions.end('never-seen');
    expect(sessions.size).toBe(0);
    const first = completeCall(sessions, 'stdio');
    sessions.end('stdio');
    sessions.end('stdio');
    expect(sessions.begin('stdio')).toBe(first);
  });

  it('keeps the client seen at initialize for the connection, across rotation', () => {
    const clock = manualClock();
    const sessions = new ConnectionSessions({ now: clock.now });
    expect(sessions.getClient('stdio')).toBeUndefined();
    sessions.setClient('stdio', { name: 'claude-code', version: '2.1.0', protocolVersion: '2025-06-18' });
    completeCall(sessions, 'stdio');
    clock.advance(60 * MINUTE_MS);
    completeCall(sessions, 'stdio');
    expect(sessions.getClient('stdio')).toEqual({
      name: 'claude-code',
      version: '2.1.0',
      protocolVersion: '2025-06-18',
    });
    expect(sessions.getClient('other')).toBeUndefined();
  });

  it('keeps only string client fields and hands out copies', () => {
    const sessions = new ConnectionSessions();
    sessions.setClient('stdio', { name: 'cli', version: 3 } as unknown as { name: string });
    const client = sessions.getClient('stdio');
    expect(client).toEqual({ name: 'cli' });
    if (client) client.name = 'changed';
    expect(sessions.getClient('stdio')).toEqual({ name: 'cli' });
  });

  it('accepts any map key, including NaN, numbers, symbols and undefined', () => {
    const sessions = new ConnectionSessions();
    const keys: unknown[] = [Number.NaN, 0, Symbol('conn'), undefined, null, ''];
    const ids = keys.map((key) => completeCall(sessions, key));
    expect(new Set(ids).size).toBe(keys.length);
    expect(completeCall(sessions, Number.NaN)).toBe(ids[0]);
  });

  it('stays bounded at maxKeys under 100,000 distinct connections, object keys and clients included', () => {
    const sessions = new ConnectionSessions({ maxKeys: 1000 });
    for (let index = 0; index < 100_000; index++) {
      completeCall(sessions, { index });
      sessions.setClient(`client-${index}`, { name: 'c' });
      completeCall(sessions, `conn-${index}`);
    }
    expect(sessions.size).toBe(1000);
    const survivor = sessions.current('conn-99999');
    expect(completeCall(sessions, 'conn-99999')).toBe(survivor);
  });

  it('bounds at 1,000 connections by default', () => {
    const sessions = new ConnectionSessions();
    for (let index = 0; index < 5_000; index++) sessions.current(index);
    expect(sessions.size).toBe(1000);
    expect(sessions.size).toBe(DEFAULT_MAX_CONNECTION_KEYS);
  });

  it('falls back to defaults for invalid options and never throws from a broken clock', () => {
    const sessions = new ConnectionSessions({
      maxKeys: Number.NaN,
      idleMs: -1,
      now: () => {
        throw new Error('clock broke');
      },
    });
    const first = completeCall(sessions, 'stdio');
    expect(completeCall(sessions, 'stdio')).toBe(first);
    for (let index = 0; index < 1_500; index++) sessions.current(index);
    expect(sessions.size).toBe(1000);
  });
});
