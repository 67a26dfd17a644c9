import type { JsonObject } from '../safe-object';
import { isPlainObject } from '../safe-object';
import { jsonByteLength } from './json-size';
import { cutText } from './sanitize';

/** Largest compact UTF-8 JSON of an `$exception_list` as built, before it meets the event's other properties. */
export const MAX_EXCEPTION_LIST_BYTES = 65_536;

/** How much of an `$exception_list` one shrinking step keeps. */
interface Shape {
  /** Entries kept from the start: the top error, then its causes and members in order. */
  entries: number;
  /** Frames kept nearest the throw, for the top error and for the others. */
  topFrames: number;
  frames: number;
  /** Which entries keep source context lines. */
  context: 'all' | 'top' | 'none';
  valueChars: number;
  fieldChars: number;
}

const SHAPES: readonly Shape[] = [
  { entries: 50, topFrames: 50, frames: 50, context: 'top', valueChars: 2_048, fieldChars: 1_024 },
  { entries: 50, topFrames: 50, frames: 10, context: 'top', valueChars: 1_024, fieldChars: 512 },
  { entries: 20, topFrames: 30, frames: 5, context: 'top', valueChars: 512, fieldChars: 256 },
  { entries: 10, topFrames: 20, frames: 3, context: 'none', valueChars: 256, fieldChars: 256 },
  { entries: 5, topFrames: 10, frames: 0, context: 'none', valueChars: 256, fieldChars: 256 },
  { entries: 1, topFrames: 10, frames: 0, context: 'none', valueChars: 1_024, fieldChars: 256 },
  { entries: 1, topFrames: 3, frames: 0, context: 'none', valueChars: 256, fieldChars: 128 },
  { entries: 1, topFrames: 0, frames: 0, context: 'none', valueChars: 64, fieldChars: 64 },
];

const ENTRY_KEYS = ['type', 'value', 'module', 'thread_id'];
const CONTEXT_KEYS = ['pre_context', 'context_line', 'post_context'];

function cutStrings(value: unknown, chars: number): unknown {
  if (typeof value === 'string') return cutText(value, chars);
  if (Array.isArray(value)) return value.map((item) => cutStrings(item, chars));
  if (!isPlainObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value))
    if (key !== '__proto__') out[key] = cutStrings(value[key], chars) as never;
  return out;
}

function shrinkFrame(frame: unknown, keepContext: boolean, chars: number): unknown {
  if (!isPlainObject(frame)) return cutStrings(frame, chars);
  const out: JsonObject = {};
  for (const key of Object.keys(frame)) {
    if (key === '__proto__' || (!keepContext && CONTEXT_KEYS.includes(key))) continue;
    out[key] = cutStrings(frame[key], chars) as never;
  }
  return out;
}

function shrinkEntry(entry: unknown, index: number, shape: Shape): unknown {
  if (!isPlainObject(entry)) return cutStrings(entry, shape.fieldChars);
  const out: JsonObject = {};
  for (const key of ENTRY_KEYS) {
    if (entry[key] !== undefined)
      out[key] = cutStrings(entry[key], key === 'value' ? shape.valueChars : shape.fieldChars) as never;
  }
  if (entry.mechanism !== undefined) out.mechanism = cutStrings(entry.mechanism, shape.fieldChars) as never;
  const stacktrace = entry.stacktrace;
  const frames = isPlainObject(stacktrace) ? stacktrace.frames : undefined;
  const keep = index === 0 ? shape.topFrames : shape.frames;
  if (Array.isArray(frames) && keep > 0) {
    const keepContext = shape.context === 'all' || (shape.context === 'top' && index === 0);
    // posthog-node lists frames outermost first: the last ones are nearest the throw.
    const kept = frames.slice(-keep).map((frame) => shrinkFrame(frame, keepContext, shape.fieldChars));
    out.stacktrace = { ...(stacktrace as JsonObject), frames: kept as never };
  }
  return out;
}

/**
 * An `$exception_list` whose compact UTF-8 JSON fits `maxBytes` where possible: source context, frames and
 * nested errors go first, the top error last; the smallest shape when nothing fits. The input is not mutated.
 */
export function shrinkExceptionList(list: unknown, maxBytes: number): unknown {
  if (!Array.isArray(list) || jsonByteLength(list) <= maxBytes) return list;
  let candidate: unknown[] = [];
  for (const shape of SHAPES) {
    candidate = list.slice(0, shape.entries).map((entry, index) => shrinkEntry(entry, index, shape));
    if (jsonByteLength(candidate) <= maxBytes) return candidate;
  }
  return candidate;
}

/** The compact JSON of `shrinkExceptionList(list, maxBytes)`; a list that already fits is serialized once. */
export function shrunkExceptionListJson(list: unknown, maxBytes: number): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(list);
  } catch {
    json = undefined;
  }
  if (json !== undefined && (json.length * 3 <= maxBytes || Buffer.byteLength(json, 'utf8') <= maxBytes))
    return json;
  return JSON.stringify(shrinkExceptionList(list, maxBytes));
}
