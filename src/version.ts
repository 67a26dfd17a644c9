import { version } from '../package.json';

/** This package's version, sent as `$lib_version` on MCP events. */
export const VERSION: string = version;

/** The `$lib` of every MCP event. */
export const LIB_ID = 'posthog-node-mcp';
