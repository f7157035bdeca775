import { createRequire } from 'node:module';

/** The package version (same relative path from src/report and dist/report). */
export const TOOL_VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
