#!/usr/bin/env node
process.stderr.write('posthog-mcp-analytics: no command yet\n');
process.exitCode = 1;
