import type { PostHog } from 'posthog-node';
import { formatEventLine } from './cli/summary';
import { REQUIRED } from './emitter';
import { EVENT, type MCPEvent, PROP } from './events';
import type { Logger } from './logger';
import type { ResolvedOptions } from './options';
import { boundProperties } from './pipeline/bound';
import { fitsJsonBytes } from './pipeline/json-size';
import { MAX_EVENT_BYTES } from './pipeline/limits';
import { copyMembers } from './safe-object';
import { LIB_ID, VERSION } from './version';

/** A JSON value as posthog-node types event messages. */
export type WireJson = string | number | boolean | null | { [key: string]: WireJson } | WireJson[];

/** An event message as posthog-node hands it to `processBeforeEnqueue`. */
export type WireMessage = { [key: string]: WireJson };

/** A message as handed to posthog-node's `capture()`. */
export type EventMessage = Parameters<PostHog['capture']>[0];

/** Most of our own event uuids awaiting relabelling; a bound for events a host `before_send` dropped. */
const MAX_OWN_UUIDS = 10_000;

/** What the bound on the wire never drops: the MCP event's required properties and posthog-node's labels. */
const WIRE_REQUIRED: ReadonlySet<string> = new Set([
  ...REQUIRED,
  PROP.lib,
  PROP.libVersion,
  PROP.geoipDisable,
]);

/** Which hooks are set that can edit an event after it is built. */
interface EventHooks {
  /** This package's `beforeSend`: it may edit the sanitized payloads in place. */
  readonly beforeSend: boolean;
  /** posthog-node's `before_send`: it may also return properties the host keeps using. */
  readonly before_send: boolean;
}

/**
 * Recognises this package's events as posthog-node enqueues them, to label them `posthog-node-mcp` (the host's
 * own events keep posthog-node's `$lib`) and bound them again as sent, posthog-node's additions included.
 */
export class OwnEvents {
  readonly #uuids = new Set<string>();
  readonly #logger: Logger;
  readonly #hooks: EventHooks;

  /** `hostBeforeSend`: posthog-node's `before_send` is set; with the options' `beforeSend`, the hooks that can edit events. */
  constructor(options: Pick<ResolvedOptions, 'logger' | 'beforeSend'>, hostBeforeSend: boolean) {
    this.#logger = options.logger;
    this.#hooks = { beforeSend: options.beforeSend !== undefined, before_send: hostBeforeSend };
  }

  /** The `capture()` message of an MCP event, remembered so it is relabelled (and logged with `logger: 'debug'`). */
  message(event: MCPEvent): EventMessage {
    this.remember(event.uuid);
    if (this.#logger.logsEvents) this.#logger.debug(formatEventLine(event));
    // Built by assignment: spreads of optional members cost more than the rest of this method.
    const message: EventMessage & { _originatedFromCaptureException?: boolean } = {
      distinctId: event.distinctId,
      event: event.event,
      properties: event.properties,
      timestamp: event.timestamp,
      uuid: event.uuid,
    };
    if (event.groups) message.groups = event.groups;
    if (event.event === EVENT.exception) message._originatedFromCaptureException = true;
    return message;
  }

  /** Remembers an MCP event's uuid just before it is handed to `capture()`. */
  remember(uuid: string): void {
    if (this.#uuids.size >= MAX_OWN_UUIDS) {
      const oldest = this.#uuids.values().next().value;
      if (oldest !== undefined) this.#uuids.delete(oldest);
    }
    this.#uuids.add(uuid);
  }

  /** Relabels and re-bounds one of our messages; any other message passes unchanged. */
  relabel(processed: WireMessage | null): WireMessage | null {
    if (!processed || typeof processed.uuid !== 'string' || !this.#uuids.delete(processed.uuid))
      return processed;
    const properties = processed.properties;
    const base =
      typeof properties === 'object' && properties !== null && !Array.isArray(properties) ? properties : {};
    // Without posthog-node's `before_send`, the properties are the object posthog-node just spread for this message,
    // so they are relabelled in place; a hook's may be the host's own, so those are copied (by assignment, since
    // spreading and then adding two keys builds a new hidden class per event).
    const relabelled = this.#hooks.before_send ? (copyMembers(base) as { [key: string]: WireJson }) : base;
    relabelled[PROP.lib] = LIB_ID;
    relabelled[PROP.libVersion] = VERSION;
    // The bound holds for what is sent, posthog-node's additions included; without a `beforeSend` this is the
    // only place an MCP event is bounded.
    processed.properties = fitsJsonBytes(relabelled, MAX_EVENT_BYTES, {
      remembered: !(this.#hooks.beforeSend || this.#hooks.before_send),
    })
      ? relabelled
      : (boundProperties(relabelled, { required: WIRE_REQUIRED }) as { [key: string]: WireJson });
    return processed;
  }
}
