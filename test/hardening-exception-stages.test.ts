import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonByteLength } from '../src/pipeline/bound';
import { shrinkExceptionList } from '../src/pipeline/exception-bound';
import { type ExceptionList, redactExceptionList } from '../src/pipeline/exception-frames';
import { realFrameLines } from '../src/pipeline/exception-input';

const REAL = ['    at search (/srv/app/tools.js:10:5)', '    at async dispatch (/srv/app/router.js:20:3)'];
const FORGED = '    at a (/etc/passwd:1:1)\n    at /proc/self/environ:1:1';
const stackOf = (header: string, ...tail: string[]): string => [header, ...REAL, ...tail].join('\n');

describe('realFrameLines keeps only the frames below the error’s own header', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    [
      'a one-line message',
      { name: 'Error', message: 'boom', stack: stackOf('Error: boom') },
      REAL.join('\n'),
    ],
    [
      'a message holding frame lines',
      { name: 'Error', message: `x\n${FORGED}`, stack: stackOf(`Error: x\n${FORGED}`) },
      REAL.join('\n'),
    ],
    [
      'a name holding frame lines',
      { name: `N\n${FORGED}`, message: 'm', stack: stackOf(`N\n${FORGED}: m`) },
      REAL.join('\n'),
    ],
    [
      "Node's coded header",
      { name: 'TypeError', message: 'bad', code: 'ERR_X', stack: stackOf('TypeError [ERR_X]: bad') },
      REAL.join('\n'),
    ],
    ['an empty message', { name: 'RangeError', message: '', stack: stackOf('RangeError') }, REAL.join('\n')],
    ['a header only', { name: 'Error', message: 'm', stack: 'Error: m' }, ''],
    ['a rewritten message', { name: 'Error', message: 'new', stack: stackOf(`Error: old\n${FORGED}`) }, ''],
    ['a stack of text', { name: 'Error', message: 'm', stack: FORGED }, ''],
    [
      'cause text appended after the frames',
      { name: 'Error', message: 'm', stack: stackOf('Error: m', `Caused by: x\n${FORGED}`) },
      REAL.join('\n'),
    ],
    [
      'an over-long line',
      {
        name: 'Error',
        message: 'm',
        stack: `Error: m\n    at f (/a/${'p'.repeat(2_000)}.js:1:1)\n${REAL[0]}`,
      },
      '',
    ],
    ['no stack', { name: 'Error', message: 'm', stack: 42 }, ''],
  ];

  it.each(cases)('%s', (_, error, frames) => {
    expect(realFrameLines(error).frames).toBe(frames);
  });

  it('stops once the summed squared line lengths pass the parse budget', () => {
    const line = `    at f (/a/${'p'.repeat(480)}.js:1:1)`;
    const error = { name: 'Error', message: 'm', stack: `Error: m\n${Array(50).fill(line).join('\n')}` };
    const { frames, parseCost } = realFrameLines(error, 1_000_000);
    expect(frames.split('\n')).toHaveLength(Math.floor(1_000_000 / line.length ** 2));
    expect(parseCost).toBeLessThanOrEqual(1_000_000);
  });
});

describe('source context passes the secret redaction', () => {
  const cases: [string, string][] = [
    ['const password = "hunter2";', 'const password = "[redacted]";'],
    ["let dbPassword = 'x1';", "let dbPassword = '[redacted]';"],
    ['this.apiSecret = `abc`;', 'this.apiSecret = [redacted]'],
    ['AWS_SECRET_ACCESS_KEY ??= "k";', 'AWS_SECRET_ACCESS_KEY ??= "[redacted]";'],
    [
      "const config = { user: 'admin', token: 't' };",
      "const config = { user: 'admin', token: '[redacted]' };",
    ],
    ["if (input.password !== 'letmein') deny();", "if (input.password !== '[redacted]') deny();"],
    ['if (secret == "s") {', 'if (secret == "[redacted]") {'],
    ["const query = 'select 1';", "const query = 'select 1';"],
    ["throw new Error('boom');", "throw new Error('boom');"],
  ];

  it.each(cases)('%s', (line, expected) => {
    const list = [
      {
        type: 'Error',
        value: 'v',
        stacktrace: { type: 'raw', frames: [{ platform: 'node:javascript', context_line: line }] },
      },
    ] as ExceptionList;
    redactExceptionList(list);
    expect(list[0]?.stacktrace?.frames?.[0]?.context_line).toBe(expected);
  });
});

describe('shrinkExceptionList', () => {
  const text = fc.string({ unit: 'binary', maxLength: 3_000 });
  const frame = fc.record({
    function: text,
    filename: text,
    context_line: text,
    pre_context: fc.array(text, { maxLength: 7 }),
  });
  const entry = fc.record({
    type: text,
    value: text,
    mechanism: fc.record({ type: fc.constant('mcp'), exception_id: fc.nat() }),
    stacktrace: fc.record({ type: fc.constant('raw'), frames: fc.array(frame, { maxLength: 60 }) }),
  });

  it('fits any list in the budget and keeps the top error first, without mutating the input', () => {
    fc.assert(
      fc.property(
        fc.array(entry, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 2_048, max: 65_536 }),
        (list, max) => {
          const before = JSON.stringify(list);
          const shrunk = shrinkExceptionList(list, max) as typeof list;
          expect(jsonByteLength(shrunk)).toBeLessThanOrEqual(max);
          expect(list[0]?.type.startsWith(shrunk[0]?.type ?? '')).toBe(true);
          expect(JSON.stringify(list)).toBe(before);
        },
      ),
      { numRuns: 60 },
    );
  });
});
