import type { EventDraft } from './event-draft';
import { EVENT, PROP } from './events';
import type { JsonObject } from './types';

/** How many of the latest MCP events `mcpDiagnostics()` looks at. */
export const DIAGNOSTICS_WINDOW = 200;

/** A gap that leaves a dashboard without data. */
export type MCPDiagnosticField =
  | 'apiKey'
  | 'clientName'
  | 'userAgent'
  | 'protocolVersion'
  | 'sessionSource'
  | 'identity'
  | 'intent'
  | 'model';

/** One gap: how many of the inspected events lacked it, and what to do about it. */
export interface MCPDiagnosticFinding {
  field: MCPDiagnosticField;
  /** The property (or event field) that was missing. */
  property: string;
  /** Events that lacked it. */
  missing: number;
  /** Events it applies to (intent and model apply to `$mcp_tool_call` only). */
  of: number;
  /** What to change in the integration. */
  hint: string;
}

/** What `mcpDiagnostics()` returns. */
export interface MCPDiagnostics {
  /** MCP events inspected (at most {@link DIAGNOSTICS_WINDOW}, `$exception` siblings excluded). */
  eventsInspected: number;
  /** Inspected events per event name. */
  events: Record<string, number>;
  /** The gaps found, the largest share first; empty when nothing is missing. */
  findings: MCPDiagnosticFinding[];
}

interface Check {
  field: MCPDiagnosticField;
  property: string;
  toolCallsOnly: boolean;
  hint: string;
}

const CHECKS: readonly Check[] = [
  {
    field: 'clientName',
    property: PROP.clientName,
    toolCallsOnly: false,
    hint: 'Pass `session` ({ connection } remembers initialize) or mint session tokens, or have clients send _meta clientInfo.',
  },
  {
    field: 'userAgent',
    property: PROP.clientUserAgent,
    toolCallsOnly: false,
    hint: 'Pass the HTTP request `headers`; expected to be missing on stdio.',
  },
  {
    field: 'protocolVersion',
    property: PROP.protocolVersion,
    toolCallsOnly: false,
    hint: 'Pass `headers` (MCP-Protocol-Version) or `session` so the initialize is remembered.',
  },
  {
    field: 'sessionSource',
    property: PROP.sessionId,
    toolCallsOnly: false,
    hint: 'Each request got a fresh $session_id: pass `session` (Mcp-Session-Id or { connection }), keep conversationAnchoring on, or mint session tokens.',
  },
  {
    field: 'identity',
    property: 'distinct_id',
    toolCallsOnly: false,
    hint: 'Events are anonymous: pass `identify` (router) or `identity` (call step) to attach a person.',
  },
  {
    field: 'intent',
    property: PROP.intent,
    toolCallsOnly: true,
    hint: 'Keep the `context` option on and advertise the decorated tools/list, or set `intentFallback`.',
  },
  {
    field: 'model',
    property: PROP.llmModel,
    toolCallsOnly: true,
    hint: 'Keep `captureModel` on and advertise the decorated tools/list (clients may also send it in _meta).',
  },
];

const TOOL_CALL_BIT = 1 << CHECKS.length;

function isMissing(check: Check, draft: EventDraft, properties: JsonObject): boolean {
  if (check.field === 'sessionSource') return draft.sessionSource === 'fresh';
  if (check.field === 'identity') return !draft.identified;
  return properties[check.property] === undefined;
}

const MISSING_API_KEY_HINT =
  'The client was built without an API key, so no event is sent: pass your project API key (phc_…), e.g. from POSTHOG_API_KEY.';

/** A ring of the latest MCP events, each kept as its name and one bit per gap. */
export class DiagnosticsRecorder {
  readonly #apiKeyMissing: boolean;
  readonly #names: string[] = [];
  readonly #flags = new Uint16Array(DIAGNOSTICS_WINDOW);
  #next = 0;

  /** Starts an empty window; `apiKeyMissing` puts the missing key first in every report. */
  constructor(options: { apiKeyMissing?: boolean } = {}) {
    this.#apiKeyMissing = options.apiKeyMissing === true;
  }

  /** Records one event from the deferred stage; `$exception` siblings are skipped. */
  record(draft: EventDraft, properties: JsonObject): void {
    if (draft.event === EVENT.exception) return;
    const isToolCall = draft.event === EVENT.toolCall;
    let flags = isToolCall ? TOOL_CALL_BIT : 0;
    CHECKS.forEach((check, bit) => {
      if ((isToolCall || !check.toolCallsOnly) && isMissing(check, draft, properties)) flags |= 1 << bit;
    });
    const slot = this.#next % DIAGNOSTICS_WINDOW;
    this.#names[slot] = draft.event;
    this.#flags[slot] = flags;
    this.#next += 1;
  }

  /** Summarizes the window: counts per event and each gap with a hint. */
  report(): MCPDiagnostics {
    const inspected = Math.min(this.#next, DIAGNOSTICS_WINDOW);
    const events: Record<string, number> = {};
    const missing = CHECKS.map(() => 0);
    let toolCalls = 0;
    for (let slot = 0; slot < inspected; slot++) {
      const name = this.#names[slot] ?? '';
      events[name] = (events[name] ?? 0) + 1;
      const flags = this.#flags[slot] ?? 0;
      if (flags & TOOL_CALL_BIT) toolCalls += 1;
      CHECKS.forEach((_, bit) => {
        if (flags & (1 << bit)) missing[bit] = (missing[bit] ?? 0) + 1;
      });
    }
    const findings = CHECKS.map((check, bit) => ({
      field: check.field,
      property: check.property,
      missing: missing[bit] ?? 0,
      of: check.toolCallsOnly ? toolCalls : inspected,
      hint: check.hint,
    }))
      .filter((finding) => finding.missing > 0)
      .sort((a, b) => b.missing / b.of - a.missing / a.of);
    if (this.#apiKeyMissing) {
      const hint = MISSING_API_KEY_HINT;
      findings.unshift({ field: 'apiKey', property: 'api_key', missing: inspected, of: inspected, hint });
    }
    return { eventsInspected: inspected, events, findings };
  }
}
