#!/usr/bin/env node
// The package's bin must be JavaScript; Node 24 runs the TypeScript behind it directly.
import { main } from './main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
