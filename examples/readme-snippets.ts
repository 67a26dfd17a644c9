import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  encodeSessionToken,
  MCP_SESSION_HEADER,
  newSessionId,
  PostHogMCP,
  type ToolDescriptor,
} from '../src/index';
import { createEventSink } from '../src/testing';

/** The README's session snippets, type-checked in place. */
export function sessionSnippets(
  posthog: PostHogMCP,
  { name, args, tool }: { name: string; args: unknown; tool: ToolDescriptor },
  socket: object,
  req: IncomingMessage,
  res: ServerResponse,
) {
  // #region readme:sessions
  // stdio or WebSocket: one client per connection. The SDK keeps a session per connection key and
  // starts a new one after 30 idle minutes.
  posthog.prepareToolCall(name, args, { tool, session: { connection: socket } });

  // Stateful HTTP: pass the transport's session id (and the headers, for the user agent).
  posthog.prepareToolCall(name, args, {
    tool,
    headers: req.headers,
    session: req.headers['mcp-session-id'] as string,
  });

  // Stateless legacy HTTP: at `initialize`, mint a session token that clients replay as Mcp-Session-Id;
  // any instance decodes the session and client from it.
  const token = encodeSessionToken({ sid: newSessionId(), cn: 'client-name', pv: '2025-06-18' });
  if (token) res.setHeader(MCP_SESSION_HEADER, token);
  // #endregion readme:sessions
}

/** The README's privacy snippet. */
export function privacySnippet(apiKey: string): PostHogMCP {
  // #region readme:privacy
  const posthog = new PostHogMCP(apiKey, {
    captureParameters: 'keys', // only the argument names, as $mcp_input_keys
    captureResponse: false, // no $mcp_response
    beforeSend: (event) => (event.properties.$mcp_tool_name === 'read_patient_record' ? null : event),
  });
  // #endregion readme:privacy
  return posthog;
}

/** The README's local-file snippet. */
export function localFileSnippet(): PostHogMCP {
  // #region readme:local-file
  const sink = createEventSink({ file: 'events.jsonl' }); // or { stream: 'stderr' }; never stdout
  const posthog = new PostHogMCP('phc_local', { fetch: sink.fetch, serverName: 'docs-server' });
  // #endregion readme:local-file
  return posthog;
}
