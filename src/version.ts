/** This package's version, sent as `$lib_version` on MCP events. */
export const VERSION = '0.1.0';

/** The `$lib` of every MCP event. */
export const LIB_ID = 'posthog-node-mcp';
