import { isAbsolute } from 'node:path';
import type { PostHog } from 'posthog-node';
import { MAX_NAME_CHARS, MAX_TEXT_CHARS, REDACTED } from './limits';
import { isSecretKey } from './redact';
import { sanitizeText } from './sanitize';

type ErrorPropertiesBuilder = ReturnType<PostHog['getErrorPropertiesBuilder']>;

/** An `$exception_list` as posthog-node's builder returns it. */
export type ExceptionList = Awaited<ReturnType<ErrorPropertiesBuilder['modifyFrames']>>;

type StackFrame = NonNullable<NonNullable<ExceptionList[number]['stacktrace']>['frames']>[number];

const FRAME_TEXT_FIELDS = ['filename', 'abs_path', 'function', 'module'] as const;
const MAX_FRAME_FIELD_CHARS = 1_024;
const MAX_SOURCE_CONTEXT_CHARS = 8_192;
const MAX_SECRET_NAME_WORDS = 4;
/** The files V8 runs: JavaScript and TypeScript sources, never `.env`, `/etc/passwd` or `/proc/…`. */
const SCRIPT_FILE = /\.(?:[cm]?[jt]s|[jt]sx)$/i;
/** `name = "…"`, `name: '…'`, `name ??= \`…\``, `name === "…"`: a string literal given to or compared with a name. */
const LITERAL_ASSIGNMENT =
  /([A-Za-z_$][\w$-]{0,63})(["']?\s{0,8}(?:[!=]==?|[:=]|\?\?=|\|\|=)\s{0,8})(["'`])((?:\\.|(?!\3)[^\\\n]){0,512})\3/g;

function* framesOf(list: ExceptionList): Generator<StackFrame> {
  for (const entry of list) yield* entry.stacktrace?.frames ?? [];
}

/** Whether posthog-node may open a frame's file for source context: an absolute path to a script. */
function isSourceFile(filename: string | undefined): boolean {
  return typeof filename === 'string' && isAbsolute(filename) && SCRIPT_FILE.test(filename);
}

/**
 * Runs posthog-node's frame modifiers (module names, source context, relative paths) with source context
 * read only for script files: a frame's line number is held back from the other files while they run.
 */
export async function modifyFrames(
  builder: ErrorPropertiesBuilder,
  list: ExceptionList,
): Promise<ExceptionList> {
  const held = new Map<StackFrame, number>();
  for (const frame of framesOf(list)) {
    if (typeof frame.lineno === 'number' && !isSourceFile(frame.filename)) {
      held.set(frame, frame.lineno);
      delete frame.lineno;
    }
  }
  try {
    return await builder.modifyFrames(list);
  } finally {
    for (const [frame, lineno] of held) frame.lineno = lineno;
  }
}

/** Whether an identifier's words (camelCase, `_`, `-`, `$`) include a credential name, e.g. `dbPassword`. */
function isSecretName(name: string): boolean {
  if (isSecretKey(name)) return true;
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[-_$]+/)
    .filter((word) => word !== '');
  for (let start = 0; start < words.length; start++) {
    for (let end = start + 1; end <= Math.min(words.length, start + MAX_SECRET_NAME_WORDS); end++) {
      if (isSecretKey(words.slice(start, end).join('_'))) return true;
    }
  }
  return false;
}

/** Source code's own secret form: a string literal assigned to a credential-named variable or key. */
function redactLiterals(line: string): string {
  return line.replace(LITERAL_ASSIGNMENT, (match, name: string, operator: string, quote: string) =>
    isSecretName(name) ? `${name}${operator}${quote}${REDACTED}${quote}` : match,
  );
}

/** Most frames' redacted source lines kept, by their raw lines: a recurring frame is redacted once per process. */
const MAX_CACHED_CONTEXTS = 128;
/** Longest raw context (all lines joined) that is cached: posthog-node snips lines to about 150 characters. */
const MAX_CACHED_CONTEXT_CHARS = 4_096;
/** Redacted lines by raw lines joined with `\n`; the redaction is a pure function of them. Least recently used out first. */
const redactedContexts = new Map<string, readonly string[]>();

/** The secret passes over source lines, as one text so a secret split over lines is seen. */
function redactLines(lines: readonly string[]): readonly string[] {
  const joined = sanitizeText(lines.join('\n'), MAX_SOURCE_CONTEXT_CHARS).split('\n');
  return (
    joined.length === lines.length ? joined : lines.map((line) => sanitizeText(line, MAX_TEXT_CHARS))
  ).map(redactLiterals);
}

/** `redactLines`, remembered for short contexts (at most `MAX_CACHED_CONTEXTS`, each under 4,096 characters). */
function redactedLinesOf(lines: readonly string[]): readonly string[] {
  const key = lines.join('\n');
  if (key.length > MAX_CACHED_CONTEXT_CHARS) return redactLines(lines);
  const hit = redactedContexts.get(key);
  if (hit !== undefined) {
    redactedContexts.delete(key);
    redactedContexts.set(key, hit);
    return hit;
  }
  const redacted = redactLines(lines);
  redactedContexts.set(key, redacted);
  if (redactedContexts.size > MAX_CACHED_CONTEXTS) {
    const oldest = redactedContexts.keys().next();
    if (oldest.done !== true) redactedContexts.delete(oldest.value);
  }
  return redacted;
}

/** The secret passes over one frame's source lines (see `redactLines`). */
function redactContext(frame: StackFrame): void {
  const pre = frame.pre_context ?? [];
  const post = frame.post_context ?? [];
  const lines = [...pre, frame.context_line ?? '', ...post];
  if (lines.length === 1 && frame.context_line === undefined) return;
  const redacted = redactedLinesOf(lines);
  if (frame.pre_context) frame.pre_context = redacted.slice(0, pre.length);
  if (frame.context_line !== undefined) frame.context_line = redacted[pre.length] ?? '';
  if (frame.post_context) frame.post_context = redacted.slice(pre.length + 1);
}

/** Passes every string of the list (type, value, frame fields, source lines) through the secret redaction. */
export function redactExceptionList(list: ExceptionList): void {
  for (const entry of list) {
    entry.type = sanitizeText(String(entry.type), MAX_NAME_CHARS) || 'Error';
    entry.value = sanitizeText(String(entry.value), MAX_TEXT_CHARS);
    for (const frame of entry.stacktrace?.frames ?? []) {
      for (const field of FRAME_TEXT_FIELDS) {
        const text = frame[field];
        if (typeof text === 'string') frame[field] = sanitizeText(text, MAX_FRAME_FIELD_CHARS);
      }
      redactContext(frame);
    }
  }
}
