/**
 * Test and local-development helpers, exported as `posthog-mcp-analytics/testing`: a local event sink that
 * stands in for PostHog's ingestion endpoint, so events can be read back without a network.
 */
export type { EventSink, EventSinkOptions, PostHogFetch, SinkEvent, TextWritable } from './event-sink';
export { createEventSink, decodeCaptureBody } from './event-sink';
