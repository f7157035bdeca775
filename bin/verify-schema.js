#!/usr/bin/env node
// Thin launcher: all behaviour lives in dist/cli.js so the CLI and the API share one implementation.
import { main } from '../dist/cli.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
