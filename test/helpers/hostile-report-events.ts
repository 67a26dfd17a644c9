import { EVENT, PROP } from '../../src/events';

/** Event text crafted to break out of HTML text, attributes, SVG, styles or comments, or to hide or reorder text. */
export const HOSTILE_TEXTS: readonly string[] = [
  '<script>alert(1)</script>',
  '</svg><img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)" x="',
  "' autofocus onfocus='alert(1)",
  '</style><script>alert(1)</script>',
  '<!-- --><![CDATA[ ]]>',
  '&lt;already escaped&gt; &amp; &#60;',
  '</td></tr></table></section></main>',
  '\u0000\u0007\u001b[31mred\u001b[0m\u007f\u0085',
  'right-to-left \u202eoverride\u202c and \u2066isolate\u2069',
  'lone \ud800 high and \udc00 low',
  'zero\u200bwidth\ufeffbom',
  'line\u2028separator\u2029paragraph\r\nnewline\ttab',
  `emoji at the cut ${'🙂'.repeat(100)}`,
  'x'.repeat(1_000_000),
  '<'.repeat(100_000),
  '"'.repeat(100_000),
];

function line(event: string, properties: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ event, distinct_id: 'd', properties, ...extra });
}

/** A JSONL events file where every text slot the report shows holds each hostile text, plus malformed shapes. */
export function hostileEventLines(): string[] {
  const lines: string[] = [];
  HOSTILE_TEXTS.forEach((text, index) => {
    const base = { [PROP.sessionId]: text, [PROP.intent]: text, [PROP.errorOrigin]: text };
    lines.push(
      line(
        EVENT.toolCall,
        { ...base, [PROP.toolName]: text, [PROP.isError]: index % 2 === 0 },
        { timestamp: text },
      ),
      line(EVENT.toolCall, {
        ...base,
        [PROP.toolName]: text,
        [PROP.durationMs]: 10 ** index,
        [PROP.isError]: true,
      }),
      line(EVENT.missingCapability, { [PROP.intent]: text }),
      line(EVENT.unknownTool, { [PROP.toolName]: text, [PROP.errorOrigin]: text }),
      line(text, { [PROP.toolName]: text }),
    );
  });
  for (let index = 0; index < 200; index++) {
    lines.push(line(EVENT.toolCall, { [PROP.toolName]: `tool_${index}_<b>`, [PROP.durationMs]: index }));
  }
  lines.push(
    line(EVENT.toolCall, null),
    line(EVENT.toolCall, [1, 2, 3]),
    line(EVENT.toolCall, 'properties as a string'),
    line(EVENT.toolCall, {
      [PROP.toolName]: 42,
      [PROP.durationMs]: '12',
      [PROP.emptyResult]: 'true',
      [PROP.repeatCount]: '3',
      [PROP.isError]: 'yes',
    }),
    line(EVENT.toolCall, { [PROP.durationMs]: -5, [PROP.repeatCount]: 1e308, [PROP.emptyResult]: true }),
    line(EVENT.toolCall, { [PROP.toolName]: '__proto__', [PROP.durationMs]: 1e308 }),
    line(EVENT.toolCall, { [PROP.toolName]: 'constructor', [PROP.intent]: { toString: 'no' } }),
  );
  return lines;
}
