#!/usr/bin/env node
// The package's bin must be JavaScript; Node 24 runs the TypeScript behind it directly.
import { enableCompileCache } from 'node:module';

// Node's on-disk compile cache (os.tmpdir()/node-compile-cache; NODE_DISABLE_COMPILE_CACHE=1
// turns it off): a run after the first skips stripping the types of and compiling every
// module again, which is most of a short command's start. Imported after it, so it applies.
enableCompileCache();
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
