#!/usr/bin/env node
// The package's bin must be JavaScript; Node 24 runs the TypeScript behind it directly.
import { enableCompileCache } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

// Node's on-disk compile cache: a run after the first skips stripping the types of and
// compiling every module again, which is most of a short command's start. In the user's own
// cache folder (not the shared temporary one), unless NODE_COMPILE_CACHE names another;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off. Set before main is imported, so it applies to it.
const cacheHome = process.env.XDG_CACHE_HOME || join(process.env.HOME || homedir(), '.cache');
enableCompileCache(process.env.NODE_COMPILE_CACHE ? undefined : join(cacheHome, 'driftless', 'node-compile-cache'));
const { main } = await import('./main.ts');

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
