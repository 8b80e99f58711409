// The flags of the operating commands, apart from the code that acts on them, so that
// `driftless sync` can tell its two forms apart without loading the backend's clients.

/** Where the backend is and how to print: every operating command has them. */
export const backendFlags = {
  output: { type: 'string', short: 'o' },
  local: { type: 'boolean' },
  /** Local mode's state folder, as `npm start -- --state-dir DIR` was given it. */
  'state-dir': { type: 'string' },
  stack: { type: 'string' },
  region: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** --cluster C: narrows a command on one app to one of its clusters. */
export const clusterFlag = { type: 'string', short: 'c' } as const;

/** --wait and --timeout, beside the backend's flags. */
export const waitFlags = { wait: { type: 'boolean', short: 'w' }, timeout: { type: 'string' } } as const;

export const WAIT_HELP = `  -w, --wait          follow the sync to its end and exit with its result
      --timeout D     how long --wait follows it: 30s, 10m, 1h30m, or a bare number of seconds,
                      as in the config files (default 10m)
`;
